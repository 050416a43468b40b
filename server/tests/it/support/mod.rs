//! The test harness: the real application on port 0 with a fresh database, and visitors that
//! speak to it over HTTP as a browser would (`Visitor`), with helpers named in the language of
//! the domain. Beside it, the fixtures more than one test stands on: a card checkout across
//! two stalls (`cards`), the Stripe double on its own (`stripe_double`), a registry and its
//! months of history (`registry`), an app whose clock stands in Lào Cai (`clock`), and the
//! sessions in the database, aged behind the app's back (`sessions`).
pub mod cards;
pub mod clock;
pub mod registry;
mod sessions;
mod staff;
pub mod stripe_double;
mod visitor;

pub use visitor::{Failure, Visitor, png, session_cookie, stall_fields};

use app::model::Stall;
use leptos::prelude::LeptosOptions;
use sea_orm::{ConnectionTrait, Database};
use server::config::Settings;
use server::startup::Application;
use std::sync::Arc;

pub const PASSWORD: &str = "mat-khau-an-toan";

/// The site as its visitors and staff reach it: its address, and the settings (database, clock)
/// the fixtures use to appoint staff directly in its database. A [`TestApp`] is one, and so is
/// the real `choso` binary run as a child process (`chaos`).
pub struct Site {
    pub base: String,
    pub settings: Settings,
}

pub struct TestApp {
    pub site: Site,
    pub ports: app::ports::Ports,
    pub webhook_secret: String,
    /// Seals the keys of the stalls' bank-notification services, as the app does.
    pub sealing: server::sealed::SealingKey,
    /// The catalog pages the app keeps, and how many statements its connection ran.
    pub pages: server::page_cache::PageCache,
    pub queries: server::db::QueryCount,
    _dir: Arc<tempfile::TempDir>,
}

/// `RUST_LOG=…` shows the server's log with the test's output, e.g. `tower_http=debug` to follow
/// each request.
fn trace_when_asked() {
    static INIT: std::sync::Once = std::sync::Once::new();
    if let Ok(filter) = std::env::var("RUST_LOG") {
        INIT.call_once(|| {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        });
    }
}

