//! Money collected at the stall: a sale whose VietQR code the vendor shows is paid by the
//! bank's word through either service, part-paid, or money to give back once given up; a
//! transfer through the printed placard becomes a sale of its own; cash is recorded once
//! however often the form is posted; and the dashboard counts both, cash apart.
use super::bank_stall;
use crate::support::Visitor;
use app::api::collect::{CounterDesk, SaleScreen};
use app::api::sales::SalesSummary;
use app::domain::bank_notice::CreditKind;
use app::domain::counter_sale::{SaleStatus, SaleWay};
use app::domain::invalid::Invalid;

const SERVICES: [&str; 2] = ["payos", "sepay"];

/// A fresh form token, as the collect page gives one.
fn submission(n: u32) -> String {
    format!("{n:032x}")
}

/// The vendor records a sale of `amount` paid `way`, with the form token `n`; its code.
pub(super) async fn record(
    vendor: &Visitor,
    amount: &str,
    way: SaleWay,
    n: u32,
) -> Result<String, app::api::AppError> {
    let next: String = vendor
        .call_json(
            "/api/record_counter_sale",
            &[
                ("amount", amount),
                ("way", way.slug()),
                ("submission", &submission(n)),
            ],
        )
        .await?;
    Ok(next.rsplit(['/', '=']).next().unwrap().to_string())
}

pub(super) async fn screen(vendor: &Visitor, code: &str) -> Result<SaleScreen, app::api::AppError> {
    vendor
        .call_json("/api/collect_screen", &[("code", code)])
        .await
}

#[tokio::test]
async fn the_code_shown_at_the_stall_is_paid_by_the_banks_word() {
    let app = super::spawn().await;
    for (i, service) in SERVICES.into_iter().enumerate() {
        let stall = bank_stall(&app, &format!("091230000{i}"), service).await;
        let code = record(&stall.vendor, "45.000", SaleWay::Transfer, 1)
            .await
            .unwrap();
        assert_eq!(code, "TQ0001");
        let shown = screen(&stall.vendor, &code).await.unwrap();
        assert_eq!(shown.sale.status, SaleStatus::AwaitingTransfer);
        assert!(shown.qr_svg.is_some(), "{service}: a code to scan");
        // SePay reports the stall's own code, payOS the payment link it made for the sale.
        assert_eq!(shown.linked.map(|s| s.slug()), Some(service));
        assert!(!shown.link_pending);

        let purpose = format!("{} chuyen tien", code.to_lowercase());
        assert_eq!(stall.transfer(&app, 1, 45_000, &purpose).await, 200);
        let paid = screen(&stall.vendor, &code).await.unwrap();
        assert_eq!(paid.sale.status, SaleStatus::Paid, "{service}");
        assert!(paid.qr_svg.is_none(), "nothing more to scan");
        // Reported again, it changes nothing.
        assert_eq!(stall.transfer(&app, 1, 45_000, &purpose).await, 200);
        assert_eq!(stall.outcomes(&app).await, [(CreditKind::Paid, Some(code))]);
    }
}

#[tokio::test]
async fn less_asks_for_the_rest_and_money_for_a_sale_given_up_is_to_give_back() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912300010", "sepay").await;
    let code = record(&stall.vendor, "45000", SaleWay::Transfer, 1)
        .await
        .unwrap();
    stall.transfer(&app, 1, 40_000, &code).await;
    let part = screen(&stall.vendor, &code).await.unwrap();
    assert_eq!(part.sale.status, SaleStatus::AwaitingTransfer);
    assert_eq!(part.sale.received.amount(), 40_000);
    assert_eq!(part.sale.due().amount(), 5_000);
    stall.transfer(&app, 2, 5_000, &code).await;
    assert_eq!(
        screen(&stall.vendor, &code).await.unwrap().sale.status,
        SaleStatus::Paid
    );

    let given_up = record(&stall.vendor, "30.000", SaleWay::Transfer, 2)
        .await
        .unwrap();
    stall
        .vendor
        .call(
            "/api/settle_counter_sale",
            &[("code", &given_up), ("paid", "no"), ("confirmed", "yes")],
        )
        .await
        .unwrap();
    stall.transfer(&app, 3, 30_000, &given_up).await;
    let left = screen(&stall.vendor, &given_up).await.unwrap();
    assert_eq!(left.sale.status, SaleStatus::Cancelled, "never revived");
    assert_eq!(
        stall.outcomes(&app).await,
        [
            (CreditKind::PartPaid, Some(code.clone())),
            (CreditKind::Paid, Some(code)),
            (CreditKind::Cancelled, Some(given_up)),
        ]
    );
}

#[tokio::test]
async fn a_transfer_through_the_placard_becomes_a_sale_of_its_own() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912300020", "sepay").await;
    record(&stall.vendor, "10.000", SaleWay::Cash, 1)
        .await
        .unwrap();
    stall.transfer(&app, 1, 30_000, "TQ0000 Tra tien rau").await;
    let desk: CounterDesk = stall
        .vendor
        .call_json("/api/collect_page", &[])
        .await
        .unwrap();
    let newest = &desk.today[0];
    assert_eq!(newest.code.to_string(), "TQ0002");
    assert_eq!(
        (newest.way, newest.status),
        (SaleWay::Transfer, SaleStatus::Paid)
    );
    assert_eq!(newest.amount.amount(), 30_000);
    assert_eq!(
        stall.outcomes(&app).await,
        [(CreditKind::Paid, Some("TQ0002".into()))]
    );
}

