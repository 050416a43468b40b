//! The report's cashless share, from sales as they are recorded: a stall paid by card, by a
//! VietQR transfer the bank reported and one its vendor confirmed, and at the stall in cash
//! and by transfer, shows the same month in the page's data, the CSV and the reporting API,
//! with how each cashless payment was confirmed; and cash alone never makes a stall
//! "transacting".
use crate::bank::{bank_stall, spawn};
use crate::support::Visitor;
use app::domain::counter_sale::SaleWay;
use app::domain::order::OrderStatus;

/// The vendor records a sale at the stall of `amount`, paid `way`, with form token `n`; its
/// code.
async fn record(vendor: &Visitor, amount: &str, way: SaleWay, n: u32) -> String {
    let next: String = vendor
        .call_json(
            "/api/record_counter_sale",
            &[
                ("amount", amount),
                ("way", way.slug()),
                ("submission", &format!("{n:032x}")),
            ],
        )
        .await
        .unwrap();
    next.rsplit(['/', '=']).next().unwrap().to_string()
}

const REGISTRY: &str =
    "external_id,kind,market,stall_no,name,entity_type,phone,district,ocop_products\r
BH-7,market_vendor,bac-ha,B-07,Hoàng Thị Lan,household,,Bắc Hà,\r
BH-8,market_vendor,bac-ha,B-08,Vàng Văn Sử,household,,Bắc Hà,\r
";

