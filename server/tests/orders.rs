//! Orders and payments against the real app, on SQLite or PostgreSQL (see `api.rs`).
mod support;

use app::api::AppError;
use app::api::shop::{cart_line_field, pickup_day_field};
use app::domain::invalid::Invalid;
use app::domain::market::Weekday;
use app::domain::order::{OrderActor, OrderEnding, OrderStatus};
use app::domain::quantity::{Quantity, Unit};
use support::TestApp;

#[tokio::test]
async fn a_vietqr_checkout_across_two_stalls_makes_one_order_each_with_its_own_code() {
    let app = TestApp::spawn().await;
    let (plums, _) = app.approved_vendor("0912100001", "bac-ha").await;
    plums.set_payments(true, false, "0").await;
    let plum = plums
        .add_product("Mận tam hoa", "45.000", "20", true)
        .await
        .unwrap();
    let (honey, _) = app.approved_vendor("0912100002", "bac-ha").await;
    honey.set_payments(true, false, "0").await;
    let jar = honey
        .add_product("Mật ong bạc hà", "450.000", "5", true)
        .await
        .unwrap();

    let shopper = app.anonymous();
    shopper.add_to_cart(plum, "1,5").await.unwrap();
    shopper.add_to_cart(jar, "1").await.unwrap();
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    let checkout = shopper.checkout(&token).await;
    assert_eq!(checkout.orders.len(), 2);
    // 1.5 kg × 45.000 ₫ = 67.500 ₫, priced by the server.
    assert_eq!(checkout.orders[0].total.amount(), 67_500);
    assert_eq!(checkout.total.amount(), 517_500);
    assert!(
        checkout
            .orders
            .iter()
            .all(|o| o.status == OrderStatus::AwaitingTransfer)
    );
    assert_eq!(checkout.transfer_codes.len(), 2);
    for code in &checkout.transfer_codes {
        assert!(
            app::domain::vietqr::verify(&code.payload),
            "{}",
            code.payload
        );
        let order = checkout
            .orders
            .iter()
            .find(|o| o.id == code.order_id)
            .unwrap();
        assert!(
            code.payload.contains(&order.code),
            "the order code is in the purpose"
        );
        assert!(code.svg.starts_with("<?xml") || code.svg.contains("<svg"));
    }
    // Stock was reserved: 20 kg − 1.5 kg.
    assert_eq!(plums.my_product(plum).await.stock.unwrap().steps(), 185);

    // Each vendor sees only their own order, and confirms only their own transfer.
    let mine = plums.stall_orders().await;
    assert_eq!(mine.len(), 1);
    let other = honey.stall_orders().await[0].id;
    assert_eq!(
        plums
            .move_order(other, "confirm_payment")
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    plums
        .move_order(mine[0].id, "confirm_payment")
        .await
        .unwrap();
    assert_eq!(
        shopper.checkout(&token).await.orders[0].status,
        OrderStatus::Paid
    );
    assert_eq!(
        shopper.checkout(&token).await.transfer_codes.len(),
        1,
        "a paid order shows no code"
    );
}

#[tokio::test]
async fn prices_sent_by_the_browser_are_ignored() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912100003", "sa-pa").await;
    vendor.set_payments(true, false, "0").await;
    let id = vendor
        .add_product("Táo mèo", "40.000", "", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "2").await.unwrap();
    let token = shopper
        .place_order(
            "vietqr",
            &[("form[total]", "1"), ("price", "1"), ("total", "1")],
        )
        .await
        .unwrap();
    assert_eq!(shopper.checkout(&token).await.total.amount(), 80_000);
}

#[tokio::test]
async fn a_stall_without_a_bank_account_takes_no_transfer_and_one_without_cards_no_card() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912100004", "coc-leu").await;
    let id = vendor
        .add_product("Gạo Séng Cù", "35.000", "", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "1").await.unwrap();
    for method in ["vietqr", "card"] {
        assert_eq!(
            shopper.place_order(method, &[]).await.unwrap_err(),
            AppError::field(
                "method",
                Invalid::NotAccepted {
                    stall: "Gian 0912100004".into()
                }
            ),
            "the refusal names the stall"
        );
    }
    assert_eq!(
        vendor.my_product(id).await.stock,
        None,
        "nothing was reserved"
    );
}

#[tokio::test]
async fn delivery_goes_only_to_addresses_in_lao_cai() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912100005", "coc-leu").await;
    vendor.set_payments(true, false, "15.000").await;
    let id = vendor
        .add_product("Thịt trâu gác bếp", "1.000.000", "", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "0,5").await.unwrap();
    let far = [
        ("form[fulfilment]", "delivery"),
        ("form[address]", "12 Tràng Tiền, Hà Nội"),
    ];
    let err = shopper.place_order("vietqr", &far).await.unwrap_err();
    assert_eq!(
        err,
        AppError::field("address", Invalid::OutsideDeliveryArea)
    );
    let near = [
        ("form[fulfilment]", "delivery"),
        ("form[address]", "5 Cầu Mây, Sa Pa, Lào Cai"),
    ];
    let token = shopper.place_order("vietqr", &near).await.unwrap();
    // 0.5 kg × 1.000.000 ₫ + the vendor's delivery fee.
    assert_eq!(shopper.checkout(&token).await.total.amount(), 515_000);
}

