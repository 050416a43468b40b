//! What sales at the stall itself need stored: each with its code, how it is paid and where
//! it is. A transfer the bank reports for one is applied by [`super::BankNotices::apply`].
use super::StoreResult;
use crate::domain::counter_sale::{CounterSale, SaleCode, SaleWay};
use crate::domain::id::StallId;
use crate::domain::money::Dong;
use crate::domain::submission::Submission;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// A counter sale the vendor is recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCounterSale {
    pub stall: StallId,
    pub way: SaleWay,
    pub amount: Dong,
    /// The form's token: the same form posted twice records one sale.
    pub submission: Submission,
}

#[async_trait]
pub trait CounterSales: Send + Sync {
    /// Records the sale with the stall's next code: paid at once in cash, else waiting for
    /// its transfer. The same submission again returns the sale it recorded.
    async fn record(&self, sale: &NewCounterSale) -> StoreResult<CounterSale>;
    async fn get(&self, stall: StallId, code: SaleCode) -> StoreResult<Option<CounterSale>>;
    /// Moves a sale waiting for its transfer to paid (the vendor saw the money arrive) or
    /// cancelled; [`super::StoreError::Stale`] when it no longer waits.
    async fn settle(&self, stall: StallId, code: SaleCode, paid: bool) -> StoreResult<CounterSale>;
    /// The stall's counter sales made since `since`, the newest first.
    async fn of_stall(&self, stall: StallId, since: DateTime<Utc>)
    -> StoreResult<Vec<CounterSale>>;
    /// Whether the service may be asked now for the payment link of the stall's sale `code`,
    /// still waiting: yes when it was never asked, or not in the last `every`. A yes is
    /// recorded at once, so of two asking at the same moment only one is told yes.
    async fn may_ask_for_link(
        &self,
        stall: StallId,
        code: SaleCode,
        every: chrono::TimeDelta,
    ) -> StoreResult<bool>;
}
