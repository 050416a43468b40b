//! Collecting money at the stall (*Thu tiền*): the vendor types an amount and shows a VietQR
//! code for it on their phone, which turns green when the bank reports the transfer, or
//! records a cash sale (*Tiền mặt*) in one tap.
use super::AppError;
use crate::domain::bank_notice::BankService;
use crate::domain::counter_sale::CounterSale;
use crate::domain::submission::Submission;
use leptos::server;
use serde::{Deserialize, Serialize};

/// Where a vendor collects money at the stall.
pub const COLLECT_PAGE: &str = "/my/collect";

/// The collect page: a fresh form, and today's counter sales, the newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterDesk {
    pub submission: Submission,
    /// Whether the stall has a bank account a VietQR code can pay into.
    pub takes_transfers: bool,
    pub today: Vec<CounterSale>,
}

/// One sale's screen, shown to the shopper at the stall.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleScreen {
    pub sale: CounterSale,
    /// The VietQR code for what is still due, while the sale waits for it.
    pub qr_svg: Option<String>,
    pub bank_name: Option<String>,
    /// The service that reports transfers made with the code shown (SePay with the stall's
    /// own code, payOS with its payment link's): without one, the vendor confirms.
    pub linked: Option<BankService>,
    /// The stall is linked to payOS, which has not made this sale's code yet (out of reach,
    /// asked again shortly): the stall's own code is shown, confirmed by the vendor.
    pub link_pending: bool,
    /// With the payOS and SePay stand-in only: its bank page, filled in for this transfer.
    pub test_bank: Option<String>,
}

/// The address of one sale's screen.
pub fn screen_address(sale: &CounterSale) -> String {
    format!("{COLLECT_PAGE}/{}", sale.code)
}

#[server(endpoint = "collect_page")]
pub async fn collect_page() -> Result<CounterDesk, AppError> {
    let ports = super::ports()?;
    let owner = crate::authz::OwnerOf::stall_of(&ports, super::session::actor().await?).await?;
    crate::service::counter_sales::page(&ports, &owner).await
}

/// Records a counter sale of `amount`, paid by `way` (`cash` or `transfer`). Returns the
/// address to go to: the sale's screen for a transfer, the collect page again after cash.
#[server(endpoint = "record_counter_sale")]
pub async fn record_counter_sale(
    amount: String,
    way: String,
    submission: String,
) -> Result<String, AppError> {
    use crate::domain::counter_sale::SaleWay;
    use crate::domain::invalid::Invalid;
    let ports = super::ports()?;
    let owner = crate::authz::OwnerOf::stall_of(&ports, super::session::actor().await?).await?;
    let way: SaleWay = way
        .parse()
        .map_err(|_| AppError::field("way", Invalid::Required))?;
    let submission = Submission::parse(&submission).map_err(|_| AppError::NotFound)?;
    let sale =
        crate::service::counter_sales::record(&ports, &owner, way, &amount, submission).await?;
    let next = match way {
        SaleWay::Transfer => screen_address(&sale),
        SaleWay::Cash => format!("{COLLECT_PAGE}?cash={}", sale.code),
    };
    if super::error::plain_form_post() {
        leptos_axum::redirect(&next);
    }
    Ok(next)
}

#[server(endpoint = "collect_screen")]
pub async fn collect_screen(code: String) -> Result<SaleScreen, AppError> {
    let ports = super::ports()?;
    let owner = crate::authz::OwnerOf::stall_of(&ports, super::session::actor().await?).await?;
    let code = code.parse().map_err(|_| AppError::NotFound)?;
    crate::service::counter_sales::screen(&ports, &owner, code).await
}

/// The vendor confirms a waiting sale's money arrived (`paid` = `yes`, for a stall without a
/// service, after checking their bank app), or gives it up; either asks to be confirmed.
#[server(endpoint = "settle_counter_sale")]
pub async fn settle_counter_sale(
    code: String,
    paid: String,
    confirmed: Option<String>,
) -> Result<(), AppError> {
    let ports = super::ports()?;
    let owner = crate::authz::OwnerOf::stall_of(&ports, super::session::actor().await?).await?;
    crate::domain::confirm::confirmed(confirmed.as_deref()).map_err(super::error::unconfirmed)?;
    let code = code.parse().map_err(|_| AppError::NotFound)?;
    crate::service::counter_sales::settle(&ports, &owner, code, paid == "yes").await?;
    if super::error::plain_form_post() {
        leptos_axum::redirect(&format!("{COLLECT_PAGE}/{code}"));
    }
    Ok(())
}