/// 200 shoppers try to buy the last 10 jars at once: exactly 10 get one, the rest are told
/// which product ran out, and nothing is oversold.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_buyers_for_the_last_ten_units_never_oversell() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912100006", "bac-ha").await;
    vendor.set_payments(true, false, "0").await;
    let id = vendor
        .add_product_described("Mật ong bạc hà hũ nhỏ", "Hũ 200 ml.")
        .await
        .unwrap();
    vendor
        .call(
            "/api/save_product",
            &[
                ("product_id", &id.to_string()),
                ("form[name]", "Mật ong bạc hà hũ nhỏ"),
                ("form[description_vi]", "Hũ 200 ml."),
                ("form[category]", "honey"),
                ("form[unit]", "hop"),
                ("form[price]", "120000"),
                ("form[stock]", "10"),
                ("form[published]", "on"),
            ],
        )
        .await
        .unwrap();
    let mut buyers = Vec::new();
    for _ in 0..200 {
        let buyer = app.anonymous();
        buyer.add_to_cart(id, "1").await.unwrap();
        buyers.push(buyer);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for buyer in buyers {
        tasks.spawn(async move { buyer.place_order("vietqr", &[]).await });
    }
    let (mut sold, mut refused) = (0, 0);
    while let Some(result) = tasks.join_next().await {
        match result.unwrap() {
            Ok(_) => sold += 1,
            Err(AppError::OutOfStock(name)) => {
                assert_eq!(name, "Mật ong bạc hà hũ nhỏ");
                refused += 1;
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!((sold, refused), (10, 190));
    assert_eq!(vendor.my_product(id).await.stock.unwrap().steps(), 0);
    assert_eq!(vendor.stall_orders().await.len(), 10);
}

/// A card checkout, the shopper sent to the (stand-in) hosted payment page, and what the
/// double at that page's address can be told to do.
struct CardCheckout {
    token: String,
    pay_page: String,
    double: String,
}

impl CardCheckout {
    /// Tells the stand-in to act as Stripe would (`hold`, `sessions/{session}/complete`, …).
    async fn tell(&self, what: &str) -> reqwest::Response {
        let what = what.replace("{session}", self.pay_page.rsplit('/').next().unwrap());
        reqwest::Client::new()
            .post(format!("{}/_double/{what}", self.double))
            .send()
            .await
            .unwrap()
    }

    /// Every event the stand-in has made, oldest first.
    async fn events(&self) -> Vec<serde_json::Value> {
        let list: serde_json::Value = reqwest::get(format!("{}/_double/events", self.double))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        list["data"].as_array().unwrap().clone()
    }
}

async fn card_checkout_across_two_stalls(
    app: &TestApp,
) -> (
    support::Visitor,
    support::Visitor,
    support::Visitor,
    CardCheckout,
) {
    let (a, _) = app.approved_vendor("0912200001", "sa-pa").await;
    a.set_payments(false, true, "0").await;
    let plum = a
        .add_product("Mận hậu", "50.000", "10", true)
        .await
        .unwrap();
    let (b, _) = app.approved_vendor("0912200002", "sa-pa").await;
    b.set_payments(false, true, "0").await;
    let tea = b
        .add_product("Chè shan tuyết", "300.000", "4", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(plum, "2").await.unwrap();
    shopper.add_to_cart(tea, "1").await.unwrap();
    let token = shopper.place_order("card", &[]).await.unwrap();
    let view = shopper.checkout(&token).await;
    let pay_page = view
        .payment_url
        .clone()
        .expect("sent on to the payment page");
    let double = pay_page.split("/pay/").next().unwrap().to_string();
    assert!(
        view.orders
            .iter()
            .all(|o| o.status == OrderStatus::AwaitingPayment)
    );
    (
        shopper,
        a,
        b,
        CardCheckout {
            token,
            pay_page,
            double,
        },
    )
}

#[tokio::test]
async fn a_card_checkout_across_two_stalls_is_paid_once_and_each_vendor_sees_their_order() {
    let app = TestApp::spawn().await;
    let (shopper, a, b, card) = card_checkout_across_two_stalls(&app).await;
    let page = reqwest::get(&card.pay_page)
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("400.000") || page.contains("400000"),
        "the whole checkout in whole đồng: {page}"
    );
    // The shopper presses "Pay": the stand-in posts its signed webhook, then sends them back.
    let back = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/pay", card.pay_page))
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 303);
    assert!(
        back.headers()["location"]
            .to_str()
            .unwrap()
            .contains(&format!("/checkout/{}", card.token))
    );
    let view = shopper.checkout(&card.token).await;
    assert!(
        view.orders.iter().all(|o| o.status == OrderStatus::Paid),
        "{:?}",
        view.orders
    );
    assert_eq!(a.stall_orders().await.len(), 1);
    assert_eq!(b.stall_orders().await.len(), 1);
    assert_eq!(
        a.my_product(a.stall_orders().await[0].lines[0].product_id)
            .await
            .stock
            .unwrap()
            .steps(),
        80,
        "10 kg less 2 kg, in 0.1 kg steps"
    );
}

#[tokio::test]
async fn a_webhook_delivered_twice_or_out_of_order_is_applied_once() {
    let app = TestApp::spawn().await;
    let (shopper, a, _, card) = card_checkout_across_two_stalls(&app).await;
    // Hold the events, then let "expired" arrive before "completed".
    card.tell("hold").await;
    card.tell("sessions/{session}/complete").await;
    card.tell("sessions/{session}/expire").await;
    assert!(
        card.tell("deliver?order=reverse")
            .await
            .status()
            .is_success()
    );
    let paid = shopper.checkout(&card.token).await;
    assert!(
        paid.orders.iter().all(|o| o.status == OrderStatus::Paid),
        "a late payment revives expired orders: {:?}",
        paid.orders.iter().map(|o| o.status).collect::<Vec<_>>()
    );
    let stock = a
        .my_product(paid.orders[0].lines[0].product_id)
        .await
        .stock
        .unwrap()
        .steps();
    // Every delivery again, each with its own event id already applied: nothing changes.
    for event in card.events().await {
        let id = event["id"].as_str().unwrap();
        assert!(
            card.tell(&format!("events/{id}/redeliver"))
                .await
                .status()
                .is_success()
        );
    }
    let again = shopper.checkout(&card.token).await;
    assert_eq!(
        again.orders.iter().map(|o| o.status).collect::<Vec<_>>(),
        paid.orders.iter().map(|o| o.status).collect::<Vec<_>>()
    );
    assert_eq!(
        a.my_product(paid.orders[0].lines[0].product_id)
            .await
            .stock
            .unwrap()
            .steps(),
        stock,
        "stock taken once"
    );
    assert_eq!(
        a.stall_orders().await[0].history.len(),
        paid.orders[0].history.len()
    );
}

#[tokio::test]
async fn a_webhook_with_a_bad_or_stale_signature_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (shopper, _, _, card) = card_checkout_across_two_stalls(&app).await;
    let body = format!(
        r#"{{"id":"evt_forged","object":"event","type":"checkout.session.completed","data":{{"object":{{"client_reference_id":"{}","payment_status":"paid"}}}}}}"#,
        card.token
    );
    let http = reqwest::Client::new();
    let now = chrono::Utc::now().timestamp();
    for header in [
        String::new(),
        server::payments::signature::sign(body.as_bytes(), "whsec_not_ours", now),
        format!("t={now},v1=00"),
        // Signed with the right secret, but six minutes ago: a replay.
        server::payments::signature::sign(body.as_bytes(), &app.webhook_secret, now - 360),
    ] {
        let res = http
            .post(format!("{}/webhooks/stripe", app.base))
            .header("stripe-signature", header)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
    }
    assert!(
        shopper
            .checkout(&card.token)
            .await
            .orders
            .iter()
            .all(|o| o.status == OrderStatus::AwaitingPayment)
    );
}

#[tokio::test]
async fn a_vendor_cancelling_a_card_paid_order_refunds_it_and_restocks() {
    let app = TestApp::spawn().await;
    let (shopper, a, _, card) = card_checkout_across_two_stalls(&app).await;
    reqwest::Client::new()
        .post(format!("{}/pay", card.pay_page))
        .send()
        .await
        .unwrap();
    let order = a.stall_orders().await.remove(0);
    assert_eq!(order.status, OrderStatus::Paid);
    a.move_order(order.id, "cancel").await.unwrap();
    assert!(
        card.events()
            .await
            .iter()
            .any(|e| e["type"] == "charge.refunded"),
        "refunded through the processor"
    );
    let after = shopper.checkout(&card.token).await;
    assert!(
        after
            .orders
            .iter()
            .any(|o| o.id == order.id && o.status == OrderStatus::Cancelled)
    );
    assert_eq!(
        a.my_product(order.lines[0].product_id)
            .await
            .stock
            .unwrap()
            .steps(),
        100,
        "the stock came back: 10 kg in 0.1 kg steps"
    );
}

#[tokio::test]
async fn an_unpaid_transfer_expires_and_gives_its_stock_back() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912200003", "coc-leu").await;
    vendor.set_payments(true, false, "0").await;
    let id = vendor
        .add_product("Miến dong", "60.000", "3", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "1").await.unwrap();
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    assert_eq!(vendor.my_product(id).await.stock.unwrap().steps(), 20);
    // Nothing is due yet; a day and a minute later the transfer's 24 hours have run out.
    assert_eq!(app.expire_orders(chrono::Utc::now()).await, 0);
    let later = chrono::Utc::now() + chrono::Duration::minutes(24 * 60 + 1);
    assert_eq!(app.expire_orders(later).await, 1);
    assert_eq!(
        shopper.checkout(&token).await.orders[0].status,
        OrderStatus::Expired
    );
    assert_eq!(
        vendor.my_product(id).await.stock.unwrap().steps(),
        30,
        "3 kg again"
    );
    assert_eq!(app.expire_orders(later).await, 0, "an order expires once");
}

#[tokio::test]
async fn integrators_list_approved_stalls_and_get_their_vietqr_payloads() {
    let app = TestApp::spawn().await;
    let (with_bank, stall) = app.approved_vendor("0912200004", "sa-pa").await;
    with_bank.set_payments(true, false, "0").await;
    let (_without, other) = app.approved_vendor("0912200005", "bac-ha").await;
    let http = app.anonymous();
    let all: serde_json::Value = http
        .get("/api/v1/stalls?market=sa-pa")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(all[0]["slug"], stall.slug.as_str());
    assert_eq!(all[0]["vietqr"], true);
    let every: serde_json::Value = http.get("/api/v1/stalls").await.json().await.unwrap();
    let without = every
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == other.slug.as_str())
        .expect("the Bắc Hà stall is listed");
    assert_eq!(without["vietqr"], false, "no bank account, no VietQR");
    assert_eq!(every.as_array().unwrap().len(), 2);
    assert_eq!(http.get("/api/v1/stalls?market=ha-noi").await.status(), 400);

    let qr: serde_json::Value = http
        .get(&format!(
            "/api/v1/stalls/{}/payment-qr?amount=150000&memo=Trả tiền mận",
            stall.slug
        ))
        .await
        .json()
        .await
        .unwrap();
    let payload = qr["payload"].as_str().unwrap();
    assert!(app::domain::vietqr::verify(payload));
    assert!(
        payload.contains("5406150000"),
        "the amount in whole đồng: {payload}"
    );
    assert!(
        payload.contains("Tra tien man"),
        "the memo folded to ASCII: {payload}"
    );
    let fixed: serde_json::Value = http
        .get(&format!("/api/v1/stalls/{}/payment-qr", stall.slug))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        fixed["payload"]
            .as_str()
            .unwrap()
            .starts_with("000201010211"),
        "static without an amount"
    );
    assert_eq!(
        http.get(&format!(
            "/api/v1/stalls/{}/payment-qr?amount=-5",
            stall.slug
        ))
        .await
        .status(),
        400
    );
    assert_eq!(
        http.get(&format!("/api/v1/stalls/{}/payment-qr", other.slug))
            .await
            .status(),
        404,
        "no bank account"
    );
}

