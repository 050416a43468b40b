//! The app's card-payment port, filled by hosted Stripe Checkout — or by the Stripe test
//! double when asked for, so the demo and the tests take card payments end to end — or, with
//! neither, by [`CardsOff`].
use super::double::DoubleHandle;
use super::{CheckoutLine, CheckoutRequest, PaymentError, SessionStatus, StripeGateway};
use app::domain::order::CardMode;
use app::model::CheckoutView;
use app::ports::{CardAttempt, CardError, CardOutcome, CardPayments, Charged};
use async_trait::async_trait;

pub struct StripeCards {
    gateway: StripeGateway,
    /// The site's own address, where Stripe sends the shopper back.
    public_base: String,
    /// Keeps the stand-in serving for as long as the app does.
    double: Option<DoubleHandle>,
}

impl StripeCards {
    pub fn new(gateway: StripeGateway, public_base: String, double: Option<DoubleHandle>) -> Self {
        StripeCards {
            gateway,
            public_base,
            double,
        }
    }
}

fn card_error(err: PaymentError) -> CardError {
    match err {
        PaymentError::Unreachable(_) => CardError::Unreachable,
        other => CardError::Rejected(other.to_string()),
    }
}

#[async_trait]
impl CardPayments for StripeCards {
    fn mode(&self) -> CardMode {
        if self.double.is_some() {
            CardMode::Simulated
        } else {
            CardMode::Stripe
        }
    }

    async fn start(
        &self,
        checkout: &CheckoutView,
        attempt: &CardAttempt,
    ) -> Result<(String, String), CardError> {
        // Stripe's quantities are whole numbers and ours come in 0.1 kg steps, so each product
        // is one line of quantity 1 whose amount is the line's total in whole đồng.
        let mut lines: Vec<CheckoutLine> = Vec::new();
        let charged = checkout
            .orders
            .iter()
            .filter(|order| attempt.orders.contains(&order.id));
        for order in charged {
            for line in &order.lines {
                lines.push(CheckoutLine {
                    name: line.name.clone(),
                    unit_amount_dong: line.total.amount(),
                    quantity: 1,
                });
            }
            if order.delivery_fee.amount() > 0 {
                lines.push(CheckoutLine {
                    name: format!("Phí giao hàng / Delivery — {}", order.stall_name),
                    unit_amount_dong: order.delivery_fee.amount(),
                    quantity: 1,
                });
            }
        }
        let page = format!("{}/checkout/{}", self.public_base, checkout.token);
        let session = self
            .gateway
            .create_checkout(CheckoutRequest {
                checkout_id: checkout.token.clone(),
                attempt: attempt.number,
                order_ids: attempt.orders.clone(),
                lines,
                success_url: format!("{page}?paid=1"),
                cancel_url: page,
                expires_at: Some(attempt.expires_at.timestamp()),
            })
            .await
            .map_err(card_error)?;
        let url = session
            .url
            .ok_or_else(|| CardError::Rejected("the session has no payment page".into()))?;
        Ok((session.id, url))
    }

    async fn look_up(&self, session_id: &str) -> Result<Option<CardOutcome>, CardError> {
        let session = self
            .gateway
            .retrieve_checkout(session_id)
            .await
            .map_err(card_error)?;
        Ok(match session.status {
            SessionStatus::Complete if session.paid => Some(CardOutcome::Paid {
                session: session.id,
                payment_intent: session.payment_intent,
                orders: session.order_ids,
                charged: Charged {
                    amount: session.amount_total,
                    currency: session.currency,
                },
            }),
            SessionStatus::Expired => Some(CardOutcome::Failed {
                session: session.id,
            }),
            // Open, or complete with a payment still settling: its event will say.
            _ => None,
        })
    }

    async fn expire(&self, session_id: &str) -> Result<(), CardError> {
        self.gateway
            .expire_checkout(session_id)
            .await
            .map(|_| ())
            .map_err(card_error)
    }

    async fn refund(
        &self,
        payment_intent: &str,
        amount: i64,
        idempotency_key: &str,
    ) -> Result<(), CardError> {
        self.gateway
            .refund(payment_intent, Some(amount), idempotency_key)
            .await
            .map(|_| ())
            .map_err(card_error)
    }
}

/// No card payments: no Stripe keys, and no stand-in asked for. Checkout refuses cards and the
/// pages say why; a refund owed from before is refused, and given up on for an administrator.
pub struct CardsOff;

fn off() -> CardError {
    CardError::Rejected("card payments are off: STRIPE_SECRET_KEY is not set".into())
}

#[async_trait]
impl CardPayments for CardsOff {
    fn mode(&self) -> CardMode {
        CardMode::Off
    }

    async fn start(
        &self,
        _: &CheckoutView,
        _: &CardAttempt,
    ) -> Result<(String, String), CardError> {
        Err(off())
    }

    async fn look_up(&self, _: &str) -> Result<Option<CardOutcome>, CardError> {
        Err(off())
    }

    async fn expire(&self, _: &str) -> Result<(), CardError> {
        Err(off())
    }

    async fn refund(&self, _: &str, _: i64, _: &str) -> Result<(), CardError> {
        Err(off())
    }
}
