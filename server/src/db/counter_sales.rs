//! Sales at the stall itself. Each takes the stall's next number, checked by a unique index
//! so two recorded at once never share a code; the form's token, unique per stall too, makes
//! a second tap return the sale the first one recorded.
use super::entities::counter_sale;
use super::{backend, stored};
use app::domain::counter_sale::{CounterSale, SaleCode, SaleStatus, SaleWay};
use app::domain::id::StallId;
use app::domain::money::Dong;
use app::domain::submission::Submission;
use app::ports::{CounterSales, NewCounterSale, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

pub struct CounterSaleStore(pub DatabaseConnection, pub app::ports::Clock);

/// How many times recording a sale is tried when another took the number it chose.
const RECORD_RUNS: u32 = 3;

/// Counter sales as the pages read them, with what reported transfers paid towards each.
pub(crate) async fn read(
    db: &impl ConnectionTrait,
    rows: Vec<counter_sale::Model>,
) -> StoreResult<Vec<CounterSale>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let received = super::bank::received_at_counter(db, &ids).await?;
    rows.into_iter()
        .map(|row| {
            Ok(CounterSale {
                code: SaleCode::new(u32::try_from(row.seq).map_err(backend)?),
                way: stored("counter_sales.way", &row.way)?,
                status: stored("counter_sales.status", &row.status)?,
                amount: Dong::new(row.amount),
                received: Dong::new(received.get(&row.id).copied().unwrap_or_default()),
                created_at: row.created_at,
                paid_at: row.paid_at,
            })
        })
        .collect()
}

async fn by_seq(
    db: &impl ConnectionTrait,
    stall: StallId,
    code: SaleCode,
) -> StoreResult<Option<counter_sale::Model>> {
    counter_sale::Entity::find()
        .filter(counter_sale::Column::StallId.eq(stall.get()))
        .filter(counter_sale::Column::Seq.eq(i64::from(code.seq())))
        .one(db)
        .await
        .map_err(backend)
}

async fn by_submission(
    db: &impl ConnectionTrait,
    stall: StallId,
    submission: &Submission,
) -> StoreResult<Option<counter_sale::Model>> {
    counter_sale::Entity::find()
        .filter(counter_sale::Column::StallId.eq(stall.get()))
        .filter(counter_sale::Column::Submission.eq(submission.as_str()))
        .one(db)
        .await
        .map_err(backend)
}

async fn one(db: &impl ConnectionTrait, row: counter_sale::Model) -> StoreResult<CounterSale> {
    read(db, vec![row])
        .await?
        .pop()
        .ok_or_else(|| backend(sea_orm::DbErr::RecordNotFound("counter sale".into())))
}

/// Adds a sale of `stall` with its next number, in the caller's transaction. `submission` is
/// `None` for a sale the placard's code brought in.
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    stall: StallId,
    way: SaleWay,
    amount: Dong,
    submission: Option<&Submission>,
    now: DateTime<Utc>,
) -> StoreResult<counter_sale::Model> {
    let last: Option<i64> = counter_sale::Entity::find()
        .select_only()
        .column_as(counter_sale::Column::Seq.max(), "seq")
        .filter(counter_sale::Column::StallId.eq(stall.get()))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await
        .map_err(backend)?
        .flatten();
    let status = match (way, submission) {
        (SaleWay::Transfer, Some(_)) => SaleStatus::AwaitingTransfer,
        // Cash in hand, or a transfer that has already landed through the placard.
        _ => SaleStatus::Paid,
    };
    counter_sale::ActiveModel {
        stall_id: Set(stall.get()),
        seq: Set(last.unwrap_or(0) + 1),
        way: Set(way.slug().to_string()),
        status: Set(status.slug().to_string()),
        amount: Set(amount.amount()),
        submission: Set(submission.map(|s| s.as_str().to_string())),
        created_at: Set(now),
        paid_at: Set((status == SaleStatus::Paid).then_some(now)),
        link_tried_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|err| super::store_error(err, "counter_sale"))
}

