//! The control API for tests, demos and scripts (no counterpart at payOS or SePay): register a
//! merchant, make a transfer without the page, deliver a notification again, as both services
//! do when an answer is slow or lost, and hold notifications to release them late or in
//! reverse order.
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::BankDoubleState;
use super::store::{NewAccount, TransferRequest};

pub(super) fn routes() -> Router<BankDoubleState> {
    Router::new()
        .route("/accounts", post(register))
        .route("/transfer", post(transfer))
        .route("/redeliver/{id}", post(redeliver))
        .route("/hold", post(hold))
        .route("/deliver", post(deliver))
}

/// `POST /_double/hold`: from now on, notifications wait until `/_double/deliver`.
async fn hold(State(state): State<BankDoubleState>) -> StatusCode {
    state.lock().holding = true;
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct DeliverQuery {
    /// `reverse` releases the newest held notification first; anything else, the oldest.
    order: Option<String>,
}

/// `POST /_double/deliver[?order=reverse]`: delivers the held notifications and stops
/// holding; answers each delivery.
async fn deliver(
    State(state): State<BankDoubleState>,
    Query(query): Query<DeliverQuery>,
) -> Response {
    let reverse = query.order.as_deref() == Some("reverse");
    Json(state.release(reverse).await).into_response()
}

/// `POST /_double/accounts`: `{"id": "acc_1"}`, or 400 `{"error"}`.
async fn register(State(state): State<BankDoubleState>, Json(new): Json<NewAccount>) -> Response {
    match state.lock().register(new) {
        Ok(id) => Json(json!({ "id": id })).into_response(),
        Err(error) => refused(&error),
    }
}

/// `POST /_double/transfer`: books the transfer and answers what the webhook answered,
/// `{"transfer_id", "status", "error"}`.
async fn transfer(
    State(state): State<BankDoubleState>,
    Json(request): Json<TransferRequest>,
) -> Response {
    match state.transfer(&request).await {
        Ok(delivery) => Json(delivery).into_response(),
        Err(error) => refused(&error),
    }
}

/// `POST /_double/redeliver/{transfer id}`: the same notification once more.
async fn redeliver(State(state): State<BankDoubleState>, Path(id): Path<u64>) -> Response {
    match state.deliver(id).await {
        Some(delivery) => Json(delivery).into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({ "error": format!("no transfer {id}") })),
        )
            .into_response(),
    }
}

fn refused(error: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response()
}
