//! Stripe's webhooks: applied once however often and in whatever order they arrive; refused with a
//! bad or stale signature, and a genuine event replayed late refused until signed afresh.
use crate::support::TestApp;
use crate::support::cards::{card_checkout_across_two_stalls, post_webhook};
use app::domain::order::OrderStatus;

#[tokio::test]
async fn a_webhook_delivered_twice_or_out_of_order_is_applied_once() {
    let app = TestApp::spawn().await;
    let (shopper, a, _, card) = card_checkout_across_two_stalls(&app).await;
    // Hold the events, then let "expired" arrive before "completed".
    card.tell("hold").await;
    card.tell("sessions/{session}/complete").await;
    card.tell("sessions/{session}/expire").await;
    assert!(
        card.tell("deliver?order=reverse")
            .await
            .status()
            .is_success()
    );
    let paid = shopper.checkout(&card.token).await;
    assert!(
        paid.orders.iter().all(|o| o.status == OrderStatus::Paid),
        "a late payment revives expired orders: {:?}",
        paid.orders.iter().map(|o| o.status).collect::<Vec<_>>()
    );
    let stock = a
        .my_product(paid.orders[0].lines[0].product_id)
        .await
        .stock
        .unwrap()
        .steps();
    // Every delivery again, each with its own event id already applied: nothing changes.
    for event in card.events().await {
        let id = event["id"].as_str().unwrap();
        assert!(
            card.tell(&format!("events/{id}/redeliver"))
                .await
                .status()
                .is_success()
        );
    }
    let again = shopper.checkout(&card.token).await;
    assert_eq!(
        again.orders.iter().map(|o| o.status).collect::<Vec<_>>(),
        paid.orders.iter().map(|o| o.status).collect::<Vec<_>>()
    );
    assert_eq!(
        a.my_product(paid.orders[0].lines[0].product_id)
            .await
            .stock
            .unwrap()
            .steps(),
        stock,
        "stock taken once"
    );
    assert_eq!(
        a.stall_orders().await[0].history.len(),
        paid.orders[0].history.len()
    );
}

#[tokio::test]
async fn a_webhook_with_a_bad_or_stale_signature_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (shopper, _, _, card) = card_checkout_across_two_stalls(&app).await;
    let body = format!(
        r#"{{"id":"evt_forged","object":"event","type":"checkout.session.completed","data":{{"object":{{"client_reference_id":"{}","payment_status":"paid"}}}}}}"#,
        card.token
    );
    let http = reqwest::Client::new();
    let now = chrono::Utc::now().timestamp();
    for header in [
        String::new(),
        server::payments::signature::sign(body.as_bytes(), "whsec_not_ours", now),
        format!("t={now},v1=00"),
        // Signed with the right secret, but six minutes ago: a replay.
        server::payments::signature::sign(body.as_bytes(), &app.webhook_secret, now - 360),
    ] {
        let res = http
            .post(format!("{}/webhooks/stripe", app.base))
            .header("stripe-signature", header)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
    }
    assert!(
        shopper
            .checkout(&card.token)
            .await
            .orders
            .iter()
            .all(|o| o.status == OrderStatus::AwaitingPayment)
    );
}

#[tokio::test]
async fn a_genuine_event_replayed_late_is_refused_and_accepted_when_fresh() {
    let app = TestApp::spawn().await;
    let (shopper, _, _, card) = card_checkout_across_two_stalls(&app).await;
    // The stand-in's real event, kept from delivering it.
    let event = card.completed_but_held().await.to_string();
    let now = chrono::Utc::now().timestamp();
    assert_eq!(post_webhook(&app, &event, now - 301).await, 400);
    assert!(
        shopper
            .checkout(&card.token)
            .await
            .orders
            .iter()
            .all(|o| o.status == OrderStatus::AwaitingPayment)
    );
    assert_eq!(post_webhook(&app, &event, now).await, 200);
    assert!(
        shopper
            .checkout(&card.token)
            .await
            .orders
            .iter()
            .all(|o| o.status == OrderStatus::Paid)
    );
}

/// A correctly signed event whose payment charged another amount or currency than its orders
/// cost, or that comes from the other Stripe mode, pays nothing; the genuine one still does.
#[tokio::test]
async fn a_payment_of_another_amount_currency_or_mode_is_never_applied() {
    let app = TestApp::spawn().await;
    let (shopper, _, _, card) = card_checkout_across_two_stalls(&app).await;
    let genuine = card.completed_but_held().await;
    let app = &app;
    let post = |event: serde_json::Value| {
        let now = chrono::Utc::now().timestamp();
        let body = event.to_string();
        async move { post_webhook(app, &body, now).await }
    };
    let altered = |id: &str, change: &dyn Fn(&mut serde_json::Value)| {
        let mut event = genuine.clone();
        event["id"] = id.into();
        change(&mut event);
        event
    };
    let too_little = altered("evt_too_little", &|e| {
        e["data"]["object"]["amount_total"] = 1_000.into();
    });
    let dollars = altered("evt_dollars", &|e| {
        e["data"]["object"]["currency"] = "usd".into();
    });
    let live = altered("evt_live", &|e| e["livemode"] = true.into());
    // Acknowledged, so Stripe stops sending them, but not applied.
    assert_eq!(post(too_little).await, 200);
    assert_eq!(post(dollars).await, 200);
    assert_eq!(post(live).await, 400);
    let waiting = shopper.checkout(&card.token).await;
    assert!(
        waiting
            .orders
            .iter()
            .all(|o| o.status == OrderStatus::AwaitingPayment),
        "nothing paid"
    );
    card.tell("deliver").await;
    assert!(
        shopper
            .checkout(&card.token)
            .await
            .orders
            .iter()
            .all(|o| o.status == OrderStatus::Paid),
        "the genuine payment pays"
    );
}
