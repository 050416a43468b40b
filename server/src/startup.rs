//! Builds the whole application — database, ports, sessions, routes — and binds it, so the
//! binary and the integration tests start exactly the same thing.
use crate::config::Settings;
use crate::db;
use crate::http;
use crate::payments::bank_services::StandInServices;
use crate::photos::{FileStorage, PhotoStorage};
use anyhow::Context;
use app::app::{App, shell};
use app::ports::Ports;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sea_orm::DatabaseConnection;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub ports: Ports,
    pub photos: Arc<dyn PhotoStorage>,
    /// Signs Stripe's webhooks (or the stand-in's).
    pub webhook_secret: String,
    /// Whether the card payments are real money (a live key): only events of that mode apply.
    pub cards_live: bool,
    /// How long an order waits for its payment.
    pub expiry: app::domain::order::ExpiryPolicy,
    /// How many unpaid checkouts a shopper may hold at once.
    pub hold_limits: app::domain::order::HoldLimits,
    /// The platform's share of the card payments it collects.
    pub platform_fee: app::domain::order::PlatformFee,
    /// `CHOSO_PUBLIC_URL`, for the absolute addresses of Open Graph tags.
    pub public_url: app::components::meta::PublicUrl,
    /// Webhooks refused, counted until they are written as payment alerts.
    pub watch: Arc<crate::payments::watch::WebhookWatch>,
    /// Seals and opens the keys of the stalls' bank-notification services.
    pub sealing: crate::sealed::SealingKey,
    /// The changes open order pages watch, and how many may watch.
    pub live: http::live_events::Live,
    /// The catalog pages kept for visitors without a session.
    pub pages: crate::page_cache::PageCache,
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    pub db: DatabaseConnection,
    pub ports: Ports,
    /// The secret webhooks must be signed with (tests sign their own events with it).
    pub webhook_secret: String,
    /// Seals the stalls' bank-notification keys (tests link services with it).
    pub sealing: crate::sealed::SealingKey,
    /// The payOS and SePay stand-in, when it runs.
    bank_stand_in: Option<Arc<StandInServices>>,
    platform_fee: app::domain::order::PlatformFee,
    watch: Arc<crate::payments::watch::WebhookWatch>,
    /// The catalog pages kept for visitors without a session (tests read its hits).
    pub pages: crate::page_cache::PageCache,
    /// How many statements the app's connection has run.
    pub queries: db::QueryCount,
}

impl Application {
    /// Connects and migrates the database, then binds `leptos_options.site_addr` (port 0 picks
    /// a free port, as the tests do).
    pub async fn build(settings: &Settings, leptos_options: LeptosOptions) -> anyhow::Result<Self> {
        let mut db = db::connect(&settings.database_url).await?;
        let queries = db::count_queries(&mut db);
        db::migrate(&db).await?;
        let bundle = Arc::new(http::assets::Bundle::load(&leptos_options));
        let leptos_options = bundle.addressed(leptos_options);
        let listener = TcpListener::bind(leptos_options.site_addr)
            .await
            .with_context(|| format!("binding {}", leptos_options.site_addr))?;
        let addr = listener.local_addr()?;
        let (cards, webhook_secret) = card_payments(settings, addr).await?;
        let sealing = crate::sealed::sealing_key(settings)?;
        let sealer = Arc::new(sealing.clone());
        let (bank_services, bank_stand_in) = bank_services(settings, addr, &sealing).await?;
        let pages = crate::page_cache::PageCache::new(db.clone());
        let hub = crate::live::Hub::new(db.clone(), settings.live.recheck, pages.changes());
        let state = AppState {
            leptos_options,
            db: db.clone(),
            ports: db::ports(&db, cards, &settings.clock, sealer, bank_services, &hub),
            photos: Arc::new(FileStorage(settings.photo_dir())),
            webhook_secret,
            cards_live: settings.stripe.as_ref().is_some_and(|s| {
                use secrecy::ExposeSecret;
                s.secret_key.expose_secret().starts_with("sk_live_")
            }),
            expiry: settings.expiry,
            hold_limits: settings.hold_limits,
            platform_fee: settings.platform_fee,
            public_url: app::components::meta::PublicUrl(settings.public_url.clone()),
            watch: Arc::default(),
            sealing: sealing.clone(),
            live: http::live_events::Live {
                hub,
                limits: Arc::new(crate::live::StreamLimits::new(
                    settings.live.per_client,
                    settings.live.overall,
                )),
                longest: settings.live.longest,
            },
            pages: pages.clone(),
        };
        let ports = state.ports.clone();
        let webhook_secret = state.webhook_secret.clone();
        let watch = state.watch.clone();
        let router = router(state, settings, bundle);
        let application = Application {
            listener,
            router,
            db,
            ports,
            webhook_secret,
            sealing,
            bank_stand_in,
            platform_fee: settings.platform_fee,
            watch,
            pages,
            queries,
        };
        application.open_stand_in_accounts().await?;
        Ok(application)
    }

