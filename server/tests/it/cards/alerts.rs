//! What went wrong with Stripe's word shows: `/healthz` turns `degraded` with counts, and the
//! administrators' page lists it; a run of forged webhooks is written once a minute, not once
//! a request.
use crate::support::cards::{card_checkout_across_two_stalls, post_webhook};
use crate::support::{TestApp, Visitor};
use app::domain::payment_alert::AlertKind;
use app::model::PaymentAlert;

async fn health(app: &TestApp) -> serde_json::Value {
    let res = app.anonymous().get("/healthz").await;
    assert_eq!(
        res.status(),
        200,
        "payments never take the site out of rotation"
    );
    res.json().await.unwrap()
}

pub async fn alerts(admin: &Visitor) -> Vec<PaymentAlert> {
    admin.call_json("/api/payment_alerts", &[]).await.unwrap()
}

#[tokio::test]
async fn forged_webhooks_make_the_health_check_degraded_and_are_written_once_a_minute() {
    let app = TestApp::spawn().await;
    assert_eq!(health(&app).await["status"], "ok");
    let forged = r#"{"id":"evt_forged","type":"checkout.session.completed"}"#;
    for _ in 0..30 {
        let signature = server::payments::signature::sign(
            forged.as_bytes(),
            "whsec_guessed",
            chrono::Utc::now().timestamp(),
        );
        let status = reqwest::Client::new()
            .post(format!("{}/webhooks/stripe", app.base))
            .header("stripe-signature", signature)
            .body(forged)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 400);
    }
    let body = health(&app).await;
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["payments"]["bad_signature"], 30);
    let admin = app.admin().await;
    let written = alerts(&admin).await;
    assert_eq!(
        written.len(),
        1,
        "the first at once, the rest counted for a minute"
    );
    assert_eq!(written[0].kind, AlertKind::BadSignature);
    assert_eq!(written[0].count, 1);
    // The page names the kind in the administrator's language.
    let page = admin.get("/admin").await.text().await.unwrap();
    assert!(page.contains("Webhook có chữ ký sai"), "{page}");
}

#[tokio::test]
async fn a_payment_of_another_amount_is_an_alert_with_its_session() {
    let app = TestApp::spawn().await;
    let (_, _, _, card) = card_checkout_across_two_stalls(&app).await;
    let mut event = card.completed_but_held().await;
    event["data"]["object"]["amount_total"] = 1_000.into();
    let now = chrono::Utc::now().timestamp();
    assert_eq!(post_webhook(&app, &event.to_string(), now).await, 200);
    let written = alerts(&app.admin().await).await;
    assert_eq!(written.len(), 1);
    assert_eq!(written[0].kind, AlertKind::Mismatch);
    let session = card.pay_page.rsplit('/').next().unwrap();
    assert_eq!(written[0].reference.as_deref(), Some(session));
    assert!(
        written[0].detail.contains("charged 1000 vnd"),
        "{}",
        written[0].detail
    );
    assert_eq!(health(&app).await["payments"]["mismatch"], 1);
}
