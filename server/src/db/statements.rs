use super::entities::{order, statement_line};
use super::{backend, stored};
use app::domain::money::Dong;
use app::domain::order::{OrderActor, OrderMove, OrderStatus, find_order_codes, transition};
use app::model::StatementLine;
use app::ports::{StatementEntry, StatementOutcome, Statements, StoreResult};
use async_trait::async_trait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub struct StatementStore(pub DatabaseConnection, pub app::ports::Clock);

/// What makes a line the same line when a statement is uploaded again.
fn fingerprint(uploader: i64, e: &StatementEntry) -> String {
    let mut hash = Sha256::new();
    hash.update(format!(
        "{uploader}|{}|{}|{}|{}",
        e.booked_on,
        e.amount.amount(),
        e.description.trim(),
        e.occurrence
    ));
    hex::encode(hash.finalize())
}

#[async_trait]
impl Statements for StatementStore {
    async fn import(
        &self,
        uploader: i64,
        stall: Option<i64>,
        entries: &[StatementEntry],
    ) -> StoreResult<Vec<StatementOutcome>> {
        let mut outcomes = Vec::with_capacity(entries.len());
        for entry in entries {
            // One transaction per line: a line and the order it pays change together.
            let txn = self.0.begin().await.map_err(backend)?;
            let inserted = statement_line::Entity::insert(statement_line::ActiveModel {
                fingerprint: Set(fingerprint(uploader, entry)),
                uploaded_by: Set(uploader),
                booked_on: Set(entry.booked_on),
                amount: Set(entry.amount.amount()),
                description: Set(entry.description.clone()),
                matched_order_id: Set(None),
                imported_at: Set(self.1.now()),
                ..Default::default()
            })
            .on_conflict(
                sea_orm::sea_query::OnConflict::column(statement_line::Column::Fingerprint)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_with_returning_keys(&txn)
            .await
            .map_err(backend)?;
            let Some(line_id) = inserted.into_iter().next() else {
                outcomes.push(StatementOutcome::AlreadyImported);
                continue;
            };
            let mut outcome = StatementOutcome::Unmatched;
            for code in find_order_codes(&entry.description) {
                let mut query = order::Entity::find()
                    .filter(order::Column::Code.eq(code.as_str()))
                    .filter(order::Column::Total.eq(entry.amount.amount()));
                if let Some(stall) = stall {
                    query = query.filter(order::Column::StallId.eq(stall));
                }
                let Some(o) = query.one(&txn).await.map_err(backend)? else {
                    continue;
                };
                let from = stored::<OrderStatus>("orders.status", &o.status)?;
                let Ok(to) = transition(
                    OrderActor::PaymentProvider,
                    OrderMove::ConfirmPayment,
                    from,
                    stored("orders.method", &o.method)?,
                    stored("orders.fulfilment", &o.fulfilment)?,
                ) else {
                    continue;
                };
                super::orders::shift(
                    &txn,
                    o.id,
                    from,
                    to,
                    OrderActor::PaymentProvider,
                    Some(uploader),
                    self.1.now(),
                )
                .await?;
                let mut line: statement_line::ActiveModel =
                    statement_line::Entity::find_by_id(line_id)
                        .one(&txn)
                        .await
                        .map_err(backend)?
                        .ok_or(app::ports::StoreError::NotFound)?
                        .into();
                line.matched_order_id = Set(Some(o.id));
                line.update(&txn).await.map_err(backend)?;
                outcome = StatementOutcome::Matched(o.code);
                break;
            }
            txn.commit().await.map_err(backend)?;
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    async fn lines_of(&self, uploader: i64) -> StoreResult<Vec<StatementLine>> {
        let rows = statement_line::Entity::find()
            .filter(statement_line::Column::UploadedBy.eq(uploader))
            .order_by_desc(statement_line::Column::Id)
            .all(&self.0)
            .await
            .map_err(backend)?;
        let ids: Vec<i64> = rows.iter().filter_map(|r| r.matched_order_id).collect();
        let codes: HashMap<i64, String> =
            super::find_in::<order::Entity, _>(&self.0, order::Column::Id, &ids, |q| q)
                .await?
                .into_iter()
                .map(|o| (o.id, o.code))
                .collect();
        Ok(rows
            .into_iter()
            .map(|r| StatementLine {
                booked_on: r.booked_on,
                amount: Dong::new(r.amount),
                description: r.description,
                matched_order: r.matched_order_id.and_then(|id| codes.get(&id).cloned()),
            })
            .collect())
    }
}
