//! Payments whose webhook never came: the sweep asks Stripe (here its stand-in) for the
//! checkout's session, and applies a payment that did arrive before its orders expire; the
//! webhook coming late changes nothing more; an order whose session can't be looked up is not
//! expired while that might refund a payment made in time.
use crate::support::TestApp;
use crate::support::cards::{card_checkout_across_two_stalls, owed_to_stalls};
use app::domain::order::OrderStatus;
use chrono::{Duration, Utc};

/// The statuses of the checkout's orders, as its shopper sees them.
async fn statuses(shopper: &crate::support::Visitor, token: &str) -> Vec<OrderStatus> {
    let view = shopper.checkout(token).await;
    view.orders.iter().map(|o| o.status).collect()
}

#[tokio::test]
async fn a_payment_whose_webhook_never_came_is_applied_before_its_orders_expire() {
    let app = TestApp::spawn().await;
    let (shopper, _, _, card) = card_checkout_across_two_stalls(&app).await;
    // The shopper pays; the webhook is lost (held, as a wrong secret or an outage would).
    card.completed_but_held().await;
    let view = shopper.checkout(&card.token).await;
    let runs_out = view.orders.iter().map(|o| o.expires_at).min().unwrap();
    assert_eq!(
        statuses(&shopper, &card.token).await,
        [OrderStatus::AwaitingPayment; 2]
    );
    // The last sweep before its orders run out.
    let expired = app.sweep(runs_out - Duration::seconds(30)).await;
    assert_eq!(expired, 0);
    assert_eq!(
        statuses(&shopper, &card.token).await,
        [OrderStatus::Paid; 2],
        "paid by reconciliation"
    );
    let admin = app.admin().await;
    let owed = owed_to_stalls(&admin).await;
    assert_eq!(owed.values().sum::<i64>(), 2 * 50_000 + 300_000);
    let kinds: Vec<_> = super::alerts::alerts(&admin)
        .await
        .iter()
        .map(|a| a.kind)
        .collect();
    assert_eq!(
        kinds,
        [app::domain::payment_alert::AlertKind::MissedWebhook],
        "a missed webhook is a misconfiguration to look into"
    );
    // The webhook arrives after all, and a later sweep runs: nothing is applied twice.
    card.tell("deliver").await;
    assert_eq!(app.sweep(runs_out + Duration::minutes(5)).await, 0);
    assert_eq!(
        statuses(&shopper, &card.token).await,
        [OrderStatus::Paid; 2]
    );
    assert_eq!(owed_to_stalls(&admin).await, owed, "credited once");
}

#[tokio::test]
async fn a_sweep_finds_a_paid_session_long_before_its_orders_run_out() {
    let app = TestApp::spawn().await;
    let (shopper, _, _, card) = card_checkout_across_two_stalls(&app).await;
    // A first look while the shopper is still on the payment page: nothing to apply.
    app.sweep(Utc::now()).await;
    assert_eq!(
        statuses(&shopper, &card.token).await,
        [OrderStatus::AwaitingPayment; 2]
    );
    card.completed_but_held().await;
    // Looked up again only after a while: the webhook normally comes within seconds.
    app.sweep(Utc::now() + Duration::minutes(1)).await;
    assert_eq!(
        statuses(&shopper, &card.token).await,
        [OrderStatus::AwaitingPayment; 2]
    );
    app.sweep(Utc::now() + Duration::minutes(11)).await;
    assert_eq!(
        statuses(&shopper, &card.token).await,
        [OrderStatus::Paid; 2]
    );
}

#[tokio::test]
async fn an_order_whose_session_cannot_be_looked_up_waits_before_it_expires() {
    let app = TestApp::spawn().await;
    let (shopper, _, _, card) = card_checkout_across_two_stalls(&app).await;
    card.completed_but_held().await;
    let runs_out = shopper
        .checkout(&card.token)
        .await
        .orders
        .iter()
        .map(|o| o.expires_at)
        .min()
        .unwrap();
    card.tell("outage").await;
    assert_eq!(
        app.sweep(runs_out + Duration::minutes(1)).await,
        0,
        "the payment may have come: its stock stays held"
    );
    card.tell("outage/end").await;
    app.sweep(runs_out + Duration::minutes(2)).await;
    assert_eq!(
        statuses(&shopper, &card.token).await,
        [OrderStatus::Paid; 2],
        "paid as soon as Stripe answers"
    );
}

#[tokio::test]
async fn an_order_whose_session_stays_unknown_expires_an_hour_late() {
    let app = TestApp::spawn().await;
    let (shopper, _, _, card) = card_checkout_across_two_stalls(&app).await;
    let runs_out = shopper
        .checkout(&card.token)
        .await
        .orders
        .iter()
        .map(|o| o.expires_at)
        .max()
        .unwrap();
    card.tell("outage").await;
    assert_eq!(app.sweep(runs_out + Duration::minutes(30)).await, 0);
    assert_eq!(app.sweep(runs_out + Duration::minutes(61)).await, 2);
    assert_eq!(
        statuses(&shopper, &card.token).await,
        [OrderStatus::Expired; 2]
    );
}
