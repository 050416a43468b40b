//! The double over HTTP, as the app and scripts reach it, its notifications checked with the
//! app's own readers in [`crate::payments::bank`].
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use serde_json::{Map, Value, json};

use super::spawn;
use crate::payments::bank::{payos, sepay};

const KEY: &str = "1a54716c8f0efb2744fb28b6e38b25da7f67a925d98bc1c18bd8faaecadd7675";
const SECRET: &str = "sepay-secret";
const ORDER: i64 = 2026000123;

type Received = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// A running double, a webhook receiver that answers as the app does, and a client.
struct Rig {
    base: String,
    hook: String,
    received: Received,
    client: reqwest::Client,
}

async fn record(State(received): State<Received>, headers: HeaderMap, body: Bytes) -> Value {
    received.lock().unwrap().push((headers, body));
    json!({"success": true})
}

async fn rig() -> Rig {
    let any_port: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let (double, _state, _server) = spawn(any_port).await.unwrap();
    let received = Received::default();
    let listener = tokio::net::TcpListener::bind(any_port).await.unwrap();
    let hook = format!("http://{}/hooks", listener.local_addr().unwrap());
    let app =
        Router::new()
            .route(
                "/hooks",
                post(|state, headers, body| async move {
                    axum::Json(record(state, headers, body).await)
                }),
            )
            .with_state(received.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Rig {
        base: format!("http://{double}"),
        hook,
        received,
        client: reqwest::Client::new(),
    }
}

impl Rig {
    async fn post(&self, path: &str, body: Value) -> Value {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        response.json().await.unwrap()
    }

    async fn register(&self, service: &str) -> String {
        let account = json!({
            "service": service,
            "webhook_url": self.hook,
            "checksum_key": KEY,
            "webhook_secret": SECRET,
            "client_id": "client-1",
            "api_key": "api-1",
            "account_number": "0011001234567",
            "account_name": "NGUYEN THI HANG",
            "bin": "970436",
        });
        let answer = self.post("/_double/accounts", account).await;
        answer["id"].as_str().unwrap().to_owned()
    }

    /// A payOS API call with the registered account's keys.
    fn payos(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}/v2/payment-requests{path}", self.base))
            .header("x-client-id", "client-1")
            .header("x-api-key", "api-1")
    }

    async fn create_link(&self, order_code: i64, amount: i64, description: &str) -> Value {
        let (cancel, back) = ("https://choso.vn/huy", "https://choso.vn/don");
        let signature =
            payos::request_signature(KEY, amount, cancel, description, order_code, back);
        let body = json!({"orderCode": order_code, "amount": amount, "description": description,
            "cancelUrl": cancel, "returnUrl": back, "signature": signature});
        let response = self.payos(reqwest::Method::POST, "").json(&body).send();
        response.await.unwrap().json().await.unwrap()
    }

    async fn link(&self, key: &str) -> Value {
        let response = self.payos(reqwest::Method::GET, &format!("/{key}")).send();
        response.await.unwrap().json().await.unwrap()
    }

    async fn transfer(&self, account: &str, amount: i64, purpose: &str) -> Value {
        let body = json!({"account": account, "amount": amount, "purpose": purpose});
        self.post("/_double/transfer", body).await
    }

    fn received(&self) -> Vec<(HeaderMap, Bytes)> {
        self.received.lock().unwrap().clone()
    }
}

fn data(answer: &Value) -> Map<String, Value> {
    answer["data"].as_object().expect("a data object").clone()
}

/// An answer's `data` carries the signature payOS would put on it.
fn assert_signed(answer: &Value) {
    let signature = answer["signature"].as_str().expect("a signature");
    assert_eq!(payos::data_signature(KEY, &data(answer)), signature);
}

