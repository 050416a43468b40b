//! The vendor's side of a sale: orders, their moves, and how the stall takes money.
use super::AppError;
use crate::domain::order::OrderMove;
use crate::model::{Order, PaymentSettings};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Sales at a glance for the vendor's dashboard, in whole đồng.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SalesSummary {
    pub today: crate::domain::money::Dong,
    pub this_month: crate::domain::money::Dong,
    pub paid_by_card: crate::domain::money::Dong,
    pub paid_by_transfer: crate::domain::money::Dong,
}

/// The signed-in vendor's orders, newest first, optionally in one status, with the summary.
#[server(endpoint = "stall_orders")]
pub async fn stall_orders(status: Option<String>) -> Result<(Vec<Order>, SalesSummary), AppError> {
    use crate::domain::order::{OrderStatus, PaymentMethod};
    use chrono::Datelike;
    let stall = server::own_stall().await?;
    let ports = super::ports()?;
    let filter = crate::ports::OrderFilter {
        status: status
            .as_deref()
            .filter(|s| !s.is_empty())
            .and_then(|s| s.parse::<OrderStatus>().ok()),
    };
    // The summary counts every order; the list shows the chosen status. One query serves both.
    let all = ports.orders.of_stall(stall.id, &Default::default()).await?;
    let orders: Vec<Order> = all
        .iter()
        .filter(|o| filter.status.is_none_or(|s| o.status == s))
        .cloned()
        .collect();
    // Vietnam's day and month, whatever the server's clock zone.
    let vn = crate::domain::onboarding::vietnam();
    let now = ports.clock.now().with_timezone(&vn);
    let mut summary = SalesSummary::default();
    for order in all.iter().filter(|o| o.status.is_paid()) {
        let at = order.created_at.with_timezone(&vn);
        let add =
            |sum: &mut crate::domain::money::Dong| *sum = [*sum, order.total].into_iter().sum();
        if at.date_naive() == now.date_naive() {
            add(&mut summary.today);
        }
        if (at.year(), at.month()) == (now.year(), now.month()) {
            add(&mut summary.this_month);
        }
        match order.method {
            PaymentMethod::Card => add(&mut summary.paid_by_card),
            PaymentMethod::VietQr => add(&mut summary.paid_by_transfer),
        }
    }
    Ok((orders, summary))
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
    ports
        .orders
        .move_order(order.id, order.status, to, who, Some(actor.user_id))
        .await?;
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

/// The bank statement lines the signed-in vendor or administrator imported, newest first.
#[server(endpoint = "my_statement_lines")]
pub async fn my_statement_lines() -> Result<Vec<crate::model::StatementLine>, AppError> {
    use crate::domain::role::Role;
    let actor = super::session::actor().await?;
    if !matches!(actor.role, Role::Vendor | Role::Admin) {
        return Err(AppError::Forbidden);
    }
    Ok(super::ports()?.statements.lines_of(actor.user_id).await?)
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
    let headers = leptos_axum::extract::<http::HeaderMap>()
        .await
        .map_err(super::error::unexpected)?;
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let host = header("host").unwrap_or_else(|| "localhost".into());
    let scheme = header("x-forwarded-proto").unwrap_or_else(|| "http".into());
    let page_url = format!("{scheme}://{host}/stalls/{}", stall.slug);
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
