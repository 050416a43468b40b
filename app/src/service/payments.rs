//! Money coming in: card payments through the processor (one Checkout Session per attempt,
//! closed when its orders end, refunds) and VietQR codes for bank transfers.
use crate::api::AppError;
use crate::api::error::unexpected;
use crate::domain::bank::BankAccount;
use crate::domain::id::{OrderId, StallId};
use crate::domain::order::{
    OrderStatus, PlatformFee, card_attempt_usable, card_session_expiry, check_card_amount,
};
use crate::model::{CheckoutView, Order, TransferCode};
use crate::ports::{CardError, CardEventApplied, CardOutcome, Ports, StoreError};
use chrono::{DateTime, TimeDelta, Utc};

/// A processor's failure as a visitor sees it: out of reach (try again) or unexpected.
fn card_error(error: CardError) -> AppError {
    match error {
        CardError::Unreachable => AppError::PaymentUnavailable,
        CardError::Rejected(why) => unexpected(why),
    }
}

/// Opens the card payment of a checkout's orders still awaiting it, and returns the page to
/// send the shopper to. Only orders paid by card await it: a checkout's orders paid by
/// transfer are never charged by card.
///
/// One attempt is one Checkout Session with its own idempotency key, charging exactly the
/// orders awaiting payment. While those stay the same and the session has time left, every
/// request gets that session again, so a double click makes one; a retry after the processor
/// could not be reached repeats the same attempt, which never charges twice. Once an order was
/// cancelled or expired, or the session ran out, a new attempt charges what is left and the
/// session it replaces is expired.
#[tracing::instrument(skip_all, fields(orders = view.orders.len()))]
pub async fn start_card_payment(ports: &Ports, view: &CheckoutView) -> Result<String, AppError> {
    let payable: Vec<&Order> = view
        .orders
        .iter()
        .filter(|o| o.status == OrderStatus::AwaitingPayment)
        .collect();
    let Some(first_to_expire) = payable.iter().map(|o| o.expires_at).min() else {
        return Err(AppError::Conflict);
    };
    check_card_amount(payable.iter().map(|o| o.total).sum())
        .map_err(|e| AppError::field("method", e))?;
    let mut ids: Vec<OrderId> = payable.iter().map(|o| o.id).collect();
    ids.sort_unstable();
    // Two requests may start the next attempt at once: the one that loses looks again and
    // finds the winner's attempt, the same request to the processor.
    for _ in 0..3 {
        let now = ports.clock.now();
        let attempt = match ports.orders.card_attempt(&view.token).await? {
            Some(open)
                if open.orders == ids
                    && card_attempt_usable(open.expires_at, now, open.session.is_some()) =>
            {
                open
            }
            previous => {
                let expires_at = card_session_expiry(first_to_expire, now);
                let number = previous.map_or(0, |a| a.number);
                match ports
                    .orders
                    .begin_card_attempt(&view.token, number, &ids, expires_at)
                    .await
                {
                    Ok((attempt, replaced)) => {
                        if let Some(session) = replaced {
                            close_card_session(ports, &session).await;
                        }
                        attempt
                    }
                    Err(StoreError::Stale) => continue,
                    Err(other) => return Err(other.into()),
                }
            }
        };
        if let Some((_, url)) = attempt.session {
            return Ok(url);
        }
        let (session, url) = ports
            .cards
            .start(view, &attempt)
            .await
            .map_err(card_error)?;
        if ports
            .orders
            .record_card_session(&view.token, &attempt, &session, &url)
            .await?
        {
            return Ok(url);
        }
        // An order stopped awaiting payment while the session was being made: it charges for
        // what is no longer owed.
        close_card_session(ports, &session).await;
    }
    Err(AppError::Conflict)
}

/// Expires a Checkout Session that charges for orders no longer awaiting payment. Best
/// effort: the processor ends it on its own at its `expires_at`, and a payment that still
/// comes through is refunded, so a failure is logged, not passed on.
pub async fn close_card_session(ports: &Ports, session: &str) {
    if let Err(error) = ports.cards.expire(session).await {
        tracing::warn!(session, %error, "could not expire a card payment session");
    }
}

