//! The double's memory: registered accounts, payOS payment links and the transfers the bank
//! page made, and the changes payOS and SePay make to them. No HTTP here: handlers lock the
//! store, call one method, and deliver the notification it recorded after unlocking.
use app::domain::bank::BankAccount;
use app::domain::money::Dong;
use app::domain::order::{find_order_codes, order_code, parse_order_code};
use app::domain::vietqr;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::delivery::Delivery;
use super::{object, vietnam_time};
use crate::payments::bank::payos;

/// Which service watches an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Service {
    #[serde(rename = "payos")]
    PayOs,
    #[serde(rename = "sepay")]
    SePay,
}

/// `POST /_double/accounts`: a merchant of one service and the bank account it watches.
#[derive(Debug, Clone, Deserialize)]
pub struct NewAccount {
    pub service: Service,
    pub webhook_url: String,
    /// payOS: signs the webhook's and the API's `data`.
    #[serde(default)]
    pub checksum_key: Option<String>,
    /// SePay: signs `X-SePay-Signature`.
    #[serde(default)]
    pub webhook_secret: Option<String>,
    /// payOS: `x-client-id`.
    #[serde(default)]
    pub client_id: Option<String>,
    /// payOS: `x-api-key`; SePay: the API token of `Authorization: Bearer`.
    #[serde(default)]
    pub api_key: Option<String>,
    pub account_number: String,
    pub account_name: String,
    /// The bank's 6-digit NAPAS BIN.
    pub bin: String,
}

#[derive(Debug, Clone)]
pub(super) struct Account {
    pub id: String,
    pub service: Service,
    pub webhook_url: String,
    /// The checksum key (payOS) or the webhook secret (SePay).
    pub secret: String,
    pub client_id: Option<String>,
    pub api_key: Option<String>,
    pub bank: BankAccount,
    /// The balance after every transfer so far: SePay's `accumulated`.
    pub balance: i64,
}

/// payOS's statuses of a payment link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub(super) enum LinkStatus {
    Pending,
    Underpaid,
    Paid,
    Cancelled,
    Expired,
}

/// A validated `POST /v2/payment-requests`.
#[derive(Debug, Clone)]
pub(super) struct NewLink {
    pub order_code: i64,
    pub amount: i64,
    pub description: String,
    pub cancel_url: String,
    pub return_url: String,
    pub expired_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub(super) struct PaymentLink {
    pub id: String,
    pub account: String,
    pub request: NewLink,
    pub amount_paid: i64,
    pub status: LinkStatus,
    pub created_at: DateTime<Utc>,
    pub canceled_at: Option<DateTime<Utc>>,
    pub cancellation_reason: Option<String>,
    /// The transfers that paid it, by id.
    pub transfers: Vec<u64>,
}

/// A transfer into a registered account: `POST /_double/transfer` or the bank page's form.
#[derive(Debug, Clone, Deserialize)]
pub struct TransferRequest {
    /// The account's id from `POST /_double/accounts`.
    pub account: String,
    /// Whole đồng.
    pub amount: i64,
    /// The transfer's purpose (nội dung chuyển khoản) as the shopper typed it.
    #[serde(default)]
    pub purpose: String,
    /// payOS: the payment link's `orderCode` the transfer pays, when not named in the purpose.
    #[serde(default)]
    pub order_code: Option<i64>,
}

#[derive(Debug, Clone)]
pub(super) struct Transfer {
    /// Increasing from 1: SePay's transaction `id`.
    pub id: u64,
    pub account: String,
    pub amount: i64,
    /// The purpose as the bank passes it on: folded to ASCII.
    pub content: String,
    /// The bank's reference (`FT…`).
    pub reference: String,
    pub booked_at: DateTime<Utc>,
    pub accumulated: i64,
    /// payOS: the order code and payment link it was reported under.
    pub order_code: Option<i64>,
    pub payment_link_id: Option<String>,
    /// SePay: the order code found at the start of the purpose.
    pub code: Option<String>,
    /// The notification body, kept so a redelivery sends the very same bytes; `None` when the
    /// service sends none (payOS, for a transfer that names no order).
    pub notice: Option<Vec<u8>>,
    pub last_delivery: Option<Delivery>,
}

/// Why the double refuses a registration or a transfer (the text is shown as is).
pub(super) type Refusal = String;

#[derive(Default)]
pub(super) struct Store {
    accounts: Vec<Account>,
    links: Vec<PaymentLink>,
    transfers: Vec<Transfer>,
    /// While set, notifications wait in `held` (by transfer id) for `POST /_double/deliver`:
    /// late and out-of-order deliveries, which both services can cause.
    pub holding: bool,
    pub held: Vec<u64>,
}

impl Store {
    pub fn register(&mut self, new: NewAccount) -> Result<String, Refusal> {
        let secret = match new.service {
            Service::PayOs => new.checksum_key,
            Service::SePay => new.webhook_secret,
        }
        .filter(|secret| !secret.is_empty())
        .ok_or_else(|| match new.service {
            Service::PayOs => "a payOS account needs checksum_key".to_owned(),
            Service::SePay => "a SePay account needs webhook_secret".to_owned(),
        })?;
        let bank = BankAccount {
            bin: new.bin,
            number: new.account_number,
            holder: new.account_name,
        };
        // The account must be one a VietQR code can name: payment links carry one.
        vietqr::payload(&bank, None, None, None).map_err(|e| format!("bank account: {e}"))?;
        let id = format!("acc_{}", self.accounts.len() + 1);
        self.accounts.push(Account {
            id: id.clone(),
            service: new.service,
            webhook_url: new.webhook_url,
            secret,
            client_id: new.client_id,
            api_key: new.api_key,
            bank,
            balance: 0,
        });
        Ok(id)
    }

    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    pub fn account(&self, id: &str) -> Option<&Account> {
        self.accounts.iter().find(|account| account.id == id)
    }

