//! `/api/v1`: JSON for integrators (the province's systems, payment apps).
use crate::startup::AppState;
use app::domain::market::Market;
use app::domain::money::Dong;
use app::domain::stall::StallStatus;
use app::domain::vietqr;
use app::ports::StallFilter;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A refusal with a message an integrator can act on; nothing internal is revealed.
fn refuse(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

fn failed(err: impl std::fmt::Display) -> Response {
    tracing::error!(error = %err, "api/v1 request failed");
    refuse(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}

#[derive(Deserialize)]
pub struct StallsQuery {
    market: Option<String>,
}

#[derive(Serialize)]
pub struct StallSummary {
    slug: String,
    name: String,
    /// The market's slug, or `null` for an OCOP producer.
    market: Option<Market>,
    ocop: bool,
    vietqr: bool,
}

/// `GET /api/v1/stalls?market=coc-leu|sa-pa|bac-ha`: approved stalls.
pub async fn stalls(State(state): State<AppState>, Query(q): Query<StallsQuery>) -> Response {
    let market = match q.market.as_deref().filter(|m| !m.is_empty()) {
        Some(m) => match m.parse::<Market>() {
            Ok(m) => Some(m),
            Err(_) => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "market must be coc-leu, sa-pa or bac-ha",
                );
            }
        },
        None => None,
    };
    let filter = StallFilter {
        status: Some(StallStatus::Approved),
        market,
        ocop: false,
    };
    let list = match state.ports.stalls.list(&filter).await {
        Ok(list) => list,
        Err(err) => return failed(err),
    };
    let mut out = Vec::with_capacity(list.len());
    for stall in list {
        let vietqr = match state.ports.stalls.payment_settings(stall.id).await {
            Ok(s) => s.bank.is_some(),
            Err(err) => return failed(err),
        };
        out.push(StallSummary {
            market: stall.market(),
            ocop: stall.market().is_none(),
            slug: stall.slug,
            name: stall.name,
            vietqr,
        });
    }
    Json(out).into_response()
}

#[derive(Deserialize)]
pub struct QrQuery {
    amount: Option<String>,
    memo: Option<String>,
}

/// `GET /api/v1/stalls/{slug}/payment-qr?amount=N&memo=TEXT`: the stall's VietQR payload,
/// static without an amount, dynamic with one.
pub async fn payment_qr(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<QrQuery>,
) -> Response {
    let stall = match state.ports.stalls.by_slug(&slug).await {
        Ok(Some(stall)) if stall.status.is_public() => stall,
        Ok(_) => return refuse(StatusCode::NOT_FOUND, "no such stall"),
        Err(err) => return failed(err),
    };
    let Some(bank) = (match state.ports.stalls.payment_settings(stall.id).await {
        Ok(s) => s.bank,
        Err(err) => return failed(err),
    }) else {
        return refuse(StatusCode::NOT_FOUND, "this stall takes no bank transfers");
    };
    let amount = match q.amount.as_deref().filter(|a| !a.is_empty()) {
        Some(a) => match a.parse::<i64>().ok().filter(|n| *n >= 1) {
            Some(n) => Some(Dong::new(n)),
            None => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "amount must be a whole number of đồng, at least 1",
                );
            }
        },
        None => None,
    };
    let memo = q.memo.as_deref().map(vietqr::ascii_fold);
    match vietqr::payload(
        &bank,
        amount,
        None,
        memo.as_deref().filter(|m| !m.is_empty()),
    ) {
        Ok(payload) => Json(json!({
            "stall": stall.slug,
            "payload": payload,
            "amount": amount.map(|a| a.amount()),
            "bank_bin": bank.bin,
            "account_number": bank.number,
            "account_holder": bank.holder,
        }))
        .into_response(),
        Err(err) => refuse(StatusCode::BAD_REQUEST, &err.to_string()),
    }
}