/// Applies what the card processor reported about the checkout `token` — by a webhook event,
/// or by reconciliation — once per `event_id`; then expires the session it left charging for
/// orders no longer awaiting payment, and sends the refunds it made due.
#[tracing::instrument(skip_all, fields(event = event_id, kind = outcome.kind()))]
pub async fn card_event(
    ports: &Ports,
    event_id: &str,
    token: &str,
    outcome: &CardOutcome,
    fee: PlatformFee,
) -> Result<CardEventApplied, StoreError> {
    let applied = ports
        .orders
        .apply_card_event(event_id, token, outcome, fee)
        .await?;
    tracing::info!(applied = applied.applied, "card payment event");
    if let Some(session) = &applied.stale_session {
        close_card_session(ports, session).await;
    }
    // Money for orders no longer awaiting it goes back now; the sweep retries what can't.
    if applied.refunds
        && let Err(err) = make_refunds(ports, None).await
    {
        tracing::error!(error = %err, "refunding card payments failed");
    }
    Ok(applied)
}

/// A session is looked up again after this long, whatever its orders' time left: the webhook
/// normally comes within seconds, so this only catches those that never do.
const RECONCILE_EVERY: TimeDelta = TimeDelta::minutes(10);
/// Sessions whose orders run out within this are looked up at every sweep, so a payment that
/// arrived is applied before its orders expire and their stock goes back on sale.
const RECONCILE_AHEAD: TimeDelta = TimeDelta::minutes(3);
/// How many sessions one sweep looks up at most, the most urgent first.
const RECONCILE_PER_SWEEP: u64 = 100;

/// What one reconciliation pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reconciled {
    /// Sessions looked up.
    pub looked_up: usize,
    /// Payments or endings the webhook had not brought, now applied.
    pub applied: usize,
    /// Orders whose session could not be looked up (the processor unreachable): they must
    /// not expire yet, or a payment made in time would be refunded.
    pub unknown: Vec<OrderId>,
}

/// Asks the card processor, at `now`, about the open Checkout Sessions whose orders run out
/// soon or that were not looked up for a while, and applies a payment (or an ending) whose
/// webhook never came, as the webhook would have. Each finding is applied under an event id
/// of its own (`reconciled-{session}-{outcome}`); the webhook that comes later finds the
/// payment already on its orders and changes nothing.
#[tracing::instrument(skip_all)]
pub async fn reconcile_card_payments(
    ports: &Ports,
    fee: PlatformFee,
    now: DateTime<Utc>,
) -> Result<Reconciled, StoreError> {
    let mut done = Reconciled::default();
    let open = ports
        .orders
        .open_card_sessions(
            now + RECONCILE_AHEAD,
            now - RECONCILE_EVERY,
            RECONCILE_PER_SWEEP,
        )
        .await?;
    for open in open {
        done.looked_up += 1;
        match ports.cards.look_up(&open.session).await {
            Ok(Some(outcome)) => {
                let event_id = format!("reconciled-{}-{}", open.session, outcome.kind());
                if card_event(ports, &event_id, &open.token, &outcome, fee)
                    .await?
                    .applied
                {
                    tracing::warn!(
                        session = open.session,
                        kind = outcome.kind(),
                        "reconciled a card session whose webhook never came"
                    );
                    done.applied += 1;
                    let alert = crate::model::PaymentAlert {
                        kind: crate::domain::payment_alert::AlertKind::MissedWebhook,
                        reference: Some(open.session.clone()),
                        detail: format!(
                            "the session was {} and no webhook said so",
                            outcome.kind()
                        ),
                        count: 1,
                        first_at: now,
                        last_at: now,
                    };
                    ports.alerts.record(&alert).await?;
                }
            }
            Ok(None) => {}
            Err(CardError::Unreachable) => {
                done.unknown.extend(open.awaiting);
                continue;
            }
            Err(CardError::Rejected(why)) => {
                tracing::error!(
                    session = open.session,
                    why,
                    "the card processor refused to show a session"
                );
            }
        }
        ports.orders.card_session_checked(&open.token, now).await?;
    }
    Ok(done)
}

/// How long a worker holds the refunds it claimed: far longer than one call to the processor
/// takes, so a refund is never sent by two workers at once.
const REFUND_CLAIM: chrono::TimeDelta = chrono::TimeDelta::minutes(5);
/// How many refunds one sweep claims.
const REFUNDS_PER_SWEEP: u64 = 50;

