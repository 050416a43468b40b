//! A stand-in for payOS and SePay, the two bank-notification services of
//! `shared/design/bank-notifications.md`, for tests and demos without internet access or a
//! real bank account: their API endpoints the app would call, a "bank app" page that makes a
//! transfer, and the signed notification each service would post for it.
//!
//! Everything is written and signed as the services do it, with [`crate::payments::bank`]'s own
//! signers, so pointing the app at payOS or SePay with real keys changes no app code.
//!
//! | route | what it does |
//! | --- | --- |
//! | `POST /_double/accounts` | registers a merchant (JSON [`NewAccount`]) → `{"id"}` |
//! | `POST /v2/payment-requests` | payOS: creates a payment link (checks `signature`) |
//! | `GET /v2/payment-requests/{orderCode or id}` | payOS: the link, `amountPaid`, `transactions` |
//! | `POST /v2/payment-requests/{orderCode or id}/cancel` | payOS: cancels an unpaid link |
//! | `GET /userapi/transactions/list` | SePay: the transfers into the token's accounts |
//! | `GET /bank[?account=…&link=…]` | the "bank app": a transfer form (a link's `checkoutUrl`) |
//! | `POST /bank/transfer` | books the form's transfer, delivers its notification, shows the answer |
//! | `POST /_double/transfer` | the same as JSON ([`TransferRequest`]) → the delivery |
//! | `POST /_double/redeliver/{transfer id}` | delivers the same notification again |
//! | `POST /_double/hold`, `POST /_double/deliver[?order=reverse]` | holds notifications, then releases them |
//!
//! payOS's API wants `x-client-id` and `x-api-key` of a registered payOS account and answers
//! errors as payOS does, `{"code", "desc", "data": null}` (codes in [`payos_api`]); SePay's
//! wants `Authorization: Bearer <api_key>`. State lives in memory and is lost on exit.
mod bank_page;
mod control;
mod delivery;
mod payos_api;
mod sepay_api;
mod store;
#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use chrono::{DateTime, FixedOffset, Utc};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use delivery::Deliverer;
pub use delivery::Delivery;
pub use store::{NewAccount, Service, TransferRequest};
use store::{Refusal, Store};

/// The double's shared state: cheap to clone, one per running double.
#[derive(Clone)]
pub struct BankDoubleState {
    store: Arc<Mutex<Store>>,
    /// `http://host:port` as shoppers reach the double: the base of each `checkoutUrl`.
    base_url: Arc<str>,
    deliverer: Arc<Deliverer>,
}

impl BankDoubleState {
    pub fn new(base_url: impl Into<String>) -> Self {
        BankDoubleState {
            store: Arc::default(),
            base_url: base_url.into().trim_end_matches('/').into(),
            deliverer: Arc::new(Deliverer::new()),
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

    /// Books a transfer and delivers the notification its service sends for it, or keeps it
    /// while deliveries are held.
    async fn transfer(&self, request: &TransferRequest) -> Result<Delivery, Refusal> {
        let id = {
            let mut store = self.lock();
            let id = store.book(request, Utc::now())?;
            if store.holding {
                store.held.push(id);
                return Ok(Delivery::held(id));
            }
            id
        };
        Ok(self
            .deliver(id)
            .await
            .expect("a transfer just booked is there"))
    }

    /// Delivers transfer `id`'s notification (again): the same bytes every time. `None` for
    /// an unknown transfer.
    async fn deliver(&self, id: u64) -> Option<Delivery> {
        let (account, notice) = {
            let store = self.lock();
            let transfer = store.transfer(id)?;
            let account = store.account(&transfer.account)?.clone();
            (account, transfer.notice.clone())
        };
        let delivery = match notice {
            Some(body) => self.deliverer.deliver(&account, id, body).await,
            None => Delivery::not_sent(id),
        };
        self.lock().record_delivery(id, delivery.clone());
        Some(delivery)
    }

    /// Delivers the held notifications, newest first when `reverse`, and stops holding.
    async fn release(&self, reverse: bool) -> Vec<Delivery> {
        let mut ids = {
            let mut store = self.lock();
            store.holding = false;
            std::mem::take(&mut store.held)
        };
        if reverse {
            ids.reverse();
        }
        let mut deliveries = Vec::with_capacity(ids.len());
        for id in ids {
            deliveries.extend(self.deliver(id).await);
        }
        deliveries
    }
}

/// The double's routes over `state`.
pub fn router(state: BankDoubleState) -> Router {
    Router::new()
        .nest("/_double", control::routes())
        .nest("/v2", payos_api::routes())
        .nest("/userapi", sepay_api::routes())
        .merge(bank_page::routes())
        .with_state(state)
}

/// Binds `addr` (port 0 picks a free one) and serves the double there until the handle is
/// aborted. Accounts are registered afterwards with `POST /_double/accounts`, or with
/// [`BankDoubleState::register`] on the state returned.
pub async fn spawn(
    addr: SocketAddr,
) -> anyhow::Result<(SocketAddr, BankDoubleState, JoinHandle<()>)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let state = BankDoubleState::new(format!("http://{local}"));
    let app = router(state.clone());
    let server = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "the payOS and SePay test double stopped");
        }
    });
    Ok((local, state, server))
}

impl BankDoubleState {
    /// Registers an account, as `POST /_double/accounts` does; its id (`acc_1`, …).
    pub fn register(&self, new: NewAccount) -> Result<String, String> {
        self.lock().register(new)
    }
}

fn unix_now() -> i64 {
    Utc::now().timestamp()
}

/// Vietnam's offset from UTC (no daylight saving).
const VIETNAM_OFFSET_SECS: i32 = 7 * 3600;

/// A booking time as both services write it: `YYYY-MM-DD HH:MM:SS`, Vietnam time.
fn vietnam_time(time: DateTime<Utc>) -> String {
    let vietnam = FixedOffset::east_opt(VIETNAM_OFFSET_SECS).expect("+07:00 is a valid offset");
    time.with_timezone(&vietnam)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The map of a `json!` object literal.
fn object(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match value {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}
