//! A transfer that named two orders or none is assigned by its vendor, by code: it then does
//! what it would have done naming that one alone, confirmed by the vendor, and only once.
use super::{BankStall, bank_stall};
use crate::support::TestApp;
use app::api::AppError;
use app::domain::bank_notice::CreditKind;
use app::domain::invalid::Invalid;
use app::domain::order::{OrderActor, OrderStatus};
use app::model::ReportedTransfer;

/// The stall's newest reported transfer.
async fn newest(app: &TestApp, stall: &BankStall) -> ReportedTransfer {
    stall.transfers(app).await.pop().unwrap()
}

async fn assign(
    stall: &BankStall,
    transfer: &ReportedTransfer,
    code: &str,
) -> Result<(), AppError> {
    let id = transfer.id.to_string();
    stall
        .vendor
        .call("/api/assign_transfer", &[("transfer", &id), ("code", code)])
        .await
}

fn refused_because(result: Result<(), AppError>) -> Invalid {
    match result {
        Err(AppError::Invalid(errors)) => errors.get("code").cloned().unwrap(),
        other => panic!("refused by field: {other:?}"),
    }
}

#[tokio::test]
async fn a_transfer_naming_no_order_pays_the_one_the_vendor_names_once() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912310000", "sepay").await;
    let (_, order) = stall.order(&app, "1").await;
    stall.transfer(&app, 1, 45_000, "chuyen tien man").await;
    let transfer = newest(&app, &stall).await;
    assert_eq!(transfer.kind, CreditKind::Unnamed);

    // A code the stall doesn't have is refused and changes nothing.
    let unknown = assign(&stall, &transfer, "DH2026999999").await;
    assert_eq!(refused_because(unknown), Invalid::NoSuchCode);
    assert_eq!(
        refused_because(assign(&stall, &transfer, " ").await),
        Invalid::Required
    );
    assert_eq!(
        stall.seen(&order.code).await.status,
        OrderStatus::AwaitingTransfer
    );

    assign(&stall, &transfer, &order.code.to_lowercase())
        .await
        .unwrap();
    let seen = stall.seen(&order.code).await;
    assert_eq!(seen.status, OrderStatus::Paid);
    assert_eq!(seen.history.last().unwrap().actor, OrderActor::Vendor);
    let now = newest(&app, &stall).await;
    assert_eq!(
        (now.kind, now.order_code.as_deref()),
        (CreditKind::Paid, Some(order.code.as_str()))
    );

    // Assigned once: again, or at once from two phones, is refused.
    let again = assign(&stall, &transfer, &order.code).await;
    assert_eq!(refused_because(again), Invalid::AlreadyAssigned);
}

#[tokio::test]
async fn two_assignments_at_once_pay_one_order_once() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912310010", "sepay").await;
    let (_, first) = stall.order(&app, "1").await;
    let (_, second) = stall.order(&app, "1").await;
    let purpose = format!("{} {}", first.code, second.code);
    stall.transfer(&app, 1, 45_000, &purpose).await;
    let transfer = newest(&app, &stall).await;
    assert_eq!(transfer.kind, CreditKind::Ambiguous);
    let (a, b) = tokio::join!(
        assign(&stall, &transfer, &first.code),
        assign(&stall, &transfer, &second.code)
    );
    assert!(a.is_ok() != b.is_ok(), "one wins: {a:?} {b:?}");
    let statuses = [
        stall.seen(&first.code).await.status,
        stall.seen(&second.code).await.status,
    ];
    let paid = statuses.iter().filter(|s| **s == OrderStatus::Paid).count();
    assert_eq!(paid, 1, "{statuses:?}");
}

#[tokio::test]
async fn money_assigned_to_an_order_that_expired_is_to_give_back() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912310020", "sepay").await;
    let (_, order) = stall.order(&app, "1").await;
    app.sweep(order.expires_at + chrono::TimeDelta::minutes(1))
        .await;
    stall.transfer(&app, 1, 45_000, "tien hang").await;
    let transfer = newest(&app, &stall).await;
    assign(&stall, &transfer, &order.code).await.unwrap();
    assert_eq!(stall.seen(&order.code).await.status, OrderStatus::Expired);
    let now = newest(&app, &stall).await;
    assert_eq!(
        (now.kind, now.figure.amount()),
        (CreditKind::Expired, 45_000)
    );
}

/// Assigned with the page's own form (posted by the browser, no JavaScript), the vendor comes
/// back to the transfers, which say it was assigned; opened afresh, they don't.
#[tokio::test]
async fn a_transfer_assigned_with_the_form_comes_back_saying_so() {
    let app = super::spawn().await;
    let stall = bank_stall(&app, "0912310020", "sepay").await;
    let (_, order) = stall.order(&app, "1").await;
    stall.transfer(&app, 1, 45_000, "chuyen tien man").await;
    let transfer = newest(&app, &stall).await;
    let id = transfer.id.to_string();
    let plain = [("accept", "text/html"), ("sec-fetch-site", "same-origin")];
    let res = stall
        .vendor
        .post_form_with(
            "/api/assign_transfer",
            &[("transfer", &id), ("code", &order.code)],
            &plain,
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(back, "/my/transfers?done=transfer-assigned");
    let said = "Đã gán khoản chuyển.";
    let page = stall.vendor.get(&back).await.text().await.unwrap();
    assert!(page.contains(said), "{back}");
    let page = stall
        .vendor
        .get("/my/transfers")
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains(said));
    assert_eq!(stall.seen(&order.code).await.status, OrderStatus::Paid);
}
