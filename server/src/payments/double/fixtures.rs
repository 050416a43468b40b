//! Stripe objects built from Stripe's own published API fixtures (`fixtures3.json`, MIT, see
//! `LICENSE` beside it), with only the fields the flow changes overridden. Starting from what
//! Stripe publishes keeps every required field present, so async-stripe parses the double's
//! answers exactly as it parses real Stripe's.
use std::sync::LazyLock;

use serde_json::{Value, json};

static FIXTURES: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("fixtures3.json")).expect("fixtures3.json is valid JSON")
});

/// Stripe's example object of a resource (`checkout.session`, `charge`, `refund`, `event`, …).
fn fixture(resource: &str) -> Value {
    FIXTURES["resources"]
        .get(resource)
        .cloned()
        .unwrap_or_else(|| panic!("fixtures3.json has no {resource:?} resource"))
}

/// Replaces the top-level fields of `object` named in `fields` (which must be a JSON object).
fn with_fields(mut object: Value, fields: Value) -> Value {
    if let (Some(target), Value::Object(fields)) = (object.as_object_mut(), fields) {
        target.extend(fields);
    }
    object
}

/// What a shopper is asked to pay for on a session.
pub(super) struct NewSession<'a> {
    pub id: &'a str,
    pub url: &'a str,
    pub created: i64,
    pub expires_at: i64,
    pub amount_total: i64,
    pub client_reference_id: Option<&'a str>,
    pub metadata: &'a Value,
    pub success_url: &'a str,
    pub cancel_url: Option<&'a str>,
}

/// An open, unpaid Checkout Session in `vnd`, as `POST /v1/checkout/sessions` answers.
pub(super) fn open_session(new: NewSession<'_>) -> Value {
    let mut session = with_fields(
        fixture("checkout.session"),
        json!({
            "id": new.id,
            "url": new.url,
            "created": new.created,
            "expires_at": new.expires_at,
            "livemode": false,
            "mode": "payment",
            "currency": "vnd",
            "amount_subtotal": new.amount_total,
            "amount_total": new.amount_total,
            "client_reference_id": new.client_reference_id,
            "metadata": new.metadata,
            "success_url": new.success_url,
            "cancel_url": new.cancel_url,
            "status": "open",
            "payment_status": "unpaid",
            // Stripe creates the PaymentIntent only when the shopper confirms.
            "payment_intent": null,
            // Nobody has typed anything yet; no shipping, discount, tax or currency conversion
            // was asked for, unlike in the fixture.
            "customer_details": null,
            "collected_information": null,
            "shipping_address_collection": null,
            "shipping_cost": null,
            "shipping_options": [],
            "currency_conversion": null,
            "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        }),
    );
    if let Some(enabled) = session.pointer_mut("/invoice_creation/enabled") {
        *enabled = json!(false);
    }
    session
}

/// The session once paid: Stripe fills in the shopper and the PaymentIntent and drops the url.
pub(super) fn completed_session(session: &Value, payment_intent: &str) -> Value {
    with_fields(
        session.clone(),
        json!({
            "status": "complete",
            "payment_status": "paid",
            "payment_intent": payment_intent,
            "customer_details": fixture("checkout.session")["customer_details"],
            "url": null,
        }),
    )
}

/// The session once expired unpaid.
pub(super) fn expired_session(session: &Value) -> Value {
    with_fields(session.clone(), json!({"status": "expired", "url": null}))
}

/// The card charge behind a paid session, in `vnd`.
pub(super) fn succeeded_charge(id: &str, payment_intent: &str, amount: i64, created: i64) -> Value {
    let mut charge = with_fields(
        fixture("charge"),
        json!({
            "id": id,
            "amount": amount,
            "amount_captured": amount,
            "amount_refunded": 0,
            "captured": true,
            "created": created,
            "currency": "vnd",
            "description": null,
            "livemode": false,
            "metadata": {},
            "paid": true,
            "payment_intent": payment_intent,
            "refunded": false,
            "status": "succeeded",
            "outcome": {
                "advice_code": null,
                "network_advice_code": null,
                "network_decline_code": null,
                "network_status": "approved_by_network",
                "reason": null,
                "risk_level": "normal",
                "seller_message": "Payment complete.",
                "type": "authorized",
            },
            "refunds": {
                "object": "list",
                "data": [],
                "has_more": false,
                "url": format!("/v1/charges/{id}/refunds"),
            },
            // A PaymentIntent's charge has no legacy source and, without Connect, no transfer.
            "source": null,
            "transfer_data": null,
        }),
    );
    if let Some(max) =
        charge.pointer_mut("/payment_method_details/card/overcapture/maximum_amount_capturable")
    {
        *max = json!(amount);
    }
    charge
}

/// A succeeded card refund.
pub(super) fn succeeded_refund(
    id: &str,
    charge: &str,
    payment_intent: &str,
    amount: i64,
    created: i64,
) -> Value {
    with_fields(
        fixture("refund"),
        json!({
            "id": id,
            "amount": amount,
            "charge": charge,
            "payment_intent": payment_intent,
            "created": created,
            "currency": "vnd",
            "metadata": {},
            "status": "succeeded",
        }),
    )
}

/// The charge after `refund`, with every refund so far listed.
pub(super) fn refunded_charge(charge: &Value, refund: &Value) -> Value {
    let amount = charge["amount"].as_i64().unwrap_or(0);
    let refunded =
        charge["amount_refunded"].as_i64().unwrap_or(0) + refund["amount"].as_i64().unwrap_or(0);
    let mut refunds = charge["refunds"].clone();
    if let Some(data) = refunds.get_mut("data").and_then(Value::as_array_mut) {
        data.insert(0, refund.clone());
    }
    with_fields(
        charge.clone(),
        json!({
            "amount_refunded": refunded,
            "refunded": refunded >= amount,
            "refunds": refunds,
        }),
    )
}

/// Who caused an event: an API request (with its idempotency key) or the shopper on the page.
pub(super) struct EventRequest<'a> {
    pub id: Option<&'a str>,
    pub idempotency_key: Option<&'a str>,
}

/// An event about `object`, as Stripe delivers it to a webhook endpoint.
pub(super) fn event(
    id: &str,
    event_type: &str,
    object: &Value,
    created: i64,
    request: EventRequest<'_>,
) -> Value {
    with_fields(
        fixture("event"),
        json!({
            "id": id,
            "type": event_type,
            "created": created,
            "livemode": false,
            "api_version": stripe_shared::version::VERSION.as_str(),
            "pending_webhooks": 1,
            "request": {"id": request.id, "idempotency_key": request.idempotency_key},
            "data": {"object": object},
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixtures_hold_every_resource_the_double_answers_with() {
        for resource in ["checkout.session", "charge", "refund", "event"] {
            assert_eq!(
                fixture(resource)["object"],
                json!(resource),
                "{resource} fixture"
            );
        }
    }

    #[test]
    fn overriding_keeps_the_fixtures_other_fields() {
        let session = open_session(NewSession {
            id: "cs_test_1",
            url: "http://double/pay/cs_test_1",
            created: 1,
            expires_at: 2,
            amount_total: 150_000,
            client_reference_id: Some("chk_1"),
            metadata: &json!({"checkout_id": "chk_1"}),
            success_url: "http://shop/ok",
            cancel_url: None,
        });
        assert_eq!(session["amount_total"], json!(150_000));
        assert_eq!(session["currency"], json!("vnd"));
        assert_eq!(session["payment_method_types"], json!(["card"]));
        assert_eq!(session["invoice_creation"]["enabled"], json!(false));
    }
}