    /// With the bank stand-in: opens its account for every stall linked to a service (again
    /// after the demo seed links some).
    pub async fn open_stand_in_accounts(&self) -> anyhow::Result<()> {
        match &self.bank_stand_in {
            Some(stand_in) => stand_in.open_accounts(self.ports.bank.as_ref()).await,
            None => Ok(()),
        }
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub async fn run(self) -> std::io::Result<()> {
        crate::jobs::spawn_sweep(self.ports.clone(), self.platform_fee, self.watch.clone());
        crate::jobs::spawn_session_sweep(db::sessions::DbSessionStore(self.db.clone()));
        // Without TCP_NODELAY a small answer on a kept-alive connection can wait for the
        // client's delayed acknowledgement of the one before: tens of milliseconds per file.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::debug!(error = %err, "could not set TCP_NODELAY on a connection");
            }
        });
        axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    }
}

/// The app's routes, generated once per process. Generating them renders the app with resource
/// loading suppressed by a process-wide flag, so a page rendered by another server in the same
/// process at that moment would wait forever (leptos-rs/leptos#4773); the integration tests run
/// many servers side by side.
fn routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// What every page and server function finds in its Leptos context: the ports, the payment
/// deadlines and the site's public address. The 404 page gets it too, so its header shows who
/// is signed in like any other page.
fn app_context(state: &AppState) -> impl Fn() + Clone + Send + Sync + use<> {
    let (ports, expiry, limits) = (state.ports.clone(), state.expiry, state.hold_limits);
    let public_url = state.public_url.clone();
    move || {
        provide_context(ports.clone());
        provide_context(expiry);
        provide_context(limits);
        provide_context(public_url.clone());
        provide_context(app::api::session::RequestUser::default());
    }
}

