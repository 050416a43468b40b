//! Placing a checkout: its lines taken out of the cart, every line's stock reserved, the
//! checkout and one order per stall written with their lines and first history line, all in
//! one transaction.
use super::history::event;
use super::read::checkout_view;
use super::{OrderStore, backend};
use crate::db::entities::{cart_item, checkout, order, order_line, product};
use app::domain::id::UserId;
use app::domain::market::Weekday;
use app::domain::money::Dong;
use app::domain::order::Held;
use app::domain::order::{
    Fulfilment, OrderActor, OrderStatus, OrderToPlace, PaymentMethod, PricedLine, order_code,
};
use app::domain::phone::Phone;
use app::model::CheckoutView;
use app::ports::{HolderKeys, NewCheckout, StoreError, StoreResult};
use chrono::{DateTime, Datelike, Utc};
use sea_orm::PaginatorTrait;
use sea_orm::sea_query::Query;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
};

pub(super) async fn place(store: &OrderStore, new: NewCheckout) -> StoreResult<CheckoutView> {
    crate::db::retrying(|| place_once(store, &new)).await
}

async fn place_once(store: &OrderStore, new: &NewCheckout) -> StoreResult<CheckoutView> {
    let now = store.1.now();
    let txn = crate::db::write_txn(&store.0).await?;
    take_from_cart(&txn, new).await?;
    // Stock first: a sold-out line fails the checkout before anything is written. In product
    // order, so two checkouts of the same products lock their rows in the same order and never
    // wait on each other in a circle (a deadlock, on PostgreSQL).
    let mut lines: Vec<&PricedLine> = new
        .orders
        .iter()
        .flat_map(|o| o.draft.lines.iter())
        .collect();
    lines.sort_by_key(|line| line.product_id);
    for line in lines {
        reserve(&txn, line).await?;
    }
    let c = insert_checkout(&txn, new, now).await?;
    for order in &new.orders {
        insert_order(&txn, &c, new, order, now).await?;
    }
    txn.commit().await.map_err(backend)?;
    // The stock each stall's products show moved.
    store
        .2
        .pages()
        .stalls(new.orders.iter().map(|o| o.draft.stall_id));
    checkout_view(&store.0, c).await
}

/// Takes the ordered lines out of the cart, first: a second checkout of the same cart (a
/// double tap, two tabs) waits for this one and then finds them gone, so it is `Stale` and
/// orders nothing twice. A line added meanwhile for another product stays in the cart.
async fn take_from_cart(db: &impl ConnectionTrait, new: &NewCheckout) -> StoreResult<()> {
    let products: Vec<i64> = new
        .orders
        .iter()
        .flat_map(|o| o.draft.lines.iter().map(|l| l.product_id.get()))
        .collect();
    let taken = cart_item::Entity::delete_many()
        .filter(cart_item::Column::CartId.eq(new.cart_id.get()))
        .filter(cart_item::Column::ProductId.is_in(products.iter().copied()))
        .exec(db)
        .await
        .map_err(backend)?;
    if taken.rows_affected == products.len() as u64 {
        Ok(())
    } else {
        Err(StoreError::Stale)
    }
}

/// Takes `steps` of a product's stock if that many are left (unlimited stock always is), in
/// one conditional statement: concurrent buyers of the last units can't both get them.
async fn reserve(db: &impl ConnectionTrait, line: &PricedLine) -> StoreResult<()> {
    let steps = line.quantity.steps();
    let taken = product::Entity::update_many()
        .col_expr(
            product::Column::Stock,
            Expr::col(product::Column::Stock).sub(steps),
        )
        .filter(product::Column::Id.eq(line.product_id.get()))
        .filter(
            Condition::any()
                .add(product::Column::Stock.is_null())
                .add(product::Column::Stock.gte(steps)),
        )
        .exec(db)
        .await
        .map_err(backend)?;
    if taken.rows_affected == 1 {
        Ok(())
    } else {
        Err(StoreError::OutOfStock(line.name.clone()))
    }
}

