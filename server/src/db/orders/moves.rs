//! Moving an order from one status to another: compare-and-set on the status, the stock and
//! the ledger kept in step with it, and the move written into the order's history.
use super::attempts::close_stale_attempt;
use super::credit::take_back_credit;
use super::history::event;
use super::{OrderStore, backend};
use crate::db::entities::{order, order_line, product};
use app::domain::id::{CheckoutId, OrderId};
use app::domain::order::{OrderActor, OrderStatus};
use app::ports::{StoreError, StoreResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

pub(super) async fn move_order(
    store: &OrderStore,
    id: i64,
    from: OrderStatus,
    to: OrderStatus,
    actor: OrderActor,
    actor_user_id: Option<i64>,
) -> StoreResult<Option<String>> {
    let txn = crate::db::write_txn(&store.0).await?;
    let o = order::Entity::find_by_id(id)
        .one(&txn)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound)?;
    shift(&txn, id, from, to, actor, actor_user_id, store.1.now()).await?;
    let stale = close_stale_attempt(&txn, o.checkout_id, None).await?;
    txn.commit().await.map_err(backend)?;
    store
        .2
        .order_moved(CheckoutId::new(o.checkout_id), OrderId::new(id))
        .await;
    Ok(stale)
}

/// Moves an order inside the caller's transaction: compare-and-set on the status, stock given
/// back or taken again as the order stops or starts holding it, and the change recorded.
pub(crate) async fn shift(
    db: &impl ConnectionTrait,
    id: i64,
    from: OrderStatus,
    to: OrderStatus,
    actor: OrderActor,
    user: Option<i64>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let moved = order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::value(to.slug()))
        .col_expr(order::Column::UpdatedAt, Expr::value(at))
        .filter(order::Column::Id.eq(id))
        .filter(order::Column::Status.eq(from.slug()))
        .exec(db)
        .await
        .map_err(backend)?;
    if moved.rows_affected != 1 {
        return Err(StoreError::Stale);
    }
    match (from.holds_stock(), to.holds_stock()) {
        (true, false) => restock(db, id, 1).await?,
        (false, true) => restock(db, id, -1).await?,
        _ => {}
    }
    if from.is_paid() && to == OrderStatus::Cancelled {
        // The credit taken back and the refund owed in the move's own transaction: the
        // shopper's money goes back only for an order that really was cancelled, and always.
        take_back_credit(db, id, at).await?;
        let o = order::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?;
        if let Some(intent) = o.payment_intent.clone() {
            super::refunds::owe(db, &o, &intent, at).await?;
        }
    }
    event(db, id, from, to, actor, user, at).await
}

/// Gives an order's stock back (`sign` 1), or takes it again (`sign` -1) for an expired order
/// a late transfer revives — only if it is still there: goods sold to someone else meanwhile
/// are [`StoreError::OutOfStock`], and the caller's transaction must not commit (the transfer
/// is then money to give back). A stock never goes below zero, so stock left, held and sold
/// always add up to what was received.
async fn restock(db: &impl ConnectionTrait, order_id: i64, sign: i64) -> StoreResult<()> {
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order_id))
        .all(db)
        .await
        .map_err(backend)?;
    for line in lines {
        let change = sign * line.quantity;
        let taken = product::Entity::update_many()
            .col_expr(
                product::Column::Stock,
                Expr::col(product::Column::Stock).add(change),
            )
            .filter(product::Column::Id.eq(line.product_id))
            .filter(product::Column::Stock.is_not_null())
            .filter(product::Column::Stock.gte(-std::cmp::min(change, 0)))
            .exec(db)
            .await
            .map_err(backend)?;
        if taken.rows_affected == 0 && sign < 0 {
            let limited = product::Entity::find_by_id(line.product_id)
                .one(db)
                .await
                .map_err(backend)?
                .is_some_and(|p| p.stock.is_some());
            if limited {
                return Err(StoreError::OutOfStock(line.name.clone()));
            }
        }
    }
    Ok(())
}
