//! What the ledger owes a stall for an order's card money: the sale credited when a card
//! payment settles the order, the platform's fee taken from it, and both taken back when the
//! paid order is cancelled and its money refunded.
use super::backend;
use crate::db::entities::ledger_entry;
use app::ports::StoreResult;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// The kinds of ledger entries an order's card money makes.
pub(super) const CARD_SALE: &str = "card_sale";
pub(super) const PLATFORM_FEE: &str = "platform_fee";
const CARD_REFUND: &str = "card_refund";

/// What the platform owes a stall for card payments it collected (or no longer owes).
pub(super) async fn ledger(
    db: &impl ConnectionTrait,
    stall_id: i64,
    order_id: i64,
    kind: &str,
    amount: i64,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    ledger_entry::ActiveModel {
        stall_id: Set(stall_id),
        order_id: Set(Some(order_id)),
        kind: Set(kind.to_string()),
        amount: Set(amount),
        note: Set(None),
        created_by: Set(None),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(backend)?;
    Ok(())
}

/// The ledger entries for a card-paid order that is cancelled, its money refunded: what the
/// ledger credited its stall for it (the sale less the platform's fee, whatever the fee was
/// then) is taken back, so the stall is owed nothing for it. A transfer order has no entries
/// and gets none.
pub(super) async fn take_back_credit(
    db: &impl ConnectionTrait,
    order_id: i64,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::OrderId.eq(order_id))
        .all(db)
        .await
        .map_err(backend)?;
    let credited: i64 = entries.iter().map(|e| e.amount).sum();
    match entries.first() {
        Some(entry) if credited != 0 => {
            ledger(db, entry.stall_id, order_id, CARD_REFUND, -credited, at).await
        }
        _ => Ok(()),
    }
}
