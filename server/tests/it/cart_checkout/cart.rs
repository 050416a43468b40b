//! The cart: lines grouped by stall with each stall's delivery fee and the totals, counted in the
//! header, joined with the account's cart at log-in, added to without JavaScript; then the
//! refusals: a wrong quantity under its own line, more than the stock left.
use crate::support::{self, TestApp};
use app::api::AppError;
use app::api::shop::cart_line_field;
use app::domain::id::ProductId;
use app::domain::invalid::Invalid;
use app::domain::quantity::{Quantity, Unit};

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
    let grouped: Vec<Vec<ProductId>> = cart
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
    let steps = |id: ProductId| {
        cart.lines()
            .find(|l| l.product.id == id)
            .map(|l| l.quantity.steps())
    };
    assert_eq!(steps(plum), Some(15), "1 kg + 0.5 kg");
    assert_eq!(steps(tea), Some(20));
    assert_eq!(cart.pickup_total.amount(), 60_000 + 180_000);
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
