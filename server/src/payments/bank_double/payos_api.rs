//! payOS's merchant API (`https://api-merchant.payos.vn/v2/…`): payment links, signed as payOS
//! signs them with [`payos`]'s own functions.
//!
//! Every answer is `{"code", "desc", "data", "signature"}`; `code` `"00"` is success. The error
//! codes are plausible stand-ins, not checked against payOS's own table (a client should test
//! `code != "00"`, never a particular error code):
//!
//! | code | HTTP | when |
//! | --- | --- | --- |
//! | `401` | 401 | `x-client-id`/`x-api-key` name no registered payOS account |
//! | `20` | 200 | a field missing or out of range, or `description` over 9 characters |
//! | `201` | 200 | `signature` is not [`payos::request_signature`] of the request |
//! | `231` | 200 | the account already has a link with this `orderCode` |
//! | `101` | 200 | no such link (by `orderCode` or `paymentLinkId`) |
//! | `20` | 200 | cancelling a link that is paid, cancelled or expired |
use app::domain::money::Dong;
use app::domain::vietqr;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::store::{Account, NewLink, PaymentLink, Store};
use super::{BankDoubleState, object, vietnam_time};
use crate::payments::bank::payos;

pub(super) fn routes() -> Router<BankDoubleState> {
    Router::new()
        .route("/payment-requests", post(create))
        .route("/payment-requests/{key}", get(show))
        .route("/payment-requests/{key}/cancel", post(cancel))
}

/// An answer that is not `"00"`.
struct PayOsError {
    status: StatusCode,
    code: &'static str,
    desc: String,
}

impl PayOsError {
    fn new(code: &'static str, desc: impl Into<String>) -> Self {
        PayOsError {
            status: StatusCode::OK,
            code,
            desc: desc.into(),
        }
    }
}

impl IntoResponse for PayOsError {
    fn into_response(self) -> Response {
        let body = json!({"code": self.code, "desc": self.desc, "data": null});
        (self.status, Json(body)).into_response()
    }
}

/// A success, its `data` signed under the account's checksum key.
fn signed(account: &Account, data: Map<String, Value>) -> Response {
    let signature = payos::data_signature(&account.secret, &data);
    Json(json!({"code": "00", "desc": "success", "data": data, "signature": signature}))
        .into_response()
}

