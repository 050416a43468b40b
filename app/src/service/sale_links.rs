//! payOS at the counter. payOS reports only payments into its own payment links, so a stall
//! linked to payOS shows, for each sale it collects by transfer, payOS's QR of a link made for
//! that sale: payOS's notification then names the sale, and the screen turns green by itself,
//! as for an order. The link is made once; while payOS can't be reached the screen shows the
//! stall's own QR with hand confirmation, and payOS is asked again at most every
//! [`ASK_AGAIN_AFTER`], however often the screen looks. Given up, the sale's link is cancelled
//! at once (or by the sweep, if payOS is out of reach then).
use crate::api::AppError;
use crate::domain::bank_notice::BankService;
use crate::domain::counter_sale::{CounterSale, LINK_LIFETIME, SaleCode, SaleStatus, SaleWay};
use crate::domain::id::StallId;
use crate::ports::{BankLink, LinkToClose, LinkedTo, PaymentLink, PaymentLinkRequest, Ports};
use chrono::{DateTime, TimeDelta, Utc};

/// How long payOS, once asked for a sale's link without answering, is left alone: the screen
/// looks every two seconds, and a payOS out of reach must not be asked each time.
pub const ASK_AGAIN_AFTER: TimeDelta = TimeDelta::seconds(30);

/// The stall's link, when it is to payOS.
pub async fn payos_of(ports: &Ports, stall: StallId) -> Result<Option<BankLink>, AppError> {
    Ok(ports
        .bank
        .link_of(stall)
        .await?
        .filter(|link| link.service == BankService::PayOs))
}

/// Where payOS sends a shopper back from its payment page: the stall's own page.
pub fn stall_page(origin: &str, slug: &str) -> String {
    format!("{}/stalls/{slug}", origin.trim_end_matches('/'))
}

/// The payOS payment link of the sale at the stall of payOS `link`: the one kept, else, for a
/// sale still waiting for its transfer, one made now, unless payOS was asked within
/// [`ASK_AGAIN_AFTER`]. `None` while payOS has not made it (logged; asked again later).
pub async fn sale_link(
    ports: &Ports,
    link: &BankLink,
    sale: &CounterSale,
    page: &str,
) -> Result<Option<PaymentLink>, AppError> {
    let to = LinkedTo::Sale(link.stall_id, sale.code);
    if let Some(kept) = ports.bank.payment_link(to).await? {
        return Ok(Some(kept));
    }
    if sale.way != SaleWay::Transfer
        || sale.status != SaleStatus::AwaitingTransfer
        || !ports
            .counter_sales
            .may_ask_for_link(link.stall_id, sale.code, ASK_AGAIN_AFTER)
            .await?
    {
        return Ok(None);
    }
    let request = PaymentLinkRequest {
        order_code: sale.code.to_string(),
        amount: sale.amount,
        order_page: page.to_owned(),
        expires_at: sale.created_at + LINK_LIFETIME,
    };
    match ports.bank_services.payment_link(link, &request).await {
        Ok(made) => Ok(Some(ports.bank.keep_payment_link(to, &made).await?)),
        Err(error) => {
            tracing::warn!(stall = %link.stall_id, code = %sale.code, %error, "payOS could not make a counter sale's payment link: the stall's own QR is shown");
            Ok(None)
        }
    }
}

/// The stall's counter sales whose payOS link may still be paid: waiting for their transfer,
/// recorded within the link's lifetime, with a link made.
pub async fn awaiting(
    ports: &Ports,
    stall: StallId,
    now: DateTime<Utc>,
) -> Result<Vec<SaleCode>, AppError> {
    let mut codes = Vec::new();
    for sale in ports
        .counter_sales
        .of_stall(stall, now - LINK_LIFETIME)
        .await?
    {
        if sale.way == SaleWay::Transfer
            && sale.status == SaleStatus::AwaitingTransfer
            && ports
                .bank
                .payment_link(LinkedTo::Sale(stall, sale.code))
                .await?
                .is_some()
        {
            codes.push(sale.code);
        }
    }
    Ok(codes)
}

/// The vendor gave the sale up: its payOS link, if it has one, is cancelled now, so the
/// shopper can no longer pay it. Failing that, the sweep cancels it; nothing here stops the
/// giving up.
pub async fn cancel(ports: &Ports, stall: StallId, code: SaleCode) {
    let to = LinkedTo::Sale(stall, code);
    let kept = match ports.bank.payment_link(to).await {
        Ok(Some(kept)) => kept,
        Ok(None) => return,
        Err(error) => {
            tracing::error!(%stall, %code, %error, "reading a counter sale's payment link failed");
            return;
        }
    };
    let due = LinkToClose {
        stall_id: stall,
        to,
        code: code.to_string(),
        link_id: kept.id,
        ended_unpaid: true,
    };
    if let Err(error) = super::bank::close_payment_link(ports, &due).await {
        tracing::error!(%stall, %code, %error, "closing a counter sale's payment link failed");
    }
}