/// Moves the stall's sale `id` from waiting to `to`, in the caller's transaction;
/// [`StoreError::Stale`] when it no longer waits.
pub(crate) async fn settle_row(
    db: &impl ConnectionTrait,
    id: i64,
    to: SaleStatus,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let paid_at = (to == SaleStatus::Paid).then_some(now);
    let moved = counter_sale::Entity::update_many()
        .col_expr(counter_sale::Column::Status, Expr::value(to.slug()))
        .col_expr(counter_sale::Column::PaidAt, Expr::value(paid_at))
        .filter(counter_sale::Column::Id.eq(id))
        .filter(counter_sale::Column::Status.eq(SaleStatus::AwaitingTransfer.slug()))
        .exec(db)
        .await
        .map_err(backend)?;
    match moved.rows_affected {
        1 => Ok(()),
        _ => Err(StoreError::Stale),
    }
}

#[async_trait]
impl CounterSales for CounterSaleStore {
    async fn record(&self, sale: &NewCounterSale) -> StoreResult<CounterSale> {
        let now = self.1.now();
        let mut runs = 0;
        loop {
            runs += 1;
            let txn = super::write_txn(&self.0).await?;
            if let Some(earlier) = by_submission(&txn, sale.stall, &sale.submission).await? {
                return one(&txn, earlier).await;
            }
            let inserted = insert(
                &txn,
                sale.stall,
                sale.way,
                sale.amount,
                Some(&sale.submission),
                now,
            )
            .await;
            match inserted {
                Ok(row) => {
                    let recorded = one(&txn, row).await?;
                    txn.commit().await.map_err(backend)?;
                    return Ok(recorded);
                }
                // Another sale took the number, or the same form was posted at the same
                // moment: look again.
                Err(StoreError::Taken(_)) if runs < RECORD_RUNS => continue,
                Err(err) => return Err(err),
            }
        }
    }

    async fn get(&self, stall: StallId, code: SaleCode) -> StoreResult<Option<CounterSale>> {
        match by_seq(&self.0, stall, code).await? {
            Some(row) => one(&self.0, row).await.map(Some),
            None => Ok(None),
        }
    }

    async fn settle(&self, stall: StallId, code: SaleCode, paid: bool) -> StoreResult<CounterSale> {
        let row = by_seq(&self.0, stall, code)
            .await?
            .ok_or(StoreError::NotFound)?;
        let to = if paid {
            SaleStatus::Paid
        } else {
            SaleStatus::Cancelled
        };
        settle_row(&self.0, row.id, to, self.1.now()).await?;
        let row = by_seq(&self.0, stall, code)
            .await?
            .ok_or(StoreError::NotFound)?;
        one(&self.0, row).await
    }

    async fn of_stall(
        &self,
        stall: StallId,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<CounterSale>> {
        let rows = counter_sale::Entity::find()
            .filter(counter_sale::Column::StallId.eq(stall.get()))
            .filter(counter_sale::Column::CreatedAt.gte(since))
            .order_by_desc(counter_sale::Column::Seq)
            .all(&self.0)
            .await
            .map_err(backend)?;
        read(&self.0, rows).await
    }

    async fn may_ask_for_link(
        &self,
        stall: StallId,
        code: SaleCode,
        every: chrono::TimeDelta,
    ) -> StoreResult<bool> {
        let now = self.1.now();
        let tried = counter_sale::Column::LinkTriedAt;
        let marked = counter_sale::Entity::update_many()
            .col_expr(tried, Expr::value(Some(now)))
            .filter(counter_sale::Column::StallId.eq(stall.get()))
            .filter(counter_sale::Column::Seq.eq(i64::from(code.seq())))
            .filter(counter_sale::Column::Status.eq(SaleStatus::AwaitingTransfer.slug()))
            .filter(
                sea_orm::Condition::any()
                    .add(tried.is_null())
                    .add(tried.lte(now - every)),
            )
            .exec(&self.0)
            .await
            .map_err(backend)?;
        Ok(marked.rows_affected == 1)
    }
}
