//! An order's history: one line per move from one status to another, by whom and when, and
//! notes of what happened to it without moving it.
use super::backend;
use crate::db::entities::order_event;
use app::domain::order::{OrderActor, OrderStatus};
use app::ports::StoreResult;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

/// One line of an order's history: a move from one status to another, by whom and when.
struct OrderEventRow<'a> {
    order_id: i64,
    from: OrderStatus,
    to: OrderStatus,
    actor: OrderActor,
    user: Option<i64>,
    note: Option<&'a str>,
    at: DateTime<Utc>,
}

async fn insert_event(db: &impl ConnectionTrait, e: OrderEventRow<'_>) -> StoreResult<()> {
    order_event::ActiveModel {
        order_id: Set(e.order_id),
        from_status: Set(e.from.slug().to_string()),
        to_status: Set(e.to.slug().to_string()),
        actor: Set(e.actor.slug().to_string()),
        actor_user_id: Set(e.user),
        note: Set(e.note.map(str::to_owned)),
        at: Set(e.at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(backend)?;
    Ok(())
}

/// A move of an order, made by `actor` (signed in as `user`, if at all) at `at`.
pub(super) async fn event(
    db: &impl ConnectionTrait,
    order_id: i64,
    from: OrderStatus,
    to: OrderStatus,
    actor: OrderActor,
    user: Option<i64>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let row = OrderEventRow {
        order_id,
        from,
        to,
        actor,
        user,
        note: None,
        at,
    };
    insert_event(db, row).await
}

/// Something that happened to an order without moving it, noted in its history.
pub(super) async fn noted_event(
    db: &impl ConnectionTrait,
    order_id: i64,
    status: OrderStatus,
    actor: OrderActor,
    note: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let row = OrderEventRow {
        order_id,
        from: status,
        to: status,
        actor,
        user: None,
        note: Some(note),
        at,
    };
    insert_event(db, row).await
}