    /// The payOS account whose `x-client-id` and `x-api-key` these are.
    pub fn payos_account(&self, client_id: &str, api_key: &str) -> Option<&Account> {
        self.accounts.iter().find(|account| {
            account.service == Service::PayOs
                && account.client_id.as_deref() == Some(client_id)
                && account.api_key.as_deref() == Some(api_key)
        })
    }

    /// The SePay accounts reached with this API token.
    pub fn sepay_accounts(&self, token: &str) -> Vec<&Account> {
        self.accounts
            .iter()
            .filter(|a| a.service == Service::SePay && a.api_key.as_deref() == Some(token))
            .collect()
    }

    /// A new payment link, or `None` when the account already has one with this `orderCode`.
    pub fn create_link(
        &mut self,
        account: &str,
        request: NewLink,
        now: DateTime<Utc>,
    ) -> Option<&PaymentLink> {
        let taken = self
            .links
            .iter()
            .any(|l| l.account == account && l.request.order_code == request.order_code);
        if taken {
            return None;
        }
        self.links.push(PaymentLink {
            id: uuid::Uuid::new_v4().simple().to_string(),
            account: account.to_owned(),
            request,
            amount_paid: 0,
            status: LinkStatus::Pending,
            created_at: now,
            canceled_at: None,
            cancellation_reason: None,
            transfers: Vec::new(),
        });
        self.links.last()
    }

    /// The account's link by its `orderCode` or its `paymentLinkId`, its expiry brought up to
    /// date.
    pub fn link(&mut self, account: &str, key: &str, now: DateTime<Utc>) -> Option<&PaymentLink> {
        let index = self.link_index(account, key)?;
        Some(self.expire(index, now))
    }

    pub fn link_by_id(&self, id: &str) -> Option<&PaymentLink> {
        self.links.iter().find(|link| link.id == id)
    }

    fn link_index(&self, account: &str, key: &str) -> Option<usize> {
        self.links.iter().position(|link| {
            link.account == account
                && (link.id == key || key.parse() == Ok(link.request.order_code))
        })
    }