#[tokio::test]
async fn a_bank_statement_marks_the_matching_order_paid_once() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912200006", "bac-ha").await;
    vendor.set_payments(true, false, "0").await;
    let id = vendor
        .add_product("Rượu ngô Bản Phố", "120.000", "", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "1").await.unwrap();
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    let code = shopper.checkout(&token).await.orders[0].code.clone();
    let statement = format!(
        "\u{feff}Ngày,Số tiền,Nội dung\r\n25/11/2026,120.000,CT DEN:0912 {} Ruou ngo\r\n25/11/2026,99.000,{code} wrong amount\r\n25/11/2026,50.000,unrelated\r\nnot a date,1,x\r\n",
        code.to_lowercase()
    );
    vendor.upload_statement(&statement).await;
    let tally = statements_page(&vendor).await.last_import.unwrap().unwrap();
    assert_eq!(
        (
            tally.matched,
            tally.unmatched,
            tally.repeated,
            tally.rejected_count
        ),
        (1, 2, 0, 1)
    );
    assert_eq!(
        shopper.checkout(&token).await.orders[0].status,
        OrderStatus::Paid
    );
    // The same statement again changes nothing.
    vendor.upload_statement(&statement).await;
    let tally = statements_page(&vendor).await.last_import.unwrap().unwrap();
    assert_eq!(
        (
            tally.matched,
            tally.unmatched,
            tally.repeated,
            tally.rejected_count
        ),
        (0, 0, 3, 1)
    );
    let history = vendor.stall_orders().await[0].history.len();
    assert_eq!(history, 2, "created, then paid once");
    // Another vendor's statement can't pay this vendor's orders.
    let (other, _) = app.approved_vendor("0912200007", "bac-ha").await;
    let id2 = vendor.add_product("Mận", "30.000", "", true).await.unwrap();
    let buyer = app.anonymous();
    buyer.add_to_cart(id2, "1").await.unwrap();
    let token2 = buyer.place_order("vietqr", &[]).await.unwrap();
    let code2 = buyer.checkout(&token2).await.orders[0].code.clone();
    let forged = format!("date,amount,description\n2026-11-25,30000,{code2}\n");
    other.upload_statement(&forged).await;
    let tally = statements_page(&other).await.last_import.unwrap().unwrap();
    assert_eq!((tally.matched, tally.unmatched), (0, 1));
    assert_eq!(
        buyer.checkout(&token2).await.orders[0].status,
        OrderStatus::AwaitingTransfer
    );
}

#[tokio::test]
async fn the_placard_has_a_static_vietqr_and_the_stalls_address() {
    let app = TestApp::spawn().await;
    let (vendor, stall) = app.approved_vendor("0912200008", "coc-leu").await;
    let bare: serde_json::Value = vendor.call_json("/api/my_placard", &[]).await.unwrap();
    assert!(
        bare["pay_svg"].is_null(),
        "no bank account, no transfer code"
    );
    vendor.set_payments(true, false, "0").await;
    let placard: serde_json::Value = vendor.call_json("/api/my_placard", &[]).await.unwrap();
    assert!(placard["pay_svg"].as_str().unwrap().contains("<svg"));
    assert!(
        placard["page_url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/stalls/{}", stall.slug))
    );
    let shopper = app.shopper("0912200009").await;
    assert_eq!(
        shopper
            .call_json::<serde_json::Value>("/api/my_placard", &[])
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
}

#[tokio::test]
async fn card_money_is_owed_to_the_stall_until_an_administrator_records_its_transfer() {
    let app = TestApp::spawn().await;
    let (_, a, _, card) = card_checkout_across_two_stalls(&app).await;
    reqwest::Client::new()
        .post(format!("{}/pay", card.pay_page))
        .send()
        .await
        .unwrap();
    let admin = app.admin().await;
    let balances: Vec<app::model::StallBalance> =
        admin.call_json("/api/stall_balances", &[]).await.unwrap();
    let stall_a = a.my_stall().await.unwrap().0.id;
    let owed = balances.iter().find(|b| b.stall_id == stall_a).unwrap();
    assert_eq!(owed.owed.amount(), 100_000, "2 kg × 50.000 ₫");
    let id = stall_a.to_string();
    let err = admin
        .call(
            "/api/record_settlement",
            &[("stall_id", &id), ("amount", "100.001")],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid(_)),
        "never more than is owed"
    );
    admin
        .call(
            "/api/record_settlement",
            &[
                ("stall_id", &id),
                ("amount", "60.000"),
                ("note", "UNC 0042"),
            ],
        )
        .await
        .unwrap();
    let after: Vec<app::model::StallBalance> =
        admin.call_json("/api/stall_balances", &[]).await.unwrap();
    assert_eq!(
        after
            .iter()
            .find(|b| b.stall_id == stall_a)
            .unwrap()
            .owed
            .amount(),
        40_000
    );
}

#[tokio::test]
async fn the_shopper_cancels_an_unpaid_order_by_its_link_but_not_a_paid_one() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912200010", "sa-pa").await;
    vendor.set_payments(true, false, "0").await;
    let id = vendor
        .add_product("Su su", "15.000", "5", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "2").await.unwrap();
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    let order = shopper.checkout(&token).await.orders[0].id.to_string();
    // Someone without the link can't: the token is the key.
    let stranger = app.anonymous();
    assert_eq!(
        stranger
            .call(
                "/api/cancel_order",
                &[
                    ("token", "0123456789abcdef0123456789abcdef"),
                    ("order_id", &order)
                ]
            )
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    shopper
        .call(
            "/api/cancel_order",
            &[("token", &token), ("order_id", &order)],
        )
        .await
        .unwrap();
    assert_eq!(
        shopper.checkout(&token).await.orders[0].status,
        OrderStatus::Cancelled
    );
    assert_eq!(
        vendor.my_product(id).await.stock.unwrap().steps(),
        50,
        "5 kg again"
    );

    shopper.add_to_cart(id, "1").await.unwrap();
    let paid = shopper.place_order("vietqr", &[]).await.unwrap();
    let paid_order = shopper.checkout(&paid).await.orders[0].id;
    vendor
        .move_order(paid_order, "confirm_payment")
        .await
        .unwrap();
    let err = shopper
        .call(
            "/api/cancel_order",
            &[("token", &paid), ("order_id", &paid_order.to_string())],
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        AppError::Conflict,
        "a paid order is cancelled by its vendor, who refunds it"
    );
}

#[tokio::test]
async fn a_genuine_event_replayed_late_is_refused_and_accepted_when_fresh() {
    let app = TestApp::spawn().await;
    let (shopper, _, _, card) = card_checkout_across_two_stalls(&app).await;
    let http = reqwest::Client::new();
    // Have the stand-in produce its real event, but keep it from delivering it.
    card.tell("hold").await;
    card.tell("sessions/{session}/complete").await;
    let event = card
        .events()
        .await
        .iter()
        .find(|e| e["type"] == "checkout.session.completed")
        .unwrap()
        .to_string();
    let post = |signature: String| {
        http.post(format!("{}/webhooks/stripe", app.base))
            .header("stripe-signature", signature)
            .body(event.clone())
            .send()
    };
    let now = chrono::Utc::now().timestamp();
    let stale = server::payments::signature::sign(event.as_bytes(), &app.webhook_secret, now - 301);
    assert_eq!(post(stale).await.unwrap().status(), 400);
    assert!(
        shopper
            .checkout(&card.token)
            .await
            .orders
            .iter()
            .all(|o| o.status == OrderStatus::AwaitingPayment)
    );
    let fresh = server::payments::signature::sign(event.as_bytes(), &app.webhook_secret, now);
    assert_eq!(post(fresh).await.unwrap().status(), 200);
    assert!(
        shopper
            .checkout(&card.token)
            .await
            .orders
            .iter()
            .all(|o| o.status == OrderStatus::Paid)
    );
}

#[tokio::test]
async fn a_visitors_cart_joins_the_accounts_cart_at_log_in() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912200011", "coc-leu").await;
    let plum = vendor.add_product("Mận", "40.000", "", true).await.unwrap();
    let tea = vendor.add_product("Chè", "90.000", "", true).await.unwrap();
    let shopper = app.shopper("0912200012").await;
    shopper.add_to_cart(plum, "1").await.unwrap();
    // The same person, on another phone, not signed in yet.
    let visitor = app.anonymous();
    visitor.add_to_cart(plum, "0,5").await.unwrap();
    visitor.add_to_cart(tea, "2").await.unwrap();
    visitor
        .log_in("0912200012", support::PASSWORD)
        .await
        .unwrap();
    let cart = visitor.cart().await;
    let steps = |id: i64| {
        cart.lines()
            .find(|l| l.product.id == id)
            .map(|l| l.quantity.steps())
    };
    assert_eq!(steps(plum), Some(15), "1 kg + 0.5 kg");
    assert_eq!(steps(tea), Some(20));
    assert_eq!(cart.pickup_total.amount(), 60_000 + 180_000);
}

#[tokio::test]
async fn when_stripe_is_unreachable_the_shopper_is_told_and_the_order_stays_payable() {
    let app = TestApp::spawn_with(|settings| {
        settings.stripe = Some(server::payments::StripeSettings {
            secret_key: "sk_test_unreachable".into(),
            webhook_secret: "whsec_test".into(),
            // Nothing listens on port 9 of this machine.
            api_base: Some("http://127.0.0.1:9".into()),
            allow_live: false,
        });
    })
    .await;
    let (vendor, _) = app.approved_vendor("0912200013", "sa-pa").await;
    vendor.set_payments(false, true, "0").await;
    let id = vendor
        .add_product("Cá hồi Sa Pa", "350.000", "5", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "1").await.unwrap();
    let token = shopper.place_order("card", &[]).await.unwrap();
    let view = shopper.checkout(&token).await;
    assert_eq!(view.payment_url, None, "no payment page to go to");
    assert_eq!(
        view.orders[0].status,
        OrderStatus::AwaitingPayment,
        "the order stays payable"
    );
    assert!(
        view.card_unavailable,
        "the order page says at once that the payment service can't be reached"
    );
    for _ in 0..2 {
        let retry = shopper
            .call_json::<String>("/api/pay_by_card", &[("token", &token)])
            .await
            .unwrap_err();
        assert_eq!(retry, AppError::PaymentUnavailable);
    }
    assert!(shopper.checkout(&token).await.card_unavailable);
    let attempt = app
        .ports
        .orders
        .card_attempt(&token)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        attempt.number, 1,
        "every retry repeats the first attempt, so Stripe charges it once"
    );
    assert_eq!(
        vendor.my_product(id).await.stock.unwrap().steps(),
        40,
        "the stock stays reserved for it"
    );
}

