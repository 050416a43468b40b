//! What the bank-notification services need stored: each stall's linked service, and every
//! transfer it reported with what it did.
use super::StoreResult;
use crate::domain::bank_keys::BankKeys;
use crate::domain::bank_notice::{BankCredit, BankService, CreditOutcome};
use crate::domain::id::StallId;
use crate::domain::money::Dong;
pub use crate::model::ReportedTransfer;
use async_trait::async_trait;

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
    /// The stall's reported transfers, the newest first, at most `limit`.
    async fn transfers_of(&self, stall: StallId, limit: u64) -> StoreResult<Vec<ReportedTransfer>>;
}

/// The services themselves, beyond the notifications they post: told when a stall links one,
/// and, when they are the built-in stand-in, where a tester makes a transfer.
#[async_trait]
pub trait BankServices: Send + Sync {
    /// The stall has just been linked with `keys` (the stand-in opens an account for it).
    async fn linked(&self, link: &BankLink, keys: &BankKeys);
    /// With the stand-in only: its bank page, filled in to transfer `amount` with `purpose`
    /// into the stall's account. `None` with the real services, where shoppers use their
    /// own bank.
    fn test_transfer(&self, stall: StallId, amount: Dong, purpose: &str) -> Option<String>;
}
