//! Transfers the bank reports through a stall's payOS or SePay service: every outcome of
//! matching a transfer to an order, each transfer applied once, and nothing changed by a
//! notification that is not the stall's service's.
mod counter;
mod linking;
mod matching;
mod refused;

use crate::support::{TestApp, Visitor};
use app::domain::id::ProductId;
use app::model::{Order, Stall};
use app::ports::BankLink;
use server::payments::bank::{payos, sepay};
use server::payments::bank_keys::{BankKeys, SealedKeys};

pub const CHECKSUM_KEY: &str = "1a54716c8f0efb2744fb28b6e38b25da7f67a925d98bc1c18bd8faaecadd7675";
pub const SEPAY_SECRET: &str = "sepay-webhook-secret";

/// The app, its shoppers all placing orders under one phone number as the helpers do.
pub async fn spawn() -> TestApp {
    TestApp::spawn_with(|s| s.hold_limits.per_phone = 100).await
}

/// A vendor whose stall sells plums at 45.000 ₫ a kg, linked to `service` (`payos` or
/// `sepay`) at its own address.
pub struct BankStall {
    pub vendor: Visitor,
    pub stall: Stall,
    pub plums: ProductId,
    pub token: String,
    pub service: &'static str,
}

pub async fn bank_stall(app: &TestApp, phone: &str, service: &'static str) -> BankStall {
    let (vendor, stall) = app.approved_vendor(phone, "bac-ha").await;
    let plums = vendor
        .add_product("Mận tam hoa", "45.000", "20", true)
        .await
        .unwrap();
    let keys = match service {
        "payos" => BankKeys::PayOs {
            client_id: "client-id".into(),
            api_key: "api-key".into(),
            checksum_key: CHECKSUM_KEY.into(),
        },
        _ => BankKeys::SePay {
            webhook_secret: SEPAY_SECRET.into(),
        },
    };
    let token = format!("{phone}{}", "0".repeat(22));
    let link = BankLink {
        stall_id: stall.id,
        service: keys.service(),
        sealed_keys: keys.seal(&app.sealing),
        hook_token: token.clone(),
    };
    app.ports.bank.link(&link).await.unwrap();
    BankStall {
        vendor,
        stall,
        plums,
        token,
        service,
    }
}

impl BankStall {
    /// A shopper's VietQR order of `kg` kilograms of plums; its checkout token and the order.
    pub async fn order(&self, app: &TestApp, kg: &str) -> (String, Order) {
        let shopper = app.anonymous();
        shopper.add_to_cart(self.plums, kg).await.unwrap();
        let token = shopper.place_order("vietqr", &[]).await.unwrap();
        let order = shopper.checkout(&token).await.orders.remove(0);
        (token, order)
    }

    /// The order as its vendor sees it now.
    pub async fn seen(&self, code: &str) -> Order {
        let orders = self.vendor.stall_orders().await;
        orders.into_iter().find(|o| o.code == code).unwrap()
    }

    /// The service tells the stall's address that `amount` arrived with `purpose`, as
    /// transfer `id`; the answer's status.
    pub async fn transfer(&self, app: &TestApp, id: i64, amount: i64, purpose: &str) -> u16 {
        let at = app.ports.clock.now();
        let (body, headers) = match self.service {
            "payos" => (payos_body(id, amount, purpose), Vec::new()),
            _ => sepay_delivery(id, amount, purpose, at.timestamp()),
        };
        post(app, self.service, &self.token, body, headers).await
    }
}

/// payOS's notification of a payment: `orderCode` is the order named at the start of
/// `purpose` when it names one (payOS ties each payment link to its order), else 0.
pub fn payos_body(id: i64, amount: i64, purpose: &str) -> Vec<u8> {
    let codes = app::domain::order::find_order_codes(purpose);
    let order_code = match codes.as_slice() {
        [one] => payos::payos_order_code(one).unwrap(),
        _ => 0,
    };
    let data = serde_json::json!({
        "orderCode": order_code, "amount": amount, "description": purpose,
        "accountNumber": "12345678", "reference": format!("FT{id}"),
        "transactionDateTime": "2026-12-04 09:30:00", "currency": "VND",
        "paymentLinkId": "124c33293c43417ab7879e14c8d9eb18", "code": "00", "desc": "Thành công",
        "counterAccountBankId": "", "counterAccountBankName": "", "counterAccountName": "",
        "counterAccountNumber": "", "virtualAccountName": "", "virtualAccountNumber": ""
    });
    let serde_json::Value::Object(data) = data else {
        unreachable!()
    };
    payos::sign_webhook(CHECKSUM_KEY, data)
}

/// SePay's notification of an incoming transfer, and its signed headers.
pub fn sepay_delivery(
    id: i64,
    amount: i64,
    purpose: &str,
    now: i64,
) -> (Vec<u8>, Vec<(&'static str, String)>) {
    let body = serde_json::to_vec(&serde_json::json!({
        "id": id, "gateway": "Vietcombank", "transactionDate": "2026-12-04 09:30:00",
        "accountNumber": "0011001234567", "subAccount": null, "code": null,
        "content": purpose, "transferType": "in", "transferAmount": amount,
        "accumulated": 19_077_000, "referenceCode": format!("MBVCB.{id}"),
        "description": format!("BankAPINotify {purpose}")
    }))
    .unwrap();
    let (timestamp, signature) = sepay::signed_headers(SEPAY_SECRET, &body, now);
    let headers = vec![
        ("x-sepay-timestamp", timestamp),
        ("x-sepay-signature", signature),
    ];
    (body, headers)
}

pub async fn post(
    app: &TestApp,
    service: &str,
    token: &str,
    body: Vec<u8>,
    headers: Vec<(&'static str, String)>,
) -> u16 {
    let mut req = reqwest::Client::new()
        .post(format!("{}/hooks/{service}/{token}", app.base))
        .header("content-type", "application/json")
        .body(body);
    for (name, value) in headers {
        req = req.header(name, value);
    }
    req.send().await.unwrap().status().as_u16()
}
