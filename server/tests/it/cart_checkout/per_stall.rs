//! How each stall of one checkout is paid: a mixed cart pays its card-paying stalls together by
//! one card payment and each other stall by its own transfer, in one submission; each stall is
//! offered only what it takes, and the refusals name the stall; the whole checkout is placed or
//! nothing is, once, and never from a cart other than the one the shopper saw.
use crate::support::cards::{CardCheckout, charged_and_refunded, pay_on_page};
use crate::support::{TestApp, Visitor};
use app::api::AppError;
use app::api::shop::method_field;
use app::domain::id::{ProductId, StallId};
use app::domain::invalid::{FieldErrors, Invalid};
use app::domain::money::Dong;
use app::domain::order::{CARD_MAX, CARD_MIN, OrderStatus, PaymentMethod as P};

/// A stall at Sa Pa paid as `bank` and `cards` say, selling one product: its vendor, its id and
/// the product's.
async fn stall(
    app: &TestApp,
    phone: &str,
    (bank, cards): (bool, bool),
    (name, price, stock): (&str, &str, &str),
) -> (Visitor, StallId, ProductId) {
    let (vendor, stall) = app.approved_vendor(phone, "sa-pa").await;
    vendor.set_payments(bank, cards, "0").await;
    let product = vendor.add_product(name, price, stock, true).await.unwrap();
    (vendor, stall.id, product)
}

/// The message of a delivery address outside the province, as the Vietnamese page writes it.
const OUTSIDE_LAO_CAI: &str = "Chỉ giao hàng trong tỉnh Lào Cai";

/// The field a stall's payment method is posted as.
fn methods(key: StallId) -> String {
    format!("methods[{key}]")
}

/// Plums from a stall that takes only cards, tea from one that takes both (paid by card too)
/// and honey from one that takes only transfers: one submission places three orders, sends
/// the shopper to one card payment of 400.000 ₫ for the plums and the tea, and shows a VietQR
/// code for the honey alone, which waits a day, not half an hour.
#[tokio::test]
async fn a_mixed_cart_pays_its_card_stalls_together_and_each_other_stall_by_transfer() {
    let app = TestApp::spawn().await;
    let (a, card_only, plum) = stall(
        &app,
        "0912500001",
        (false, true),
        ("Mận hậu", "50.000", "10"),
    )
    .await;
    let (b, both, tea) = stall(
        &app,
        "0912500002",
        (true, true),
        ("Chè shan tuyết", "300.000", "4"),
    )
    .await;
    let (c, transfer_only, honey) = stall(
        &app,
        "0912500003",
        (true, false),
        ("Mật ong", "120.000", "5"),
    )
    .await;
    let shopper = app.anonymous();
    for (product, quantity) in [(plum, "2"), (tea, "1"), (honey, "1")] {
        shopper.add_to_cart(product, quantity).await.unwrap();
    }
    let offered: Vec<Vec<P>> = shopper
        .cart()
        .await
        .stalls
        .into_iter()
        .map(|s| s.methods)
        .collect();
    assert_eq!(
        offered,
        [vec![P::Card], vec![P::VietQr, P::Card], vec![P::VietQr]]
    );

    let honey_by_transfer = methods(transfer_only);
    let token = shopper
        .place_order("card", &[(honey_by_transfer.as_str(), "vietqr")])
        .await
        .unwrap();
    let view = shopper.checkout(&token).await;
    let order_of = |stall: StallId| view.orders.iter().find(|o| o.stall_id == stall).unwrap();
    for (stall, method, status) in [
        (card_only, P::Card, OrderStatus::AwaitingPayment),
        (both, P::Card, OrderStatus::AwaitingPayment),
        (transfer_only, P::VietQr, OrderStatus::AwaitingTransfer),
    ] {
        assert_eq!(
            (order_of(stall).method, order_of(stall).status),
            (method, status)
        );
    }
    let waits = |stall| order_of(stall).expires_at - order_of(stall).created_at;
    assert_eq!(waits(card_only).num_minutes(), 30);
    assert_eq!(waits(transfer_only).num_hours(), 24);
    assert_eq!(view.total.amount(), 520_000, "the whole checkout");
    let codes: Vec<_> = view.transfer_codes.iter().map(|c| c.order_id).collect();
    assert_eq!(
        codes,
        [order_of(transfer_only).id],
        "a QR code for the honey only"
    );
    assert_eq!(
        view.stalls.len(),
        3,
        "where to collect from each stall, and its phone"
    );

    let pay_page = view
        .payment_url
        .clone()
        .expect("sent on to pay the card part");
    let page = reqwest::get(&pay_page).await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"data-amount="400000""#), "{page}");
    assert_eq!(pay_on_page(&pay_page).await, 303);
    let card = CardCheckout {
        token: token.clone(),
        double: pay_page.split("/pay/").next().unwrap().to_string(),
        pay_page,
    };
    assert_eq!(charged_and_refunded(&card).await, (vec![400_000], vec![]));
    let paid = shopper.checkout(&token).await;
    let status = |stall: StallId| {
        paid.orders
            .iter()
            .find(|o| o.stall_id == stall)
            .unwrap()
            .status
    };
    assert_eq!(status(card_only), OrderStatus::Paid);
    assert_eq!(status(both), OrderStatus::Paid);
    assert_eq!(
        status(transfer_only),
        OrderStatus::AwaitingTransfer,
        "a card never pays a transfer"
    );
    assert_eq!(
        shopper
            .call_json::<String>("/api/pay_by_card", &[("token", &token)])
            .await
            .unwrap_err(),
        AppError::Conflict,
        "nothing is left to pay by card"
    );

    // The honey's vendor sees the transfer arrive and confirms it.
    let honey_order = c.stall_orders().await.remove(0);
    c.move_order(honey_order.id, "confirm_payment")
        .await
        .unwrap();
    let done = shopper.checkout(&token).await;
    assert!(
        done.orders.iter().all(|o| o.status == OrderStatus::Paid),
        "{:?}",
        done.orders
    );
    for (vendor, product, left) in [(&a, plum, 80), (&b, tea, 30), (&c, honey, 40)] {
        assert_eq!(
            vendor.my_product(product).await.stock.unwrap().steps(),
            left
        );
    }
}

