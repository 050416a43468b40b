//! Webhook events, parsed into what the app acts on.
//!
//! The envelope is parsed as async-stripe's `stripe_shared::Event` and the object with
//! async-stripe's own `CheckoutSession` and `Charge` parsers, exactly as `stripe_webhook` does,
//! so whatever real Stripe sends and async-stripe accepts is accepted here. `stripe_webhook::Event`
//! itself is not returned: it can only be built by re-checking the signature (with a fixed
//! tolerance and its own errors) or through `Webhook::insecure`, which logs a warning on every
//! call in release builds; its serde path needs stripe-shared's `deserialize` feature, i.e.
//! serde derives on a thousand types and minutes more of every build. The app also gets small
//! types of its own instead of async-stripe's, so only this folder knows async-stripe.
use stripe_types::miniserde_helpers::FromValueOpt;

use super::stripe::CheckoutSession;

/// A verified delivery. Store `id` once, in the same transaction that applies the event:
/// Stripe may deliver an event more than once, and in any order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookEvent {
    /// `evt_…`.
    pub id: String,
    /// `checkout.session.completed`, `charge.refunded`, …
    pub event_type: String,
    /// Unix seconds.
    pub created: i64,
    pub livemode: bool,
    pub payload: EventPayload,
}

/// The events that move an order; everything else is acknowledged and ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventPayload {
    /// The shopper finished Checkout. For cards `paid` is already true; for a delayed method it
    /// is false and `CheckoutAsyncPaymentSucceeded` or `…Failed` follows.
    CheckoutCompleted(CheckoutSession),
    CheckoutAsyncPaymentSucceeded(CheckoutSession),
    CheckoutAsyncPaymentFailed(CheckoutSession),
    /// The session ended unpaid: the order may be paid again with a new attempt.
    CheckoutExpired(CheckoutSession),
    ChargeRefunded(RefundedCharge),
    /// Any other type: answer 2xx so Stripe stops sending it.
    Ignored,
}

/// A charge after a (possibly partial) refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundedCharge {
    /// `ch_…`.
    pub id: String,
    /// Leads back to the checkout whose session carried this PaymentIntent.
    pub payment_intent: Option<String>,
    /// Whole đồng charged.
    pub amount: i64,
    /// Whole đồng refunded so far, all refunds together.
    pub amount_refunded: i64,
    pub fully_refunded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("the webhook body is not a Stripe event")]
    NotAnEvent,
    #[error("the object of a {0} event does not parse")]
    Object(String),
}

/// Parses a delivery's raw body; call only after [`super::signature::verify`] accepted it.
pub fn parse_event(raw_body: &[u8]) -> Result<WebhookEvent, EventError> {
    let text = std::str::from_utf8(raw_body).map_err(|_| EventError::NotAnEvent)?;
    let event: stripe_shared::Event =
        miniserde::json::from_str(text).map_err(|_| EventError::NotAnEvent)?;
    let event_type = event.type_.as_str().to_owned();
    let object = event.data.object;
    let session = |object| {
        parse_object::<stripe_shared::CheckoutSession>(object, &event_type)
            .map(CheckoutSession::from)
    };
    let payload = match event_type.as_str() {
        "checkout.session.completed" => EventPayload::CheckoutCompleted(session(object)?),
        "checkout.session.async_payment_succeeded" => {
            EventPayload::CheckoutAsyncPaymentSucceeded(session(object)?)
        }
        "checkout.session.async_payment_failed" => {
            EventPayload::CheckoutAsyncPaymentFailed(session(object)?)
        }
        "checkout.session.expired" => EventPayload::CheckoutExpired(session(object)?),
        "charge.refunded" => {
            let charge: stripe_shared::Charge = parse_object(object, &event_type)?;
            EventPayload::ChargeRefunded(RefundedCharge {
                id: charge.id.to_string(),
                payment_intent: charge.payment_intent.map(|pi| pi.id().to_string()),
                amount: charge.amount,
                amount_refunded: charge.amount_refunded,
                fully_refunded: charge.refunded,
            })
        }
        _ => EventPayload::Ignored,
    };
    Ok(WebhookEvent {
        id: event.id.to_string(),
        event_type,
        created: event.created,
        livemode: event.livemode,
        payload,
    })
}

fn parse_object<T: FromValueOpt>(
    object: miniserde::json::Value,
    event_type: &str,
) -> Result<T, EventError> {
    T::from_value(object).ok_or_else(|| EventError::Object(event_type.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(event_type: &str, object: &str) -> String {
        format!(
            r#"{{"id": "evt_1", "object": "event", "api_version": null, "created": 1750000000,
                "livemode": false, "pending_webhooks": 1, "request": null, "type": "{event_type}",
                "data": {{"object": {object}}}}}"#
        )
    }

    #[test]
    fn other_event_types_are_acknowledged_and_ignored() {
        let parsed = parse_event(event("customer.created", "{}").as_bytes()).unwrap();
        assert_eq!(parsed.id, "evt_1");
        assert_eq!(parsed.event_type, "customer.created");
        assert_eq!(parsed.created, 1_750_000_000);
        assert_eq!(parsed.payload, EventPayload::Ignored);
    }

    #[test]
    fn a_body_that_is_not_an_event_is_refused() {
        assert_eq!(parse_event(b"not json"), Err(EventError::NotAnEvent));
        assert_eq!(
            parse_event(br#"{"id": "evt_1"}"#),
            Err(EventError::NotAnEvent)
        );
        assert_eq!(parse_event(&[0xff, 0xfe]), Err(EventError::NotAnEvent));
    }

    #[test]
    fn an_event_whose_object_is_not_its_type_is_refused() {
        let body = event("checkout.session.completed", r#"{"id": "ch_1"}"#);
        assert_eq!(
            parse_event(body.as_bytes()),
            Err(EventError::Object("checkout.session.completed".into()))
        );
    }
}
