//! Money a stall was told it received: lines of an imported bank statement, and transfers its
//! bank-notification service reported, each with what it did to the orders it names.
use crate::domain::money::Dong;
use serde::{Deserialize, Serialize};

/// An imported bank statement line and what it did to the orders it names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementLine {
    pub booked_on: chrono::NaiveDate,
    pub amount: Dong,
    pub description: String,
    pub outcome: StatementMatch,
}

/// A transfer a stall's bank-notification service reported, and what it did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedTransfer {
    pub id: crate::domain::id::BankCreditId,
    pub credit: crate::domain::bank_notice::BankCredit,
    pub kind: crate::domain::bank_notice::CreditKind,
    /// See [`crate::domain::bank_notice::CreditOutcome::figure`].
    pub figure: Dong,
    /// The order or counter sale (`TQ0042`) it paid, part-paid or is to be returned for.
    pub order_code: Option<String>,
}

/// How a statement line relates to the orders of its uploader.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatementMatch {
    /// It paid the order with this code.
    Paid(String),
    /// It names this order's code with the order's amount, but the order had been paid
    /// already (confirmed by hand, by Stripe or by another line): the money may be paid twice.
    AlreadyPaid(String),
    /// It names this order's code with the order's amount, but the order had expired and its
    /// goods were sold to someone else since: the money is to go back to the shopper.
    Expired(String),
    /// It names no order of the uploader's that it could pay.
    Unmatched,
}
