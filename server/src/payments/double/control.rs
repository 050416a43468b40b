//! The control API for tests and demos (no Stripe counterpart): settle a session without the
//! page, look at the events, deliver one again, and hold deliveries to release them in any
//! order — the two things real Stripe does that an app must survive — and make the API fail for
//! a while, as Stripe's does in an outage.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::DoubleState;
use super::delivery::Delivery;
use super::error::ApiError;
use super::store::Store;

pub(super) fn routes() -> Router<DoubleState> {
    Router::new()
        .route("/sessions/{id}/complete", post(complete))
        .route("/sessions/{id}/expire", post(expire))
        .route("/events", get(events))
        .route("/events/{id}/redeliver", post(redeliver))
        .route("/hold", post(hold))
        .route("/deliver", post(deliver))
        .route("/outage", post(outage))
        .route("/outage/end", post(outage_end))
}

/// `POST /_double/outage`: the API fails as Stripe's does when it is down, until
/// `/_double/outage/end`.
async fn outage(State(state): State<DoubleState>) -> StatusCode {
    state.lock().outage = true;
    StatusCode::NO_CONTENT
}

async fn outage_end(State(state): State<DoubleState>) -> StatusCode {
    state.lock().outage = false;
    StatusCode::NO_CONTENT
}

/// `POST /_double/sessions/{id}/complete`: as if the shopper paid on the page.
async fn complete(State(state): State<DoubleState>, Path(id): Path<String>) -> Response {
    settled(state.settle(&id, Store::complete).await)
}

/// `POST /_double/sessions/{id}/expire`: as if the session ran out unpaid.
async fn expire(State(state): State<DoubleState>, Path(id): Path<String>) -> Response {
    settled(state.settle(&id, Store::expire).await)
}

fn settled(outcome: Result<(Value, Vec<Delivery>), ApiError>) -> Response {
    match outcome {
        Ok((session, deliveries)) => {
            Json(json!({"session": session, "deliveries": deliveries})).into_response()
        }
        Err(error) => error.into_response(),
    }
}

/// `GET /_double/events`: every event, oldest first (newest last), as a Stripe list.
async fn events(State(state): State<DoubleState>) -> Json<Value> {
    let events = state.lock().events().to_vec();
    Json(json!({"object": "list", "data": events, "has_more": false, "url": "/_double/events"}))
}

/// `POST /_double/events/{id}/redeliver`: the same event (same id) once more, freshly signed.
async fn redeliver(State(state): State<DoubleState>, Path(id): Path<String>) -> Response {
    let event = state.lock().event(&id).cloned();
    match event {
        Some(event) => Json(state.deliverer.deliver(&event).await).into_response(),
        None => ApiError::no_such("event", "id", &id).into_response(),
    }
}

/// `POST /_double/hold`: from now on, events wait until `/_double/deliver`.
async fn hold(State(state): State<DoubleState>) -> StatusCode {
    state.lock().holding = true;
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct DeliverQuery {
    /// `reverse` releases the newest held event first; anything else, the oldest first.
    order: Option<String>,
}

/// `POST /_double/deliver[?order=reverse]`: delivers the held events and stops holding.
async fn deliver(State(state): State<DoubleState>, Query(query): Query<DeliverQuery>) -> Response {
    let reverse = query.order.as_deref() == Some("reverse");
    Json(state.release(reverse).await).into_response()
}
