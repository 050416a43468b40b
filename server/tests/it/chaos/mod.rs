//! The kill -9 test: the real `choso` binary under card checkouts, payment webhooks,
//! cancellations, refunds and settlements, killed with SIGKILL at random moments and started
//! again, cycle after cycle; then what it acknowledged is looked for and the money and stock
//! are added up (`audit`). The Stripe stand-in runs in the test process, so it outlives every
//! kill and keeps what Stripe would keep: the payments, the refunds and the events the app
//! missed while it was down, which are redelivered at the end as Stripe retries them.
//!
//! `CHOSO_CHAOS_CYCLES` sets the number of kills (3 by default, so `make test` stays quick;
//! `make chaos` runs 40) and `CHOSO_CHAOS_SEED` replays a run's random choices of load (the
//! moments of the kills still fall where the scheduler puts them). The server's log (errors
//! only) goes to `CHOSO_CHAOS_LOG` when it names a file.
mod audit;
mod load;

use crate::support::{Site, fresh_database};
use app::domain::order::PlatformFee;
use load::Market;
use rand::{Rng, SeedableRng, rngs::StdRng};
use server::config::Settings;
use server::payments::double;
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const SECRET_KEY: &str = "sk_test_choso_chaos";
const WEBHOOK_SECRET: &str = "whsec_choso_chaos";
const FEE: PlatformFee = PlatformFee { basis_points: 250 };

/// The `choso` binary serving on a fixed port, as a child process that can be killed.
struct Server {
    command: Command,
    base: String,
    child: Option<Child>,
}