/// The stall balances an administrator sees: what the platform owes each stall, by stall id.
async fn owed_to_stalls(admin: &support::Visitor) -> std::collections::HashMap<i64, i64> {
    let balances: Vec<app::model::StallBalance> =
        admin.call_json("/api/stall_balances", &[]).await.unwrap();
    balances
        .into_iter()
        .map(|b| (b.stall_id, b.owed.amount()))
        .collect()
}

/// The stand-in's `checkout.session.completed` and `charge.refunded` events, as Stripe sent
/// them: the amount each session charged, and each refund's total so far.
async fn charged_and_refunded(card: &CardCheckout) -> (Vec<i64>, Vec<i64>) {
    let events = card.events().await;
    let amounts = |kind: &str, field: &str| -> Vec<i64> {
        events
            .iter()
            .filter(|e| e["type"] == kind)
            .map(|e| e["data"]["object"][field].as_i64().unwrap())
            .collect()
    };
    (
        amounts("checkout.session.completed", "amount_total"),
        amounts("charge.refunded", "amount_refunded"),
    )
}

async fn pay_on_page(page: &str) -> reqwest::StatusCode {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{page}/pay"))
        .send()
        .await
        .unwrap()
        .status()
}

async fn cancel_by_link(shopper: &support::Visitor, token: &str, order_id: i64) {
    shopper
        .call(
            "/api/cancel_order",
            &[("token", token), ("order_id", &order_id.to_string())],
        )
        .await
        .unwrap();
}

/// Stall A's 100.000 ₫ order is cancelled on the order page, then the shopper pays for
/// stall B's 300.000 ₫: a new Checkout Session charges exactly that, and the first one, made
/// for both orders, no longer takes money.
#[tokio::test]
async fn paying_after_cancelling_one_order_charges_only_the_order_left() {
    let app = TestApp::spawn().await;
    let (shopper, a, b, card) = card_checkout_across_two_stalls(&app).await;
    let plums = a.stall_orders().await.remove(0);
    let tea = b.stall_orders().await.remove(0);
    cancel_by_link(&shopper, &card.token, plums.id).await;

    let first_page = reqwest::get(&card.pay_page).await.unwrap();
    assert!(
        first_page.text().await.unwrap().contains("hết hạn"),
        "the page made for both orders says it expired"
    );
    assert_eq!(pay_on_page(&card.pay_page).await, 400, "and takes no money");
    let view = shopper.checkout(&card.token).await;
    assert_eq!(
        view.total.amount(),
        300_000,
        "the total is what is left to pay"
    );
    assert_eq!(
        view.orders.iter().find(|o| o.id == tea.id).unwrap().status,
        OrderStatus::AwaitingPayment,
        "the stand-in's expiry leaves the tea payable"
    );

    let url: String = shopper
        .call_json("/api/pay_by_card", &[("token", &card.token)])
        .await
        .unwrap();
    assert_ne!(url, card.pay_page, "a new session for what changed");
    let again: String = shopper
        .call_json("/api/pay_by_card", &[("token", &card.token)])
        .await
        .unwrap();
    assert_eq!(again, url, "pressing twice opens one session");
    let page = reqwest::get(&url).await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"data-amount="300000""#), "{page}");
    assert_eq!(pay_on_page(&url).await, 303);

    let after = shopper.checkout(&card.token).await;
    let status = |id| after.orders.iter().find(|o| o.id == id).unwrap().status;
    assert_eq!(status(plums.id), OrderStatus::Cancelled);
    assert_eq!(status(tea.id), OrderStatus::Paid);
    assert_eq!(charged_and_refunded(&card).await, (vec![300_000], vec![]));
    let owed = owed_to_stalls(&app.admin().await).await;
    assert_eq!(owed.get(&plums.stall_id).copied().unwrap_or(0), 0);
    assert_eq!(owed[&tea.stall_id], 300_000);
}

/// A Checkout Session stops taking payments when its orders would: it is made to expire with
/// them, and closed when they are cancelled.
#[tokio::test]
async fn a_card_session_ends_with_its_orders() {
    let app = TestApp::spawn().await;
    let (shopper, a, b, card) = card_checkout_across_two_stalls(&app).await;
    let session_id = card.pay_page.rsplit('/').next().unwrap();
    let session: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/v1/checkout/sessions/{session_id}", card.double))
        .bearer_auth("sk_test_choso")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let orders_expire = shopper.checkout(&card.token).await.orders[0].expires_at;
    let session_expires = session["expires_at"].as_i64().unwrap();
    assert!(
        (orders_expire.timestamp()..=orders_expire.timestamp() + 120).contains(&session_expires),
        "the session ends with the orders' 30 minutes (give or take Stripe's own minimum): {session_expires} vs {orders_expire}"
    );
    for vendor in [&a, &b] {
        let order = vendor.stall_orders().await.remove(0);
        cancel_by_link(&shopper, &card.token, order.id).await;
    }
    assert_eq!(pay_on_page(&card.pay_page).await, 400);
    let expired = card
        .events()
        .await
        .iter()
        .filter(|e| e["type"] == "checkout.session.expired")
        .count();
    assert_eq!(
        expired, 1,
        "expired once, when it stopped charging for what is owed"
    );
    assert_eq!(
        shopper
            .call_json::<String>("/api/pay_by_card", &[("token", &card.token)])
            .await
            .unwrap_err(),
        AppError::Conflict,
        "nothing left to pay"
    );
}

/// The shopper pays on the page just as they cancel stall A's order: Stripe's word arrives
/// after the cancellation. Stall B's order is paid; A's 100.000 ₫ go back, A stays cancelled
/// with its stock on sale, and its history says what happened.
#[tokio::test]
async fn a_payment_arriving_for_a_cancelled_order_refunds_exactly_that_order() {
    let app = TestApp::spawn().await;
    let (shopper, a, b, card) = card_checkout_across_two_stalls(&app).await;
    let plums = a.stall_orders().await.remove(0);
    card.tell("hold").await;
    assert_eq!(pay_on_page(&card.pay_page).await, 303);
    cancel_by_link(&shopper, &card.token, plums.id).await;
    let plum = plums.lines[0].product_id;
    assert_eq!(
        a.my_product(plum).await.stock.unwrap().steps(),
        100,
        "the cancelled plums are on sale again"
    );
    assert!(card.tell("deliver").await.status().is_success());

    let after = shopper.checkout(&card.token).await;
    let status = |id| after.orders.iter().find(|o| o.id == id).unwrap().status;
    assert_eq!(status(plums.id), OrderStatus::Cancelled, "never paid");
    assert_eq!(status(b.stall_orders().await[0].id), OrderStatus::Paid);
    assert_eq!(
        a.my_product(plum).await.stock.unwrap().steps(),
        100,
        "no stock taken again"
    );
    assert_eq!(
        charged_and_refunded(&card).await,
        (vec![400_000], vec![100_000]),
        "exactly the cancelled order's amount went back"
    );
    let history = &a.stall_orders().await[0].history;
    assert_eq!(
        history.last().map(|e| (e.to, e.actor)),
        Some((OrderStatus::Cancelled, OrderActor::PaymentProvider)),
        "the refunded payment is in the order's history"
    );
    let owed = owed_to_stalls(&app.admin().await).await;
    assert_eq!(owed.get(&plums.stall_id).copied().unwrap_or(0), 0);
    assert_eq!(owed[&b.my_stall().await.unwrap().0.id], 300_000);
    // Stripe repeating the events changes nothing and refunds nothing twice.
    for event in card.events().await {
        let id = event["id"].as_str().unwrap();
        card.tell(&format!("events/{id}/redeliver")).await;
    }
    assert_eq!(charged_and_refunded(&card).await.1, vec![100_000]);
}

/// A payment made on the page just as the orders expired never revives them: their stock may
/// be sold again, so the whole payment goes back.
#[tokio::test]
async fn a_payment_arriving_after_the_orders_expired_is_refunded_and_takes_no_stock() {
    let app = TestApp::spawn().await;
    let (shopper, a, b, card) = card_checkout_across_two_stalls(&app).await;
    card.tell("hold").await;
    assert_eq!(pay_on_page(&card.pay_page).await, 303);
    let later = chrono::Utc::now() + chrono::Duration::minutes(31);
    assert_eq!(app.expire_orders(later).await, 2);
    assert!(card.tell("deliver").await.status().is_success());

    let after = shopper.checkout(&card.token).await;
    assert!(
        after
            .orders
            .iter()
            .all(|o| o.status == OrderStatus::Expired)
    );
    assert_eq!(after.total.amount(), 0);
    let (charged, refunded) = charged_and_refunded(&card).await;
    assert_eq!(charged, [400_000]);
    assert_eq!(refunded.len(), 2, "one refund per order: {refunded:?}");
    assert_eq!(refunded.last(), Some(&400_000), "all of it went back");
    for (vendor, full) in [(&a, 100), (&b, 40)] {
        let product = vendor.stall_orders().await[0].lines[0].product_id;
        assert_eq!(
            vendor.my_product(product).await.stock.unwrap().steps(),
            full,
            "all the stock is on sale again"
        );
    }
    let owed = owed_to_stalls(&app.admin().await).await;
    assert!(owed.values().all(|owed| *owed == 0), "{owed:?}");
}

