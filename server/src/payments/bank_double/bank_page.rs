//! The "bank app": the shopper's side of a transfer, for demos and browser tests. Plain HTML
//! forms that work without JavaScript, Vietnamese with English, one column for a 360 px phone.
//! A payOS link's `checkoutUrl` opens it filled in for that link.
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use serde::Deserialize;

use super::store::{Service, Store, TransferRequest, dong};
use super::{BankDoubleState, Delivery, vietnam_time};

pub(super) fn routes() -> Router<BankDoubleState> {
    Router::new()
        .route("/bank", get(show))
        .route("/bank/transfer", post(transfer))
}

/// The form's fields as typed (all text, so a mistake comes back in the form, not as a 422).
#[derive(Deserialize, Default, Clone)]
struct TransferForm {
    #[serde(default)]
    account: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    order_code: String,
}

#[derive(Deserialize)]
struct ShowQuery {
    account: Option<String>,
    /// Filled in, as a shop's "pay" link would: the amount and the purpose to transfer.
    amount: Option<String>,
    purpose: Option<String>,
    /// A payOS `paymentLinkId`: the form is filled in to pay it.
    link: Option<String>,
}

/// `GET /bank[?account=…&link=…]`.
async fn show(State(state): State<BankDoubleState>, Query(query): Query<ShowQuery>) -> Response {
    let store = state.lock();
    let mut form = TransferForm {
        account: query.account.unwrap_or_default(),
        amount: query.amount.unwrap_or_default(),
        purpose: query.purpose.unwrap_or_default(),
        ..TransferForm::default()
    };
    let mut back = String::new();
    if let Some(link) = query.link.as_deref().and_then(|id| store.link_by_id(id)) {
        // Like payOS's checkout page: back to the shop without paying.
        back = shop_link(
            &link.request.cancel_url,
            "← Quay lại cửa hàng",
            "Back to the shop",
        );
        form = TransferForm {
            account: link.account.clone(),
            amount: (link.request.amount - link.amount_paid).max(0).to_string(),
            purpose: link.request.description.clone(),
            order_code: link.request.order_code.to_string(),
        };
    }
    let account = form.account.clone();
    page(
        StatusCode::OK,
        &format!(
            "{back}{}{}",
            form_html(&store, &form),
            transfers_html(&store, &account)
        ),
    )
}

/// `POST /bank/transfer`: books the transfer, delivers its notification, and shows what the
/// webhook answered.
async fn transfer(
    State(state): State<BankDoubleState>,
    Form(form): Form<TransferForm>,
) -> Response {
    let outcome = match request(&form) {
        Ok(request) => state.transfer(&request).await,
        Err(error) => Err(error),
    };
    let store = state.lock();
    let (status, notice) = match &outcome {
        Ok(delivery) => (
            StatusCode::OK,
            delivered_html(delivery) + &returned(&store, delivery.transfer_id),
        ),
        Err(error) => (
            StatusCode::BAD_REQUEST,
            format!(r#"<p class="error" role="alert">{}</p>"#, text(error)),
        ),
    };
    // After a transfer the form starts empty again; after a mistake it keeps what was typed.
    let again = if outcome.is_ok() {
        TransferForm {
            account: form.account.clone(),
            ..TransferForm::default()
        }
    } else {
        form.clone()
    };
    let main = format!(
        "{notice}{}{}",
        form_html(&store, &again),
        transfers_html(&store, &form.account)
    );
    page(status, &main)
}

/// The form's text as a transfer: the amount in whole đồng, typed grouped or not (`45.000`).
fn request(form: &TransferForm) -> Result<TransferRequest, String> {
    let digits: String = form
        .amount
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '₫'))
        .collect();
    let amount = digits
        .parse::<i64>()
        .ok()
        .filter(|amount| *amount > 0)
        .ok_or("Số tiền phải là số đồng lớn hơn 0 / The amount must be whole đồng above 0")?;
    let order_code = match form.order_code.trim() {
        "" => None,
        code => Some(
            code.parse::<i64>()
                .map_err(|_| "Mã đơn phải là số / The order code must be a number")?,
        ),
    };
    Ok(TransferRequest {
        account: form.account.clone(),
        amount,
        purpose: form.purpose.clone(),
        order_code,
    })
}

/// After paying a payOS link, the way back to the shop's `returnUrl`, as payOS's page gives.
fn returned(store: &Store, transfer_id: u64) -> String {
    store
        .transfer(transfer_id)
        .and_then(|transfer| transfer.payment_link_id.as_deref())
        .and_then(|id| store.link_by_id(id))
        .map(|link| {
            shop_link(
                &link.request.return_url,
                "Về cửa hàng →",
                "Return to the shop",
            )
        })
        .unwrap_or_default()
}

