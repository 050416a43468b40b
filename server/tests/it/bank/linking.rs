//! A vendor links payOS or SePay from the payment settings: the keys are checked as typed and
//! never come back out; the page gives the stall's own address, which then confirms transfers;
//! linking again moves the address, and unlinking closes it.
use super::{CHECKSUM_KEY, SEPAY_SECRET, payos_body, post, sepay_delivery};
use crate::support::Visitor;
use app::api::AppError;
use app::api::bank::BankLinkView;
use app::domain::invalid::Invalid;
use app::domain::order::OrderStatus;

async fn link(vendor: &Visitor, form: &[(&str, &str)]) -> Result<(), AppError> {
    vendor.call("/api/link_bank_service", form).await
}

async fn linked(vendor: &Visitor) -> Option<BankLinkView> {
    vendor.call_json("/api/my_bank_link", &[]).await.unwrap()
}

/// The token at the end of the address the page shows.
fn token(view: &BankLinkView) -> String {
    view.address.rsplit('/').next().unwrap().to_string()
}

#[tokio::test]
async fn a_linked_address_confirms_transfers_and_the_keys_never_come_back() {
    let app = super::spawn().await;
    let stall = super::bank_stall(&app, "0912400001", "sepay").await;
    app.ports.bank.unlink(stall.stall.id).await.unwrap();
    let vendor = &stall.vendor;
    assert_eq!(linked(vendor).await, None);
    let refused = link(vendor, &[("service", "payos"), ("keys[api_key]", "a b")]).await;
    let Err(AppError::Invalid(errors)) = refused else {
        panic!("{refused:?}")
    };
    assert_eq!(errors.get("client_id"), Some(&Invalid::Required));
    assert_eq!(errors.get("api_key"), Some(&Invalid::Unknown));
    assert_eq!(linked(vendor).await, None, "nothing half-saved");

    // The vendor's own payOS account, whose keys the check finds good.
    let keys = server::payments::bank_keys::BankKeys::PayOs {
        client_id: "client-1".into(),
        api_key: "api-key-1".into(),
        checksum_key: CHECKSUM_KEY.into(),
    };
    super::open_account(&app, "payos", &keys, "elsewhere").await;
    let payos = [
        ("service", "payos"),
        ("keys[client_id]", "client-1"),
        ("keys[api_key]", "api-key-1"),
        ("keys[checksum_key]", CHECKSUM_KEY),
    ];
    link(vendor, &payos).await.unwrap();
    let view = linked(vendor).await.unwrap();
    assert_eq!(view.service.slug(), "payos");
    assert!(
        view.address
            .starts_with(&format!("{}/hooks/payos/", app.base)),
        "{}",
        view.address
    );
    let page = vendor.get("/my/payments").await.text().await.unwrap();
    assert!(page.contains(&view.address));
    let json = vendor
        .post_form("/api/my_bank_link", &[])
        .await
        .text()
        .await
        .unwrap();
    for secret in [CHECKSUM_KEY, "api-key-1"] {
        assert!(
            !page.contains(secret) && !json.contains(secret),
            "{secret} shown again"
        );
    }

    let (_, order) = stall.order(&app, "1").await;
    let first = token(&view);
    assert_eq!(
        post(
            &app,
            "payos",
            &first,
            payos_body(1, 45_000, &order.code),
            vec![]
        )
        .await,
        200
    );
    assert_eq!(stall.seen(&order.code).await.status, OrderStatus::Paid);

    // Linked again (now to SePay): a new address; the old one answers nothing.
    let sepay = [
        ("service", "sepay"),
        ("keys[webhook_secret]", SEPAY_SECRET),
        ("keys[api_token]", "TOKEN0912400001"),
    ];
    link(vendor, &sepay).await.unwrap();
    let view = linked(vendor).await.unwrap();
    assert_ne!(token(&view), first);
    let (_, next) = stall.order(&app, "1").await;
    assert_eq!(
        post(
            &app,
            "payos",
            &first,
            payos_body(2, 45_000, &next.code),
            vec![]
        )
        .await,
        404
    );
    let now = app.ports.clock.now().timestamp();
    let (body, headers) = sepay_delivery(3, 45_000, &next.code, now);
    assert_eq!(
        post(&app, "sepay", &token(&view), body.clone(), headers.clone()).await,
        200
    );
    assert_eq!(stall.seen(&next.code).await.status, OrderStatus::Paid);

    // Unlinked, only with the confirmation: then the address is gone.
    let unlink = vendor.call("/api/unlink_bank_service", &[]).await;
    assert!(unlink.is_err(), "not without confirming");
    vendor
        .call("/api/unlink_bank_service", &[("confirmed", "yes")])
        .await
        .unwrap();
    assert_eq!(linked(vendor).await, None);
    assert_eq!(post(&app, "sepay", &token(&view), body, headers).await, 404);
}

/// Linked with the page's own form (posted by the browser, no JavaScript), the vendor comes
/// back to the payment settings, which say the keys were kept; opened afresh, they don't.
#[tokio::test]
async fn a_link_made_with_the_form_comes_back_saying_so() {
    let app = super::spawn().await;
    let stall = super::bank_stall(&app, "0912400009", "sepay").await;
    app.ports.bank.unlink(stall.stall.id).await.unwrap();
    let keys = server::payments::bank_keys::BankKeys::PayOs {
        client_id: "client-9".into(),
        api_key: "api-key-9".into(),
        checksum_key: CHECKSUM_KEY.into(),
    };
    super::open_account(&app, "payos", &keys, "elsewhere").await;
    let plain = [("accept", "text/html"), ("sec-fetch-site", "same-origin")];
    let form = [
        ("service", "payos"),
        ("keys[client_id]", "client-9"),
        ("keys[api_key]", "api-key-9"),
        ("keys[checksum_key]", CHECKSUM_KEY),
    ];
    let res = stall
        .vendor
        .post_form_with("/api/link_bank_service", &form, &plain)
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(back, "/my/payments?done=bank-linked");
    let said = "Các khoá được cất kín và sẽ không hiện lại";
    let page = stall.vendor.get(&back).await.text().await.unwrap();
    assert!(page.contains(said), "{back}");
    let page = stall.vendor.get("/my/payments").await.text().await.unwrap();
    assert!(!page.contains(said));
    assert!(linked(&stall.vendor).await.is_some());
}
