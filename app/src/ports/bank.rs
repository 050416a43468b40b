//! What the bank-notification services need stored: each stall's linked service, and every
//! transfer it reported with what it did.
use super::StoreResult;
use crate::domain::bank::BankAccount;
use crate::domain::bank_keys::BankKeys;
use crate::domain::bank_notice::{BankCredit, BankService, CreditOutcome};
use crate::domain::counter_sale::SaleCode;
use crate::domain::id::{BankCreditId, OrderId, StallId, UserId};
use crate::domain::money::Dong;
pub use crate::model::ReportedTransfer;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A stall's link to its service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankLink {
    pub stall_id: StallId,
    pub service: BankService,
    /// The service's keys, sealed with the server's key: only the server can open them.
    pub sealed_keys: String,
    /// The token in the stall's own notification address.
    pub hook_token: String,
}

/// What reporting a transfer did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CreditApplied {
    /// A transfer not seen before, and its outcome, already applied to its order.
    New(CreditOutcome),
    /// The same transfer was reported before: nothing changed.
    AlreadyApplied,
}

#[async_trait]
pub trait BankNotices: Send + Sync {
    /// Links `service` to the stall, replacing any link it had (and so its address).
    async fn link(&self, link: &BankLink) -> StoreResult<()>;
    /// The link whose notification address holds `token`, for `service`.
    async fn by_token(&self, service: BankService, token: &str) -> StoreResult<Option<BankLink>>;
    async fn link_of(&self, stall: StallId) -> StoreResult<Option<BankLink>>;
    /// Every stall's link.
    async fn links(&self) -> StoreResult<Vec<BankLink>>;
    /// Removes the stall's link: its address answers "not found" from then on.
    async fn unlink(&self, stall: StallId) -> StoreResult<()>;
    /// Records a transfer reported for `stall`, once, and applies its outcome to the order it
    /// names (only ever an order of that stall), all in one transaction.
    async fn apply(&self, stall: StallId, credit: &BankCredit) -> StoreResult<CreditApplied>;
    /// The vendor `by` says the stall's transfer `credit`, which named two orders or none,
    /// was for the order or counter sale `code`: it does what it would have done naming that
    /// one alone, in one transaction. `NotFound` when the stall has no such record, `Stale`
    /// when the transfer was assigned meanwhile.
    async fn assign(
        &self,
        stall: StallId,
        credit: BankCreditId,
        code: &str,
        by: UserId,
    ) -> StoreResult<CreditOutcome>;
    /// The stall's reported transfers, the newest first, at most `limit`.
    async fn transfers_of(&self, stall: StallId, limit: u64) -> StoreResult<Vec<ReportedTransfer>>;
    /// The payment link made for the order or counter sale, if any.
    async fn payment_link(&self, to: LinkedTo) -> StoreResult<Option<PaymentLink>>;
    /// Keeps `link` as the order's or counter sale's payment link unless it already has one;
    /// the one it has after (so two requests making it at once end with the same).
    /// `NotFound` for a counter sale the stall does not have.
    async fn keep_payment_link(&self, to: LinkedTo, link: &PaymentLink)
    -> StoreResult<PaymentLink>;
    /// Up to `limit` payment links still open whose order or counter sale no longer awaits
    /// its transfer: those of orders that expired or were cancelled and of sales given up, to
    /// cancel so that a late payment is refused by the service, and those paid (or of sales
    /// older than their link, which payOS expired), merely to close.
    async fn payment_links_to_close(&self, limit: u64) -> StoreResult<Vec<LinkToClose>>;
    /// The payment link is closed at the service: never to be cancelled again.
    async fn payment_link_closed(&self, to: LinkedTo) -> StoreResult<()>;
}

/// What a payment link asks payment for: one order, or one sale at the stall.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkedTo {
    Order(OrderId),
    Sale(StallId, SaleCode),
}

