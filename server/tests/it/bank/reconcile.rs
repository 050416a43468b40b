//! A transfer whose notification never arrived is found by the sweep, from payOS's payment
//! information or SePay's transactions list, and applied exactly as its notification would
//! have been: the notification arriving late then changes nothing.
use app::domain::order::OrderStatus;

#[tokio::test]
async fn a_transfer_whose_notification_is_lost_is_applied_by_the_sweep_and_once() {
    let app = super::spawn().await;
    for (i, service) in ["payos", "sepay"].into_iter().enumerate() {
        let stall = super::bank_stall(&app, &format!("091270000{i}"), service).await;
        let (_, order) = stall.order(&app, "1").await;
        let purpose = match app
            .ports
            .bank
            .payment_link(app::ports::LinkedTo::Order(order.id))
            .await
            .unwrap()
        {
            Some(link) => link.description,
            None => format!("{} Man tam hoa", order.code),
        };
        super::control(&app, "hold", serde_json::json!({})).await;
        let held = stall.pay(&app, 45_000, &purpose).await;
        assert_eq!(held["status"], serde_json::Value::Null, "{service}: {held}");
        assert_eq!(
            stall.seen(&order.code).await.status,
            OrderStatus::AwaitingTransfer
        );

        app.sweep(chrono::Utc::now()).await;
        assert_eq!(
            stall.seen(&order.code).await.status,
            OrderStatus::Paid,
            "{service}"
        );
        let applied = stall.transfers(&app).await;
        assert_eq!(applied.len(), 1, "{service}");
        assert_eq!(applied[0].figure.amount(), 0);

        // The notification comes after all, and again: both are taken, neither applies.
        let late = super::control(&app, "deliver", serde_json::json!({})).await;
        assert_eq!(late[0]["status"], 200, "{service}: {late}");
        let again = super::control(
            &app,
            &format!("redeliver/{}", late[0]["transfer_id"]),
            serde_json::json!({}),
        )
        .await;
        assert_eq!(again["status"], 200);
        app.sweep(chrono::Utc::now()).await;
        let applied = stall.transfers(&app).await;
        assert_eq!(applied.len(), 1, "{service}: applied once");
        assert_eq!(stall.seen(&order.code).await.status, OrderStatus::Paid);
    }
}

#[tokio::test]
async fn a_notification_first_then_the_sweep_applies_once() {
    let app = super::spawn().await;
    for (i, service) in ["payos", "sepay"].into_iter().enumerate() {
        let stall = super::bank_stall(&app, &format!("091270001{i}"), service).await;
        let (_, order) = stall.order(&app, "1").await;
        let (_, other) = stall.order(&app, "1").await;
        let purpose = match app
            .ports
            .bank
            .payment_link(app::ports::LinkedTo::Order(order.id))
            .await
            .unwrap()
        {
            Some(link) => link.description,
            None => order.code.clone(),
        };
        let delivered = stall.pay(&app, 20_000, &purpose).await;
        assert_eq!(delivered["status"], 200, "{service}: {delivered}");
        // Another order still waits, so the stall is read: the part payment is seen again.
        app.sweep(chrono::Utc::now()).await;
        let applied = stall.transfers(&app).await;
        assert_eq!(applied.len(), 1, "{service}");
        let seen = stall.seen(&order.code).await;
        assert_eq!(
            (seen.status, seen.received.amount()),
            (OrderStatus::AwaitingTransfer, 20_000)
        );
        assert_eq!(
            stall.seen(&other.code).await.status,
            OrderStatus::AwaitingTransfer
        );
    }
}
