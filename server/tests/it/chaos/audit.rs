//! What must hold after the kills, read from the database itself and from the Stripe
//! stand-in: every acknowledged order exists, stock adds up per product, the ledger adds up
//! per stall and over all, no payment or refund was applied twice, and SQLite's file is sound.
use super::load::Acknowledged;
use app::domain::money::Dong;
use app::domain::order::{OrderStatus, PlatformFee};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, Statement};
use server::db::entities::{
    card_refund, checkout, ledger_entry, order, order_line, product, stock_move,
};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The figures a run reports.
#[derive(Debug, Default)]
pub struct Figures {
    pub checkouts_acknowledged: usize,
    pub orders_acknowledged: usize,
    pub orders_found: usize,
    pub lost: usize,
    pub payments: usize,
    pub refunds: usize,
    pub settlements: usize,
}

/// The stand-in's word on the money: what each PaymentIntent was charged, what was refunded
/// on it in all, how many refunds it got, and each refund's idempotency key.
#[derive(Default)]
pub struct Processor {
    pub charged: HashMap<String, i64>,
    pub refunded: HashMap<String, i64>,
    pub refund_count: HashMap<String, usize>,
    pub refund_keys: Vec<String>,
}

impl Processor {
    pub fn from_events(events: &[serde_json::Value]) -> Processor {
        let mut p = Processor::default();
        for event in events {
            let object = &event["data"]["object"];
            let intent = object["payment_intent"].as_str().unwrap_or_default();
            match event["type"].as_str() {
                Some("checkout.session.completed") => {
                    let amount = object["amount_total"].as_i64().unwrap();
                    let before = p.charged.insert(intent.to_string(), amount);
                    assert!(before.is_none(), "{intent} charged twice");
                }
                Some("charge.refunded") => {
                    // The charge as refunded so far: the newest event has the running total.
                    let total = object["amount_refunded"].as_i64().unwrap();
                    let so_far = p.refunded.entry(intent.to_string()).or_default();
                    *so_far = (*so_far).max(total);
                    *p.refund_count.entry(intent.to_string()).or_default() += 1;
                    let key = event["request"]["idempotency_key"].as_str();
                    p.refund_keys.push(key.unwrap_or_default().to_string());
                }
                _ => {}
            }
        }
        p
    }
}

fn status(o: &order::Model) -> OrderStatus {
    o.status.parse().unwrap()
}

