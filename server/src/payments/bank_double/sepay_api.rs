//! SePay's user API for reconciling (`https://my.sepay.vn/userapi/…`): the transfers into the
//! accounts of an API token, newest first, shaped as SePay documents them (ids and amounts as
//! text, amounts with two decimals).
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::store::{Account, Transfer, gateway};
use super::{BankDoubleState, vietnam_time};

/// SePay's default and largest page.
const MAX_LIMIT: usize = 5000;

pub(super) fn routes() -> Router<BankDoubleState> {
    Router::new().route("/transactions/list", get(list))
}

/// The filters of SePay's list the double honours.
#[derive(Deserialize, Default)]
struct ListQuery {
    account_number: Option<String>,
    /// Only transfers with a larger id.
    since_id: Option<u64>,
    limit: Option<usize>,
    reference_number: Option<String>,
    /// Only transfers booked at or after this `Y-m-d H:i:s`, Vietnam time.
    transaction_date_min: Option<String>,
}

/// `GET /userapi/transactions/list` with `Authorization: Bearer <api_key>`.
async fn list(
    State(state): State<BankDoubleState>,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Response {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    let store = state.lock();
    let accounts = store.sepay_accounts(token);
    if token.is_empty() || accounts.is_empty() {
        let body = json!({"status": 401, "error": "Unauthorized", "messages": {"success": false}});
        return (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    }
    let limit = query.limit.unwrap_or(MAX_LIMIT).min(MAX_LIMIT);
    let transactions: Vec<Value> = store
        .transfers()
        .iter()
        .rev()
        .filter_map(|transfer| {
            let account = accounts.iter().find(|a| a.id == transfer.account)?;
            wanted(&query, account, transfer).then(|| row(account, transfer))
        })
        .take(limit)
        .collect();
    Json(json!({
        "status": 200,
        "error": null,
        "messages": {"success": true},
        "transactions": transactions,
    }))
    .into_response()
}

fn wanted(query: &ListQuery, account: &Account, transfer: &Transfer) -> bool {
    query
        .account_number
        .as_ref()
        .is_none_or(|number| *number == account.bank.number)
        && query.since_id.is_none_or(|id| transfer.id > id)
        && query
            .reference_number
            .as_ref()
            .is_none_or(|reference| *reference == transfer.reference)
        // Both in SePay's own format, which sorts as the times do.
        && query
            .transaction_date_min
            .as_ref()
            .is_none_or(|min| vietnam_time(transfer.booked_at) >= *min)
}

/// One transaction as SePay lists it.
fn row(account: &Account, transfer: &Transfer) -> Value {
    json!({
        "id": transfer.id.to_string(),
        "bank_brand_name": gateway(&account.bank),
        "account_number": account.bank.number,
        "transaction_date": vietnam_time(transfer.booked_at),
        "amount_out": "0.00",
        "amount_in": format!("{}.00", transfer.amount),
        "accumulated": format!("{}.00", transfer.accumulated),
        "transaction_content": transfer.content,
        "reference_number": transfer.reference,
        "code": transfer.code,
        "sub_account": null,
        // SePay's id of the bank account: the double's account number among its accounts.
        "bank_account_id": account.id.trim_start_matches("acc_"),
    })
}
