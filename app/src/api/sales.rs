//! The vendor's side of a sale: orders, their moves, and how the stall takes money.
use super::AppError;
use crate::domain::id::{OrderId, StallId};
use crate::domain::order::OrderMove;
use crate::domain::paging::{PageNo, Paged};
use crate::model::{Order, PaymentSettings};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::sales::SalesSummary;

/// A page (the first when none is given) of the signed-in vendor's orders, newest first,
/// optionally in one status, with the summary.
#[server(endpoint = "stall_orders")]
pub async fn stall_orders(
    status: Option<String>,
    page: Option<PageNo>,
) -> Result<(Paged<Order>, SalesSummary), AppError> {
    let ports = super::ports()?;
    let owner = crate::authz::OwnerOf::stall_of(&ports, super::session::actor().await?).await?;
    let status = status_filter(status.as_deref());
    crate::service::orders::of_stall(&ports, &owner, status, page.unwrap_or_default()).await
}

/// The status an order list is filtered by: none when blank or unknown.
#[cfg(feature = "ssr")]
fn status_filter(status: Option<&str>) -> Option<crate::domain::order::OrderStatus> {
    status
        .filter(|s| !s.is_empty())
        .and_then(|s| s.parse().ok())
}

/// A page (the first when none is given) of every stall's orders for a province
/// administrator, newest first, optionally in one status and at one stall, with the stalls to
/// choose from.
#[server(endpoint = "admin_orders")]
pub async fn admin_orders(
    status: Option<String>,
    stall: Option<String>,
    page: Option<PageNo>,
) -> Result<(Paged<Order>, Vec<crate::model::StallRef>), AppError> {
    let admin = crate::authz::Admin::check(super::session::actor().await?)?;
    let filter = crate::ports::OrderFilter {
        status: status_filter(status.as_deref()),
        // A stall that isn't a number matches no stall rather than every one.
        stall_id: stall
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|id| id.parse().unwrap_or(StallId::new(-1))),
        since: None,
    };
    let page = page.unwrap_or_default();
    crate::service::orders::for_admin(&super::ports()?, admin, &filter, page).await
}

/// The vendor moves one of their orders on: confirm a transfer, accept, mark ready, send out,
/// complete or cancel (a paid card order is refunded first). Another stall's order is "not
/// found"; an administrator may move any. Saying money arrived and cancelling are asked twice
/// ([`crate::domain::confirm`]): without `confirmed` they do nothing.
#[server(endpoint = "move_order")]
pub async fn move_order(
    order_id: OrderId,
    step: OrderMove,
    confirmed: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::confirm;
    confirm::for_order_move(step, confirmed.as_deref()).map_err(super::error::unconfirmed)?;
    let actor = super::session::actor().await?;
    crate::service::orders::step(&super::ports()?, actor, order_id, step).await
}

#[server(endpoint = "my_payment_settings")]
pub async fn my_payment_settings() -> Result<PaymentSettings, AppError> {
    let ports = super::ports()?;
    let owner = crate::authz::OwnerOf::stall_of(&ports, super::session::actor().await?).await?;
    Ok(ports.stalls.payment_settings(owner.stall.id).await?)
}

/// The payment settings form as posted.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PaymentForm {
    pub bank_bin: Option<String>,
    pub account_number: Option<String>,
    pub account_holder: Option<String>,
    pub delivery_fee: Option<String>,
    pub accepts_cards: Option<String>,
}

#[server(endpoint = "save_payment_settings")]
pub async fn save_payment_settings(form: PaymentForm) -> Result<(), AppError> {
    use crate::domain::bank::BankAccount;
    use crate::domain::invalid::{FieldErrors, Invalid};
    use crate::domain::money::Dong;
    let ports = super::ports()?;
    let owner = crate::authz::OwnerOf::stall_of(&ports, super::session::actor().await?).await?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut errors = FieldErrors::new();
    // No bank at all is allowed (card payments only); a half-filled one is not.
    let bank = if [&form.bank_bin, &form.account_number, &form.account_holder]
        .iter()
        .all(|v| text(v).trim().is_empty())
    {
        None
    } else {
        match BankAccount::parse(
            &text(&form.bank_bin),
            &text(&form.account_number),
            &text(&form.account_holder),
        ) {
            Ok(bank) => Some(bank),
            Err(bank_errors) => {
                errors.0.extend(bank_errors.0);
                None
            }
        }
    };
    let delivery_fee = match text(&form.delivery_fee).trim() {
        "" | "0" => Some(Dong::ZERO),
        fee => errors.check(
            "delivery_fee",
            Dong::parse_price(fee).and_then(|d| {
                if d.amount() <= 2_000_000 {
                    Ok(d)
                } else {
                    Err(Invalid::AmountOutOfRange {
                        min: Dong::ZERO,
                        max: Dong::new(2_000_000),
                    })
                }
            }),
        ),
    };
    errors.into_result()?;
    let settings = PaymentSettings {
        delivery_fee: delivery_fee.unwrap_or(Dong::ZERO),
        accepts_cards: form.accepts_cards.is_some(),
        bank,
    };
    ports
        .stalls
        .set_payment_settings(owner.stall.id, &settings)
        .await?;
    // The form is posted by the browser itself: back to the page, which says it was saved.
    leptos_axum::redirect(&format!("/my/payments?{}", super::stalls::SAVED));
    Ok(())
}

/// The session key of the last statement upload's outcome.
pub const LAST_STATEMENT: &str = "statement_import";

