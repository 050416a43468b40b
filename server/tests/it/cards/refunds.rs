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

/// A payment made on the page just as the orders expired never revives them: their stock may
/// be sold again, so the whole payment goes back.
#[tokio::test]
async fn a_payment_arriving_after_the_orders_expired_is_refunded_and_takes_no_stock() {
    let app = TestApp::spawn().await;
    let (shopper, a, b, card) = card_checkout_across_two_stalls(&app).await;
    card.tell("hold").await;
    assert_eq!(pay_on_page(&card.pay_page).await, 303);
    let later = chrono::Utc::now() + chrono::Duration::minutes(31);
    assert_eq!(app.expire_orders(later).await, 2);
    assert!(card.tell("deliver").await.status().is_success());

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
