//! What a reported transfer names, and paying it: the stall's orders and counter sales whose
//! codes its purpose holds (or the one order its service tied it to), the placard's code
//! standing for a sale not yet recorded. Used when a transfer is reported, and when the
//! vendor assigns by hand one that named two records or none.
use super::entities::{bank_credit, counter_sale, order};
use super::{backend, find_in, stored};
use app::domain::bank_notice::{BankCredit, CreditKind, CreditOutcome, NamedOrder, credit_outcome};
use app::domain::counter_sale::{SaleCode, SaleStatus, SaleWay};
use app::domain::id::{BankCreditId, StallId, UserId};
use app::domain::money::Dong;
use app::domain::order::{OrderActor, OrderStatus, find_order_codes, parse_order_code};
use app::ports::{StoreError, StoreResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

/// A record a transfer names: one of the stall's orders or counter sales, or the placard's
/// code, which stands for a sale not yet recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Named {
    Order(i64),
    Sale(i64),
    Placard,
}

impl Named {
    pub(super) fn order(named: Option<Named>) -> Option<i64> {
        match named {
            Some(Named::Order(id)) => Some(id),
            _ => None,
        }
    }

    pub(super) fn sale(named: Option<Named>) -> Option<i64> {
        match named {
            Some(Named::Sale(id)) => Some(id),
            _ => None,
        }
    }
}

/// Everything of the stall's that `credit` names, as matching reads it: the order or counter
/// sale the service tied it to (payOS's payment link of either), or the orders and counter
/// sales whose codes its purpose holds, in that order.
pub(super) async fn named(
    db: &impl ConnectionTrait,
    stall: StallId,
    credit: &BankCredit,
) -> StoreResult<Vec<(Named, NamedOrder)>> {
    match credit.order_code.as_deref().map(SaleCode::parse) {
        // Never the placard's: no payment link is made for it.
        Some(Ok(sale)) if sale != SaleCode::PLACARD => {
            named_sales(db, stall, &[sale], credit.amount).await
        }
        Some(_) => {
            let code = credit.order_code.clone().into_iter().collect::<Vec<_>>();
            named_orders(db, stall, &code).await
        }
        None => {
            let mut named = named_orders(db, stall, &find_order_codes(&credit.purpose)).await?;
            let sales = SaleCode::find_in(&credit.purpose);
            named.extend(named_sales(db, stall, &sales, credit.amount).await?);
            Ok(named)
        }
    }
}

async fn named_orders(
    db: &impl ConnectionTrait,
    stall: StallId,
    codes: &[String],
) -> StoreResult<Vec<(Named, NamedOrder)>> {
    let mut orders = find_in::<order::Entity, _>(db, order::Column::Code, codes, |q| {
        q.filter(order::Column::StallId.eq(stall.get()))
    })
    .await?;
    orders.sort_by_key(|o| codes.iter().position(|c| *c == o.code));
    let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    let received = super::bank::received_towards(db, &ids).await?;
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
            Ok((Named::Order(o.id), named))
        })
        .collect()
}

/// The stall's counter sales `codes` name, each read as an order would be; the placard's code
/// as a sale of exactly `amount`, which the transfer then pays.
async fn named_sales(
    db: &impl ConnectionTrait,
    stall: StallId,
    codes: &[SaleCode],
    amount: Dong,
) -> StoreResult<Vec<(Named, NamedOrder)>> {
    let seqs: Vec<i64> = codes.iter().map(|c| i64::from(c.seq())).collect();
    let rows = find_in::<counter_sale::Entity, _>(db, counter_sale::Column::Seq, &seqs, |q| {
        q.filter(counter_sale::Column::StallId.eq(stall.get()))
    })
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let sales = super::counter_sales::read(db, rows).await?;
    let mut named: Vec<(Named, NamedOrder)> = ids
        .into_iter()
        .zip(sales)
        .map(|(id, sale)| {
            let read = NamedOrder {
                code: sale.code.to_string(),
                status: sale.status.as_order_status(),
                total: sale.amount,
                received: sale.received,
            };
            (Named::Sale(id), read)
        })
        .collect();
    if codes.contains(&SaleCode::PLACARD) {
        let placard = NamedOrder {
            code: SaleCode::PLACARD.to_string(),
            status: OrderStatus::AwaitingTransfer,
            total: amount,
            received: Dong::new(0),
        };
        named.push((Named::Placard, placard));
    }
    named.sort_by_key(|(_, n)| codes.iter().position(|c| c.to_string() == n.code));
    Ok(named)
}

