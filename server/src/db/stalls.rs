use super::entities::{product, stall, stall_event, stall_payment, user};
use super::{backend, store_error, stored};
use app::domain::bank::BankAccount;
use app::domain::id::{StallId, UserId};
use app::domain::market::{EntityType, Market, TradingDays};
use app::domain::money::Dong;
use app::domain::phone::Phone;
use app::domain::role::{Role, StallPlace};
use app::domain::slug::Slug;
use app::domain::stall::{StallStatus, after_moving};
use app::model::PaymentSettings;
use app::model::StallDraft;
use app::model::{Stall, search_document};
use app::ports::{StallFilter, Stalls, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, sea_query::Expr,
};

/// Stalls, with the clock that dates their status and payment history, telling the page cache
/// of each change once committed.
pub struct StallStore(
    pub DatabaseConnection,
    pub app::ports::Clock,
    pub crate::page_cache::Changes,
);

pub(crate) fn to_stall(row: stall::Model) -> StoreResult<Stall> {
    let place = match row.place_kind.as_str() {
        "market" => StallPlace::Market {
            market: stored::<Market>("stalls.market", row.market.as_deref().unwrap_or(""))?,
            stall_no: row.stall_no,
        },
        _ => StallPlace::Ocop {
            entity_type: stored::<EntityType>(
                "stalls.entity_type",
                row.entity_type.as_deref().unwrap_or(""),
            )?,
            commune: row.commune.unwrap_or_default(),
            district: row.district.unwrap_or_default(),
        },
    };
    Ok(Stall {
        id: StallId::new(row.id),
        owner_id: UserId::new(row.owner_id),
        slug: row.slug,
        name: row.name,
        place,
        description_vi: row.description_vi,
        description_en: row.description_en,
        phone: Phone::parse(&row.phone).map_err(backend)?,
        trading_days: TradingDays::from_bits(row.trading_days as u8),
        status: stored("stalls.status", &row.status)?,
        status_reason: row.status_reason,
        photo: row.photo_key,
    })
}

/// The stalls of `ids`, by id: for lists that name each line's stall.
pub(crate) async fn by_ids(
    db: &impl ConnectionTrait,
    ids: &[StallId],
) -> StoreResult<std::collections::HashMap<StallId, Stall>> {
    let keys: Vec<i64> = ids.iter().map(|id| id.get()).collect();
    super::find_in::<stall::Entity, _>(db, stall::Column::Id, &keys, |q| q)
        .await?
        .into_iter()
        .map(|s| to_stall(s).map(|s| (s.id, s)))
        .collect()
}

/// Writes the draft's fields onto a row.
fn fill(active: &mut stall::ActiveModel, draft: &StallDraft, now: chrono::DateTime<Utc>) {
    let place = draft.place.flatten();
    active.name = Set(draft.name.clone());
    active.place_kind = Set(place.kind.to_string());
    active.market = Set(place.market);
    active.stall_no = Set(place.stall_no);
    active.entity_type = Set(place.entity_type);
    active.commune = Set(place.commune);
    active.district = Set(place.district);
    active.description_vi = Set(draft.description_vi.clone());
    active.description_en = Set(draft.description_en.clone());
    active.phone = Set(draft.phone.as_str().to_string());
    active.trading_days = Set(i16::from(draft.trading_days.bits()));
    active.updated_at = Set(now);
}

/// Rewrites the search documents of a stall's products after the stall's name or place changed.
async fn reindex(db: &impl ConnectionTrait, stall: &Stall) -> StoreResult<()> {
    let products = product::Entity::find()
        .filter(product::Column::StallId.eq(stall.id.get()))
        .all(db)
        .await
        .map_err(backend)?;
    for p in products {
        let category = stored("products.category", &p.category)?;
        let text = search_document(
            &p.name,
            &p.description_vi,
            p.description_en.as_deref(),
            category,
            &stall.name,
            &stall.place,
        );
        let mut active: product::ActiveModel = p.into();
        active.search_text = Set(text);
        active.update(db).await.map_err(backend)?;
    }
    Ok(())
}

/// Whether another stall than `except` already claims the pitch of `place`: a market stall
/// number belongs to one stall. (The unique index `stalls_market_stall_no` settles a race
/// between two vendors claiming it at once; this names the field in the common case.)
async fn pitch_taken(
    db: &impl ConnectionTrait,
    place: &StallPlace,
    except: Option<i64>,
) -> StoreResult<bool> {
    let StallPlace::Market {
        market,
        stall_no: Some(stall_no),
    } = place
    else {
        return Ok(false);
    };
    let mut query = stall::Entity::find()
        .filter(stall::Column::Market.eq(market.slug()))
        .filter(stall::Column::StallNo.eq(stall_no.as_str()));
    if let Some(id) = except {
        query = query.filter(stall::Column::Id.ne(id));
    }
    Ok(query.count(db).await.map_err(backend)? > 0)
}