    /// A link past its `expiredAt` and still unpaid is `EXPIRED`, as payOS shows it.
    fn expire(&mut self, index: usize, now: DateTime<Utc>) -> &PaymentLink {
        let link = &mut self.links[index];
        let past = link
            .request
            .expired_at
            .is_some_and(|at| at < now.timestamp());
        if past && link.status == LinkStatus::Pending {
            link.status = LinkStatus::Expired;
        }
        link
    }

    /// Cancels an unpaid link; `Err` names the status that forbids it, `Ok(None)` an unknown link.
    pub fn cancel_link(
        &mut self,
        account: &str,
        key: &str,
        reason: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<Option<&PaymentLink>, LinkStatus> {
        let Some(index) = self.link_index(account, key) else {
            return Ok(None);
        };
        let status = self.expire(index, now).status;
        if status != LinkStatus::Pending && status != LinkStatus::Underpaid {
            return Err(status);
        }
        let link = &mut self.links[index];
        link.status = LinkStatus::Cancelled;
        link.canceled_at = Some(now);
        link.cancellation_reason = reason;
        Ok(Some(&*link))
    }

    pub fn transfers(&self) -> &[Transfer] {
        &self.transfers
    }

    pub fn transfer(&self, id: u64) -> Option<&Transfer> {
        self.transfers.iter().find(|transfer| transfer.id == id)
    }

    pub fn record_delivery(&mut self, id: u64, delivery: Delivery) {
        if let Some(transfer) = self.transfers.iter_mut().find(|t| t.id == id) {
            transfer.last_delivery = Some(delivery);
        }
    }

    /// Books a transfer into the account and writes the notification its service sends.
    pub fn book(&mut self, request: &TransferRequest, now: DateTime<Utc>) -> Result<u64, Refusal> {
        let account_index = self
            .accounts
            .iter()
            .position(|account| account.id == request.account)
            .ok_or_else(|| format!("no account {:?}", request.account))?;
        if !(1..=vietqr::AMOUNT_MAX).contains(&request.amount) {
            return Err(format!(
                "the amount must be 1 to {} đồng",
                vietqr::AMOUNT_MAX
            ));
        }
        let account = &mut self.accounts[account_index];
        account.balance = account.balance.saturating_add(request.amount);
        let account = account.clone();
        let id = self.transfers.len() as u64 + 1;
        let mut transfer = Transfer {
            id,
            account: account.id.clone(),
            amount: request.amount,
            content: vietqr::ascii_fold(&request.purpose),
            reference: format!("FT{}{id:07}", now.format("%y%j")),
            booked_at: now,
            accumulated: account.balance,
            order_code: None,
            payment_link_id: None,
            code: None,
            notice: None,
            last_delivery: None,
        };
        match account.service {
            Service::PayOs => self.pay_link(&account, &mut transfer, request.order_code),
            Service::SePay => sepay_notice(&account, &mut transfer),
        }
        self.transfers.push(transfer);
        Ok(id)
    }

    /// payOS: finds the payment link the transfer pays, updates it, and signs the webhook.
    /// payOS reports only payments of payment links, so a transfer that names no order (no
    /// link, no order code chosen, none in the purpose) is booked without a notification.
    fn pay_link(&mut self, account: &Account, transfer: &mut Transfer, chosen: Option<i64>) {
        let found = self.find_link(&account.id, chosen, &transfer.content);
        let (order_code, link_id) = match found {
            Some(index) => {
                let link = &mut self.links[index];
                pay(link, transfer);
                (link.request.order_code, link.id.clone())
            }
            None => {
                let named = chosen.or_else(|| {
                    find_order_codes(&transfer.content)
                        .first()
                        .and_then(|code| payos::payos_order_code(code))
                });
                let Some(order_code) = named else { return };
                // An order payOS knows from elsewhere (its dashboard): a link of its own.
                (order_code, uuid::Uuid::new_v4().simple().to_string())
            }
        };
        transfer.notice = Some(payos::sign_webhook(
            &account.secret,
            payos_data(account, transfer, order_code, &link_id),
        ));
        transfer.order_code = Some(order_code);
        transfer.payment_link_id = Some(link_id);
    }

    /// The account's link that the chosen order code names, else the first whose
    /// `paymentLinkId`, `description` or order code the purpose holds.
    fn find_link(&self, account: &str, chosen: Option<i64>, content: &str) -> Option<usize> {
        let ours = |link: &&PaymentLink| link.account == account;
        if let Some(order_code) = chosen {
            return self
                .links
                .iter()
                .position(|link| ours(&link) && link.request.order_code == order_code);
        }
        let upper = content.to_ascii_uppercase();
        let codes: Vec<i64> = find_order_codes(content)
            .iter()
            .filter_map(|code| payos::payos_order_code(code))
            .collect();
        self.links.iter().position(|link| {
            let description = link.request.description.to_ascii_uppercase();
            ours(&link)
                && ((!description.is_empty() && upper.contains(&description))
                    || upper.contains(&link.id.to_ascii_uppercase())
                    || codes.contains(&link.request.order_code))
        })
    }
}

/// A payment into a link: an open link is `PAID` once the money covers its amount, else
/// `UNDERPAID`; a paid, cancelled or expired link keeps its status (the money still arrived and
/// is reported, so the app decides what to give back).
fn pay(link: &mut PaymentLink, transfer: &Transfer) {
    link.amount_paid = link.amount_paid.saturating_add(transfer.amount);
    link.transfers.push(transfer.id);
    if matches!(link.status, LinkStatus::Pending | LinkStatus::Underpaid) {
        link.status = if link.amount_paid >= link.request.amount {
            LinkStatus::Paid
        } else {
            LinkStatus::Underpaid
        };
    }
}

/// The webhook's `data`, with exactly the fields the design doc lists. The payer's fields are
/// empty, as payOS sends them when the bank does not tell.
fn payos_data(
    account: &Account,
    transfer: &Transfer,
    order_code: i64,
    link_id: &str,
) -> Map<String, Value> {
    object(json!({
        "orderCode": order_code,
        "amount": transfer.amount,
        "description": transfer.content,
        "accountNumber": account.bank.number,
        "reference": transfer.reference,
        "transactionDateTime": vietnam_time(transfer.booked_at),
        "currency": "VND",
        "paymentLinkId": link_id,
        "code": "00",
        "desc": "success",
        "counterAccountBankId": "",
        "counterAccountBankName": "",
        "counterAccountName": "",
        "counterAccountNumber": "",
        "virtualAccountName": "",
        "virtualAccountNumber": "",
    }))
}

/// SePay: the body of its webhook, with `code` the order code at the start of the purpose (the
/// pattern a stall configures is its order codes).
fn sepay_notice(account: &Account, transfer: &mut Transfer) {
    transfer.code = transfer
        .content
        .split_whitespace()
        .next()
        .and_then(parse_order_code)
        .map(|(year, seq)| order_code(year, seq));
    let body = json!({
        "id": transfer.id,
        "gateway": gateway(&account.bank),
        "transactionDate": vietnam_time(transfer.booked_at),
        "accountNumber": account.bank.number,
        "subAccount": null,
        "code": transfer.code,
        "content": transfer.content,
        "transferType": "in",
        "transferAmount": transfer.amount,
        "accumulated": transfer.accumulated,
        "referenceCode": transfer.reference,
        "description": bank_message(transfer),
    });
    transfer.notice = Some(serde_json::to_vec(&body).expect("a JSON value always serialises"));
}

/// The bank's name as SePay writes it in `gateway` and `bank_brand_name`.
pub(super) fn gateway(bank: &BankAccount) -> &'static str {
    bank.bank().map_or("Bank", |bank| bank.short_name)
}

/// The bank's whole message, as SePay's `description` carries it.
pub(super) fn bank_message(transfer: &Transfer) -> String {
    format!("{}.{}", transfer.reference, transfer.content)
}

/// Whole đồng as the bank page shows them.
pub(super) fn dong(amount: i64) -> String {
    Dong::new(amount).to_string()
}
