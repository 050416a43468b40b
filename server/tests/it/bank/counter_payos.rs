//! A stall linked to payOS collecting at the counter: each sale collected by transfer gets a
//! payOS payment link of its own, made once, whose QR the screen shows and whose notification
//! turns the screen green; less, more, after giving up, twice, never (caught by the sweep),
//! forged; given up, the link is cancelled at payOS; payOS out of reach shows the stall's own
//! code and is asked again later, not at every look at the screen.
use super::counter::{record, screen};
use super::payment_links::at_payos;
use super::{BankStall, CHECKSUM_KEY, bank_stall, control, post};
use crate::support::TestApp;
use app::domain::bank_notice::{BankService, CreditKind};
use app::domain::counter_sale::{SaleCode, SaleStatus, SaleWay};
use app::ports::{LinkedTo, PaymentLink, PaymentLinkRequest};
use serde_json::json;

/// The sale's payment link, as the app kept it.
async fn kept(app: &TestApp, stall: &BankStall, code: &str) -> Option<PaymentLink> {
    let to = LinkedTo::Sale(stall.stall.id, code.parse::<SaleCode>().unwrap());
    app.ports.bank.payment_link(to).await.unwrap()
}

async fn give_up(stall: &BankStall, code: &str) {
    stall
        .vendor
        .call(
            "/api/settle_counter_sale",
            &[("code", code), ("paid", "no"), ("confirmed", "yes")],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_sale_shows_payos_qr_made_once_and_turns_green_by_its_notification_once() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912310001", "payos").await;
    let code = record(&stall.vendor, "45.000", SaleWay::Transfer, 1)
        .await
        .unwrap();
    let shown = screen(&stall.vendor, &code).await.unwrap();
    assert_eq!(shown.linked, Some(BankService::PayOs));
    assert!(!shown.link_pending);
    let link = kept(&app, &stall, &code)
        .await
        .expect("made when the screen was first read");
    assert_eq!(
        (link.description.as_str(), link.amount.amount()),
        ("TQ0001", 45_000)
    );
    let qr = link.qr_code.clone().expect("payOS's QR");
    assert_eq!(
        shown.qr_svg,
        Some(app::service::payments::qr_svg(&qr).unwrap())
    );
    let payos_side = at_payos(&app, &stall, &code).await;
    assert_eq!(payos_side["id"], link.id.as_str());
    assert_eq!(payos_side["orderCode"], 900_000_001);
    assert_eq!(payos_side["status"], "PENDING");

    // Read again, and asked again after a lost answer: one link.
    screen(&stall.vendor, &code).await.unwrap();
    assert_eq!(kept(&app, &stall, &code).await, Some(link.clone()));
    let bank_link = app
        .ports
        .bank
        .link_of(stall.stall.id)
        .await
        .unwrap()
        .unwrap();
    let request = PaymentLinkRequest {
        order_code: code.clone(),
        amount: link.amount,
        order_page: format!("{}/stalls/{}", app.base, stall.stall.slug),
        expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
    };
    let again = app
        .ports
        .bank_services
        .payment_link(&bank_link, &request)
        .await
        .unwrap();
    assert_eq!(again.id, link.id, "payOS's duplicate answer finds the link");

    let paid = stall.pay(&app, 45_000, &link.description).await;
    assert_eq!(paid["status"], 200, "{paid}");
    let green = screen(&stall.vendor, &code).await.unwrap();
    assert_eq!(green.sale.status, SaleStatus::Paid);
    assert!(green.qr_svg.is_none());
    let redelivered = control(
        &app,
        &format!("redeliver/{}", paid["transfer_id"]),
        json!({}),
    )
    .await;
    assert_eq!(redelivered["status"], 200);
    assert_eq!(
        stall.outcomes(&app).await,
        [(CreditKind::Paid, Some(code))],
        "applied once"
    );
}

#[tokio::test]
async fn less_asks_for_the_rest_and_more_leaves_a_surplus_to_give_back() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912310002", "payos").await;
    let short = record(&stall.vendor, "45.000", SaleWay::Transfer, 1)
        .await
        .unwrap();
    let qr = screen(&stall.vendor, &short).await.unwrap().qr_svg;
    stall.pay(&app, 40_000, "TQ0001").await;
    let part = screen(&stall.vendor, &short).await.unwrap();
    assert_eq!(part.sale.status, SaleStatus::AwaitingTransfer);
    assert_eq!(part.sale.due().amount(), 5_000);
    assert_eq!(part.linked, Some(BankService::PayOs));
    assert!(
        part.qr_svg.is_some() && part.qr_svg != qr,
        "a code for the rest"
    );
    stall.pay(&app, 5_000, "TQ0001").await;
    let whole = screen(&stall.vendor, &short).await.unwrap();
    assert_eq!(whole.sale.status, SaleStatus::Paid);

    let over = record(&stall.vendor, "30.000", SaleWay::Transfer, 2)
        .await
        .unwrap();
    screen(&stall.vendor, &over).await.unwrap();
    stall.pay(&app, 50_000, "TQ0002").await;
    let paid = screen(&stall.vendor, &over).await.unwrap();
    assert_eq!(paid.sale.status, SaleStatus::Paid);
    assert_eq!(
        stall.outcomes(&app).await,
        [
            (CreditKind::PartPaid, Some(short.clone())),
            (CreditKind::Paid, Some(short)),
            (CreditKind::Overpaid, Some(over)),
        ]
    );
    let surplus = stall.transfers(&app).await[2].figure.amount();
    assert_eq!(surplus, 20_000, "to give back");
}

