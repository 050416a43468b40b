//! Orders once placed: the vendor's list with the note, how it is collected, when it was placed
//! and every change, in Lào Cai's time; the vendor's sales dashboard; the administrators' list
//! of every stall's orders, and their cancelling one ready for pickup; the shopper cancelling an
//! unpaid order by its link, but not a paid one.
use crate::support::TestApp;
use crate::support::clock::{app_at, lao_cai};
use app::api::AppError;
use app::domain::market::Weekday;
use app::domain::order::OrderStatus;
use app::domain::paging::Paged;

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
    let (vendor, id) = app
        .transfer_vendor("0912300002", "sa-pa", ("Táo mèo", "40.000", ""))
        .await;
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

    let (_, summary): (serde_json::Value, app::api::sales::SalesSummary) =
        vendor.call_json("/api/stall_orders", &[]).await.unwrap();
    assert_eq!(summary.today.all.value.amount(), 40_000);
    assert_eq!(summary.today.transfer.value.amount(), 40_000);
    assert_eq!(summary.today.card.value.amount(), 0);
    assert_eq!(summary.today.cashless_share_tenths(), Some(1000));
    assert_eq!(summary.this_month.all.value.amount(), 120_000);
    assert_eq!(summary.this_month.cashless.value.amount(), 120_000);
    let page = vendor.get("/my/orders").await.text().await.unwrap();
    assert!(page.contains("Không dùng tiền mặt"), "the share is named");
    assert!(
        page.contains("· 100%"),
        "and given in percent, as the report writes it"
    );
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
            let (orders, _): (Paged<app::model::Order>, Vec<app::model::StallRef>) =
                admin.call_json("/api/admin_orders", &form).await.unwrap();
            orders.items.into_iter().map(|o| o.code).collect::<Vec<_>>()
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

#[tokio::test]
async fn the_shopper_cancels_an_unpaid_order_by_its_link_but_not_a_paid_one() {
    let app = TestApp::spawn().await;
    let (vendor, id) = app
        .transfer_vendor("0912200010", "sa-pa", ("Su su", "15.000", "5"))
        .await;
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
                    ("order_id", &order),
                    ("confirmed", "yes"),
                ]
            )
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    shopper
        .call(
            "/api/cancel_order",
            &[
                ("token", &token),
                ("order_id", &order),
                ("confirmed", "yes"),
            ],
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
            &[
                ("token", &paid),
                ("order_id", &paid_order.to_string()),
                ("confirmed", "yes"),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(
        err,
        AppError::Conflict,
        "a paid order is cancelled by its vendor, who refunds it"
    );
}