/// Cancelling a card-paid order takes back what the ledger owed its stall for it — the sale
/// less the platform's fee — in the same step, so nobody settles money that went back.
#[tokio::test]
async fn a_refunded_card_order_is_no_longer_owed_to_its_stall() {
    let app = TestApp::spawn_with(|settings| {
        settings.platform_fee = app::domain::order::PlatformFee { basis_points: 250 };
    })
    .await;
    let (_, a, b, card) = card_checkout_across_two_stalls(&app).await;
    assert_eq!(pay_on_page(&card.pay_page).await, 303);
    let plums = a.stall_orders().await.remove(0);
    let tea_stall = b.my_stall().await.unwrap().0.id;
    let admin = app.admin().await;
    let owed = owed_to_stalls(&admin).await;
    assert_eq!(owed[&plums.stall_id], 97_500, "100.000 ₫ less 2.5 %");
    assert_eq!(owed[&tea_stall], 292_500);

    a.move_order(plums.id, "cancel").await.unwrap();
    let owed = owed_to_stalls(&admin).await;
    assert_eq!(owed[&plums.stall_id], 0, "refunded, so no longer owed");
    assert_eq!(owed[&tea_stall], 292_500, "the other stall's sale stands");
    // Stripe's word on the refund, repeated, takes nothing more.
    for event in card.events().await {
        let id = event["id"].as_str().unwrap();
        card.tell(&format!("events/{id}/redeliver")).await;
    }
    assert_eq!(owed_to_stalls(&admin).await[&plums.stall_id], 0);
    let settled = admin
        .call(
            "/api/record_settlement",
            &[("stall_id", &plums.stall_id.to_string()), ("amount", "1")],
        )
        .await;
    assert!(
        matches!(settled, Err(AppError::Invalid(_))),
        "nothing to settle"
    );
}

/// An app whose clock stands at `day` November 2026, `hour`:`minute` in Lào Cai (UTC+7).
fn lao_cai(day: u32, hour: u32, minute: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    app::domain::onboarding::vietnam()
        .with_ymd_and_hms(2026, 11, day, hour, minute, 0)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

async fn app_at(at: chrono::DateTime<chrono::Utc>) -> (TestApp, app::ports::Clock) {
    let clock = app::ports::Clock::set_at(at);
    let app = TestApp::spawn_with({
        let clock = clock.clone();
        move |s| s.clock = clock
    })
    .await;
    (app, clock)
}

#[tokio::test]
async fn the_vendor_sees_the_note_the_fulfilment_when_it_was_placed_and_every_change() {
    let (app, clock) = app_at(lao_cai(25, 6, 5)).await;
    let (vendor, _) = app.approved_vendor("0912300001", "bac-ha").await;
    vendor.set_payments(true, false, "20.000").await;
    let id = vendor
        .add_product("Mận tam hoa", "45.000", "20", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "1").await.unwrap();
    shopper
        .place_order(
            "vietqr",
            &[("form[note]", "Để phần quả chín, chiều mới lấy")],
        )
        .await
        .unwrap();
    shopper.add_to_cart(id, "2").await.unwrap();
    shopper
        .place_order(
            "vietqr",
            &[
                ("form[fulfilment]", "delivery"),
                ("form[address]", "12 Cầu Mây, Sa Pa, Lào Cai"),
            ],
        )
        .await
        .unwrap();
    clock.set(lao_cai(25, 7, 30));
    let orders = vendor.stall_orders().await;
    let (delivery, pickup) = (&orders[0], &orders[1]);
    vendor
        .move_order(pickup.id, "confirm_payment")
        .await
        .unwrap();

    let orders = vendor.stall_orders().await;
    let pickup = &orders[1];
    assert_eq!(
        pickup.note.as_deref(),
        Some("Để phần quả chín, chiều mới lấy")
    );
    // The first Sunday from Wednesday 25 November: the date, not just the weekday.
    let sunday = chrono::NaiveDate::from_ymd_opt(2026, 11, 29);
    assert_eq!(pickup.pickup_date, sunday);
    assert_eq!(pickup.pickup_when(), Some((Weekday::Sun, sunday)));
    assert_eq!(pickup.created_at, lao_cai(25, 6, 5));
    assert_eq!(
        pickup
            .history
            .iter()
            .map(|e| (e.to, e.at))
            .collect::<Vec<_>>(),
        [
            (OrderStatus::AwaitingTransfer, lao_cai(25, 6, 5)),
            (OrderStatus::Paid, lao_cai(25, 7, 30)),
        ]
    );
    assert_eq!(
        delivery.address.as_deref(),
        Some("12 Cầu Mây, Sa Pa, Lào Cai")
    );

    // The page shows all of it, in Lào Cai's time.
    let page = vendor.get("/my/orders").await.text().await.unwrap();
    for shown in [
        "Để phần quả chín, chiều mới lấy",
        "Nhận tại sạp",
        "Chủ nhật 29/11/2026",
        "Giao hàng",
        "12 Cầu Mây, Sa Pa, Lào Cai",
        "Đặt lúc",
        ">25/11/2026 06:05",
        ">25/11/2026 07:30",
    ] {
        assert!(page.contains(shown), "the orders page shows {shown:?}");
    }
}

#[tokio::test]
async fn the_dashboard_gives_todays_and_this_months_sales_and_the_share_paid_cashless() {
    let (app, clock) = app_at(lao_cai(3, 9, 0)).await;
    let (vendor, _) = app.approved_vendor("0912300002", "sa-pa").await;
    vendor.set_payments(true, false, "0").await;
    let id = vendor
        .add_product("Táo mèo", "40.000", "", true)
        .await
        .unwrap();
    let buy = |quantity: &'static str| {
        let shopper = app.anonymous();
        async move {
            shopper.add_to_cart(id, quantity).await.unwrap();
            let token = shopper.place_order("vietqr", &[]).await.unwrap();
            shopper.checkout(&token).await.orders[0].id
        }
    };
    // Earlier this month: 2 × 40.000 ₫, paid.
    let early = buy("2").await;
    vendor.move_order(early, "confirm_payment").await.unwrap();
    // Today, shortly after midnight in Lào Cai (still yesterday in UTC): 1 × 40.000 ₫, paid;
    // and 3 × 40.000 ₫ never paid, which is no sale.
    clock.set(lao_cai(25, 0, 30));
    let today = buy("1").await;
    vendor.move_order(today, "confirm_payment").await.unwrap();
    buy("3").await;

    let (_, summary): (Vec<app::model::Order>, app::api::sales::SalesSummary) =
        vendor.call_json("/api/stall_orders", &[]).await.unwrap();
    assert_eq!(summary.today.sales.amount(), 40_000);
    assert_eq!(summary.today.transfer.amount(), 40_000);
    assert_eq!(summary.today.card.amount(), 0);
    assert_eq!(summary.today.cashless_share_tenths(), Some(1000));
    assert_eq!(summary.this_month.sales.amount(), 120_000);
    assert_eq!(summary.this_month.cashless.amount(), 120_000);
    let page = vendor.get("/my/orders").await.text().await.unwrap();
    assert!(page.contains("Không dùng tiền mặt"), "the share is named");
    assert!(page.contains("100 %"), "and given in percent");
}

