//! The control API for tests, demos and scripts (no counterpart at payOS or SePay): register a
//! merchant, make a transfer without the page, and deliver a notification again, as both
//! services do when an answer is slow or lost.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

use super::BankDoubleState;
use super::store::{NewAccount, TransferRequest};

pub(super) fn routes() -> Router<BankDoubleState> {
    Router::new()
        .route("/accounts", post(register))
        .route("/transfer", post(transfer))
        .route("/redeliver/{id}", post(redeliver))
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