/// A fresh database: a SQLite file in a temporary folder, or a new PostgreSQL database when
/// `CHOSO_TEST_DATABASE` names a server.
pub async fn fresh_database(dir: &std::path::Path) -> String {
    match std::env::var("CHOSO_TEST_DATABASE") {
        Ok(admin_url) => {
            let name = format!("choso_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url)
                .await
                .expect("connecting to the PostgreSQL test server");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("creating a test database");
            let (server, _) = admin_url.rsplit_once('/').expect("a database URL");
            format!("{server}/{name}")
        }
        Err(_) => format!("sqlite://{}/test.db?mode=rwc", dir.display()),
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// The app with its settings changed first (e.g. a Stripe that can't be reached).
    pub async fn spawn_with(change: impl FnOnce(&mut Settings)) -> TestApp {
        trace_when_asked();
        let dir = Arc::new(tempfile::tempdir().unwrap());
        let mut settings = Settings {
            database_url: fresh_database(dir.path()).await.into(),
            data_dir: dir.path().to_path_buf(),
            session_idle: std::time::Duration::from_secs(3600),
            // Card payments go to the stand-in, as in the demo; a test turns it off to see
            // what a site without Stripe keys does.
            card_stand_in: true,
            // Every test visitor comes from 127.0.0.1, like many shoppers behind one Wi-Fi.
            hold_limits: app::domain::order::HoldLimits {
                per_address: 100_000,
                ..Default::default()
            },
            ..Settings::defaults()
        };
        change(&mut settings);
        let options = LeptosOptions::builder()
            .output_name("choso")
            .site_root(dir.path().display().to_string())
            .site_addr(([127, 0, 0, 1], 0))
            .build();
        let application = Application::build(&settings, options)
            .await
            .expect("building the app");
        let base = format!("http://{}", application.local_addr());
        let ports = application.ports.clone();
        let webhook_secret = application.webhook_secret.clone();
        let sealing = application.sealing.clone();
        let pages = application.pages.clone();
        let queries = application.queries.clone();
        tokio::spawn(application.run());
        TestApp {
            site: Site { base, settings },
            ports,
            webhook_secret,
            sealing,
            pages,
            queries,
            _dir: dir,
        }
    }

    /// How many photo files the app has stored (two for each photo: display and thumbnail).
    pub fn stored_photo_files(&self) -> usize {
        std::fs::read_dir(self._dir.path().join("photos")).map_or(0, |dir| dir.count())
    }

    /// Runs the server's sweep (reconciliation, expiry, refunds) as its clock would at `now`;
    /// returns how many orders expired.
    pub async fn sweep(&self, now: chrono::DateTime<chrono::Utc>) -> usize {
        server::jobs::sweep(&self.ports, self.settings.platform_fee, now)
            .await
            .unwrap()
    }
}

impl std::ops::Deref for TestApp {
    type Target = Site;

    fn deref(&self) -> &Site {
        &self.site
    }
}

impl Site {
    pub fn anonymous(&self) -> Visitor {
        Visitor {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                // A request the server never answers fails its test instead of stalling the run.
                .timeout(std::time::Duration::from_secs(60))
                .build()
                .unwrap(),
        }
    }

    pub async fn seed_demo(&self) {
        let db = server::db::connect(&self.settings.database_url)
            .await
            .unwrap();
        server::seed::seed_demo(&db, &self.settings)
            .await
            .expect("seeding the demo data");
    }

    async fn staff(
        &self,
        login: &str,
        role: app::domain::role::Role,
        market: Option<app::domain::market::Market>,
    ) -> Visitor {
        let db = server::db::connect(&self.settings.database_url)
            .await
            .unwrap();
        let id = server::seed::create_user(
            &db,
            "Cán bộ",
            app::domain::email::Login::parse(login).unwrap(),
            PASSWORD,
            role,
        )
        .await
        .unwrap();
        app::ports::Accounts::set_role(
            &server::db::stores(&db, &self.settings.clock).accounts,
            id,
            role,
            market,
        )
        .await
        .unwrap();
        let visitor = self.anonymous();
        visitor.log_in(login, PASSWORD).await.expect("staff log-in");
        visitor
    }

    pub async fn manager(&self, market: &str) -> Visitor {
        let market: app::domain::market::Market = market.parse().unwrap();
        self.staff(
            &format!("quanly.{}@test.vn", market.slug()),
            app::domain::role::Role::MarketManager,
            Some(market),
        )
        .await
    }

    /// An approved vendor at `market` who takes VietQR transfers, with one published product
    /// sold by the kg at `price` and `stock` (empty: unlimited).
    pub async fn transfer_vendor(
        &self,
        phone: &str,
        market: &str,
        (name, price, stock): (&str, &str, &str),
    ) -> (Visitor, app::domain::id::ProductId) {
        let (vendor, _) = self.approved_vendor(phone, market).await;
        let product = vendor
            .add_product(name, price, stock, true)
            .await
            .expect("listing a product");
        (vendor, product)
    }

    pub async fn admin(&self) -> Visitor {
        self.staff("admin@test.vn", app::domain::role::Role::Admin, None)
            .await
    }

    pub async fn vendor(&self, phone: &str) -> Visitor {
        let v = self.anonymous();
        v.sign_up("Tiểu thương", phone, "vendor")
            .await
            .expect("vendor sign-up");
        v
    }

    pub async fn shopper(&self, phone: &str) -> Visitor {
        let v = self.anonymous();
        v.sign_up("Khách", phone, "shopper")
            .await
            .expect("shopper sign-up");
        v
    }

    /// A vendor whose market stall, trading on Sundays, its market's manager has approved:
    /// it takes VietQR transfers, since a stall nobody can pay is never approved.
    pub async fn approved_vendor(&self, phone: &str, market: &str) -> (Visitor, Stall) {
        self.approved_vendor_on(phone, market, &["sun"]).await
    }

    /// Like [`TestApp::approved_vendor`], for a stall trading on `days` (weekday slugs).
    pub async fn approved_vendor_on(
        &self,
        phone: &str,
        market: &str,
        days: &[&str],
    ) -> (Visitor, Stall) {
        let vendor = self.vendor(phone).await;
        let stall = vendor
            .open_market_stall_on(&format!("Gian {phone}"), market, days)
            .await;
        vendor.call("/api/submit_stall", &[]).await.unwrap();
        vendor.set_payments(true, false, "0").await;
        self.manager_once(market)
            .await
            .move_stall(stall.id, "approve")
            .await
            .unwrap();
        let stall = vendor.my_stall().await.unwrap().0;
        (vendor, stall)
    }

    /// The market's manager, signed in anew if someone already made them.
    pub async fn manager_once(&self, market: &str) -> Visitor {
        let login = format!("quanly.{market}@test.vn");
        let v = self.anonymous();
        if v.log_in(&login, PASSWORD).await.is_ok() {
            return v;
        }
        self.manager(market).await
    }
}
