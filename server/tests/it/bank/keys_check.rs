//! The keys a vendor types are tried on the service itself before anything is stored: payOS
//! with an authenticated read, SePay with its API token. Keys the service refuses, or a
//! service out of reach, leave the stall as it was, with a message under the right field.
use super::{CHECKSUM_KEY, SEPAY_SECRET};
use crate::support::Visitor;
use app::api::AppError;
use app::domain::invalid::{FieldErrors, Invalid};

async fn refused(vendor: &Visitor, form: &[(&str, &str)]) -> FieldErrors {
    match vendor.call("/api/link_bank_service", form).await {
        Err(AppError::Invalid(errors)) => errors,
        other => panic!("not refused: {other:?}"),
    }
}

#[tokio::test]
async fn payos_keys_payos_refuses_are_refused_and_nothing_is_stored() {
    let app = super::spawn().await;
    let stall = super::bank_stall(&app, "0912500001", "payos").await;
    app.ports.bank.unlink(stall.stall.id).await.unwrap();
    let form = |api_key: &'static str| {
        [
            ("service", "payos"),
            ("keys[client_id]", "client-0912500001"),
            ("keys[api_key]", api_key),
            ("keys[checksum_key]", CHECKSUM_KEY),
        ]
    };
    let errors = refused(&stall.vendor, &form("api-wrong")).await;
    assert_eq!(errors.get("api_key"), Some(&Invalid::KeysRefused));
    let link = app.ports.bank.link_of(stall.stall.id).await.unwrap();
    assert_eq!(link, None, "nothing stored");

    stall
        .vendor
        .call("/api/link_bank_service", &form("api-0912500001"))
        .await
        .unwrap();
    let link = app.ports.bank.link_of(stall.stall.id).await.unwrap();
    assert_eq!(link.unwrap().service.slug(), "payos");
}

#[tokio::test]
async fn a_sepay_token_sepay_refuses_is_refused_and_nothing_is_stored() {
    let app = super::spawn().await;
    let stall = super::bank_stall(&app, "0912500002", "sepay").await;
    app.ports.bank.unlink(stall.stall.id).await.unwrap();
    let form = |token: &'static str| {
        [
            ("service", "sepay"),
            ("keys[webhook_secret]", SEPAY_SECRET),
            ("keys[api_token]", token),
        ]
    };
    let errors = refused(&stall.vendor, &form("TOKENWRONG")).await;
    assert_eq!(errors.get("api_token"), Some(&Invalid::KeysRefused));
    let missing = refused(
        &stall.vendor,
        &[("service", "sepay"), ("keys[webhook_secret]", SEPAY_SECRET)],
    )
    .await;
    assert_eq!(missing.get("api_token"), Some(&Invalid::Required));
    assert_eq!(app.ports.bank.link_of(stall.stall.id).await.unwrap(), None);

    stall
        .vendor
        .call("/api/link_bank_service", &form("TOKEN0912500002"))
        .await
        .unwrap();
    assert!(
        app.ports
            .bank
            .link_of(stall.stall.id)
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_service_out_of_reach_stores_nothing_and_says_to_try_again() {
    // Nothing listens on port 9 (discard) of this machine.
    let app = super::spawn_calling("http://127.0.0.1:9").await;
    let (vendor, stall) = app.approved_vendor("0912500003", "bac-ha").await;
    for form in [
        vec![
            ("service", "payos"),
            ("keys[client_id]", "client"),
            ("keys[api_key]", "api"),
            ("keys[checksum_key]", CHECKSUM_KEY),
        ],
        vec![
            ("service", "sepay"),
            ("keys[webhook_secret]", SEPAY_SECRET),
            ("keys[api_token]", "TOKEN"),
        ],
    ] {
        let errors = refused(&vendor, &form).await;
        assert_eq!(errors.get("service"), Some(&Invalid::ServiceUnreachable));
        assert_eq!(app.ports.bank.link_of(stall.id).await.unwrap(), None);
    }
}

#[tokio::test]
async fn sepay_keys_linked_before_the_token_still_work_and_the_page_asks_for_it() {
    use server::payments::bank_keys::{BankKeys, SealedKeys};
    let app = super::spawn().await;
    let stall = super::bank_stall(&app, "0912500004", "sepay").await;
    assert!(!view(&stall.vendor).await.needs_api_token);
    // Sealed as keys were before the token was asked for.
    let old = BankKeys::SePay {
        webhook_secret: SEPAY_SECRET.into(),
        api_token: None,
    };
    let mut link = app
        .ports
        .bank
        .link_of(stall.stall.id)
        .await
        .unwrap()
        .unwrap();
    link.sealed_keys = old.seal(&app.sealing);
    app.ports.bank.link(&link).await.unwrap();
    assert!(view(&stall.vendor).await.needs_api_token);
    let page = stall.vendor.get("/my/payments").await.text().await.unwrap();
    assert!(
        page.contains("Hãy nhập thêm API Token của SePay"),
        "the page asks for it"
    );
    // Its notifications still pay orders, and the sweep passes it by.
    let (_, order) = stall.order(&app, "1").await;
    assert_eq!(stall.transfer(&app, 1, 45_000, &order.code).await, 200);
    assert_eq!(stall.seen(&order.code).await.status.slug(), "paid");
    let (_, waiting) = stall.order(&app, "1").await;
    app.sweep(chrono::Utc::now()).await;
    assert_eq!(
        stall.seen(&waiting.code).await.status.slug(),
        "awaiting_transfer"
    );
}

async fn view(vendor: &Visitor) -> app::api::bank::BankLinkView {
    let view: Option<app::api::bank::BankLinkView> =
        vendor.call_json("/api/my_bank_link", &[]).await.unwrap();
    view.unwrap()
}
