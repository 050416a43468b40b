//! Stalls' bank-notification services and the transfers they report. A reported transfer is
//! stored once per stall, service and transfer id, and what it does to its order (paid, part
//! paid, over paid, or money to return) happens in the same transaction as the row.
use super::entities::{bank_credit, order, stall_bank_service};
use super::{backend, find_in, stored};
use app::domain::bank_notice::{BankCredit, BankService, CreditKind, NamedOrder, credit_outcome};
use app::domain::id::StallId;
use app::domain::money::Dong;
use app::domain::order::{OrderStatus, find_order_codes};
use app::ports::{BankLink, BankNotices, CreditApplied, ReportedTransfer, StoreError, StoreResult};
use async_trait::async_trait;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use std::collections::HashMap;

/// The stalls' services and transfers, and the hub told of each order a transfer paid
/// towards once committed.
pub struct BankStore(
    pub DatabaseConnection,
    pub app::ports::Clock,
    pub crate::live::Hub,
);

fn to_link(row: stall_bank_service::Model) -> StoreResult<BankLink> {
    Ok(BankLink {
        stall_id: StallId::new(row.stall_id),
        service: stored("stall_bank_services.service", &row.service)?,
        sealed_keys: row.sealed_keys,
        hook_token: row.hook_token,
    })
}

impl BankStore {
    /// One try of [`BankNotices::apply`], in one transaction.
    async fn apply_once(&self, stall: StallId, credit: &BankCredit) -> StoreResult<CreditApplied> {
        let now = self.1.now();
        super::retrying(|| async {
            let txn = super::write_txn(&self.0).await?;
            if seen(&txn, stall, credit).await? {
                return Ok(CreditApplied::AlreadyApplied);
            }
            let named = named_orders(&txn, stall, credit).await?;
            let orders: Vec<NamedOrder> = named.iter().map(|(_, o)| o.clone()).collect();
            let outcome = credit_outcome(credit.amount, &orders);
            let order_id = match named.as_slice() {
                [(id, _)] => Some(*id),
                _ => None,
            };
            if let (true, Some(id)) = (outcome.pays(), order_id) {
                let actor = credit.service.actor();
                let (from, to) = (OrderStatus::AwaitingTransfer, OrderStatus::Paid);
                // `Stale` when the order moved since it was read: [`BankNotices::apply`]
                // reads everything again.
                super::orders::shift(&txn, id, from, to, actor, None, now).await?;
            }
            let row = bank_credit::ActiveModel {
                stall_id: Set(stall.get()),
                service: Set(credit.service.slug().to_string()),
                transfer_id: Set(credit.transfer_id.clone()),
                amount: Set(credit.amount.amount()),
                purpose: Set(credit.purpose.clone()),
                booked_at: Set(credit.booked_at),
                received_at: Set(now),
                outcome: Set(outcome.kind().slug().to_string()),
                figure: Set(outcome.figure(credit.amount).amount()),
                order_id: Set(order_id),
                ..Default::default()
            };
            if let Err(err) = row.insert(&txn).await {
                // Reported twice at the same moment: the other delivery applied it, and this
                // transaction, order move and all, is rolled back.
                return match super::store_error(err, "transfer") {
                    StoreError::Taken(_) => Ok(CreditApplied::AlreadyApplied),
                    other => Err(other),
                };
            }
            txn.commit().await.map_err(backend)?;
            if let Some(id) = order_id {
                // Paid, or part paid: the money received changed either way.
                self.2.orders_changed(&[app::domain::id::OrderId::new(id)]);
            }
            Ok(CreditApplied::New(outcome))
        })
        .await
    }
}

