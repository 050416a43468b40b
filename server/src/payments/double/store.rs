//! The double's memory: sessions, charges, events and remembered idempotent answers, and the
//! state changes Stripe makes to them. No HTTP here; handlers lock the store, call one method and
//! deliver the events it returns after unlocking.
use std::collections::HashMap;

use serde_json::Value;
use uuid::Uuid;

use super::error::ApiError;
use super::fixtures::{self, EventRequest, NewSession};

/// A line of a session as it was sent (Stripe only returns line items when asked to expand
/// them; the hosted page shows them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    pub name: String,
    pub unit_amount: i64,
    pub quantity: u64,
}

/// A validated `POST /v1/checkout/sessions`.
#[derive(Debug, Clone)]
pub(super) struct SessionRequest {
    pub lines: Vec<Line>,
    pub success_url: String,
    pub cancel_url: Option<String>,
    pub client_reference_id: Option<String>,
    pub metadata: Value,
    pub expires_at: Option<i64>,
}

/// A validated `POST /v1/refunds`: by PaymentIntent or by charge.
#[derive(Debug, Clone)]
pub(super) struct RefundRequest {
    pub payment_intent: Option<String>,
    pub charge: Option<String>,
    pub amount: Option<i64>,
}

pub(super) struct StoredSession {
    pub object: Value,
    pub lines: Vec<Line>,
}

/// What an idempotent request answered the first time, and the request it answered.
struct Remembered {
    request: String,
    response: Value,
}

/// Stripe's bounds on `expires_at`, from the session's creation.
const MIN_EXPIRY_SECS: i64 = 30 * 60;
const MAX_EXPIRY_SECS: i64 = 24 * 60 * 60;

#[derive(Default)]
pub(super) struct Store {
    sessions: HashMap<String, StoredSession>,
    /// Charges by their PaymentIntent: one charge per paid session.
    charges: HashMap<String, Value>,
    /// Every event, oldest first.
    events: Vec<Value>,
    idempotent: HashMap<String, Remembered>,
    /// While true, new events wait in `held` instead of being delivered.
    pub holding: bool,
    pub held: Vec<Value>,
    /// While set, the API answers every request with Stripe's 500 `api_error`.
    pub outage: bool,
}

/// `cs_test_…`, `pi_…`, `evt_…`: Stripe's prefixes, random like Stripe's.
pub(super) fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", Uuid::new_v4().simple())
}

impl Store {
    /// The earlier answer to `key`, or an idempotency error if `key` came with another request.
    pub fn remembered(&self, key: &str, request: &str) -> Option<Result<Value, ApiError>> {
        self.idempotent.get(key).map(|earlier| {
            if earlier.request == request {
                Ok(earlier.response.clone())
            } else {
                Err(ApiError::idempotency_mismatch(key))
            }
        })
    }

    /// Like Stripe, only answers that succeeded are remembered; a refused request may be fixed
    /// and sent again with the same key.
    pub fn remember(&mut self, key: &str, request: &str, response: &Value) {
        self.idempotent.insert(
            key.to_owned(),
            Remembered {
                request: request.to_owned(),
                response: response.clone(),
            },
        );
    }

    pub fn create_session(
        &mut self,
        request: SessionRequest,
        base_url: &str,
        now: i64,
    ) -> Result<Value, ApiError> {
        let expires_at = request.expires_at.unwrap_or(now + MAX_EXPIRY_SECS);
        if expires_at < now + MIN_EXPIRY_SECS || expires_at > now + MAX_EXPIRY_SECS {
            return Err(ApiError::invalid(
                "parameter_invalid_integer",
                "expires_at",
                "The `expires_at` timestamp must be between 30 minutes and 24 hours from \
                 Checkout Session creation.",
            ));
        }
        let id = new_id("cs_test");
        let amount_total = request
            .lines
            .iter()
            .map(|line| line.unit_amount * line.quantity as i64)
            .sum();
        let object = fixtures::open_session(NewSession {
            id: &id,
            url: &format!("{base_url}/pay/{id}"),
            created: now,
            expires_at,
            amount_total,
            client_reference_id: request.client_reference_id.as_deref(),
            metadata: &request.metadata,
            success_url: &request.success_url,
            cancel_url: request.cancel_url.as_deref(),
        });
        self.sessions.insert(
            id,
            StoredSession {
                object: object.clone(),
                lines: request.lines,
            },
        );
        Ok(object)
    }

    pub fn session(&self, id: &str) -> Result<&StoredSession, ApiError> {
        self.sessions
            .get(id)
            .ok_or_else(|| ApiError::no_such("checkout.session", "session", id))
    }

