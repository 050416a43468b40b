//! payOS's payment link of each order, kept once: two requests making it at once keep the
//! first, and both read that one back.
use super::entities::{order, payment_link};
use super::{backend, find_in, stored};
use app::domain::bank::BankAccount;
use app::domain::id::{OrderId, StallId};
use app::domain::money::Dong;
use app::domain::order::OrderStatus;
use app::ports::{LinkToClose, PaymentLink, StoreResult};
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

pub(crate) async fn of_order(
    db: &impl ConnectionTrait,
    order: OrderId,
) -> StoreResult<Option<PaymentLink>> {
    Ok(payment_link::Entity::find_by_id(order.get())
        .one(db)
        .await
        .map_err(backend)?
        .map(to_link))
}

pub(crate) async fn keep(
    db: &impl ConnectionTrait,
    order: OrderId,
    link: &PaymentLink,
    now: DateTime<Utc>,
) -> StoreResult<PaymentLink> {
    let account = link.account.clone();
    let row = payment_link::ActiveModel {
        order_id: Set(order.get()),
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
    };
    payment_link::Entity::insert(row)
        .on_conflict(
            OnConflict::column(payment_link::Column::OrderId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map_err(backend)?;
    of_order(db, order)
        .await?
        .ok_or_else(|| backend(sea_orm::DbErr::RecordNotFound("payment link".into())))
}

pub(crate) async fn to_close(
    db: &impl ConnectionTrait,
    limit: u64,
) -> StoreResult<Vec<LinkToClose>> {
    let open = payment_link::Entity::find()
        .filter(payment_link::Column::ClosedAt.is_null())
        .order_by_asc(payment_link::Column::OrderId)
        .all(db)
        .await
        .map_err(backend)?;
    let ids: Vec<i64> = open.iter().map(|l| l.order_id).collect();
    let orders = find_in::<order::Entity, _>(db, order::Column::Id, &ids, |q| q).await?;
    let mut due = Vec::new();
    for link in open {
        let Some(order) = orders.iter().find(|o| o.id == link.order_id) else {
            continue;
        };
        let status: OrderStatus = stored("orders.status", &order.status)?;
        if status == OrderStatus::AwaitingTransfer {
            continue;
        }
        due.push(LinkToClose {
            stall_id: StallId::new(order.stall_id),
            order_id: OrderId::new(order.id),
            order_code: order.code.clone(),
            link_id: link.link_id,
            ended_unpaid: matches!(status, OrderStatus::Expired | OrderStatus::Cancelled),
        });
        if due.len() as u64 >= limit {
            break;
        }
    }
    Ok(due)
}

pub(crate) async fn closed(
    db: &impl ConnectionTrait,
    order: OrderId,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    payment_link::Entity::update_many()
        .col_expr(
            payment_link::Column::ClosedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(payment_link::Column::OrderId.eq(order.get()))
        .exec(db)
        .await
        .map_err(backend)?;
    Ok(())
}