/// A payOS payment link of one order or counter sale: where and how the shopper pays it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentLink {
    /// payOS's `paymentLinkId`.
    pub id: String,
    /// payOS's payment page. Unknown when the link was found already made (its first answer
    /// was lost): payOS gives the page and the QR only when it makes a link.
    pub checkout_url: Option<String>,
    /// The NAPAS VietQR payload payOS made for the link, and the account it pays into.
    pub qr_code: Option<String>,
    pub account: Option<BankAccount>,
    /// The transfer's purpose payOS expects (its `description`).
    pub description: String,
    /// What the link asks for.
    pub amount: Dong,
}

/// A payment link to cancel at its service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkToClose {
    pub stall_id: StallId,
    pub to: LinkedTo,
    /// The order's or the sale's code.
    pub code: String,
    pub link_id: String,
    /// The order expired or was cancelled, or the sale was given up: the link is cancelled
    /// at the service.
    pub ended_unpaid: bool,
}

/// The payment request for one order or counter sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentLinkRequest {
    /// Our code, an order's (`DH2026000123`) or a counter sale's (`TQ0042`): payOS's
    /// `orderCode` and `description` come from it.
    pub order_code: String,
    /// What is still due.
    pub amount: Dong,
    /// The order's page, where payOS sends the shopper back, paid or not (for a counter sale,
    /// the stall's page).
    pub order_page: String,
    /// The order's deadline (a counter sale's link lasts a day): payOS refuses a payment
    /// after it.
    pub expires_at: DateTime<Utc>,
}

/// Why a call to a stall's service did not give an answer to act on. Never holds a key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BankApiError {
    /// The service refused the stall's keys.
    #[error("the service refused the keys")]
    KeysRefused,
    /// The service could not be reached or answered with a failure of its own: try later.
    #[error("the service is unreachable: {0}")]
    Unreachable(String),
    /// The service answered, refusing the request for the reason given.
    #[error("the service refused the request: {0}")]
    Refused(String),
    /// The stall's keys can't make this call (SePay keys linked without an API token).
    #[error("the stall's keys can't make this call")]
    NotPossible,
}

/// The services themselves, beyond the notifications they post: the keys checked by a call,
/// payOS's payment links, the reads that catch a transfer whose notification was lost, and,
/// when they are the built-in stand-in, where a tester makes a transfer. Calls take the
/// stall's link, whose sealed keys only the services' adapter opens.
#[async_trait]
pub trait BankServices: Send + Sync {
    /// Checks `keys` with an authenticated call to the service, before they are stored.
    async fn check_keys(&self, link: &BankLink, keys: &BankKeys) -> Result<(), BankApiError>;
    /// Whether the stall's keys can read its transfers (SePay keys linked without the API
    /// token can't).
    fn reconciles(&self, link: &BankLink) -> bool;
    /// payOS: makes the order's payment link, or, when payOS already has one for the order
    /// (a retry after a lost answer), finds it.
    async fn payment_link(
        &self,
        link: &BankLink,
        request: &PaymentLinkRequest,
    ) -> Result<PaymentLink, BankApiError>;
    /// payOS: cancels payment link `link_id`; `Ok` too when it is already paid, cancelled
    /// or expired.
    async fn cancel_payment_link(&self, link: &BankLink, link_id: &str)
    -> Result<(), BankApiError>;
    /// payOS: every transfer paid into the payment link of the order or counter sale
    /// `order_code`, as its webhook reports them; none when payOS has no link for it.
    async fn order_credits(
        &self,
        link: &BankLink,
        order_code: &str,
    ) -> Result<Vec<BankCredit>, BankApiError>;
    /// SePay: every transfer into the stall's account booked since `since`, as its webhook
    /// reports them.
    async fn account_credits(
        &self,
        link: &BankLink,
        since: DateTime<Utc>,
    ) -> Result<Vec<BankCredit>, BankApiError>;
    /// The stall has just been linked with `keys` (the stand-in opens an account for it).
    async fn linked(&self, link: &BankLink, keys: &BankKeys);
    /// With the stand-in only: its bank page, filled in to transfer `amount` with `purpose`
    /// into the stall's account. `None` with the real services, where shoppers use their
    /// own bank.
    fn test_transfer(&self, stall: StallId, amount: Dong, purpose: &str) -> Option<String>;
}