#[async_trait]
impl BankNotices for BankStore {
    async fn link(&self, link: &BankLink) -> StoreResult<()> {
        let row = stall_bank_service::ActiveModel {
            stall_id: Set(link.stall_id.get()),
            service: Set(link.service.slug().to_string()),
            sealed_keys: Set(link.sealed_keys.clone()),
            hook_token: Set(link.hook_token.clone()),
            linked_at: Set(self.1.now()),
        };
        stall_bank_service::Entity::insert(row)
            .on_conflict(
                OnConflict::column(stall_bank_service::Column::StallId)
                    .update_columns([
                        stall_bank_service::Column::Service,
                        stall_bank_service::Column::SealedKeys,
                        stall_bank_service::Column::HookToken,
                        stall_bank_service::Column::LinkedAt,
                    ])
                    .to_owned(),
            )
            .exec(&self.0)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn by_token(&self, service: BankService, token: &str) -> StoreResult<Option<BankLink>> {
        stall_bank_service::Entity::find()
            .filter(stall_bank_service::Column::HookToken.eq(token))
            .filter(stall_bank_service::Column::Service.eq(service.slug()))
            .one(&self.0)
            .await
            .map_err(backend)?
            .map(to_link)
            .transpose()
    }

    async fn link_of(&self, stall: StallId) -> StoreResult<Option<BankLink>> {
        stall_bank_service::Entity::find_by_id(stall.get())
            .one(&self.0)
            .await
            .map_err(backend)?
            .map(to_link)
            .transpose()
    }

    async fn links(&self) -> StoreResult<Vec<BankLink>> {
        stall_bank_service::Entity::find()
            .all(&self.0)
            .await
            .map_err(backend)?
            .into_iter()
            .map(to_link)
            .collect()
    }

    async fn unlink(&self, stall: StallId) -> StoreResult<()> {
        stall_bank_service::Entity::delete_by_id(stall.get())
            .exec(&self.0)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn apply(&self, stall: StallId, credit: &BankCredit) -> StoreResult<CreditApplied> {
        let mut runs = 0;
        loop {
            runs += 1;
            match self.apply_once(stall, credit).await {
                // The order moved meanwhile (the same transfer, delivered twice at once, paid
                // it): read it again, and the transfer is seen as applied.
                Err(StoreError::Stale) if runs < 3 => continue,
                other => return other,
            }
        }
    }

    async fn transfers_of(&self, stall: StallId, limit: u64) -> StoreResult<Vec<ReportedTransfer>> {
        let rows = bank_credit::Entity::find()
            .filter(bank_credit::Column::StallId.eq(stall.get()))
            .order_by_desc(bank_credit::Column::Id)
            .limit(limit)
            .all(&self.0)
            .await
            .map_err(backend)?;
        let ids: Vec<i64> = rows.iter().filter_map(|r| r.order_id).collect();
        let orders: HashMap<i64, order::Model> =
            find_in::<order::Entity, _>(&self.0, order::Column::Id, &ids, |q| q)
                .await?
                .into_iter()
                .map(|o| (o.id, o))
                .collect();
        rows.into_iter()
            .map(|r| {
                let order = r.order_id.and_then(|id| orders.get(&id));
                let kind: CreditKind = stored("bank_credits.outcome", &r.outcome)?;
                // Read as the order is now: money towards an order since cancelled, or a part
                // payment of one since expired, is to give back whole.
                let now = match order {
                    Some(o) => kind.as_order_now_is(stored("orders.status", &o.status)?),
                    None => kind,
                };
                let figure = if now == kind { r.figure } else { r.amount };
                Ok(ReportedTransfer {
                    order_code: order.map(|o| o.code.clone()),
                    kind: now,
                    figure: Dong::new(figure),
                    credit: BankCredit {
                        service: stored("bank_credits.service", &r.service)?,
                        transfer_id: r.transfer_id,
                        amount: Dong::new(r.amount),
                        purpose: r.purpose,
                        order_code: None,
                        booked_at: r.booked_at,
                    },
                })
            })
            .collect()
    }
}

/// Whether the stall already has this transfer.
async fn seen(db: &impl ConnectionTrait, stall: StallId, credit: &BankCredit) -> StoreResult<bool> {
    let found = bank_credit::Entity::find()
        .filter(bank_credit::Column::StallId.eq(stall.get()))
        .filter(bank_credit::Column::Service.eq(credit.service.slug()))
        .filter(bank_credit::Column::TransferId.eq(credit.transfer_id.as_str()))
        .one(db)
        .await
        .map_err(backend)?;
    Ok(found.is_some())
}

/// The stall's orders the transfer names, by id, with what earlier transfers paid towards
/// each: the one its service tied it to, or else those whose codes its purpose holds. Another
/// stall's order is never named, whatever the purpose says.
async fn named_orders(
    db: &impl ConnectionTrait,
    stall: StallId,
    credit: &BankCredit,
) -> StoreResult<Vec<(i64, NamedOrder)>> {
    let codes = match &credit.order_code {
        Some(code) => vec![code.clone()],
        None => find_order_codes(&credit.purpose),
    };
    let mut orders = find_in::<order::Entity, _>(db, order::Column::Code, &codes, |q| {
        q.filter(order::Column::StallId.eq(stall.get()))
    })
    .await?;
    orders.sort_by_key(|o| codes.iter().position(|c| *c == o.code));
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    let received = received_towards(db, &ids).await?;
    orders
        .into_iter()
        .map(|o| {
            let received = received.get(&o.id).copied().unwrap_or_default();
            let named = NamedOrder {
                status: stored("orders.status", &o.status)?,
                total: Dong::new(o.total),
                received: Dong::new(received),
                code: o.code,
            };
            Ok((o.id, named))
        })
        .collect()
}

/// What reported transfers have paid towards each of the orders `ids` (part payments
/// included), by order id; an order nothing paid towards is absent.
pub(crate) async fn received_towards(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> StoreResult<HashMap<i64, i64>> {
    let counted = CreditKind::COUNTED.map(CreditKind::slug);
    let credits = find_in::<bank_credit::Entity, _>(db, bank_credit::Column::OrderId, ids, |q| {
        q.filter(bank_credit::Column::Outcome.is_in(counted))
    })
    .await?;
    let mut received: HashMap<i64, i64> = HashMap::new();
    for c in credits {
        if let Some(order) = c.order_id {
            *received.entry(order).or_default() += c.amount;
        }
    }
    Ok(received)
}
