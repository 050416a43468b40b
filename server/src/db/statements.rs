use super::entities::{order, statement_line};
use super::{backend, stored};
use app::domain::id::{StallId, UserId};
use app::domain::money::Dong;
use app::domain::order::{OrderActor, OrderMove, OrderStatus, find_order_codes, transition};
use app::model::{StatementLine, StatementMatch};
use app::ports::{StatementEntry, StatementOutcome, Statements, StoreError, StoreResult};
use async_trait::async_trait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Imported statement lines, and the hub told of each order a line paid once committed.
pub struct StatementStore(
    pub DatabaseConnection,
    pub app::ports::Clock,
    pub crate::live::Hub,
);

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
        uploader: UserId,
        stall: Option<StallId>,
        entries: &[StatementEntry],
    ) -> StoreResult<Vec<StatementOutcome>> {
        let uploader = uploader.get();
        let stall = stall.map(StallId::get);
        let mut outcomes = Vec::with_capacity(entries.len());
        for entry in entries {
            // One transaction per line: a line and the order it pays change together.
            let txn = super::write_txn(&self.0).await?;
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
            let (outcome, paid) =
                pay_named(&txn, entry, stall, uploader, line_id, self.1.now()).await?;
            txn.commit().await.map_err(backend)?;
            if let Some(id) = paid {
                self.2
                    .orders_changed(&[app::domain::id::OrderId::new(id)])
                    .await;
            }
            outcomes.push(StatementOutcome::Imported(outcome));
        }
        Ok(outcomes)
    }

    async fn lines_of(
        &self,
        uploader: UserId,
        stall: Option<StallId>,
    ) -> StoreResult<Vec<StatementLine>> {
        let uploader = uploader.get();
        let stall = stall.map(StallId::get);
        let rows = statement_line::Entity::find()
            .filter(statement_line::Column::UploadedBy.eq(uploader))
            .order_by_desc(statement_line::Column::Id)
            .all(&self.0)
            .await
            .map_err(backend)?;
        // The orders the lines name, paid by them or not, in one query: a line that paid
        // nothing but names a paid order with its amount is told apart from a stranger's.
        let codes: Vec<String> = rows
            .iter()
            .flat_map(|r| find_order_codes(&r.description))
            .collect();
        let named: HashMap<String, order::Model> = super::find_in::<order::Entity, _>(
            &self.0,
            order::Column::Code,
            &codes,
            |q| match stall {
                Some(stall) => q.filter(order::Column::StallId.eq(stall)),
                None => q,
            },
        )
        .await?
        .into_iter()
        .map(|o| (o.code.clone(), o))
        .collect();
        let paid: Vec<i64> = rows.iter().filter_map(|r| r.matched_order_id).collect();
        let paid: HashMap<i64, String> =
            super::find_in::<order::Entity, _>(&self.0, order::Column::Id, &paid, |q| q)
                .await?
                .into_iter()
                .map(|o| (o.id, o.code))
                .collect();
        rows.into_iter()
            .map(|r| {
                let outcome = match r.matched_order_id.and_then(|id| paid.get(&id)) {
                    Some(code) => StatementMatch::Paid(code.clone()),
                    None => already_paid(&r, &named)?,
                };
                Ok(StatementLine {
                    booked_on: r.booked_on,
                    amount: Dong::new(r.amount),
                    description: r.description,
                    outcome,
                })
            })
            .collect()
    }
}

/// The orders whose codes `description` holds, in the order the codes appear; with `stall`,
/// only that stall's.
async fn orders_named(
    db: &impl ConnectionTrait,
    description: &str,
    stall: Option<i64>,
) -> StoreResult<Vec<order::Model>> {
    let codes = find_order_codes(description);
    let mut found =
        super::find_in::<order::Entity, _>(db, order::Column::Code, &codes, |q| match stall {
            Some(stall) => q.filter(order::Column::StallId.eq(stall)),
            None => q,
        })
        .await?;
    found.sort_by_key(|o| codes.iter().position(|c| *c == o.code));
    Ok(found)
}

/// Pays the first order the line names, with its amount, that its payment may confirm, in the
/// line's transaction `txn`; says what the line did, and the id of the order it paid.
async fn pay_named(
    txn: &DatabaseTransaction,
    entry: &StatementEntry,
    stall: Option<i64>,
    uploader: i64,
    line_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> StoreResult<(StatementMatch, Option<i64>)> {
    let mut outcome = StatementMatch::Unmatched;
    for o in orders_named(txn, &entry.description, stall).await? {
        if o.total != entry.amount.amount() {
            continue;
        }
        let from = stored::<OrderStatus>("orders.status", &o.status)?;
        let Ok(to) = transition(
            OrderActor::Statement,
            OrderMove::ConfirmPayment,
            from,
            stored("orders.method", &o.method)?,
            stored("orders.fulfilment", &o.fulfilment)?,
        ) else {
            // Told apart from a stranger's transfer: the vendor may have to give
            // money back. A later code of the same line may still be payable.
            if from.is_paid() && !matches!(outcome, StatementMatch::AlreadyPaid(_)) {
                outcome = StatementMatch::AlreadyPaid(o.code);
            }
            continue;
        };
        // In a savepoint: an expired order whose goods were sold meanwhile is not
        // revived, and the line stays, as money to give back.
        let revival = txn.begin().await.map_err(backend)?;
        let shifted = super::orders::shift(
            &revival,
            o.id,
            from,
            to,
            OrderActor::Statement,
            Some(uploader),
            now,
        )
        .await;
        match shifted {
            Ok(()) => revival.commit().await.map_err(backend)?,
            Err(StoreError::OutOfStock(_)) => {
                revival.rollback().await.map_err(backend)?;
                outcome = StatementMatch::Expired(o.code);
                continue;
            }
            Err(other) => return Err(other),
        }
        let mut line: statement_line::ActiveModel = statement_line::Entity::find_by_id(line_id)
            .one(txn)
            .await
            .map_err(backend)?
            .ok_or(app::ports::StoreError::NotFound)?
            .into();
        line.matched_order_id = Set(Some(o.id));
        line.update(txn).await.map_err(backend)?;
        return Ok((StatementMatch::Paid(o.code), Some(o.id)));
    }
    Ok((outcome, None))
}

/// What an imported line that paid nothing says about the orders it names: the first one
/// with the line's amount that is paid makes it "already paid", or failing that one that
/// expired (its goods sold meanwhile) makes it "expired": money to give back, either way.
fn already_paid(
    line: &statement_line::Model,
    named: &HashMap<String, order::Model>,
) -> StoreResult<StatementMatch> {
    let mut outcome = StatementMatch::Unmatched;
    for code in find_order_codes(&line.description) {
        let Some(o) = named.get(&code).filter(|o| o.total == line.amount) else {
            continue;
        };
        match stored::<OrderStatus>("orders.status", &o.status)? {
            status if status.is_paid() => return Ok(StatementMatch::AlreadyPaid(o.code.clone())),
            OrderStatus::Expired if outcome == StatementMatch::Unmatched => {
                outcome = StatementMatch::Expired(o.code.clone());
            }
            _ => {}
        }
    }
    Ok(outcome)
}
