//! After the checkout: the order page as a receipt, a signed-in shopper's purchases, and an order
//! that ended unpaid put back in the cart.
use crate::support::TestApp;
use app::api::AppError;
use app::domain::order::{OrderEnding, OrderStatus};

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
    let (_, plum) = app
        .transfer_vendor("0912400061", "sa-pa", ("Mận", "40.000", ""))
        .await;
    let shopper = app.shopper("0912400062").await;
    shopper.add_to_cart(plum, "1").await.unwrap();
    let first = shopper.place_order("vietqr", &[]).await.unwrap();
    shopper.add_to_cart(plum, "2").await.unwrap();
    let second = shopper.place_order("vietqr", &[]).await.unwrap();

    let mine: app::model::Purchases = shopper.call_json("/api/my_purchases", &[]).await.unwrap();
    assert!(!mine.has_next);
    let mine = mine.items;
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
    let theirs: app::model::Purchases = other.call_json("/api/my_purchases", &[]).await.unwrap();
    assert!(theirs.items.is_empty(), "another account sees none of them");
    let page = other.get("/my/purchases").await.text().await.unwrap();
    assert!(!page.contains(&first) && !page.contains(&second));

    let visitor = app.anonymous();
    let refused: Result<app::model::Purchases, AppError> =
        visitor.call_json("/api/my_purchases", &[]).await;
    assert_eq!(refused.unwrap_err(), AppError::NotSignedIn);
}

/// A checkout that ended unpaid explains itself and puts its items back in the cart on request,
/// without doubling them when asked twice; an order still waiting for its money is not put
/// back.
#[tokio::test]
async fn an_order_that_ended_unpaid_can_be_put_back_in_the_cart() {
    let app = TestApp::spawn().await;
    let (_, plum) = app
        .transfer_vendor("0912400041", "bac-ha", ("Mận tam hoa", "45.000", "20"))
        .await;
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
            &[
                ("token", &token),
                ("order_id", &order.id.to_string()),
                ("confirmed", "yes"),
            ],
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
    app.sweep(chrono::Utc::now() + chrono::Duration::hours(25))
        .await;
    let expired = shopper.checkout(&token).await.orders[0].clone();
    assert_eq!(expired.status, OrderStatus::Expired);
    assert_eq!(expired.ending(), Some(OrderEnding::NotPaidInTime));
}

/// "My purchases" comes a page of ten checkouts at a time, newest first, each card naming what
/// was bought and linking to its order page.
#[tokio::test]
async fn my_purchases_come_ten_to_a_page_with_their_products_named() {
    let app = TestApp::spawn().await;
    let (_, plum) = app
        .transfer_vendor("0912400071", "sa-pa", ("Mận hậu", "40.000", ""))
        .await;
    let shopper = app.shopper("0912400072").await;
    let mut tokens = Vec::new();
    for _ in 0..12 {
        shopper.add_to_cart(plum, "1").await.unwrap();
        let token = shopper.place_order("vietqr", &[]).await.unwrap();
        // Cancelled at once, so the shopper never holds too many unpaid checkouts.
        let order = shopper.checkout(&token).await.orders[0].id;
        crate::support::cards::cancel_by_link(&shopper, &token, order).await;
        tokens.push(token);
    }
    tokens.reverse();
    let page = |n: &'static str| {
        let shopper = &shopper;
        async move {
            shopper
                .call_json::<app::model::Purchases>("/api/my_purchases", &[("page", n)])
                .await
                .unwrap()
        }
    };
    let first = page("1").await;
    let second = page("2").await;
    assert_eq!((first.items.len(), first.has_next), (10, true));
    assert_eq!((second.items.len(), second.has_next), (2, false));
    let listed: Vec<&str> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|c| c.token.as_str())
        .collect();
    assert_eq!(listed, tokens, "each once, newest first");

    let html = shopper
        .get("/my/purchases?page=2")
        .await
        .text()
        .await
        .unwrap();
    for expected in [
        format!(r#"href="/checkout/{}""#, tokens[11]),
        "Mận hậu".to_string(),
        // The first page's address carries no number.
        r#"href="/my/purchases" rel="prev""#.to_string(),
    ] {
        assert!(html.contains(&expected), "{expected:?} in {html}");
    }
    assert!(
        !html.contains(&format!("/checkout/{}", tokens[0])),
        "not on page 2"
    );
}
