//! Card money going back: a vendor cancelling a card-paid order refunds it and restocks; a
//! payment arriving for an order cancelled meanwhile, or after its orders expired, is refunded
//! exactly and takes no stock.
use crate::support::TestApp;
use crate::support::cards::{
    cancel_by_link, card_checkout_across_two_stalls, charged_and_refunded, owed_to_stalls,
    pay_on_page,
};
use app::domain::order::{OrderActor, OrderStatus};

#[tokio::test]
async fn a_vendor_cancelling_a_card_paid_order_refunds_it_and_restocks() {
    let app = TestApp::spawn().await;
    let (shopper, a, _, card) = card_checkout_across_two_stalls(&app).await;
    reqwest::Client::new()
        .post(format!("{}/pay", card.pay_page))
        .send()
        .await
        .unwrap();
    let order = a.stall_orders().await.remove(0);
    assert_eq!(order.status, OrderStatus::Paid);
    a.move_order(order.id, "cancel").await.unwrap();
    assert!(
        card.events()
            .await
            .iter()
            .any(|e| e["type"] == "charge.refunded"),
        "refunded through the processor"
    );
    let after = shopper.checkout(&card.token).await;
    assert!(
        after
            .orders
            .iter()
            .any(|o| o.id == order.id && o.status == OrderStatus::Cancelled)
    );
    assert_eq!(
        a.my_product(order.lines[0].product_id)
            .await
            .stock
            .unwrap()
            .steps(),
        100,
        "the stock came back: 10 kg in 0.1 kg steps"
    );
}

/// The shopper pays on the page just as they cancel stall A's order: Stripe's word arrives
/// after the cancellation. Stall B's order is paid; A's 100.000 ₫ go back, A stays cancelled
/// with its stock on sale, and its history says what happened.
#[tokio::test]
async fn a_payment_arriving_for_a_cancelled_order_refunds_exactly_that_order() {
    let app = TestApp::spawn().await;
    let (shopper, a, b, card) = card_checkout_across_two_stalls(&app).await;
    let plums = a.stall_orders().await.remove(0);
    card.tell("hold").await;
    assert_eq!(pay_on_page(&card.pay_page).await, 303);
    cancel_by_link(&shopper, &card.token, plums.id).await;
    let plum = plums.lines[0].product_id;
    assert_eq!(
        a.my_product(plum).await.stock.unwrap().steps(),
        100,
        "the cancelled plums are on sale again"
    );
    assert!(card.tell("deliver").await.status().is_success());

    let after = shopper.checkout(&card.token).await;
    let status = |id| after.orders.iter().find(|o| o.id == id).unwrap().status;
    assert_eq!(status(plums.id), OrderStatus::Cancelled, "never paid");
    assert_eq!(status(b.stall_orders().await[0].id), OrderStatus::Paid);
    assert_eq!(
        a.my_product(plum).await.stock.unwrap().steps(),
        100,
        "no stock taken again"
    );
    assert_eq!(
        charged_and_refunded(&card).await,
        (vec![400_000], vec![100_000]),
        "exactly the cancelled order's amount went back"
    );
    let history = &a.stall_orders().await[0].history;
    assert_eq!(
        history.last().map(|e| (e.to, e.actor)),
        Some((OrderStatus::Cancelled, OrderActor::PaymentProvider)),
        "the refunded payment is in the order's history"
    );
    let owed = owed_to_stalls(&app.admin().await).await;
    assert_eq!(owed.get(&plums.stall_id).copied().unwrap_or(0), 0);
    assert_eq!(owed[&b.my_stall().await.unwrap().0.id], 300_000);
    // Stripe repeating the events changes nothing and refunds nothing twice.
    for event in card.events().await {
        let id = event["id"].as_str().unwrap();
        card.tell(&format!("events/{id}/redeliver")).await;
    }
    assert_eq!(charged_and_refunded(&card).await.1, vec![100_000]);
}

