//! `POST /webhooks/stripe`: Stripe's word on card payments. The signature is checked against
//! the raw body before anything is read; each event is applied once, in the same transaction
//! that records its id, and in whatever order the events arrive. Whatever is refused or can't
//! be applied is counted as a payment alert.
use crate::payments::{EventPayload, WebhookEvent, parse_event, signature};
use crate::startup::AppState;
use app::domain::payment_alert::AlertKind;
use app::ports::{CardOutcome, Charged};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

pub async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let event = match verified(&state, &headers, &body) {
        Ok(event) => event,
        Err((kind, detail)) => return refused(&state, kind, &detail).await,
    };
    let Some((token, outcome)) = card_outcome(event.payload) else {
        return StatusCode::OK;
    };
    let Some(token) = token else {
        tracing::warn!(event = %event.id, "a checkout event without our reference; ignored");
        return StatusCode::OK;
    };
    let applied = app::service::payments::card_event(
        &state.ports,
        &event.id,
        &token,
        &outcome,
        state.platform_fee,
    )
    .await;
    match applied {
        Ok(_) => StatusCode::OK,
        Err(err) => {
            // 500 makes Stripe deliver the event again later.
            tracing::error!(event = %event.id, error = %err, "applying a card payment event failed");
            refused(
                &state,
                AlertKind::NotApplied,
                &format!("event {}: {err}", event.id),
            )
            .await;
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// The event, if it is Stripe's: signed with the endpoint's secret within the tolerance,
/// readable, and of this deployment's mode; otherwise why not.
fn verified(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<WebhookEvent, (AlertKind, String)> {
    // With no keys there is no secret Stripe could sign with: whatever comes is not Stripe's.
    if state.ports.cards.mode() == app::domain::order::CardMode::Off {
        let detail = "a webhook came while card payments are off".to_owned();
        return Err((AlertKind::BadSignature, detail));
    }
    let header = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    signature::verify(
        header,
        body,
        &state.webhook_secret,
        chrono::Utc::now().timestamp(),
        signature::DEFAULT_TOLERANCE_SECS,
    )
    .map_err(|err| {
        tracing::warn!(error = %err, "refused a webhook with a bad signature");
        (AlertKind::BadSignature, err.to_string())
    })?;
    let event = parse_event(body).map_err(|err| {
        tracing::warn!(error = %err, "refused an unreadable webhook");
        (AlertKind::Unreadable, err.to_string())
    })?;
    // A test event sent to a live deployment, or the reverse, is a misconfigured endpoint at
    // Stripe: it pays nothing here.
    if event.livemode != state.cards_live {
        tracing::error!(event = %event.id, livemode = event.livemode, "refused a webhook of the other Stripe mode");
        let detail = format!("event {} has livemode {}", event.id, event.livemode);
        return Err((AlertKind::OtherMode, detail));
    }
    Ok(event)
}

/// Counts a refusal as a payment alert, and answers 400.
async fn refused(state: &AppState, kind: AlertKind, detail: &str) -> StatusCode {
    let now = state.ports.clock.now();
    state
        .watch
        .refused(state.ports.alerts.as_ref(), kind, detail, now)
        .await;
    StatusCode::BAD_REQUEST
}

/// What an event says of a checkout (its reference, and its outcome), if it says anything.
fn card_outcome(payload: EventPayload) -> Option<(Option<String>, CardOutcome)> {
    match payload {
        EventPayload::CheckoutCompleted(s) | EventPayload::CheckoutAsyncPaymentSucceeded(s)
            if s.paid =>
        {
            let outcome = CardOutcome::Paid {
                session: s.id,
                payment_intent: s.payment_intent,
                orders: s.order_ids,
                charged: Charged {
                    amount: s.amount_total,
                    currency: s.currency,
                },
            };
            Some((s.client_reference_id, outcome))
        }
        EventPayload::CheckoutAsyncPaymentFailed(s) | EventPayload::CheckoutExpired(s) => {
            Some((s.client_reference_id, CardOutcome::Failed { session: s.id }))
        }
        EventPayload::ChargeRefunded(charge) => {
            // Refunds are started by the platform itself, whose ledger already took the money
            // back in the transaction that cancelled the order; the event only confirms them.
            tracing::info!(charge = %charge.id, refunded = charge.amount_refunded, "card refund confirmed");
            None
        }
        _ => None,
    }
}
