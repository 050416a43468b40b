//! A VietQR order of a payOS stall gets payOS's payment link and QR when it is placed, made
//! once however often it is asked for; its page shows payOS's QR and payment page, a SePay
//! stall's its own code. A payOS out of reach never stops a checkout, and an order that ends
//! unpaid has its link cancelled at payOS.
use super::{BankStall, double};
use crate::support::TestApp;
use app::domain::id::OrderId;
use app::ports::{LinkedTo, PaymentLink, PaymentLinkRequest};
use server::payments::bank::payos;
use server::payments::bank_keys::BankKeys;

async fn kept(app: &TestApp, order: OrderId) -> Option<PaymentLink> {
    app.ports
        .bank
        .payment_link(LinkedTo::Order(order))
        .await
        .unwrap()
}

/// The link as payOS (the stand-in) shows it to the stall.
pub(super) async fn at_payos(app: &TestApp, stall: &BankStall, code: &str) -> serde_json::Value {
    let BankKeys::PayOs {
        client_id, api_key, ..
    } = &stall.keys
    else {
        unreachable!()
    };
    let number = payos::payos_order_code(code).unwrap();
    let answer: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/v2/payment-requests/{number}", double(app)))
        .header("x-client-id", client_id)
        .header("x-api-key", api_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["data"].clone()
}

#[tokio::test]
async fn a_payos_order_gets_its_link_and_qr_once() {
    let app = super::spawn().await;
    let stall = super::bank_stall(&app, "0912600001", "payos").await;
    let shopper = app.anonymous();
    shopper.add_to_cart(stall.plums, "1").await.unwrap();
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    let order = shopper.checkout(&token).await.orders.remove(0);
    let link = kept(&app, order.id)
        .await
        .expect("made when the order was placed");
    assert_eq!(link.description, payos::description(&order.code));
    assert!(link.description.len() <= payos::MAX_DESCRIPTION_CHARS);
    assert_eq!(link.amount.amount(), 45_000);
    let checkout_url = link.checkout_url.clone().unwrap();
    assert!(checkout_url.starts_with(&double(&app)), "{checkout_url}");
    let payos_side = at_payos(&app, &stall, &order.code).await;
    assert_eq!(payos_side["id"], link.id.as_str());
    assert_eq!(payos_side["status"], "PENDING");

    // The page shows payOS's QR, its purpose and its payment page.
    let view = shopper.checkout(&token).await;
    let code = &view.transfer_codes[0];
    assert_eq!(Some(&code.payload), link.qr_code.as_ref());
    assert_eq!(code.pay_url.as_deref(), Some(checkout_url.as_str()));
    assert_eq!(code.reference.as_deref(), Some(link.description.as_str()));
    let page = shopper
        .get(&format!("/checkout/{token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&html_escape(&checkout_url)),
        "the pay-on-payOS link"
    );
    assert_eq!(
        kept(&app, order.id).await,
        Some(link.clone()),
        "read, not made again"
    );

    // Asked again (a retry after a lost answer): payOS refuses a second link for the order,
    // and the one it has is found.
    let bank_link = app
        .ports
        .bank
        .link_of(stall.stall.id)
        .await
        .unwrap()
        .unwrap();
    let request = PaymentLinkRequest {
        order_code: order.code.clone(),
        amount: order.total,
        order_page: format!("{}/checkout/{token}", app.base),
        expires_at: order.expires_at,
    };
    let again = app
        .ports
        .bank_services
        .payment_link(&bank_link, &request)
        .await
        .unwrap();
    assert_eq!(again.id, link.id);
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
}

#[tokio::test]
async fn a_sepay_order_keeps_the_stalls_own_qr_with_its_code_first() {
    let app = super::spawn().await;
    let stall = super::bank_stall(&app, "0912600002", "sepay").await;
    let (token, order) = stall.order(&app, "1").await;
    assert_eq!(kept(&app, order.id).await, None);
    let view = app.anonymous().checkout(&token).await;
    let code = &view.transfer_codes[0];
    assert_eq!(
        (code.pay_url.as_ref(), code.reference.as_ref()),
        (None, None)
    );
    assert!(
        code.payload.contains(&format!("{} ", order.code)),
        "{}",
        code.payload
    );
}

#[tokio::test]
async fn a_payos_out_of_reach_never_stops_a_checkout_and_the_link_comes_later() {
    let (addr, _, server) = server::payments::bank_double::spawn(([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let app = super::spawn_calling(&format!("http://{addr}")).await;
    let stall = super::bank_stall(&app, "0912600003", "payos").await;
    server.abort();
    let _ = server.await;
    let (token, order) = stall.order(&app, "1").await;
    let code = app
        .anonymous()
        .checkout(&token)
        .await
        .transfer_codes
        .remove(0);
    assert_eq!(code.pay_url, None, "the stall's own QR meanwhile");
    assert!(code.payload.contains(&order.code));
    assert_eq!(kept(&app, order.id).await, None);

    // payOS is back (the same address, its accounts as they were): the page makes the link.
    let (_, _, _) = server::payments::bank_double::spawn(addr).await.unwrap();
    super::open_account(&app, "payos", &stall.keys, &stall.token).await;
    let code = app
        .anonymous()
        .checkout(&token)
        .await
        .transfer_codes
        .remove(0);
    let link = kept(&app, order.id)
        .await
        .expect("made when the page was read");
    assert_eq!(code.pay_url, link.checkout_url);
}

#[tokio::test]
async fn an_order_that_ends_unpaid_has_its_link_cancelled_at_payos() {
    let app = super::spawn().await;
    let stall = super::bank_stall(&app, "0912600004", "payos").await;
    let (_, expired) = stall.order(&app, "1").await;
    let (_, cancelled) = stall.order(&app, "1").await;
    let (_, paid) = stall.order(&app, "1").await;
    stall
        .vendor
        .move_order(cancelled.id, "cancel")
        .await
        .unwrap();
    stall
        .pay(
            &app,
            45_000,
            &kept(&app, paid.id).await.unwrap().description,
        )
        .await;
    assert_eq!(at_payos(&app, &stall, &paid.code).await["status"], "PAID");
    // Only the first expires: the others are cancelled or paid.
    app.sweep(expired.expires_at + chrono::Duration::minutes(1))
        .await;
    assert_eq!(stall.seen(&expired.code).await.status.slug(), "expired");
    for order in [&expired, &cancelled] {
        assert_eq!(
            at_payos(&app, &stall, &order.code).await["status"],
            "CANCELLED",
            "{}",
            order.code
        );
    }
    assert_eq!(at_payos(&app, &stall, &paid.code).await["status"], "PAID");
    assert!(
        app.ports
            .bank
            .payment_links_to_close(10)
            .await
            .unwrap()
            .is_empty(),
        "closed once"
    );
    // A late payment into a cancelled link pays nothing: payOS keeps it for the order, and
    // the app gives it back.
    let late = stall
        .pay(
            &app,
            45_000,
            &kept(&app, expired.id).await.unwrap().description,
        )
        .await;
    assert_eq!(late["status"], 200);
    assert_eq!(stall.seen(&expired.code).await.status.slug(), "expired");
}
