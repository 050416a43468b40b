use super::backend;
use super::entities::{ledger_entry, stall};
use app::domain::id::{StallId, UserId};
use app::domain::money::Dong;
use app::model::StallBalance;
use app::ports::{Ledger, StoreError, StoreResult};
use async_trait::async_trait;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Set,
};
use std::collections::BTreeMap;

pub struct LedgerStore(pub DatabaseConnection, pub app::ports::Clock);

/// A transfer to the stall: recorded negative, as it reduces what is owed.
const SETTLEMENT: &str = "settlement";

#[async_trait]
impl Ledger for LedgerStore {
    async fn balances(&self) -> StoreResult<Vec<StallBalance>> {
        let entries = ledger_entry::Entity::find()
            .all(&self.0)
            .await
            .map_err(backend)?;
        let mut sums: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
        for e in entries {
            let (earned, settled) = sums.entry(e.stall_id).or_default();
            if e.kind == SETTLEMENT {
                *settled -= e.amount;
            } else {
                *earned += e.amount;
            }
        }
        let ids: Vec<i64> = sums.keys().copied().collect();
        let names: BTreeMap<i64, String> =
            super::find_in::<stall::Entity, _>(&self.0, stall::Column::Id, &ids, |q| q)
                .await?
                .into_iter()
                .map(|s| (s.id, s.name))
                .collect();
        Ok(sums
            .into_iter()
            .map(|(stall_id, (earned, settled))| StallBalance {
                stall_id: StallId::new(stall_id),
                stall_name: names.get(&stall_id).cloned().unwrap_or_default(),
                earned: Dong::new(earned),
                settled: Dong::new(settled),
                owed: Dong::new(earned - settled),
            })
            .collect())
    }

    async fn settle(
        &self,
        stall_id: StallId,
        amount: Dong,
        note: Option<String>,
        by: UserId,
    ) -> StoreResult<()> {
        let stall_id = stall_id.get();
        let by = by.get();
        let txn = super::write_txn(&self.0).await?;
        // Settlements of one stall queue on its row (PostgreSQL); SQLite's write transaction
        // already holds the only write lock. Either way no other settlement can come between
        // reading what is owed and recording this one.
        stall::Entity::find_by_id(stall_id)
            .lock_exclusive()
            .one(&txn)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?;
        let owed: i64 = ledger_entry::Entity::find()
            .filter(ledger_entry::Column::StallId.eq(stall_id))
            .all(&txn)
            .await
            .map_err(backend)?
            .iter()
            .map(|e| e.amount)
            .sum();
        if amount.amount() > owed {
            return Err(StoreError::MoreThanOwed(Dong::new(owed)));
        }
        ledger_entry::ActiveModel {
            stall_id: Set(stall_id),
            order_id: Set(None),
            kind: Set(SETTLEMENT.to_string()),
            amount: Set(-amount.amount()),
            note: Set(note),
            created_by: Set(Some(by)),
            at: Set(self.1.now()),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(backend)?;
        txn.commit().await.map_err(backend)
    }
}