/// Sends the refunds owed to shoppers ([`crate::ports::Orders::claim_refunds`]) to the
/// processor, each with its own idempotency key, and records each answer: made, to try again
/// with a longer wait, or, after [`REFUND_TRIES`](crate::domain::order::REFUND_TRIES) tries,
/// given up on and shown to the administrators. Returns how many were made. Any number of
/// processes may run this at once: a claimed refund is theirs alone. With `only`, just that
/// order's refund: what a cancellation sends at once, without waiting for anyone else's.
#[tracing::instrument(skip_all)]
pub async fn make_refunds(ports: &Ports, only: Option<OrderId>) -> Result<usize, StoreError> {
    let now = ports.clock.now();
    let claimed = ports
        .orders
        .claim_refunds(now + REFUND_CLAIM, REFUNDS_PER_SWEEP, only)
        .await?;
    let mut made = 0;
    for due in claimed {
        let sent = ports
            .cards
            .refund(
                &due.payment_intent,
                due.amount.amount(),
                &due.idempotency_key,
            )
            .await;
        match sent {
            Ok(()) => {
                ports.orders.refund_made(due.id).await?;
                tracing::info!(order = %due.order_id, amount = due.amount.amount(), "refunded a card payment");
                made += 1;
            }
            Err(error) => {
                let retry = crate::domain::order::refund_retry_after(due.attempt);
                let retry_at = retry.map(|wait| ports.clock.now() + wait);
                ports
                    .orders
                    .refund_failed(due.id, &error.to_string(), retry_at)
                    .await?;
                if retry_at.is_some() {
                    tracing::warn!(order = %due.order_id, attempt = due.attempt, %error, "a refund owed to a shopper must wait");
                } else {
                    tracing::error!(order = %due.order_id, attempt = due.attempt, %error, "a refund was given up on: an administrator must make it");
                }
            }
        }
    }
    Ok(made)
}

/// A QR code as an SVG document, big enough to scan from a phone held at arm's length.
pub fn qr_svg(data: &str) -> Result<String, AppError> {
    Ok(
        qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
            .map_err(unexpected)?
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(240, 240)
            .build(),
    )
}

/// The dynamic VietQR of one order: what is still due (all of it, unless the bank reported a
/// part payment), its code as bill number and first in the purpose, so the vendor's bank
/// statement line can be matched to it.
pub fn transfer_code(order: &Order, bank: &BankAccount) -> Result<TransferCode, AppError> {
    use crate::domain::vietqr::{order_purpose, payload};
    let purpose = order_purpose(&order.code, &order.stall_name);
    let payload =
        payload(bank, Some(order.due()), Some(&order.code), Some(&purpose)).map_err(unexpected)?;
    let svg = qr_svg(&payload)?;
    Ok(TransferCode {
        order_id: order.id,
        bank_name: bank
            .bank()
            .map_or_else(|| bank.bin.clone(), |b| b.short_name.to_string()),
        account_number: bank.number.clone(),
        account_holder: bank.holder.clone(),
        payload,
        svg,
        test_bank: None,
        pay_url: None,
        reference: None,
    })
}

/// A VietQR code for every order of a checkout still awaiting its transfer: payOS's, with its
/// payment page, for a stall linked to payOS (made now if placing the order could not), else
/// the stall's own. `origin` is the site's address, for payOS to send the shopper back to.
pub async fn transfer_codes(
    ports: &Ports,
    view: &CheckoutView,
    origin: &str,
) -> Result<Vec<TransferCode>, AppError> {
    let mut codes = Vec::new();
    for order in view
        .orders
        .iter()
        .filter(|o| o.status == OrderStatus::AwaitingTransfer)
    {
        if let Some(bank) = ports.stalls.payment_settings(order.stall_id).await?.bank {
            let mut code = transfer_code(order, &bank)?;
            code.test_bank =
                ports
                    .bank_services
                    .test_transfer(order.stall_id, order.due(), &order.code);
            let page = super::bank::order_page(origin, &view.token);
            if let Some(link) = super::bank::payment_link(ports, order, &page).await {
                super::bank::pay_through(&mut code, order, &bank, &link)?;
            }
            codes.push(code);
        }
    }
    Ok(codes)
}

/// An administrator records a bank transfer made to a stall, of at most what the platform
/// owes it for card payments; the store checks that against the ledger as it is when the
/// transfer is recorded.
#[tracing::instrument(skip_all, fields(stall = %stall_id))]
pub async fn settle(
    ports: &Ports,
    by: crate::authz::Admin,
    stall_id: StallId,
    amount: crate::domain::money::Dong,
    note: Option<String>,
) -> Result<(), AppError> {
    ports
        .ledger
        .settle(stall_id, amount, note, by.0.user_id)
        .await?;
    Ok(())
}
