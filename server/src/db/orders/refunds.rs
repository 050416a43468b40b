//! Card payments owed back to shoppers, as an outbox. A refund becomes due in the transaction
//! that makes it owed: a card payment reaching orders no longer awaiting it
//! (`card_events.rs`), or a card-paid order cancelled (`moves.rs`). A worker then claims it for
//! a while, asks the processor with the refund's own idempotency key, and records the answer:
//! made, to try again later, or given up on for an administrator to see.
use super::{OrderStore, backend};
use crate::db::entities::{card_refund, order};
use app::domain::id::OrderId;
use app::domain::money::Dong;
use app::model::RefundProblem;
use app::ports::{RefundDue, StoreResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set,
};

/// Owes the card payment behind order `o` back to its shopper, once however often it is asked:
/// the idempotency key is the payment's and the order's. Returns whether it became due now.
pub(super) async fn owe(
    db: &impl ConnectionTrait,
    o: &order::Model,
    intent: &str,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let inserted = card_refund::Entity::insert(card_refund::ActiveModel {
        order_id: Set(o.id),
        payment_intent: Set(intent.to_owned()),
        amount: Set(o.total),
        idempotency_key: Set(format!("refund-{intent}-order-{}", o.id)),
        requested_at: Set(at),
        refunded_at: Set(None),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(card_refund::Column::IdempotencyKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map_err(backend)?;
    Ok(inserted == 1)
}

pub(super) async fn claim_refunds(
    store: &OrderStore,
    until: DateTime<Utc>,
    limit: u64,
    only: Option<OrderId>,
) -> StoreResult<Vec<RefundDue>> {
    let now = store.1.now();
    let txn = crate::db::write_txn(&store.0).await?;
    // PostgreSQL: rows another worker is claiming right now are skipped, not waited for.
    // SQLite: the write transaction is the only one, so nobody claims in between.
    let free = card_refund::Entity::find()
        .filter(card_refund::Column::RefundedAt.is_null())
        .filter(card_refund::Column::GaveUpAt.is_null())
        .filter(
            Condition::any()
                .add(card_refund::Column::ClaimedUntil.is_null())
                .add(card_refund::Column::ClaimedUntil.lte(now)),
        )
        .apply_if(only, |q, order| {
            q.filter(card_refund::Column::OrderId.eq(order.get()))
        })
        .order_by_asc(card_refund::Column::Id)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .all(&txn)
        .await
        .map_err(backend)?;
    let mut claimed = Vec::with_capacity(free.len());
    for row in free {
        let attempts = row.attempts + 1;
        let mut active: card_refund::ActiveModel = row.clone().into();
        active.attempts = Set(attempts);
        active.claimed_until = Set(Some(until));
        active.update(&txn).await.map_err(backend)?;
        claimed.push(RefundDue {
            id: row.id,
            order_id: OrderId::new(row.order_id),
            payment_intent: row.payment_intent,
            amount: Dong::new(row.amount),
            idempotency_key: row.idempotency_key,
            attempt: u32::try_from(attempts).unwrap_or(u32::MAX),
        });
    }
    txn.commit().await.map_err(backend)?;
    Ok(claimed)
}

pub(super) async fn refund_made(store: &OrderStore, id: i64) -> StoreResult<()> {
    card_refund::Entity::update_many()
        .col_expr(
            card_refund::Column::RefundedAt,
            Expr::value(Some(store.1.now())),
        )
        .col_expr(
            card_refund::Column::ClaimedUntil,
            Expr::value(None::<DateTime<Utc>>),
        )
        .col_expr(card_refund::Column::LastError, Expr::value(None::<String>))
        .filter(card_refund::Column::Id.eq(id))
        .filter(card_refund::Column::RefundedAt.is_null())
        .exec(&store.0)
        .await
        .map_err(backend)?;
    Ok(())
}

pub(super) async fn refund_failed(
    store: &OrderStore,
    id: i64,
    reason: &str,
    retry_at: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    let gave_up = retry_at.is_none().then(|| store.1.now());
    card_refund::Entity::update_many()
        .col_expr(card_refund::Column::LastError, Expr::value(Some(reason)))
        .col_expr(card_refund::Column::ClaimedUntil, Expr::value(retry_at))
        .col_expr(card_refund::Column::GaveUpAt, Expr::value(gave_up))
        .filter(card_refund::Column::Id.eq(id))
        .filter(card_refund::Column::RefundedAt.is_null())
        .exec(&store.0)
        .await
        .map_err(backend)?;
    Ok(())
}

pub(super) async fn refunds_given_up(store: &OrderStore) -> StoreResult<Vec<RefundProblem>> {
    let rows = card_refund::Entity::find()
        .filter(card_refund::Column::RefundedAt.is_null())
        .filter(card_refund::Column::GaveUpAt.is_not_null())
        .order_by_desc(card_refund::Column::Id)
        .all(&store.0)
        .await
        .map_err(backend)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.order_id).collect();
    let codes: std::collections::HashMap<i64, String> =
        crate::db::find_in::<order::Entity, _>(&store.0, order::Column::Id, &ids, |q| q)
            .await?
            .into_iter()
            .map(|o| (o.id, o.code))
            .collect();
    Ok(rows
        .into_iter()
        .map(|r| RefundProblem {
            order_code: codes.get(&r.order_id).cloned().unwrap_or_default(),
            amount: Dong::new(r.amount),
            attempts: u32::try_from(r.attempts).unwrap_or(0),
            reason: r.last_error.unwrap_or_default(),
            requested_at: r.requested_at,
            gave_up_at: r.gave_up_at.unwrap_or(r.requested_at),
        })
        .collect())
}
