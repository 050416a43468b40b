//! `POST /webhooks/stripe`: Stripe's word on card payments. The signature is checked against
//! the raw body before anything is read; each event is applied once, in the same transaction
//! that records its id, and in whatever order the events arrive.
use crate::payments::{EventPayload, parse_event, signature};
use crate::startup::AppState;
use app::ports::{CardOutcome, Charged};
use app::service::payments::close_card_session;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let now = chrono::Utc::now().timestamp();
    if let Err(err) = signature::verify(
        header,
        &body,
        &state.webhook_secret,
        now,
        signature::DEFAULT_TOLERANCE_SECS,
    ) {
        tracing::warn!(error = %err, "refused a webhook with a bad signature");
        return StatusCode::BAD_REQUEST;
    }
    let event = match parse_event(&body) {
        Ok(event) => event,
        Err(err) => {
            tracing::warn!(error = %err, "refused an unreadable webhook");
            return StatusCode::BAD_REQUEST;
        }
    };
    // A test event sent to a live deployment, or the reverse, is a misconfigured endpoint at
    // Stripe: it pays nothing here.
    if event.livemode != state.cards_live {
        tracing::error!(event = %event.id, livemode = event.livemode, "refused a webhook of the other Stripe mode");
        return StatusCode::BAD_REQUEST;
    }
    let (token, outcome) = match event.payload {
        EventPayload::CheckoutCompleted(s) | EventPayload::CheckoutAsyncPaymentSucceeded(s)
            if s.paid =>
        {
            (
                s.client_reference_id,
                CardOutcome::Paid {
                    session: s.id,
                    payment_intent: s.payment_intent,
                    orders: s.order_ids,
                    charged: Charged {
                        amount: s.amount_total,
                        currency: s.currency,
                    },
                },
            )
        }
        EventPayload::CheckoutAsyncPaymentFailed(s) | EventPayload::CheckoutExpired(s) => {
            (s.client_reference_id, CardOutcome::Failed { session: s.id })
        }
        EventPayload::ChargeRefunded(charge) => {
            // Refunds are started by the platform itself, whose ledger already took the money
            // back in the transaction that cancelled the order; the event only confirms them.
            tracing::info!(charge = %charge.id, refunded = charge.amount_refunded, "card refund confirmed");
            return StatusCode::OK;
        }
        _ => return StatusCode::OK,
    };
    let Some(token) = token else {
        tracing::warn!(event = %event.id, "a checkout event without our reference; ignored");
        return StatusCode::OK;
    };
    let applied = match state
        .ports
        .orders
        .apply_card_event(&event.id, &token, &outcome, state.platform_fee)
        .await
    {
        Ok(applied) => applied,
        Err(err) => {
            // 500 makes Stripe deliver the event again later.
            tracing::error!(event = %event.id, error = %err, "applying a card payment event failed");
            return StatusCode::INTERNAL_SERVER_ERROR;
        }
    };
    tracing::info!(event = %event.id, kind = outcome.kind(), applied = applied.applied, "card payment event");
    if let Some(session) = &applied.stale_session {
        close_card_session(&state.ports, session).await;
    }
    // Money for orders no longer awaiting it goes back now; the sweep retries what can't.
    if applied.refunds
        && let Err(err) = app::service::payments::make_refunds(&state.ports, None).await
    {
        tracing::error!(error = %err, "refunding card payments failed");
    }
    StatusCode::OK
}
