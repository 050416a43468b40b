//! Work the server does on its own: expiring orders whose payment never came, which gives
//! their reserved stock back to the stall and closes their card payment page, and refunding
//! card payments that reached orders no longer awaiting them.
use app::domain::order::{OrderActor, OrderMove, transition};
use app::ports::Ports;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// How often unpaid orders are looked at.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Expires every open order whose payment time ran out before `now`; returns how many.
pub async fn expire_orders(ports: &Ports, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let mut expired = 0;
    for order in ports
        .orders
        .due_to_expire(now)
        .await
        .map_err(anyhow::Error::msg)?
    {
        let Ok(to) = transition(
            OrderActor::System,
            OrderMove::Expire,
            order.status,
            order.method,
            order.fulfilment,
        ) else {
            continue;
        };
        // Another process may have expired or paid it meanwhile: that is not an error.
        if app::service::orders::apply(ports, &order, to, OrderActor::System, None)
            .await
            .is_ok()
        {
            expired += 1;
        }
    }
    Ok(expired)
}

/// Runs [`expire_orders`] and [`make_refunds`](app::service::payments::make_refunds) every
/// minute for as long as the server runs. Several app processes may all do it: each move is a
/// compare-and-set, so an order expires once, and a refund is claimed by one worker at a time
/// and has its idempotency key.
pub fn spawn_expiry(ports: Ports) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SWEEP_EVERY);
        loop {
            tick.tick().await;
            match expire_orders(&ports, ports.clock.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(expired = n, "expired unpaid orders"),
                Err(err) => tracing::error!(error = %err, "expiring orders failed"),
            }
            if let Err(err) = app::service::payments::make_refunds(&ports, None).await {
                tracing::error!(error = %err, "refunding card payments failed");
            }
        }
    });
}

/// How often sessions past their expiry are deleted.
const SESSION_SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// Deletes expired sessions every hour: the store already ignores them, this keeps the table
/// from growing with every visitor who ever came. Harmless when several processes do it.
pub fn spawn_session_sweep(store: crate::db::sessions::DbSessionStore) {
    use tower_sessions::session_store::ExpiredDeletion;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SESSION_SWEEP_EVERY);
        loop {
            tick.tick().await;
            if let Err(err) = store.delete_expired().await {
                tracing::error!(error = %err, "deleting expired sessions failed");
            }
        }
    });
}
