//! Sales at the stall itself: the vendor types the amount and takes cash, or shows a VietQR
//! code for it that the bank's notification (or, for a stall without a service, the vendor)
//! confirms.
use super::payments::qr_svg;
use crate::api::AppError;
use crate::api::collect::{CounterDesk, SaleScreen};
use crate::authz::OwnerOf;
use crate::domain::bank_notice::BankService;
use crate::domain::counter_sale::{CounterSale, SaleCode, SaleStatus, SaleWay, parse_amount};
use crate::domain::invalid::Invalid;
use crate::domain::submission::Submission;
use crate::ports::{NewCounterSale, Ports, StoreError};

/// The form field an amount's error is shown under.
pub const AMOUNT_FIELD: &str = "amount";

/// What the collect page shows: a fresh form and the sales made at the stall today.
pub async fn page(ports: &Ports, owner: &OwnerOf) -> Result<CounterDesk, AppError> {
    let today = start_of(ports.clock.today());
    let settings = ports.stalls.payment_settings(owner.stall.id).await?;
    Ok(CounterDesk {
        submission: Submission::fresh(),
        takes_transfers: settings.bank.is_some(),
        today: ports.counter_sales.of_stall(owner.stall.id, today).await?,
    })
}

/// The first instant of `date` in Lào Cai.
pub fn start_of(date: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    crate::domain::onboarding::end_of_day(date.pred_opt().unwrap_or(date))
}

/// A counter sale as the sales tally reads it.
pub fn as_sale(sale: &CounterSale) -> crate::domain::sales::Sale {
    use crate::domain::sales::{Channel, PaidBy, Sale};
    Sale {
        made_at: sale.created_at,
        kept: sale.status == SaleStatus::Paid,
        channel: Channel::InPerson,
        paid_by: match sale.way {
            SaleWay::Cash => PaidBy::Cash,
            SaleWay::Transfer => PaidBy::Transfer,
        },
        total: sale.amount,
    }
}

/// Records a sale of the typed `amount`: cash is paid at once; a transfer needs the stall's
/// bank account, which its code pays into.
pub async fn record(
    ports: &Ports,
    owner: &OwnerOf,
    way: SaleWay,
    amount: &str,
    submission: Submission,
) -> Result<CounterSale, AppError> {
    let amount = parse_amount(amount).map_err(|e| AppError::field(AMOUNT_FIELD, e))?;
    if way == SaleWay::Transfer
        && ports
            .stalls
            .payment_settings(owner.stall.id)
            .await?
            .bank
            .is_none()
    {
        return Err(AppError::field(AMOUNT_FIELD, Invalid::NoBankAccount));
    }
    let sale = NewCounterSale {
        stall: owner.stall.id,
        way,
        amount,
        submission,
    };
    let sale = ports.counter_sales.record(&sale).await?;
    tracing::info!(stall = %owner.stall.id, code = %sale.code, way = %sale.way, "a counter sale was recorded");
    Ok(sale)
}

/// The screen of one sale: its amount and code, and while it waits, the VietQR code asking
/// for what is still due: payOS's, for a stall linked to payOS (made now if it was not yet),
/// else the stall's own with the code first in the purpose.
pub async fn screen(
    ports: &Ports,
    owner: &OwnerOf,
    code: SaleCode,
) -> Result<SaleScreen, AppError> {
    let sale = ports
        .counter_sales
        .get(owner.stall.id, code)
        .await?
        .ok_or(AppError::NotFound)?;
    let bank = ports.stalls.payment_settings(owner.stall.id).await?.bank;
    let service = ports.bank.link_of(owner.stall.id).await?;
    let waiting = sale.status == SaleStatus::AwaitingTransfer;
    let payos = match (&service, waiting) {
        (Some(link), true) if link.service == BankService::PayOs => {
            let page = super::sale_links::stall_page(
                &crate::components::meta::origin(),
                &owner.stall.slug,
            );
            Some(super::sale_links::sale_link(ports, link, &sale, &page).await?)
        }
        _ => None,
    };
    // The code shown is the stall's own unless payOS made one: only a service that reports
    // the stall's own codes confirms those.
    let linked = match &payos {
        Some(Some(_)) => Some(BankService::PayOs),
        _ => service
            .map(|l| l.service)
            .filter(|service| service.reports_own_codes()),
    };
    let (qr_svg, test_bank) = match (&bank, waiting) {
        (Some(bank), true) => {
            let (payload, purpose) = match &payos {
                Some(Some(link)) => {
                    let (payload, _) = super::bank::link_payload(link, bank, sale.due())?;
                    (payload, link.description.clone())
                }
                _ => {
                    let purpose = sale.code.to_string();
                    let payload = crate::domain::vietqr::payload(
                        bank,
                        Some(sale.due()),
                        None,
                        Some(&purpose),
                    )
                    .map_err(crate::api::error::unexpected)?;
                    (payload, purpose)
                }
            };
            let test = ports
                .bank_services
                .test_transfer(owner.stall.id, sale.due(), &purpose);
            (Some(qr_svg(&payload)?), test)
        }
        _ => (None, None),
    };
    Ok(SaleScreen {
        bank_name: bank.as_ref().map(|b| {
            b.bank()
                .map_or_else(|| b.bin.clone(), |known| known.short_name.to_string())
        }),
        sale,
        qr_svg,
        linked,
        link_pending: matches!(payos, Some(None)),
        test_bank,
    })
}

/// The vendor says the money of a waiting sale arrived (`paid`), or gives the sale up, which
/// cancels its payOS link. A sale already paid or given up is left as it is: the screen shows
/// it so.
pub async fn settle(
    ports: &Ports,
    owner: &OwnerOf,
    code: SaleCode,
    paid: bool,
) -> Result<(), AppError> {
    match ports.counter_sales.settle(owner.stall.id, code, paid).await {
        Ok(_) if !paid => {
            super::sale_links::cancel(ports, owner.stall.id, code).await;
            Ok(())
        }
        Ok(_) | Err(StoreError::Stale) => Ok(()),
        Err(err) => Err(err.into()),
    }
}
