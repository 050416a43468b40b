//! The Stripe test double on its own, with a small receiver standing in for the app's webhook
//! endpoint, and the Stripe adapter pointed at it.
use app::domain::id::OrderId;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::Value;
use server::payments::double::{self, DoubleHandle};
use server::payments::signature::{self, DEFAULT_TOLERANCE_SECS};
use server::payments::{
    CheckoutLine, CheckoutRequest, StripeGateway, StripeSettings, WebhookEvent, parse_event,
};
use tokio::net::TcpListener;

pub const SECRET_KEY: &str = "sk_test_choso_double";
pub const WEBHOOK_SECRET: &str = "whsec_choso_double";
pub const SHOP: &str = "http://shop.test";

/// One webhook delivery as the endpoint received it.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub signature: String,
    pub body: Bytes,
}

impl Delivery {
    /// Checks the signature as the app will, then parses.
    pub fn verified_event(&self) -> WebhookEvent {
        signature::verify(
            &self.signature,
            &self.body,
            WEBHOOK_SECRET,
            chrono::Utc::now().timestamp(),
            DEFAULT_TOLERANCE_SECS,
        )
        .expect("the double's signature verifies");
        parse_event(&self.body).expect("the event parses")
    }
}

#[derive(Clone, Default)]
pub struct Received(Arc<Mutex<Vec<Delivery>>>);

impl Received {
    pub fn all(&self) -> Vec<Delivery> {
        self.0.lock().unwrap().clone()
    }

    pub fn event_types(&self) -> Vec<String> {
        self.all()
            .iter()
            .map(|delivery| delivery.verified_event().event_type)
            .collect()
    }
}

async fn record(State(received): State<Received>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let signature = headers
        .get("stripe-signature")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    received
        .0
        .lock()
        .unwrap()
        .push(Delivery { signature, body });
    StatusCode::OK
}

/// Serves `router` on a free local port; returns `http://127.0.0.1:port`.
pub async fn serve(router: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

pub struct World {
    pub double: DoubleHandle,
    pub gateway: StripeGateway,
    pub received: Received,
    /// A browser that does not follow redirects, to see where Checkout sends the shopper.
    pub browser: reqwest::Client,
}

impl World {
    pub async fn new() -> World {
        let received = Received::default();
        let receiver = serve(
            Router::new()
                .route("/stripe/webhook", post(record))
                .with_state(received.clone()),
        )
        .await;
        let (_, double) = double::spawn(
            "127.0.0.1:0".parse().unwrap(),
            format!("{receiver}/stripe/webhook"),
            WEBHOOK_SECRET,
        )
        .await
        .unwrap();
        let gateway = StripeGateway::new(&settings(SECRET_KEY, Some(double.base_url()))).unwrap();
        let browser = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        World {
            double,
            gateway,
            received,
            browser,
        }
    }

    pub async fn post_double(&self, path: &str) -> reqwest::Response {
        self.browser
            .post(format!("{}{path}", self.double.base_url()))
            .send()
            .await
            .unwrap()
    }

    /// A paid checkout: its PaymentIntent.
    pub async fn paid_checkout(&self, checkout_id: &str, amount: i64) -> String {
        let session = self
            .gateway
            .create_checkout(checkout(
                checkout_id,
                1,
                vec![line("Mật ong bạc hà", amount, 1)],
            ))
            .await
            .unwrap();
        let res = self
            .post_double(&format!("/_double/sessions/{}/complete", session.id))
            .await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        body["session"]["payment_intent"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

pub fn settings(secret_key: &str, api_base: Option<&str>) -> StripeSettings {
    StripeSettings {
        secret_key: secret_key.into(),
        webhook_secret: WEBHOOK_SECRET.into(),
        api_base: api_base.map(str::to_owned),
        allow_live: false,
    }
}

pub fn line(name: &str, unit_amount_dong: i64, quantity: u64) -> CheckoutLine {
    CheckoutLine {
        name: name.into(),
        unit_amount_dong,
        quantity,
    }
}

pub fn checkout(checkout_id: &str, attempt: u32, lines: Vec<CheckoutLine>) -> CheckoutRequest {
    CheckoutRequest {
        checkout_id: checkout_id.into(),
        attempt,
        order_ids: vec![OrderId::new(7), OrderId::new(8)],
        lines,
        success_url: format!("{SHOP}/checkout/{checkout_id}/paid?session={{CHECKOUT_SESSION_ID}}"),
        cancel_url: format!("{SHOP}/checkout/{checkout_id}"),
        expires_at: None,
    }
}