/// A payment made after the orders expired never revives them: their stock may be sold
/// again, so the whole payment goes back. (Stripe was down while they expired, so their
/// session could be neither looked up nor closed, and took the payment once back.)
#[tokio::test]
async fn a_payment_arriving_after_the_orders_expired_is_refunded_and_takes_no_stock() {
    let app = TestApp::spawn().await;
    let (shopper, a, b, card) = card_checkout_across_two_stalls(&app).await;
    card.tell("outage").await;
    let much_later = chrono::Utc::now() + chrono::Duration::hours(3);
    assert_eq!(app.sweep(much_later).await, 2);
    card.tell("outage/end").await;
    assert_eq!(pay_on_page(&card.pay_page).await, 303);

    let after = shopper.checkout(&card.token).await;
    assert!(
        after
            .orders
            .iter()
            .all(|o| o.status == OrderStatus::Expired)
    );
    assert_eq!(after.total.amount(), 0);
    let (charged, refunded) = charged_and_refunded(&card).await;
    assert_eq!(charged, [400_000]);
    assert_eq!(refunded.len(), 2, "one refund per order: {refunded:?}");
    assert_eq!(refunded.last(), Some(&400_000), "all of it went back");
    for (vendor, full) in [(&a, 100), (&b, 40)] {
        let product = vendor.stall_orders().await[0].lines[0].product_id;
        assert_eq!(
            vendor.my_product(product).await.stock.unwrap().steps(),
            full,
            "all the stock is on sale again"
        );
    }
    let owed = owed_to_stalls(&app.admin().await).await;
    assert!(owed.values().all(|owed| *owed == 0), "{owed:?}");
}

/// An order with a reference for refunds to point at: a transfer order of a fresh stall.
async fn some_order(app: &TestApp) -> app::model::Order {
    let (vendor, product) = app
        .transfer_vendor("0912400001", "sa-pa", ("Mận", "30.000", ""))
        .await;
    let buyer = app.anonymous();
    buyer.add_to_cart(product, "1").await.unwrap();
    buyer.place_order("vietqr", &[]).await.unwrap();
    vendor.stall_orders().await.remove(0)
}