/// The payOS account of the request's `x-client-id` and `x-api-key`.
fn authorised(store: &Store, headers: &HeaderMap) -> Result<Account, PayOsError> {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    match (header("x-client-id"), header("x-api-key")) {
        (Some(client_id), Some(api_key)) => store.payos_account(client_id, api_key).cloned(),
        _ => None,
    }
    .ok_or(PayOsError {
        status: StatusCode::UNAUTHORIZED,
        code: "401",
        desc: "Thông tin xác thực không hợp lệ (x-client-id, x-api-key)".into(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody {
    order_code: i64,
    amount: i64,
    description: String,
    cancel_url: String,
    return_url: String,
    signature: String,
    #[serde(default)]
    expired_at: Option<i64>,
}

/// Checks a create request as payOS does: its fields, then its signature.
fn new_link(account: &Account, body: &[u8]) -> Result<NewLink, PayOsError> {
    let body: CreateBody = serde_json::from_slice(body)
        .map_err(|e| PayOsError::new("20", format!("Dữ liệu không hợp lệ: {e}")))?;
    if body.order_code <= 0 || body.order_code > 9_007_199_254_740_991 {
        return Err(PayOsError::new("20", "orderCode không hợp lệ"));
    }
    if !(1..=vietqr::AMOUNT_MAX).contains(&body.amount) {
        return Err(PayOsError::new("20", "amount không hợp lệ"));
    }
    if body.description.chars().count() > payos::MAX_DESCRIPTION_CHARS {
        return Err(PayOsError::new(
            "20",
            "Mô tả tối đa 9 kí tự (description: at most 9 characters)",
        ));
    }
    let expected = payos::request_signature(
        &account.secret,
        body.amount,
        &body.cancel_url,
        &body.description,
        body.order_code,
        &body.return_url,
    );
    if !expected.eq_ignore_ascii_case(body.signature.trim()) {
        return Err(PayOsError::new(
            "201",
            "Mã kiểm tra(signature) không hợp lệ",
        ));
    }
    Ok(NewLink {
        order_code: body.order_code,
        amount: body.amount,
        description: body.description,
        cancel_url: body.cancel_url,
        return_url: body.return_url,
        expired_at: body.expired_at,
    })
}

/// `POST /v2/payment-requests`.
async fn create(State(state): State<BankDoubleState>, headers: HeaderMap, body: Bytes) -> Response {
    let mut store = state.lock();
    let account = match authorised(&store, &headers) {
        Ok(account) => account,
        Err(error) => return error.into_response(),
    };
    let request = match new_link(&account, &body) {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    let Some(link) = store.create_link(&account.id, request, Utc::now()) else {
        return PayOsError::new("231", "Đơn thanh toán đã tồn tại").into_response();
    };
    signed(&account, created(&account, link, state.base_url()))
}

/// The `data` of a new link: where and how the shopper pays it.
fn created(account: &Account, link: &PaymentLink, base_url: &str) -> Map<String, Value> {
    let request = &link.request;
    // The account was checked at registration, so the code always builds.
    let qr_code = vietqr::payload(
        &account.bank,
        Some(Dong::new(request.amount)),
        None,
        Some(&request.description),
    )
    .unwrap_or_default();
    let data = json!({
        "bin": account.bank.bin,
        "accountNumber": account.bank.number,
        "accountName": account.bank.holder,
        "amount": request.amount,
        "description": request.description,
        "orderCode": request.order_code,
        "currency": "VND",
        "paymentLinkId": link.id,
        "status": link.status,
        "checkoutUrl": format!("{base_url}/bank?account={}&link={}", account.id, link.id),
        "qrCode": qr_code,
    });
    object(data)
}

/// `GET /v2/payment-requests/{orderCode or paymentLinkId}`: what has been paid, for
/// reconciling when a webhook never came.
async fn show(
    State(state): State<BankDoubleState>,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Response {
    let mut store = state.lock();
    let account = match authorised(&store, &headers) {
        Ok(account) => account,
        Err(error) => return error.into_response(),
    };
    match store.link(&account.id, &key, Utc::now()).cloned() {
        Some(link) => signed(&account, information(&store, &account, &link)),
        None => not_found(),
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CancelBody {
    #[serde(default)]
    cancellation_reason: Option<String>,
}

/// `POST /v2/payment-requests/{orderCode or paymentLinkId}/cancel`, with an optional
/// `{"cancellationReason"}`.
async fn cancel(
    State(state): State<BankDoubleState>,
    headers: HeaderMap,
    Path(key): Path<String>,
    body: Bytes,
) -> Response {
    let mut store = state.lock();
    let account = match authorised(&store, &headers) {
        Ok(account) => account,
        Err(error) => return error.into_response(),
    };
    let reason = serde_json::from_slice::<CancelBody>(&body)
        .unwrap_or_default()
        .cancellation_reason;
    let outcome = store
        .cancel_link(&account.id, &key, reason, Utc::now())
        .map(|link| link.cloned());
    match outcome {
        Ok(Some(link)) => signed(&account, information(&store, &account, &link)),
        Ok(None) => not_found(),
        Err(status) => PayOsError::new(
            "20",
            format!("Không thể huỷ đơn ở trạng thái {}", status_text(status)),
        )
        .into_response(),
    }
}

fn not_found() -> Response {
    PayOsError::new("101", "Đơn thanh toán không tồn tại").into_response()
}

/// A link's payment information, its transactions as the bank booked them.
fn information(store: &Store, account: &Account, link: &PaymentLink) -> Map<String, Value> {
    let transactions: Vec<Value> = link
        .transfers
        .iter()
        .filter_map(|id| store.transfer(*id))
        .map(|transfer| {
            json!({
                "reference": transfer.reference,
                "amount": transfer.amount,
                "accountNumber": account.bank.number,
                "description": transfer.content,
                "transactionDateTime": vietnam_time(transfer.booked_at),
                "virtualAccountName": null,
                "virtualAccountNumber": null,
                "counterAccountBankId": null,
                "counterAccountBankName": null,
                "counterAccountName": null,
                "counterAccountNumber": null,
            })
        })
        .collect();
    object(json!({
        "id": link.id,
        "orderCode": link.request.order_code,
        "amount": link.request.amount,
        "amountPaid": link.amount_paid,
        "amountRemaining": (link.request.amount - link.amount_paid).max(0),
        "status": link.status,
        "createdAt": iso(link.created_at),
        "transactions": transactions,
        "canceledAt": link.canceled_at.map(iso),
        "cancellationReason": link.cancellation_reason,
    }))
}

fn iso(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn status_text(status: super::store::LinkStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}
