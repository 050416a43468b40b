//! Each outcome of a reported transfer, through both services: the amount due pays the order
//! and its history says the bank confirmed it; less leaves it waiting for the rest; more pays
//! it with a surplus to give back; a late transfer is money to return and takes no stock; two
//! orders or none are left for the vendor; the same transfer twice is applied once.
use super::bank_stall;
use app::domain::bank_notice::CreditKind;
use app::domain::order::{OrderActor, OrderStatus};

const SERVICES: [&str; 2] = ["payos", "sepay"];

#[tokio::test]
async fn the_amount_due_pays_the_order_as_confirmed_by_the_bank() {
    let app = super::spawn().await;
    for (i, service) in SERVICES.into_iter().enumerate() {
        let stall = bank_stall(&app, &format!("091220000{i}"), service).await;
        let (_, order) = stall.order(&app, "1").await;
        assert_eq!(order.status, OrderStatus::AwaitingTransfer);
        // Banks upper-case, add their own words, and keep the code first.
        let purpose = format!("{} Mua man Bac Ha", order.code.to_lowercase());
        assert_eq!(
            stall.transfer(&app, 1, 45_000, &purpose).await,
            200,
            "{service}"
        );
        let seen = stall.seen(&order.code).await;
        assert_eq!(seen.status, OrderStatus::Paid, "{service}");
        let by = seen.history.last().unwrap().actor;
        let expected = [OrderActor::BankViaPayOs, OrderActor::BankViaSePay][i];
        assert_eq!(by, expected);
        assert_eq!(
            stall.outcomes(&app).await,
            [(CreditKind::Paid, Some(order.code))]
        );
    }
}

#[tokio::test]
async fn less_leaves_the_order_waiting_for_the_rest_and_more_pays_it_with_a_surplus() {
    let app = super::spawn().await;
    for (i, service) in SERVICES.into_iter().enumerate() {
        let stall = bank_stall(&app, &format!("091220001{i}"), service).await;
        let (token, short) = stall.order(&app, "1").await;
        stall.transfer(&app, 1, 40_000, &short.code).await;
        let seen = stall.seen(&short.code).await;
        assert_eq!(seen.status, OrderStatus::AwaitingTransfer);
        assert_eq!(
            (seen.received.amount(), seen.due().amount()),
            (40_000, 5_000)
        );
        // The shopper's QR now asks for what is left (NAPAS tag 54: the amount), and says why.
        let shopper = app.anonymous();
        let qr = &shopper.checkout(&token).await.transfer_codes[0].payload;
        assert!(qr.contains("54045000") && !qr.contains("540545000"), "{qr}");
        let page = shopper
            .get(&format!("/checkout/{token}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Đã nhận 40.000\u{a0}₫: còn thiếu 5.000\u{a0}₫"),
            "{page}"
        );
        let orders = stall.vendor.get("/my/orders").await.text().await.unwrap();
        assert!(orders.contains("khách còn thiếu 5.000\u{a0}₫"));
        stall.transfer(&app, 2, 5_000, &short.code).await;
        assert_eq!(
            stall.seen(&short.code).await.status,
            OrderStatus::Paid,
            "{service}"
        );

        let (_, over) = stall.order(&app, "1").await;
        stall.transfer(&app, 3, 50_000, &over.code).await;
        assert_eq!(stall.seen(&over.code).await.status, OrderStatus::Paid);
        let (s, o) = (Some(short.code), Some(over.code));
        assert_eq!(
            stall.outcomes(&app).await,
            [
                (CreditKind::PartPaid, s.clone()),
                (CreditKind::Paid, s),
                (CreditKind::Overpaid, o)
            ]
        );
        // The vendor reads what is still due and what to give back (a no-break space before ₫).
        let page = stall
            .vendor
            .get("/my/transfers")
            .await
            .text()
            .await
            .unwrap();
        for said in [
            "còn thiếu 5.000\u{a0}₫",
            "thừa 5.000\u{a0}₫: hãy trả lại khách",
        ] {
            assert!(page.contains(said), "{said} in {page}");
        }
    }
}

