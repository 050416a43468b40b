use super::entities::{checkout, order, order_event, order_line, product, stall, stripe_event};
use super::{backend, stored};
use app::domain::money::Dong;
use app::domain::order::{OrderActor, OrderStatus, PricedLine, order_code};
use app::domain::phone::Phone;
use app::domain::quantity::Quantity;
use app::model::{CheckoutView, Order, OrderEvent};
use app::ports::{CardOutcome, NewCheckout, OrderFilter, Orders, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, Datelike, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use std::collections::HashMap;

/// Orders, with the clock that dates their history (a payment's time makes a stall
/// "transacting" in the onboarding report).
pub struct OrderStore(pub DatabaseConnection, pub app::ports::Clock);

/// Takes `steps` of a product's stock if that many are left (unlimited stock always is), in
/// one conditional statement: concurrent buyers of the last units can't both get them.
async fn reserve(db: &impl ConnectionTrait, line: &PricedLine) -> StoreResult<()> {
    let steps = line.quantity.steps();
    let taken = product::Entity::update_many()
        .col_expr(
            product::Column::Stock,
            Expr::col(product::Column::Stock).sub(steps),
        )
        .filter(product::Column::Id.eq(line.product_id))
        .filter(
            Condition::any()
                .add(product::Column::Stock.is_null())
                .add(product::Column::Stock.gte(steps)),
        )
        .exec(db)
        .await
        .map_err(backend)?;
    if taken.rows_affected == 1 {
        Ok(())
    } else {
        Err(StoreError::OutOfStock(line.name.clone()))
    }
}

/// Gives an order's stock back (`sign` 1), or takes it again (`sign` -1) for an order a late
/// payment revived — then never below zero, since the goods are already paid for.
async fn restock(db: &impl ConnectionTrait, order_id: i64, sign: i64) -> StoreResult<()> {
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order_id))
        .all(db)
        .await
        .map_err(backend)?;
    for line in lines {
        let change = sign * line.quantity;
        let stock = Expr::col(product::Column::Stock);
        let new_stock = Expr::case(stock.clone().add(change).gte(0), stock.add(change)).finally(0);
        product::Entity::update_many()
            .col_expr(product::Column::Stock, new_stock.into())
            .filter(product::Column::Id.eq(line.product_id))
            .filter(product::Column::Stock.is_not_null())
            .exec(db)
            .await
            .map_err(backend)?;
    }
    Ok(())
}

/// Orders with everything the views need, in one query per table rather than one per order.
async fn load(db: &impl ConnectionTrait, rows: Vec<order::Model>) -> StoreResult<Vec<Order>> {
    let ids: Vec<i64> = rows.iter().map(|o| o.id).collect();
    let checkout_ids: Vec<i64> = rows.iter().map(|o| o.checkout_id).collect();
    let stall_ids: Vec<i64> = rows.iter().map(|o| o.stall_id).collect();
    let mut lines: HashMap<i64, Vec<order_line::Model>> = HashMap::new();
    for l in super::find_in::<order_line::Entity, _>(db, order_line::Column::OrderId, &ids, |q| {
        q.order_by_asc(order_line::Column::Id)
    })
    .await?
    {
        lines.entry(l.order_id).or_default().push(l);
    }
    let mut events: HashMap<i64, Vec<order_event::Model>> = HashMap::new();
    for e in super::find_in::<order_event::Entity, _>(db, order_event::Column::OrderId, &ids, |q| {
        q.order_by_asc(order_event::Column::Id)
    })
    .await?
    {
        events.entry(e.order_id).or_default().push(e);
    }
    let checkouts: HashMap<i64, checkout::Model> =
        super::find_in::<checkout::Entity, _>(db, checkout::Column::Id, &checkout_ids, |q| q)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
    let stalls: HashMap<i64, stall::Model> =
        super::find_in::<stall::Entity, _>(db, stall::Column::Id, &stall_ids, |q| q)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
    rows.into_iter()
        .map(|o| {
            let c = checkouts.get(&o.checkout_id).ok_or(StoreError::NotFound)?;
            let s = stalls.get(&o.stall_id).ok_or(StoreError::NotFound)?;
            let lines = lines
                .remove(&o.id)
                .unwrap_or_default()
                .into_iter()
                .map(|l| {
                    Ok(PricedLine {
                        product_id: l.product_id,
                        name: l.name,
                        unit: stored("order_lines.unit", &l.unit)?,
                        unit_price: Dong::new(l.unit_price),
                        quantity: Quantity::from_steps(l.quantity),
                        total: Dong::new(l.total),
                    })
                })
                .collect::<StoreResult<Vec<_>>>()?;
            let history = events
                .remove(&o.id)
                .unwrap_or_default()
                .into_iter()
                .map(|e| {
                    Ok(OrderEvent {
                        from: stored("order_events.from_status", &e.from_status)?,
                        to: stored("order_events.to_status", &e.to_status)?,
                        actor: stored("order_events.actor", &e.actor)?,
                        at: e.at,
                    })
                })
                .collect::<StoreResult<Vec<_>>>()?;
            Ok(Order {
                id: o.id,
                code: o.code,
                stall_id: o.stall_id,
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
                lines,
                subtotal: Dong::new(o.subtotal),
                delivery_fee: Dong::new(o.delivery_fee),
                total: Dong::new(o.total),
                name: c.name.clone(),
                phone: Phone::parse(&c.phone).map_err(backend)?,
                address: c.address.clone(),
                note: c.note.clone(),
                created_at: o.created_at,
                expires_at: o.expires_at,
                history,
            })
        })
        .collect()
}