#[tokio::test]
async fn giving_up_cancels_the_link_and_money_after_it_is_to_give_back() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912310003", "payos").await;
    let code = record(&stall.vendor, "30.000", SaleWay::Transfer, 1)
        .await
        .unwrap();
    screen(&stall.vendor, &code).await.unwrap();
    give_up(&stall, &code).await;
    assert_eq!(at_payos(&app, &stall, &code).await["status"], "CANCELLED");
    assert!(
        app.ports
            .bank
            .payment_links_to_close(10)
            .await
            .unwrap()
            .is_empty(),
        "closed at once, not asked again by the sweep"
    );
    // The shopper had the code open and pays after all: payOS still reports it.
    let late = stall.pay(&app, 30_000, "TQ0001").await;
    assert_eq!(late["status"], 200, "{late}");
    let left = screen(&stall.vendor, &code).await.unwrap();
    assert_eq!(left.sale.status, SaleStatus::Cancelled, "never revived");
    assert_eq!(
        stall.outcomes(&app).await,
        [(CreditKind::Cancelled, Some(code))]
    );
}

#[tokio::test]
async fn a_lost_notification_is_caught_by_the_sweep_and_the_late_one_changes_nothing() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912310004", "payos").await;
    let code = record(&stall.vendor, "45.000", SaleWay::Transfer, 1)
        .await
        .unwrap();
    screen(&stall.vendor, &code).await.unwrap();
    control(&app, "hold", json!({})).await;
    stall.pay(&app, 45_000, "TQ0001").await;
    assert_eq!(
        screen(&stall.vendor, &code).await.unwrap().sale.status,
        SaleStatus::AwaitingTransfer
    );
    app.sweep(chrono::Utc::now()).await;
    assert_eq!(
        screen(&stall.vendor, &code).await.unwrap().sale.status,
        SaleStatus::Paid
    );
    let late = control(&app, "deliver", json!({})).await;
    assert_eq!(late[0]["status"], 200, "{late}");
    app.sweep(chrono::Utc::now()).await;
    assert_eq!(
        stall.outcomes(&app).await,
        [(CreditKind::Paid, Some(code))],
        "applied once"
    );
}

#[tokio::test]
async fn a_forged_notification_naming_a_sale_is_refused() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912310005", "payos").await;
    let code = record(&stall.vendor, "45.000", SaleWay::Transfer, 1)
        .await
        .unwrap();
    let signed = String::from_utf8(super::payos_body(1, 4_500, &code)).unwrap();
    assert!(signed.contains("\"orderCode\":900000001"), "{signed}");
    let forged = signed.replace("\"amount\":4500", "\"amount\":45000");
    assert_eq!(
        post(&app, "payos", &stall.token, forged.into_bytes(), vec![]).await,
        401
    );
    let mut data = json!({"orderCode": 900_000_001, "amount": 45_000, "description": "TQ0001",
        "reference": "FT1", "transactionDateTime": "2026-12-04 09:30:00",
        "paymentLinkId": "x", "code": "00"});
    let serde_json::Value::Object(map) = data.take() else {
        unreachable!()
    };
    let other_key = server::payments::bank::payos::sign_webhook(&CHECKSUM_KEY[1..], map);
    assert_eq!(
        post(&app, "payos", &stall.token, other_key, vec![]).await,
        401
    );
    assert_eq!(
        screen(&stall.vendor, &code).await.unwrap().sale.status,
        SaleStatus::AwaitingTransfer
    );
    assert!(stall.transfers(&app).await.is_empty());
}

#[tokio::test]
async fn payos_out_of_reach_shows_the_stalls_own_code_and_is_asked_again_later() {
    let (addr, _, server) = server::payments::bank_double::spawn(([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let clock = app::ports::Clock::set_at(chrono::Utc::now());
    let app = TestApp::spawn_with({
        let clock = clock.clone();
        move |s| {
            s.hold_limits.per_phone = 100;
            s.bank_api_url = Some(format!("http://{addr}"));
            s.clock = clock;
        }
    })
    .await;
    let stall = bank_stall(&app, "0912310006", "payos").await;
    server.abort();
    let _ = server.await;
    let code = record(&stall.vendor, "45.000", SaleWay::Transfer, 1)
        .await
        .unwrap();
    let shown = screen(&stall.vendor, &code).await.unwrap();
    assert!(shown.link_pending, "the screen says payOS has not answered");
    assert_eq!(shown.linked, None, "confirmed by hand meanwhile");
    assert!(shown.qr_svg.is_some(), "the stall's own code");
    assert_eq!(kept(&app, &stall, &code).await, None);

    // payOS is back; the screen, looking every two seconds, does not ask it at once.
    let (_, _, _) = server::payments::bank_double::spawn(addr).await.unwrap();
    super::open_account(&app, "payos", &stall.keys, &stall.token).await;
    assert!(screen(&stall.vendor, &code).await.unwrap().link_pending);
    assert_eq!(kept(&app, &stall, &code).await, None, "not asked again yet");

    clock.set(clock.now() + app::service::sale_links::ASK_AGAIN_AFTER);
    let shown = screen(&stall.vendor, &code).await.unwrap();
    assert_eq!(shown.linked, Some(BankService::PayOs));
    assert!(!shown.link_pending);
    let link = kept(&app, &stall, &code).await.expect("made now");
    stall.pay(&app, 45_000, &link.description).await;
    assert_eq!(
        screen(&stall.vendor, &code).await.unwrap().sale.status,
        SaleStatus::Paid
    );
}
