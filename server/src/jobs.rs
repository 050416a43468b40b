//! Work the server does on its own: asking the card processor and the stalls' bank services
//! about payments whose webhook has not come, expiring orders whose payment never came (which gives their reserved stock
//! back to the stall and closes their card payment page), and refunding card payments owed
//! back to shoppers.
use app::domain::id::OrderId;
use app::domain::order::{OrderActor, OrderMove, PlatformFee, transition};
use app::ports::Ports;
use chrono::{DateTime, TimeDelta, Utc};
use std::time::Duration;

/// How often unpaid orders are looked at.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// An order whose card session could not be looked up still expires once it is this late: a
/// processor out of reach for that long must not hold a stall's stock for ever. A payment
/// that did arrive is then refunded when its webhook comes.
const UNKNOWN_PAYMENT_GRACE: TimeDelta = TimeDelta::hours(1);

/// One sweep at `now`: reconciles card sessions with the processor, and transfers with the
/// stalls' bank-notification services, first, so a payment that arrived without its webhook
/// pays its orders before they could expire; then expires what ran out and cancels the payOS
/// payment links of orders that ended unpaid; then sends the refunds owed. Returns how many
/// orders expired.
pub async fn sweep(ports: &Ports, fee: PlatformFee, now: DateTime<Utc>) -> anyhow::Result<usize> {
    let reconciled = app::service::payments::reconcile_card_payments(ports, fee, now).await?;
    if reconciled.applied > 0 {
        tracing::info!(
            applied = reconciled.applied,
            "applied card sessions whose webhook never came"
        );
    }
    let transfers = app::service::bank::reconcile_transfers(ports, now).await?;
    if transfers > 0 {
        tracing::info!(transfers, "applied transfers whose notification never came");
    }
    let expired = expire_orders(ports, now, &reconciled.unknown).await?;
    app::service::bank::close_payment_links(ports).await?;
    app::service::payments::make_refunds(ports, None).await?;
    Ok(expired)
}

/// Expires every open order whose payment time ran out before `now`, except those in
/// `payment_unknown` (their card session could not be looked up) until they are
/// [`UNKNOWN_PAYMENT_GRACE`] late; returns how many expired.
pub async fn expire_orders(
    ports: &Ports,
    now: DateTime<Utc>,
    payment_unknown: &[OrderId],
) -> anyhow::Result<usize> {
    let mut expired = 0;
    for order in ports
        .orders
        .due_to_expire(now)
        .await
        .map_err(anyhow::Error::msg)?
    {
        if payment_unknown.contains(&order.id) && order.expires_at > now - UNKNOWN_PAYMENT_GRACE {
            continue;
        }
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

/// Runs [`sweep`] every minute for as long as the server runs. Several app processes may all
/// do it: each move is a compare-and-set, so an order expires once, a payment found by
/// reconciliation is applied once, and a refund is claimed by one worker at a time and has
/// its idempotency key.
pub fn spawn_sweep(
    ports: Ports,
    fee: PlatformFee,
    watch: std::sync::Arc<crate::payments::watch::WebhookWatch>,
) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SWEEP_EVERY);
        loop {
            tick.tick().await;
            watch.flush(ports.alerts.as_ref(), ports.clock.now()).await;
            match sweep(&ports, fee, ports.clock.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(expired = n, "expired unpaid orders"),
                Err(err) => tracing::error!(error = %err, "the payment sweep failed"),
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
