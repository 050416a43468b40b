use super::backend;
use super::catalog::with_photos;
use super::entities::product;
use super::entities::{cart, cart_item, stall};
use app::domain::id::{CartId, ProductId, StallId, UserId};
use app::domain::quantity::{Quantity, line_total};
use app::domain::stall::StallStatus;
use app::model::CartLine;
use app::model::Product;
use app::ports::{CartOwner, Carts, StoreResult};
use async_trait::async_trait;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set, sea_query::OnConflict,
};
use std::collections::HashMap;

pub struct CartStore(pub DatabaseConnection, pub app::ports::Clock);

fn owner_filter(owner: &CartOwner) -> sea_orm::Condition {
    match owner {
        CartOwner::User(id) => sea_orm::Condition::all().add(cart::Column::UserId.eq(id.get())),
        CartOwner::Visitor(hash) => {
            sea_orm::Condition::all().add(cart::Column::VisitorKey.eq(hash.as_str()))
        }
    }
}

/// Adds `steps` to a line, creating it when missing, in one statement so two tabs adding at
/// once both count.
async fn add_steps(
    db: &impl sea_orm::ConnectionTrait,
    cart_id: i64,
    product_id: i64,
    steps: i64,
) -> StoreResult<()> {
    cart_item::Entity::insert(cart_item::ActiveModel {
        cart_id: Set(cart_id),
        product_id: Set(product_id),
        quantity: Set(steps),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([cart_item::Column::CartId, cart_item::Column::ProductId])
            .value(
                cart_item::Column::Quantity,
                sea_orm::sea_query::Expr::col((cart_item::Entity, cart_item::Column::Quantity))
                    .add(steps),
            )
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map_err(backend)?;
    Ok(())
}

#[async_trait]
impl Carts for CartStore {
    async fn cart(&self, owner: &CartOwner, create: bool) -> StoreResult<Option<CartId>> {
        if let Some(found) = cart::Entity::find()
            .filter(owner_filter(owner))
            .one(&self.0)
            .await
            .map_err(backend)?
        {
            return Ok(Some(CartId::new(found.id)));
        }
        if !create {
            return Ok(None);
        }
        let (user_id, visitor_key) = match owner {
            CartOwner::User(id) => (Some(id.get()), None),
            CartOwner::Visitor(key) => (None, Some(key.clone())),
        };
        let row = cart::ActiveModel {
            user_id: Set(user_id),
            visitor_key: Set(visitor_key),
            updated_at: Set(self.1.now()),
            ..Default::default()
        }
        .insert(&self.0)
        .await
        .map_err(backend)?;
        Ok(Some(CartId::new(row.id)))
    }

    async fn add(
        &self,
        cart_id: CartId,
        product_id: ProductId,
        quantity: Quantity,
    ) -> StoreResult<()> {
        let cart_id = cart_id.get();
        let product_id = product_id.get();
        add_steps(&self.0, cart_id, product_id, quantity.steps()).await
    }

    async fn set(
        &self,
        cart_id: CartId,
        product_id: ProductId,
        quantity: Quantity,
    ) -> StoreResult<()> {
        let cart_id = cart_id.get();
        let product_id = product_id.get();
        let line = cart_item::Entity::find()
            .filter(cart_item::Column::CartId.eq(cart_id))
            .filter(cart_item::Column::ProductId.eq(product_id));
        match (line.one(&self.0).await.map_err(backend)?, quantity.steps()) {
            (Some(row), steps) if steps <= 0 => {
                cart_item::Entity::delete_by_id(row.id)
                    .exec(&self.0)
                    .await
                    .map_err(backend)?;
            }
            (Some(row), steps) => {
                let mut active: cart_item::ActiveModel = row.into();
                active.quantity = Set(steps);
                active.update(&self.0).await.map_err(backend)?;
            }
            (None, steps) if steps > 0 => add_steps(&self.0, cart_id, product_id, steps).await?,
            (None, _) => {}
        }
        Ok(())
    }

    async fn count(&self, owner: &CartOwner) -> StoreResult<u64> {
        let carts = cart::Entity::find()
            .select_only()
            .column(cart::Column::Id)
            .filter(owner_filter(owner))
            .into_query();
        // The lines `lines` keeps: published products of approved stalls.
        let public_stalls = stall::Entity::find()
            .select_only()
            .column(stall::Column::Id)
            .filter(stall::Column::Status.eq(StallStatus::Approved.slug()))
            .into_query();
        let on_sale = product::Entity::find()
            .select_only()
            .column(product::Column::Id)
            .filter(product::Column::Published.eq(true))
            .filter(product::Column::StallId.in_subquery(public_stalls))
            .into_query();
        cart_item::Entity::find()
            .filter(cart_item::Column::CartId.in_subquery(carts))
            .filter(cart_item::Column::ProductId.in_subquery(on_sale))
            .count(&self.0)
            .await
            .map_err(backend)
    }

    async fn lines(&self, cart_id: CartId) -> StoreResult<Vec<CartLine>> {
        let cart_id = cart_id.get();
        let items = cart_item::Entity::find()
            .filter(cart_item::Column::CartId.eq(cart_id))
            .order_by_asc(cart_item::Column::Id)
            .all(&self.0)
            .await
            .map_err(backend)?;
        // The cart's products and their stalls in one query each, not two per line.
        let ids: Vec<i64> = items.iter().map(|i| i.product_id).collect();
        let rows =
            super::find_in::<product::Entity, _>(&self.0, product::Column::Id, &ids, |q| q).await?;
        let products: HashMap<ProductId, Product> = with_photos(&self.0, rows)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let stall_ids: Vec<StallId> = products.values().map(|p| p.stall_id).collect();
        let stalls = super::stalls::by_ids(&self.0, &stall_ids).await?;
        let mut lines = Vec::new();
        for item in items {
            // A product hidden or a stall suspended since it was added drops out of the cart.
            let Some(product) = products.get(&ProductId::new(item.product_id)).cloned() else {
                continue;
            };
            let Some(stall) = stalls.get(&product.stall_id) else {
                continue;
            };
            if !product.published || !stall.status.is_public() {
                continue;
            }
            let quantity = Quantity::from_steps(item.quantity);
            lines.push(CartLine {
                total: line_total(product.price, quantity, product.unit),
                product,
                stall_slug: stall.slug.clone(),
                stall_name: stall.name.clone(),
                quantity,
            });
        }
        Ok(lines)
    }

    async fn merge(&self, visitor: &str, user_id: UserId) -> StoreResult<()> {
        let Some(from) = self
            .cart(&CartOwner::Visitor(visitor.to_string()), false)
            .await?
        else {
            return Ok(());
        };
        let into = self
            .cart(&CartOwner::User(user_id), true)
            .await?
            .expect("created when missing");
        let txn = super::write_txn(&self.0).await?;
        let items = cart_item::Entity::find()
            .filter(cart_item::Column::CartId.eq(from.get()))
            .all(&txn)
            .await
            .map_err(backend)?;
        for item in items {
            add_steps(&txn, into.get(), item.product_id, item.quantity).await?;
        }
        cart::Entity::delete_by_id(from.get())
            .exec(&txn)
            .await
            .map_err(backend)?;
        txn.commit().await.map_err(backend)
    }
}
