//! The load the server is killed under: shoppers checking out by card and paying on the Stripe
//! stand-in, some cancelling an order by its link first; vendors accepting or cancelling (and
//! so refunding) paid orders; an administrator recording transfers to the stalls. Whatever
//! the server acknowledged is written down for the audit; a call nobody answered is expected
//! while the server is down, and a refusal (no stock left, a move no longer allowed) too.
use crate::support::{Failure, Site, Visitor};
use app::domain::id::{OrderId, ProductId, StallId};
use app::model::CheckoutView;
use rand::{Rng, SeedableRng, rngs::StdRng};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server (or the stand-in, for payments) acknowledged with a 2xx.
#[derive(Default)]
pub struct Acknowledged {
    /// Checkout tokens `place_order` answered with.
    pub checkouts: Vec<String>,
    /// The orders each checkout's page showed, with their checkout's token.
    pub orders: Vec<(OrderId, String)>,
    /// Checkouts paid on the stand-in, with the PaymentIntent it charged.
    pub paid: Vec<(String, String)>,
    /// Orders a vendor or their shopper cancelled.
    pub cancelled: Vec<OrderId>,
    /// Orders a vendor accepted.
    pub accepted: Vec<OrderId>,
    /// The notes of settlements an administrator recorded.
    pub settlements: Vec<String>,
    /// Calls the server refused, by what was asked and why, and calls nobody answered.
    pub refused: std::collections::BTreeMap<String, usize>,
    pub unanswered: usize,
}

/// The market the shoppers buy from: each stall's vendor, signed in, and every product.
pub struct Market {
    pub site: Site,
    pub vendors: HashMap<StallId, Visitor>,
    pub products: Vec<ProductId>,
    pub admin: Visitor,
    pub double: String,
}

/// Runs `shoppers` shopper journeys at once and an administrator's settlements until `stop`;
/// returns what was acknowledged.
pub async fn run(
    market: Arc<Market>,
    shoppers: u64,
    seed: u64,
    stop: Arc<AtomicBool>,
) -> Acknowledged {
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    let mut tasks = Vec::new();
    for n in 0..shoppers {
        let (market, acked, stop) = (market.clone(), acked.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(seed.wrapping_add(n));
            while !stop.load(Ordering::Relaxed) {
                shop_once(&market, &acked, &mut rng).await;
            }
        }));
    }
    let (market2, acked2) = (market.clone(), acked.clone());
    tasks.push(tokio::spawn(async move {
        let mut n = 0;
        while !stop.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_millis(300)).await;
            n += 1;
            settle_once(&market2, &acked2, n).await;
        }
    }));
    for task in tasks {
        task.await.expect("a load task panicked");
    }
    Arc::try_unwrap(acked)
        .unwrap_or_else(|_| unreachable!("every task has ended"))
        .into_inner()
        .unwrap()
}

