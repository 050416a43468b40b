//! What the app asks of a stall's bank-notification service beyond its notifications: payOS's
//! payment link of each VietQR order, cancelled when the order ends unpaid, and the
//! reconciliation that applies a transfer whose notification was lost.
//!
//! A service out of reach never stops a sale: the order is placed and its page shows the
//! stall's own VietQR until the link can be made, and each sweep looks again.
use crate::api::AppError;
use crate::domain::bank::BankAccount;
use crate::domain::bank_notice::{BankCredit, BankService};
use crate::domain::order::OrderStatus;
use crate::model::{CheckoutView, Order, TransferCode};
use crate::ports::{
    BankApiError, BankLink, CreditApplied, LinkToClose, LinkedTo, OrderFilter, PaymentLink,
    PaymentLinkRequest, Ports,
};
use chrono::{DateTime, TimeDelta, Utc};

/// How far before its oldest open order a stall's transfers are read: a bank may book a
/// transfer a little before the order's own clock says it was placed.
const RECONCILE_MARGIN: TimeDelta = TimeDelta::minutes(10);
/// Payment links cancelled per sweep, so a service out of reach can't hold the sweep up.
const CLOSE_PER_SWEEP: u64 = 50;

/// The page of checkout `token`, where payOS sends the shopper back.
pub fn order_page(origin: &str, token: &str) -> String {
    format!("{}/checkout/{token}", origin.trim_end_matches('/'))
}

/// The stall's link, when it is to payOS.
async fn payos_link(ports: &Ports, order: &Order) -> Option<BankLink> {
    match ports.bank.link_of(order.stall_id).await {
        Ok(Some(link)) if link.service == BankService::PayOs => Some(link),
        Ok(_) => None,
        Err(error) => {
            tracing::error!(order = %order.id, %error, "reading a stall's bank link failed");
            None
        }
    }
}

/// The payOS payment link of an order awaiting its transfer at a payOS stall: the one kept,
/// or one made now. `None` for any other order, and while payOS is out of reach (logged, and
/// tried again the next time).
pub async fn payment_link(ports: &Ports, order: &Order, page: &str) -> Option<PaymentLink> {
    if order.status != OrderStatus::AwaitingTransfer {
        return None;
    }
    let link = payos_link(ports, order).await?;
    match ports.bank.payment_link(LinkedTo::Order(order.id)).await {
        Ok(Some(kept)) => return Some(kept),
        Ok(None) => {}
        Err(error) => {
            tracing::error!(order = %order.id, %error, "reading a payment link failed");
            return None;
        }
    }
    let request = PaymentLinkRequest {
        order_code: order.code.clone(),
        amount: order.due(),
        order_page: page.to_owned(),
        expires_at: order.expires_at,
    };
    let made = match ports.bank_services.payment_link(&link, &request).await {
        Ok(made) => made,
        Err(error) => {
            tracing::warn!(order = %order.id, %error, "payOS could not make a payment link: the stall's own QR is shown");
            return None;
        }
    };
    match ports
        .bank
        .keep_payment_link(LinkedTo::Order(order.id), &made)
        .await
    {
        Ok(kept) => Some(kept),
        Err(error) => {
            tracing::error!(order = %order.id, %error, "keeping a payment link failed");
            Some(made)
        }
    }
}

/// Makes the payOS payment link of each order of a checkout just placed that needs one.
pub async fn make_payment_links(ports: &Ports, view: &CheckoutView, origin: &str) {
    let page = order_page(origin, &view.token);
    for order in &view.orders {
        payment_link(ports, order, &page).await;
    }
}

/// Turns the stall's own VietQR of `order` into payOS's: its QR and its purpose, which payOS
/// recognises the payment by, and its payment page. After a part payment, or when payOS's
/// answer with its QR was lost, the code is made again for what is due, into the account
/// payOS named (else the stall's own, `bank`), with payOS's purpose.
pub fn pay_through(
    code: &mut TransferCode,
    order: &Order,
    bank: &BankAccount,
    link: &PaymentLink,
) -> Result<(), AppError> {
    let (payload, account) = link_payload(link, bank, order.due())?;
    code.svg = super::payments::qr_svg(&payload)?;
    code.payload = payload;
    code.bank_name = account
        .bank()
        .map_or_else(|| account.bin.clone(), |b| b.short_name.to_string());
    code.account_number = account.number.clone();
    code.account_holder = account.holder.clone();
    code.reference = Some(link.description.clone());
    code.pay_url = link.checkout_url.clone();
    Ok(())
}

