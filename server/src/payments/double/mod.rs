//! A Stripe test double: the few Stripe endpoints the adapter calls, a hosted payment page and
//! signed webhook deliveries, answering with Stripe's own published fixtures (see `fixtures`).
//!
//! Neither Stripe nor stripe-mock can be reached from the build machines, and `localstripe`
//! neither has Checkout Sessions nor produces objects async-stripe can parse. Pointing
//! `STRIPE_API_BASE` at this double runs the adapter's real code path; pointing it nowhere runs
//! the same path against Stripe's test mode.
//!
//! | route | what it does |
//! | --- | --- |
//! | `POST /v1/checkout/sessions` | creates a session (honours `Idempotency-Key`) |
//! | `GET /v1/checkout/sessions/{id}` | the session |
//! | `POST /v1/checkout/sessions/{id}/expire` | expires an open session; delivers `checkout.session.expired` |
//! | `POST /v1/refunds` | refunds by `payment_intent` or `charge`; delivers `charge.refunded` |
//! | `GET /pay/{id}` | the hosted page: "Thanh toán / Pay" and "Từ chối / Decline" |
//! | `POST /_double/sessions/{id}/complete`, `/expire` | settles a session without the page |
//! | `GET /_double/events` | every event, newest last |
//! | `POST /_double/events/{id}/redeliver` | delivers an event again, same id |
//! | `POST /_double/hold`, `POST /_double/deliver[?order=reverse]` | holds deliveries, then releases them |
//! | `POST /_double/outage`, `POST /_double/outage/end` | `/v1` answers 500 `api_error` until the end |
//!
//! `/v1` requires `Authorization: Bearer sk_test_…`. State lives in memory and is lost on exit.
mod api;
mod control;
mod delivery;
mod error;
mod fixtures;
mod hosted_page;
mod store;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use delivery::Deliverer;
pub use delivery::Delivery;
use error::ApiError;
use store::Store;

/// The double's shared state: cheap to clone, one per running double.
#[derive(Clone)]
pub struct DoubleState {
    store: Arc<Mutex<Store>>,
    /// `http://host:port` as shoppers reach the double: the base of each session's `url`.
    base_url: Arc<str>,
    deliverer: Arc<Deliverer>,
}

/// A change the shopper or a test makes to a session: [`Store::complete`] or [`Store::expire`].
type SessionChange = fn(&mut Store, &str, i64) -> Result<Value, ApiError>;

impl DoubleState {
    /// `base_url` is where the double is reached; webhooks go to `webhook_url`, signed with
    /// `webhook_secret` (the `whsec_…` the app verifies with).
    pub fn new(
        base_url: impl Into<String>,
        webhook_url: impl Into<String>,
        webhook_secret: impl Into<String>,
    ) -> Self {
        DoubleState {
            store: Arc::default(),
            base_url: base_url.into().trim_end_matches('/').into(),
            deliverer: Arc::new(Deliverer::new(webhook_url.into(), webhook_secret.into())),
        }
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // A handler that panicked leaves plain data behind, still usable by the next request.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Applies `change` to session `id` and delivers the event it causes; returns the session as
    /// changed and what the delivery did.
    async fn settle(
        &self,
        id: &str,
        change: SessionChange,
    ) -> Result<(Value, Vec<Delivery>), ApiError> {
        let event = change(&mut self.lock(), id, unix_now())?;
        let session = event["data"]["object"].clone();
        let deliveries = self.dispatch(vec![event]).await;
        Ok((session, deliveries))
    }

    /// Delivers new events in order, or keeps them while deliveries are held.
    async fn dispatch(&self, events: Vec<Value>) -> Vec<Delivery> {
        {
            let mut store = self.lock();
            if store.holding {
                store.held.extend(events);
                return Vec::new();
            }
        }
        self.deliver_all(events).await
    }

    /// Delivers the held events, newest first when `reverse`, and stops holding.
    async fn release(&self, reverse: bool) -> Vec<Delivery> {
        let mut events = {
            let mut store = self.lock();
            store.holding = false;
            std::mem::take(&mut store.held)
        };
        if reverse {
            events.reverse();
        }
        self.deliver_all(events).await
    }

    async fn deliver_all(&self, events: Vec<Value>) -> Vec<Delivery> {
        let mut deliveries = Vec::with_capacity(events.len());
        for event in &events {
            deliveries.push(self.deliverer.deliver(event).await);
        }
        deliveries
    }
}

/// The double's routes over `state`.
pub fn router(state: DoubleState) -> Router {
    Router::new()
        .nest(
            "/v1",
            api::routes().layer(axum::middleware::from_fn_with_state(
                state.clone(),
                api::unless_outage,
            )),
        )
        .nest("/_double", control::routes())
        .merge(hosted_page::routes())
        .with_state(state)
}

/// A running double; dropping it stops the server.
pub struct DoubleHandle {
    state: DoubleState,
    server: JoinHandle<()>,
}

impl DoubleHandle {
    /// `http://host:port`: the `STRIPE_API_BASE` for the adapter.
    pub fn base_url(&self) -> &str {
        self.state.base_url()
    }
}

impl Drop for DoubleHandle {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Binds `addr` (port 0 picks a free one) and serves the double there, delivering webhooks to
/// `webhook_url` signed with `webhook_secret`.
pub async fn spawn(
    addr: SocketAddr,
    webhook_url: impl Into<String>,
    webhook_secret: impl Into<String>,
) -> std::io::Result<(SocketAddr, DoubleHandle)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let state = DoubleState::new(format!("http://{local}"), webhook_url, webhook_secret);
    let app = router(state.clone());
    let server = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "the Stripe test double stopped");
        }
    });
    Ok((local, DoubleHandle { state, server }))
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}
