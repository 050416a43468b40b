//! A notification that is not the stall's service's changes nothing: a bad signature, an
//! unknown address, the address of a stall linked to the other service, a stale SePay
//! delivery.
use super::{BankStall, CHECKSUM_KEY, SEPAY_SECRET, bank_stall, payos_body, post, sepay_delivery};
use crate::support::TestApp;
use app::domain::order::OrderStatus;
use server::payments::bank::sepay;

async fn unchanged(app: &TestApp, stall: &BankStall, code: &str) {
    assert_eq!(stall.seen(code).await.status, OrderStatus::AwaitingTransfer);
    assert!(stall.transfers(app).await.is_empty());
}

#[tokio::test]
async fn a_payos_notification_with_a_bad_signature_or_address_is_refused() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912300001", "payos").await;
    let (_, order) = stall.order(&app, "1").await;
    // The amount changed after signing.
    let signed = String::from_utf8(payos_body(1, 4_500, &order.code)).unwrap();
    let forged = signed
        .replace("\"amount\":4500", "\"amount\":45000")
        .into_bytes();
    assert_ne!(forged, signed.as_bytes());
    assert_eq!(post(&app, "payos", &stall.token, forged, vec![]).await, 401);
    let body = payos_body(1, 45_000, &order.code);
    assert_eq!(
        post(&app, "payos", "no-such-token", body.clone(), vec![]).await,
        404
    );
    // A SePay stall's address under payOS: not found.
    let sepay_stall = bank_stall(&app, "0912300002", "sepay").await;
    assert_eq!(
        post(&app, "payos", &sepay_stall.token, body, vec![]).await,
        404
    );
    assert_eq!(
        post(&app, "payos", &stall.token, b"{}".to_vec(), vec![]).await,
        401
    );
    unchanged(&app, &stall, &order.code).await;
    assert!(!CHECKSUM_KEY.is_empty());
}

#[tokio::test]
async fn a_sepay_notification_with_a_bad_signature_or_a_stale_time_is_refused() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912300003", "sepay").await;
    let (_, order) = stall.order(&app, "1").await;
    let now = app.ports.clock.now().timestamp();
    let (body, _) = sepay_delivery(1, 45_000, &order.code, now);
    let (ts, sig) = sepay::signed_headers("another-secret", &body, now);
    let wrong_secret = vec![("x-sepay-timestamp", ts), ("x-sepay-signature", sig)];
    assert_eq!(
        post(&app, "sepay", &stall.token, body.clone(), wrong_secret).await,
        401
    );
    let (ts, sig) = sepay::signed_headers(SEPAY_SECRET, &body, now - 3_600);
    let stale = vec![("x-sepay-timestamp", ts), ("x-sepay-signature", sig)];
    assert_eq!(
        post(&app, "sepay", &stall.token, body.clone(), stale).await,
        401
    );
    assert_eq!(
        post(&app, "sepay", &stall.token, body.clone(), vec![]).await,
        401
    );
    assert_eq!(post(&app, "sepay", "0000", body, vec![]).await, 404);
    unchanged(&app, &stall, &order.code).await;
}
