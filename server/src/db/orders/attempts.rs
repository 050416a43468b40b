//! Card attempts: each try at paying a checkout's orders by card is one Checkout Session,
//! numbered on the checkout so that two requests never start the same attempt, and closed
//! once an order it charges no longer awaits payment; and the open sessions reconciliation
//! looks up at the processor.
use super::{OrderStore, backend, stored};
use crate::db::entities::{checkout, order};
use app::domain::id::OrderId;
use app::domain::order::OrderStatus;
use app::ports::{CardAttempt, OpenCardSession, StoreError, StoreResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashMap;

pub(super) async fn card_attempt(
    store: &OrderStore,
    token: &str,
) -> StoreResult<Option<CardAttempt>> {
    let c = checkout_by_token(&store.0, token).await?;
    if c.attempts == 0 {
        return Ok(None);
    }
    Ok(Some(CardAttempt {
        number: u32::try_from(c.attempts).map_err(backend)?,
        orders: attempt_orders(&c)?,
        expires_at: c.session_expires_at.unwrap_or(c.created_at),
        session: c.stripe_session_id.zip(c.payment_url),
    }))
}

pub(super) async fn begin_card_attempt(
    store: &OrderStore,
    token: &str,
    previous: u32,
    orders: &[OrderId],
    expires_at: DateTime<Utc>,
) -> StoreResult<(CardAttempt, Option<String>)> {
    let c = checkout_by_token(&store.0, token).await?;
    let number = previous.checked_add(1).ok_or(StoreError::Stale)?;
    // Compare-and-set on the attempt number: of two requests starting the next attempt at
    // once, one does and the other is told to look again.
    let begun = checkout::Entity::update_many()
        .col_expr(checkout::Column::Attempts, Expr::value(i64::from(number)))
        .col_expr(
            checkout::Column::SessionOrders,
            Expr::value(Some(order_list(orders))),
        )
        .col_expr(
            checkout::Column::SessionExpiresAt,
            Expr::value(Some(expires_at)),
        )
        .col_expr(
            checkout::Column::StripeSessionId,
            Expr::value(None::<String>),
        )
        .col_expr(checkout::Column::PaymentUrl, Expr::value(None::<String>))
        .filter(checkout::Column::Id.eq(c.id))
        .filter(checkout::Column::Attempts.eq(i64::from(previous)))
        .exec(&store.0)
        .await
        .map_err(backend)?;
    if begun.rows_affected != 1 {
        return Err(StoreError::Stale);
    }
    // The replaced attempt's session may take payments until it runs out.
    let replaced = c
        .stripe_session_id
        .filter(|_| c.session_orders.is_some())
        .filter(|_| c.session_expires_at.is_some_and(|at| at > store.1.now()));
    let attempt = CardAttempt {
        number,
        orders: orders.to_vec(),
        expires_at,
        session: None,
    };
    Ok((attempt, replaced))
}

pub(super) async fn record_card_session(
    store: &OrderStore,
    token: &str,
    attempt: &CardAttempt,
    session_id: &str,
    url: &str,
) -> StoreResult<bool> {
    let recorded = checkout::Entity::update_many()
        .col_expr(checkout::Column::StripeSessionId, Expr::value(session_id))
        .col_expr(checkout::Column::PaymentUrl, Expr::value(url))
        .filter(checkout::Column::Token.eq(token))
        .filter(checkout::Column::Attempts.eq(i64::from(attempt.number)))
        .filter(checkout::Column::SessionOrders.eq(order_list(&attempt.orders)))
        .exec(&store.0)
        .await
        .map_err(backend)?;
    Ok(recorded.rows_affected == 1)
}

async fn checkout_by_token(db: &impl ConnectionTrait, token: &str) -> StoreResult<checkout::Model> {
    checkout::Entity::find()
        .filter(checkout::Column::Token.eq(token))
        .one(db)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound)
}

/// The orders the checkout's latest card attempt charges (none once it closed).
pub(super) fn attempt_orders(c: &checkout::Model) -> StoreResult<Vec<OrderId>> {
    c.session_orders
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter(|id| !id.is_empty())
        .map(|id| stored("checkouts.session_orders", id))
        .collect()
}

