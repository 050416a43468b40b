//! The vendor's side of a sale: orders, their moves, and how the stall takes money.
use super::AppError;
use crate::domain::order::OrderMove;
use crate::model::{Order, PaymentSettings};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::sales::SalesSummary;

/// The signed-in vendor's orders, newest first, optionally in one status, with the summary.
#[server(endpoint = "stall_orders")]
pub async fn stall_orders(status: Option<String>) -> Result<(Vec<Order>, SalesSummary), AppError> {
    use crate::domain::sales::{Sale, summarise};
    let stall = server::own_stall().await?;
    let ports = super::ports()?;
    let status = server::status_filter(status.as_deref());
    // The summary counts every order; the list shows the chosen status. One query serves both.
    let all = ports.orders.of_stall(stall.id, &Default::default()).await?;
    let summary = summarise(
        all.iter().map(|o| Sale {
            placed_at: o.created_at,
            status: o.status,
            method: o.method,
            total: o.total,
        }),
        ports.clock.now(),
        crate::domain::onboarding::vietnam(),
    );
    let orders = all
        .into_iter()
        .filter(|o| status.is_none_or(|s| o.status == s))
        .collect();
    Ok((orders, summary))
}

/// How many orders the administrators' list shows at once, newest first: enough for a
/// dispute or a day's look, and the filters narrow it down.
pub const ADMIN_ORDERS_SHOWN: u64 = 200;

/// Every stall's orders for a province administrator, optionally in one status and at one
/// stall, with the stalls to choose from.
#[server(endpoint = "admin_orders")]
pub async fn admin_orders(
    status: Option<String>,
    stall: Option<String>,
) -> Result<(Vec<Order>, Vec<crate::model::StallRef>), AppError> {
    server::admin().await?;
    let ports = super::ports()?;
    let filter = crate::ports::OrderFilter {
        status: server::status_filter(status.as_deref()),
        // A stall that isn't a number matches no stall rather than every one.
        stall_id: stall
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|id| id.parse().unwrap_or(-1)),
    };
    let orders = ports.orders.list(&filter, ADMIN_ORDERS_SHOWN).await?;
    let mut stalls: Vec<crate::model::StallRef> = ports
        .stalls
        .list(&Default::default())
        .await?
        .iter()
        .map(Into::into)
        .collect();
    stalls.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((orders, stalls))
}

/// The vendor moves one of their orders on: confirm a transfer, accept, mark ready, send out,
/// complete or cancel. Another stall's order is "not found".
#[server(endpoint = "move_order")]
pub async fn move_order(order_id: i64, step: OrderMove) -> Result<(), AppError> {
    use crate::domain::order::{OrderActor, transition};
    use crate::domain::role::Role;
    let actor = super::session::actor().await?;
    let ports = super::ports()?;
    let order = ports
        .orders
        .order(order_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let who = match actor.role {
        Role::Admin => OrderActor::Admin,
        Role::Vendor => {
            let stall = ports.stalls.by_owner(actor.user_id).await?;
            if stall.is_none_or(|s| s.id != order.stall_id) {
                return Err(AppError::NotFound);
            }
            OrderActor::Vendor
        }
        _ => return Err(AppError::Forbidden),
    };
    let to =
        transition(who, step, order.status, order.method, order.fulfilment).map_err(
            |e| match e {
                crate::domain::order::OrderMoveError::Forbidden { .. } => AppError::Forbidden,
                _ => AppError::Conflict,
            },
        )?;
    // A paid card order is refunded through the processor before it is cancelled; the
    // idempotency key makes a repeated click refund once.
    if step == OrderMove::Cancel && crate::domain::order::needs_refund(order.status, order.method) {
        let intent = ports
            .orders
            .card_payment_of(order.id)
            .await?
            .ok_or_else(|| {
                super::error::unexpected(format!(
                    "card order {} has no payment to refund",
                    order.id
                ))
            })?;
        ports
            .cards
            .refund(
                &intent,
                order.total.amount(),
                &format!("refund-order-{}", order.id),
            )
            .await
            .map_err(|e| match e {
                crate::ports::CardError::Unreachable => AppError::PaymentUnavailable,
                crate::ports::CardError::Rejected(why) => super::error::unexpected(why),
            })?;
    }
    super::shop::server::move_order(&ports, &order, to, who, Some(actor.user_id)).await?;
    Ok(())
}

#[server(endpoint = "my_payment_settings")]
pub async fn my_payment_settings() -> Result<PaymentSettings, AppError> {
    let stall = server::own_stall().await?;
    Ok(super::ports()?.stalls.payment_settings(stall.id).await?)
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
    let stall = server::own_stall().await?;
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
    super::ports()?
        .stalls
        .set_payment_settings(stall.id, &settings)
        .await?;
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod server {
    use crate::api::AppError;
    use crate::domain::role::Role;
    use crate::model::Stall;

    /// The signed-in province administrator.
    pub async fn admin() -> Result<crate::domain::role::Actor, AppError> {
        let actor = crate::api::session::actor().await?;
        if actor.role != Role::Admin {
            return Err(AppError::Forbidden);
        }
        Ok(actor)
    }

    /// The session key of the last statement upload's outcome.
    pub const LAST_STATEMENT: &str = "statement_import";

    /// The status an order list is filtered by: none when blank or unknown.
    pub fn status_filter(status: Option<&str>) -> Option<crate::domain::order::OrderStatus> {
        status
            .filter(|s| !s.is_empty())
            .and_then(|s| s.parse().ok())
    }

    /// The signed-in vendor's stall.
    pub async fn own_stall() -> Result<Stall, AppError> {
        let actor = crate::api::session::actor().await?;
        if actor.role != Role::Vendor {
            return Err(AppError::Forbidden);
        }
        crate::api::ports()?
            .stalls
            .by_owner(actor.user_id)
            .await?
            .ok_or(AppError::NotFound)
    }
}

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
    /// Lines that name an order with its amount, but the order was paid already.
    pub already_paid: usize,
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
    use crate::domain::role::Role;
    let actor = super::session::actor().await?;
    let ports = super::ports()?;
    // A vendor's lines can only have paid, or name, that vendor's orders, as at import.
    let stall = match actor.role {
        Role::Admin => None,
        Role::Vendor => Some(server::own_stall().await?.id),
        _ => return Err(AppError::Forbidden),
    };
    let last_import = super::session::session()
        .await?
        .get::<StatementImport>(server::LAST_STATEMENT)
        .await
        .map_err(super::error::unexpected)?;
    Ok(StatementsView {
        last_import,
        lines: ports.statements.lines_of(actor.user_id, stall).await?,
    })
}

/// What a stall's printed placard shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Placard {
    pub stall: crate::model::Stall,
    /// The best OCOP rating among the stall's published products.
    pub stars: Option<u8>,
    /// A static VietQR (the shopper types the amount), when the stall has a bank account.
    pub pay_svg: Option<String>,
    pub page_url: String,
    pub page_svg: String,
}