/// A stall that takes only transfers is offered only a transfer, one that takes only cards only
/// a card, and one that takes nothing is named in the cart before any checkout; a checkout
/// that asks otherwise is refused under each stall's own field, naming it, and reserves nothing.
#[tokio::test]
async fn each_stall_offers_only_what_it_takes_and_a_refusal_names_the_stall() {
    let app = TestApp::spawn().await;
    let (_, transfer_only, plum) =
        stall(&app, "0912500011", (true, false), ("Mận", "50.000", "10")).await;
    let (_, card_only, tea) =
        stall(&app, "0912500012", (false, true), ("Chè", "300.000", "4")).await;
    let (nothing_vendor, nothing, honey) = stall(
        &app,
        "0912500013",
        (false, false),
        ("Mật ong", "120.000", "5"),
    )
    .await;
    let shopper = app.anonymous();
    // The honey went into the cart while its stall still took transfers.
    nothing_vendor.set_payments(true, false, "0").await;
    for product in [plum, tea, honey] {
        shopper.add_to_cart(product, "1").await.unwrap();
    }
    nothing_vendor.set_payments(false, false, "0").await;
    let offered: Vec<Vec<P>> = shopper
        .cart()
        .await
        .stalls
        .into_iter()
        .map(|s| s.methods)
        .collect();
    assert_eq!(offered, [vec![P::VietQr], vec![P::Card], vec![]]);
    let page = shopper.get("/cart").await.text().await.unwrap();
    let radio =
        |stall: StallId, method: &str| format!(r#"name="methods[{stall}]" value="{method}""#);
    assert!(
        page.contains(&radio(transfer_only, "vietqr"))
            && !page.contains(&radio(transfer_only, "card"))
    );
    assert!(
        page.contains(&radio(card_only, "card")) && !page.contains(&radio(card_only, "vietqr"))
    );
    assert!(!page.contains(&format!(r#"name="methods[{nothing}]""#)));
    assert!(
        page.contains("Gian 0912500013 tạm thời chưa nhận thanh toán"),
        "the cart names the stall that can't be paid: {page}"
    );

    let refused = shopper.place_order("vietqr", &[]).await.unwrap_err();
    let mut expected = FieldErrors::new();
    expected.push(
        &method_field(card_only),
        Invalid::NotAccepted {
            stall: "Gian 0912500012".into(),
        },
    );
    expected.push(
        &method_field(nothing),
        Invalid::NotPayable {
            stall: "Gian 0912500013".into(),
        },
    );
    assert_eq!(refused, AppError::Invalid(expected));
    assert_eq!(
        nothing_vendor
            .my_product(honey)
            .await
            .stock
            .unwrap()
            .steps(),
        50,
        "nothing reserved"
    );
    assert_eq!(shopper.cart().await.stalls.len(), 3, "the cart is kept");

    // Taking the stall that can't be paid out of the cart, the rest is ordered.
    shopper
        .call(
            "/api/update_cart",
            &[("product_id", &honey.to_string()), ("quantity", "0")],
        )
        .await
        .unwrap();
    let tea_by_card = methods(card_only);
    let token = shopper
        .place_order("vietqr", &[(tea_by_card.as_str(), "card")])
        .await
        .unwrap();
    let placed: Vec<P> = shopper
        .checkout(&token)
        .await
        .orders
        .iter()
        .map(|o| o.method)
        .collect();
    assert_eq!(placed, [P::VietQr, P::Card]);
}

/// The card payment covers every card-paying stall at once, so it is their total that must be
/// one the processor can charge; the stalls paid by transfer don't count towards it.
#[tokio::test]
async fn the_card_part_of_a_mixed_checkout_must_reach_the_card_minimum() {
    let app = TestApp::spawn().await;
    let (_, small, cheap) = stall(
        &app,
        "0912500021",
        (true, true),
        ("Rau cải", "15.000", "10"),
    )
    .await;
    let (_, big, dear) = stall(
        &app,
        "0912500022",
        (true, false),
        ("Thịt trâu", "500.000", "10"),
    )
    .await;
    let shopper = app.anonymous();
    shopper.add_to_cart(cheap, "1").await.unwrap();
    shopper.add_to_cart(dear, "1").await.unwrap();
    let (small_key, big_key) = (methods(small), methods(big));
    let refused = shopper
        .place_order("card", &[(big_key.as_str(), "vietqr")])
        .await
        .unwrap_err();
    assert_eq!(
        refused,
        AppError::field(
            "method",
            Invalid::AmountOutOfRange {
                min: Dong::new(CARD_MIN),
                max: Dong::new(CARD_MAX)
            }
        )
    );
    shopper
        .place_order("vietqr", &[(small_key.as_str(), "vietqr")])
        .await
        .unwrap();
}

/// The orders of a mixed checkout are placed together or not at all: the transfer stall's
/// product running out takes nothing from the card stall. Once placed, posting the same form
/// again orders nothing more and leads to the checkout already placed.
#[tokio::test]
async fn a_mixed_checkout_is_placed_whole_and_once() {
    let app = TestApp::spawn().await;
    let (card_vendor, card_stall, plum) =
        stall(&app, "0912500031", (false, true), ("Mận", "50.000", "10")).await;
    let (transfer_vendor, _, honey) = stall(
        &app,
        "0912500032",
        (true, false),
        ("Mật ong", "120.000", "1"),
    )
    .await;
    let first = app.anonymous();
    let second = app.anonymous();
    for shopper in [&first, &second] {
        shopper.add_to_cart(plum, "1").await.unwrap();
        shopper.add_to_cart(honey, "1").await.unwrap();
    }
    let plum_by_card = methods(card_stall);
    let extra = [(plum_by_card.as_str(), "card")];
    let token = first.place_order("vietqr", &extra).await.unwrap();
    assert_eq!(
        second.place_order("vietqr", &extra).await.unwrap_err(),
        AppError::OutOfStock("Mật ong".into())
    );
    assert_eq!(
        card_vendor.my_product(plum).await.stock.unwrap().steps(),
        90,
        "one reserved, not two"
    );
    assert_eq!(
        second.cart().await.stalls.len(),
        2,
        "the refused cart is kept"
    );

    assert_eq!(
        first.place_order("vietqr", &extra).await.unwrap(),
        token,
        "a second submission is answered with the checkout the first placed"
    );
    assert_eq!(card_vendor.stall_orders().await.len(), 1);
    assert_eq!(transfer_vendor.stall_orders().await.len(), 1);
}

/// The same cart posted twice at once (a double tap with JavaScript, two tabs) is ordered
/// once: the second finds its lines already taken out of the cart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_cart_posted_twice_at_once_is_ordered_once() {
    let app = TestApp::spawn().await;
    let (vendor, _, plum) = stall(&app, "0912500035", (true, false), ("Mận", "50.000", "10")).await;
    let shopper = app.anonymous();
    shopper.add_to_cart(plum, "1").await.unwrap();
    let (one, two) = tokio::join!(
        shopper.place_order("vietqr", &[]),
        shopper.place_order("vietqr", &[])
    );
    let placed: Vec<String> = [one, two].into_iter().filter_map(Result::ok).collect();
    assert!(!placed.is_empty(), "one of them placed it");
    assert!(
        placed.windows(2).all(|w| w[0] == w[1]),
        "one checkout: {placed:?}"
    );
    assert_eq!(vendor.stall_orders().await.len(), 1);
    assert_eq!(vendor.my_product(plum).await.stock.unwrap().steps(), 90);
}

/// A checkout posted from a cart page that no longer shows the cart (a price changed, a stall
/// stopped taking cards) is sent back to look again, and places nothing; from the cart as it is
/// now, it goes through.
#[tokio::test]
async fn a_checkout_from_a_cart_changed_since_it_was_shown_is_sent_back() {
    let app = TestApp::spawn().await;
    let (vendor, stall_id, plum) =
        stall(&app, "0912500041", (true, true), ("Mận", "50.000", "10")).await;
    let shopper = app.anonymous();
    shopper.add_to_cart(plum, "1").await.unwrap();
    let shown = shopper.cart().await.seen;
    assert_eq!(
        shopper.cart().await.seen,
        shown,
        "the same cart, the same fingerprint"
    );
    vendor.set_payments(true, false, "0").await;
    let changed = shopper.cart().await.seen;
    assert_ne!(changed, shown, "the stall stopped taking cards");
    let by_card = methods(stall_id);
    assert_eq!(
        shopper
            .place_order("card", &[("seen", &shown), (by_card.as_str(), "card")])
            .await
            .unwrap_err(),
        AppError::field("cart", Invalid::CartChanged)
    );
    assert_eq!(
        vendor.my_product(plum).await.stock.unwrap().steps(),
        100,
        "nothing reserved"
    );
    shopper
        .place_order("vietqr", &[("seen", &changed)])
        .await
        .unwrap();
}

/// Without JavaScript a refused checkout comes back with what was typed (the name, the phone,
/// the delivery address and each stall's choices) and the reason, not the refusal's own code;
/// a second refusal shows its own reason, not the first one's.
#[tokio::test]
async fn a_refused_checkout_without_javascript_keeps_its_fields() {
    let app = TestApp::spawn().await;
    let (_, stall_id, plum) =
        stall(&app, "0912500051", (true, true), ("Mận", "50.000", "10")).await;
    let shopper = app.anonymous();
    shopper.add_to_cart(plum, "1").await.unwrap();
    let by = methods(stall_id);
    let post = |referer: String, phone: &'static str, address: &'static str| {
        let by = by.clone();
        let shopper = &shopper;
        async move {
            let res = shopper
                .post_form_with(
                    "/api/place_order",
                    &[
                        ("form[name]", "Lò Thị Mai"),
                        ("form[phone]", phone),
                        ("form[fulfilment]", "delivery"),
                        ("form[address]", address),
                        ("form[note]", "Gọi trước"),
                        (by.as_str(), "card"),
                    ],
                    &[("accept", "text/html"), ("referer", &referer)],
                )
                .await;
            assert!(res.status().is_redirection(), "{}", res.status());
            res.headers()["location"].to_str().unwrap().to_owned()
        }
    };
    let back = post(format!("{}/cart", app.base), "12", "5 Cầu Mây, Sa Pa").await;
    let page = shopper
        .get(back.trim_start_matches(&app.base))
        .await
        .text()
        .await
        .unwrap();
    for kept in [
        r#"value="Lò Thị Mai""#,
        r#"value="12""#,
        ">5 Cầu Mây, Sa Pa</textarea>",
        ">Gọi trước</textarea>",
        r#"value="delivery" checked"#,
        r#"value="card" checked"#,
        "Số điện thoại chưa đúng",
    ] {
        assert!(page.contains(kept), "{kept} in {page}");
    }
    assert!(
        !page.contains(">__err") && !page.contains("__err=</"),
        "{page}"
    );

    // Refused again from the page it came back to: this refusal's reason, once.
    let again = post(back.clone(), "0912 345 678", "Hà Nội").await;
    assert_eq!(again.matches("__err=").count(), 1, "{again}");
    let page = shopper
        .get(again.trim_start_matches(&app.base))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(OUTSIDE_LAO_CAI), "{page}");
    assert!(
        !page.contains("Số điện thoại chưa đúng"),
        "not the first refusal's reason"
    );
    assert!(page.contains(r#"value="0912 345 678""#), "{page}");
}