    /// The shopper paid: a PaymentIntent and its charge exist, the session is complete, and
    /// `checkout.session.completed` is sent.
    pub fn complete(&mut self, id: &str, now: i64) -> Result<Value, ApiError> {
        let session = self.open_session(id)?;
        let payment_intent = new_id("pi");
        let amount = session.object["amount_total"].as_i64().unwrap_or(0);
        let completed = fixtures::completed_session(&session.object, &payment_intent);
        session.object = completed.clone();
        let charge = fixtures::succeeded_charge(&new_id("ch"), &payment_intent, amount, now);
        self.charges.insert(payment_intent, charge);
        Ok(self.push_event("checkout.session.completed", &completed, now, None))
    }

    /// The session ended unpaid (a declined card leaves Checkout open; the session then
    /// expires), and `checkout.session.expired` is sent.
    pub fn expire(&mut self, id: &str, now: i64) -> Result<Value, ApiError> {
        let session = self.open_session(id)?;
        let expired = fixtures::expired_session(&session.object);
        session.object = expired.clone();
        Ok(self.push_event("checkout.session.expired", &expired, now, None))
    }

    fn open_session(&mut self, id: &str) -> Result<&mut StoredSession, ApiError> {
        let session = self
            .sessions
            .get_mut(id)
            .ok_or_else(|| ApiError::no_such("checkout.session", "session", id))?;
        if session.object["status"] != "open" {
            return Err(ApiError::invalid(
                "checkout_session_not_open",
                "session",
                format!(
                    "This Checkout Session is {}; only an open session can be paid or expired.",
                    session.object["status"].as_str().unwrap_or("closed")
                ),
            ));
        }
        Ok(session)
    }

    /// Refunds part or all of what is left on a charge and sends `charge.refunded`.
    /// Returns the refund and the event.
    pub fn refund(
        &mut self,
        request: RefundRequest,
        idempotency_key: Option<&str>,
        now: i64,
    ) -> Result<(Value, Value), ApiError> {
        let payment_intent = match (&request.payment_intent, &request.charge) {
            (Some(pi), _) => pi.clone(),
            (None, Some(charge)) => self
                .charges
                .iter()
                .find(|(_, c)| c["id"] == charge.as_str())
                .map(|(pi, _)| pi.clone())
                .ok_or_else(|| ApiError::no_such("charge", "charge", charge))?,
            (None, None) => {
                return Err(ApiError::invalid(
                    "parameter_missing",
                    "payment_intent",
                    "One of the following params should be provided for this request: \
                     payment_intent or charge.",
                ));
            }
        };
        let charge = self.charges.get(&payment_intent).ok_or_else(|| {
            ApiError::no_such("payment_intent", "payment_intent", &payment_intent)
        })?;
        let charge_id = charge["id"].as_str().unwrap_or_default().to_owned();
        let left = charge["amount"].as_i64().unwrap_or(0)
            - charge["amount_refunded"].as_i64().unwrap_or(0);
        if left <= 0 {
            return Err(ApiError::invalid(
                "charge_already_refunded",
                "charge",
                format!("Charge {charge_id} has already been refunded."),
            ));
        }
        let amount = request.amount.unwrap_or(left);
        if amount <= 0 {
            return Err(ApiError::invalid(
                "parameter_invalid_integer",
                "amount",
                "Invalid positive integer",
            ));
        }
        if amount > left {
            return Err(ApiError::invalid(
                "amount_too_large",
                "amount",
                format!(
                    "Refund amount ({amount} ₫) is greater than unrefunded amount on charge ({left} ₫)"
                ),
            ));
        }
        let refund =
            fixtures::succeeded_refund(&new_id("re"), &charge_id, &payment_intent, amount, now);
        let refunded = fixtures::refunded_charge(charge, &refund);
        self.charges.insert(payment_intent, refunded.clone());
        let request_id = new_id("req");
        let event = self.push_event(
            "charge.refunded",
            &refunded,
            now,
            Some(EventRequest {
                id: Some(&request_id),
                idempotency_key,
            }),
        );
        Ok((refund, event))
    }

    fn push_event(
        &mut self,
        event_type: &str,
        object: &Value,
        now: i64,
        request: Option<EventRequest<'_>>,
    ) -> Value {
        let request = request.unwrap_or(EventRequest {
            id: None,
            idempotency_key: None,
        });
        let event = fixtures::event(&new_id("evt"), event_type, object, now, request);
        self.events.push(event.clone());
        event
    }

    pub fn event(&self, id: &str) -> Option<&Value> {
        self.events.iter().find(|event| event["id"] == id)
    }

    /// Every event, oldest first.
    pub fn events(&self) -> &[Value] {
        &self.events
    }
}
