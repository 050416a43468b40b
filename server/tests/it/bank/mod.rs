//! Transfers the bank reports through a stall's payOS or SePay service: every outcome of
//! matching a transfer to an order, each transfer applied once, and nothing changed by a
//! notification that is not the stall's service's; the keys checked with the service, payOS's
//! payment links, and reconciliation after a lost notification, against the payOS and SePay
//! stand-in served over HTTP.
mod assigning;
mod counter;
mod counter_payos;
mod keys_check;
mod linking;
mod matching;
mod payment_links;
mod reconcile;
mod refused;

use crate::support::{TestApp, Visitor};
use app::domain::id::ProductId;
use app::model::{Order, Stall};
use app::ports::BankLink;
use server::payments::bank::{payos, sepay};
use server::payments::bank_keys::{BankKeys, SealedKeys};

pub const CHECKSUM_KEY: &str = "1a54716c8f0efb2744fb28b6e38b25da7f67a925d98bc1c18bd8faaecadd7675";
pub const SEPAY_SECRET: &str = "sepay-webhook-secret";

/// The app, its shoppers all placing orders under one phone number as the helpers do, calling
/// the payOS and SePay stand-in run beside it over HTTP ([`double`]).
pub async fn spawn() -> TestApp {
    let (_, double, _) = server::payments::bank_double::spawn(([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    spawn_calling(double.base_url()).await
}

/// The app calling payOS's and SePay's APIs at `url`.
pub async fn spawn_calling(url: &str) -> TestApp {
    TestApp::spawn_with(|s| {
        s.hold_limits.per_phone = 100;
        s.bank_api_url = Some(url.to_owned());
    })
    .await
}

/// The stand-in the app calls.
pub fn double(app: &TestApp) -> String {
    app.settings.bank_api_url.clone().unwrap()
}

/// A request to the stand-in's control API; its JSON answer.
pub async fn control(app: &TestApp, path: &str, body: serde_json::Value) -> serde_json::Value {
    let answer = reqwest::Client::new()
        .post(format!("{}/_double/{path}", double(app)))
        .json(&body)
        .send()
        .await
        .unwrap();
    if answer.status() == 204 {
        return serde_json::Value::Null;
    }
    answer.json().await.unwrap()
}

/// A vendor whose stall sells plums at 45.000 ₫ a kg, linked to `service` (`payos` or
/// `sepay`) at its own address.
pub struct BankStall {
    pub vendor: Visitor,
    pub stall: Stall,
    pub plums: ProductId,
    pub token: String,
    pub service: &'static str,
    pub keys: BankKeys,
    /// The stall's account at the stand-in.
    pub account: String,
}

pub async fn bank_stall(app: &TestApp, phone: &str, service: &'static str) -> BankStall {
    let (vendor, stall) = app.approved_vendor(phone, "bac-ha").await;
    let plums = vendor
        .add_product("Mận tam hoa", "45.000", "20", true)
        .await
        .unwrap();
    let keys = match service {
        "payos" => BankKeys::PayOs {
            client_id: format!("client-{phone}"),
            api_key: format!("api-{phone}"),
            checksum_key: CHECKSUM_KEY.into(),
        },
        _ => BankKeys::SePay {
            webhook_secret: SEPAY_SECRET.into(),
            api_token: Some(format!("TOKEN{phone}")),
        },
    };
    let token = format!("{phone}{}", "0".repeat(22));
    let account = open_account(app, service, &keys, &token).await;
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
        keys,
        account,
    }
}

/// Opens the stall's account at the stand-in, as a vendor signs up with the service, its
/// notifications going to the stall's address; the account's id.
pub async fn open_account(app: &TestApp, service: &str, keys: &BankKeys, token: &str) -> String {
    let mut account = serde_json::json!({
        "service": service,
        "webhook_url": format!("{}/hooks/{service}/{token}", app.base),
        "account_number": "0011001234567",
        "account_name": "CHO SO THU NGHIEM",
        "bin": "970436",
    });
    match keys {
        BankKeys::PayOs {
            client_id,
            api_key,
            checksum_key,
        } => {
            account["client_id"] = client_id.as_str().into();
            account["api_key"] = api_key.as_str().into();
            account["checksum_key"] = checksum_key.as_str().into();
        }
        BankKeys::SePay {
            webhook_secret,
            api_token,
        } => {
            account["webhook_secret"] = webhook_secret.as_str().into();
            account["api_key"] = api_token.as_deref().into();
        }
    }
    let answer = control(app, "accounts", account).await;
    answer["id"].as_str().unwrap().to_owned()
}

impl BankStall {
    /// Every transfer reported for the stall, the oldest first.
    pub async fn transfers(&self, app: &TestApp) -> Vec<app::model::ReportedTransfer> {
        let mut transfers = app
            .ports
            .bank
            .transfers_of(self.stall.id, 100)
            .await
            .unwrap();
        transfers.reverse();
        transfers
    }

    /// What the stall's reported transfers did, the oldest first, with the order or stall
    /// sale each names.
    pub async fn outcomes(
        &self,
        app: &TestApp,
    ) -> Vec<(app::domain::bank_notice::CreditKind, Option<String>)> {
        let transfers = self.transfers(app).await;
        transfers
            .into_iter()
            .map(|t| (t.kind, t.order_code))
            .collect()
    }

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

    /// A shopper pays `amount` into the stall's account at the stand-in, with `purpose`; what
    /// became of its notification.
    pub async fn pay(&self, app: &TestApp, amount: i64, purpose: &str) -> serde_json::Value {
        let transfer = serde_json::json!({
            "account": self.account, "amount": amount, "purpose": purpose,
        });
        control(app, "transfer", transfer).await
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

/// payOS's notification of a payment: `orderCode` is the order or counter sale `purpose`
/// names when it names one (payOS ties each payment link to its order or sale), else 0.
pub fn payos_body(id: i64, amount: i64, purpose: &str) -> Vec<u8> {
    let mut codes = app::domain::order::find_order_codes(purpose);
    let sales = app::domain::counter_sale::SaleCode::find_in(purpose);
    codes.extend(sales.iter().map(|code| code.to_string()));
    let order_code = match codes.as_slice() {
        [one] => payos::payos_order_code(one).unwrap_or(0),
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