/// The VietQR payload that pays `due` through payOS's `link`, and the account it pays into:
/// payOS's own QR while it asks for exactly `due`, else one made for `due` into the account
/// payOS named (else the stall's own, `bank`), with payOS's purpose.
pub fn link_payload(
    link: &PaymentLink,
    bank: &BankAccount,
    due: crate::domain::money::Dong,
) -> Result<(String, BankAccount), AppError> {
    let account = link.account.as_ref().unwrap_or(bank);
    let payload = match &link.qr_code {
        Some(qr) if link.amount == due => qr.clone(),
        _ => crate::domain::vietqr::payload(account, Some(due), None, Some(&link.description))
            .map_err(crate::api::error::unexpected)?,
    };
    Ok((payload, account.clone()))
}

/// Asks each linked stall's service for the transfers into it that its notifications should
/// have reported, and applies every one not applied yet, exactly as its notification would
/// (the same transfer id, so whichever comes second changes nothing). Only stalls with an
/// order awaiting its transfer are asked; a service that fails for one stall is logged and
/// the others go on. Returns how many transfers were new.
pub async fn reconcile_transfers(ports: &Ports, now: DateTime<Utc>) -> Result<usize, AppError> {
    let mut applied = 0;
    for link in ports.bank.links().await? {
        let filter = OrderFilter {
            status: Some(OrderStatus::AwaitingTransfer),
            ..Default::default()
        };
        let awaiting = ports.orders.of_stall(link.stall_id, &filter).await?;
        let sales = match link.service {
            BankService::PayOs => super::sale_links::awaiting(ports, link.stall_id, now).await?,
            BankService::SePay => Vec::new(),
        };
        if awaiting.is_empty() && sales.is_empty() {
            continue;
        }
        let credits = match link.service {
            BankService::PayOs => {
                let codes = awaiting.iter().map(|o| o.code.clone());
                let codes: Vec<String> = codes.chain(sales.iter().map(|s| s.to_string())).collect();
                payos_credits(ports, &link, &codes).await
            }
            BankService::SePay if ports.bank_services.reconciles(&link) => {
                let oldest = awaiting.iter().map(|o| o.created_at).min().unwrap_or(now);
                ports
                    .bank_services
                    .account_credits(&link, oldest - RECONCILE_MARGIN)
                    .await
            }
            BankService::SePay => continue,
        };
        match credits {
            Ok(credits) => applied += apply_all(ports, &link, &credits).await?,
            Err(error) => {
                tracing::warn!(stall = %link.stall_id, service = %link.service, %error, "the bank service could not be asked for missed transfers")
            }
        }
    }
    Ok(applied)
}

/// payOS: the transfers into the payment link of each awaiting order or counter sale `codes`.
async fn payos_credits(
    ports: &Ports,
    link: &BankLink,
    codes: &[String],
) -> Result<Vec<BankCredit>, BankApiError> {
    let mut credits = Vec::new();
    for code in codes {
        credits.extend(ports.bank_services.order_credits(link, code).await?);
    }
    Ok(credits)
}

async fn apply_all(
    ports: &Ports,
    link: &BankLink,
    credits: &[BankCredit],
) -> Result<usize, AppError> {
    let mut applied = 0;
    for credit in credits {
        if let CreditApplied::New(outcome) = ports.bank.apply(link.stall_id, credit).await? {
            tracing::info!(service = %credit.service, stall = %link.stall_id, transfer = %credit.transfer_id, outcome = %outcome.kind(), "a transfer whose notification was lost was applied");
            applied += 1;
        }
    }
    Ok(applied)
}

/// Cancels at payOS the payment links of orders that expired or were cancelled and of counter
/// sales given up, so a payment made late is refused there rather than taken, and closes those
/// paid. A link whose stall left payOS, or that payOS no longer knows, is not asked about
/// again; one payOS could not be reached about is, at the next sweep. Returns how many were
/// closed.
pub async fn close_payment_links(ports: &Ports) -> Result<usize, AppError> {
    let mut closed = 0;
    for due in ports.bank.payment_links_to_close(CLOSE_PER_SWEEP).await? {
        if close_payment_link(ports, &due).await? {
            closed += 1;
        }
    }
    Ok(closed)
}

/// Cancels one link at payOS when what it asked payment for ended unpaid, and records it
/// closed; `false` when payOS could not be reached (it is asked again at the next sweep).
pub async fn close_payment_link(ports: &Ports, due: &LinkToClose) -> Result<bool, AppError> {
    let link = ports.bank.link_of(due.stall_id).await?;
    let outcome = match &link {
        Some(link) if due.ended_unpaid && link.service == BankService::PayOs => {
            ports
                .bank_services
                .cancel_payment_link(link, &due.link_id)
                .await
        }
        _ => Ok(()),
    };
    match outcome {
        Err(BankApiError::Unreachable(reason)) => {
            tracing::warn!(code = %due.code, %reason, "payOS could not be reached to cancel a payment link");
            return Ok(false);
        }
        Err(error) => {
            tracing::warn!(code = %due.code, %error, "payOS did not cancel a payment link")
        }
        Ok(()) => {}
    }
    ports.bank.payment_link_closed(due.to).await?;
    Ok(true)
}