#[tokio::test]
async fn the_cashless_share_counts_every_recorded_sale_and_who_confirmed_it() {
    let app = spawn().await;
    let admin = app.admin().await;
    assert_eq!(admin.upload_registry(REGISTRY, false).await.status(), 303);
    let lan = bank_stall(&app, "0912400001", "sepay").await;
    // Cards too, into the same bank account.
    lan.vendor.set_payments(true, true, "0").await;
    admin.link_entry(lan.stall.id, "BH-7").await.unwrap();
    let (su, su_stall) = app.approved_vendor("0912400002", "bac-ha").await;
    admin.link_entry(su_stall.id, "BH-8").await.unwrap();

    // 2 kg by card, 90.000 ₫, which Stripe confirms.
    let shopper = app.anonymous();
    shopper.add_to_cart(lan.plums, "2").await.unwrap();
    let token = shopper.place_order("card", &[]).await.unwrap();
    let pay_page = shopper.checkout(&token).await.payment_url.unwrap();
    assert_eq!(crate::support::cards::pay_on_page(&pay_page).await, 303);
    let card = shopper.checkout(&token).await.orders.remove(0);
    assert_eq!(card.status, OrderStatus::Paid);
    // 1 kg by VietQR, which the bank reports…
    let (_, by_bank) = lan.order(&app, "1").await;
    assert_eq!(lan.transfer(&app, 1, 45_000, &by_bank.code).await, 200);
    assert_eq!(lan.seen(&by_bank.code).await.status, OrderStatus::Paid);
    // …1 kg whose transfer the vendor confirms by hand, and 1 kg never paid.
    let (_, by_hand) = lan.order(&app, "1").await;
    lan.vendor
        .move_order(by_hand.id, "confirm_payment")
        .await
        .unwrap();
    lan.order(&app, "1").await;
    // At the stall: 20.000 ₫ cash, 30.000 ₫ by a transfer the bank reports, 15.000 ₫ by one
    // the vendor confirms.
    record(&lan.vendor, "20.000", SaleWay::Cash, 1).await;
    let counter = record(&lan.vendor, "30.000", SaleWay::Transfer, 2).await;
    assert_eq!(lan.transfer(&app, 2, 30_000, &counter).await, 200);
    let seen = record(&lan.vendor, "15.000", SaleWay::Transfer, 3).await;
    lan.vendor
        .call(
            "/api/settle_counter_sale",
            &[("code", &seen), ("paid", "yes"), ("confirmed", "yes")],
        )
        .await
        .unwrap();
    // Sử only sells for cash.
    record(&su, "50.000", SaleWay::Cash, 1).await;

    let today = app.ports.clock.today().to_string();
    // The page: Bắc Hà sold 295.000 ₫ in 7 sales, 225.000 ₫ of it in 5 cashless ones.
    let page = admin.report(&today, "").await.unwrap();
    let report = &page.report;
    let bac_ha = crate::support::registry::row(report, "market:bac-ha");
    let sales = &bac_ha.sales;
    assert_eq!((sales.all.value.amount(), sales.all.count), (295_000, 7));
    assert_eq!(
        (sales.cashless.value.amount(), sales.cashless.count),
        (225_000, 5)
    );
    assert_eq!((sales.cash.value.amount(), sales.cash.count), (70_000, 2));
    assert_eq!(sales.cashless_share_percent, Some(76.3), "225/295");
    let c = sales.confirmed;
    assert_eq!(
        (c.bank, c.vendor, c.statement, c.stripe),
        (2, 2, 0, 1),
        "the order and the sale the bank reported, the two confirmed by hand, the card"
    );
    // Lan's stall paid cashless; Sử's cash does not make his stall transacting.
    assert_eq!(bac_ha.transacting, 1);
    let stall = |slug: &str| report.stalls.iter().find(|s| s.stall == slug).unwrap();
    let lan_line = &stall(&lan.stall.slug).sales;
    assert_eq!(lan_line.cashless_share_percent, Some(91.8), "225/245");
    assert_eq!(stall(&lan.stall.slug).external_ids, ["BH-7"]);
    let su_line = &stall(&su_stall.slug).sales;
    assert_eq!(su_line.cashless_share_percent, Some(0.0));
    assert_eq!(su_line.confirmed, Default::default());
    assert_eq!(
        crate::support::registry::row(report, "province").sales,
        *sales
    );

    // The CSV: the same figures in the new columns at the end of the line.
    let csv = admin
        .get(&format!("/admin/report.csv?as_of={today}"))
        .await
        .text()
        .await
        .unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(
            ";Tính đến ngày;Doanh số trong tháng (đồng);Số lần bán trong tháng;\
             Không tiền mặt (đồng);Số lần bán không tiền mặt;Tiền mặt (đồng);\
             Số lần bán bằng tiền mặt;Tỉ lệ không tiền mặt (%);Ngân hàng tự báo;\
             Người bán tự xác nhận;Xác nhận bằng sao kê;Stripe xác nhận (thẻ)"
        ),
        "{header}"
    );
    let line = csv
        .lines()
        .find(|l| l.starts_with("Chợ Bắc Hà;"))
        .expect("Bắc Hà's line");
    assert!(
        line.ends_with(";295000;7;225000;5;70000;2;76,3;2;2;0;1"),
        "{line}"
    );

    // The reporting API, and its description.
    let token: String = admin
        .call_json("/api/create_api_token", &[("name", "Sở Công Thương")])
        .await
        .unwrap();
    let api = app.anonymous();
    let body: serde_json::Value = api
        .get_with_token(
            &format!("/api/v1/reports/onboarding?as_of={today}"),
            Some(&token),
        )
        .await
        .json()
        .await
        .unwrap();
    let month_start = format!("{}-01", &today[..7]);
    assert_eq!(body["sales_from"], month_start.as_str());
    let bac_ha = body["segments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["segment"] == "market:bac-ha")
        .unwrap();
    assert_eq!(
        bac_ha["sales"],
        serde_json::json!({
            "all": {"value": 295000, "count": 7},
            "cashless": {"value": 225000, "count": 5},
            "cash": {"value": 70000, "count": 2},
            "cashless_share_percent": 76.3,
            "confirmed": {"bank": 2, "vendor": 2, "statement": 0, "stripe": 1},
        })
    );
    let lan_json = body["stalls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stall"] == lan.stall.slug.as_str())
        .unwrap();
    assert_eq!(lan_json["external_ids"], serde_json::json!(["BH-7"]));
    assert_eq!(lan_json["sales"]["cashless_share_percent"], 91.8);
    let doc: serde_json::Value = api.get("/api/v1/openapi.json").await.json().await.unwrap();
    let schemas = &doc["components"]["schemas"];
    assert!(
        schemas["SegmentRow"]["properties"]["sales"].is_object(),
        "{schemas}"
    );
    for field in [
        "all",
        "cashless",
        "cash",
        "cashless_share_percent",
        "confirmed",
    ] {
        assert!(
            schemas["MonthSales"]["properties"][field].is_object(),
            "{field}"
        );
    }
    assert!(schemas["Confirmations"]["properties"]["bank"]["description"].is_string());
    assert!(schemas["Report"]["properties"]["stalls"].is_object());
}

#[tokio::test]
async fn a_transfer_at_the_stall_alone_makes_a_stall_transacting_and_cash_alone_does_not() {
    let app = spawn().await;
    let admin = app.admin().await;
    assert_eq!(admin.upload_registry(REGISTRY, false).await.status(), 303);
    let lan = bank_stall(&app, "0912400011", "payos").await;
    admin.link_entry(lan.stall.id, "BH-7").await.unwrap();
    let today = app.ports.clock.today().to_string();
    let transacting = || async {
        let page = admin.report(&today, "").await.unwrap();
        crate::support::registry::row(&page.report, "market:bac-ha").transacting
    };
    record(&lan.vendor, "20.000", SaleWay::Cash, 1).await;
    assert_eq!(transacting().await, 0, "cash is no cashless payment");
    let code = record(&lan.vendor, "30.000", SaleWay::Transfer, 2).await;
    assert_eq!(transacting().await, 0, "not paid yet");
    assert_eq!(lan.transfer(&app, 1, 30_000, &code).await, 200);
    assert_eq!(transacting().await, 1, "the bank reported the transfer");
}