fn shop_link(url: &str, vi: &str, en: &str) -> String {
    format!(
        r#"<p><a class="shop" href="{}">{vi} <span lang="en">/ {en}</span></a></p>"#,
        attr(url)
    )
}

fn delivered_html(delivery: &Delivery) -> String {
    let answer = match (delivery.status, &delivery.error) {
        (Some(status), _) => format!("HTTP {status}"),
        (None, Some(error)) => text(error).into_owned(),
        (None, None) => String::new(),
    };
    format!(
        r#"<p class="done" role="status">Đã chuyển khoản #{id}. Thông báo được trả lời: <strong data-webhook-status="{status}">{answer}</strong><br><span lang="en">Transfer #{id} made. The notification was answered: {answer}</span></p>"#,
        id = delivery.transfer_id,
        status = delivery.status.map(|s| s.to_string()).unwrap_or_default(),
    )
}

fn form_html(store: &Store, form: &TransferForm) -> String {
    let options: String = store
        .accounts()
        .iter()
        .map(|account| {
            let service = match account.service {
                Service::PayOs => "payOS",
                Service::SePay => "SePay",
            };
            format!(
                r#"<option value="{id}"{selected}>{holder} · {number} ({service})</option>"#,
                id = attr(&account.id),
                selected = if account.id == form.account {
                    " selected"
                } else {
                    ""
                },
                holder = text(&account.bank.holder),
                number = text(&account.bank.number),
            )
        })
        .collect();
    format!(
        r#"<form method="post" action="/bank/transfer">
<label for="account">Tài khoản nhận <span lang="en">/ To account</span></label>
<select id="account" name="account" required>{options}</select>
<label for="amount">Số tiền (đồng) <span lang="en">/ Amount (đồng)</span></label>
<input id="amount" name="amount" inputmode="numeric" required value="{amount}">
<label for="purpose">Nội dung chuyển khoản <span lang="en">/ Purpose</span></label>
<input id="purpose" name="purpose" maxlength="140" value="{purpose}">
<label for="order_code">Mã đơn payOS (không bắt buộc) <span lang="en">/ payOS order code (optional)</span></label>
<input id="order_code" name="order_code" inputmode="numeric" value="{order_code}">
<button type="submit">Chuyển khoản / Transfer</button>
</form>"#,
        amount = attr(&form.amount),
        purpose = attr(&form.purpose),
        order_code = attr(&form.order_code),
    )
}

/// The account's transfers, newest first, with what the webhook last answered.
fn transfers_html(store: &Store, account: &str) -> String {
    let rows: String = store
        .transfers()
        .iter()
        .rev()
        .filter(|transfer| transfer.account == account)
        .map(|transfer| {
            let answer = match &transfer.last_delivery {
                Some(Delivery {
                    status: Some(status),
                    ..
                }) => status.to_string(),
                _ => "—".into(),
            };
            format!(
                "<tr><td>#{id}<br><small>{time}</small></td><td>{amount}</td><td>{content}</td><td>{answer}</td></tr>",
                id = transfer.id,
                time = vietnam_time(transfer.booked_at),
                amount = dong(transfer.amount),
                content = text(&transfer.content),
            )
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    format!(
        r#"<h2>Giao dịch <span lang="en">/ Transfers</span></h2>
<table><tr><th>#</th><th>Số tiền <span lang="en">/ Amount</span></th><th>Nội dung <span lang="en">/ Purpose</span></th><th>Webhook</th></tr>{rows}</table>"#
    )
}

fn page(status: StatusCode, main: &str) -> Response {
    let html = format!(
        r#"<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ngân hàng (thử) / Bank (test)</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 28rem; margin: 1rem auto; padding: 0 1rem; }}
label {{ display: block; margin-top: .8rem; }}
input, select, button {{ box-sizing: border-box; width: 100%; min-height: 44px; font-size: 1rem; }}
button {{ margin-top: 1rem; background: #1b6e3a; color: #fff; border: 0; }}
table {{ width: 100%; border-collapse: collapse; font-size: .9rem; }}
td, th {{ padding: .3rem .2rem; border-bottom: 1px solid #ddd; text-align: left; overflow-wrap: anywhere; }}
.test {{ color: #8a5a00; }} .error {{ color: #a00000; }} .done {{ color: #1b6e3a; }}
</style>
</head>
<body>
<h1>Ngân hàng <span lang="en">/ Bank</span></h1>
<p class="test">Chế độ thử — không có tiền thật<br><span lang="en">Test mode — no real money moves</span></p>
{main}
</body>
</html>"#
    );
    (status, Html(html)).into_response()
}
