//! A visitor of the site: a browser with its own cookies, and the server functions and forms it
//! uses, named as the domain names them.
use super::PASSWORD;
use app::api::AppError;
use app::domain::id::{OrderId, ProductId, StallId};
use app::model::{Hit, Product, Stall, User};
use reqwest::header::HeaderMap;

/// A page of a stall's orders and its sales summary, as `/api/stall_orders` answers.
type StallOrders = (
    app::domain::paging::Paged<app::model::Order>,
    serde_json::Value,
);

pub struct Visitor {
    pub(super) base: String,
    pub(super) http: reqwest::Client,
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

/// The stall form with every field, at `place` (form fields without the `form[…]` wrapping).
pub fn stall_fields<'a>(name: &'a str, place: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", name),
        ("description_vi", "Hàng nhà làm."),
        ("phone", "0912 000 999"),
        ("sun", "on"),
    ];
    fields.extend_from_slice(place);
    fields
}

/// Why a server function call brought no answer: the app refused it, or nobody answered (the
/// server was down, or died while answering).
#[derive(Debug)]
pub enum Failure {
    Refused(AppError),
    Unanswered(String),
}

impl Failure {
    /// The app's refusal; a call nobody answered fails the test.
    fn refusal(self, path: &str) -> AppError {
        match self {
            Failure::Refused(refusal) => refusal,
            Failure::Unanswered(why) => panic!("{path}: {why}"),
        }
    }
}

/// The headers a form post carries: as the hydrated app sends them (same-origin, answer as
/// JSON), and `extra`.
fn headers_of(extra: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    map.insert("accept", "application/json".parse().unwrap());
    for (k, v) in extra {
        map.insert(*k, v.parse().unwrap());
    }
    map
}

