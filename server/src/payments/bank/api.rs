//! The one client of payOS's and SePay's APIs, at their real addresses or at a stand-in's:
//! the same requests either way. Short timeouts: a service that answers slowly must not hold
//! up a checkout or the sweep, and everything it was asked is asked again later.
use super::payos_api::{PayOsApi, PayOsKeys};
use super::sepay_api::SePayApi;
use app::domain::bank_keys::BankKeys;
use app::domain::bank_notice::BankCredit;
use app::ports::{BankApiError, PaymentLink, PaymentLinkRequest};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// payOS's merchant API.
pub const PAYOS_BASE: &str = "https://api-merchant.payos.vn";
/// SePay's user API.
pub const SEPAY_BASE: &str = "https://my.sepay.vn";

const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
const TIMEOUT: Duration = Duration::from_secs(8);

#[derive(Clone)]
pub struct BankApi {
    http: reqwest::Client,
    payos: String,
    sepay: String,
}

impl BankApi {
    /// The real services.
    pub fn real() -> Self {
        Self::at(PAYOS_BASE, SEPAY_BASE)
    }

    /// The services at other addresses (a stand-in's).
    pub fn at(payos: &str, sepay: &str) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(TIMEOUT)
            .build()
            .expect("a client with timeouts builds");
        BankApi {
            http,
            payos: payos.trim_end_matches('/').to_owned(),
            sepay: sepay.trim_end_matches('/').to_owned(),
        }
    }

    fn payos<'a>(&'a self, keys: &'a BankKeys) -> Result<PayOsApi<'a>, BankApiError> {
        match keys {
            BankKeys::PayOs {
                client_id,
                api_key,
                checksum_key,
            } => Ok(PayOsApi {
                http: &self.http,
                base: &self.payos,
                keys: PayOsKeys {
                    client_id,
                    api_key,
                    checksum_key,
                },
            }),
            BankKeys::SePay { .. } => Err(BankApiError::NotPossible),
        }
    }

    fn sepay<'a>(&'a self, keys: &'a BankKeys) -> Result<SePayApi<'a>, BankApiError> {
        match keys {
            BankKeys::SePay {
                api_token: Some(token),
                ..
            } => Ok(SePayApi {
                http: &self.http,
                base: &self.sepay,
                token,
            }),
            _ => Err(BankApiError::NotPossible),
        }
    }

    /// An authenticated call that changes nothing: payOS's client id and API key, or SePay's
    /// API token (SePay's signing secret can't be checked by any call).
    pub async fn check(&self, keys: &BankKeys) -> Result<(), BankApiError> {
        match keys {
            BankKeys::PayOs { .. } => self.payos(keys)?.check().await,
            BankKeys::SePay { .. } => self.sepay(keys)?.check().await,
        }
    }

    pub async fn payment_link(
        &self,
        keys: &BankKeys,
        request: &PaymentLinkRequest,
    ) -> Result<PaymentLink, BankApiError> {
        self.payos(keys)?.payment_link(request).await
    }

    pub async fn cancel_payment_link(&self, keys: &BankKeys, id: &str) -> Result<(), BankApiError> {
        self.payos(keys)?.cancel(id).await
    }

    pub async fn order_credits(
        &self,
        keys: &BankKeys,
        order_code: &str,
    ) -> Result<Vec<BankCredit>, BankApiError> {
        self.payos(keys)?.order_credits(order_code).await
    }

    pub async fn account_credits(
        &self,
        keys: &BankKeys,
        since: DateTime<Utc>,
    ) -> Result<Vec<BankCredit>, BankApiError> {
        self.sepay(keys)?.credits_since(since).await
    }
}

/// Why a request got no answer, without its address (which could hold an id) or any header.
pub(super) fn reason(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "timed out".into()
    } else if error.is_connect() {
        "could not connect".into()
    } else {
        "the request failed".into()
    }
}
