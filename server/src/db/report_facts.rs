//! What the onboarding report is computed from, for a set of stalls: their owners' accounts,
//! their stages' spans, their cashless payments and their sales, each kind read in one query
//! (a few for very long lists), never one per stall.
use super::entities::{
    bank_credit, counter_sale, order, order_event, product, stage_span, stall, stall_event, user,
};
use super::stages::SpanKind;
use super::{find_in, stored};
use app::domain::bank_notice::CreditKind;
use app::domain::counter_sale::{SaleStatus, SaleWay};
use app::domain::money::Dong;
use app::domain::onboarding::{
    ConfirmedBy, ProductHistory, RecordedSale, Span, StallHistory, approvals,
};
use app::domain::order::{OrderActor, OrderStatus, PaymentMethod};
use app::domain::sales::{Channel, PaidBy, Sale};
use app::ports::StoreResult;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter, QueryOrder};
use std::collections::{HashMap, HashSet};

/// The histories of the stalls `ids`, by stall id.
pub(crate) async fn histories(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> StoreResult<HashMap<i64, StallHistory>> {
    let mut out = HashMap::new();
    let stall_rows = find_in::<stall::Entity, _>(db, stall::Column::Id, ids, |q| q).await?;
    let owner_ids: Vec<i64> = stall_rows.iter().map(|s| s.owner_id).collect();
    let owners: HashMap<i64, DateTime<Utc>> =
        find_in::<user::Entity, _>(db, user::Column::Id, &owner_ids, |q| q)
            .await?
            .into_iter()
            .map(|u| (u.id, u.created_at))
            .collect();
    for s in stall_rows {
        out.insert(
            s.id,
            StallHistory {
                owner_since: owners.get(&s.owner_id).copied(),
                slug: s.slug,
                ..Default::default()
            },
        );
    }
    stall_approvals(db, ids, &mut out).await?;
    stage_spans(db, ids, &mut out).await?;
    orders(db, ids, &mut out).await?;
    counter_sales(db, ids, &mut out).await?;
    Ok(out)
}

/// Each stall's approvals, dated by its status changes in the order they happened.
async fn stall_approvals(
    db: &impl ConnectionTrait,
    ids: &[i64],
    out: &mut HashMap<i64, StallHistory>,
) -> StoreResult<()> {
    let mut moves: HashMap<i64, Vec<_>> = HashMap::new();
    // Every stall's events fall in one query, so each stall's stay in order.
    let events = find_in::<stall_event::Entity, _>(db, stall_event::Column::StallId, ids, |q| {
        q.order_by_asc(stall_event::Column::At)
            .order_by_asc(stall_event::Column::Id)
    })
    .await?;
    for e in events {
        let to = stored("stall_events.to_status", &e.to_status)?;
        moves.entry(e.stall_id).or_default().push((to, e.at));
    }
    for (stall_id, moves) in moves {
        if let Some(history) = out.get_mut(&stall_id) {
            history.approved = approvals(moves);
        }
    }
    Ok(())
}

/// Each stall's e-payment spans, and each of its products' publishing spans with the
/// product's name.
async fn stage_spans(
    db: &impl ConnectionTrait,
    ids: &[i64],
    out: &mut HashMap<i64, StallHistory>,
) -> StoreResult<()> {
    let products: HashMap<i64, product::Model> =
        find_in::<product::Entity, _>(db, product::Column::StallId, ids, |q| q)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
    let mut published: HashMap<i64, Vec<Span>> = HashMap::new();
    let spans = find_in::<stage_span::Entity, _>(db, stage_span::Column::StallId, ids, |q| {
        q.order_by_asc(stage_span::Column::StartedAt)
    })
    .await?;
    for row in spans {
        let span = Span {
            start: row.started_at,
            end: row.ended_at,
        };
        match (row.stage.as_str(), row.product_id) {
            (SpanKind::EPAYMENT_READY, _) => {
                if let Some(history) = out.get_mut(&row.stall_id) {
                    history.epayment_ready.push(span);
                }
            }
            (SpanKind::PUBLISHED, Some(product_id)) => {
                published.entry(product_id).or_default().push(span)
            }
            _ => {}
        }
    }
    for (product_id, spans) in published {
        let Some(product) = products.get(&product_id) else {
            continue;
        };
        if let Some(history) = out.get_mut(&product.stall_id) {
            history.products.push(ProductHistory {
                name: product.name.clone(),
                published: spans,
            });
        }
    }
    Ok(())
}

/// Each stall's online orders as sales, and its cashless payments: every move of an order to
/// paid, by card or by a confirmed transfer, is one. Who made the last such move confirmed
/// the order's money.
async fn orders(
    db: &impl ConnectionTrait,
    ids: &[i64],
    out: &mut HashMap<i64, StallHistory>,
) -> StoreResult<()> {
    let orders = find_in::<order::Entity, _>(db, order::Column::StallId, ids, |q| q).await?;
    let order_ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
    let paid =
        find_in::<order_event::Entity, _>(db, order_event::Column::OrderId, &order_ids, |q| {
            q.filter(order_event::Column::ToStatus.eq(OrderStatus::Paid.slug()))
                .order_by_asc(order_event::Column::At)
                .order_by_asc(order_event::Column::Id)
        })
        .await?;
    let stall_of: HashMap<i64, i64> = orders.iter().map(|o| (o.id, o.stall_id)).collect();
    let mut confirmed: HashMap<i64, (DateTime<Utc>, OrderActor)> = HashMap::new();
    for event in paid {
        if let Some(stall) = stall_of.get(&event.order_id).and_then(|s| out.get_mut(s)) {
            stall.payments.push(event.at);
        }
        let actor = stored("order_events.actor", &event.actor)?;
        confirmed.insert(event.order_id, (event.at, actor));
    }
    for o in orders {
        let status: OrderStatus = stored("orders.status", &o.status)?;
        let method: PaymentMethod = stored("orders.method", &o.method)?;
        let paid = confirmed.get(&o.id).copied();
        let sale = RecordedSale {
            sale: Sale {
                made_at: o.created_at,
                kept: status.is_paid(),
                channel: Channel::Online,
                paid_by: match method {
                    PaymentMethod::Card => PaidBy::Card,
                    PaymentMethod::VietQr => PaidBy::Transfer,
                },
                total: Dong::new(o.total),
            },
            paid_at: paid.map(|(at, _)| at),
            confirmed_by: paid.and_then(|(_, actor)| ConfirmedBy::of_order(method, actor)),
        };
        if let Some(stall) = out.get_mut(&o.stall_id) {
            stall.sales.push(sale);
        }
    }
    Ok(())
}

/// Each stall's paid sales at the stall. A transfer is a cashless payment, confirmed by the
/// bank when a reported transfer paid it, else by the vendor by hand; cash is neither.
async fn counter_sales(
    db: &impl ConnectionTrait,
    ids: &[i64],
    out: &mut HashMap<i64, StallHistory>,
) -> StoreResult<()> {
    let rows = find_in::<counter_sale::Entity, _>(db, counter_sale::Column::StallId, ids, |q| {
        q.filter(counter_sale::Column::Status.eq(SaleStatus::Paid.slug()))
    })
    .await?;
    let transfers: Vec<i64> = rows
        .iter()
        .filter(|r| r.way == SaleWay::Transfer.slug())
        .map(|r| r.id)
        .collect();
    // The outcomes whose transfer made the sale paid; a part payment the vendor then
    // completed by hand leaves the confirmation theirs.
    let paying = [CreditKind::Paid, CreditKind::Overpaid].map(CreditKind::slug);
    let by_bank: HashSet<i64> = find_in::<bank_credit::Entity, _>(
        db,
        bank_credit::Column::CounterSaleId,
        &transfers,
        |q| q.filter(bank_credit::Column::Outcome.is_in(paying)),
    )
    .await?
    .into_iter()
    .filter_map(|c| c.counter_sale_id)
    .collect();
    for row in rows {
        let way: SaleWay = stored("counter_sales.way", &row.way)?;
        let Some(stall) = out.get_mut(&row.stall_id) else {
            continue;
        };
        let confirmed_by = match way {
            SaleWay::Cash => None,
            SaleWay::Transfer if by_bank.contains(&row.id) => Some(ConfirmedBy::Bank),
            SaleWay::Transfer => Some(ConfirmedBy::Vendor),
        };
        if let (SaleWay::Transfer, Some(at)) = (way, row.paid_at) {
            stall.payments.push(at);
        }
        stall.sales.push(RecordedSale {
            sale: Sale {
                made_at: row.created_at,
                kept: true,
                channel: Channel::InPerson,
                paid_by: match way {
                    SaleWay::Cash => PaidBy::Cash,
                    SaleWay::Transfer => PaidBy::Transfer,
                },
                total: Dong::new(row.amount),
            },
            paid_at: row.paid_at,
            confirmed_by,
        });
    }
    Ok(())
}