pub async fn check(
    db: &DatabaseConnection,
    acked: &Acknowledged,
    processor: &Processor,
    fee: PlatformFee,
) -> Figures {
    let checkouts = checkout::Entity::find().all(db).await.unwrap();
    let orders = order::Entity::find().all(db).await.unwrap();
    let lines = order_line::Entity::find().all(db).await.unwrap();
    let products = product::Entity::find().all(db).await.unwrap();
    let moves = stock_move::Entity::find().all(db).await.unwrap();
    let ledger = ledger_entry::Entity::find().all(db).await.unwrap();
    let refunds = card_refund::Entity::find().all(db).await.unwrap();
    let by_id: HashMap<i64, &order::Model> = orders.iter().map(|o| (o.id, o)).collect();
    let tokens: HashMap<&str, i64> = checkouts.iter().map(|c| (c.token.as_str(), c.id)).collect();

    // 1. Every checkout and order the server acknowledged exists, in its checkout.
    let missing_checkouts: Vec<&String> = acked
        .checkouts
        .iter()
        .filter(|t| !tokens.contains_key(t.as_str()))
        .collect();
    assert!(missing_checkouts.is_empty(), "lost: {missing_checkouts:?}");
    let lost: Vec<_> = acked
        .orders
        .iter()
        .filter(|(id, token)| {
            by_id.get(&id.get()).map(|o| o.checkout_id) != tokens.get(token.as_str()).copied()
        })
        .collect();
    let found = acked.orders.len() - lost.len();
    assert!(lost.is_empty(), "acknowledged orders lost: {lost:?}");
    for (moves, to) in [
        (&acked.cancelled, "cancelled"),
        (&acked.accepted, "accepted"),
    ] {
        for id in moves {
            assert_eq!(
                by_id[&id.get()].status,
                to,
                "order {id}'s acknowledged move"
            );
        }
    }

    // 2. Stock: left + held by waiting orders + sold = received, for every product.
    let mut taken: HashMap<i64, i64> = HashMap::new();
    for line in &lines {
        if status(by_id[&line.order_id]).holds_stock() {
            *taken.entry(line.product_id).or_default() += line.quantity;
        }
    }
    let mut received: HashMap<i64, i64> = HashMap::new();
    for m in &moves {
        *received.entry(m.product_id).or_default() += m.change;
    }
    for p in &products {
        let left = p.stock.expect("a limited stock");
        let held = taken.get(&p.id).copied().unwrap_or(0);
        assert_eq!(
            left + held,
            received[&p.id],
            "product {} ({}): {left} left + {held} held or sold ≠ received",
            p.id,
            p.name
        );
    }

    // 3. Payments: a checkout paid on the stand-in has every order paid or refunded, and its
    // charge is exactly what its kept orders cost plus what went back.
    let refund_of: HashMap<i64, &card_refund::Model> =
        refunds.iter().map(|r| (r.order_id, r)).collect();
    assert_eq!(refund_of.len(), refunds.len(), "an order refunded twice");
    for (token, intent) in &acked.paid {
        let in_checkout = orders
            .iter()
            .filter(|o| o.checkout_id == tokens[token.as_str()]);
        let (mut kept, mut back) = (0, 0);
        for o in in_checkout {
            if status(o).is_paid() {
                kept += o.total;
                assert_eq!(o.payment_intent.as_deref(), Some(intent.as_str()));
            } else if let Some(r) = refund_of.get(&o.id) {
                assert_eq!(
                    (r.amount, r.payment_intent.as_str()),
                    (o.total, intent.as_str())
                );
                back += r.amount;
            } else {
                panic!("order {} of paid checkout {token} is {}", o.id, o.status);
            }
        }
        assert_eq!(processor.charged[intent], kept + back, "{intent}: charged");
    }
    assert_eq!(
        processor.charged.len(),
        acked.paid.len(),
        "a payment not acknowledged"
    );

    // 4. Refunds: every one owed was made, once, for what the database says.
    let mut owed: HashMap<&str, (i64, usize)> = HashMap::new();
    for r in &refunds {
        assert!(
            r.refunded_at.is_some() && r.gave_up_at.is_none(),
            "not made: {r:?}"
        );
        let (amount, count) = owed.entry(r.payment_intent.as_str()).or_default();
        *amount += r.amount;
        *count += 1;
    }
    let keys: HashSet<&String> = processor.refund_keys.iter().collect();
    assert_eq!(
        keys.len(),
        processor.refund_keys.len(),
        "a refund made twice"
    );
    for (intent, (amount, count)) in &owed {
        assert_eq!(
            processor.refunded.get(*intent),
            Some(amount),
            "{intent}: refunded"
        );
        assert_eq!(processor.refund_count[*intent], *count, "{intent}: refunds");
        assert!(
            *amount <= processor.charged[*intent],
            "{intent}: more back than paid"
        );
    }
    assert_eq!(owed.len(), processor.refunded.len(), "a refund nobody owed");

    // 5. The ledger: per stall, what kept card orders earned less the platform's fee (and
    // nothing for refunded ones); over all, card payments less refunds, fees and settlements.
    let (mut credited, mut expected): (BTreeMap<i64, i64>, BTreeMap<i64, i64>) = Default::default();
    let mut sales: HashMap<i64, usize> = HashMap::new();
    let mut settled = 0;
    for e in &ledger {
        if e.kind == "settlement" {
            settled -= e.amount;
        } else {
            *credited.entry(e.stall_id).or_default() += e.amount;
        }
        if e.kind == "card_sale" {
            *sales.entry(e.order_id.unwrap()).or_default() += 1;
        }
    }
    assert!(sales.values().all(|n| *n == 1), "a payment credited twice");
    let mut fees = 0;
    for o in orders.iter().filter(|o| status(o).is_paid()) {
        let fee = fee.of(Dong::new(o.total)).amount();
        fees += fee;
        *expected.entry(o.stall_id).or_default() += o.total - fee;
    }
    credited.retain(|_, sum| *sum != 0);
    assert_eq!(credited, expected, "each stall's card money");
    let payments: i64 = processor.charged.values().sum();
    let back: i64 = processor.refunded.values().sum();
    let balance: i64 = ledger.iter().map(|e| e.amount).sum();
    assert_eq!(balance, payments - back - fees - settled, "the ledger");
    let notes: Vec<&str> = ledger
        .iter()
        .filter(|e| e.kind == "settlement")
        .filter_map(|e| e.note.as_deref())
        .collect();
    for note in &acked.settlements {
        let times = notes.iter().filter(|n| *n == note).count();
        assert_eq!(times, 1, "settlement {note:?} recorded {times} times");
    }

    // 6. SQLite's file survived every kill whole.
    if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        let row = db
            .query_one_raw(Statement::from_string(
                sea_orm::DbBackend::Sqlite,
                "PRAGMA integrity_check",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "ok");
    }
    Figures {
        checkouts_acknowledged: acked.checkouts.len(),
        orders_acknowledged: acked.orders.len(),
        orders_found: found,
        lost: lost.len(),
        payments: processor.charged.len(),
        refunds: refunds.len(),
        settlements: notes.len(),
    }
}
