//! The app's card-payment port, filled by hosted Stripe Checkout — or by the Stripe test
//! double when no key is configured, so the demo and the tests take card payments end to end.
use super::double::DoubleHandle;
use super::{CheckoutLine, CheckoutRequest, PaymentError, StripeGateway};
use app::model::CheckoutView;
use app::ports::{CardAttempt, CardError, CardPayments};
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
    fn simulated(&self) -> bool {
        self.double.is_some()
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