#[tokio::test]
async fn an_administrator_lists_every_stalls_orders_and_cancels_one_ready_for_pickup() {
    let app = TestApp::spawn().await;
    let (plums, plum_stall) = app.approved_vendor("0912300003", "bac-ha").await;
    let (honey, _) = app.approved_vendor("0912300004", "bac-ha").await;
    let mut codes = Vec::new();
    for vendor in [&plums, &honey] {
        vendor.set_payments(true, false, "0").await;
        let id = vendor
            .add_product("Đặc sản", "50.000", "10", true)
            .await
            .unwrap();
        let shopper = app.anonymous();
        shopper.add_to_cart(id, "1").await.unwrap();
        let token = shopper.place_order("vietqr", &[]).await.unwrap();
        codes.push(shopper.checkout(&token).await.orders[0].code.clone());
    }
    let admin = app.admin().await;
    let list = |status: &str, stall: &str| {
        let form = [("status", status.to_string()), ("stall", stall.to_string())];
        let admin = &admin;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (orders, _): (Vec<app::model::Order>, Vec<app::model::StallRef>) =
                admin.call_json("/api/admin_orders", &form).await.unwrap();
            orders.into_iter().map(|o| o.code).collect::<Vec<_>>()
        }
    };
    assert_eq!(list("", "").await, [codes[1].clone(), codes[0].clone()]);
    let stall = plum_stall.id.to_string();
    assert_eq!(list("", &stall).await, [codes[0].clone()]);
    assert_eq!(list("paid", "").await, Vec::<String>::new());
    assert_eq!(list("", "not-a-stall").await, Vec::<String>::new());

    // The plum order goes all the way to ready for pickup; only an administrator may cancel it.
    let order = plums.stall_orders().await[0].id;
    for step in ["confirm_payment", "accept", "mark_ready"] {
        plums.move_order(order, step).await.unwrap();
    }
    assert_eq!(list("ready_for_pickup", &stall).await, [codes[0].clone()]);
    assert_eq!(
        plums.move_order(order, "cancel").await.unwrap_err(),
        AppError::Forbidden
    );
    let page = admin
        .get(&format!(
            "/admin/orders?status=ready_for_pickup&stall={stall}"
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&codes[0]) && !page.contains(&codes[1]));
    assert!(
        page.contains(r#"value="cancel""#),
        "the page offers the cancel"
    );
    admin.move_order(order, "cancel").await.unwrap();
    assert_eq!(list("cancelled", "").await, [codes[0].clone()]);

    // Nobody else sees the list.
    for visitor in [&plums, &app.anonymous()] {
        let refused = visitor
            .call_json::<serde_json::Value>("/api/admin_orders", &[])
            .await
            .unwrap_err();
        assert!(matches!(
            refused,
            AppError::Forbidden | AppError::NotSignedIn
        ));
    }
    // The administrator's menu leads to the orders and to the statements upload.
    let home = admin.get("/").await.text().await.unwrap();
    assert!(home.contains(r#"href="/admin/orders""#));
    assert!(home.contains(r#"href="/my/statements""#));
}

async fn statements_page(visitor: &support::Visitor) -> app::api::sales::StatementsView {
    visitor
        .call_json("/api/statements_page", &[])
        .await
        .unwrap()
}

#[tokio::test]
async fn a_statement_lists_its_unreadable_lines_and_the_lines_that_pay_an_order_already_paid() {
    use app::api::sales::{LineProblem, RejectedLine, StatementRefusal, StatementTally};
    use app::model::StatementMatch;
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912300005", "coc-leu").await;
    vendor.set_payments(true, false, "0").await;
    let id = vendor
        .add_product("Chè Shan tuyết", "80.000", "", true)
        .await
        .unwrap();
    let mut codes = Vec::new();
    for _ in 0..2 {
        let shopper = app.anonymous();
        shopper.add_to_cart(id, "1").await.unwrap();
        let token = shopper.place_order("vietqr", &[]).await.unwrap();
        codes.push(shopper.checkout(&token).await.orders[0].clone());
    }
    // The vendor saw the first transfer in their bank app and confirmed it by hand.
    vendor
        .move_order(codes[0].id, "confirm_payment")
        .await
        .unwrap();
    let (first, second) = (&codes[0].code, &codes[1].code);
    let statement = format!(
        "date,amount,description\n\
         2026-11-25,80000,{first} che\n\
         32/11/2026,80000,ngay sai\n\
         2026-11-25,80000,{second} che\n\
         2026-11-25,tam muoi,so tien sai\n\
         2026-11-25,15000,tien an sang\n"
    );
    assert_eq!(vendor.upload_statement(&statement).await, "/my/statements");
    let page = statements_page(&vendor).await;
    assert_eq!(
        page.last_import,
        Some(Ok(StatementTally {
            matched: 1,
            already_paid: 1,
            unmatched: 1,
            repeated: 0,
            rejected: vec![
                RejectedLine {
                    line: 3,
                    problem: LineProblem::Date
                },
                RejectedLine {
                    line: 5,
                    problem: LineProblem::Amount
                },
            ],
            rejected_count: 2,
        }))
    );
    assert_eq!(
        page.lines
            .iter()
            .map(|l| l.outcome.clone())
            .collect::<Vec<_>>(),
        [
            StatementMatch::Unmatched,
            StatementMatch::Paid(second.clone()),
            StatementMatch::AlreadyPaid(first.clone()),
        ]
    );
    let html = vendor.get("/my/statements").await.text().await.unwrap();
    for shown in [
        "Dòng 3: ngày phải viết dạng YYYY-MM-DD hoặc DD/MM/YYYY",
        "Dòng 5: số tiền phải là số đồng nguyên dương",
        &format!("{first} đã thanh toán trước đó"),
        "<th scope=\"col\">Nội dung",
    ] {
        assert!(html.contains(shown), "the statements page shows {shown:?}");
    }
    // Another vendor's statement naming this vendor's paid order learns nothing about it.
    let (other, _) = app.approved_vendor("0912300006", "coc-leu").await;
    other
        .upload_statement(&format!(
            "date,amount,description\n2026-11-25,80000,{first}\n"
        ))
        .await;
    let theirs = statements_page(&other).await;
    assert_eq!(theirs.lines[0].outcome, StatementMatch::Unmatched);

    // A file that isn't a statement says so, and the list stays.
    vendor.upload_statement("foo,bar\n1,2\n").await;
    let page = statements_page(&vendor).await;
    assert_eq!(page.last_import, Some(Err(StatementRefusal::Unreadable)));
    assert_eq!(page.lines.len(), 3);
}

#[tokio::test]
async fn the_placards_stall_link_uses_the_configured_public_address() {
    let app =
        TestApp::spawn_with(|s| s.public_url = Some("https://cho.laocai.gov.vn".into())).await;
    let (vendor, stall) = app.approved_vendor("0912300007", "sa-pa").await;
    let placard: serde_json::Value = vendor.call_json("/api/my_placard", &[]).await.unwrap();
    assert_eq!(
        placard["page_url"],
        format!("https://cho.laocai.gov.vn/stalls/{}", stall.slug)
    );
}

/// A Bắc Hà stall trades on Sundays only, a Cốc Lếu one from Monday to Saturday: one day for
/// the whole cart could never suit both, so each stall gets its own date among its own, and
/// the order keeps the date, since the offered dates span two weeks.
#[tokio::test]
async fn each_stall_of_a_checkout_is_collected_on_one_of_its_own_trading_dates() {
    // Wednesday 25 November in Lào Cai, still the 24th in UTC.
    let (app, _clock) = app_at(lao_cai(25, 6, 5)).await;
    let (sunday, _) = app.approved_vendor("0912400001", "bac-ha").await;
    sunday.set_payments(true, false, "0").await;
    let plum = sunday
        .add_product("Mận tam hoa", "45.000", "20", true)
        .await
        .unwrap();
    let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat"];
    let (daily, weekday_stall) = app
        .approved_vendor_on("0912400002", "coc-leu", &weekdays)
        .await;
    daily.set_payments(true, false, "0").await;
    let rice = daily
        .add_product("Gạo Séng Cù", "35.000", "", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(plum, "1").await.unwrap();
    shopper.add_to_cart(rice, "2").await.unwrap();

    // The cart offers each stall only its own days, each as its next date, today first.
    let date = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let cart = shopper.cart().await;
    assert_eq!(cart.stalls.len(), 2);
    assert_eq!(cart.stalls[0].pickup_dates, [(Weekday::Sun, date(11, 29))]);
    let offered = &cart.stalls[1].pickup_dates;
    assert_eq!(offered.len(), 6);
    assert_eq!(offered[0], (Weekday::Wed, date(11, 25)));
    assert_eq!(offered[5], (Weekday::Tue, date(12, 1)));
    let sunday_id = cart.stalls[0].stall_id;
    let weekday_id = cart.stalls[1].stall_id;
    let (sunday_key, weekday_key) = (
        format!("pickup_days[{sunday_id}]"),
        format!("pickup_days[{weekday_id}]"),
    );
    let refused = |posted: &'static str| {
        let (sunday_key, weekday_key) = (sunday_key.clone(), weekday_key.clone());
        let shopper = &shopper;
        async move {
            shopper
                .place_order(
                    "vietqr",
                    &[
                        (sunday_key.as_str(), "2026-11-29"),
                        (weekday_key.as_str(), posted),
                    ],
                )
                .await
                .unwrap_err()
        }
    };

    // Sunday for both: the weekday stall is refused by name, with the days it trades.
    assert_eq!(
        refused("2026-11-29").await,
        AppError::field(
            &pickup_day_field(weekday_id),
            Invalid::NotTradingDay {
                stall: "Gian 0912400002".into(),
                days: weekday_stall.trading_days,
            }
        )
    );
    // A trading day already past in Lào Cai (though still today in UTC), or beyond the
    // dates offered, is refused by name with the dates it can be collected on.
    let not_offered = AppError::field(
        &pickup_day_field(weekday_id),
        Invalid::PickupNotOffered {
            stall: "Gian 0912400002".into(),
            first: date(11, 25),
            last: date(12, 1),
        },
    );
    assert_eq!(refused("2026-11-24").await, not_offered, "yesterday");
    assert_eq!(refused("2026-12-02").await, not_offered, "a week today");
    // A weekday instead of a date, or no date at all, is asked for under that stall.
    assert_eq!(
        refused("wed").await,
        AppError::field(&pickup_day_field(weekday_id), Invalid::Date)
    );
    assert_eq!(
        refused("").await,
        AppError::field(&pickup_day_field(weekday_id), Invalid::Required)
    );
    assert_eq!(
        sunday.my_product(plum).await.stock.unwrap().steps(),
        200,
        "nothing was reserved"
    );

    // Next Tuesday, after the Sunday: the order keeps which Tuesday.
    let token = shopper
        .place_order(
            "vietqr",
            &[
                (sunday_key.as_str(), "2026-11-29"),
                (weekday_key.as_str(), "2026-12-01"),
            ],
        )
        .await
        .unwrap();
    let checkout = shopper.checkout(&token).await;
    let picked: Vec<_> = checkout
        .orders
        .iter()
        .map(|o| (o.stall_id, o.pickup_date))
        .collect();
    assert_eq!(
        picked,
        [
            (sunday_id, Some(date(11, 29))),
            (weekday_id, Some(date(12, 1)))
        ]
    );
    // The receipt and each vendor's orders show the weekday and the date.
    let receipt = shopper
        .get(&format!("/checkout/{token}"))
        .await
        .text()
        .await
        .unwrap();
    for shown in ["Chủ nhật 29/11/2026", "Thứ Ba 01/12/2026"] {
        assert!(receipt.contains(shown), "the receipt shows {shown:?}");
    }
    let orders = daily.get("/my/orders").await.text().await.unwrap();
    assert!(orders.contains("Thứ Ba 01/12/2026"));
    assert!(
        !orders.contains("29/11/2026"),
        "only the vendor's own order"
    );
    assert_eq!(
        sunday.stall_orders().await[0].pickup_when(),
        Some((Weekday::Sun, Some(date(11, 29))))
    );
}

/// Orders placed before the pickup date was kept have only the weekday: it is still shown.
#[tokio::test]
async fn an_order_placed_before_pickup_dates_were_kept_shows_its_weekday() {
    use sea_orm::ConnectionTrait;
    let (app, _clock) = app_at(lao_cai(25, 6, 5)).await;
    let (vendor, _) = app.approved_vendor("0912400021", "bac-ha").await;
    vendor.set_payments(true, false, "0").await;
    let plum = vendor
        .add_product("Mận tam hoa", "45.000", "20", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(plum, "1").await.unwrap();
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    let db = server::db::connect(&app.settings.database_url)
        .await
        .unwrap();
    db.execute_unprepared("UPDATE orders SET pickup_date = NULL")
        .await
        .unwrap();

    let order = &vendor.stall_orders().await[0];
    assert_eq!(order.pickup_when(), Some((Weekday::Sun, None)));
    let page = vendor.get("/my/orders").await.text().await.unwrap();
    assert!(page.contains(">Chủ nhật<"), "the weekday alone: {page}");
    let receipt = shopper
        .get(&format!("/checkout/{token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(receipt.contains("Chủ nhật"));
    assert!(!receipt.contains("29/11/2026"));
}

/// The cart shows what the checkout will charge: lines grouped by stall, each stall's
/// delivery fee, and the total both ways, the same the placed checkout then charges.
#[tokio::test]
async fn the_cart_shows_each_stalls_delivery_fee_and_the_total_before_ordering() {
    let app = TestApp::spawn().await;
    let (a, _) = app.approved_vendor("0912400011", "sa-pa").await;
    a.set_payments(true, false, "20.000").await;
    let tea = a.add_product("Chè Shan", "90.000", "", true).await.unwrap();
    let honey = a.add_product("Mật ong", "140.000", "", true).await.unwrap();
    let (b, _) = app.approved_vendor("0912400012", "sa-pa").await;
    b.set_payments(true, false, "20.000").await;
    let trout = b.add_product("Cá hồi", "180.000", "", true).await.unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(tea, "1").await.unwrap();
    shopper.add_to_cart(trout, "1").await.unwrap();
    shopper.add_to_cart(honey, "1").await.unwrap();

    let cart = shopper.cart().await;
    let grouped: Vec<Vec<i64>> = cart
        .stalls
        .iter()
        .map(|s| s.lines.iter().map(|l| l.product.id).collect())
        .collect();
    assert_eq!(grouped, [vec![tea, honey], vec![trout]], "lines by stall");
    assert_eq!(cart.stalls[0].subtotal.amount(), 230_000);
    assert_eq!(cart.stalls[1].delivery_fee.amount(), 20_000);
    assert_eq!(cart.pickup_total.amount(), 410_000);
    assert_eq!(cart.delivery_total.amount(), 450_000);

    let token = shopper
        .place_order(
            "vietqr",
            &[
                ("form[fulfilment]", "delivery"),
                ("form[address]", "5 Cầu Mây, Sa Pa"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        shopper.checkout(&token).await.total,
        cart.delivery_total,
        "the checkout charges what the cart said"
    );
}

#[tokio::test]
async fn checking_out_an_empty_cart_says_the_cart_is_empty() {
    let app = TestApp::spawn().await;
    let shopper = app.anonymous();
    assert_eq!(
        shopper.place_order("vietqr", &[]).await.unwrap_err(),
        AppError::field("cart", Invalid::EmptyCart)
    );
}

/// `0,15` kg, `-2` or `x` in a cart line are refused under that line, and the line keeps its
/// quantity; without JavaScript the cart page comes back with the message under the line.
#[tokio::test]
async fn a_wrong_quantity_in_the_cart_is_refused_under_its_own_line() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912400021", "coc-leu").await;
    let plum = vendor.add_product("Mận", "40.000", "", true).await.unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(plum, "1").await.unwrap();
    let field = cart_line_field(plum);
    let update = |q: &'static str| {
        let id = plum.to_string();
        let shopper = &shopper;
        async move {
            shopper
                .call("/api/update_cart", &[("product_id", &id), ("quantity", q)])
                .await
        }
    };
    let kg = Unit::Kg;
    for (typed, why) in [
        ("0,15", Invalid::TooManyDecimals { max: 1 }),
        (
            "-2",
            Invalid::QuantityOutOfRange {
                min: Quantity::from_steps(1),
                max: Quantity::from_steps(10_000_000),
                unit: kg,
            },
        ),
        ("x", Invalid::NotANumber),
    ] {
        assert_eq!(
            update(typed).await,
            Err(AppError::field(&field, why)),
            "{typed:?}"
        );
    }
    assert_eq!(shopper.cart().await.stalls[0].lines[0].quantity.steps(), 10);

    // A plain form post, as a browser without JavaScript sends it.
    let back = shopper
        .post_form_with(
            "/api/update_cart",
            &[("product_id", &plum.to_string()), ("quantity", "-2")],
            &[
                ("accept", "text/html"),
                ("referer", &format!("{}/cart", app.base)),
            ],
        )
        .await;
    assert!(back.status().is_redirection(), "{}", back.status());
    let location = back.headers()["location"].to_str().unwrap().to_owned();
    let page = shopper
        .get(location.strip_prefix(&app.base).unwrap_or(&location))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!(r#"id="{field}-error""#))
            && page.contains("Phải từ 0,1 kg đến 1.000.000 kg."),
        "{page}"
    );
}

/// Without JavaScript, adding to the cart comes back to the product with word that it worked.
#[tokio::test]
async fn adding_to_the_cart_without_javascript_comes_back_saying_it_was_added() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912400031", "coc-leu").await;
    let plum = vendor.add_product("Mận", "40.000", "", true).await.unwrap();
    let shopper = app.anonymous();
    let product = format!("/products/{plum}");
    let back = shopper
        .post_form_with(
            "/api/add_to_cart",
            &[("product_id", &plum.to_string()), ("quantity", "1")],
            &[
                ("accept", "text/html"),
                ("referer", &format!("{}{product}", app.base)),
            ],
        )
        .await;
    assert!(back.status().is_redirection(), "{}", back.status());
    let location = back.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("{product}?added=1"));
    let page = shopper.get(&location).await.text().await.unwrap();
    assert!(page.contains("Đã thêm vào giỏ hàng."), "{page}");
    // The hydrated page is answered with data and updates in place: no redirect.
    shopper.add_to_cart(plum, "1").await.unwrap();
    assert_eq!(shopper.cart().await.stalls[0].lines[0].quantity.steps(), 20);
}

/// A checkout that ended unpaid explains itself and puts its items back in the cart on request,
/// without doubling them when asked twice; an order still waiting for its money is not put
/// back.
#[tokio::test]
async fn an_order_that_ended_unpaid_can_be_put_back_in_the_cart() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912400041", "bac-ha").await;
    vendor.set_payments(true, false, "0").await;
    let plum = vendor
        .add_product("Mận tam hoa", "45.000", "20", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(plum, "1,5").await.unwrap();
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    assert!(shopper.cart().await.is_empty(), "placing empties the cart");
    let order = shopper.checkout(&token).await.orders[0].clone();
    let restore = || async {
        shopper
            .call(
                "/api/restore_order",
                &[("token", &token), ("order_id", &order.id.to_string())],
            )
            .await
    };
    assert_eq!(restore().await, Err(AppError::Conflict), "still awaiting");

    shopper
        .call(
            "/api/cancel_order",
            &[("token", &token), ("order_id", &order.id.to_string())],
        )
        .await
        .unwrap();
    let cancelled = shopper.checkout(&token).await.orders[0].clone();
    assert_eq!(cancelled.ending(), Some(OrderEnding::Cancelled));
    restore().await.unwrap();
    restore().await.unwrap();
    let cart = shopper.cart().await;
    let lines: Vec<_> = cart
        .lines()
        .map(|l| (l.product.id, l.quantity.steps()))
        .collect();
    assert_eq!(lines, [(plum, 15)], "the order's lines, once");

    // A transfer nobody confirmed in a day expires, and says so.
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    app.expire_orders(chrono::Utc::now() + chrono::Duration::hours(25))
        .await;
    let expired = shopper.checkout(&token).await.orders[0].clone();
    assert_eq!(expired.status, OrderStatus::Expired);
    assert_eq!(expired.ending(), Some(OrderEnding::NotPaidInTime));
}

/// The order's page is a receipt: its number, date, columns, how it is collected and paid, and
/// it is kept out of search engines.
#[tokio::test]
async fn the_order_page_is_a_receipt_kept_out_of_search_engines() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912400051", "sa-pa").await;
    vendor.set_payments(true, false, "15.000").await;
    let id = vendor
        .add_product("Táo mèo", "40.000", "", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "2").await.unwrap();
    let token = shopper
        .place_order(
            "vietqr",
            &[
                ("form[fulfilment]", "delivery"),
                ("form[address]", "5 Cầu Mây, Sa Pa"),
            ],
        )
        .await
        .unwrap();
    let code = shopper.checkout(&token).await.orders[0].code.clone();
    let page = shopper
        .get(&format!("/checkout/{token}"))
        .await
        .text()
        .await
        .unwrap();
    for expected in [
        r#"<meta name="robots" content="noindex, nofollow""#,
        "Số biên nhận",
        code.as_str(),
        "Ngày đặt",
        "Đơn giá",
        "Thành tiền",
        "5 Cầu Mây, Sa Pa",
        "Phí giao hàng",
        "15.000\u{a0}₫",
        "95.000\u{a0}₫",
        "Chuyển khoản VietQR",
        "Xác nhận huỷ đơn",
    ] {
        assert!(page.contains(expected), "{expected:?} in {page}");
    }
}

/// "My purchases" lists the checkouts the signed-in account placed, newest first, each linking
/// to its order page; another account sees none of them, and a visitor is asked to sign in.
#[tokio::test]
async fn a_signed_in_shopper_lists_only_their_own_purchases_newest_first() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912400061", "sa-pa").await;
    vendor.set_payments(true, false, "0").await;
    let plum = vendor.add_product("Mận", "40.000", "", true).await.unwrap();
    let shopper = app.shopper("0912400062").await;
    shopper.add_to_cart(plum, "1").await.unwrap();
    let first = shopper.place_order("vietqr", &[]).await.unwrap();
    shopper.add_to_cart(plum, "2").await.unwrap();
    let second = shopper.place_order("vietqr", &[]).await.unwrap();

    let mine: Vec<app::model::CheckoutView> =
        shopper.call_json("/api/my_purchases", &[]).await.unwrap();
    let tokens: Vec<&str> = mine.iter().map(|c| c.token.as_str()).collect();
    assert_eq!(tokens, [second.as_str(), first.as_str()], "newest first");
    assert_eq!(mine[0].total.amount(), 80_000);
    assert_eq!(mine[0].orders[0].stall_name, mine[1].orders[0].stall_name);

    let page = shopper.get("/my/purchases").await.text().await.unwrap();
    for expected in [
        format!("/checkout/{second}"),
        "Đơn đã mua".into(),
        "80.000\u{a0}₫".into(),
    ] {
        assert!(page.contains(&expected), "{expected:?} in {page}");
    }

    let other = app.shopper("0912400063").await;
    let theirs: Vec<app::model::CheckoutView> =
        other.call_json("/api/my_purchases", &[]).await.unwrap();
    assert!(theirs.is_empty(), "another account sees none of them");
    let page = other.get("/my/purchases").await.text().await.unwrap();
    assert!(!page.contains(&first) && !page.contains(&second));

    let visitor = app.anonymous();
    let refused: Result<Vec<app::model::CheckoutView>, AppError> =
        visitor.call_json("/api/my_purchases", &[]).await;
    assert_eq!(refused.unwrap_err(), AppError::NotSignedIn);
}

/// The header counts the cart's lines on every page as served (no script needed), for a
/// visitor and for a signed-in shopper, and shows no count for an empty cart.
#[tokio::test]
async fn the_header_counts_the_carts_lines() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912400071", "sa-pa").await;
    let plum = vendor.add_product("Mận", "40.000", "", true).await.unwrap();
    let tea = vendor.add_product("Chè", "90.000", "", true).await.unwrap();
    let badge = |n: u64| format!(r#"<span class="cart-count">{n}<"#);
    for visitor in [app.anonymous(), app.shopper("0912400072").await] {
        let home = visitor.get("/").await.text().await.unwrap();
        assert!(!home.contains("cart-count"), "no count for an empty cart");
        visitor.add_to_cart(plum, "1").await.unwrap();
        visitor.add_to_cart(plum, "2").await.unwrap();
        visitor.add_to_cart(tea, "1").await.unwrap();
        let count: u64 = visitor.call_json("/api/cart_count", &[]).await.unwrap();
        assert_eq!(count, 2, "two lines, however much of each");
        let page = visitor
            .get(&format!("/products/{tea}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains(&badge(2)), "{page}");
    }
}

/// A signed-in shopper finds the checkout's name and phone filled in from their account; a
/// visitor finds them empty.
#[tokio::test]
async fn the_checkout_form_is_filled_in_from_the_signed_in_account() {
    let app = TestApp::spawn().await;
    let shopper = app.shopper("0912400081").await;
    let page = shopper.get("/cart").await.text().await.unwrap();
    for expected in [r#"value="Khách""#, r#"value="0912 400 081""#] {
        assert!(page.contains(expected), "{expected:?} in {page}");
    }
    let page = app.anonymous().get("/cart").await.text().await.unwrap();
    assert!(!page.contains(r#"value="Khách""#));
}

/// Beside the VietQR code the page gives the transfer's details as text to copy (for a shopper
/// paying from the phone showing the code) and, for paper, the whole payload.
#[tokio::test]
async fn the_transfer_details_are_readable_text_beside_the_code() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912400091", "sa-pa").await;
    vendor.set_payments(true, false, "0").await;
    let id = vendor.add_product("Mận", "40.000", "", true).await.unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "2").await.unwrap();
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    let view = shopper.checkout(&token).await;
    let code = view.orders[0].code.clone();
    let payload = view.transfer_codes[0].payload.clone();
    let page = shopper
        .get(&format!("/checkout/{token}"))
        .await
        .text()
        .await
        .unwrap();
    let details = &page[page.find(r#"class="transfer-details""#).expect(&page)..];
    for expected in [
        "Số tài khoản",
        "0011001234567",
        "Chủ tài khoản",
        // As the bank account holds it: capitals without accents.
        "NGUYEN THI HANG",
        "Vietcombank",
        "80.000\u{a0}₫",
        "Nội dung chuyển khoản",
        code.as_str(),
    ] {
        assert!(details.contains(expected), "{expected:?} in {details}");
    }
    assert!(
        page.contains(&format!(
            r#"class="payload-print print-only"><code>{payload}<"#
        )),
        "the whole payload, printable: {page}"
    );
}

/// The cart refuses more than the stall has left, at adding and at changing a line, naming the
/// item and what is left; nothing is changed by a refused quantity.
#[tokio::test]
async fn the_cart_refuses_more_than_the_stock_left() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912400101", "sa-pa").await;
    let plum = vendor
        .add_product("Mận", "40.000", "80", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    let not_enough = |field: &str| {
        AppError::field(
            field,
            Invalid::NotEnoughStock {
                item: "Mận".into(),
                left: Quantity::from_steps(800),
                unit: Unit::Kg,
            },
        )
    };
    assert_eq!(
        shopper.add_to_cart(plum, "5000").await,
        Err(not_enough("quantity"))
    );
    assert!(shopper.cart().await.is_empty());
    shopper.add_to_cart(plum, "50").await.unwrap();
    // 50 kg in the cart already: 40 kg more is 90 kg.
    assert_eq!(
        shopper.add_to_cart(plum, "40").await,
        Err(not_enough("quantity"))
    );
    let update = |q: &'static str| {
        let id = plum.to_string();
        let shopper = &shopper;
        async move {
            shopper
                .call("/api/update_cart", &[("product_id", &id), ("quantity", q)])
                .await
        }
    };
    assert_eq!(
        update("80,1").await,
        Err(not_enough(&cart_line_field(plum)))
    );
    assert_eq!(
        shopper
            .cart()
            .await
            .lines()
            .next()
            .unwrap()
            .quantity
            .steps(),
        500
    );
    update("80").await.unwrap();
    assert_eq!(
        shopper
            .cart()
            .await
            .lines()
            .next()
            .unwrap()
            .quantity
            .steps(),
        800
    );
}
