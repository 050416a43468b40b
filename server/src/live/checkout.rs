//! A checkout as its live page watches it: each order's status and the money the bank
//! reported towards it, in two indexed queries.
use super::Snapshot;
use crate::db::backend;
use crate::db::entities::{checkout, order};
use app::domain::id::{CheckoutId, OrderId};
use app::domain::money::Dong;
use app::model::{CheckoutState, LiveOrder};
use app::ports::StoreResult;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};

/// The checkout whose unguessable link is `token`.
pub async fn checkout_of(db: &DatabaseConnection, token: &str) -> StoreResult<Option<CheckoutId>> {
    let id: Option<i64> = checkout::Entity::find()
        .select_only()
        .column(checkout::Column::Id)
        .filter(checkout::Column::Token.eq(token))
        .into_tuple()
        .one(db)
        .await
        .map_err(backend)?;
    Ok(id.map(CheckoutId::new))
}

pub(super) async fn snapshot(
    db: &DatabaseConnection,
    id: CheckoutId,
) -> StoreResult<Option<Snapshot>> {
    let orders: Vec<(i64, String, String)> = order::Entity::find()
        .select_only()
        .columns([
            order::Column::Id,
            order::Column::Code,
            order::Column::Status,
        ])
        .filter(order::Column::CheckoutId.eq(id.get()))
        .into_tuple()
        .all(db)
        .await
        .map_err(backend)?;
    if orders.is_empty() {
        return Ok(None);
    }
    let ids: Vec<i64> = orders.iter().map(|(id, _, _)| *id).collect();
    let received = crate::db::bank::received_towards(db, &ids).await?;
    let state = CheckoutState::new(
        orders
            .into_iter()
            .map(|(id, code, status)| {
                Ok(LiveOrder {
                    code,
                    status: crate::db::stored("orders.status", &status)?,
                    received: Dong::new(received.get(&id).copied().unwrap_or_default()),
                })
            })
            .collect::<StoreResult<_>>()?,
    );
    Ok(Some(Snapshot {
        data: serde_json::to_string(&state).map_err(backend)?,
        orders: ids.into_iter().map(OrderId::new).collect(),
    }))
}