/// Counts a call that failed; a server that is down is given a moment before the next try.
async fn failed(acked: &Mutex<Acknowledged>, asked: &str, failure: &Failure) {
    match failure {
        Failure::Refused(refusal) => {
            let why = format!("{refusal:?}");
            let why = why.split(['(', ' ', '{']).next().unwrap_or_default();
            let mut acked = acked.lock().unwrap();
            *acked.refused.entry(format!("{asked}: {why}")).or_default() += 1;
        }
        Failure::Unanswered(_) => {
            acked.lock().unwrap().unanswered += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// One shopper: a cart of one or two products, a card checkout, its page, then (usually) the
/// payment and the vendors' answers to it.
async fn shop_once(market: &Market, acked: &Mutex<Acknowledged>, rng: &mut StdRng) {
    let shopper = market.site.anonymous();
    for _ in 0..rng.gen_range(1..=2) {
        let product = market.products[rng.gen_range(0..market.products.len())].to_string();
        let kg = rng.gen_range(1..=3).to_string();
        let form = [("product_id", product.as_str()), ("quantity", kg.as_str())];
        if let Err(failure) = shopper
            .try_call_json::<serde_json::Value>("/api/add_to_cart", &form)
            .await
        {
            return failed(acked, "add to cart", &failure).await;
        }
    }
    let token = match shopper.try_place_order("card", &[]).await {
        Ok(token) => token,
        Err(failure) => return failed(acked, "place order", &failure).await,
    };
    acked.lock().unwrap().checkouts.push(token.clone());
    // The checkout is acknowledged: its page is asked for until the server is back.
    let mut view = None;
    for _ in 0..200 {
        match shopper
            .try_call_json::<CheckoutView>("/api/checkout_page", &[("token", &token)])
            .await
        {
            Ok(page) => {
                view = Some(page);
                break;
            }
            Err(failure) => failed(acked, "checkout page", &failure).await,
        }
    }
    let Some(view) = view else { return };
    acked
        .lock()
        .unwrap()
        .orders
        .extend(view.orders.iter().map(|o| (o.id, token.clone())));
    let Some(page) = view.payment_url else { return };
    let roll = rng.gen_range(0..10);
    if roll == 0 {
        return; // left unpaid: its stock stays held
    }
    if roll == 1 {
        // Cancelled by its link, then paid anyway: that order's money must go back.
        let order = view.orders[0].id.to_string();
        let form = [
            ("token", token.as_str()),
            ("order_id", order.as_str()),
            ("confirmed", "yes"),
        ];
        match shopper
            .try_call_json::<serde_json::Value>("/api/cancel_order", &form)
            .await
        {
            Ok(_) => acked.lock().unwrap().cancelled.push(view.orders[0].id),
            Err(failure) => failed(acked, "cancel by link", &failure).await,
        }
    }
    let session = page.rsplit('/').next().unwrap();
    let Ok(paid) = reqwest::Client::new()
        .post(format!(
            "{}/_double/sessions/{session}/complete",
            market.double
        ))
        .send()
        .await
    else {
        return;
    };
    if !paid.status().is_success() {
        return; // e.g. the session closed with its last order cancelled
    }
    let answer: serde_json::Value = paid.json().await.unwrap();
    let intent = answer["session"]["payment_intent"].as_str().unwrap();
    acked
        .lock()
        .unwrap()
        .paid
        .push((token.clone(), intent.to_string()));
    for order in &view.orders {
        let step = match rng.gen_range(0..10) {
            0..=3 => "cancel",
            4..=7 => "accept",
            _ => continue,
        };
        let vendor = &market.vendors[&order.stall_id];
        let id = order.id.to_string();
        let form = [
            ("order_id", id.as_str()),
            ("step", step),
            ("confirmed", "yes"),
        ];
        match vendor
            .try_call_json::<serde_json::Value>("/api/move_order", &form)
            .await
        {
            Ok(_) if step == "cancel" => acked.lock().unwrap().cancelled.push(order.id),
            Ok(_) => acked.lock().unwrap().accepted.push(order.id),
            Err(failure) => failed(acked, step, &failure).await,
        }
    }
}

/// The administrator records a 10.000 ₫ transfer to the first stall owed that much.
async fn settle_once(market: &Market, acked: &Mutex<Acknowledged>, n: u64) {
    let balances = match market
        .admin
        .try_call_json::<Vec<app::model::StallBalance>>("/api/stall_balances", &[])
        .await
    {
        Ok(balances) => balances,
        Err(failure) => return failed(acked, "balances", &failure).await,
    };
    let Some(owed) = balances.iter().find(|b| b.owed.amount() >= 10_000) else {
        return;
    };
    let (stall, note) = (owed.stall_id.to_string(), format!("UNC chaos {n}"));
    let form = [
        ("stall_id", stall.as_str()),
        ("amount", "10.000"),
        ("note", note.as_str()),
        ("confirmed", "yes"),
    ];
    match market
        .admin
        .try_call_json::<serde_json::Value>("/api/record_settlement", &form)
        .await
    {
        Ok(_) => acked.lock().unwrap().settlements.push(note),
        Err(failure) => failed(acked, "settle", &failure).await,
    }
}
