//! Reading orders and checkouts back as the views show them: each order with its stall, its
//! checkout's contact details, its lines and its history, read in one query per table rather
//! than one per order.
use super::{OrderStore, backend, stored};
use crate::db::entities::{checkout, order, order_event, order_line, stall};
use crate::db::find_in;
use app::domain::id::{OrderId, ProductId, StallId};
use app::domain::money::Dong;
use app::domain::order::{OrderStatus, PricedLine};
use app::domain::paging::Window;
use app::domain::phone::Phone;
use app::domain::quantity::Quantity;
use app::model::{CheckoutView, Order, OrderEvent};
use app::ports::{OrderFilter, StoreError, StoreResult};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use std::collections::HashMap;

pub(super) async fn checkout(store: &OrderStore, token: &str) -> StoreResult<Option<CheckoutView>> {
    match checkout::Entity::find()
        .filter(checkout::Column::Token.eq(token))
        .one(&store.0)
        .await
        .map_err(backend)?
    {
        Some(c) => Ok(Some(checkout_view(&store.0, c).await?)),
        None => Ok(None),
    }
}

pub(super) async fn checkouts_of_user(
    store: &OrderStore,
    user_id: i64,
    offset: u64,
    limit: u64,
) -> StoreResult<Vec<CheckoutView>> {
    let checkouts = checkout::Entity::find()
        .filter(checkout::Column::UserId.eq(user_id))
        .order_by_desc(checkout::Column::CreatedAt)
        .order_by_desc(checkout::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(&store.0)
        .await
        .map_err(backend)?;
    // Every checkout's orders in one read, whatever the page's length.
    let ids: Vec<i64> = checkouts.iter().map(|c| c.id).collect();
    let rows = find_in::<order::Entity, _>(&store.0, order::Column::CheckoutId, &ids, |q| {
        q.order_by_asc(order::Column::Id)
    })
    .await?;
    let checkout_ids: Vec<i64> = rows.iter().map(|o| o.checkout_id).collect();
    let mut of_checkout: HashMap<i64, Vec<Order>> = HashMap::new();
    for (checkout_id, o) in checkout_ids.into_iter().zip(load(&store.0, rows).await?) {
        of_checkout.entry(checkout_id).or_default().push(o);
    }
    Ok(checkouts
        .into_iter()
        .map(|c| {
            let orders = of_checkout.remove(&c.id).unwrap_or_default();
            view_of(c, orders)
        })
        .collect())
}

pub(super) async fn order(store: &OrderStore, id: i64) -> StoreResult<Option<Order>> {
    let rows: Vec<_> = order::Entity::find_by_id(id)
        .one(&store.0)
        .await
        .map_err(backend)?
        .into_iter()
        .collect();
    Ok(load(&store.0, rows).await?.pop())
}

pub(super) async fn of_stall(
    store: &OrderStore,
    stall_id: StallId,
    filter: &OrderFilter,
) -> StoreResult<Vec<Order>> {
    let query = filtered(&OrderFilter {
        stall_id: Some(stall_id),
        ..filter.clone()
    });
    load(&store.0, query.all(&store.0).await.map_err(backend)?).await
}

pub(super) async fn list(
    store: &OrderStore,
    filter: &OrderFilter,
    window: Window,
) -> StoreResult<Vec<Order>> {
    let query = filtered(filter).offset(window.offset).limit(window.limit);
    load(&store.0, query.all(&store.0).await.map_err(backend)?).await
}

pub(super) async fn due_to_expire(
    store: &OrderStore,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Order>> {
    let rows = order::Entity::find()
        .filter(order::Column::Status.is_in([
            OrderStatus::AwaitingPayment.slug(),
            OrderStatus::AwaitingTransfer.slug(),
        ]))
        .filter(order::Column::ExpiresAt.lt(now))
        .all(&store.0)
        .await
        .map_err(backend)?;
    load(&store.0, rows).await
}

/// The orders `filter` lets through, newest first.
fn filtered(filter: &OrderFilter) -> Select<order::Entity> {
    let mut query = order::Entity::find().order_by_desc(order::Column::Id);
    if let Some(stall_id) = filter.stall_id {
        query = query.filter(order::Column::StallId.eq(stall_id.get()));
    }
    if let Some(status) = filter.status {
        query = query.filter(order::Column::Status.eq(status.slug()));
    }
    if let Some(since) = filter.since {
        query = query.filter(order::Column::CreatedAt.gte(since));
    }
    query
}

/// A checkout as its shopper sees it: its orders, what it charges, and how to pay.
pub(super) async fn checkout_view(
    db: &impl ConnectionTrait,
    c: checkout::Model,
) -> StoreResult<CheckoutView> {
    let rows = order::Entity::find()
        .filter(order::Column::CheckoutId.eq(c.id))
        .order_by_asc(order::Column::Id)
        .all(db)
        .await
        .map_err(backend)?;
    Ok(view_of(c, load(db, rows).await?))
}

/// The view of checkout `c` with its `orders`, read already.
fn view_of(c: checkout::Model, orders: Vec<Order>) -> CheckoutView {
    let awaiting_card = orders
        .iter()
        .any(|o| o.status == OrderStatus::AwaitingPayment);
    CheckoutView {
        token: c.token,
        // What the shopper pays (or paid) for: a cancelled or expired order is not charged.
        total: orders
            .iter()
            .filter(|o| o.status.holds_stock())
            .map(|o| o.total)
            .sum(),
        orders,
        // An attempt open without a session: the processor could not be reached for it.
        card_unavailable: awaiting_card
            && c.session_orders.is_some()
            && c.stripe_session_id.is_none(),
        payment_url: c.payment_url,
        transfer_codes: Vec::new(),
        stalls: Vec::new(),
    }
}

/// Orders with everything the views need.
async fn load(db: &impl ConnectionTrait, rows: Vec<order::Model>) -> StoreResult<Vec<Order>> {
    let mut related = Related::of(db, &rows).await?;
    rows.into_iter().map(|o| related.order(o)).collect()
}

/// What a list of orders refers to, read in one query per table and keyed by id.
struct Related {
    lines: HashMap<i64, Vec<order_line::Model>>,
    events: HashMap<i64, Vec<order_event::Model>>,
    checkouts: HashMap<i64, checkout::Model>,
    stalls: HashMap<i64, stall::Model>,
    /// What reported transfers paid towards each order.
    received: HashMap<i64, i64>,
}

impl Related {
    async fn of(db: &impl ConnectionTrait, rows: &[order::Model]) -> StoreResult<Related> {
        let ids: Vec<i64> = rows.iter().map(|o| o.id).collect();
        let checkout_ids: Vec<i64> = rows.iter().map(|o| o.checkout_id).collect();
        let stall_ids: Vec<i64> = rows.iter().map(|o| o.stall_id).collect();
        let mut lines: HashMap<i64, Vec<order_line::Model>> = HashMap::new();
        for l in find_in::<order_line::Entity, _>(db, order_line::Column::OrderId, &ids, |q| {
            q.order_by_asc(order_line::Column::Id)
        })
        .await?
        {
            lines.entry(l.order_id).or_default().push(l);
        }
        let mut events: HashMap<i64, Vec<order_event::Model>> = HashMap::new();
        for e in find_in::<order_event::Entity, _>(db, order_event::Column::OrderId, &ids, |q| {
            q.order_by_asc(order_event::Column::Id)
        })
        .await?
        {
            events.entry(e.order_id).or_default().push(e);
        }
        let checkouts =
            find_in::<checkout::Entity, _>(db, checkout::Column::Id, &checkout_ids, |q| q)
                .await?
                .into_iter()
                .map(|c| (c.id, c))
                .collect();
        let stalls = find_in::<stall::Entity, _>(db, stall::Column::Id, &stall_ids, |q| q)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        let received = crate::db::bank::received_towards(db, &ids).await?;
        Ok(Related {
            lines,
            events,
            checkouts,
            stalls,
            received,
        })
    }

    /// The view of `o`, taking its lines and history out of what was read.
    fn order(&mut self, o: order::Model) -> StoreResult<Order> {
        let c = self
            .checkouts
            .get(&o.checkout_id)
            .ok_or(StoreError::NotFound)?;
        let s = self.stalls.get(&o.stall_id).ok_or(StoreError::NotFound)?;
        let lines = self
            .lines
            .remove(&o.id)
            .unwrap_or_default()
            .into_iter()
            .map(priced_line)
            .collect::<StoreResult<Vec<_>>>()?;
        let history = self
            .events
            .remove(&o.id)
            .unwrap_or_default()
            .into_iter()
            .map(order_event)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Order {
            id: OrderId::new(o.id),
            code: o.code,
            stall_id: StallId::new(o.stall_id),
            stall_name: s.name.clone(),
            stall_slug: s.slug.clone(),
            status: stored("orders.status", &o.status)?,
            method: stored("orders.method", &o.method)?,
            fulfilment: stored("orders.fulfilment", &o.fulfilment)?,
            pickup_day: o
                .pickup_day
                .as_deref()
                .map(|d| stored("orders.pickup_day", d))
                .transpose()?,
            pickup_date: o.pickup_date,
            lines,
            subtotal: Dong::new(o.subtotal),
            delivery_fee: Dong::new(o.delivery_fee),
            total: Dong::new(o.total),
            received: Dong::new(self.received.get(&o.id).copied().unwrap_or_default()),
            name: c.name.clone(),
            phone: Phone::parse(&c.phone).map_err(backend)?,
            address: c.address.clone(),
            note: c.note.clone(),
            created_at: o.created_at,
            expires_at: o.expires_at,
            history,
        })
    }
}

fn priced_line(l: order_line::Model) -> StoreResult<PricedLine> {
    Ok(PricedLine {
        product_id: ProductId::new(l.product_id),
        name: l.name,
        unit: stored("order_lines.unit", &l.unit)?,
        unit_price: Dong::new(l.unit_price),
        quantity: Quantity::from_steps(l.quantity),
        total: Dong::new(l.total),
    })
}

fn order_event(e: order_event::Model) -> StoreResult<OrderEvent> {
    Ok(OrderEvent {
        from: stored("order_events.from_status", &e.from_status)?,
        to: stored("order_events.to_status", &e.to_status)?,
        actor: stored("order_events.actor", &e.actor)?,
        at: e.at,
    })
}
