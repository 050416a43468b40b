//! The orders port on the database: checkouts and their orders, each order's moves and
//! history, and the card money that pays them.
//!
//! - `place`: placing a checkout: stock reserved, checkout and orders written, cart emptied.
//! - `read`: orders and checkouts read back as the views show them.
//! - `moves`: moving an order, with its stock and ledger kept in step ([`shift`]).
//! - `history`: the lines of an order's history.
//! - `attempts`: card attempts, one Checkout Session each.
//! - `card_events`: what the card processor reports, applied once per event.
//! - `credit`: the ledger entries an order's card money makes for its stall.
//! - `refunds`: card payments owed back to shoppers.
//!
//! [`OrderStore`] implements [`Orders`] by handing each call to the file that does it.
use super::{backend, stored};
use app::domain::id::{OrderId, StallId, UserId};
use app::domain::order::{OrderActor, OrderStatus, PlatformFee};
use app::domain::paging::Window;
use app::model::{CheckoutView, Order};
use app::ports::{
    CardAttempt, CardEventApplied, CardOutcome, Clock, NewCheckout, OrderFilter, Orders, RefundDue,
    StoreResult,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

mod attempts;
mod card_events;
mod credit;
mod history;
mod moves;
mod place;
mod read;
mod refunds;

pub(crate) use moves::shift;

/// Orders, with the clock that dates their history (a payment's time makes a stall
/// "transacting" in the onboarding report), and the hub told of each change once committed.
pub struct OrderStore(pub DatabaseConnection, pub Clock, pub crate::live::Hub);

#[async_trait]
impl Orders for OrderStore {
    async fn place(&self, new: NewCheckout) -> StoreResult<CheckoutView> {
        place::place(self, new).await
    }

    async fn checkout(&self, token: &str) -> StoreResult<Option<CheckoutView>> {
        read::checkout(self, token).await
    }

    async fn unpaid_held(
        &self,
        keys: &app::ports::HolderKeys,
        phone: &app::domain::phone::Phone,
    ) -> StoreResult<app::domain::order::Held> {
        place::unpaid_held(self, keys, phone).await
    }

    async fn checkouts_of_user(
        &self,
        user_id: UserId,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<CheckoutView>> {
        let user_id = user_id.get();
        read::checkouts_of_user(self, user_id, offset, limit).await
    }

    async fn order(&self, id: OrderId) -> StoreResult<Option<Order>> {
        let id = id.get();
        read::order(self, id).await
    }

    async fn of_stall(&self, stall_id: StallId, filter: &OrderFilter) -> StoreResult<Vec<Order>> {
        read::of_stall(self, stall_id, filter).await
    }

    async fn list(&self, filter: &OrderFilter, window: Window) -> StoreResult<Vec<Order>> {
        read::list(self, filter, window).await
    }

    async fn move_order(
        &self,
        id: OrderId,
        from: OrderStatus,
        to: OrderStatus,
        actor: OrderActor,
        actor_user_id: Option<UserId>,
    ) -> StoreResult<Option<String>> {
        let id = id.get();
        let actor_user_id = actor_user_id.map(UserId::get);
        moves::move_order(self, id, from, to, actor, actor_user_id).await
    }

    async fn apply_card_event(
        &self,
        event_id: &str,
        token: &str,
        outcome: &CardOutcome,
        fee: PlatformFee,
    ) -> StoreResult<CardEventApplied> {
        card_events::apply_card_event(self, event_id, token, outcome, fee).await
    }

    async fn due_to_expire(&self, now: DateTime<Utc>) -> StoreResult<Vec<Order>> {
        read::due_to_expire(self, now).await
    }

    async fn card_attempt(&self, token: &str) -> StoreResult<Option<CardAttempt>> {
        attempts::card_attempt(self, token).await
    }

    async fn begin_card_attempt(
        &self,
        token: &str,
        previous: u32,
        orders: &[OrderId],
        expires_at: DateTime<Utc>,
    ) -> StoreResult<(CardAttempt, Option<String>)> {
        attempts::begin_card_attempt(self, token, previous, orders, expires_at).await
    }

    async fn record_card_session(
        &self,
        token: &str,
        attempt: &CardAttempt,
        session_id: &str,
        url: &str,
    ) -> StoreResult<bool> {
        attempts::record_card_session(self, token, attempt, session_id, url).await
    }

    async fn open_card_sessions(
        &self,
        due_before: DateTime<Utc>,
        checked_before: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<Vec<app::ports::OpenCardSession>> {
        attempts::open_card_sessions(self, due_before, checked_before, limit).await
    }

    async fn card_session_checked(&self, token: &str, at: DateTime<Utc>) -> StoreResult<()> {
        attempts::card_session_checked(self, token, at).await
    }

    async fn claim_refunds(
        &self,
        until: DateTime<Utc>,
        limit: u64,
        only: Option<OrderId>,
    ) -> StoreResult<Vec<RefundDue>> {
        refunds::claim_refunds(self, until, limit, only).await
    }

    async fn refund_made(&self, id: i64) -> StoreResult<()> {
        refunds::refund_made(self, id).await
    }

    async fn refund_failed(
        &self,
        id: i64,
        reason: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        refunds::refund_failed(self, id, reason, retry_at).await
    }

    async fn refunds_given_up(&self) -> StoreResult<Vec<app::model::RefundProblem>> {
        refunds::refunds_given_up(self).await
    }
}
