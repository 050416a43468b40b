//! The storefront's shelves: a few products from each market, from OCOP, or from each stall of a
//! market page, chosen by the database in one query whatever the number of shelves
//! (`ROW_NUMBER() OVER (PARTITION BY …)`, which SQLite and PostgreSQL both run), then their
//! photos and stalls in one query each. A shelf shows products with a photo first, and one
//! product of each of several stalls before a second of any; the newest first.
use super::backend;
use super::catalog::{product_stall, with_photos};
use super::entities::{product, product_photo, stall};
use app::domain::stall::StallStatus;
use app::model::{Product, Stall};
use app::ports::{Shelves, StoreResult};
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, Order, OverStatement, Query, SelectStatement, WindowStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, QueryTrait,
};

/// The rank of a product on its shelf, 1 first.
const RANK: &str = "shelf_rank";
/// The rank of a product among its stall's.
const STALL_RANK: &str = "stall_rank";
/// Whether a product has a photo.
const WITH_PHOTO: &str = "with_photo";
/// Which shelf a product goes on.
const SHELF: &str = "shelf";

pub(crate) async fn shelves(
    db: &impl ConnectionTrait,
    shelves: Shelves<'_>,
    per_shelf: u64,
) -> StoreResult<Vec<(Product, Stall)>> {
    if per_shelf == 0 || matches!(shelves, Shelves::Stalls([])) {
        return Ok(Vec::new());
    }
    let top = top_of_each_shelf(shelves, per_shelf);
    let rows = product::Entity::find()
        .from_raw_sql(db.get_database_backend().build(&top))
        .all(db)
        .await
        .map_err(backend)?;
    let stall_ids: Vec<_> = rows
        .iter()
        .map(|r| app::domain::id::StallId::new(r.stall_id))
        .collect();
    let stalls = super::stalls::by_ids(db, &stall_ids).await?;
    let products = with_photos(db, rows).await?;
    Ok(products
        .into_iter()
        .filter_map(|p| stalls.get(&p.stall_id).cloned().map(|s| (p, s)))
        .collect())
}

/// Whether the product has a photo.
fn has_photo() -> Expr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(product_photo::Entity)
            .and_where(
                Expr::col((product_photo::Entity, product_photo::Column::ProductId))
                    .equals((product::Entity, product::Column::Id)),
            )
            .to_owned(),
    )
}

/// The rows of the products on each shelf, best first.
fn top_of_each_shelf(shelves: Shelves<'_>, per_shelf: u64) -> SelectStatement {
    let has_photo = has_photo();
    let mut candidates = product::Entity::find()
        .join(JoinType::InnerJoin, product_stall())
        .filter(product::Column::Published.eq(true))
        .filter(stall::Column::Status.eq(StallStatus::Approved.slug()))
        .filter(
            product::Column::Stock
                .is_null()
                .or(product::Column::Stock.gt(0)),
        );
    // The shelf a product goes on; none for OCOP's single shelf.
    let shelf = match shelves {
        Shelves::Markets => {
            candidates = candidates.filter(stall::Column::Market.is_not_null());
            Some(Expr::col((stall::Entity, stall::Column::Market)))
        }
        Shelves::Ocop => {
            candidates = candidates.filter(product::Column::OcopStars.is_not_null());
            None
        }
        Shelves::Stalls(ids) => {
            // A card's thumbnails are photos: a product without one has nothing to show there.
            candidates = candidates
                .filter(product::Column::StallId.is_in(ids.iter().map(|id| id.get())))
                .filter(has_photo.clone());
            Some(Expr::col((product::Entity, product::Column::StallId)))
        }
    };
    // First each product's rank within its stall, so a shelf takes one product from each of
    // several stalls before a second from any of them.
    let mut in_stall = WindowStatement::partition_by((product::Entity, product::Column::StallId));
    in_stall
        .order_by_expr(has_photo.clone(), Order::Desc)
        .order_by((product::Entity, product::Column::Id), Order::Desc);
    let mut spread = candidates
        .into_query()
        .expr_as(has_photo, Alias::new(WITH_PHOTO))
        .expr_window_as(Expr::cust("ROW_NUMBER()"), in_stall, Alias::new(STALL_RANK))
        .to_owned();
    let mut on_shelf = WindowStatement::new();
    if let Some(shelf) = shelf {
        spread.expr_as(shelf, Alias::new(SHELF));
        on_shelf.partition_by(Alias::new(SHELF));
    }
    on_shelf
        .order_by(Alias::new(WITH_PHOTO), Order::Desc)
        .order_by(Alias::new(STALL_RANK), Order::Asc)
        .order_by(Alias::new("id"), Order::Desc);
    let ranked = Query::select()
        .column(Asterisk)
        .from_subquery(spread, Alias::new("spread"))
        .expr_window_as(Expr::cust("ROW_NUMBER()"), on_shelf, Alias::new(RANK))
        .to_owned();
    Query::select()
        .column(Asterisk)
        .from_subquery(ranked, Alias::new("ranked"))
        .and_where(Expr::col(Alias::new(RANK)).lte(per_shelf))
        .order_by(Alias::new(RANK), Order::Asc)
        .to_owned()
}
