//! `POST /hooks/payos/{token}` and `POST /hooks/sepay/{token}`: a stall's bank-notification
//! service says money arrived in the stall's account. The token names the stall (each stall
//! has its own address, so one vendor's notifications can never pay another's orders), the
//! signature is checked with that stall's keys against the raw body, and the transfer is
//! applied once. A wrong token or a bad signature changes nothing.
use crate::payments::bank::{NoticeError, payos, sepay};
use crate::payments::bank_keys::{BankKeys, SealedKeys};
use crate::startup::AppState;
use app::domain::bank_notice::{BankCredit, BankService};
use app::ports::{BankLink, CreditApplied};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn payos(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> Response {
    receive(&state, BankService::PayOs, &token, |keys| match keys {
        BankKeys::PayOs { checksum_key, .. } => {
            match payos::verify_webhook(checksum_key, &body)?.credit() {
                Ok(credit) => Ok(Some(credit)),
                // Signed, but about a payment that did not succeed: nothing arrived.
                Err(NoticeError::NotPaid(_)) => Ok(None),
                Err(err) => Err(err),
            }
        }
        BankKeys::SePay { .. } => Err(NoticeError::BadSignature),
    })
    .await
}

pub async fn sepay(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let now = state.ports.clock.now().timestamp();
    receive(&state, BankService::SePay, &token, |keys| match keys {
        BankKeys::SePay { webhook_secret, .. } => sepay::verify_webhook(
            webhook_secret,
            header("x-sepay-timestamp"),
            header("x-sepay-signature"),
            &body,
            now,
        )?
        .credit(),
        BankKeys::PayOs { .. } => Err(NoticeError::BadSignature),
    })
    .await
}

/// Finds the stall by its token, reads the notification with its keys, and applies it.
async fn receive(
    state: &AppState,
    service: BankService,
    token: &str,
    read: impl FnOnce(&BankKeys) -> Result<Option<BankCredit>, NoticeError>,
) -> Response {
    let link = match state.ports.bank.by_token(service, token).await {
        Ok(Some(link)) => link,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => return failed(service, "finding the stall of a notification", &err),
    };
    let keys = match BankKeys::open(&link.sealed_keys, &state.sealing) {
        Ok(keys) => keys,
        Err(err) => return failed(service, "opening a stall's keys", &*err),
    };
    let credit = match read(&keys) {
        Ok(Some(credit)) => credit,
        // Money leaving the account, or a payment that failed: nothing to apply.
        Ok(None) => return accepted(),
        Err(err) => {
            tracing::warn!(%service, stall = %link.stall_id, error = %err, "a bank notification was refused");
            return StatusCode::UNAUTHORIZED.into_response();
        }
    };
    apply(state, &link, &credit).await
}

async fn apply(state: &AppState, link: &BankLink, credit: &BankCredit) -> Response {
    match state.ports.bank.apply(link.stall_id, credit).await {
        Ok(CreditApplied::New(outcome)) => {
            tracing::info!(service = %credit.service, stall = %link.stall_id, transfer = %credit.transfer_id, outcome = %outcome.kind(), "a transfer arrived");
            accepted()
        }
        Ok(CreditApplied::AlreadyApplied) => accepted(),
        // An error answer makes the service deliver it again later.
        Err(err) => failed(credit.service, "applying a transfer", &err),
    }
}

/// The answer both services take as "received".
fn accepted() -> Response {
    Json(serde_json::json!({ "success": true })).into_response()
}

fn failed(service: BankService, doing: &str, err: &dyn std::error::Error) -> Response {
    tracing::error!(%service, error = %err, "{doing} failed");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}
