//! The test harness: the real application on port 0 with a fresh database, and visitors that
//! speak to it over HTTP as a browser would, with helpers named in the language of the domain.
#![allow(dead_code)]

use app::api::AppError;
use app::model::{Hit, Product, Stall, User};
use leptos::prelude::LeptosOptions;
use reqwest::header::HeaderMap;
use sea_orm::{ConnectionTrait, Database};
use server::config::Settings;
use server::startup::Application;
use std::sync::Arc;

pub const PASSWORD: &str = "mat-khau-an-toan";

pub struct TestApp {
    pub base: String,
    pub settings: Settings,
    pub ports: app::ports::Ports,
    pub webhook_secret: String,
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
        tokio::spawn(application.run());
        TestApp {
            base,
            settings,
            ports,
            webhook_secret,
            _dir: dir,
        }
    }

    /// Runs the expiry sweep as the server's clock would at `now`.
    pub async fn expire_orders(&self, now: chrono::DateTime<chrono::Utc>) -> usize {
        server::jobs::expire_orders(&self.ports, now).await.unwrap()
    }

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

    /// A vendor whose market stall, trading on Sundays, its market's manager has approved.
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

pub struct Visitor {
    base: String,
    http: reqwest::Client,
}

pub fn session_cookie(res: &reqwest::Response) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("choso_session="))
        .map(|c| c.split(';').next().unwrap().to_string())
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([200, 120, 40]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

impl Visitor {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_form_with(path, form, &[]).await
    }

    pub async fn post_form_with(
        &self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&'static str, &str)],
    ) -> reqwest::Response {
        let mut map = HeaderMap::new();
        // As the hydrated app sends them: same-origin, answer as JSON.
        map.insert("accept", "application/json".parse().unwrap());
        for (k, v) in headers {
            map.insert(*k, v.parse().unwrap());
        }
        self.http
            .post(format!("{}{path}", self.base))
            .headers(map)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Calls a server function and decodes its answer or its [`AppError`].
    pub async fn call_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<T, AppError> {
        let res = self.post_form(path, form).await;
        let status = res.status();
        let body = res.text().await.unwrap();
        if status.is_success() || status.is_redirection() {
            Ok(
                serde_json::from_str(if body.is_empty() { "null" } else { &body })
                    .unwrap_or_else(|e| panic!("{path}: {e}: {body}")),
            )
        } else {
            Err(serde_json::from_str(&body)
                .unwrap_or_else(|e| panic!("{path} answered {status}: {e}: {body}")))
        }
    }

    pub async fn call(&self, path: &str, form: &[(&str, &str)]) -> Result<(), AppError> {
        self.call_json::<serde_json::Value>(path, form)
            .await
            .map(|_| ())
    }

    pub async fn sign_up(&self, name: &str, login: &str, account: &str) -> Result<(), AppError> {
        self.call(
            "/api/sign_up",
            &[
                ("full_name", name),
                ("login", login),
                ("password", PASSWORD),
                ("account", account),
            ],
        )
        .await
    }

    pub async fn log_in(&self, login: &str, password: &str) -> Result<(), AppError> {
        self.call("/api/log_in", &[("login", login), ("password", password)])
            .await
    }

    pub async fn who_am_i(&self) -> Option<User> {
        self.call_json("/api/who_am_i", &[]).await.unwrap()
    }

    pub async fn save_stall(&self, fields: &[(&str, &str)]) -> Result<(), AppError> {
        let named: Vec<(String, &str)> = fields
            .iter()
            .map(|(k, v)| (format!("form[{k}]"), *v))
            .collect();
        let form: Vec<(&str, &str)> = named.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        self.call("/api/save_stall", &form).await
    }

    /// Opens a stall at `market` under a stall number of its own (one pitch, one stall),
    /// trading on Sundays.
    pub async fn open_market_stall(&self, name: &str, market: &str) -> Stall {
        self.open_market_stall_on(name, market, &["sun"]).await
    }

    /// Opens a stall at `market` trading on `days` (weekday slugs such as `mon`).
    pub async fn open_market_stall_on(&self, name: &str, market: &str, days: &[&str]) -> Stall {
        static NEXT_PITCH: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let pitch = format!(
            "T-{}",
            NEXT_PITCH.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let mut fields = vec![
            ("name", name),
            ("place_kind", "market"),
            ("market", market),
            ("stall_no", &pitch),
            ("description_vi", "Hàng nhà trồng, bán tại chợ."),
            ("phone", "0912 000 999"),
        ];
        fields.extend(days.iter().map(|day| (*day, "on")));
        self.save_stall(&fields).await.expect("opening a stall");
        self.my_stall().await.expect("the stall exists").0
    }

    pub async fn my_stall(&self) -> Option<(Stall, Vec<Product>)> {
        self.call_json("/api/my_stall", &[]).await.unwrap()
    }

    pub async fn move_stall(&self, stall_id: i64, step: &str) -> Result<(), AppError> {
        self.call(
            "/api/move_stall",
            &[("stall_id", &stall_id.to_string()), ("step", step)],
        )
        .await
    }

    /// Adds a published craft with its own description, and returns its id.
    pub async fn add_product_described(
        &self,
        name: &str,
        description: &str,
    ) -> Result<i64, AppError> {
        self.call_json(
            "/api/save_product",
            &[
                ("form[name]", name),
                ("form[description_vi]", description),
                ("form[category]", "crafts"),
                ("form[unit]", "cai"),
                ("form[price]", "550000"),
                ("form[published]", "on"),
            ],
        )
        .await
    }

    /// Adds a product to the vendor's stall, sold by the kg, and returns its id.
    pub async fn add_product(
        &self,
        name: &str,
        price: &str,
        stock: &str,
        published: bool,
    ) -> Result<i64, AppError> {
        let mut form = vec![
            ("form[name]", name),
            ("form[description_vi]", "Đặc sản Lào Cai."),
            ("form[category]", "fruit"),
            ("form[unit]", "kg"),
            ("form[price]", price),
            ("form[stock]", stock),
        ];
        if published {
            form.push(("form[published]", "on"));
        }
        self.call_json("/api/save_product", &form).await
    }

    pub async fn my_product(&self, id: i64) -> Product {
        self.call_json("/api/my_product", &[("product_id", &id.to_string())])
            .await
            .unwrap()
    }

    pub async fn search_hits(&self, q: &str) -> Vec<Hit> {
        self.call_json("/api/search", &[("params[q]", q)])
            .await
            .unwrap()
    }

    pub async fn search(&self, q: &str) -> Vec<String> {
        self.search_hits(q)
            .await
            .into_iter()
            .map(|h| h.product.name)
            .collect()
    }

    async fn post_photo(&self, id: i64, name: &str, bytes: Vec<u8>) -> reqwest::Response {
        let form = reqwest::multipart::Form::new().part(
            "photo",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
        );
        self.http
            .post(format!("{}/my/products/{id}/photos", self.base))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// Uploads a photo and returns where the answer redirects to.
    pub async fn upload_photo(&self, id: i64, name: &str, bytes: Vec<u8>) -> String {
        let res = self.post_photo(id, name, bytes).await;
        assert_eq!(res.status(), 303);
        res.headers()["location"].to_str().unwrap().to_string()
    }

    pub async fn upload_photo_status(&self, id: i64, bytes: Vec<u8>) -> u16 {
        self.post_photo(id, "p.png", bytes).await.status().as_u16()
    }

    /// Asks to remove the photo `key` of product `id`; the answer as it comes.
    pub async fn delete_photo(&self, id: i64, key: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/my/products/{id}/photos/delete", self.base))
            .form(&[("key", key)])
            .send()
            .await
            .unwrap()
    }

    async fn post_stall_photo(&self, bytes: Vec<u8>) -> reqwest::Response {
        let form = reqwest::multipart::Form::new().part(
            "photo",
            reqwest::multipart::Part::bytes(bytes).file_name("gian-hang.png"),
        );
        self.http
            .post(format!("{}/my/stall/photo", self.base))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// Uploads the stall's photo and returns where the answer redirects to.
    pub async fn upload_stall_photo(&self, bytes: Vec<u8>) -> String {
        let res = self.post_stall_photo(bytes).await;
        assert_eq!(res.status(), 303);
        res.headers()["location"].to_str().unwrap().to_string()
    }

    pub async fn upload_stall_photo_status(&self, bytes: Vec<u8>) -> u16 {
        self.post_stall_photo(bytes).await.status().as_u16()
    }

    /// Sets the vendor's bank account for VietQR (Vietcombank) and whether the stall takes cards.
    pub async fn set_payments(&self, bank: bool, cards: bool, delivery_fee: &str) {
        let mut form = vec![("form[delivery_fee]", delivery_fee)];
        if bank {
            form.extend([
                ("form[bank_bin]", "970436"),
                ("form[account_number]", "0011001234567"),
                ("form[account_holder]", "Nguyễn Thị Hằng"),
            ]);
        }
        if cards {
            form.push(("form[accepts_cards]", "on"));
        }
        self.call("/api/save_payment_settings", &form)
            .await
            .expect("saving payment settings");
    }

    pub async fn add_to_cart(&self, product_id: i64, quantity: &str) -> Result<(), AppError> {
        self.call(
            "/api/add_to_cart",
            &[
                ("product_id", &product_id.to_string()),
                ("quantity", quantity),
            ],
        )
        .await
    }

    /// Checks out the cart for pickup at every stall in it on the first date the cart offers
    /// it, paying by `method`; returns the checkout token.
    pub async fn place_order(
        &self,
        method: &str,
        extra: &[(&str, &str)],
    ) -> Result<String, AppError> {
        let dates: Vec<(String, String)> = self
            .cart()
            .await
            .stalls
            .iter()
            .map(|stall| {
                let first = stall.pickup_dates.first();
                (
                    format!("pickup_days[{}]", stall.stall_id),
                    first.map_or(String::new(), |(_, date)| date.to_string()),
                )
            })
            .collect();
        let mut form = vec![
            ("form[name]", "Khách Sa Pa"),
            ("form[phone]", "0912 888 999"),
            ("form[fulfilment]", "pickup"),
            ("form[method]", method),
        ];
        form.extend(
            dates
                .iter()
                .map(|(key, date)| (key.as_str(), date.as_str())),
        );
        // A field given in `extra` replaces the default one.
        form.retain(|(key, _)| !extra.iter().any(|(k, _)| k == key));
        form.extend_from_slice(extra);
        self.call_json("/api/place_order", &form).await
    }

    /// The visitor's cart, grouped by stall.
    pub async fn cart(&self) -> app::model::CartView {
        self.call_json("/api/my_cart", &[]).await.unwrap()
    }

    pub async fn checkout(&self, token: &str) -> app::model::CheckoutView {
        self.call_json("/api/checkout_page", &[("token", token)])
            .await
            .unwrap()
    }

    pub async fn stall_orders(&self) -> Vec<app::model::Order> {
        let (orders, _): (Vec<app::model::Order>, serde_json::Value) =
            self.call_json("/api/stall_orders", &[]).await.unwrap();
        orders
    }

    pub async fn move_order(&self, order_id: i64, step: &str) -> Result<(), AppError> {
        self.call(
            "/api/move_order",
            &[("order_id", &order_id.to_string()), ("step", step)],
        )
        .await
    }

    /// Uploads a bank statement CSV; returns where the answer redirects to.
    pub async fn upload_statement(&self, csv: &str) -> String {
        let form = reqwest::multipart::Form::new().part(
            "statement",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("saoke.csv"),
        );
        let res = self
            .http
            .post(format!("{}/my/statements", self.base))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 303);
        res.headers()["location"].to_str().unwrap().to_string()
    }
}

impl Visitor {
    /// Posts a registry CSV to the administrators' upload, as the registry page's form does.
    pub async fn upload_registry(&self, csv: &str, strict: bool) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new().part(
            "registry",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("registry.csv"),
        );
        if strict {
            form = form.text("strict", "on");
        }
        self.http
            .post(format!("{}/admin/registry", self.base))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// The onboarding report page's data as of `as_of`, for `segment` (the default when empty).
    pub async fn report(
        &self,
        as_of: &str,
        segment: &str,
    ) -> Result<app::api::reports::OnboardingPage, AppError> {
        self.call_json(
            "/api/onboarding_report",
            &[("as_of", as_of), ("segment", segment)],
        )
        .await
    }

    pub async fn registry(&self) -> app::api::reports::RegistryView {
        self.call_json("/api/registry_overview", &[]).await.unwrap()
    }

    pub async fn link_entry(&self, stall_id: i64, external_id: &str) -> Result<(), AppError> {
        self.call(
            "/api/link_registry_entry",
            &[
                ("stall_id", &stall_id.to_string()),
                ("external_id", external_id),
            ],
        )
        .await
    }

    /// A GET with a bearer token (or none).
    pub async fn get_with_token(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.unwrap()
    }
}
