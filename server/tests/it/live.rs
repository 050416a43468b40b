//! A shopper's open order page told of each change to its checkout as it happens
//! (`GET /checkout/{token}/events`): a transfer the bank reports, a part payment, a vendor's
//! confirmation, a statement line, a card payment, and a change another process made to the same database; an unknown link is
//! refused like the page, and one address can't hold streams without end.
use crate::bank::bank_stall;
use crate::support::TestApp;
use app::domain::order::{OrderActor, OrderStatus};
use app::model::CheckoutState;
use app::ports::Orders;
use std::time::Duration;

/// Long enough for any machine; no test waits this long when the feature works.
const PATIENCE: Duration = Duration::from_secs(20);

/// The app, reading a watched checkout again only every hour: what arrives sooner was told
/// by the store that made the change.
async fn spawn() -> TestApp {
    spawn_with(|s| s.live.recheck = Duration::from_secs(3600)).await
}

/// The app with its settings changed by `change`, beside the payOS and SePay stand-in its
/// linked stalls are opened at ([`crate::bank::double`]).
async fn spawn_with(change: impl FnOnce(&mut server::config::Settings)) -> TestApp {
    let (_, double, _) = server::payments::bank_double::spawn(([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    TestApp::spawn_with(|s| {
        s.hold_limits.per_phone = 100;
        s.bank_api_url = Some(double.base_url().to_owned());
        change(s);
    })
    .await
}

/// An open event stream, read event by event as a browser's `EventSource` does.
struct Events {
    response: reqwest::Response,
    buffer: String,
}

async fn open(app: &TestApp, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}/checkout/{token}/events", app.base))
        .send()
        .await
        .unwrap()
}

impl Events {
    async fn open(app: &TestApp, token: &str) -> Events {
        let response = open(app, token).await;
        assert_eq!(response.status(), 200);
        let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
        assert_eq!(header("content-type"), "text/event-stream");
        assert_eq!(header("cache-control"), "no-cache");
        assert_eq!(header("x-accel-buffering"), "no");
        Events {
            response,
            buffer: String::new(),
        }
    }

    /// The next `changed` event's checkout state; keep-alive comments are skipped.
    async fn next(&mut self) -> CheckoutState {
        tokio::time::timeout(PATIENCE, self.next_unbounded())
            .await
            .expect("an event within the patience")
    }

    async fn next_unbounded(&mut self) -> CheckoutState {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut name = None;
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("event:") {
                        name = Some(value.trim().to_owned());
                    } else if let Some(value) = line.strip_prefix("data:") {
                        data.push_str(value.trim_start());
                    }
                }
                if name.as_deref() == Some("changed") {
                    return serde_json::from_str(&data).unwrap();
                }
                continue;
            }
            let chunk = self
                .response
                .chunk()
                .await
                .unwrap()
                .expect("the stream open");
            self.buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }

    /// The next event whose order is `status`: a stream may tell of a state in between.
    async fn until(&mut self, status: OrderStatus) -> CheckoutState {
        loop {
            let state = self.next().await;
            if state.orders[0].status == status {
                return state;
            }
        }
    }
}

#[tokio::test]
async fn a_transfer_the_bank_reports_reaches_the_open_page_and_so_does_a_part_payment() {
    let app = spawn().await;
    let stall = bank_stall(&app, "0912300001", "sepay").await;
    let (token, order) = stall.order(&app, "2").await;
    let mut events = Events::open(&app, &token).await;
    // First the checkout as it is now, so a change made while the page loaded is not lost.
    let now = events.next().await;
    assert_eq!(now.orders.len(), 1);
    assert_eq!(now.orders[0].code, order.code);
    assert_eq!(now.orders[0].status, OrderStatus::AwaitingTransfer);
    assert_eq!(now.orders[0].received.amount(), 0);

    // Part of the money: the status stays, what was received changes.
    assert_eq!(stall.transfer(&app, 1, 40_000, &order.code).await, 200);
    let part = events.next().await;
    assert_eq!(part.orders[0].status, OrderStatus::AwaitingTransfer);
    assert_eq!(part.orders[0].received.amount(), 40_000);

    // The rest pays it.
    assert_eq!(stall.transfer(&app, 2, 50_000, &order.code).await, 200);
    let paid = events.next().await;
    assert_eq!(paid.orders[0].status, OrderStatus::Paid);
    assert_eq!(paid.orders[0].received.amount(), 90_000);
    assert!(!paid.awaits_money());

    // The same transfer again changes nothing, and the stream stays quiet about it; the
    // vendor's next move is told.
    assert_eq!(stall.transfer(&app, 2, 50_000, &order.code).await, 200);
    stall.vendor.move_order(order.id, "accept").await.unwrap();
    assert_eq!(events.next().await.orders[0].status, OrderStatus::Accepted);
}

