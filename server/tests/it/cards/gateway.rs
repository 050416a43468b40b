//! The Stripe adapter against the Stripe test double, with a small receiver standing in for the
//! app's webhook endpoint: what the app will rely on, end to end over HTTP. Sessions first (in
//! whole đồng, one per attempt, paid, declined, expired), then the events (redelivered,
//! refunds, held and delivered out of order), then live keys, outages and bad input.
use crate::support::stripe_double::{
    SECRET_KEY, SHOP, WEBHOOK_SECRET, World, checkout, line, serve, settings,
};
use app::domain::id::OrderId;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use server::payments::{
    CheckoutRequest, EventPayload, PaymentError, SessionStatus, SettingsError, StripeGateway,
    StripeSettings,
};
use tokio::net::TcpListener;

#[tokio::test]
async fn a_checkout_charges_whole_dong() {
    let world = World::new().await;
    let session = world
        .gateway
        .create_checkout(checkout(
            "chk_amount",
            1,
            vec![line("Thịt trâu gác bếp — 0,5 kg", 150_000, 1)],
        ))
        .await
        .unwrap();
    assert_eq!(
        session.amount_total,
        Some(150_000),
        "never ×100: VND is zero-decimal"
    );
    assert_eq!(session.status, SessionStatus::Open);
    assert!(!session.paid);
    assert_eq!(session.payment_intent, None);
    assert_eq!(session.client_reference_id.as_deref(), Some("chk_amount"));
    let url = session.url.clone().unwrap();
    assert!(url.starts_with(&format!("{}/pay/cs_test_", world.double.base_url())));

    // What the double holds is what Stripe would: currency, metadata, every line as sent.
    let raw: Value = world
        .browser
        .get(format!(
            "{}/v1/checkout/sessions/{}",
            world.double.base_url(),
            session.id
        ))
        .bearer_auth(SECRET_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["currency"], "vnd");
    assert_eq!(raw["mode"], "payment");
    assert_eq!(
        raw["metadata"],
        json!({"checkout_id": "chk_amount", "order_ids": "7,8"})
    );
    assert_eq!(
        session.order_ids,
        Some(vec![OrderId::new(7), OrderId::new(8)]),
        "the orders it charges"
    );
    assert_eq!(
        world.gateway.retrieve_checkout(&session.id).await.unwrap(),
        session
    );

    let two_lines = world
        .gateway
        .create_checkout(checkout(
            "chk_lines",
            1,
            vec![
                line("Chè Shan Tuyết", 120_000, 1),
                line("Rượu ngô Bắc Hà", 45_000, 2),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(two_lines.amount_total, Some(210_000));
}

#[tokio::test]
async fn the_same_attempt_gives_the_same_session() {
    let world = World::new().await;
    let request = checkout("chk_retry", 1, vec![line("Táo mèo", 80_000, 1)]);
    let first = world
        .gateway
        .create_checkout(request.clone())
        .await
        .unwrap();
    let again = world
        .gateway
        .create_checkout(request.clone())
        .await
        .unwrap();
    assert_eq!(again.id, first.id);

    let next_attempt = CheckoutRequest {
        attempt: 2,
        ..request.clone()
    };
    let second = world.gateway.create_checkout(next_attempt).await.unwrap();
    assert_ne!(second.id, first.id);

    // The same key for a different cart is Stripe's idempotency error, a refusal.
    let changed = CheckoutRequest {
        lines: vec![line("Táo mèo", 90_000, 1)],
        ..request
    };
    assert!(matches!(
        world.gateway.create_checkout(changed).await,
        Err(PaymentError::Rejected(_))
    ));
}

#[tokio::test]
async fn paying_on_the_hosted_page_delivers_a_signed_completed_event() {
    let world = World::new().await;
    let session = world
        .gateway
        .create_checkout(checkout(
            "chk_pay",
            1,
            vec![line("Chè Shan Tuyết", 150_000, 1)],
        ))
        .await
        .unwrap();
    let url = session.url.unwrap();

    let page = world.browser.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("150.000\u{a0}₫"), "{html}");
    assert!(html.contains("Thanh toán / Pay") && html.contains("Từ chối / Decline"));
    assert!(
        html.contains(&format!(
            r#"<a class="back" href="{SHOP}/checkout/chk_pay">"#
        )),
        "a way back to the shop that leaves the session open: {html}"
    );

    let paid = world
        .browser
        .post(format!("{url}/pay"))
        .send()
        .await
        .unwrap();
    assert_eq!(paid.status(), 303);
    assert_eq!(
        paid.headers()["location"],
        format!("{SHOP}/checkout/chk_pay/paid?session={}", session.id).as_str()
    );

    let deliveries = world.received.all();
    assert_eq!(deliveries.len(), 1);
    let event = deliveries[0].verified_event();
    assert_eq!(event.event_type, "checkout.session.completed");
    let EventPayload::CheckoutCompleted(completed) = &event.payload else {
        panic!("{event:?}");
    };
    assert_eq!(completed.id, session.id);
    assert!(completed.paid);
    assert_eq!(completed.status, SessionStatus::Complete);
    assert_eq!(completed.amount_total, Some(150_000));
    assert_eq!(completed.client_reference_id.as_deref(), Some("chk_pay"));
    assert!(
        completed
            .payment_intent
            .as_deref()
            .unwrap()
            .starts_with("pi_")
    );

    // async-stripe's own webhook verifier and typed event accept the very same delivery.
    let typed = stripe_webhook::Webhook::construct_event(
        std::str::from_utf8(&deliveries[0].body).unwrap(),
        &deliveries[0].signature,
        WEBHOOK_SECRET,
    )
    .expect("async-stripe accepts the delivery");
    assert_eq!(typed.id.as_str(), event.id);
    let stripe_webhook::EventObject::CheckoutSessionCompleted(typed_session) = typed.data.object
    else {
        panic!("not a typed checkout.session.completed");
    };
    assert_eq!(typed_session.amount_total, Some(150_000));

    let settled = world.gateway.retrieve_checkout(&session.id).await.unwrap();
    assert_eq!(settled.status, SessionStatus::Complete);
    assert!(settled.paid);
    assert_eq!(settled.payment_intent, completed.payment_intent);
    assert_eq!(settled.url, None);

    // The page now says so, and paying twice is refused.
    let again = world
        .browser
        .post(format!("{url}/pay"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 400);
    assert_eq!(world.received.all().len(), 1);
}

#[tokio::test]
async fn declining_expires_the_session_and_returns_to_the_shop() {
    let world = World::new().await;
    let session = world
        .gateway
        .create_checkout(checkout(
            "chk_decline",
            1,
            vec![line("Nấm hương", 60_000, 1)],
        ))
        .await
        .unwrap();
    let declined = world
        .browser
        .post(format!("{}/decline", session.url.unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(declined.status(), 303);
    assert_eq!(
        declined.headers()["location"],
        format!("{SHOP}/checkout/chk_decline").as_str()
    );
    let event = world.received.all()[0].verified_event();
    let EventPayload::CheckoutExpired(expired) = event.payload else {
        panic!("{event:?}");
    };
    assert_eq!(expired.status, SessionStatus::Expired);
    assert!(!expired.paid);
    assert_eq!(expired.payment_intent, None);
}

#[tokio::test]
async fn an_expired_session_takes_no_more_payments() {
    let world = World::new().await;
    let expires_at = chrono::Utc::now().timestamp() + 45 * 60;
    let session = world
        .gateway
        .create_checkout(CheckoutRequest {
            expires_at: Some(expires_at),
            ..checkout("chk_expire", 1, vec![line("Mật ong", 120_000, 1)])
        })
        .await
        .unwrap();
    let url = session.url.clone().unwrap();
    let raw: Value = world
        .browser
        .get(format!(
            "{}/v1/checkout/sessions/{}",
            world.double.base_url(),
            session.id
        ))
        .bearer_auth(SECRET_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["expires_at"], expires_at, "made to expire when asked");

    let expired = world.gateway.expire_checkout(&session.id).await.unwrap();
    assert_eq!(expired.status, SessionStatus::Expired);
    assert_eq!(expired.url, None);
    assert!(!expired.paid);
    let event = world.received.all()[0].verified_event();
    let EventPayload::CheckoutExpired(reported) = event.payload else {
        panic!("{event:?}");
    };
    assert_eq!(reported.id, session.id);
    assert_eq!(
        reported.order_ids,
        Some(vec![OrderId::new(7), OrderId::new(8)])
    );

    // The hosted page says so and refuses to take the money.
    let page = world.browser.get(&url).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("expired"));
    let pay = world
        .browser
        .post(format!("{url}/pay"))
        .send()
        .await
        .unwrap();
    assert_eq!(pay.status(), 400);
    assert!(
        matches!(
            world.gateway.expire_checkout(&session.id).await,
            Err(PaymentError::Rejected(_))
        ),
        "only an open session can be expired"
    );
    assert_eq!(world.received.all().len(), 1);
}

#[tokio::test]
async fn a_redelivery_repeats_the_same_event_id() {
    let world = World::new().await;
    world.paid_checkout("chk_twice", 100_000).await;
    let first = world.received.all()[0].verified_event();

    let res = world
        .post_double(&format!("/_double/events/{}/redeliver", first.id))
        .await;
    assert_eq!(res.status(), 200);
    let deliveries = world.received.all();
    assert_eq!(deliveries.len(), 2);
    assert_eq!(deliveries[1].verified_event(), first);

    let unknown = world
        .post_double("/_double/events/evt_nope/redeliver")
        .await;
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn a_refund_delivers_charge_refunded_once_per_key() {
    let world = World::new().await;
    let payment_intent = world.paid_checkout("chk_refund", 200_000).await;

    let partial = world
        .gateway
        .refund(&payment_intent, Some(50_000), "refund-chk_refund-1")
        .await
        .unwrap();
    assert_eq!(partial.amount, 50_000);
    assert_eq!(partial.status.as_deref(), Some("succeeded"));
    let repeated = world
        .gateway
        .refund(&payment_intent, Some(50_000), "refund-chk_refund-1")
        .await
        .unwrap();
    assert_eq!(repeated.id, partial.id, "the same key never refunds twice");

    let rest = world
        .gateway
        .refund(&payment_intent, None, "refund-chk_refund-2")
        .await
        .unwrap();
    assert_eq!(rest.amount, 150_000);

    let refunds: Vec<_> = world
        .received
        .all()
        .iter()
        .map(|delivery| delivery.verified_event())
        .filter_map(|event| match event.payload {
            EventPayload::ChargeRefunded(charge) => Some(charge),
            _ => None,
        })
        .collect();
    assert_eq!(refunds.len(), 2);
    assert_eq!(refunds[0].amount_refunded, 50_000);
    assert!(!refunds[0].fully_refunded);
    assert_eq!(refunds[1].amount_refunded, 200_000);
    assert!(refunds[1].fully_refunded);
    assert_eq!(
        refunds[1].payment_intent.as_deref(),
        Some(payment_intent.as_str())
    );

    // async-stripe's typed event parses the refunded charge too.
    let last = world.received.all().pop().unwrap();
    let typed = stripe_webhook::Webhook::construct_event(
        std::str::from_utf8(&last.body).unwrap(),
        &last.signature,
        WEBHOOK_SECRET,
    )
    .unwrap();
    assert!(matches!(
        typed.data.object,
        stripe_webhook::EventObject::ChargeRefunded(_)
    ));

    let too_much = world
        .gateway
        .refund(&payment_intent, None, "refund-chk_refund-3")
        .await;
    assert!(
        matches!(too_much, Err(PaymentError::Rejected(_))),
        "{too_much:?}"
    );
}

#[tokio::test]
async fn held_events_can_arrive_out_of_order() {
    let world = World::new().await;
    assert_eq!(world.post_double("/_double/hold").await.status(), 204);
    let payment_intent = world.paid_checkout("chk_order", 90_000).await;
    world
        .gateway
        .refund(&payment_intent, None, "refund-chk_order")
        .await
        .unwrap();
    assert!(world.received.all().is_empty(), "held");

    let released = world.post_double("/_double/deliver?order=reverse").await;
    assert_eq!(released.status(), 200);
    assert_eq!(
        world.received.event_types(),
        ["charge.refunded", "checkout.session.completed"]
    );

    // The event log lists them as they happened, newest last.
    let log: Value = world
        .browser
        .get(format!("{}/_double/events", world.double.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let types: Vec<&str> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["checkout.session.completed", "charge.refunded"]);
}

#[tokio::test]
async fn a_live_key_is_refused() {
    assert_eq!(
        StripeGateway::new(&settings("sk_live_123", None)).unwrap_err(),
        SettingsError::LiveKeyRefused
    );
    let allowed = StripeSettings {
        allow_live: true,
        ..settings("sk_live_123", None)
    };
    assert!(StripeGateway::new(&allowed).is_ok());

    // The double itself only answers test keys.
    let world = World::new().await;
    let refused = world
        .browser
        .post(format!("{}/v1/checkout/sessions", world.double.base_url()))
        .bearer_auth("sk_live_123")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error");
    let anonymous = world
        .browser
        .get(format!(
            "{}/v1/checkout/sessions/cs_test_x",
            world.double.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn an_unreachable_api_base_is_unreachable() {
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap()
    };
    let gateway =
        StripeGateway::new(&settings(SECRET_KEY, Some(&format!("http://{closed}")))).unwrap();
    let outcome = gateway
        .create_checkout(checkout(
            "chk_offline",
            1,
            vec![line("Gạo Séng Cù", 50_000, 1)],
        ))
        .await;
    assert!(
        matches!(outcome, Err(PaymentError::Unreachable(_))),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_stripe_outage_is_unreachable_and_bad_input_is_rejected() {
    let outage = serve(Router::new().route(
        "/v1/checkout/sessions/{id}",
        get(|| async {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"error": {"type": "api_error", "message": "Stripe is down"}})),
            )
        }),
    ))
    .await;
    let gateway = StripeGateway::new(&settings(SECRET_KEY, Some(&outage))).unwrap();
    assert!(matches!(
        gateway.retrieve_checkout("cs_test_x").await,
        Err(PaymentError::Unreachable(_))
    ));

    let world = World::new().await;
    assert!(matches!(
        world.gateway.retrieve_checkout("cs_test_unknown").await,
        Err(PaymentError::Rejected(message)) if message.contains("No such checkout.session")
    ));
    let unknown_endpoint = world
        .browser
        .get(format!("{}/v1/customers", world.double.base_url()))
        .bearer_auth(SECRET_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown_endpoint.status(), 404);
    let body: Value = unknown_endpoint.json().await.unwrap();
    assert_eq!(
        body["error"]["message"],
        "Unrecognized request URL (GET: /v1/customers)."
    );
    let too_soon = CheckoutRequest {
        expires_at: Some(chrono::Utc::now().timestamp() + 60),
        ..checkout("chk_soon", 1, vec![line("Mận Bắc Hà", 70_000, 1)])
    };
    assert!(matches!(
        world.gateway.create_checkout(too_soon).await,
        Err(PaymentError::Rejected(_))
    ));
}
