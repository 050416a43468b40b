//! Paying a checkout by card: across two stalls, paid once on Stripe's page; with Stripe out of
//! reach the order stays payable; the session ends with its orders; paying after one order of
//! the checkout was cancelled charges only the order left.
use crate::support::TestApp;
use crate::support::cards::{
    cancel_by_link, card_checkout_across_two_stalls, charged_and_refunded, owed_to_stalls,
    pay_on_page,
};
use app::api::AppError;
use app::domain::order::OrderStatus;

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

/// Without Stripe's keys, and without the stand-in asked for, card payments are off: the cart
/// and the vendor's payment settings say so, a card checkout is refused with the reason and
/// nothing is placed, and no webhook is accepted.
#[tokio::test]
async fn without_stripe_keys_cards_are_off_and_every_page_says_so() {
    use app::domain::invalid::Invalid;
    let app = TestApp::spawn_with(|settings| settings.card_stand_in = false).await;
    let (vendor, stall) = app.approved_vendor("0912200014", "sa-pa").await;
    vendor.set_payments(true, true, "0").await;
    let id = vendor
        .add_product("Cá hồi Sa Pa", "350.000", "5", true)
        .await
        .unwrap();
    let settings_page = vendor.get("/my/payments").await.text().await.unwrap();
    assert!(
        settings_page.contains("chưa bật thanh toán thẻ"),
        "{settings_page}"
    );
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "1").await.unwrap();
    let cart_page = shopper.get("/cart").await.text().await.unwrap();
    assert!(cart_page.contains("vui lòng chuyển khoản"), "{cart_page}");
    assert!(
        !cart_page.contains(r#"value="card""#),
        "no card is offered: {cart_page}"
    );
    assert_eq!(
        shopper.place_order("card", &[]).await.unwrap_err(),
        AppError::field(&app::api::shop::method_field(stall.id), Invalid::CardsOff)
    );
    assert_eq!(shopper.cart().await.stalls.len(), 1, "the cart is kept");
    assert!(vendor.stall_orders().await.is_empty(), "nothing placed");
    // A bank transfer still works.
    shopper.place_order("vietqr", &[]).await.unwrap();
    let event = r#"{"id":"evt_1","object":"event","type":"checkout.session.completed"}"#;
    let now = chrono::Utc::now().timestamp();
    assert_eq!(
        crate::support::cards::post_webhook(&app, event, now).await,
        400,
        "with cards off, every webhook is refused, even one signed right"
    );
}