/// Writes a refund owed, as a cancellation or a late payment would, for a payment the
/// processor doesn't know: every try is refused.
async fn owe_unknown_payment(app: &TestApp, order: &app::model::Order) {
    use sea_orm::{ActiveModelTrait, Set};
    let db = server::db::connect(&app.settings.database_url)
        .await
        .unwrap();
    server::db::entities::card_refund::ActiveModel {
        order_id: Set(order.id.get()),
        payment_intent: Set("pi_nobody_knows".into()),
        amount: Set(order.total.amount()),
        idempotency_key: Set(format!("refund-pi_nobody_knows-order-{}", order.id)),
        requested_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
}

/// Two workers sweeping at once, round after round: one refund is only ever claimed by one
/// of them, so it is never sent twice.
#[tokio::test]
async fn two_refund_workers_never_claim_the_same_refund() {
    use sea_orm::{EntityTrait, sea_query::Expr};
    use server::db::entities::card_refund;
    let app = TestApp::spawn().await;
    let order = some_order(&app).await;
    owe_unknown_payment(&app, &order).await;
    let db = server::db::connect(&app.settings.database_url)
        .await
        .unwrap();
    // A claim for another order's refund leaves this one alone.
    let elsewhere = app::domain::id::OrderId::new(order.id.get() + 1);
    let until = chrono::Utc::now() + chrono::Duration::minutes(5);
    let claimed = app.ports.orders.claim_refunds(until, 10, Some(elsewhere));
    assert!(claimed.await.unwrap().is_empty());
    for round in 0..40 {
        let until = chrono::Utc::now() + chrono::Duration::minutes(5);
        let (one, two) = tokio::join!(
            app.ports.orders.claim_refunds(until, 10, None),
            app.ports.orders.claim_refunds(until, 10, None)
        );
        let claimed = one.unwrap().len() + two.unwrap().len();
        assert_eq!(claimed, 1, "round {round}");
        // The lease runs out, as if the worker died: the next round may claim it again.
        card_refund::Entity::update_many()
            .col_expr(
                card_refund::Column::ClaimedUntil,
                Expr::value(None::<chrono::DateTime<chrono::Utc>>),
            )
            .exec(&db)
            .await
            .unwrap();
    }
}

/// A refund the processor refuses is tried again with longer waits, then given up on and
/// shown to the administrators with the processor's reason; it is never retried forever.
#[tokio::test]
async fn a_refund_the_processor_keeps_refusing_is_given_up_and_shown_to_administrators() {
    use app::domain::order::REFUND_TRIES;
    use app::service::payments::make_refunds;
    let clock = app::ports::Clock::set_at(chrono::Utc::now());
    let app = TestApp::spawn_with(|settings| settings.clock = clock.clone()).await;
    let order = some_order(&app).await;
    owe_unknown_payment(&app, &order).await;
    let admin = app.admin().await;
    let problems = || async {
        admin
            .call_json::<Vec<app::model::RefundProblem>>("/api/refund_problems", &[])
            .await
            .unwrap()
    };
    assert_eq!(make_refunds(&app.ports, None).await.unwrap(), 0);
    assert_eq!(
        make_refunds(&app.ports, None).await.unwrap(),
        0,
        "waits before trying again"
    );
    assert!(problems().await.is_empty(), "not yet given up");
    for _ in 1..REFUND_TRIES {
        clock.set(clock.now() + chrono::Duration::hours(1));
        make_refunds(&app.ports, None).await.unwrap();
    }
    let given_up = problems().await;
    assert_eq!(given_up.len(), 1);
    assert_eq!(given_up[0].order_code, order.code);
    assert_eq!(given_up[0].attempts, REFUND_TRIES);
    assert!(!given_up[0].reason.is_empty(), "the processor's reason");
    clock.set(clock.now() + chrono::Duration::days(2));
    make_refunds(&app.ports, None).await.unwrap();
    assert_eq!(problems().await[0].attempts, REFUND_TRIES, "left alone");
}

/// The vendor taps "cancel" and "accept" on a card-paid order at the same moment, round after
/// round. Whichever wins, the money adds up: a cancelled order is refunded exactly once and no
/// longer owed to the stall; an accepted one is owed and never refunded.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cancel_against_accept_refunds_only_what_was_cancelled() {
    const ROUNDS: usize = 100;
    let app = TestApp::spawn().await;
    let (vendor, stall) = app.approved_vendor("0912400002", "sa-pa").await;
    vendor.set_payments(false, true, "0").await;
    let plum = vendor
        .add_product("Mận hậu", "50.000", "", true)
        .await
        .unwrap();
    let mut double = String::new();
    for _ in 0..ROUNDS {
        let shopper = app.anonymous();
        shopper.add_to_cart(plum, "1").await.unwrap();
        let token = shopper.place_order("card", &[]).await.unwrap();
        let page = shopper.checkout(&token).await.payment_url.unwrap();
        double = page.split("/pay/").next().unwrap().to_string();
        assert_eq!(pay_on_page(&page).await, 303);
        let order = shopper.checkout(&token).await.orders.remove(0);
        assert_eq!(order.status, OrderStatus::Paid);
        let _ = tokio::join!(
            vendor.move_order(order.id, "cancel"),
            vendor.move_order(order.id, "accept")
        );
    }
    app::service::payments::make_refunds(&app.ports, None)
        .await
        .unwrap();
    let orders = vendor.stall_orders().await;
    let cancelled = orders
        .iter()
        .filter(|o| o.status == OrderStatus::Cancelled)
        .count();
    let accepted = orders
        .iter()
        .filter(|o| o.status == OrderStatus::Accepted)
        .count();
    assert_eq!(cancelled + accepted, ROUNDS, "each order ended one way");
    let card = crate::support::cards::CardCheckout {
        token: String::new(),
        pay_page: String::new(),
        double,
    };
    let (_, refunded) = charged_and_refunded(&card).await;
    assert_eq!(refunded.len(), cancelled, "one refund per cancelled order");
    assert!(refunded.iter().all(|amount| *amount == 50_000));
    let admin = app.admin().await;
    let owed = owed_to_stalls(&admin)
        .await
        .get(&stall.id)
        .copied()
        .unwrap_or(0);
    assert_eq!(owed, 50_000 * i64::try_from(accepted).unwrap());
}
