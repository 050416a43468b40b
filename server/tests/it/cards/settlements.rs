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
            &[
                ("stall_id", &id),
                ("amount", "100.001"),
                ("confirmed", "yes"),
            ],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid(_)),
        "never more than is owed"
    );
    // Money moved is asked twice: without the second button's answer nothing is recorded.
    assert_eq!(
        admin
            .call(
                "/api/record_settlement",
                &[("stall_id", &id), ("amount", "60.000")],
            )
            .await,
        Err(AppError::field(
            "confirmed",
            app::domain::invalid::Invalid::NotConfirmed
        ))
    );
    admin
        .call(
            "/api/record_settlement",
            &[
                ("stall_id", &id),
                ("amount", "60.000"),
                ("note", "UNC 0042"),
                ("confirmed", "yes"),
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
            &[
                ("stall_id", &plums.stall_id.to_string()),
                ("amount", "1"),
                ("confirmed", "yes"),
            ],
        )
        .await;
    assert!(
        matches!(settled, Err(AppError::Invalid(_))),
        "nothing to settle"
    );
}

/// Administrators record transfers to one stall at the same moment, eight at a time: however
/// the requests interleave, the stall is never paid more than it is owed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn administrators_settling_at_once_never_pay_out_more_than_is_owed() {
    let app = TestApp::spawn().await;
    let (_, a, _, card) = card_checkout_across_two_stalls(&app).await;
    assert_eq!(pay_on_page(&card.pay_page).await, 303);
    let stall = a.my_stall().await.unwrap().0.id;
    let first = app.admin().await;
    assert_eq!(owed_to_stalls(&first).await[&stall], 100_000);
    let mut admins = vec![first];
    for _ in 1..8 {
        let admin = app.anonymous();
        admin
            .log_in("admin@test.vn", crate::support::PASSWORD)
            .await
            .unwrap();
        admins.push(admin);
    }
    let id = stall.to_string();
    let mut accepted = 0;
    for _ in 0..3 {
        let mut settling = tokio::task::JoinSet::new();
        for admin in admins.drain(..) {
            let id = id.clone();
            settling.spawn(async move {
                let answer = admin
                    .call(
                        "/api/record_settlement",
                        &[
                            ("stall_id", &id),
                            ("amount", "30.000"),
                            ("confirmed", "yes"),
                        ],
                    )
                    .await;
                (admin, answer)
            });
        }
        while let Some(done) = settling.join_next().await {
            let (admin, answer) = done.unwrap();
            match answer {
                Ok(()) => accepted += 1,
                Err(AppError::Invalid(_)) => {}
                Err(other) => panic!("unexpected {other:?}"),
            }
            admins.push(admin);
        }
    }
    // Only three transfers of 30.000 ₫ fit in 100.000 ₫.
    assert_eq!(accepted, 3);
    assert_eq!(owed_to_stalls(&admins[0]).await[&stall], 10_000);
}
