//! What the card processor is asked and answers: payment attempts, what its events report,
//! refunds owed, the processor itself, and the alerts its word raised.
use super::{OrderId, StoreResult};
use crate::model::{CheckoutView, PaymentAlert};
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// One attempt to pay a checkout's orders by card: one Checkout Session, one idempotency key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardAttempt {
    /// 1, 2, …: repeating a number repeats the same request to the processor.
    pub number: u32,
    /// The orders it charges, by id, ascending.
    pub orders: Vec<OrderId>,
    /// When its session stops taking payments.
    pub expires_at: DateTime<Utc>,
    /// The processor's session and its payment page, once made.
    pub session: Option<(String, String)>,
}

/// What the card processor says happened to a Checkout Session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardOutcome {
    /// The session was paid. `orders`: those it charged, as the session names them (`None`
    /// for one that names none: every order of the checkout).
    Paid {
        session: String,
        payment_intent: Option<String>,
        orders: Option<Vec<OrderId>>,
        /// What the session charged, as the processor says: applied only when it is exactly
        /// the orders' total, in đồng.
        charged: Charged,
    },
    /// The session ended unpaid.
    Failed { session: String },
}

impl CardOutcome {
    pub fn kind(&self) -> &'static str {
        match self {
            CardOutcome::Paid { .. } => "paid",
            CardOutcome::Failed { .. } => "failed",
        }
    }
}

/// An amount of money as the card processor reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Charged {
    /// In the currency's smallest unit: whole đồng for `vnd`.
    pub amount: Option<i64>,
    /// Lowercase ISO code, as Stripe writes it.
    pub currency: Option<String>,
}

/// What applying a card event did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardEventApplied {
    /// False for an event applied before.
    pub applied: bool,
    /// Another Checkout Session of the checkout that now charges for orders no longer
    /// awaiting payment, for the caller to expire.
    pub stale_session: Option<String>,
    /// Whether the event left money to give back ([`super::Orders::claim_refunds`]).
    pub refunds: bool,
    /// Why a payment was not applied: it charged another amount or currency than its orders
    /// cost. Recorded, never applied, for an administrator to look into.
    pub refused: Option<String>,
}

/// A checkout whose latest card attempt has a Checkout Session and orders still awaiting its
/// payment: what reconciliation asks the processor about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenCardSession {
    pub token: String,
    pub session: String,
    /// The orders of the attempt still awaiting payment.
    pub awaiting: Vec<OrderId>,
}

/// Money a card payment brought for an order that no longer awaited it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundDue {
    pub id: i64,
    pub order_id: OrderId,
    pub payment_intent: String,
    pub amount: crate::domain::money::Dong,
    /// One per payment and order, so repeating the refund never refunds twice.
    pub idempotency_key: String,
    /// 1 for the first try, 2 for the second…
    pub attempt: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum CardError {
    /// The processor could not be reached; nothing was charged and the order stays payable.
    #[error("the card processor is unreachable")]
    Unreachable,
    #[error("the card processor refused: {0}")]
    Rejected(String),
}

/// Hosted card payments (Stripe Checkout, or its stand-in when asked for, or none).
#[async_trait]
pub trait CardPayments: Send + Sync {
    /// Where payments go: the interface says when they are simulated, or off.
    fn mode(&self) -> crate::domain::order::CardMode;
    /// Opens the hosted payment page for the orders of `attempt`; the same attempt again
    /// returns the same session, so a retry never charges twice. Returns the processor's
    /// session id and the page's address.
    async fn start(
        &self,
        checkout: &CheckoutView,
        attempt: &CardAttempt,
    ) -> Result<(String, String), CardError>;
    /// What became of a session, as the processor has it now: `Paid` or `Failed` once it
    /// ended, `None` while it is open (or paid by a method still settling).
    async fn look_up(&self, session_id: &str) -> Result<Option<CardOutcome>, CardError>;
    /// Closes an open session: its page no longer takes payments.
    async fn expire(&self, session_id: &str) -> Result<(), CardError>;
    async fn refund(
        &self,
        payment_intent: &str,
        amount: i64,
        idempotency_key: &str,
    ) -> Result<(), CardError>;
}

/// What went wrong with the card processor's word, kept for the administrators' page and
/// `/healthz`.
#[async_trait]
pub trait PaymentAlerts: Send + Sync {
    async fn record(&self, alert: &PaymentAlert) -> StoreResult<()>;
    /// The alerts last seen after `since`, newest first, at most `limit`.
    async fn since(&self, since: DateTime<Utc>, limit: u64) -> StoreResult<Vec<PaymentAlert>>;
}