/// Records a status change, with who made it and why: the history that dates approvals.
async fn record_move(
    db: &impl ConnectionTrait,
    id: i64,
    (from, to): (StallStatus, StallStatus),
    reason: Option<String>,
    actor_id: i64,
    at: chrono::DateTime<Utc>,
) -> StoreResult<()> {
    stall_event::ActiveModel {
        stall_id: Set(id),
        from_status: Set(from.slug().to_string()),
        to_status: Set(to.slug().to_string()),
        reason: Set(reason),
        actor_id: Set(actor_id),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(backend)?;
    Ok(())
}

#[async_trait]
impl Stalls for StallStore {
    async fn create(
        &self,
        owner_id: UserId,
        slug: &Slug,
        draft: &StallDraft,
    ) -> StoreResult<Stall> {
        let owner_id = owner_id.get();
        let now = self.1.now();
        let mut active = stall::ActiveModel {
            owner_id: Set(owner_id),
            slug: Set(slug.as_str().to_string()),
            status: Set(StallStatus::Draft.slug().to_string()),
            status_reason: Set(None),
            photo_key: Set(None),
            created_at: Set(now),
            ..Default::default()
        };
        fill(&mut active, draft, now);
        let txn = super::write_txn(&self.0).await?;
        if pitch_taken(&txn, &draft.place, None).await? {
            return Err(StoreError::Taken("stall_no"));
        }
        let row = match active.insert(&txn).await {
            Ok(row) => row,
            Err(err) => {
                drop(txn);
                // The slug, the owner and the pitch are unique; say which one clashed.
                return Err(match store_error(err, "slug") {
                    StoreError::Taken(_) if self.by_slug(slug.as_str()).await?.is_some() => {
                        StoreError::Taken("slug")
                    }
                    StoreError::Taken(_) if pitch_taken(&self.0, &draft.place, None).await? => {
                        StoreError::Taken("stall_no")
                    }
                    StoreError::Taken(_) => StoreError::Taken("owner"),
                    other => other,
                });
            }
        };
        // A shopper who opens a stall becomes its vendor, in the same transaction.
        user::Entity::update_many()
            .col_expr(user::Column::Role, Expr::value(Role::Vendor.slug()))
            .filter(user::Column::Id.eq(owner_id))
            .filter(user::Column::Role.eq(Role::Shopper.slug()))
            .exec(&txn)
            .await
            .map_err(backend)?;
        txn.commit().await.map_err(backend)?;
        to_stall(row)
    }

    async fn update(
        &self,
        id: StallId,
        draft: &StallDraft,
        actor_id: UserId,
    ) -> StoreResult<Option<StallStatus>> {
        let id = id.get();
        let actor_id = actor_id.get();
        let txn = super::write_txn(&self.0).await?;
        let row = stall::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?;
        let before = to_stall(row.clone())?;
        if pitch_taken(&txn, &draft.place, Some(id)).await? {
            return Err(StoreError::Taken("stall_no"));
        }
        let now = self.1.now();
        let mut active: stall::ActiveModel = row.into();
        fill(&mut active, draft, now);
        let moved = (draft.place != before.place)
            .then(|| after_moving(before.status))
            .filter(|to| *to != before.status);
        if let Some(to) = moved {
            active.status = Set(to.slug().to_string());
            active.status_reason = Set(None);
        }
        let row = active
            .update(&txn)
            .await
            .map_err(|e| store_error(e, "stall_no"))?;
        if let Some(to) = moved {
            record_move(&txn, id, (before.status, to), None, actor_id, now).await?;
        }
        reindex(&txn, &to_stall(row)?).await?;
        txn.commit().await.map_err(backend)?;
        self.2.stall(StallId::new(id));
        Ok(moved)
    }

    async fn by_id(&self, id: StallId) -> StoreResult<Option<Stall>> {
        let id = id.get();
        stall::Entity::find_by_id(id)
            .one(&self.0)
            .await
            .map_err(backend)?
            .map(to_stall)
            .transpose()
    }

    async fn by_slug(&self, slug: &str) -> StoreResult<Option<Stall>> {
        stall::Entity::find()
            .filter(stall::Column::Slug.eq(slug))
            .one(&self.0)
            .await
            .map_err(backend)?
            .map(to_stall)
            .transpose()
    }

    async fn by_owner(&self, owner_id: UserId) -> StoreResult<Option<Stall>> {
        let owner_id = owner_id.get();
        stall::Entity::find()
            .filter(stall::Column::OwnerId.eq(owner_id))
            .one(&self.0)
            .await
            .map_err(backend)?
            .map(to_stall)
            .transpose()
    }

    async fn list(&self, filter: &StallFilter) -> StoreResult<Vec<Stall>> {
        let mut query = stall::Entity::find().order_by_asc(stall::Column::Name);
        if let Some(status) = filter.status {
            query = query.filter(stall::Column::Status.eq(status.slug()));
        }
        if let Some(market) = filter.market {
            query = query.filter(stall::Column::Market.eq(market.slug()));
        }
        if filter.ocop {
            query = query.filter(stall::Column::PlaceKind.eq("ocop"));
        }
        query
            .all(&self.0)
            .await
            .map_err(backend)?
            .into_iter()
            .map(to_stall)
            .collect()
    }

    async fn set_status(
        &self,
        id: StallId,
        from: StallStatus,
        to: StallStatus,
        reason: Option<String>,
        actor_id: UserId,
    ) -> StoreResult<()> {
        let id = id.get();
        let actor_id = actor_id.get();
        let txn = super::write_txn(&self.0).await?;
        let now = self.1.now();
        // Compare-and-set: two reviewers acting at once can't both move the same stall.
        let moved = stall::Entity::update_many()
            .col_expr(
                stall::Column::Status,
                sea_orm::sea_query::Expr::value(to.slug()),
            )
            .col_expr(
                stall::Column::StatusReason,
                sea_orm::sea_query::Expr::value(reason.clone()),
            )
            .col_expr(
                stall::Column::UpdatedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(stall::Column::Id.eq(id))
            .filter(stall::Column::Status.eq(from.slug()))
            .exec(&txn)
            .await
            .map_err(backend)?;
        if moved.rows_affected != 1 {
            return Err(StoreError::Stale);
        }
        record_move(&txn, id, (from, to), reason, actor_id, now).await?;
        txn.commit().await.map_err(backend)?;
        self.2.stall(StallId::new(id));
        Ok(())
    }

    async fn set_photo(&self, id: StallId, key: &str) -> StoreResult<()> {
        let id = id.get();
        let moved = stall::Entity::update_many()
            .col_expr(
                stall::Column::PhotoKey,
                sea_orm::sea_query::Expr::value(key),
            )
            .filter(stall::Column::Id.eq(id))
            .exec(&self.0)
            .await
            .map_err(backend)?;
        if moved.rows_affected == 1 {
            self.2.stall(StallId::new(id));
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    async fn payment_settings(&self, id: StallId) -> StoreResult<PaymentSettings> {
        Ok(self
            .payment_settings_of(&[id])
            .await?
            .remove(&id)
            .unwrap_or_default())
    }

    async fn payment_settings_of(
        &self,
        ids: &[StallId],
    ) -> StoreResult<std::collections::HashMap<StallId, PaymentSettings>> {
        let keys: Vec<i64> = ids.iter().map(|id| id.get()).collect();
        let rows = super::find_in::<stall_payment::Entity, _>(
            &self.0,
            stall_payment::Column::StallId,
            &keys,
            |q| q,
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let bank = match (row.bank_bin, row.bank_account, row.bank_holder) {
                    (Some(bin), Some(number), Some(holder)) => Some(BankAccount {
                        bin,
                        number,
                        holder,
                    }),
                    _ => None,
                };
                let settings = PaymentSettings {
                    delivery_fee: Dong::new(row.delivery_fee),
                    accepts_cards: row.accepts_cards,
                    bank,
                };
                (StallId::new(row.stall_id), settings)
            })
            .collect())
    }

    async fn set_payment_settings(
        &self,
        id: StallId,
        settings: &PaymentSettings,
    ) -> StoreResult<()> {
        let id = id.get();
        let now = self.1.now();
        let bank = settings.bank.as_ref();
        let row = stall_payment::ActiveModel {
            stall_id: Set(id),
            delivery_fee: Set(settings.delivery_fee.amount()),
            accepts_cards: Set(settings.accepts_cards),
            bank_bin: Set(bank.map(|b| b.bin.clone())),
            bank_account: Set(bank.map(|b| b.number.clone())),
            bank_holder: Set(bank.map(|b| b.holder.clone())),
            bank_verified_at: Set(None),
            updated_at: Set(now),
        };
        let txn = super::write_txn(&self.0).await?;
        stall_payment::Entity::insert(row)
            .on_conflict(
                sea_orm::sea_query::OnConflict::column(stall_payment::Column::StallId)
                    .update_columns([
                        stall_payment::Column::DeliveryFee,
                        stall_payment::Column::AcceptsCards,
                        stall_payment::Column::BankBin,
                        stall_payment::Column::BankAccount,
                        stall_payment::Column::BankHolder,
                        stall_payment::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await
            .map_err(backend)?;
        let ready = settings.epayment_ready();
        super::stages::record(&txn, id, super::stages::SpanKind::EpaymentReady, ready, now).await?;
        txn.commit().await.map_err(backend)?;
        // Whether the stall can be paid now shows on its products' pages.
        self.2.stall(StallId::new(id));
        Ok(())
    }
}
