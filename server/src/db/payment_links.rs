//! payOS's payment link of each order, and of each counter sale, kept once: two requests
//! making it at once keep the first, and both read that one back. One table holds both, a row
//! naming either its order or its sale, so that keeping, reading and closing a link is the
//! same whatever it asks payment for.
use super::entities::{counter_sale, order, payment_link};
use super::{backend, find_in, stored};
use app::domain::bank::BankAccount;
use app::domain::counter_sale::{LINK_LIFETIME, SaleCode, SaleStatus};
use app::domain::id::{OrderId, StallId};
use app::domain::money::Dong;
use app::domain::order::OrderStatus;
use app::ports::{LinkToClose, LinkedTo, PaymentLink, StoreError, StoreResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

fn to_link(row: payment_link::Model) -> PaymentLink {
    let account = match (row.bin, row.account_number, row.account_name) {
        (Some(bin), Some(number), Some(holder)) => Some(BankAccount {
            bin,
            number,
            holder,
        }),
        _ => None,
    };
    PaymentLink {
        id: row.link_id,
        checkout_url: row.checkout_url,
        qr_code: row.qr_code,
        account,
        description: row.description,
        amount: Dong::new(row.amount),
    }
}

/// The column naming what `to` is, and its row id; `None` for a sale the stall does not have.
async fn key(
    db: &impl ConnectionTrait,
    to: LinkedTo,
) -> StoreResult<Option<(payment_link::Column, i64)>> {
    match to {
        LinkedTo::Order(order) => Ok(Some((payment_link::Column::OrderId, order.get()))),
        LinkedTo::Sale(stall, code) => Ok(counter_sale::Entity::find()
            .filter(counter_sale::Column::StallId.eq(stall.get()))
            .filter(counter_sale::Column::Seq.eq(i64::from(code.seq())))
            .one(db)
            .await
            .map_err(backend)?
            .map(|sale| (payment_link::Column::CounterSaleId, sale.id))),
    }
}

pub(crate) async fn of(
    db: &impl ConnectionTrait,
    to: LinkedTo,
) -> StoreResult<Option<PaymentLink>> {
    let Some((column, id)) = key(db, to).await? else {
        return Ok(None);
    };
    Ok(payment_link::Entity::find()
        .filter(column.eq(id))
        .one(db)
        .await
        .map_err(backend)?
        .map(to_link))
}

pub(crate) async fn keep(
    db: &impl ConnectionTrait,
    to: LinkedTo,
    link: &PaymentLink,
    now: DateTime<Utc>,
) -> StoreResult<PaymentLink> {
    let (column, id) = key(db, to).await?.ok_or(StoreError::NotFound)?;
    let account = link.account.clone();
    let row = payment_link::ActiveModel {
        order_id: Set(matches!(to, LinkedTo::Order(_)).then_some(id)),
        counter_sale_id: Set(matches!(to, LinkedTo::Sale(..)).then_some(id)),
        link_id: Set(link.id.clone()),
        checkout_url: Set(link.checkout_url.clone()),
        qr_code: Set(link.qr_code.clone()),
        bin: Set(account.as_ref().map(|a| a.bin.clone())),
        account_number: Set(account.as_ref().map(|a| a.number.clone())),
        account_name: Set(account.map(|a| a.holder)),
        description: Set(link.description.clone()),
        amount: Set(link.amount.amount()),
        created_at: Set(now),
        closed_at: Set(None),
        ..Default::default()
    };
    payment_link::Entity::insert(row)
        .on_conflict(OnConflict::column(column).do_nothing().to_owned())
        .exec_without_returning(db)
        .await
        .map_err(backend)?;
    of(db, to)
        .await?
        .ok_or_else(|| backend(sea_orm::DbErr::RecordNotFound("payment link".into())))
}

pub(crate) async fn to_close(
    db: &impl ConnectionTrait,
    limit: u64,
    now: DateTime<Utc>,
) -> StoreResult<Vec<LinkToClose>> {
    let open = payment_link::Entity::find()
        .filter(payment_link::Column::ClosedAt.is_null())
        .order_by_asc(payment_link::Column::Id)
        .all(db)
        .await
        .map_err(backend)?;
    let order_ids: Vec<i64> = open.iter().filter_map(|l| l.order_id).collect();
    let orders = find_in::<order::Entity, _>(db, order::Column::Id, &order_ids, |q| q).await?;
    let sale_ids: Vec<i64> = open.iter().filter_map(|l| l.counter_sale_id).collect();
    let sales =
        find_in::<counter_sale::Entity, _>(db, counter_sale::Column::Id, &sale_ids, |q| q).await?;
    let mut due = Vec::new();
    for link in open {
        let found = match (link.order_id, link.counter_sale_id) {
            (Some(id), _) => match orders.iter().find(|o| o.id == id) {
                Some(order) => order_to_close(order, link.link_id)?,
                None => None,
            },
            (None, Some(id)) => match sales.iter().find(|s| s.id == id) {
                Some(sale) => sale_to_close(sale, link.link_id, now)?,
                None => None,
            },
            (None, None) => None,
        };
        due.extend(found);
        if due.len() as u64 >= limit {
            break;
        }
    }
    Ok(due)
}

/// An order's link, once the order no longer awaits its transfer.
fn order_to_close(order: &order::Model, link_id: String) -> StoreResult<Option<LinkToClose>> {
    let status: OrderStatus = stored("orders.status", &order.status)?;
    if status == OrderStatus::AwaitingTransfer {
        return Ok(None);
    }
    Ok(Some(LinkToClose {
        stall_id: StallId::new(order.stall_id),
        to: LinkedTo::Order(OrderId::new(order.id)),
        code: order.code.clone(),
        link_id,
        ended_unpaid: matches!(status, OrderStatus::Expired | OrderStatus::Cancelled),
    }))
}

/// A counter sale's link, once the sale was paid or given up, or its link ran out at payOS.
fn sale_to_close(
    sale: &counter_sale::Model,
    link_id: String,
    now: DateTime<Utc>,
) -> StoreResult<Option<LinkToClose>> {
    let status: SaleStatus = stored("counter_sales.status", &sale.status)?;
    if status == SaleStatus::AwaitingTransfer && sale.created_at + LINK_LIFETIME > now {
        return Ok(None);
    }
    let stall = StallId::new(sale.stall_id);
    let code = SaleCode::new(u32::try_from(sale.seq).map_err(backend)?);
    Ok(Some(LinkToClose {
        stall_id: stall,
        to: LinkedTo::Sale(stall, code),
        code: code.to_string(),
        link_id,
        ended_unpaid: status == SaleStatus::Cancelled,
    }))
}

pub(crate) async fn closed(
    db: &impl ConnectionTrait,
    to: LinkedTo,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let Some((column, id)) = key(db, to).await? else {
        return Ok(());
    };
    payment_link::Entity::update_many()
        .col_expr(
            payment_link::Column::ClosedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(column.eq(id))
        .exec(db)
        .await
        .map_err(backend)?;
    Ok(())
}