/// Why a line of a bank statement could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineProblem {
    /// The line is not CSV (a stray quote, say).
    Unreadable,
    /// The date is neither `YYYY-MM-DD` nor `DD/MM/YYYY`.
    Date,
    /// The amount is not a positive whole number of đồng.
    Amount,
}

/// A statement line that could not be read: its number as a spreadsheet shows it (the header
/// is line 1), and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedLine {
    pub line: u64,
    pub problem: LineProblem,
}

/// What a statement upload did, line by line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementTally {
    /// Lines that paid an order.
    pub matched: usize,
    /// Lines that name an order with its amount, but the order was paid already, or expired
    /// and its goods sold since: money to give back.
    pub to_return: usize,
    /// Lines that name no order they could pay.
    pub unmatched: usize,
    /// Lines imported before, which changed nothing.
    pub repeated: usize,
    /// The unreadable lines, the first [`SHOWN_REJECTIONS`] of them.
    pub rejected: Vec<RejectedLine>,
    /// How many lines were unreadable in all.
    pub rejected_count: usize,
}

/// How many unreadable lines the page lists after an upload.
pub const SHOWN_REJECTIONS: usize = 1000;

/// Why a statement file was refused whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatementRefusal {
    /// Not a CSV with date, amount and description columns.
    Unreadable,
    TooLarge,
    /// The import failed on the server; the log has why.
    Failed,
}

/// The last upload's outcome, kept in the session for the statements page until the next.
pub type StatementImport = Result<StatementTally, StatementRefusal>;

/// Everything the statements page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatementsView {
    pub last_import: Option<StatementImport>,
    /// The lines the signed-in vendor or administrator imported, newest first.
    pub lines: Vec<crate::model::StatementLine>,
}

#[server(endpoint = "statements_page")]
pub async fn statements_page() -> Result<StatementsView, AppError> {
    let ports = super::ports()?;
    let books = crate::authz::Bookkeeper::check(&ports, super::session::actor().await?).await?;
    let last_import = super::session::session()
        .await?
        .get::<StatementImport>(LAST_STATEMENT)
        .await
        .map_err(super::error::unexpected)?;
    Ok(StatementsView {
        last_import,
        // A vendor's lines can only have paid, or name, that vendor's orders, as at import.
        lines: ports
            .statements
            .lines_of(books.actor.user_id, books.stall)
            .await?,
    })
}

/// How many of a stall's reported transfers its page lists.
pub const TRANSFERS_SHOWN: u64 = 100;

/// The transfers the vendor's bank-notification service reported, newest first, each with
/// what it did.
#[server(endpoint = "bank_transfers")]
pub async fn bank_transfers() -> Result<Vec<crate::model::ReportedTransfer>, AppError> {
    let ports = super::ports()?;
    let owner = crate::authz::OwnerOf::stall_of(&ports, super::session::actor().await?).await?;
    Ok(ports
        .bank
        .transfers_of(owner.stall.id, TRANSFERS_SHOWN)
        .await?)
}

/// What a stall's printed placard shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Placard {
    pub stall: crate::model::Stall,
    /// A static VietQR (the shopper types the amount), when the stall has a bank account.
    pub pay_svg: Option<String>,
    pub page_url: String,
    pub page_svg: String,
}

#[server(endpoint = "my_placard")]
pub async fn my_placard() -> Result<Placard, AppError> {
    let ports = super::ports()?;
    let owner = crate::authz::OwnerOf::stall_of(&ports, super::session::actor().await?).await?;
    crate::service::stalls::placard(&ports, owner, &crate::components::meta::origin()).await
}

/// What the platform owes each stall for card payments (administrators only).
#[server(endpoint = "stall_balances")]
pub async fn stall_balances() -> Result<Vec<crate::model::StallBalance>, AppError> {
    crate::authz::Admin::check(super::session::actor().await?)?;
    Ok(super::ports()?.ledger.balances().await?)
}

/// Card refunds the processor kept refusing, for an administrator to make by hand
/// (administrators only).
#[server(endpoint = "refund_problems")]
pub async fn refund_problems() -> Result<Vec<crate::model::RefundProblem>, AppError> {
    crate::authz::Admin::check(super::session::actor().await?)?;
    Ok(super::ports()?.orders.refunds_given_up().await?)
}

/// What went wrong with the card processor's word in the last seven days, newest first
/// (administrators only).
#[server(endpoint = "payment_alerts")]
pub async fn payment_alerts() -> Result<Vec<crate::model::PaymentAlert>, AppError> {
    crate::authz::Admin::check(super::session::actor().await?)?;
    let ports = super::ports()?;
    let since = ports.clock.now() - chrono::TimeDelta::days(7);
    Ok(ports.alerts.since(since, 200).await?)
}

/// An administrator records a bank transfer made to a stall, once confirmed: it lowers what
/// the platform owes the stall for good.
#[server(endpoint = "record_settlement")]
pub async fn record_settlement(
    stall_id: StallId,
    amount: String,
    note: Option<String>,
    confirmed: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::confirm;
    use crate::domain::invalid::optional_text;
    use crate::domain::money::Dong;
    let admin = crate::authz::Admin::check(super::session::actor().await?)?;
    confirm::confirmed(confirmed.as_deref()).map_err(super::error::unconfirmed)?;
    let amount = Dong::parse_price(&amount).map_err(|e| AppError::field("amount", e))?;
    let note = optional_text(note.as_deref().unwrap_or(""), 200)
        .map_err(|e| AppError::field("note", e))?;
    crate::service::payments::settle(&super::ports()?, admin, stall_id, amount, note).await?;
    super::notice::back_to("/admin", super::notice::SETTLED);
    Ok(())
}
