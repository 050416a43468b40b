//! What the card processor reports about a checkout, applied once per event: a paid Checkout
//! Session pays the orders it charged (or, for orders no longer awaiting it, makes a refund
//! due), and a failed one ends its orders' wait.
use super::attempts::{attempt_orders, close_stale_attempt};
use super::credit::{CARD_SALE, PLATFORM_FEE, ledger};
use super::history::noted_event;
use super::moves::shift;
use super::{OrderStore, backend, stored};
use crate::db::entities::{checkout, order, stripe_event};
use app::domain::id::OrderId;
use app::domain::money::Dong;
use app::domain::order::{
    OrderActor, OrderMove, OrderStatus, PaymentMethod, PlatformFee, transition,
};
use app::ports::{CardEventApplied, CardOutcome, Charged, StoreResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

pub(super) async fn apply_card_event(
    store: &OrderStore,
    event_id: &str,
    token: &str,
    outcome: &CardOutcome,
    fee: PlatformFee,
) -> StoreResult<CardEventApplied> {
    let now = store.1.now();
    let txn = crate::db::write_txn(&store.0).await?;
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
            charged,
        } => {
            let payment = CardPayment {
                payment_intent: payment_intent.as_deref(),
                fee,
                at: now,
            };
            let orders = charged_orders(&txn, c.id, orders.as_deref()).await?;
            if let Some(mismatch) = mismatch(charged, &orders) {
                tracing::error!(event = event_id, session, %mismatch, "a card payment does not match its orders; not applied");
                let alert = app::model::PaymentAlert {
                    kind: app::domain::payment_alert::AlertKind::Mismatch,
                    reference: Some(session.clone()),
                    detail: format!("event {event_id}: {mismatch}"),
                    count: 1,
                    first_at: now,
                    last_at: now,
                };
                crate::db::alerts::record(&txn, &alert).await?;
                applied.refused = Some(mismatch);
                txn.commit().await.map_err(backend)?;
                return Ok(applied);
            }
            for o in orders {
                applied.refunds |= payment.settle(&txn, o).await?;
            }
            session
        }
        CardOutcome::Failed { session } => {
            // Only the open attempt's own session ends its orders' wait: a session the app
            // replaced or expired itself charged for something that has changed since.
            if c.stripe_session_id.as_deref() == Some(session.as_str()) {
                expire_attempt(&txn, &c, now).await?;
            }
            session
        }
    };
    applied.stale_session = close_stale_attempt(&txn, c.id, Some(session)).await?;
    txn.commit().await.map_err(backend)?;
    let checkout = app::domain::id::CheckoutId::new(c.id);
    store
        .2
        .changed(crate::live::Watched::Checkout(checkout))
        .await;
    Ok(applied)
}

/// Why a session's charge is not the payment of `orders`, if it isn't: a currency other than
/// đồng, or an amount other than their total.
fn mismatch(charged: &Charged, orders: &[order::Model]) -> Option<String> {
    let total: i64 = orders.iter().map(|o| o.total).sum();
    match (charged.amount, charged.currency.as_deref()) {
        (Some(amount), Some("vnd")) if amount == total => None,
        (amount, currency) => Some(format!(
            "charged {} {}, the orders cost {total} vnd",
            amount.map_or_else(|| "?".to_string(), |a| a.to_string()),
            currency.unwrap_or("?")
        )),
    }
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
        OnConflict::column(stripe_event::Column::Id)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map_err(backend)?;
    Ok(recorded == 1)
}

/// The checkout's orders a Checkout Session charged: those it names, or (a session made
/// before sessions named their orders) every one paid by card: a checkout may pay its other
/// stalls by transfer.
async fn charged_orders(
    db: &impl ConnectionTrait,
    checkout_id: i64,
    ids: Option<&[OrderId]>,
) -> StoreResult<Vec<order::Model>> {
    let mut query = order::Entity::find()
        .filter(order::Column::CheckoutId.eq(checkout_id))
        .order_by_asc(order::Column::Id);
    query = match ids {
        Some(ids) => query.filter(order::Column::Id.is_in(ids.iter().map(|id| id.get()))),
        None => query.filter(order::Column::Method.eq(PaymentMethod::Card.slug())),
    };
    query.all(db).await.map_err(backend)
}

/// The open attempt's session ended unpaid: each order it charged that still awaits payment
/// expires, its stock going back on sale.
async fn expire_attempt(
    db: &impl ConnectionTrait,
    c: &checkout::Model,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let charged = attempt_orders(c)?;
    for o in charged_orders(db, c.id, Some(&charged)).await? {
        let from = stored::<OrderStatus>("orders.status", &o.status)?;
        if from == OrderStatus::AwaitingPayment {
            let (to, actor) = (OrderStatus::Expired, OrderActor::PaymentProvider);
            shift(db, o.id, from, to, actor, None, now).await?;
        }
    }
    Ok(())
}

/// A paid Checkout Session, applied to each order it charged.
struct CardPayment<'a> {
    payment_intent: Option<&'a str>,
    fee: PlatformFee,
    at: DateTime<Utc>,
}

impl CardPayment<'_> {
    /// Pays `o` if it still awaits payment, crediting its stall in the ledger. An order that no
    /// longer does (cancelled, expired, or paid by another session) is neither paid nor given
    /// stock back: its amount is owed to the shopper, and the order's history says so.
    /// Returns whether a refund became due.
    async fn settle(&self, db: &impl ConnectionTrait, o: order::Model) -> StoreResult<bool> {
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
            self.pay(db, &o, from, to).await?;
            return Ok(false);
        }
        self.owe_back(db, &o, from).await
    }

    /// Moves `o` to `to` with this payment on it, and credits its stall less the fee.
    async fn pay(
        &self,
        db: &impl ConnectionTrait,
        o: &order::Model,
        from: OrderStatus,
        to: OrderStatus,
    ) -> StoreResult<()> {
        let actor = OrderActor::PaymentProvider;
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
        Ok(())
    }

    /// Owes this payment for `o`, which is `from` and no longer awaits it, back to the
    /// shopper, once however often the event comes; returns whether a refund became due.
    async fn owe_back(
        &self,
        db: &impl ConnectionTrait,
        o: &order::Model,
        from: OrderStatus,
    ) -> StoreResult<bool> {
        let Some(intent) = self.payment_intent else {
            tracing::error!(
                order = o.id,
                "a card payment without a PaymentIntent reached an order no longer awaiting it"
            );
            return Ok(false);
        };
        if !super::refunds::owe(db, o, intent, self.at).await? {
            return Ok(false);
        }
        let note = format!(
            "card payment {intent} arrived for an order already {from}: {} refunded",
            Dong::new(o.total)
        );
        let actor = OrderActor::PaymentProvider;
        noted_event(db, o.id, from, actor, &note, self.at).await?;
        Ok(true)
    }
}