impl Server {
    fn new(vars: &[(&str, String)], log: &std::path::Path, port: u16) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_choso"));
        let log = std::fs::File::create(log).unwrap();
        command
            .arg("serve")
            .env_clear()
            .envs(vars.iter().map(|(k, v)| (*k, v)))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        Server {
            command,
            base: format!("http://127.0.0.1:{port}"),
            child: None,
        }
    }

    /// Starts the server and waits until `/healthz` answers.
    async fn start(&mut self) {
        assert!(self.child.is_none());
        self.child = Some(self.command.spawn().expect("starting choso"));
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .unwrap();
        let since = Instant::now();
        loop {
            if let Ok(res) = client.get(format!("{}/healthz", self.base)).send().await
                && res.status().is_success()
            {
                return;
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("choso exited at start: {status}");
            }
            assert!(
                since.elapsed() < Duration::from_secs(60),
                "choso never came up"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// `kill -9`: no shutdown, no flush, whatever it was doing.
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("SIGKILL");
            child.wait().unwrap();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A free local port: bound once by the system, then let go for the server to take.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| v.parse().expect(name))
}

/// Two Sa Pa stalls taking cards, each with a product in good supply and one that sells out.
async fn open_market(site: Site, double: String) -> Market {
    let mut vendors = HashMap::new();
    let mut products = Vec::new();
    for (phone, items) in [
        (
            "0912700001",
            [("Mận hậu", "50.000", "400"), ("Đào Sa Pa", "40.000", "12")],
        ),
        (
            "0912700002",
            [
                ("Chè shan tuyết", "300.000", "400"),
                ("Mật ong", "250.000", "9"),
            ],
        ),
    ] {
        let (vendor, stall) = site.approved_vendor(phone, "sa-pa").await;
        vendor.set_payments(false, true, "0").await;
        for (name, price, stock) in items {
            products.push(vendor.add_product(name, price, stock, true).await.unwrap());
        }
        vendors.insert(stall.id, vendor);
    }
    let admin = site.admin().await;
    Market {
        site,
        vendors,
        products,
        admin,
        double,
    }
}

/// Every event the stand-in made, oldest first.
async fn events(double: &str) -> Vec<serde_json::Value> {
    let list: serde_json::Value = reqwest::get(format!("{double}/_double/events"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    list["data"].as_array().unwrap().clone()
}

/// Refunds owed but not yet made.
async fn refunds_pending(url: &str) -> u64 {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    use server::db::entities::card_refund;
    let db = server::db::connect(url).await.unwrap();
    card_refund::Entity::find()
        .filter(card_refund::Column::RefundedAt.is_null())
        .count(&db)
        .await
        .unwrap()
}

/// A worker killed while asking the processor for a refund left it claimed for minutes; those
/// minutes are let pass, as a server down that long would have, so the next start sends it.
async fn let_refund_claims_lapse(url: &str) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use server::db::entities::card_refund;
    let db = server::db::connect(url).await.unwrap();
    card_refund::Entity::update_many()
        .col_expr(
            card_refund::Column::ClaimedUntil,
            Expr::value(None::<chrono::DateTime<chrono::Utc>>),
        )
        .filter(card_refund::Column::RefundedAt.is_null())
        .exec(&db)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_at_random_moments_loses_no_acknowledged_order_and_money_and_stock_add_up() {
    let cycles = env_number("CHOSO_CHAOS_CYCLES").unwrap_or(3);
    let seed = env_number("CHOSO_CHAOS_SEED").unwrap_or_else(rand::random);
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(dir.path()).await;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let (_, stand_in) = double::spawn(
        ([127, 0, 0, 1], 0).into(),
        format!("{base}/webhooks/stripe"),
        WEBHOOK_SECRET,
    )
    .await
    .unwrap();
    let vars = [
        ("DATABASE_URL", url.clone()),
        ("CHOSO_DATA_DIR", dir.path().display().to_string()),
        ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")),
        ("LEPTOS_SITE_ROOT", dir.path().display().to_string()),
        ("LEPTOS_OUTPUT_NAME", "choso".into()),
        ("STRIPE_SECRET_KEY", SECRET_KEY.into()),
        ("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET.into()),
        ("STRIPE_API_BASE", stand_in.base_url().into()),
        (
            "CHOSO_PLATFORM_FEE_BASIS_POINTS",
            FEE.basis_points.to_string(),
        ),
        // Every shopper is 127.0.0.1 with the same phone number.
        ("CHOSO_UNPAID_PER_ADDRESS", "100000".into()),
        ("CHOSO_UNPAID_PER_PHONE", "1000".into()),
        ("RUST_LOG", "error".into()),
    ];
    let log = std::env::var_os("CHOSO_CHAOS_LOG").map_or(dir.path().join("choso.log"), Into::into);
    let mut server = Server::new(&vars, &log, port);
    server.start().await;
    let site = Site {
        base: base.clone(),
        settings: Settings {
            database_url: url.clone().into(),
            ..Settings::defaults()
        },
    };
    let market = Arc::new(open_market(site, stand_in.base_url().to_string()).await);

    let stop = Arc::new(AtomicBool::new(false));
    let load = tokio::spawn(load::run(market.clone(), 6, seed, stop.clone()));
    let mut rng = StdRng::seed_from_u64(seed);
    for _ in 0..cycles {
        let moment = rng.gen_range(300..2000);
        tokio::time::sleep(Duration::from_millis(moment)).await;
        server.kill();
        server.start().await;
    }
    stop.store(true, Ordering::Relaxed);
    let acked = load.await.unwrap();

    // Down once more, then up for good: refunds left claimed by a killed worker are sent by
    // the start's sweep, and every event is delivered again, as Stripe retries an endpoint
    // that was down (a repeat must change nothing).
    server.kill();
    let_refund_claims_lapse(&url).await;
    server.start().await;
    for event in events(stand_in.base_url()).await {
        let id = event["id"].as_str().unwrap();
        let redelivered = reqwest::Client::new()
            .post(format!(
                "{}/_double/events/{id}/redeliver",
                stand_in.base_url()
            ))
            .send()
            .await
            .unwrap();
        let delivery: serde_json::Value = redelivered.json().await.unwrap();
        assert_eq!(delivery["status"], 200, "{delivery}");
    }
    // A refund the sweep has not reached yet goes with the next sweep, a minute later at most.
    let since = Instant::now();
    while refunds_pending(&url).await > 0 && since.elapsed() < Duration::from_secs(90) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    server.kill();

    let processor = audit::Processor::from_events(&events(stand_in.base_url()).await);
    let db = server::db::connect(&url).await.unwrap();
    let figures = audit::check(&db, &acked, &processor, FEE).await;
    println!(
        "chaos on {}: seed {seed}, {cycles} kill -9 cycles in {:.0?}; {} checkouts and {} \
         orders acknowledged, {} found, {} lost; {} card payments, {} refunds, {} \
         settlements; {} calls unanswered while down; refused: {:?}",
        match db.get_database_backend() {
            sea_orm::DbBackend::Sqlite => "SQLite",
            _ => "PostgreSQL",
        },
        started.elapsed(),
        figures.checkouts_acknowledged,
        figures.orders_acknowledged,
        figures.orders_found,
        figures.lost,
        figures.payments,
        figures.refunds,
        figures.settlements,
        acked.unanswered,
        acked.refused,
    );
    assert!(figures.orders_acknowledged > 0, "the load placed no order");
}