#[tokio::test]
async fn cash_is_recorded_once_and_counted_apart_from_cashless() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912300030", "sepay").await;
    // The same form, tapped twice.
    let first = record(&stall.vendor, "55.000", SaleWay::Cash, 7)
        .await
        .unwrap();
    let again = record(&stall.vendor, "55.000", SaleWay::Cash, 7)
        .await
        .unwrap();
    assert_eq!(first, again);
    let code = record(&stall.vendor, "45.000", SaleWay::Transfer, 8)
        .await
        .unwrap();
    stall.transfer(&app, 1, 45_000, &code).await;
    let (_, order) = stall.order(&app, "1").await;
    stall.transfer(&app, 2, 45_000, &order.code).await;

    let (_, summary): (serde_json::Value, SalesSummary) = stall
        .vendor
        .call_json("/api/stall_orders", &[])
        .await
        .unwrap();
    let today = summary.today;
    assert_eq!((today.all.value.amount(), today.all.count), (145_000, 3));
    assert_eq!((today.cash.value.amount(), today.cash.count), (55_000, 1));
    assert_eq!(
        (today.in_person.value.amount(), today.in_person.count),
        (100_000, 2)
    );
    assert_eq!(
        (today.online.value.amount(), today.online.count),
        (45_000, 1)
    );
    assert_eq!(today.cashless.value.amount(), 90_000);
    assert_eq!(today.cashless_share_tenths(), Some(621), "62.1 %");
}

#[tokio::test]
async fn a_bad_amount_is_refused_by_name_and_a_sale_is_its_stalls_alone() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912300040", "sepay").await;
    let refused = record(&stall.vendor, "45,5", SaleWay::Cash, 1).await;
    let Err(app::api::AppError::Invalid(errors)) = refused else {
        panic!("refused by field: {refused:?}")
    };
    assert_eq!(errors.get("amount"), Some(&Invalid::NotANumber));
    let desk: CounterDesk = stall
        .vendor
        .call_json("/api/collect_page", &[])
        .await
        .unwrap();
    assert!(desk.today.is_empty(), "nothing half-saved");

    let code = record(&stall.vendor, "20.000", SaleWay::Transfer, 2)
        .await
        .unwrap();
    let other = bank_stall(&app, "0912300041", "sepay").await;
    assert!(matches!(
        screen(&other.vendor, &code).await,
        Err(app::api::AppError::NotFound)
    ));
    // Another stall's notification naming the code pays nothing here.
    other.transfer(&app, 1, 20_000, &code).await;
    let still = screen(&stall.vendor, &code).await.unwrap();
    assert_eq!(still.sale.status, SaleStatus::AwaitingTransfer);
}

#[tokio::test]
async fn a_vendor_without_a_reporting_service_confirms_by_hand_once() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912300050", "payos").await;
    let code = record(&stall.vendor, "45.000", SaleWay::Transfer, 1)
        .await
        .unwrap();
    let settle = |paid: &'static str, confirmed: &'static str| {
        let code = code.clone();
        let vendor = &stall.vendor;
        async move {
            vendor
                .call(
                    "/api/settle_counter_sale",
                    &[("code", &code), ("paid", paid), ("confirmed", confirmed)],
                )
                .await
        }
    };
    // Not confirmed: nothing changes.
    assert!(settle("yes", "").await.is_err());
    assert_eq!(
        screen(&stall.vendor, &code).await.unwrap().sale.status,
        SaleStatus::AwaitingTransfer
    );
    settle("yes", "yes").await.unwrap();
    // A second tap, or a give-up from a stale screen, leaves it paid.
    settle("yes", "yes").await.unwrap();
    settle("no", "yes").await.unwrap();
    let paid = screen(&stall.vendor, &code).await.unwrap().sale;
    assert_eq!(paid.status, SaleStatus::Paid);
    assert!(paid.paid_at.is_some());
}

#[tokio::test]
async fn two_taps_at_once_record_one_sale_and_two_sales_at_once_two_codes() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912300060", "sepay").await;
    let (a, b) = tokio::join!(
        record(&stall.vendor, "30.000", SaleWay::Cash, 1),
        record(&stall.vendor, "30.000", SaleWay::Cash, 1)
    );
    assert_eq!(a.unwrap(), b.unwrap(), "the same form, once");
    let (c, d) = tokio::join!(
        record(&stall.vendor, "10.000", SaleWay::Cash, 2),
        record(&stall.vendor, "20.000", SaleWay::Cash, 3)
    );
    assert_ne!(c.unwrap(), d.unwrap());
    let desk: CounterDesk = stall
        .vendor
        .call_json("/api/collect_page", &[])
        .await
        .unwrap();
    let total: i64 = desk.today.iter().map(|s| s.amount.amount()).sum();
    assert_eq!((desk.today.len(), total), (3, 60_000));
}
