//! What the server functions need from persistence, as traits the `server` crate implements.
//! `app` cannot depend on `server` (the browser needs `app`'s server-function stubs), so the
//! dependency is inverted: `app` states its needs here and `server` puts an implementation
//! into the Leptos context as [`Ports`].
use crate::domain::email::Login;
use crate::domain::id::{CartId, OrderId, ProductId, StallId, UserId};
use crate::domain::market::Market;
use crate::domain::quantity::Quantity;
use crate::domain::role::Role;
use crate::domain::slug::Slug;
use crate::domain::stall::StallStatus;
/// What the registry and token ports hand out; the browser shows them too, so they live in
/// [`crate::model`].
pub use crate::model::{ApiToken, RegistryEntry, StallEntries};
use crate::model::{
    CartLine, CheckoutView, Order, PaymentSettings, Product, Stall, StallDraft, User,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;

mod bank;
mod cards;
mod catalog;
mod counter_sales;
pub use bank::{
    BankApiError, BankLink, BankNotices, BankServices, CreditApplied, LinkToClose, LinkedTo,
    PaymentLink, PaymentLinkRequest, ReportedTransfer,
};
pub use cards::{
    CardAttempt, CardError, CardEventApplied, CardOutcome, CardPayments, Charged, OpenCardSession,
    PaymentAlerts, RefundDue,
};
pub use catalog::{Catalog, Created, NewProduct, SearchFilter, Shelves};
pub use counter_sales::{CounterSales, NewCounterSale};

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique value (a phone number, an email, a slug) already belongs to another record.
    #[error("{0} is already taken")]
    Taken(&'static str),
    #[error("not found")]
    NotFound,
    /// A compare-and-set found the record in another state than expected.
    #[error("the record changed meanwhile")]
    Stale,
    /// Not enough stock left of the named product.
    #[error("not enough {0} left")]
    OutOfStock(String),
    /// A stock change that no longer fits the stock as it is now (shown here): goods sold
    /// while the form was open, or more taken away than is left.
    #[error("the stock changed meanwhile")]
    StockMoved(Option<Quantity>),
    /// A settlement larger than what the platform owes the stall now (shown here).
    #[error("more than the {0} owed")]
    MoreThanOwed(crate::domain::money::Dong),
    /// The storage itself failed. The cause is kept whole, so the incident's log can show
    /// each of its sources, not only the outermost message.
    #[error("storage failed: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Every port, cloned cheaply into each request's context.
#[derive(Clone)]
pub struct Ports {
    pub accounts: Arc<dyn Accounts>,
    pub stalls: Arc<dyn Stalls>,
    pub catalog: Arc<dyn Catalog>,
    pub carts: Arc<dyn Carts>,
    pub orders: Arc<dyn Orders>,
    pub cards: Arc<dyn CardPayments>,
    pub statements: Arc<dyn Statements>,
    pub bank: Arc<dyn BankNotices>,
    pub sealer: Arc<dyn Sealer>,
    pub bank_services: Arc<dyn BankServices>,
    /// Sales at the stall itself, in cash or by a transfer shown on the vendor's phone.
    pub counter_sales: Arc<dyn CounterSales>,
    pub ledger: Arc<dyn Ledger>,
    pub alerts: Arc<dyn PaymentAlerts>,
    pub registry: Arc<dyn Registry>,
    pub api_tokens: Arc<dyn ApiTokens>,
    pub clock: Clock,
}

impl Ports {
    /// A product and the stall that sells it; [`StoreError::NotFound`] when either is missing.
    pub async fn product_and_stall(&self, product_id: ProductId) -> StoreResult<(Product, Stall)> {
        let product = self
            .catalog
            .by_id(product_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let stall = self
            .stalls
            .by_id(product.stall_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((product, stall))
    }
}

/// Seals a secret with the server's own key: what is stored can be opened by the server alone.
pub trait Sealer: Send + Sync {
    fn seal(&self, plain: &[u8]) -> String;
}

/// The time as the application sees it: the system's, or one that is set — by the tests, to
/// walk the onboarding history through past dates, and by the demo seed, to give it a past.
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<std::sync::Mutex<DateTime<Utc>>>>);

impl Clock {
    pub fn system() -> Clock {
        Clock(None)
    }

    /// A clock that stands at `at` until it is set again.
    pub fn set_at(at: DateTime<Utc>) -> Clock {
        Clock(Some(Arc::new(std::sync::Mutex::new(at))))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.0 {
            Some(at) => *at.lock().unwrap_or_else(|e| e.into_inner()),
            None => Utc::now(),
        }
    }

    /// Today in Lào Cai (UTC+7) by this clock: the day orders are picked up on and reports are
    /// dated by.
    pub fn today(&self) -> chrono::NaiveDate {
        crate::domain::onboarding::local_date(self.now())
    }

    /// Moves a set clock; the system clock can't be moved and ignores this.
    pub fn set(&self, to: DateTime<Utc>) {
        if let Some(at) = &self.0 {
            *at.lock().unwrap_or_else(|e| e.into_inner()) = to;
        }
    }
}

pub struct NewUser {
    pub full_name: String,
    pub login: Login,
    pub password_hash: String,
    pub role: Role,
}

pub struct Credentials {
    pub user_id: UserId,
    pub password_hash: String,
}

#[async_trait]
pub trait Accounts: Send + Sync {
    async fn create(&self, user: NewUser) -> StoreResult<UserId>;
    async fn credentials(&self, login: &Login) -> StoreResult<Option<Credentials>>;
    async fn user(&self, id: UserId) -> StoreResult<Option<User>>;
    async fn by_login(&self, login: &Login) -> StoreResult<Option<User>>;
    async fn set_role(&self, id: UserId, role: Role, market: Option<Market>) -> StoreResult<()>;
    /// Every user with `role`, by name.
    async fn with_role(&self, role: Role) -> StoreResult<Vec<User>>;
    /// Failed sign-ins for `key` (an account or a client address) at or after `since`.
    async fn failures_since(&self, key: &str, since: DateTime<Utc>) -> StoreResult<u64>;
    /// Counts a sign-in attempt as failed until [`Accounts::forget_failure`] takes it back;
    /// returns its id. Recorded before the password is checked, so guesses sent in parallel
    /// count each other.
    async fn record_failure(&self, key: &str, at: DateTime<Utc>) -> StoreResult<i64>;
    async fn forget_failure(&self, id: i64) -> StoreResult<()>;
    async fn clear_failures(&self, key: &str) -> StoreResult<()>;
}

#[derive(Clone, Debug, Default)]
pub struct StallFilter {
    pub status: Option<StallStatus>,
    pub market: Option<Market>,
    /// Only OCOP producers' stalls.
    pub ocop: bool,
}

#[async_trait]
pub trait Stalls: Send + Sync {
    /// Opens a draft stall; a shopper who opens one becomes a vendor in the same change.
    /// [`StoreError::Taken`] names the clash: `slug`, `owner` or `stall_no` (another stall's pitch).
    async fn create(&self, owner_id: UserId, slug: &Slug, draft: &StallDraft)
    -> StoreResult<Stall>;
    /// Saves the owner's changes. A change of place sends an approved or suspended stall back
    /// for review ([`after_moving`](crate::domain::stall::after_moving)), recorded as a status
    /// change by `actor_id`; returns the status it moved to, if it did.
    async fn update(
        &self,
        id: StallId,
        draft: &StallDraft,
        actor_id: UserId,
    ) -> StoreResult<Option<StallStatus>>;
    async fn by_id(&self, id: StallId) -> StoreResult<Option<Stall>>;
    async fn by_slug(&self, slug: &str) -> StoreResult<Option<Stall>>;
    async fn by_owner(&self, owner_id: UserId) -> StoreResult<Option<Stall>>;
    async fn list(&self, filter: &StallFilter) -> StoreResult<Vec<Stall>>;
    /// Moves a stall from `from` to `to` only if it is still in `from` (else [`StoreError::Stale`]),
    /// and records the change with who made it and why.
    async fn set_status(
        &self,
        id: StallId,
        from: StallStatus,
        to: StallStatus,
        reason: Option<String>,
        actor_id: UserId,
    ) -> StoreResult<()>;
    async fn set_photo(&self, id: StallId, key: &str) -> StoreResult<()>;
    async fn payment_settings(&self, id: StallId) -> StoreResult<PaymentSettings>;
    /// The settings of several stalls at once; a stall that never saved any is absent.
    async fn payment_settings_of(
        &self,
        ids: &[StallId],
    ) -> StoreResult<HashMap<StallId, PaymentSettings>>;
    async fn set_payment_settings(
        &self,
        id: StallId,
        settings: &PaymentSettings,
    ) -> StoreResult<()>;
}

/// Whose cart: a signed-in user's, or a visitor's by a random key kept in their session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CartOwner {
    User(UserId),
    Visitor(String),
}

impl CartOwner {
    /// `user:12` or `visitor:<key>`: who holds the checkouts placed from this cart.
    pub fn holder(&self) -> String {
        match self {
            CartOwner::User(id) => format!("user:{id}"),
            CartOwner::Visitor(key) => format!("visitor:{key}"),
        }
    }
}

#[async_trait]
pub trait Carts: Send + Sync {
    /// The owner's cart, created when `create` and missing.
    async fn cart(&self, owner: &CartOwner, create: bool) -> StoreResult<Option<CartId>>;
    /// Adds to the quantity already in the cart.
    async fn add(
        &self,
        cart_id: CartId,
        product_id: ProductId,
        quantity: Quantity,
    ) -> StoreResult<()>;
    /// Sets a line's quantity; zero removes it.
    async fn set(
        &self,
        cart_id: CartId,
        product_id: ProductId,
        quantity: Quantity,
    ) -> StoreResult<()>;
    /// The cart's published products of approved stalls, priced from the catalogue now.
    async fn lines(&self, cart_id: CartId) -> StoreResult<Vec<CartLine>>;
    /// Moves a visitor's cart into the user's at sign-in, adding quantities.
    async fn merge(&self, visitor: &str, user_id: UserId) -> StoreResult<()>;
    /// How many lines the owner's cart shows (those [`Carts::lines`] gives), in one query.
    async fn count(&self, owner: &CartOwner) -> StoreResult<u64>;
}

/// A checkout ready to be placed: every price already taken from the catalogue.
pub struct NewCheckout {
    pub token: String,
    pub user_id: Option<UserId>,
    pub cart_id: CartId,
    pub checkout: crate::domain::order::Checkout,
    /// One order per stall, each with the method it is paid by.
    pub orders: Vec<crate::domain::order::OrderToPlace>,
    /// Each pickup order's date, by stall id.
    pub pickup_dates: Vec<(StallId, chrono::NaiveDate)>,
    /// How long each order waits for its payment, by its method, from when it is placed.
    pub expiry: crate::domain::order::ExpiryPolicy,
    /// Who places it and from where, for [`Orders::unpaid_held`].
    pub holder: HolderKeys,
}

/// What ties the unpaid checkouts of one shopper together.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HolderKeys {
    /// [`CartOwner::holder`].
    pub holder: String,
    /// The client's network address, when known.
    pub address: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct OrderFilter {
    pub status: Option<crate::domain::order::OrderStatus>,
    /// Only this stall's orders.
    pub stall_id: Option<StallId>,
    /// Only orders placed at or after this moment.
    pub since: Option<chrono::DateTime<chrono::Utc>>,
}

#[async_trait]
pub trait Orders: Send + Sync {
    /// Reserves the stock of every line and creates the checkout and its orders in one
    /// transaction, and empties the cart: all of it or, with [`StoreError::OutOfStock`], none.
    async fn place(&self, new: NewCheckout) -> StoreResult<CheckoutView>;
    async fn checkout(&self, token: &str) -> StoreResult<Option<CheckoutView>>;
    /// How many checkouts with an order still awaiting payment are held by `keys`' holder, by
    /// `phone`, and from `keys`' address.
    async fn unpaid_held(
        &self,
        keys: &HolderKeys,
        phone: &crate::domain::phone::Phone,
    ) -> StoreResult<crate::domain::order::Held>;
    /// The checkouts the account placed while signed in, newest first: at most `limit`, after
    /// skipping the `offset` newest.
    async fn checkouts_of_user(
        &self,
        user_id: UserId,
        offset: u64,
        limit: u64,
    ) -> StoreResult<Vec<CheckoutView>>;
    async fn order(&self, id: OrderId) -> StoreResult<Option<Order>>;
    async fn of_stall(&self, stall_id: StallId, filter: &OrderFilter) -> StoreResult<Vec<Order>>;
    /// The rows of `window` among the orders that pass `filter`, newest first.
    async fn list(
        &self,
        filter: &OrderFilter,
        window: crate::domain::paging::Window,
    ) -> StoreResult<Vec<Order>>;
    /// Moves an order from `from` to `to` only if it is still in `from`, records who did it,
    /// and gives back the stock when the order stops holding it (or takes it again when a
    /// late transfer revives it). Cancelling a card-paid order takes back, in the same
    /// transaction, what the ledger owed its stall for it.
    ///
    /// Returns the Checkout Session the move left charging for an order that no longer awaits
    /// payment, for the caller to expire at the processor ([`CardPayments::expire`]).
    async fn move_order(
        &self,
        id: OrderId,
        from: crate::domain::order::OrderStatus,
        to: crate::domain::order::OrderStatus,
        actor: crate::domain::order::OrderActor,
        actor_user_id: Option<UserId>,
    ) -> StoreResult<Option<String>>;
    /// Open orders whose payment time ran out before `now`.
    async fn due_to_expire(&self, now: DateTime<Utc>) -> StoreResult<Vec<Order>>;
    /// The checkout's latest card payment attempt, while it is open.
    async fn card_attempt(&self, token: &str) -> StoreResult<Option<CardAttempt>>;
    /// Starts attempt number `previous + 1`, charging `orders` until `expires_at`, unless
    /// another request started an attempt since `previous` ([`StoreError::Stale`]). Returns the
    /// attempt and the Checkout Session of the attempt it replaces, for the caller to expire.
    async fn begin_card_attempt(
        &self,
        token: &str,
        previous: u32,
        orders: &[OrderId],
        expires_at: DateTime<Utc>,
    ) -> StoreResult<(CardAttempt, Option<String>)>;
    /// Records the processor's session for `attempt`; `false` when the attempt was closed or
    /// replaced meanwhile (the session then charges for something else and must be expired).
    async fn record_card_session(
        &self,
        token: &str,
        attempt: &CardAttempt,
        session_id: &str,
        url: &str,
    ) -> StoreResult<bool>;
    /// Applies what the card processor reported about a checkout, in one transaction with the
    /// record of `event_id`: a repeated event changes nothing, and events arriving in any
    /// order end in the same state. A payment for orders no longer awaiting it never pays
    /// them: it is owed back ([`Orders::claim_refunds`]).
    async fn apply_card_event(
        &self,
        event_id: &str,
        token: &str,
        outcome: &CardOutcome,
        fee: crate::domain::order::PlatformFee,
    ) -> StoreResult<CardEventApplied>;
    /// Up to `limit` checkouts whose card session has orders awaiting its payment and either
    /// one of them runs out before `due_before` or the session was last looked up before
    /// `checked_before` (or never): those to reconcile with the processor, the most urgent
    /// first.
    async fn open_card_sessions(
        &self,
        due_before: DateTime<Utc>,
        checked_before: DateTime<Utc>,
        limit: u64,
    ) -> StoreResult<Vec<OpenCardSession>>;
    /// Notes that the checkout's card session was looked up at `at`.
    async fn card_session_checked(&self, token: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// Claims, oldest first, up to `limit` refunds owed and not refunded, given up on or
    /// claimed by another worker, for that worker alone until `until`; with `only`, that order's
    /// alone. Each claim counts a try.
    async fn claim_refunds(
        &self,
        until: DateTime<Utc>,
        limit: u64,
        only: Option<OrderId>,
    ) -> StoreResult<Vec<RefundDue>>;
    /// The processor accepted refund `id`.
    async fn refund_made(&self, id: i64) -> StoreResult<()>;
    /// The processor refused refund `id` or could not be reached, saying `reason`: it is
    /// claimed again after `retry_at`, or with `None` given up on, for an administrator.
    async fn refund_failed(
        &self,
        id: i64,
        reason: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()>;
    /// Refunds given up on, newest first.
    async fn refunds_given_up(&self) -> StoreResult<Vec<crate::model::RefundProblem>>;
}

/// One line of a bank statement as uploaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementEntry {
    pub booked_on: chrono::NaiveDate,
    pub amount: crate::domain::money::Dong,
    pub description: String,
    /// Which identical line of the same statement this is (0, 1, …), so two real payments
    /// that look alike are both kept, while uploading the statement again adds nothing.
    pub occurrence: u32,
}

/// What importing one statement line did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatementOutcome {
    /// A new line, and what it did.
    Imported(crate::model::StatementMatch),
    /// The same line was imported before; nothing changed.
    AlreadyImported,
}

#[async_trait]
pub trait Statements: Send + Sync {
    /// Imports lines uploaded by `uploader`; with `stall`, only that stall's orders can match.
    async fn import(
        &self,
        uploader: UserId,
        stall: Option<StallId>,
        entries: &[StatementEntry],
    ) -> StoreResult<Vec<StatementOutcome>>;
    /// The lines `uploader` imported, newest first; with `stall`, a line's order can only be
    /// that stall's, as at import.
    async fn lines_of(
        &self,
        uploader: UserId,
        stall: Option<StallId>,
    ) -> StoreResult<Vec<crate::model::StatementLine>>;
}

/// What the platform owes each stall for the card payments it collected.
#[async_trait]
pub trait Ledger: Send + Sync {
    /// Every stall with card money: collected, refunded, settled and still owed.
    async fn balances(&self) -> StoreResult<Vec<crate::model::StallBalance>>;
    /// Records a bank transfer the platform made to the stall, unless it is more than the
    /// ledger owes the stall at that moment ([`StoreError::MoreThanOwed`]): two administrators
    /// settling at once can't pay out more than is owed between them.
    async fn settle(
        &self,
        stall_id: StallId,
        amount: crate::domain::money::Dong,
        note: Option<String>,
        by: UserId,
    ) -> StoreResult<()>;
}

/// What importing checked rows changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Clone, Debug, Default)]
pub struct EntryFilter {
    pub market: Option<Market>,
    /// Only entries no stall is linked to.
    pub unlinked: bool,
}

#[async_trait]
pub trait Registry: Send + Sync {
    /// Creates or updates every row by its `external_id`, in transactions of a few hundred
    /// rows, so shoppers' checkouts never wait long behind an import; a row equal to what is
    /// stored is left alone. An import cut short keeps the batches it wrote, and running it
    /// again completes it (each row lands once by its `external_id`). `progress` hears how
    /// many rows are done.
    async fn import(
        &self,
        rows: &[crate::domain::registry::RegistryRow],
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> StoreResult<ImportCounts>;
    async fn entries(&self, filter: &EntryFilter) -> StoreResult<Vec<RegistryEntry>>;
    async fn entry(&self, id: i64) -> StoreResult<Option<RegistryEntry>>;
    async fn by_external_id(&self, external_id: &str) -> StoreResult<Option<RegistryEntry>>;
    /// Links an entry to a stall (or unlinks it with `None`), recording who confirmed it.
    async fn link(&self, entry_id: i64, stall_id: Option<StallId>, by: UserId) -> StoreResult<()>;
    /// For each stall, the entries linked to it, or while it has none the unlinked entries it
    /// most likely is (best first, see [`crate::domain::registry::likeness`]): a whole review
    /// queue in a few queries.
    async fn for_stalls(&self, stalls: &[Stall]) -> StoreResult<HashMap<StallId, StallEntries>>;
    /// Stalls (submitted or later) that no entry is linked to.
    async fn unregistered_stalls(&self, market: Option<Market>) -> StoreResult<Vec<Stall>>;
    /// The registry and the history of its stalls: all a report is computed from.
    async fn facts(&self) -> StoreResult<crate::domain::onboarding::Facts>;
    async fn targets(&self) -> StoreResult<crate::domain::onboarding::Targets>;
    /// Sets several targets at once, in one statement: all of them or, on a failure, none.
    async fn set_targets(&self, targets: &[crate::domain::onboarding::Target]) -> StoreResult<()>;
}

#[async_trait]
pub trait ApiTokens: Send + Sync {
    async fn create(&self, name: &str, hash: &str, by: UserId) -> StoreResult<i64>;
    async fn list(&self) -> StoreResult<Vec<ApiToken>>;
    async fn revoke(&self, id: i64) -> StoreResult<()>;
    /// Whether a live token has this hash; records its use.
    async fn accept(&self, hash: &str) -> StoreResult<bool>;
}