#[server(endpoint = "my_placard")]
pub async fn my_placard() -> Result<Placard, AppError> {
    use super::shop::server::qr_svg;
    let stall = server::own_stall().await?;
    let ports = super::ports()?;
    let stars = ports
        .catalog
        .of_stall(stall.id, true)
        .await?
        .iter()
        .filter_map(|p| p.ocop.as_ref().map(|o| o.stars.get()))
        .max();
    let pay_svg = match ports.stalls.payment_settings(stall.id).await?.bank {
        Some(bank) => {
            let payload = crate::domain::vietqr::payload(&bank, None, None, None)
                .map_err(super::error::unexpected)?;
            Some(qr_svg(&payload)?)
        }
        None => None,
    };
    // The configured public address, not whatever Host the request came with: a placard is
    // printed once and must lead to the real site for years.
    let page_url = format!(
        "{}/stalls/{}",
        crate::components::meta::origin(),
        stall.slug
    );
    let page_svg = qr_svg(&page_url)?;
    Ok(Placard {
        stall,
        stars,
        pay_svg,
        page_url,
        page_svg,
    })
}

/// What the platform owes each stall for card payments (administrators only).
#[server(endpoint = "stall_balances")]
pub async fn stall_balances() -> Result<Vec<crate::model::StallBalance>, AppError> {
    server::admin().await?;
    Ok(super::ports()?.ledger.balances().await?)
}

/// An administrator records a bank transfer made to a stall.
#[server(endpoint = "record_settlement")]
pub async fn record_settlement(
    stall_id: i64,
    amount: String,
    note: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::invalid::optional_text;
    use crate::domain::money::Dong;
    let admin = server::admin().await?;
    let ports = super::ports()?;
    let owed = ports
        .ledger
        .balances()
        .await?
        .into_iter()
        .find(|b| b.stall_id == stall_id)
        .map(|b| b.owed)
        .ok_or(AppError::NotFound)?;
    let amount = Dong::parse_price(&amount).map_err(|e| AppError::field("amount", e))?;
    if amount > owed {
        return Err(AppError::field(
            "amount",
            crate::domain::invalid::Invalid::AmountOutOfRange {
                min: Dong::new(1),
                max: owed,
            },
        ));
    }
    let note = optional_text(note.as_deref().unwrap_or(""), 200)
        .map_err(|e| AppError::field("note", e))?;
    ports
        .ledger
        .settle(stall_id, amount, note, admin.user_id)
        .await?;
    Ok(())
}