impl Visitor {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// A page or download asked for with `headers` (a browser's `accept-language`, say).
    pub async fn get_with_headers(
        &self,
        path: &str,
        headers: &[(&'static str, &str)],
    ) -> reqwest::Response {
        let mut request = self.http.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.unwrap()
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
        self.try_post_form_with(path, form, &headers_of(headers))
            .await
            .unwrap()
    }

    /// Posts a form as the hydrated app does; the transport's error when nobody answers.
    async fn try_post_form_with(
        &self,
        path: &str,
        form: &[(&str, &str)],
        headers: &HeaderMap,
    ) -> Result<reqwest::Response, reqwest::Error> {
        self.http
            .post(format!("{}{path}", self.base))
            .headers(headers.clone())
            .form(form)
            .send()
            .await
    }

    /// Calls a server function and decodes its answer or its [`AppError`].
    pub async fn call_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<T, AppError> {
        self.try_call_json(path, form)
            .await
            .map_err(|failure| failure.refusal(path))
    }

    /// Like [`Visitor::call_json`], for a server that may be down: not being answered is a
    /// [`Failure::Unanswered`], not a panic.
    pub async fn try_call_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<T, Failure> {
        let unanswered = |e: reqwest::Error| Failure::Unanswered(e.to_string());
        let res = self
            .try_post_form_with(path, form, &headers_of(&[]))
            .await
            .map_err(unanswered)?;
        let status = res.status();
        let body = res.text().await.map_err(unanswered)?;
        if status.is_success() || status.is_redirection() {
            Ok(
                serde_json::from_str(if body.is_empty() { "null" } else { &body })
                    .unwrap_or_else(|e| panic!("{path}: {e}: {body}")),
            )
        } else {
            serde_json::from_str(&body).map_or_else(
                |e| Err(Failure::Unanswered(format!("{status}: {e}: {body}"))),
                |refusal| Err(Failure::Refused(refusal)),
            )
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

    pub async fn move_stall(&self, stall_id: StallId, step: &str) -> Result<(), AppError> {
        self.call(
            "/api/move_stall",
            // As the review page posts it: a suspension's second button says it was confirmed.
            &[
                ("stall_id", &stall_id.to_string()),
                ("step", step),
                ("confirmed", "yes"),
            ],
        )
        .await
    }

    /// Adds a published craft with its own description, and returns its id.
    pub async fn add_product_described(
        &self,
        name: &str,
        description: &str,
    ) -> Result<ProductId, AppError> {
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
    ) -> Result<ProductId, AppError> {
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

    pub async fn my_product(&self, id: ProductId) -> Product {
        self.call_json("/api/my_product", &[("product_id", &id.to_string())])
            .await
            .unwrap()
    }

    /// The first page of a search's results.
    pub async fn search_hits(&self, q: &str) -> Vec<Hit> {
        self.search_page(&[("params[q]", q)]).await.hits.items
    }

    /// Every page of a search's results, in their order, read until one says no other follows.
    pub async fn search_all(&self, fields: &[(&str, &str)]) -> Vec<Hit> {
        let mut hits = Vec::new();
        for page in 1.. {
            let page = page.to_string();
            let mut with_page = fields.to_vec();
            with_page.push(("params[page]", &page));
            let found = self.search_page(&with_page).await;
            hits.extend(found.hits.items);
            if !found.hits.has_next {
                return hits;
            }
        }
        unreachable!("pages are numbered without end")
    }

    /// A page of search results for the form's `fields` (`params[q]`, `params[page]`, …).
    pub async fn search_page(&self, fields: &[(&str, &str)]) -> app::api::browse::SearchResults {
        self.call_json("/api/search", fields).await.unwrap()
    }

    pub async fn search(&self, q: &str) -> Vec<String> {
        self.search_hits(q)
            .await
            .into_iter()
            .map(|h| h.product.name)
            .collect()
    }

    /// Posts a photo to product `id`'s upload; the answer as it comes.
    pub async fn post_photo(&self, id: ProductId, name: &str, bytes: Vec<u8>) -> reqwest::Response {
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

    /// Posts the new-product form as a browser does: `fields` as named on the page
    /// (`form[name]`, `submission`), then each photo (file name, bytes) in the `photos` field.
    pub async fn post_new_product(
        &self,
        fields: &[(&str, &str)],
        photos: &[(&str, Vec<u8>)],
    ) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        for (file, bytes) in photos {
            let part = reqwest::multipart::Part::bytes(bytes.clone()).file_name(file.to_string());
            form = form.part("photos", part);
        }
        let url = format!("{}/my/products/new", self.base);
        self.http.post(url).multipart(form).send().await.unwrap()
    }

    /// Uploads a photo and returns where the answer redirects to.
    pub async fn upload_photo(&self, id: ProductId, name: &str, bytes: Vec<u8>) -> String {
        let res = self.post_photo(id, name, bytes).await;
        assert_eq!(res.status(), 303);
        res.headers()["location"].to_str().unwrap().to_string()
    }

    pub async fn upload_photo_status(&self, id: ProductId, bytes: Vec<u8>) -> u16 {
        self.post_photo(id, "p.png", bytes).await.status().as_u16()
    }

    /// Asks to remove the photo `key` of product `id`, confirmed as the page's second button
    /// does; the answer as it comes.
    pub async fn delete_photo(&self, id: ProductId, key: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/my/products/{id}/photos/delete", self.base))
            .form(&[("key", key), ("confirmed", "yes")])
            .send()
            .await
            .unwrap()
    }

    /// Posts the stall's photo; the answer as it comes.
    pub async fn post_stall_photo(&self, bytes: Vec<u8>) -> reqwest::Response {
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

    pub async fn add_to_cart(&self, product_id: ProductId, quantity: &str) -> Result<(), AppError> {
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
    /// it, paying every stall by `method`; returns the checkout token.
    pub async fn place_order(
        &self,
        method: &str,
        extra: &[(&str, &str)],
    ) -> Result<String, AppError> {
        self.try_place_order(method, extra)
            .await
            .map_err(|failure| failure.refusal("/api/place_order"))
    }

    /// Like [`Visitor::place_order`], for a server that may be down.
    pub async fn try_place_order(
        &self,
        method: &str,
        extra: &[(&str, &str)],
    ) -> Result<String, Failure> {
        let cart: app::model::CartView = self.try_call_json("/api/my_cart", &[]).await?;
        let per_stall: Vec<(String, String)> = cart
            .stalls
            .iter()
            .flat_map(|stall| {
                let first = stall.pickup_dates.first();
                [
                    (
                        format!("pickup_days[{}]", stall.stall_id),
                        first.map_or(String::new(), |(_, date)| date.to_string()),
                    ),
                    (format!("methods[{}]", stall.stall_id), method.to_owned()),
                ]
            })
            .collect();
        let mut form = vec![
            ("form[name]", "Khách Sa Pa"),
            ("form[phone]", "0912 888 999"),
            ("form[fulfilment]", "pickup"),
        ];
        form.extend(
            per_stall
                .iter()
                .map(|(key, value)| (key.as_str(), value.as_str())),
        );
        // A field given in `extra` replaces the default one.
        form.retain(|(key, _)| !extra.iter().any(|(k, _)| k == key));
        form.extend_from_slice(extra);
        self.try_call_json("/api/place_order", &form).await
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

    /// Every order of the vendor's stall, newest first, read page after page.
    pub async fn stall_orders(&self) -> Vec<app::model::Order> {
        let mut all = Vec::new();
        for page in 1.. {
            let page = page.to_string();
            let (orders, _): StallOrders = self
                .call_json("/api/stall_orders", &[("page", page.as_str())])
                .await
                .unwrap();
            all.extend(orders.items);
            if !orders.has_next {
                break;
            }
        }
        all
    }

    pub async fn move_order(&self, order_id: OrderId, step: &str) -> Result<(), AppError> {
        self.call(
            "/api/move_order",
            // As the orders page posts it: money received and a cancellation are confirmed.
            &[
                ("order_id", &order_id.to_string()),
                ("step", step),
                ("confirmed", "yes"),
            ],
        )
        .await
    }

    /// Posts a bank statement CSV to the statements upload; the answer as it comes.
    pub async fn post_statement(&self, csv: &str) -> reqwest::Response {
        let form = reqwest::multipart::Form::new().part(
            "statement",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("saoke.csv"),
        );
        self.http
            .post(format!("{}/my/statements", self.base))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// Uploads a bank statement CSV; returns where the answer redirects to.
    pub async fn upload_statement(&self, csv: &str) -> String {
        let res = self.post_statement(csv).await;
        assert_eq!(res.status(), 303);
        res.headers()["location"].to_str().unwrap().to_string()
    }
}
