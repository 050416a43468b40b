//! The card money the platform owes each stall: owed until an administrator records its transfer
//! (never more than is owed), and no longer owed once refunded.
use crate::support::TestApp;
use crate::support::cards::{card_checkout_across_two_stalls, owed_to_stalls, pay_on_page};
use app::api::AppError;

#[tokio::test]
async fn card_money_is_owed_to_the_stall_until_an_administrator_records_its_transfer() {
    let app = TestApp::spawn().await;
    let (_, a, _, card) = card_checkout_across_two_stalls(&app).await;
    reqwest::Client::new()
        .post(format!("{}/pay", card.pay_page))
        .send()
        .await
        .unwrap();
    let admin = app.admin().await;
    let balances: Vec<app::model::StallBalance> =
        admin.call_json("/api/stall_balances", &[]).await.unwrap();
    let stall_a = a.my_stall().await.unwrap().0.id;
    let owed = balances.iter().find(|b| b.stall_id == stall_a).unwrap();
    assert_eq!(owed.owed.amount(), 100_000, "2 kg × 50.000 ₫");
    let id = stall_a.to_string();
    let err = admin
        .call(
            "/api/record_settlement",
            &[("stall_id", &id), ("amount", "100.001")],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid(_)),
        "never more than is owed"
    );
    admin
        .call(
            "/api/record_settlement",
            &[
                ("stall_id", &id),
                ("amount", "60.000"),
                ("note", "UNC 0042"),
            ],
        )
        .await
        .unwrap();
    let after: Vec<app::model::StallBalance> =
        admin.call_json("/api/stall_balances", &[]).await.unwrap();
    assert_eq!(
        after
            .iter()
            .find(|b| b.stall_id == stall_a)
            .unwrap()
            .owed
            .amount(),
        40_000
    );
}

/// Cancelling a card-paid order takes back what the ledger owed its stall for it — the sale
/// less the platform's fee — in the same step, so nobody settles money that went back.
#[tokio::test]
async fn a_refunded_card_order_is_no_longer_owed_to_its_stall() {
    let app = TestApp::spawn_with(|settings| {
        settings.platform_fee = app::domain::order::PlatformFee { basis_points: 250 };
    })
    .await;
    let (_, a, b, card) = card_checkout_across_two_stalls(&app).await;
    assert_eq!(pay_on_page(&card.pay_page).await, 303);
    let plums = a.stall_orders().await.remove(0);
    let tea_stall = b.my_stall().await.unwrap().0.id;
    let admin = app.admin().await;
    let owed = owed_to_stalls(&admin).await;
    assert_eq!(owed[&plums.stall_id], 97_500, "100.000 ₫ less 2.5 %");
    assert_eq!(owed[&tea_stall], 292_500);

    a.move_order(plums.id, "cancel").await.unwrap();
    let owed = owed_to_stalls(&admin).await;
    assert_eq!(owed[&plums.stall_id], 0, "refunded, so no longer owed");
    assert_eq!(owed[&tea_stall], 292_500, "the other stall's sale stands");
    // Stripe's word on the refund, repeated, takes nothing more.
    for event in card.events().await {
        let id = event["id"].as_str().unwrap();
        card.tell(&format!("events/{id}/redeliver")).await;
    }
    assert_eq!(owed_to_stalls(&admin).await[&plums.stall_id], 0);
    let settled = admin
        .call(
            "/api/record_settlement",
            &[("stall_id", &plums.stall_id.to_string()), ("amount", "1")],
        )
        .await;
    assert!(
        matches!(settled, Err(AppError::Invalid(_))),
        "nothing to settle"
    );
}
