//! Stalls' bank-notification services and the transfers they report. A reported transfer is
//! stored once per stall, service and transfer id, and what it does to its order (paid, part
//! paid, over paid, or money to return) happens in the same transaction as the row.
use super::bank_match::{Named, Payer, named, pay, sale_code};
use super::entities::{bank_credit, counter_sale, order, stall_bank_service};
use super::{backend, find_in, stored};
use app::domain::bank_notice::{
    BankCredit, BankService, CreditKind, CreditOutcome, NamedOrder, credit_outcome,
};
use app::domain::counter_sale::{SaleCode, SaleStatus};
use app::domain::id::{BankCreditId, StallId, UserId};
use app::domain::money::Dong;
use app::domain::order::OrderStatus;
use app::ports::{
    BankLink, BankNotices, CreditApplied, LinkToClose, LinkedTo, PaymentLink, ReportedTransfer,
    StoreError, StoreResult,
};
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
            let named = named(&txn, stall, credit).await?;
            let records: Vec<NamedOrder> = named.iter().map(|(_, o)| o.clone()).collect();
            let mut outcome = credit_outcome(credit.amount, &records);
            let mut named = match named.as_slice() {
                [(one, _)] => Some(*one),
                _ => None,
            };
            if let (true, Some(one)) = (outcome.pays(), named) {
                // `Stale` when the order or sale moved since it was read: [`BankNotices::apply`]
                // reads everything again.
                let payer = Payer {
                    actor: credit.service.actor(),
                    user: None,
                    amount: credit.amount,
                };
                named = Some(pay(&txn, stall, one, &payer, now).await?);
                if let (Some(Named::Sale(id)), CreditOutcome::Paid { code }) = (named, &mut outcome)
                {
                    *code = sale_code(&txn, id).await?;
                }
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
                order_id: Set(Named::order(named)),
                counter_sale_id: Set(Named::sale(named)),
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
            if let Some(id) = Named::order(named) {
                // Paid, or part paid: the money received changed either way.
                self.2
                    .orders_changed(&[app::domain::id::OrderId::new(id)])
                    .await;
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
        // Whether the stall can be paid now shows on its products' pages.
        self.2.pages().stall(link.stall_id);
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
        self.2.pages().stall(stall);
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

    async fn assign(
        &self,
        stall: StallId,
        credit: BankCreditId,
        code: &str,
        by: UserId,
    ) -> StoreResult<CreditOutcome> {
        let (outcome, named) =
            super::bank_match::assign(&self.0, stall, credit, code, by, self.1.now()).await?;
        if let Some(id) = Named::order(Some(named)) {
            // Paid, part paid or money to return: the order's page shows what it received.
            self.2
                .orders_changed(&[app::domain::id::OrderId::new(id)])
                .await;
        }
        Ok(outcome)
    }

    async fn transfers_of(&self, stall: StallId, limit: u64) -> StoreResult<Vec<ReportedTransfer>> {
        let rows = bank_credit::Entity::find()
            .filter(bank_credit::Column::StallId.eq(stall.get()))
            .order_by_desc(bank_credit::Column::Id)
            .limit(limit)
            .all(&self.0)
            .await
            .map_err(backend)?;
        let records = records_of(&self.0, &rows).await?;
        rows.into_iter()
            .map(|r| {
                let record = match (r.order_id, r.counter_sale_id) {
                    (Some(id), _) => records.orders.get(&id),
                    (None, Some(id)) => records.sales.get(&id),
                    (None, None) => None,
                };
                let kind: CreditKind = stored("bank_credits.outcome", &r.outcome)?;
                // Read as the order or sale is now: money towards one since cancelled, or a
                // part payment of an order since expired, is to give back whole.
                let now = match record {
                    Some((_, status)) => kind.as_order_now_is(*status),
                    None => kind,
                };
                let figure = if now == kind { r.figure } else { r.amount };
                Ok(ReportedTransfer {
                    id: BankCreditId::new(r.id),
                    order_code: record.map(|(code, _)| code.clone()),
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
    async fn payment_link(&self, to: LinkedTo) -> StoreResult<Option<PaymentLink>> {
        super::payment_links::of(&self.0, to).await
    }

    async fn keep_payment_link(
        &self,
        to: LinkedTo,
        link: &PaymentLink,
    ) -> StoreResult<PaymentLink> {
        super::payment_links::keep(&self.0, to, link, self.1.now()).await
    }

    async fn payment_links_to_close(&self, limit: u64) -> StoreResult<Vec<LinkToClose>> {
        super::payment_links::to_close(&self.0, limit, self.1.now()).await
    }

    async fn payment_link_closed(&self, to: LinkedTo) -> StoreResult<()> {
        super::payment_links::closed(&self.0, to, self.1.now()).await
    }
}

/// The orders and counter sales some reported transfers name, by id: each one's code and its
/// status now (a sale's as an order's).
#[derive(Default)]
struct Records {
    orders: HashMap<i64, (String, OrderStatus)>,
    sales: HashMap<i64, (String, OrderStatus)>,
}

async fn records_of(
    db: &impl ConnectionTrait,
    rows: &[bank_credit::Model],
) -> StoreResult<Records> {
    let mut records = Records::default();
    let ids: Vec<i64> = rows.iter().filter_map(|r| r.order_id).collect();
    for o in find_in::<order::Entity, _>(db, order::Column::Id, &ids, |q| q).await? {
        let status = stored("orders.status", &o.status)?;
        records.orders.insert(o.id, (o.code, status));
    }
    let ids: Vec<i64> = rows.iter().filter_map(|r| r.counter_sale_id).collect();
    for sale in
        find_in::<counter_sale::Entity, _>(db, counter_sale::Column::Id, &ids, |q| q).await?
    {
        let status: SaleStatus = stored("counter_sales.status", &sale.status)?;
        let code = SaleCode::new(u32::try_from(sale.seq).map_err(backend)?).to_string();
        records
            .sales
            .insert(sale.id, (code, status.as_order_status()));
    }
    Ok(records)
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
/// What reported transfers have paid towards each of the orders `ids` (part payments
/// included), by order id; an order nothing paid towards is absent.
pub(crate) async fn received_towards(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> StoreResult<HashMap<i64, i64>> {
    received_by(db, bank_credit::Column::OrderId, ids, |c| c.order_id).await
}

/// The same for counter sales, by counter sale id.
pub(crate) async fn received_at_counter(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> StoreResult<HashMap<i64, i64>> {
    received_by(db, bank_credit::Column::CounterSaleId, ids, |c| {
        c.counter_sale_id
    })
    .await
}

/// What counted transfers paid towards each of `ids`, the records `column` points at.
async fn received_by(
    db: &impl ConnectionTrait,
    column: bank_credit::Column,
    ids: &[i64],
    key: fn(&bank_credit::Model) -> Option<i64>,
) -> StoreResult<HashMap<i64, i64>> {
    let counted = CreditKind::COUNTED.map(CreditKind::slug);
    let credits = find_in::<bank_credit::Entity, _>(db, column, ids, |q| {
        q.filter(bank_credit::Column::Outcome.is_in(counted))
    })
    .await?;
    let mut received: HashMap<i64, i64> = HashMap::new();
    for c in credits {
        if let Some(id) = key(&c) {
            *received.entry(id).or_default() += c.amount;
        }
    }
    Ok(received)
}
