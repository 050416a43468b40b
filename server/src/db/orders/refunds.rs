//! Card payments owed back to shoppers: the payment behind an order, and the refunds due and
//! made. A refund becomes due when a card payment reaches orders no longer awaiting it
//! (`card_events.rs`).
use super::{OrderStore, backend};
use crate::db::entities::{card_refund, order};
use app::domain::id::OrderId;
use app::domain::money::Dong;
use app::ports::{RefundDue, StoreResult};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

pub(super) async fn card_payment_of(
    store: &OrderStore,
    order_id: i64,
) -> StoreResult<Option<String>> {
    Ok(order::Entity::find_by_id(order_id)
        .one(&store.0)
        .await
        .map_err(backend)?
        .and_then(|o| o.payment_intent))
}

pub(super) async fn refunds_due(store: &OrderStore) -> StoreResult<Vec<RefundDue>> {
    Ok(card_refund::Entity::find()
        .filter(card_refund::Column::RefundedAt.is_null())
        .order_by_asc(card_refund::Column::Id)
        .all(&store.0)
        .await
        .map_err(backend)?
        .into_iter()
        .map(|r| RefundDue {
            id: r.id,
            order_id: OrderId::new(r.order_id),
            payment_intent: r.payment_intent,
            amount: Dong::new(r.amount),
            idempotency_key: r.idempotency_key,
        })
        .collect())
}

pub(super) async fn refund_made(store: &OrderStore, id: i64) -> StoreResult<()> {
    card_refund::Entity::update_many()
        .col_expr(
            card_refund::Column::RefundedAt,
            Expr::value(Some(store.1.now())),
        )
        .filter(card_refund::Column::Id.eq(id))
        .filter(card_refund::Column::RefundedAt.is_null())
        .exec(&store.0)
        .await
        .map_err(backend)?;
    Ok(())
}