/// The checkout: who buys, how the goods reach them, and the grand total. Its `method` is
/// `card` when some of its orders are paid by card, so it has card attempts, and `vietqr`
/// when every order is paid by transfer; each order keeps its own method.
async fn insert_checkout(
    db: &impl ConnectionTrait,
    new: &NewCheckout,
    now: DateTime<Utc>,
) -> StoreResult<checkout::Model> {
    let fulfilment = new.checkout.fulfilment;
    let total: Dong = new.orders.iter().map(|o| o.draft.total(fulfilment)).sum();
    let method = if new.orders.iter().any(|o| o.method == PaymentMethod::Card) {
        PaymentMethod::Card
    } else {
        PaymentMethod::VietQr
    };
    checkout::ActiveModel {
        token: Set(new.token.clone()),
        user_id: Set(new.user_id.map(UserId::get)),
        name: Set(new.checkout.name.clone()),
        phone: Set(new.checkout.phone.as_str().to_string()),
        fulfilment: Set(fulfilment.slug().to_string()),
        address: Set(new.checkout.address.clone()),
        note: Set(new.checkout.note.clone()),
        method: Set(method.slug().to_string()),
        total: Set(total.amount()),
        stripe_session_id: Set(None),
        stripe_payment_intent: Set(None),
        payment_url: Set(None),
        attempts: Set(0),
        session_orders: Set(None),
        session_expires_at: Set(None),
        created_at: Set(now),
        holder: Set(Some(new.holder.holder.clone())),
        client_addr: Set(new.holder.address.clone()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(backend)
}

/// One stall's order of the checkout `c`, coded from its id, with its lines and the first
/// line of its history: placed by the shopper, waiting until its method's deadline for the
/// payment that method promises.
async fn insert_order(
    db: &impl ConnectionTrait,
    c: &checkout::Model,
    new: &NewCheckout,
    order: &OrderToPlace,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let (draft, method) = (&order.draft, order.method);
    let fulfilment = new.checkout.fulfilment;
    let status = OrderStatus::initial(method);
    let pickup_date = new
        .pickup_dates
        .iter()
        .find(|(stall, _)| *stall == draft.stall_id)
        .map(|(_, date)| *date);
    // The weekday too, so the column keeps one meaning for every order.
    let pickup_day = pickup_date.map(|date| Weekday::of(date).slug().to_string());
    let row = order::ActiveModel {
        // The code is made from the id, known only after the insert.
        code: Set(format!("pending-{}", uuid::Uuid::new_v4().simple())),
        checkout_id: Set(c.id),
        stall_id: Set(draft.stall_id.get()),
        status: Set(status.slug().to_string()),
        method: Set(method.slug().to_string()),
        fulfilment: Set(fulfilment.slug().to_string()),
        pickup_day: Set(pickup_day),
        pickup_date: Set(pickup_date),
        subtotal: Set(draft.subtotal().amount()),
        delivery_fee: Set(match fulfilment {
            Fulfilment::Delivery => draft.delivery_fee.amount(),
            Fulfilment::Pickup => 0,
        }),
        total: Set(draft.total(fulfilment).amount()),
        expires_at: Set(new.expiry.deadline(method, now)),
        created_at: Set(now),
        updated_at: Set(now),
        payment_intent: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(backend)?;
    let mut active: order::ActiveModel = row.clone().into();
    active.code = Set(order_code(now.year(), row.id));
    active.update(db).await.map_err(backend)?;
    for line in &draft.lines {
        insert_line(db, row.id, line).await?;
    }
    event(
        db,
        row.id,
        status,
        status,
        OrderActor::Shopper,
        new.user_id.map(UserId::get),
        now,
    )
    .await
}

async fn insert_line(
    db: &impl ConnectionTrait,
    order_id: i64,
    line: &PricedLine,
) -> StoreResult<()> {
    order_line::ActiveModel {
        order_id: Set(order_id),
        product_id: Set(line.product_id.get()),
        name: Set(line.name.clone()),
        unit: Set(line.unit.slug().to_string()),
        unit_price: Set(line.unit_price.amount()),
        quantity: Set(line.quantity.steps()),
        total: Set(line.total.amount()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(backend)?;
    Ok(())
}

pub(super) async fn unpaid_held(
    store: &OrderStore,
    keys: &HolderKeys,
    phone: &Phone,
) -> StoreResult<Held> {
    let unpaid = || {
        Query::select()
            .column(order::Column::CheckoutId)
            .from(order::Entity)
            .and_where(order::Column::Status.is_in([
                OrderStatus::AwaitingPayment.slug(),
                OrderStatus::AwaitingTransfer.slug(),
            ]))
            .to_owned()
    };
    let count = |key: checkout::Column, value: String| {
        checkout::Entity::find()
            .filter(key.eq(value))
            .filter(checkout::Column::Id.in_subquery(unpaid()))
            .count(&store.0)
    };
    Ok(Held {
        session: count(checkout::Column::Holder, keys.holder.clone())
            .await
            .map_err(backend)?,
        phone: count(checkout::Column::Phone, phone.as_str().to_string())
            .await
            .map_err(backend)?,
        address: match &keys.address {
            Some(address) => count(checkout::Column::ClientAddr, address.clone())
                .await
                .map_err(backend)?,
            None => 0,
        },
    })
}