#[tokio::test]
async fn a_vendors_confirmation_reaches_every_open_page_of_the_checkout() {
    let app = spawn().await;
    let stall = bank_stall(&app, "0912300002", "payos").await;
    let (token, order) = stall.order(&app, "1").await;
    // The shopper has the page open on two phones.
    let mut first = Events::open(&app, &token).await;
    let mut second = Events::open(&app, &token).await;
    assert_eq!(
        first.next().await.orders[0].status,
        OrderStatus::AwaitingTransfer
    );
    assert_eq!(
        second.next().await.orders[0].status,
        OrderStatus::AwaitingTransfer
    );
    stall
        .vendor
        .move_order(order.id, "confirm_payment")
        .await
        .unwrap();
    assert_eq!(first.next().await.orders[0].status, OrderStatus::Paid);
    assert_eq!(second.next().await.orders[0].status, OrderStatus::Paid);
}

#[tokio::test]
async fn a_statement_line_that_pays_the_order_reaches_the_open_page() {
    let app = spawn().await;
    let stall = bank_stall(&app, "0912300005", "sepay").await;
    let (token, order) = stall.order(&app, "1").await;
    let mut events = Events::open(&app, &token).await;
    assert_eq!(
        events.next().await.orders[0].status,
        OrderStatus::AwaitingTransfer
    );
    let csv = format!(
        "date,amount,description\n2026-12-04,{},CK {} mua man\n",
        order.total.amount(),
        order.code
    );
    assert_eq!(stall.vendor.post_statement(&csv).await.status(), 303);
    assert_eq!(events.next().await.orders[0].status, OrderStatus::Paid);
}

#[tokio::test]
async fn a_card_payment_reaches_the_open_page_with_every_order_it_paid() {
    let app = spawn().await;
    let (_, _, _, card) = crate::support::cards::card_checkout_across_two_stalls(&app).await;
    let mut events = Events::open(&app, &card.token).await;
    let now = events.next().await;
    assert_eq!(now.orders.len(), 2);
    assert!(
        now.orders
            .iter()
            .all(|o| o.status == OrderStatus::AwaitingPayment)
    );
    assert!(
        crate::support::cards::pay_on_page(&card.pay_page)
            .await
            .is_redirection()
    );
    // Paid by the processor's webhook, every order at once.
    let paid = events.next().await;
    assert!(paid.orders.iter().all(|o| o.status == OrderStatus::Paid));
}

#[tokio::test]
async fn a_change_another_process_made_arrives_at_the_next_recheck() {
    let app = spawn_with(|s| s.live.recheck = Duration::from_millis(300)).await;
    let stall = bank_stall(&app, "0912300003", "sepay").await;
    let (token, order) = stall.order(&app, "1").await;
    let mut events = Events::open(&app, &token).await;
    assert_eq!(
        events.next().await.orders[0].status,
        OrderStatus::AwaitingTransfer
    );
    // Another process: its own connections, and a hub nobody here watches.
    let db = server::db::connect(&app.settings.database_url)
        .await
        .unwrap();
    let elsewhere = server::db::orders::OrderStore(
        db.clone(),
        app.ports.clock.clone(),
        server::live::Hub::unwatched(db),
    );
    elsewhere
        .move_order(
            order.id,
            OrderStatus::AwaitingTransfer,
            OrderStatus::Paid,
            OrderActor::Statement,
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        events.until(OrderStatus::Paid).await.orders[0].code,
        order.code
    );
}

#[tokio::test]
async fn an_unknown_link_is_not_found_and_one_address_holds_only_so_many_streams() {
    let app = spawn_with(|s| s.live.per_client = 2).await;
    let stall = bank_stall(&app, "0912300004", "sepay").await;
    let (token, _) = stall.order(&app, "1").await;
    assert_eq!(open(&app, "no-such-checkout").await.status(), 404);
    // A wrong token's answer holds no slot.
    let first = Events::open(&app, &token).await;
    let second = Events::open(&app, &token).await;
    assert_eq!(open(&app, &token).await.status(), 429);
    assert_eq!(open(&app, "no-such-checkout").await.status(), 429);
    // A closed stream frees its slot.
    drop(first);
    let reopened = tokio::time::timeout(PATIENCE, async {
        loop {
            let response = open(&app, &token).await;
            if response.status() == 200 {
                return response;
            }
            assert_eq!(response.status(), 429);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the slot freed");
    drop((second, reopened));
}