/// Who pays a record, and with how much.
pub(super) struct Payer {
    pub actor: OrderActor,
    pub user: Option<UserId>,
    pub amount: Dong,
}

/// Makes what a transfer paid paid, in the caller's transaction: the order or the counter sale
/// moves from waiting to paid (`Stale` when it moved since it was read), and the placard's
/// code records a paid sale of its own. Returns the record paid.
pub(super) async fn pay(
    db: &impl ConnectionTrait,
    stall: StallId,
    named: Named,
    by: &Payer,
    now: DateTime<Utc>,
) -> StoreResult<Named> {
    match named {
        Named::Order(id) => {
            let (from, to) = (OrderStatus::AwaitingTransfer, OrderStatus::Paid);
            let user = by.user.map(UserId::get);
            super::orders::shift(db, id, from, to, by.actor, user, now).await?;
        }
        Named::Sale(id) => {
            super::counter_sales::settle_row(db, id, SaleStatus::Paid, now).await?;
        }
        Named::Placard => {
            let way = SaleWay::Transfer;
            // Another sale took the number meanwhile: run the whole transfer again, as when
            // the record it names moved.
            let row = super::counter_sales::insert(db, stall, way, by.amount, None, now)
                .await
                .map_err(|err| match err {
                    StoreError::Taken(_) => StoreError::Stale,
                    other => other,
                })?;
            return Ok(Named::Sale(row.id));
        }
    }
    Ok(named)
}

/// A counter sale's code, by its id.
pub(super) async fn sale_code(db: &impl ConnectionTrait, id: i64) -> StoreResult<String> {
    let row = counter_sale::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(backend)?
        .ok_or(StoreError::Stale)?;
    Ok(SaleCode::new(u32::try_from(row.seq).map_err(backend)?).to_string())
}

/// The vendor `by` says the stall's transfer `credit`, which named two records or none, was
/// for the order or counter sale `code`: it then does what it would have done naming that
/// one alone, confirmed by the vendor. [`StoreError::NotFound`] when the stall has no such
/// record (the placard's code included), [`StoreError::Stale`] when the transfer was
/// assigned meanwhile: a transfer is assigned once. Returns what it did and to which record.
pub(super) async fn assign(
    db: &DatabaseConnection,
    stall: StallId,
    credit: BankCreditId,
    code: &str,
    by: UserId,
    now: DateTime<Utc>,
) -> StoreResult<(CreditOutcome, Named)> {
    let open = [CreditKind::Ambiguous, CreditKind::Unnamed].map(CreditKind::slug);
    super::retrying(|| async {
        let txn = super::write_txn(db).await?;
        let row = bank_credit::Entity::find_by_id(credit.get())
            .filter(bank_credit::Column::StallId.eq(stall.get()))
            .one(&txn)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?;
        if !open.contains(&row.outcome.as_str()) {
            return Err(StoreError::Stale);
        }
        let amount = Dong::new(row.amount);
        let code = code.trim().to_uppercase();
        let named = match (parse_order_code(&code), SaleCode::parse(&code)) {
            (Some(_), _) => named_orders(&txn, stall, &[code]).await?,
            (None, Ok(sale)) if sale != SaleCode::PLACARD => {
                named_sales(&txn, stall, &[sale], amount).await?
            }
            _ => Vec::new(),
        };
        let [(one, record)] = named.as_slice() else {
            return Err(StoreError::NotFound);
        };
        let outcome = credit_outcome(amount, std::slice::from_ref(record));
        if outcome.pays() {
            let payer = Payer {
                actor: OrderActor::Vendor,
                user: Some(by),
                amount,
            };
            pay(&txn, stall, *one, &payer, now).await?;
        }
        let moved = bank_credit::Entity::update_many()
            .col_expr(
                bank_credit::Column::Outcome,
                Expr::value(outcome.kind().slug()),
            )
            .col_expr(
                bank_credit::Column::Figure,
                Expr::value(outcome.figure(amount).amount()),
            )
            .col_expr(
                bank_credit::Column::OrderId,
                Expr::value(Named::order(Some(*one))),
            )
            .col_expr(
                bank_credit::Column::CounterSaleId,
                Expr::value(Named::sale(Some(*one))),
            )
            .filter(bank_credit::Column::Id.eq(row.id))
            .filter(bank_credit::Column::Outcome.is_in(open))
            .exec(&txn)
            .await
            .map_err(backend)?;
        if moved.rows_affected != 1 {
            return Err(StoreError::Stale);
        }
        txn.commit().await.map_err(backend)?;
        Ok((outcome, *one))
    })
    .await
}
