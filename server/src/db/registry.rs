//! The vendor registry, its links to stalls, the report's targets and the reporting API's
//! tokens; and the facts the onboarding report is computed from.
use super::entities::{api_token, product, registry_entry, report_target, stall, user};
use super::stalls::to_stall;
use super::{backend, find_in, stored};
use app::domain::id::{StallId, UserId};
use app::domain::onboarding::{EntryFacts, Facts, Target, Targets};
use app::domain::phone::Phone;
use app::domain::registry::{RegistryRow, StallClues, likeness, ocop_products};
use app::domain::stall::StallStatus;
use app::model::{ApiToken, RegistryEntry, Stall, StallEntries, StallRef};
use app::ports::{ApiTokens, Clock, EntryFilter, ImportCounts, Registry, StoreError, StoreResult};
use async_trait::async_trait;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::{HashMap, HashSet};

pub struct RegistryStore(pub DatabaseConnection, pub Clock);
pub struct TokenStore(pub DatabaseConnection, pub Clock);

fn to_row(m: &registry_entry::Model) -> StoreResult<RegistryRow> {
    Ok(RegistryRow {
        external_id: m.external_id.clone(),
        kind: stored("registry_entries.kind", &m.kind)?,
        market: m
            .market
            .as_deref()
            .map(|v| stored("registry_entries.market", v))
            .transpose()?,
        stall_no: m.stall_no.clone(),
        name: m.name.clone(),
        entity_type: stored("registry_entries.entity_type", &m.entity_type)?,
        phone: m
            .phone
            .as_deref()
            .map(Phone::parse)
            .transpose()
            .map_err(backend)?,
        district: m.district.clone(),
        ocop_products: ocop_products(&m.ocop_products).map_err(backend)?,
    })
}

/// The columns of a checked row, as written to a new or existing entry.
fn fill(active: &mut registry_entry::ActiveModel, row: &RegistryRow) {
    active.external_id = Set(row.external_id.clone());
    active.kind = Set(row.kind.slug().to_string());
    active.market = Set(row.market.map(|m| m.slug().to_string()));
    active.stall_no = Set(row.stall_no.clone());
    active.name = Set(row.name.clone());
    active.entity_type = Set(row.entity_type.slug().to_string());
    active.phone = Set(row.phone.as_ref().map(|p| p.as_str().to_string()));
    active.district = Set(row.district.clone());
    active.ocop_products = Set(row.ocop_products_text());
}

/// Registry rows written per transaction. A whole province's file in one transaction would
/// hold SQLite's only write lock for seconds, and every checkout would wait behind it; a batch
/// of this size takes a few milliseconds.
const IMPORT_BATCH: usize = 200;

impl RegistryStore {
    /// Creates or updates one batch of rows by their external ids, in one write transaction.
    async fn import_batch(
        &self,
        rows: &[RegistryRow],
        counts: &mut ImportCounts,
    ) -> StoreResult<()> {
        let now = self.1.now();
        let txn = super::write_txn(&self.0).await?;
        let ids: Vec<String> = rows.iter().map(|r| r.external_id.clone()).collect();
        let mut existing: HashMap<String, registry_entry::Model> =
            find_in::<registry_entry::Entity, _>(
                &txn,
                registry_entry::Column::ExternalId,
                &ids,
                |q| q,
            )
            .await?
            .into_iter()
            .map(|m| (m.external_id.clone(), m))
            .collect();
        let mut new = Vec::new();
        for row in rows {
            match existing.remove(&row.external_id) {
                Some(old) if to_row(&old).ok().as_ref() == Some(row) => counts.unchanged += 1,
                Some(old) => {
                    let mut active: registry_entry::ActiveModel = old.into();
                    fill(&mut active, row);
                    active.updated_at = Set(now);
                    active.update(&txn).await.map_err(backend)?;
                    counts.updated += 1;
                }
                None => {
                    let mut active = registry_entry::ActiveModel {
                        registered_at: Set(now),
                        updated_at: Set(now),
                        ..Default::default()
                    };
                    fill(&mut active, row);
                    new.push(active);
                    counts.created += 1;
                }
            }
        }
        if !new.is_empty() {
            registry_entry::Entity::insert_many(new)
                .exec_without_returning(&txn)
                .await
                .map_err(backend)?;
        }
        txn.commit().await.map_err(backend)
    }

    async fn with_stalls(
        &self,
        rows: Vec<registry_entry::Model>,
    ) -> StoreResult<Vec<RegistryEntry>> {
        let ids: Vec<StallId> = rows
            .iter()
            .filter_map(|r| r.stall_id)
            .map(StallId::new)
            .collect();
        let stalls = super::stalls::by_ids(&self.0, &ids).await?;
        rows.iter()
            .map(|m| {
                Ok(RegistryEntry {
                    id: m.id,
                    row: to_row(m)?,
                    stall: m
                        .stall_id
                        .and_then(|id| stalls.get(&StallId::new(id)))
                        .map(StallRef::from),
                })
            })
            .collect()
    }
}