/// Order ids as the checkout stores them: ascending, comma-separated.
fn order_list(ids: &[OrderId]) -> String {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.iter()
        .map(OrderId::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// Closes the checkout's open card attempt once an order it charges no longer awaits payment
/// (paid, cancelled or expired), so its session is neither offered nor paid again. Returns
/// that session for the caller to expire at the processor, unless it is `settled`: the session
/// an event has just reported finished.
pub(super) async fn close_stale_attempt(
    db: &impl ConnectionTrait,
    checkout_id: i64,
    settled: Option<&str>,
) -> StoreResult<Option<String>> {
    let c = checkout::Entity::find_by_id(checkout_id)
        .one(db)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound)?;
    let Some(list) = c.session_orders.clone() else {
        return Ok(None);
    };
    let charged = attempt_orders(&c)?;
    let awaiting = order::Entity::find()
        .filter(order::Column::Id.is_in(charged.iter().map(|id| id.get())))
        .filter(order::Column::Status.eq(OrderStatus::AwaitingPayment.slug()))
        .count(db)
        .await
        .map_err(backend)?;
    if usize::try_from(awaiting).ok() == Some(charged.len()) {
        return Ok(None);
    }
    // Compare-and-set: an attempt begun meanwhile is left alone.
    let closed = checkout::Entity::update_many()
        .col_expr(checkout::Column::SessionOrders, Expr::value(None::<String>))
        .col_expr(
            checkout::Column::StripeSessionId,
            Expr::value(None::<String>),
        )
        .col_expr(checkout::Column::PaymentUrl, Expr::value(None::<String>))
        .filter(checkout::Column::Id.eq(c.id))
        .filter(checkout::Column::Attempts.eq(c.attempts))
        .filter(checkout::Column::SessionOrders.eq(list))
        .exec(db)
        .await
        .map_err(backend)?;
    if closed.rows_affected != 1 {
        return Ok(None);
    }
    Ok(c.stripe_session_id.filter(|s| Some(s.as_str()) != settled))
}

pub(super) async fn open_card_sessions(
    store: &OrderStore,
    due_before: DateTime<Utc>,
    checked_before: DateTime<Utc>,
    limit: u64,
) -> StoreResult<Vec<OpenCardSession>> {
    // Orders awaiting a card payment are few (they run out within the hour): read them all,
    // then their checkouts.
    let awaiting = order::Entity::find()
        .filter(order::Column::Status.eq(OrderStatus::AwaitingPayment.slug()))
        .all(&store.0)
        .await
        .map_err(backend)?;
    let mut runs_out: HashMap<i64, DateTime<Utc>> = HashMap::new();
    for o in &awaiting {
        runs_out.insert(o.id, o.expires_at);
    }
    let checkouts = checkout::Entity::find()
        .filter(checkout::Column::Id.is_in(awaiting.iter().map(|o| o.checkout_id)))
        .filter(checkout::Column::StripeSessionId.is_not_null())
        .filter(checkout::Column::SessionOrders.is_not_null())
        .all(&store.0)
        .await
        .map_err(backend)?;
    let mut open = Vec::new();
    for c in checkouts {
        let awaiting: Vec<OrderId> = attempt_orders(&c)?
            .into_iter()
            .filter(|id| runs_out.contains_key(&id.get()))
            .collect();
        let Some(first) = awaiting.iter().map(|id| runs_out[&id.get()]).min() else {
            continue;
        };
        let unchecked = c.card_checked_at.is_none_or(|at| at < checked_before);
        if let (Some(session), true) = (c.stripe_session_id, first < due_before || unchecked) {
            open.push((
                first,
                OpenCardSession {
                    token: c.token,
                    session,
                    awaiting,
                },
            ));
        }
    }
    open.sort_by_key(|(first, _)| *first);
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    Ok(open.into_iter().take(limit).map(|(_, s)| s).collect())
}

pub(super) async fn card_session_checked(
    store: &OrderStore,
    token: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    checkout::Entity::update_many()
        .col_expr(checkout::Column::CardCheckedAt, Expr::value(Some(at)))
        .filter(checkout::Column::Token.eq(token))
        .exec(&store.0)
        .await
        .map_err(backend)?;
    Ok(())
}