async fn checkout_view(db: &impl ConnectionTrait, c: checkout::Model) -> StoreResult<CheckoutView> {
    let rows = order::Entity::find()
        .filter(order::Column::CheckoutId.eq(c.id))
        .order_by_asc(order::Column::Id)
        .all(db)
        .await
        .map_err(backend)?;
    Ok(CheckoutView {
        token: c.token,
        method: stored("checkouts.method", &c.method)?,
        total: Dong::new(c.total),
        orders: load(db, rows).await?,
        payment_url: c.payment_url,
        transfer_codes: Vec::new(),
    })
}

#[async_trait]
impl Orders for OrderStore {
    async fn place(&self, new: NewCheckout) -> StoreResult<CheckoutView> {
        let now = self.1.now();
        let fulfilment = new.checkout.fulfilment;
        let txn = self.0.begin().await.map_err(backend)?;
        // Stock first: a sold-out line fails the checkout before anything is written.
        for line in new.orders.iter().flat_map(|o| o.lines.iter()) {
            reserve(&txn, line).await?;
        }
        let total = app::domain::order::grand_total(&new.orders, fulfilment);
        let c = checkout::ActiveModel {
            token: Set(new.token.clone()),
            user_id: Set(new.user_id),
            name: Set(new.checkout.name.clone()),
            phone: Set(new.checkout.phone.as_str().to_string()),
            fulfilment: Set(fulfilment.slug().to_string()),
            address: Set(new.checkout.address.clone()),
            note: Set(new.checkout.note.clone()),
            method: Set(new.checkout.method.slug().to_string()),
            total: Set(total.amount()),
            stripe_session_id: Set(None),
            stripe_payment_intent: Set(None),
            payment_url: Set(None),
            attempts: Set(0),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(backend)?;
        let status = OrderStatus::initial(new.checkout.method);
        for draft in &new.orders {
            let pickup_day = new
                .pickup_days
                .iter()
                .find(|(stall, _)| *stall == draft.stall_id)
                .map(|(_, d)| d.slug().to_string());
            let row = order::ActiveModel {
                // The code is made from the id, known only after the insert.
                code: Set(format!("pending-{}", uuid::Uuid::new_v4().simple())),
                checkout_id: Set(c.id),
                stall_id: Set(draft.stall_id),
                status: Set(status.slug().to_string()),
                method: Set(new.checkout.method.slug().to_string()),
                fulfilment: Set(fulfilment.slug().to_string()),
                pickup_day: Set(pickup_day),
                subtotal: Set(draft.subtotal().amount()),
                delivery_fee: Set(match fulfilment {
                    app::domain::order::Fulfilment::Delivery => draft.delivery_fee.amount(),
                    app::domain::order::Fulfilment::Pickup => 0,
                }),
                total: Set(draft.total(fulfilment).amount()),
                expires_at: Set(new.expires_at),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(backend)?;
            let mut active: order::ActiveModel = row.clone().into();
            active.code = Set(order_code(now.year(), row.id));
            active.update(&txn).await.map_err(backend)?;
            for line in &draft.lines {
                order_line::ActiveModel {
                    order_id: Set(row.id),
                    product_id: Set(line.product_id),
                    name: Set(line.name.clone()),
                    unit: Set(line.unit.slug().to_string()),
                    unit_price: Set(line.unit_price.amount()),
                    quantity: Set(line.quantity.steps()),
                    total: Set(line.total.amount()),
                    ..Default::default()
                }
                .insert(&txn)
                .await
                .map_err(backend)?;
            }
            event(
                &txn,
                row.id,
                status,
                status,
                OrderActor::Shopper,
                new.user_id,
                now,
            )
            .await?;
        }
        super::entities::cart_item::Entity::delete_many()
            .filter(super::entities::cart_item::Column::CartId.eq(new.cart_id))
            .exec(&txn)
            .await
            .map_err(backend)?;
        txn.commit().await.map_err(backend)?;
        checkout_view(&self.0, c).await
    }

    async fn checkout(&self, token: &str) -> StoreResult<Option<CheckoutView>> {
        match checkout::Entity::find()
            .filter(checkout::Column::Token.eq(token))
            .one(&self.0)
            .await
            .map_err(backend)?
        {
            Some(c) => Ok(Some(checkout_view(&self.0, c).await?)),
            None => Ok(None),
        }
    }

    async fn order(&self, id: i64) -> StoreResult<Option<Order>> {
        let rows: Vec<_> = order::Entity::find_by_id(id)
            .one(&self.0)
            .await
            .map_err(backend)?
            .into_iter()
            .collect();
        Ok(load(&self.0, rows).await?.pop())
    }

    async fn of_stall(&self, stall_id: i64, filter: &OrderFilter) -> StoreResult<Vec<Order>> {
        let query = filtered(&OrderFilter {
            stall_id: Some(stall_id),
            ..filter.clone()
        });
        load(&self.0, query.all(&self.0).await.map_err(backend)?).await
    }

    async fn list(&self, filter: &OrderFilter, limit: u64) -> StoreResult<Vec<Order>> {
        let query = filtered(filter).limit(limit);
        load(&self.0, query.all(&self.0).await.map_err(backend)?).await
    }

    async fn move_order(
        &self,
        id: i64,
        from: OrderStatus,
        to: OrderStatus,
        actor: OrderActor,
        actor_user_id: Option<i64>,
    ) -> StoreResult<()> {
        let txn = self.0.begin().await.map_err(backend)?;
        shift(&txn, id, from, to, actor, actor_user_id, self.1.now()).await?;
        txn.commit().await.map_err(backend)
    }

    async fn apply_card_event(
        &self,
        event_id: &str,
        token: &str,
        outcome: &CardOutcome,
        fee: app::domain::order::PlatformFee,
    ) -> StoreResult<bool> {
        use app::domain::order::{OrderMove, transition};
        let now = self.1.now();
        let txn = self.0.begin().await.map_err(backend)?;
        let recorded = stripe_event::Entity::insert(stripe_event::ActiveModel {
            id: Set(event_id.to_string()),
            kind: Set(outcome.kind().to_string()),
            processed_at: Set(now),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(stripe_event::Column::Id)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(backend)?;
        if recorded == 0 {
            return Ok(false);
        }
        let Some(c) = checkout::Entity::find()
            .filter(checkout::Column::Token.eq(token))
            .one(&txn)
            .await
            .map_err(backend)?
        else {
            txn.commit().await.map_err(backend)?;
            return Ok(true);
        };
        let step = match outcome {
            CardOutcome::Paid { payment_intent } => {
                if let Some(intent) = payment_intent {
                    let mut active: checkout::ActiveModel = c.clone().into();
                    active.stripe_payment_intent = Set(Some(intent.clone()));
                    active.update(&txn).await.map_err(backend)?;
                }
                Some(OrderMove::ConfirmPayment)
            }
            CardOutcome::Failed => Some(OrderMove::PaymentFailed),
            CardOutcome::Refunded { .. } => None,
        };
        let orders = order::Entity::find()
            .filter(order::Column::CheckoutId.eq(c.id))
            .all(&txn)
            .await
            .map_err(backend)?;
        for o in orders {
            let from = stored::<OrderStatus>("orders.status", &o.status)?;
            let method = stored("orders.method", &o.method)?;
            let fulfilment = stored("orders.fulfilment", &o.fulfilment)?;
            match step {
                // A move the order is already past (a repeated or late event) is skipped.
                Some(mv) => {
                    if let Ok(to) =
                        transition(OrderActor::PaymentProvider, mv, from, method, fulfilment)
                    {
                        shift(&txn, o.id, from, to, OrderActor::PaymentProvider, None, now).await?;
                        if mv == OrderMove::ConfirmPayment {
                            ledger(&txn, o.stall_id, o.id, "card_sale", o.total, now).await?;
                            let charged = fee.of(Dong::new(o.total)).amount();
                            if charged > 0 {
                                ledger(&txn, o.stall_id, o.id, "platform_fee", -charged, now)
                                    .await?;
                            }
                        }
                    }
                }
                None => ledger(&txn, o.stall_id, o.id, "card_refund", -o.total, now).await?,
            }
        }
        txn.commit().await.map_err(backend)?;
        Ok(true)
    }

    async fn card_payment_of(&self, order_id: i64) -> StoreResult<Option<String>> {
        let Some(o) = order::Entity::find_by_id(order_id)
            .one(&self.0)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        Ok(checkout::Entity::find_by_id(o.checkout_id)
            .one(&self.0)
            .await
            .map_err(backend)?
            .and_then(|c| c.stripe_payment_intent))
    }

    async fn due_to_expire(&self, now: DateTime<Utc>) -> StoreResult<Vec<Order>> {
        let rows = order::Entity::find()
            .filter(order::Column::Status.is_in([
                OrderStatus::AwaitingPayment.slug(),
                OrderStatus::AwaitingTransfer.slug(),
            ]))
            .filter(order::Column::ExpiresAt.lt(now))
            .all(&self.0)
            .await
            .map_err(backend)?;
        load(&self.0, rows).await
    }

    async fn set_payment_session(
        &self,
        token: &str,
        session_id: &str,
        url: &str,
    ) -> StoreResult<()> {
        checkout::Entity::update_many()
            .col_expr(checkout::Column::StripeSessionId, Expr::value(session_id))
            .col_expr(checkout::Column::PaymentUrl, Expr::value(url))
            .filter(checkout::Column::Token.eq(token))
            .exec(&self.0)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// The orders `filter` lets through, newest first.
fn filtered(filter: &OrderFilter) -> sea_orm::Select<order::Entity> {
    let mut query = order::Entity::find().order_by_desc(order::Column::Id);
    if let Some(stall_id) = filter.stall_id {
        query = query.filter(order::Column::StallId.eq(stall_id));
    }
    if let Some(status) = filter.status {
        query = query.filter(order::Column::Status.eq(status.slug()));
    }
    query
}

/// Moves an order inside the caller's transaction: compare-and-set on the status, stock given
/// back or taken again as the order stops or starts holding it, and the change recorded.
pub(crate) async fn shift(
    db: &impl ConnectionTrait,
    id: i64,
    from: OrderStatus,
    to: OrderStatus,
    actor: OrderActor,
    user: Option<i64>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let moved = order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::value(to.slug()))
        .col_expr(order::Column::UpdatedAt, Expr::value(at))
        .filter(order::Column::Id.eq(id))
        .filter(order::Column::Status.eq(from.slug()))
        .exec(db)
        .await
        .map_err(backend)?;
    if moved.rows_affected != 1 {
        return Err(StoreError::Stale);
    }
    match (from.holds_stock(), to.holds_stock()) {
        (true, false) => restock(db, id, 1).await?,
        (false, true) => restock(db, id, -1).await?,
        _ => {}
    }
    event(db, id, from, to, actor, user, at).await
}

/// What the platform owes a stall for card payments it collected (or no longer owes).
async fn ledger(
    db: &impl ConnectionTrait,
    stall_id: i64,
    order_id: i64,
    kind: &str,
    amount: i64,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    super::entities::ledger_entry::ActiveModel {
        stall_id: Set(stall_id),
        order_id: Set(Some(order_id)),
        kind: Set(kind.to_string()),
        amount: Set(amount),
        note: Set(None),
        created_by: Set(None),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(backend)?;
    Ok(())
}

async fn event(
    db: &impl ConnectionTrait,
    order_id: i64,
    from: OrderStatus,
    to: OrderStatus,
    actor: OrderActor,
    user: Option<i64>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    order_event::ActiveModel {
        order_id: Set(order_id),
        from_status: Set(from.slug().to_string()),
        to_status: Set(to.slug().to_string()),
        actor: Set(actor.slug().to_string()),
        actor_user_id: Set(user),
        note: Set(None),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(backend)?;
    Ok(())
}
