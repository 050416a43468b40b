//! Placing an order: the form filled in from the signed-in account, prices the server's own,
//! each stall collected on one of its own trading dates (and an older order that kept only the
//! weekday); then the refusals: delivery outside Lào Cai, an empty cart, a stall that takes no
//! payment; then two hundred buyers for the last ten units.
use crate::support::TestApp;
use crate::support::clock::{app_at, lao_cai};
use app::api::AppError;
use app::api::shop::{method_field, pickup_day_field};
use app::domain::invalid::Invalid;
use app::domain::market::Weekday;

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

#[tokio::test]
async fn prices_sent_by_the_browser_are_ignored() {
    let app = TestApp::spawn().await;
    let (_, id) = app
        .transfer_vendor("0912100003", "sa-pa", ("Táo mèo", "40.000", ""))
        .await;
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

/// A Bắc Hà stall trades on Sundays only, a Cốc Lếu one from Monday to Saturday: one day for
/// the whole cart could never suit both, so each stall gets its own date among its own, and
/// the order keeps the date, since the offered dates span two weeks.
#[tokio::test]
async fn each_stall_of_a_checkout_is_collected_on_one_of_its_own_trading_dates() {
    // Wednesday 25 November in Lào Cai, still the 24th in UTC.
    let (app, _clock) = app_at(lao_cai(25, 6, 5)).await;
    let (sunday, plum) = app
        .transfer_vendor("0912400001", "bac-ha", ("Mận tam hoa", "45.000", "20"))
        .await;
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
    let (vendor, plum) = app
        .transfer_vendor("0912400021", "bac-ha", ("Mận tam hoa", "45.000", "20"))
        .await;
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

#[tokio::test]
async fn checking_out_an_empty_cart_says_the_cart_is_empty() {
    let app = TestApp::spawn().await;
    let shopper = app.anonymous();
    assert_eq!(
        shopper.place_order("vietqr", &[]).await.unwrap_err(),
        AppError::field("cart", Invalid::EmptyCart)
    );
}

/// A stall is paid only by a method it takes: asking the other is refused under the stall's own
/// payment field, naming it, and nothing is reserved.
#[tokio::test]
async fn a_stall_without_a_bank_account_takes_no_transfer_and_one_without_cards_no_card() {
    let app = TestApp::spawn().await;
    let (vendor, stall) = app.approved_vendor("0912100004", "coc-leu").await;
    let id = vendor
        .add_product("Gạo Séng Cù", "35.000", "", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(id, "1").await.unwrap();
    for (bank, cards, method) in [(false, true, "vietqr"), (true, false, "card")] {
        vendor.set_payments(bank, cards, "0").await;
        assert_eq!(
            shopper.place_order(method, &[]).await.unwrap_err(),
            AppError::field(
                &method_field(stall.id),
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
    for (n, buyer) in buyers.into_iter().enumerate() {
        // Two hundred shoppers, each with their own phone number.
        let phone = format!("0912 7{n:05}");
        tasks.spawn(async move {
            buyer
                .place_order("vietqr", &[("form[phone]", &phone)])
                .await
        });
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
