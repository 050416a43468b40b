use super::entities::{
    card_refund, checkout, ledger_entry, order, order_event, order_line, product, stall,
    stripe_event,
};
use super::{backend, stored};
use app::domain::market::Weekday;
use app::domain::money::Dong;
use app::domain::order::{OrderActor, OrderStatus, PricedLine, order_code};
use app::domain::phone::Phone;
use app::domain::quantity::Quantity;
use app::model::{CheckoutView, Order, OrderEvent};
use app::ports::{
    CardAttempt, CardEventApplied, CardOutcome, NewCheckout, OrderFilter, Orders, RefundDue,
    StoreError, StoreResult,
};
use async_trait::async_trait;
use chrono::{DateTime, Datelike, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
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
/// transfer revived — then never below zero, since the goods are already paid for.
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
                pickup_date: o.pickup_date,
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
    let orders = load(db, rows).await?;
    let awaiting_card = orders
        .iter()
        .any(|o| o.status == OrderStatus::AwaitingPayment);
    Ok(CheckoutView {
        token: c.token,
        method: stored("checkouts.method", &c.method)?,
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
            session_orders: Set(None),
            session_expires_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(backend)?;
        let status = OrderStatus::initial(new.checkout.method);
        for draft in &new.orders {
            let pickup_date = new
                .pickup_dates
                .iter()
                .find(|(stall, _)| *stall == draft.stall_id)
                .map(|(_, date)| *date);
            // The weekday too, so the column keeps one meaning for every order.
            let pickup_day = pickup_date.map(|date| Weekday::of(date).slug().to_string());
            let row = order::ActiveModel {
                // The code is made from the id, known only after the insert.
                code: Set(format!("pending-{}", uuid::Uuid::new_v4().simple())),
                checkout_id: Set(c.id),
                stall_id: Set(draft.stall_id),
                status: Set(status.slug().to_string()),
                method: Set(new.checkout.method.slug().to_string()),
                fulfilment: Set(fulfilment.slug().to_string()),
                pickup_day: Set(pickup_day),
                pickup_date: Set(pickup_date),
                subtotal: Set(draft.subtotal().amount()),
                delivery_fee: Set(match fulfilment {
                    app::domain::order::Fulfilment::Delivery => draft.delivery_fee.amount(),
                    app::domain::order::Fulfilment::Pickup => 0,
                }),
                total: Set(draft.total(fulfilment).amount()),
                expires_at: Set(new.expires_at),
                created_at: Set(now),
                updated_at: Set(now),
                payment_intent: Set(None),
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

    async fn checkouts_of_user(&self, user_id: i64, limit: u64) -> StoreResult<Vec<CheckoutView>> {
        let checkouts = checkout::Entity::find()
            .filter(checkout::Column::UserId.eq(user_id))
            .order_by_desc(checkout::Column::CreatedAt)
            .order_by_desc(checkout::Column::Id)
            .limit(limit)
            .all(&self.0)
            .await
            .map_err(backend)?;
        let mut views = Vec::with_capacity(checkouts.len());
        for c in checkouts {
            views.push(checkout_view(&self.0, c).await?);
        }
        Ok(views)
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
    ) -> StoreResult<Option<String>> {
        let txn = self.0.begin().await.map_err(backend)?;
        let o = order::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?;
        shift(&txn, id, from, to, actor, actor_user_id, self.1.now()).await?;
        let stale = close_stale_attempt(&txn, o.checkout_id, None).await?;
        txn.commit().await.map_err(backend)?;
        Ok(stale)
    }

    async fn apply_card_event(
        &self,
        event_id: &str,
        token: &str,
        outcome: &CardOutcome,
        fee: app::domain::order::PlatformFee,
    ) -> StoreResult<CardEventApplied> {
        let now = self.1.now();
        let txn = self.0.begin().await.map_err(backend)?;
        if !record_event(&txn, event_id, outcome.kind(), now).await? {
            return Ok(CardEventApplied::default());
        }
        let mut applied = CardEventApplied {
            applied: true,
            ..Default::default()
        };
        let Some(c) = checkout::Entity::find()
            .filter(checkout::Column::Token.eq(token))
            .one(&txn)
            .await
            .map_err(backend)?
        else {
            txn.commit().await.map_err(backend)?;
            return Ok(applied);
        };
        let session = match outcome {
            CardOutcome::Paid {
                session,
                payment_intent,
                orders,
            } => {
                let payment = CardPayment {
                    payment_intent: payment_intent.as_deref(),
                    fee,
                    at: now,
                };
                for o in charged_orders(&txn, c.id, orders.as_deref()).await? {
                    applied.refunds |= payment.settle(&txn, o).await?;
                }
                session
            }
            CardOutcome::Failed { session } => {
                // Only the open attempt's own session ends its orders' wait: a session the app
                // replaced or expired itself charged for something that has changed since.
                if c.stripe_session_id.as_deref() == Some(session.as_str()) {
                    let charged = attempt_orders(&c)?;
                    for o in charged_orders(&txn, c.id, Some(&charged)).await? {
                        let from = stored::<OrderStatus>("orders.status", &o.status)?;
                        if from == OrderStatus::AwaitingPayment {
                            let (to, actor) = (OrderStatus::Expired, OrderActor::PaymentProvider);
                            shift(&txn, o.id, from, to, actor, None, now).await?;
                        }
                    }
                }
                session
            }
        };
        applied.stale_session = close_stale_attempt(&txn, c.id, Some(session)).await?;
        txn.commit().await.map_err(backend)?;
        Ok(applied)
    }

    async fn card_payment_of(&self, order_id: i64) -> StoreResult<Option<String>> {
        Ok(order::Entity::find_by_id(order_id)
            .one(&self.0)
            .await
            .map_err(backend)?
            .and_then(|o| o.payment_intent))
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

    async fn card_attempt(&self, token: &str) -> StoreResult<Option<CardAttempt>> {
        let c = checkout_by_token(&self.0, token).await?;
        if c.attempts == 0 {
            return Ok(None);
        }
        Ok(Some(CardAttempt {
            number: u32::try_from(c.attempts).map_err(backend)?,
            orders: attempt_orders(&c)?,
            expires_at: c.session_expires_at.unwrap_or(c.created_at),
            session: c.stripe_session_id.zip(c.payment_url),
        }))
    }

    async fn begin_card_attempt(
        &self,
        token: &str,
        previous: u32,
        orders: &[i64],
        expires_at: DateTime<Utc>,
    ) -> StoreResult<(CardAttempt, Option<String>)> {
        let c = checkout_by_token(&self.0, token).await?;
        let number = previous.checked_add(1).ok_or(StoreError::Stale)?;
        // Compare-and-set on the attempt number: of two requests starting the next attempt at
        // once, one does and the other is told to look again.
        let begun = checkout::Entity::update_many()
            .col_expr(checkout::Column::Attempts, Expr::value(i64::from(number)))
            .col_expr(
                checkout::Column::SessionOrders,
                Expr::value(Some(order_list(orders))),
            )
            .col_expr(
                checkout::Column::SessionExpiresAt,
                Expr::value(Some(expires_at)),
            )
            .col_expr(
                checkout::Column::StripeSessionId,
                Expr::value(None::<String>),
            )
            .col_expr(checkout::Column::PaymentUrl, Expr::value(None::<String>))
            .filter(checkout::Column::Id.eq(c.id))
            .filter(checkout::Column::Attempts.eq(i64::from(previous)))
            .exec(&self.0)
            .await
            .map_err(backend)?;
        if begun.rows_affected != 1 {
            return Err(StoreError::Stale);
        }
        // The replaced attempt's session may take payments until it runs out.
        let replaced = c
            .stripe_session_id
            .filter(|_| c.session_orders.is_some())
            .filter(|_| c.session_expires_at.is_some_and(|at| at > self.1.now()));
        let attempt = CardAttempt {
            number,
            orders: orders.to_vec(),
            expires_at,
            session: None,
        };
        Ok((attempt, replaced))
    }

    async fn record_card_session(
        &self,
        token: &str,
        attempt: &CardAttempt,
        session_id: &str,
        url: &str,
    ) -> StoreResult<bool> {
        let recorded = checkout::Entity::update_many()
            .col_expr(checkout::Column::StripeSessionId, Expr::value(session_id))
            .col_expr(checkout::Column::PaymentUrl, Expr::value(url))
            .filter(checkout::Column::Token.eq(token))
            .filter(checkout::Column::Attempts.eq(i64::from(attempt.number)))
            .filter(checkout::Column::SessionOrders.eq(order_list(&attempt.orders)))
            .exec(&self.0)
            .await
            .map_err(backend)?;
        Ok(recorded.rows_affected == 1)
    }

    async fn refunds_due(&self) -> StoreResult<Vec<RefundDue>> {
        Ok(card_refund::Entity::find()
            .filter(card_refund::Column::RefundedAt.is_null())
            .order_by_asc(card_refund::Column::Id)
            .all(&self.0)
            .await
            .map_err(backend)?
            .into_iter()
            .map(|r| RefundDue {
                id: r.id,
                order_id: r.order_id,
                payment_intent: r.payment_intent,
                amount: Dong::new(r.amount),
                idempotency_key: r.idempotency_key,
            })
            .collect())
    }

    async fn refund_made(&self, id: i64) -> StoreResult<()> {
        card_refund::Entity::update_many()
            .col_expr(
                card_refund::Column::RefundedAt,
                Expr::value(Some(self.1.now())),
            )
            .filter(card_refund::Column::Id.eq(id))
            .filter(card_refund::Column::RefundedAt.is_null())
            .exec(&self.0)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

async fn checkout_by_token(db: &impl ConnectionTrait, token: &str) -> StoreResult<checkout::Model> {
    checkout::Entity::find()
        .filter(checkout::Column::Token.eq(token))
        .one(db)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound)
}

/// Records a webhook event's id; `false` when it was recorded before (a repeated delivery).
async fn record_event(
    db: &impl ConnectionTrait,
    event_id: &str,
    kind: &str,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let recorded = stripe_event::Entity::insert(stripe_event::ActiveModel {
        id: Set(event_id.to_string()),
        kind: Set(kind.to_string()),
        processed_at: Set(at),
    })
    .on_conflict(
        sea_orm::sea_query::OnConflict::column(stripe_event::Column::Id)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map_err(backend)?;
    Ok(recorded == 1)
}

/// The checkout's orders a Checkout Session charged: those it names, or every one.
async fn charged_orders(
    db: &impl ConnectionTrait,
    checkout_id: i64,
    ids: Option<&[i64]>,
) -> StoreResult<Vec<order::Model>> {
    let mut query = order::Entity::find()
        .filter(order::Column::CheckoutId.eq(checkout_id))
        .order_by_asc(order::Column::Id);
    if let Some(ids) = ids {
        query = query.filter(order::Column::Id.is_in(ids.iter().copied()));
    }
    query.all(db).await.map_err(backend)
}

/// A paid Checkout Session, applied to each order it charged.
struct CardPayment<'a> {
    payment_intent: Option<&'a str>,
    fee: app::domain::order::PlatformFee,
    at: DateTime<Utc>,
}

impl CardPayment<'_> {
    /// Pays `o` if it still awaits payment, crediting its stall in the ledger. An order that no
    /// longer does (cancelled, expired, or paid by another session) is neither paid nor given
    /// stock back: its amount is owed to the shopper, and the order's history says so.
    /// Returns whether a refund became due.
    async fn settle(&self, db: &impl ConnectionTrait, o: order::Model) -> StoreResult<bool> {
        use app::domain::order::{OrderMove, transition};
        if o.payment_intent.is_some() && o.payment_intent.as_deref() == self.payment_intent {
            return Ok(false); // this very payment paid it already
        }
        let from = stored::<OrderStatus>("orders.status", &o.status)?;
        let method = stored("orders.method", &o.method)?;
        let fulfilment = stored("orders.fulfilment", &o.fulfilment)?;
        let actor = OrderActor::PaymentProvider;
        if from == OrderStatus::AwaitingPayment
            && let Ok(to) = transition(actor, OrderMove::ConfirmPayment, from, method, fulfilment)
        {
            shift(db, o.id, from, to, actor, None, self.at).await?;
            order::Entity::update_many()
                .col_expr(
                    order::Column::PaymentIntent,
                    Expr::value(self.payment_intent.map(str::to_owned)),
                )
                .filter(order::Column::Id.eq(o.id))
                .exec(db)
                .await
                .map_err(backend)?;
            ledger(db, o.stall_id, o.id, CARD_SALE, o.total, self.at).await?;
            let charged = self.fee.of(Dong::new(o.total)).amount();
            if charged > 0 {
                ledger(db, o.stall_id, o.id, PLATFORM_FEE, -charged, self.at).await?;
            }
            return Ok(false);
        }
        let Some(intent) = self.payment_intent else {
            tracing::error!(
                order = o.id,
                "a card payment without a PaymentIntent reached an order no longer awaiting it"
            );
            return Ok(false);
        };
        let owed = card_refund::Entity::insert(card_refund::ActiveModel {
            order_id: Set(o.id),
            payment_intent: Set(intent.to_owned()),
            amount: Set(o.total),
            idempotency_key: Set(format!("refund-{intent}-order-{}", o.id)),
            requested_at: Set(self.at),
            refunded_at: Set(None),
            ..Default::default()
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(card_refund::Column::IdempotencyKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await
        .map_err(backend)?;
        if owed == 0 {
            return Ok(false);
        }
        let note = format!(
            "card payment {intent} arrived for an order already {from}: {} refunded",
            Dong::new(o.total)
        );
        noted_event(db, o.id, from, actor, &note, self.at).await?;
        Ok(true)
    }
}

/// The orders the checkout's latest card attempt charges (none once it closed).
fn attempt_orders(c: &checkout::Model) -> StoreResult<Vec<i64>> {
    c.session_orders
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter(|id| !id.is_empty())
        .map(|id| stored("checkouts.session_orders", id))
        .collect()
}

/// Order ids as the checkout stores them: ascending, comma-separated.
fn order_list(ids: &[i64]) -> String {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Closes the checkout's open card attempt once an order it charges no longer awaits payment
/// (paid, cancelled or expired), so its session is neither offered nor paid again. Returns
/// that session for the caller to expire at the processor, unless it is `settled`: the session
/// an event has just reported finished.
async fn close_stale_attempt(
    db: &impl ConnectionTrait,
    checkout_id: i64,
    settled: Option<&str>,
) -> StoreResult<Option<String>> {
    let c = checkout::Entity::find_by_id(checkout_id)
        .one(db)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound)?;
    let Some(list) = c.session_orders.clone() else {
        return Ok(None);
    };
    let charged = attempt_orders(&c)?;
    let awaiting = order::Entity::find()
        .filter(order::Column::Id.is_in(charged.iter().copied()))
        .filter(order::Column::Status.eq(OrderStatus::AwaitingPayment.slug()))
        .count(db)
        .await
        .map_err(backend)?;
    if usize::try_from(awaiting).ok() == Some(charged.len()) {
        return Ok(None);
    }
    // Compare-and-set: an attempt begun meanwhile is left alone.
    let closed = checkout::Entity::update_many()
        .col_expr(checkout::Column::SessionOrders, Expr::value(None::<String>))
        .col_expr(
            checkout::Column::StripeSessionId,
            Expr::value(None::<String>),
        )
        .col_expr(checkout::Column::PaymentUrl, Expr::value(None::<String>))
        .filter(checkout::Column::Id.eq(c.id))
        .filter(checkout::Column::Attempts.eq(c.attempts))
        .filter(checkout::Column::SessionOrders.eq(list))
        .exec(db)
        .await
        .map_err(backend)?;
    if closed.rows_affected != 1 {
        return Ok(None);
    }
    Ok(c.stripe_session_id.filter(|s| Some(s.as_str()) != settled))
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
    if from.is_paid() && to == OrderStatus::Cancelled {
        take_back_credit(db, id, at).await?;
    }
    event(db, id, from, to, actor, user, at).await
}

/// The ledger entries for a card-paid order that is cancelled, its money refunded: what the
/// ledger credited its stall for it (the sale less the platform's fee, whatever the fee was
/// then) is taken back, so the stall is owed nothing for it. A transfer order has no entries
/// and gets none.
async fn take_back_credit(
    db: &impl ConnectionTrait,
    order_id: i64,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::OrderId.eq(order_id))
        .all(db)
        .await
        .map_err(backend)?;
    let credited: i64 = entries.iter().map(|e| e.amount).sum();
    match entries.first() {
        Some(entry) if credited != 0 => {
            ledger(db, entry.stall_id, order_id, CARD_REFUND, -credited, at).await
        }
        _ => Ok(()),
    }
}

/// The kinds of ledger entries an order's card money makes.
const CARD_SALE: &str = "card_sale";
const PLATFORM_FEE: &str = "platform_fee";
const CARD_REFUND: &str = "card_refund";

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

/// One line of an order's history: a move from one status to another, by whom and when.
struct OrderEventRow<'a> {
    order_id: i64,
    from: OrderStatus,
    to: OrderStatus,
    actor: OrderActor,
    user: Option<i64>,
    note: Option<&'a str>,
    at: DateTime<Utc>,
}

async fn insert_event(db: &impl ConnectionTrait, e: OrderEventRow<'_>) -> StoreResult<()> {
    order_event::ActiveModel {
        order_id: Set(e.order_id),
        from_status: Set(e.from.slug().to_string()),
        to_status: Set(e.to.slug().to_string()),
        actor: Set(e.actor.slug().to_string()),
        actor_user_id: Set(e.user),
        note: Set(e.note.map(str::to_owned)),
        at: Set(e.at),
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
    let row = OrderEventRow {
        order_id,
        from,
        to,
        actor,
        user,
        note: None,
        at,
    };
    insert_event(db, row).await
}

/// Something that happened to an order without moving it, noted in its history.
async fn noted_event(
    db: &impl ConnectionTrait,
    order_id: i64,
    status: OrderStatus,
    actor: OrderActor,
    note: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let row = OrderEventRow {
        order_id,
        from: status,
        to: status,
        actor,
        user: None,
        note: Some(note),
        at,
    };
    insert_event(db, row).await
}