fn router(state: AppState, settings: &Settings, bundle: Arc<http::assets::Bundle>) -> Router {
    let routes = routes();
    let idle = settings.session_idle;
    let sessions = SessionManagerLayer::new(db::sessions::DbSessionStore(state.db.clone()))
        .with_name(http::page_cache::SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(settings.secure_cookies)
        .with_expiry(Expiry::OnInactivity(
            time::Duration::try_from(idle).unwrap_or(time::Duration::WEEK),
        ));
    let context = app_context(&state);
    let trust_proxy = settings.trust_proxy;
    let pages = state.pages.clone();
    Router::new()
        .route("/healthz", get(http::health::healthz))
        .route("/lang/{code}", get(http::lang::switch))
        .route("/photos/{name}", get(http::photos::serve))
        .merge(upload_routes())
        .route("/admin/report.csv", get(http::registry::report_csv))
        .route("/webhooks/stripe", post(http::stripe_webhook::receive))
        .route("/hooks/payos/{token}", post(http::bank_hooks::payos))
        .route("/hooks/sepay/{token}", post(http::bank_hooks::sepay))
        .route(
            "/api/v1/reports/onboarding",
            get(http::api_v1::onboarding_report),
        )
        .route("/api/v1/openapi.json", get(http::api_v1::openapi))
        .route("/api/v1/stalls", get(http::api_v1::stalls))
        .route(
            "/api/v1/stalls/{slug}/payment-qr",
            get(http::api_v1::payment_qr),
        )
        .route("/api/{*fn_name}", post(server_fns).get(server_fns))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        // Pages, server functions and photos keep a session alive; static files need not.
        .route_layer(axum::middleware::from_fn(
            move |session: tower_sessions::Session, req, next| {
                http::sessions::keep_alive(idle, session, req, next)
            },
        ))
        // The browser bundle, under its version: no session either.
        .route(
            &bundle.route(),
            get(move |req: axum::extract::Request| http::assets::serve(bundle.clone(), req)),
        )
        // A stream lasts long and reads no session: it neither keeps one alive nor needs it.
        .route(
            "/checkout/{token}/events",
            get(http::live_events::checkout_events),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(axum::middleware::from_fn(http::csrf::same_origin_only))
        // A form refused again without JavaScript goes back with its newest reason only.
        .layer(axum::middleware::map_response(http::refusals::newest_only))
        .layer(axum::middleware::from_fn(move |req, next| {
            http::client_addr::resolve(trust_proxy, req, next)
        }))
        .layer(sessions)
        // Outside the sessions, so it sees a session cookie the answer sets.
        .layer(axum::middleware::from_fn(http::page_cache::private_pages))
        // Outside the caching rules, so a kept page keeps the headers they gave it.
        .layer(axum::middleware::from_fn(move |req, next| {
            crate::page_cache::serve(pages.clone(), req, next)
        }))
        // Method, path and status of each request at DEBUG: enough to follow a request
        // without logging its query string, cookies or body.
        .layer(tower_http::trace::TraceLayer::new_for_http())
        // Outermost: every line logged while a request is served carries its id.
        .layer(axum::middleware::from_fn(crate::telemetry::request_id))
        .with_state(state)
}

/// Stripe when keys are configured; otherwise, when asked for, the built-in stand-in, which
/// posts its signed webhooks back to this server so simulated card payments run the same code
/// path; otherwise none. A stand-in is never started unasked: its control endpoints can "pay"
/// any session.
async fn card_payments(
    settings: &Settings,
    addr: SocketAddr,
) -> anyhow::Result<(Arc<dyn app::ports::CardPayments>, String)> {
    use crate::payments::cards::{CardsOff, StripeCards};
    use crate::payments::{StripeGateway, StripeSettings, double};
    use secrecy::ExposeSecret;
    let public_base = settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    if let Some(stripe) = &settings.stripe {
        let gateway = StripeGateway::new(stripe)?;
        return Ok((
            Arc::new(StripeCards::new(gateway, public_base, None)),
            stripe.webhook_secret.expose_secret().to_owned(),
        ));
    }
    // Unguessable, so that with cards off every webhook is refused.
    let secret = format!("whsec_{}", uuid::Uuid::new_v4().simple());
    if !settings.card_stand_in {
        tracing::warn!("no STRIPE_SECRET_KEY: card payments are off");
        return Ok((Arc::new(CardsOff), secret));
    }
    let webhook_url = format!("http://{addr}/webhooks/stripe");
    let (_, handle) = double::spawn(([127, 0, 0, 1], 0).into(), webhook_url, secret.clone())
        .await
        .context("starting the Stripe stand-in")?;
    let stand_in = StripeSettings {
        secret_key: "sk_test_choso_simulated".into(),
        webhook_secret: secret.clone().into(),
        api_base: Some(handle.base_url().to_string()),
        allow_live: false,
    };
    let gateway = StripeGateway::new(&stand_in)?;
    tracing::info!(stand_in = %handle.base_url(), "no STRIPE_SECRET_KEY: card payments are simulated");
    Ok((
        Arc::new(StripeCards::new(gateway, public_base, Some(handle))),
        secret,
    ))
}

/// The payOS and SePay stand-in when asked for (`CHOSO_BANK_STAND_IN`, the demo), posting to
/// this server; otherwise the real services, at their own addresses or at
/// [`Settings::bank_api_url`].
async fn bank_services(
    settings: &Settings,
    addr: SocketAddr,
    sealing: &crate::sealed::SealingKey,
) -> anyhow::Result<(
    Arc<dyn app::ports::BankServices>,
    Option<Arc<StandInServices>>,
)> {
    use crate::payments::bank::api::BankApi;
    use crate::payments::bank_services::RealServices;
    if !settings.bank_stand_in {
        let api = match &settings.bank_api_url {
            Some(url) => BankApi::at(url, url),
            None => BankApi::real(),
        };
        return Ok((Arc::new(RealServices::new(api, sealing.clone())), None));
    }
    let (_, double, _) = crate::payments::bank_double::spawn(([127, 0, 0, 1], 0).into())
        .await
        .context("starting the payOS and SePay stand-in")?;
    tracing::info!(bank = %format!("{}/bank", double.base_url()), "bank transfers are simulated by the stand-in");
    let stand_in = Arc::new(StandInServices::new(
        double,
        format!("http://{addr}"),
        sealing.clone(),
    ));
    Ok((stand_in.clone(), Some(stand_in)))
}

/// The forms that post files (photos, statements, the registry) and what they act on, each
/// with its body limit.
fn upload_routes() -> Router<AppState> {
    Router::new()
        // A little over the photo limit, so an oversized photo gets our message, not a reset.
        .route(
            "/my/products/{id}/photos",
            post(http::photos::upload_product).layer(photo_limit()),
        )
        // A new product with its photos: room for every photo a product may have, and one
        // more, so that one too many is named as such rather than cut off.
        .route(
            http::new_product::PAGE,
            post(http::new_product::create).layer(DefaultBodyLimit::max(
                (app::domain::photo::MAX_PRODUCT_PHOTOS + 1) * crate::photos::MAX_UPLOAD_BYTES
                    + 256 * 1024,
            )),
        )
        .route(
            "/my/products/{id}/photos/delete",
            post(http::photos::delete_product_photo),
        )
        .route(
            "/my/products/{id}/photos/cover",
            post(http::photos::choose_product_cover),
        )
        .route(
            "/my/stall/photo",
            post(http::photos::upload_stall).layer(photo_limit()),
        )
        .route(
            "/my/statements",
            post(http::statements::upload).layer(DefaultBodyLimit::max(
                http::statements::MAX_STATEMENT_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/admin/registry",
            post(http::registry::upload).layer(DefaultBodyLimit::max(
                crate::registry::MAX_REGISTRY_BYTES + 64 * 1024,
            )),
        )
}

fn photo_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(crate::photos::MAX_UPLOAD_BYTES + 64 * 1024)
}

async fn server_fns(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
) -> impl axum::response::IntoResponse {
    leptos_axum::handle_server_fns_with_context(app_context(&state), request).await
}
