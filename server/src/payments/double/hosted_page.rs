//! The double's stand-in for Stripe's hosted Checkout page, at the session's `url`: plain HTML
//! forms, no JavaScript, Vietnamese with English. Paying completes the session; declining models
//! what a shopper who gives up leaves behind on real Checkout: a session that expires unpaid.
use super::error::ApiError;
use super::store::{Line, Store};
use super::{DoubleState, SessionChange};
use app::domain::money::Dong;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

pub(super) fn routes() -> Router<DoubleState> {
    Router::new()
        .route("/pay/{id}", get(show))
        .route("/pay/{id}/pay", post(pay))
        .route("/pay/{id}/decline", post(decline))
}

async fn show(State(state): State<DoubleState>, Path(id): Path<String>) -> Response {
    let store = state.lock();
    let session = match store.session(&id) {
        Ok(session) => session,
        Err(error) => return error_page(&error),
    };
    let status = session.object["status"].as_str().unwrap_or_default();
    if status != "open" {
        let (vi, en) = if status == "complete" {
            ("Đơn này đã được thanh toán.", "This order has been paid.")
        } else {
            (
                "Phiên thanh toán đã hết hạn.",
                "This checkout session has expired.",
            )
        };
        return page(
            StatusCode::OK,
            &format!("<p>{vi}<br><span lang=\"en\">{en}</span></p>"),
        );
    }
    let total = Dong::new(session.object["amount_total"].as_i64().unwrap_or(0));
    // Like Stripe's back arrow: back to the shop, leaving the session open to pay later.
    let back = session.object["cancel_url"]
        .as_str()
        .map(|url| {
            format!(
                r#"<p><a class="back" href="{}">← Quay lại cửa hàng <span lang="en">/ Back to the shop</span></a></p>"#,
                attr(url)
            )
        })
        .unwrap_or_default();
    let id = attr(&id);
    page(
        StatusCode::OK,
        &format!(
            r#"{back}<p class="test">Chế độ thử — không trừ tiền thật<br><span lang="en">Test mode — no real money moves</span></p>
<table>{rows}</table>
<p class="total">Tổng cộng <span lang="en">/ Total</span>: <strong data-amount="{amount}">{total}</strong></p>
<form method="post" action="/pay/{id}/pay"><button type="submit" class="pay">Thanh toán / Pay</button></form>
<form method="post" action="/pay/{id}/decline"><button type="submit" class="decline">Từ chối / Decline</button></form>"#,
            rows = session.lines.iter().map(row).collect::<String>(),
            amount = total.amount(),
        ),
    )
}

fn row(line: &Line) -> String {
    let amount = Dong::new(line.unit_amount.saturating_mul(line.quantity as i64));
    format!(
        "<tr><td>{name}</td><td>× {quantity}</td><td>{amount}</td></tr>",
        name = text(&line.name),
        quantity = line.quantity,
    )
}

/// Pays: the session completes, `checkout.session.completed` is delivered, then the shopper
/// goes to `success_url` with `{CHECKOUT_SESSION_ID}` filled in, as on Stripe.
async fn pay(State(state): State<DoubleState>, Path(id): Path<String>) -> Response {
    finish(&state, &id, Store::complete, "success_url").await
}

/// Declines: the session expires, `checkout.session.expired` is delivered, then the shopper goes
/// to `cancel_url`.
async fn decline(State(state): State<DoubleState>, Path(id): Path<String>) -> Response {
    finish(&state, &id, Store::expire, "cancel_url").await
}

async fn finish(
    state: &DoubleState,
    id: &str,
    change: SessionChange,
    return_url_field: &str,
) -> Response {
    let session = match state.settle(id, change).await {
        Ok((session, _deliveries)) => session,
        Err(error) => return error_page(&error),
    };
    match session[return_url_field].as_str() {
        Some(url) => Redirect::to(&url.replace("{CHECKOUT_SESSION_ID}", id)).into_response(),
        None => page(
            StatusCode::OK,
            "<p>Đã huỷ thanh toán.<br><span lang=\"en\">The payment was cancelled.</span></p>",
        ),
    }
}

fn error_page(error: &ApiError) -> Response {
    page(error.status, &format!("<p>{}</p>", text(&error.message)))
}

fn page(status: StatusCode, main: &str) -> Response {
    let html = format!(
        r#"<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Thanh toán thẻ (thử) / Card payment (test)</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 28rem; margin: 2rem auto; padding: 0 1rem; }}
table {{ width: 100%; border-collapse: collapse; }} td {{ padding: .3rem 0; }}
td:last-child {{ text-align: right; }} .test {{ color: #8a5a00; }} .total {{ font-size: 1.2rem; }}
button {{ width: 100%; padding: .8rem; margin: .3rem 0; font-size: 1rem; }}
.pay {{ background: #1b6e3a; color: #fff; border: 0; }}
</style>
</head>
<body>
<h1>Thanh toán thẻ <span lang="en">/ Card payment</span></h1>
{main}
</body>
</html>"#
    );
    (status, Html(html)).into_response()
}