#[tokio::test]
async fn a_transfer_after_expiry_or_cancellation_is_money_to_return_and_takes_no_stock() {
    let app = super::spawn().await;
    for (i, service) in SERVICES.into_iter().enumerate() {
        let stall = bank_stall(&app, &format!("091220002{i}"), service).await;
        let (_, cancelled) = stall.order(&app, "2").await;
        let (_, expired) = stall.order(&app, "3").await;
        stall
            .vendor
            .move_order(cancelled.id, "cancel")
            .await
            .unwrap();
        app.sweep(chrono::Utc::now() + chrono::Duration::days(3))
            .await;
        assert_eq!(stall.seen(&expired.code).await.status, OrderStatus::Expired);
        stall.transfer(&app, 1, 90_000, &cancelled.code).await;
        stall.transfer(&app, 2, 135_000, &expired.code).await;
        assert_eq!(
            stall.seen(&cancelled.code).await.status,
            OrderStatus::Cancelled
        );
        assert_eq!(
            stall.seen(&expired.code).await.status,
            OrderStatus::Expired,
            "{service}"
        );
        // A part payment, then the order ran out of time: the part is to give back.
        let (_, part_paid) = stall.order(&app, "1").await;
        stall.transfer(&app, 3, 20_000, &part_paid.code).await;
        app.sweep(chrono::Utc::now() + chrono::Duration::days(3))
            .await;
        let transfers = stall.transfers(&app).await;
        let transfers = [transfers.last().unwrap()];
        assert_eq!(transfers[0].kind, CreditKind::Expired, "{service}");
        assert_eq!(transfers[0].figure.amount(), 20_000);
        let stock = stall.vendor.my_product(stall.plums).await.stock.unwrap();
        assert_eq!(stock.steps(), 200, "all 20 kg back on sale");
        assert_eq!(
            stall.outcomes(&app).await,
            [
                (CreditKind::Cancelled, Some(cancelled.code)),
                (CreditKind::Expired, Some(expired.code)),
                (CreditKind::Expired, Some(part_paid.code))
            ]
        );
    }
}

#[tokio::test]
async fn two_orders_or_none_are_left_for_the_vendor_and_another_stall_is_never_paid() {
    let app = super::spawn().await;
    for (i, service) in SERVICES.into_iter().enumerate() {
        let stall = bank_stall(&app, &format!("091220003{i}"), service).await;
        let other = bank_stall(&app, &format!("091220004{i}"), service).await;
        let (_, first) = stall.order(&app, "1").await;
        let (_, second) = stall.order(&app, "1").await;
        let (_, elsewhere) = other.order(&app, "1").await;
        let both = format!("{} {}", first.code, second.code);
        stall.transfer(&app, 1, 90_000, &both).await;
        stall.transfer(&app, 2, 45_000, "chuyen tien mua man").await;
        // The other stall's order, sent to this stall's address: not this stall's to pay.
        stall.transfer(&app, 3, 45_000, &elsewhere.code).await;
        for code in [&first.code, &second.code] {
            assert_eq!(
                stall.seen(code).await.status,
                OrderStatus::AwaitingTransfer,
                "{service}"
            );
        }
        assert_eq!(
            other.seen(&elsewhere.code).await.status,
            OrderStatus::AwaitingTransfer
        );
        assert_eq!(
            stall.outcomes(&app).await,
            [
                (CreditKind::Ambiguous, None),
                (CreditKind::Unnamed, None),
                (CreditKind::Unnamed, None)
            ]
        );
    }
}

#[tokio::test]
async fn the_same_transfer_reported_twice_is_applied_once() {
    let app = super::spawn().await;
    for (i, service) in SERVICES.into_iter().enumerate() {
        let stall = bank_stall(&app, &format!("091220005{i}"), service).await;
        let (_, order) = stall.order(&app, "1").await;
        // Two deliveries at once, then a retry later: one part payment of 40.000 ₫, not three.
        let (a, b) = tokio::join!(
            stall.transfer(&app, 7, 40_000, &order.code),
            stall.transfer(&app, 7, 40_000, &order.code)
        );
        assert_eq!((a, b), (200, 200), "{service}");
        assert_eq!(stall.transfer(&app, 7, 40_000, &order.code).await, 200);
        assert_eq!(stall.outcomes(&app).await.len(), 1, "{service}");
        assert_eq!(
            stall.seen(&order.code).await.status,
            OrderStatus::AwaitingTransfer
        );
        stall.transfer(&app, 8, 5_000, &order.code).await;
        assert_eq!(stall.seen(&order.code).await.status, OrderStatus::Paid);
        // A payment in full delivered twice at once: both answered, the order paid once.
        let (_, next) = stall.order(&app, "1").await;
        let (a, b) = tokio::join!(
            stall.transfer(&app, 9, 45_000, &next.code),
            stall.transfer(&app, 9, 45_000, &next.code)
        );
        assert_eq!((a, b), (200, 200), "{service}");
        let seen = stall.seen(&next.code).await;
        assert_eq!(seen.status, OrderStatus::Paid);
        assert_eq!(
            seen.history
                .iter()
                .filter(|e| e.to == OrderStatus::Paid)
                .count(),
            1
        );
        assert_eq!(stall.outcomes(&app).await.len(), 3);
    }
}
