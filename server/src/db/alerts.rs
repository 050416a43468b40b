//! The payment alerts port on the database: what went wrong with the card processor's word.
use super::entities::payment_alert;
use super::{backend, stored};
use app::model::PaymentAlert;
use app::ports::{PaymentAlerts, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

pub struct AlertStore(pub DatabaseConnection);

/// The longest detail kept: a processor's message can be long, the page needs a line.
const MAX_DETAIL: usize = 500;

/// Writes `alert` on `db`: the store's own connection, or the transaction that found it.
pub(crate) async fn record(db: &impl ConnectionTrait, alert: &PaymentAlert) -> StoreResult<()> {
    let detail: String = alert.detail.chars().take(MAX_DETAIL).collect();
    payment_alert::ActiveModel {
        kind: Set(alert.kind.slug().to_owned()),
        reference: Set(alert.reference.clone()),
        detail: Set(detail),
        count: Set(i64::try_from(alert.count).unwrap_or(i64::MAX)),
        first_at: Set(alert.first_at),
        last_at: Set(alert.last_at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(backend)?;
    Ok(())
}

#[async_trait]
impl PaymentAlerts for AlertStore {
    async fn record(&self, alert: &PaymentAlert) -> StoreResult<()> {
        record(&self.0, alert).await
    }

    async fn since(&self, since: DateTime<Utc>, limit: u64) -> StoreResult<Vec<PaymentAlert>> {
        payment_alert::Entity::find()
            .filter(payment_alert::Column::LastAt.gt(since))
            .order_by_desc(payment_alert::Column::LastAt)
            .order_by_desc(payment_alert::Column::Id)
            .limit(limit)
            .all(&self.0)
            .await
            .map_err(backend)?
            .into_iter()
            .map(|row| {
                Ok(PaymentAlert {
                    kind: stored("payment_alerts.kind", &row.kind)?,
                    reference: row.reference,
                    detail: row.detail,
                    count: u64::try_from(row.count).unwrap_or_default(),
                    first_at: row.first_at,
                    last_at: row.last_at,
                })
            })
            .collect()
    }
}