#[async_trait]
impl Registry for RegistryStore {
    async fn import(
        &self,
        rows: &[RegistryRow],
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> StoreResult<ImportCounts> {
        let mut counts = ImportCounts::default();
        for (batch, rows) in rows.chunks(IMPORT_BATCH).enumerate() {
            progress(batch * IMPORT_BATCH);
            self.import_batch(rows, &mut counts).await?;
        }
        progress(rows.len());
        Ok(counts)
    }

    async fn entries(&self, filter: &EntryFilter) -> StoreResult<Vec<RegistryEntry>> {
        let mut query =
            registry_entry::Entity::find().order_by_asc(registry_entry::Column::ExternalId);
        if let Some(market) = filter.market {
            query = query.filter(registry_entry::Column::Market.eq(market.slug()));
        }
        if filter.unlinked {
            query = query.filter(registry_entry::Column::StallId.is_null());
        }
        self.with_stalls(query.all(&self.0).await.map_err(backend)?)
            .await
    }

    async fn entry(&self, id: i64) -> StoreResult<Option<RegistryEntry>> {
        let rows: Vec<_> = registry_entry::Entity::find_by_id(id)
            .one(&self.0)
            .await
            .map_err(backend)?
            .into_iter()
            .collect();
        Ok(self.with_stalls(rows).await?.pop())
    }

    async fn by_external_id(&self, external_id: &str) -> StoreResult<Option<RegistryEntry>> {
        let rows: Vec<_> = registry_entry::Entity::find()
            .filter(registry_entry::Column::ExternalId.eq(external_id.trim()))
            .one(&self.0)
            .await
            .map_err(backend)?
            .into_iter()
            .collect();
        Ok(self.with_stalls(rows).await?.pop())
    }

    async fn link(&self, entry_id: i64, stall_id: Option<StallId>, by: UserId) -> StoreResult<()> {
        let stall_id = stall_id.map(StallId::get);
        let by = by.get();
        let now = self.1.now();
        let linked = registry_entry::Entity::update_many()
            .col_expr(registry_entry::Column::StallId, Expr::value(stall_id))
            .col_expr(
                registry_entry::Column::LinkedAt,
                Expr::value(stall_id.map(|_| now)),
            )
            .col_expr(
                registry_entry::Column::LinkedBy,
                Expr::value(stall_id.map(|_| by)),
            )
            .filter(registry_entry::Column::Id.eq(entry_id))
            .exec(&self.0)
            .await
            .map_err(backend)?;
        if linked.rows_affected == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    async fn for_stalls(&self, stalls: &[Stall]) -> StoreResult<HashMap<StallId, StallEntries>> {
        let ids: Vec<i64> = stalls.iter().map(|s| s.id.get()).collect();
        // Every entry linked to one of these stalls, and every unlinked one: the candidates.
        let mut rows = find_in::<registry_entry::Entity, _>(
            &self.0,
            registry_entry::Column::StallId,
            &ids,
            |q| q,
        )
        .await?;
        rows.extend(
            registry_entry::Entity::find()
                .filter(registry_entry::Column::StallId.is_null())
                .all(&self.0)
                .await
                .map_err(backend)?,
        );
        rows.sort_by(|a, b| a.external_id.cmp(&b.external_id));
        let entries = self.with_stalls(rows).await?;
        let owners: Vec<i64> = stalls.iter().map(|s| s.owner_id.get()).collect();
        let owner_phones: HashMap<i64, String> =
            find_in::<user::Entity, _>(&self.0, user::Column::Id, &owners, |q| q)
                .await?
                .into_iter()
                .filter_map(|u| Some((u.id, u.phone?)))
                .collect();
        let mut products: HashMap<i64, Vec<String>> = HashMap::new();
        for p in
            find_in::<product::Entity, _>(&self.0, product::Column::StallId, &ids, |q| q).await?
        {
            products.entry(p.stall_id).or_default().push(p.name);
        }
        let mut out = HashMap::new();
        for stall in stalls {
            let linked: Vec<RegistryEntry> = entries
                .iter()
                .filter(|e| e.stall.as_ref().is_some_and(|s| s.id == stall.id))
                .cloned()
                .collect();
            let suggestions = if linked.is_empty() {
                let phones: Vec<String> = [
                    Some(stall.phone.as_str().to_string()),
                    owner_phones.get(&stall.owner_id.get()).cloned(),
                ]
                .into_iter()
                .flatten()
                .collect();
                let flat = stall.place.flatten();
                let clues = StallClues {
                    phones: &phones,
                    market: stall.market(),
                    stall_no: flat.stall_no.as_deref(),
                    products: products.get(&stall.id.get()).map_or(&[][..], Vec::as_slice),
                };
                let mut scored: Vec<(u8, &RegistryEntry)> = entries
                    .iter()
                    .filter(|e| e.stall.is_none())
                    .map(|e| (likeness(&e.row, &clues), e))
                    .filter(|(score, _)| *score > 0)
                    .collect();
                // Best first; among equals, the registry's order.
                scored.sort_by(|(a, _), (b, _)| b.cmp(a));
                scored.into_iter().take(5).map(|(_, e)| e.clone()).collect()
            } else {
                Vec::new()
            };
            out.insert(
                stall.id,
                StallEntries {
                    linked,
                    suggestions,
                },
            );
        }
        Ok(out)
    }

    async fn unregistered_stalls(
        &self,
        market: Option<app::domain::market::Market>,
    ) -> StoreResult<Vec<Stall>> {
        let linked: HashSet<i64> = registry_entry::Entity::find()
            .filter(registry_entry::Column::StallId.is_not_null())
            .all(&self.0)
            .await
            .map_err(backend)?
            .into_iter()
            .filter_map(|m| m.stall_id)
            .collect();
        let mut query = stall::Entity::find()
            .filter(stall::Column::Status.ne(StallStatus::Draft.slug()))
            .order_by_asc(stall::Column::Name);
        if let Some(market) = market {
            query = query.filter(stall::Column::Market.eq(market.slug()));
        }
        query
            .all(&self.0)
            .await
            .map_err(backend)?
            .into_iter()
            .filter(|s| !linked.contains(&s.id))
            .map(to_stall)
            .collect()
    }

    async fn facts(&self) -> StoreResult<Facts> {
        let rows = registry_entry::Entity::find()
            .order_by_asc(registry_entry::Column::ExternalId)
            .all(&self.0)
            .await
            .map_err(backend)?;
        let mut entries = Vec::with_capacity(rows.len());
        for m in &rows {
            let row = to_row(m)?;
            entries.push(EntryFacts {
                id: m.id,
                external_id: row.external_id,
                name: row.name,
                kind: row.kind,
                market: row.market,
                stall_no: row.stall_no,
                entity_type: row.entity_type,
                district: row.district,
                phone: row.phone.map(|p| p.as_str().to_string()),
                registered_at: m.registered_at,
                stall_id: m.stall_id,
                ocop_products: row.ocop_products.into_iter().map(|p| p.name).collect(),
            });
        }
        let ids: Vec<i64> = rows
            .iter()
            .filter_map(|m| m.stall_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let stalls = super::report_facts::histories(&self.0, &ids).await?;
        Ok(Facts { entries, stalls })
    }

    async fn targets(&self) -> StoreResult<Targets> {
        let rows = report_target::Entity::find()
            .order_by_asc(report_target::Column::Year)
            .order_by_asc(report_target::Column::Segment)
            .all(&self.0)
            .await
            .map_err(backend)?;
        Ok(Targets(
            rows.into_iter()
                .map(|r| Target {
                    segment: r.segment,
                    year: r.year,
                    tenths: r.tenths.clamp(0, 1000) as u16,
                })
                .collect(),
        ))
    }

    async fn set_targets(&self, targets: &[Target]) -> StoreResult<()> {
        if targets.is_empty() {
            return Ok(());
        }
        report_target::Entity::insert_many(targets.iter().map(|t| report_target::ActiveModel {
            segment: Set(t.segment.clone()),
            year: Set(t.year),
            tenths: Set(t.tenths as i16),
        }))
        .on_conflict(
            OnConflict::columns([report_target::Column::Segment, report_target::Column::Year])
                .update_column(report_target::Column::Tenths)
                .to_owned(),
        )
        .exec_without_returning(&self.0)
        .await
        .map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ApiTokens for TokenStore {
    async fn create(&self, name: &str, hash: &str, by: UserId) -> StoreResult<i64> {
        let by = by.get();
        let row = api_token::ActiveModel {
            name: Set(name.to_string()),
            token_hash: Set(hash.to_string()),
            created_by: Set(by),
            created_at: Set(self.1.now()),
            ..Default::default()
        }
        .insert(&self.0)
        .await
        .map_err(backend)?;
        Ok(row.id)
    }

    async fn list(&self) -> StoreResult<Vec<ApiToken>> {
        Ok(api_token::Entity::find()
            .order_by_desc(api_token::Column::Id)
            .all(&self.0)
            .await
            .map_err(backend)?
            .into_iter()
            .map(|t| ApiToken {
                id: t.id,
                name: t.name,
                created_at: t.created_at,
                revoked_at: t.revoked_at,
                last_used_at: t.last_used_at,
            })
            .collect())
    }

    async fn revoke(&self, id: i64) -> StoreResult<()> {
        let found = api_token::Entity::find_by_id(id)
            .one(&self.0)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?;
        if found.revoked_at.is_none() {
            api_token::Entity::update_many()
                .col_expr(api_token::Column::RevokedAt, Expr::value(self.1.now()))
                .filter(api_token::Column::Id.eq(id))
                .exec(&self.0)
                .await
                .map_err(backend)?;
        }
        Ok(())
    }

    async fn accept(&self, hash: &str) -> StoreResult<bool> {
        let used = api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(self.1.now()))
            .filter(api_token::Column::TokenHash.eq(hash))
            .filter(api_token::Column::RevokedAt.is_null())
            .exec(&self.0)
            .await
            .map_err(backend)?;
        Ok(used.rows_affected == 1)
    }
}