#[tokio::test]
async fn a_payment_request_with_a_good_signature_answers_signed_data() {
    let rig = rig().await;
    let account = rig.register("payos").await;
    let answer = rig.create_link(ORDER, 45_000, "DH000123").await;
    assert_eq!(answer["code"], "00", "{answer}");
    assert_signed(&answer);
    let data = data(&answer);
    assert_eq!(data["orderCode"], ORDER);
    assert_eq!(data["status"], "PENDING");
    assert_eq!(data["bin"], "970436");
    assert_eq!(data["accountName"], "NGUYEN THI HANG");
    assert!(app::domain::vietqr::verify(
        data["qrCode"].as_str().unwrap()
    ));
    let checkout = data["checkoutUrl"].as_str().unwrap();
    assert!(checkout.starts_with(&format!("{}/bank?account={account}", rig.base)));
    let page = rig.client.get(checkout).send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains(r#"value="45000""#) && page.contains(r#"value="DH000123""#));
}

#[tokio::test]
async fn a_bad_signature_a_long_description_a_repeated_order_or_wrong_keys_are_refused() {
    let rig = rig().await;
    rig.register("payos").await;
    let mut forged = json!({"orderCode": 7, "amount": 1000, "description": "DH000007",
        "cancelUrl": "c", "returnUrl": "r", "signature": "00ff"});
    let answer = rig.payos(reqwest::Method::POST, "").json(&forged).send();
    assert_eq!(
        answer.await.unwrap().json::<Value>().await.unwrap()["code"],
        "201"
    );
    forged["signature"] = json!(payos::request_signature(KEY, 1000, "c", "DH000007", 7, "r"));
    forged["amount"] = json!(2000);
    let answer = rig.payos(reqwest::Method::POST, "").json(&forged).send();
    assert_eq!(
        answer.await.unwrap().json::<Value>().await.unwrap()["code"],
        "201"
    );

    let ten = rig.create_link(ORDER, 45_000, "DH00012345").await;
    assert_eq!(ten["code"], "20", "{ten}");
    assert_eq!(
        rig.create_link(ORDER, 45_000, "DH000123").await["code"],
        "00"
    );
    assert_eq!(
        rig.create_link(ORDER, 45_000, "DH000123").await["code"],
        "231"
    );

    let stranger = rig
        .client
        .get(format!("{}/v2/payment-requests/{ORDER}", rig.base))
        .header("x-client-id", "client-1")
        .header("x-api-key", "wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), reqwest::StatusCode::UNAUTHORIZED);
    assert_eq!(stranger.json::<Value>().await.unwrap()["code"], "401");
    assert_eq!(rig.link("999").await["code"], "101");
}

#[tokio::test]
async fn a_payos_transfer_is_notified_signed_and_pays_its_link() {
    let rig = rig().await;
    let account = rig.register("payos").await;
    let created = data(&rig.create_link(ORDER, 45_000, "DH000123").await);
    let answer = rig.transfer(&account, 20_000, "DH000123 chè Shan").await;
    assert_eq!(answer["status"], 200, "{answer}");

    let received = rig.received();
    assert_eq!(received.len(), 1);
    let notice = payos::verify_webhook(KEY, &received[0].1).unwrap();
    assert_eq!(notice.order_code, ORDER);
    assert_eq!(notice.amount, 20_000);
    assert_eq!(notice.description, "DH000123 che Shan");
    assert_eq!(notice.payment_link_id, created["paymentLinkId"]);
    let credit = notice.credit().unwrap();
    assert_eq!(credit.order_code.as_deref(), Some("DH2026000123"));

    let link = rig.link(&ORDER.to_string()).await;
    assert_signed(&link);
    assert_eq!(link["data"]["amountPaid"], 20_000);
    assert_eq!(link["data"]["amountRemaining"], 25_000);
    assert_eq!(link["data"]["status"], "UNDERPAID");
    assert_eq!(
        link["data"]["transactions"][0]["reference"],
        notice.reference
    );

    rig.transfer(&account, 25_000, "DH000123").await;
    let by_id = rig.link(created["paymentLinkId"].as_str().unwrap()).await;
    assert_eq!(by_id["data"]["amountPaid"], 45_000);
    assert_eq!(by_id["data"]["status"], "PAID");
}

#[tokio::test]
async fn a_link_is_cancelled_once_and_a_transfer_naming_no_order_is_not_notified() {
    let rig = rig().await;
    let account = rig.register("payos").await;
    rig.create_link(ORDER, 45_000, "DH000123").await;
    let cancel = |path: &str| rig.payos(reqwest::Method::POST, path).send();
    let cancelled: Value = cancel(&format!("/{ORDER}/cancel"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_signed(&cancelled);
    assert_eq!(cancelled["data"]["status"], "CANCELLED");
    let again: Value = cancel(&format!("/{ORDER}/cancel"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["code"], "20");

    let answer = rig.transfer(&account, 10_000, "tien rau").await;
    assert_eq!(answer["status"], Value::Null, "{answer}");
    assert!(rig.received().is_empty());
}

#[tokio::test]
async fn redelivery_sends_the_identical_body() {
    let rig = rig().await;
    let payos_account = rig.register("payos").await;
    let sepay_account = rig.register("sepay").await;
    let first = rig.transfer(&payos_account, 45_000, "DH2026000123").await;
    let second = rig.transfer(&sepay_account, 30_000, "DH2026000124").await;
    for answer in [first, second] {
        let id = answer["transfer_id"].as_u64().unwrap();
        let again = rig
            .post(&format!("/_double/redeliver/{id}"), json!({}))
            .await;
        assert_eq!(again["status"], 200, "{again}");
    }
    let received = rig.received();
    assert_eq!(received.len(), 4);
    assert_eq!(received[0].1, received[2].1);
    assert_eq!(received[1].1, received[3].1);
    let (headers, body) = &received[3];
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let now = chrono::Utc::now().timestamp();
    let notice = sepay::verify_webhook(
        SECRET,
        header("x-sepay-timestamp"),
        header("x-sepay-signature"),
        body,
        now,
    );
    assert_eq!(notice.unwrap().id, 2);
    let missing = rig.post("/_double/redeliver/99", json!({})).await;
    assert!(missing["error"].is_string());
}

#[tokio::test]
async fn a_sepay_transfer_is_notified_signed_and_listed() {
    let rig = rig().await;
    let account = rig.register("sepay").await;
    rig.transfer(&account, 45_000, "DH2026000123 Trà Shan tuyết")
        .await;
    rig.transfer(&account, 5_000, "tien rau").await;

    let received = rig.received();
    let (headers, body) = &received[0];
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let now = chrono::Utc::now().timestamp();
    let timestamp = header("x-sepay-timestamp");
    let notice =
        sepay::verify_webhook(SECRET, timestamp, header("x-sepay-signature"), body, now).unwrap();
    assert_eq!(notice.code.as_deref(), Some("DH2026000123"));
    assert_eq!(
        notice.content.as_deref(),
        Some("DH2026000123 Tra Shan tuyet")
    );
    assert_eq!(
        (notice.transfer_amount, notice.accumulated),
        (45_000, Some(45_000))
    );
    assert_eq!(notice.gateway, "Vietcombank");
    let credit = notice.credit().unwrap().unwrap();
    assert_eq!(credit.order_code.as_deref(), Some("DH2026000123"));
    // A purpose that does not start with an order code carries none.
    let second: Value = serde_json::from_slice(&received[1].1).unwrap();
    assert_eq!(second["code"], Value::Null);
    assert_eq!(second["transferType"], "in");

    let list = |token: &str| {
        rig.client
            .get(format!("{}/userapi/transactions/list", rig.base))
            .bearer_auth(token)
            .send()
    };
    let listed: Value = list("api-1").await.unwrap().json().await.unwrap();
    assert_eq!(listed["messages"]["success"], true);
    let rows = listed["transactions"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["id"], "1");
    assert_eq!(rows[1]["amount_in"], "45000.00");
    assert_eq!(rows[0]["accumulated"], "50000.00");
    assert_eq!(rows[1]["code"], "DH2026000123");
    assert_eq!(rows[1]["reference_number"], notice.reference_code.unwrap());
    let refused = list("not-the-token").await.unwrap();
    assert_eq!(refused.status(), reqwest::StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_bank_page_renders_and_its_form_fires_the_webhook() {
    let rig = rig().await;
    let account = rig.register("sepay").await;
    let page = rig
        .client
        .get(format!("{}/bank", rig.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains(r#"action="/bank/transfer""#));
    assert!(page.contains(&format!(r#"<option value="{account}""#)));

    let post = |amount: &str| {
        rig.client
            .post(format!("{}/bank/transfer", rig.base))
            .form(&[
                ("account", account.as_str()),
                ("amount", amount),
                ("purpose", "DH2026000123"),
                ("order_code", ""),
            ])
            .send()
    };
    let done = post("45.000").await.unwrap();
    assert_eq!(done.status(), reqwest::StatusCode::OK);
    let done = done.text().await.unwrap();
    assert!(done.contains(r#"data-webhook-status="200""#), "{done}");
    assert!(done.contains("45.000"));
    assert_eq!(rig.received().len(), 1);

    let refused = post("nothing").await.unwrap();
    assert_eq!(refused.status(), reqwest::StatusCode::BAD_REQUEST);
    assert_eq!(rig.received().len(), 1);
}

#[tokio::test]
async fn held_notifications_wait_and_are_released_in_the_order_asked() {
    let rig = rig().await;
    let account = rig.register("sepay").await;
    let hold = rig.client.post(format!("{}/_double/hold", rig.base)).send();
    assert_eq!(
        hold.await.unwrap().status(),
        reqwest::StatusCode::NO_CONTENT
    );
    for purpose in ["DH2026000123", "DH2026000124"] {
        let answer = rig.transfer(&account, 10_000, purpose).await;
        assert_eq!(answer["status"], Value::Null, "{answer}");
    }
    assert!(rig.received().is_empty());

    let released = rig.post("/_double/deliver?order=reverse", json!({})).await;
    assert_eq!(released[0]["transfer_id"], 2, "{released}");
    assert_eq!(released[1]["status"], 200, "{released}");
    let ids: Vec<i64> = rig
        .received()
        .iter()
        .map(|(_, body)| {
            serde_json::from_slice::<Value>(body).unwrap()["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    assert_eq!(ids, [2, 1]);
    // Holding stopped: the next transfer is delivered at once.
    let next = rig.transfer(&account, 10_000, "DH2026000125").await;
    assert_eq!(next["status"], 200);
}
