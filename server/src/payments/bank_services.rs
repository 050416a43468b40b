//! The stalls' bank-notification services as the app reaches them: the real payOS and SePay,
//! or the built-in stand-in ([`super::bank_double`]), which opens an account for each stall
//! whose keys are checked, posts its notifications to the stall's address, and gives testers
//! a bank page to transfer from. Both call the services' APIs with the one client
//! ([`super::bank::api`]), at the real addresses or at the stand-in's.
use super::bank::api::BankApi;
use super::bank_double::{BankDoubleState, NewAccount, Service};
use super::bank_keys::SealedKeys;
use crate::sealed::SealingKey;
use app::domain::bank_keys::BankKeys;
use app::domain::bank_notice::BankCredit;
use app::domain::id::StallId;
use app::domain::money::Dong;
use app::ports::{
    BankApiError, BankLink, BankNotices, BankServices, PaymentLink, PaymentLinkRequest,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

/// The services' APIs, called with each stall's keys opened for the call alone.
pub struct RealServices {
    api: BankApi,
    sealing: SealingKey,
}

impl RealServices {
    pub fn new(api: BankApi, sealing: SealingKey) -> Self {
        RealServices { api, sealing }
    }

    fn keys(&self, link: &BankLink) -> Result<BankKeys, BankApiError> {
        BankKeys::open(&link.sealed_keys, &self.sealing).map_err(|error| {
            tracing::error!(stall = %link.stall_id, %error, "a stall's bank keys do not open");
            BankApiError::NotPossible
        })
    }
}

#[async_trait]
impl BankServices for RealServices {
    async fn linked(&self, _: &BankLink, _: &BankKeys) {}

    fn test_transfer(&self, _: StallId, _: Dong, _: &str) -> Option<String> {
        None
    }

    async fn check_keys(&self, _: &BankLink, keys: &BankKeys) -> Result<(), BankApiError> {
        self.api.check(keys).await
    }

    fn reconciles(&self, link: &BankLink) -> bool {
        match self.keys(link) {
            Ok(BankKeys::PayOs { .. }) => true,
            Ok(BankKeys::SePay { api_token, .. }) => api_token.is_some(),
            Err(_) => false,
        }
    }

    async fn payment_link(
        &self,
        link: &BankLink,
        request: &PaymentLinkRequest,
    ) -> Result<PaymentLink, BankApiError> {
        self.api.payment_link(&self.keys(link)?, request).await
    }

    async fn cancel_payment_link(&self, link: &BankLink, id: &str) -> Result<(), BankApiError> {
        self.api.cancel_payment_link(&self.keys(link)?, id).await
    }

    async fn order_credits(
        &self,
        link: &BankLink,
        order_code: &str,
    ) -> Result<Vec<BankCredit>, BankApiError> {
        self.api.order_credits(&self.keys(link)?, order_code).await
    }

    async fn account_credits(
        &self,
        link: &BankLink,
        since: DateTime<Utc>,
    ) -> Result<Vec<BankCredit>, BankApiError> {
        self.api.account_credits(&self.keys(link)?, since).await
    }
}

/// The stand-in, with the account it opened for each linked stall.
pub struct StandInServices {
    /// The client, at the stand-in's address.
    api: RealServices,
    double: BankDoubleState,
    /// Where the stand-in posts: the app's own address.
    app_base: String,
    accounts: Mutex<HashMap<StallId, String>>,
}

impl StandInServices {
    pub fn new(double: BankDoubleState, app_base: String, sealing: SealingKey) -> Self {
        let api = BankApi::at(double.base_url(), double.base_url());
        StandInServices {
            api: RealServices::new(api, sealing),
            double,
            app_base,
            accounts: Mutex::default(),
        }
    }

    /// Opens an account for every stall already linked: the stand-in keeps nothing between
    /// runs, while the links stay in the database.
    pub async fn open_accounts(&self, bank: &dyn BankNotices) -> anyhow::Result<()> {
        for link in bank.links().await? {
            let keys = BankKeys::open(&link.sealed_keys, &self.api.sealing)?;
            self.open(&link, &keys);
        }
        Ok(())
    }

    fn open(&self, link: &BankLink, keys: &BankKeys) {
        let webhook_url = format!(
            "{}/hooks/{}/{}",
            self.app_base, link.service, link.hook_token
        );
        let mut account = NewAccount {
            service: Service::SePay,
            webhook_url,
            checksum_key: None,
            webhook_secret: None,
            client_id: None,
            api_key: None,
            // A test account at Vietcombank: the stand-in moves no money.
            account_number: "0011001234567".into(),
            account_name: "CHO SO THU NGHIEM".into(),
            bin: "970436".into(),
        };
        match keys {
            BankKeys::PayOs {
                client_id,
                api_key,
                checksum_key,
            } => {
                account.service = Service::PayOs;
                account.client_id = Some(client_id.clone());
                account.api_key = Some(api_key.clone());
                account.checksum_key = Some(checksum_key.clone());
            }
            BankKeys::SePay {
                webhook_secret,
                api_token,
            } => {
                account.webhook_secret = Some(webhook_secret.clone());
                account.api_key = api_token.clone();
            }
        }
        match self.double.register(account) {
            Ok(id) => {
                let mut accounts = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
                accounts.insert(link.stall_id, id);
            }
            Err(error) => {
                tracing::error!(stall = %link.stall_id, %error, "the bank stand-in refused an account")
            }
        }
    }
}

#[async_trait]
impl BankServices for StandInServices {
    /// The account was opened when the keys were checked.
    async fn linked(&self, _: &BankLink, _: &BankKeys) {}

    fn test_transfer(&self, stall: StallId, amount: Dong, purpose: &str) -> Option<String> {
        let accounts = self.accounts.lock().unwrap_or_else(|p| p.into_inner());
        let account = accounts.get(&stall)?;
        let encode = app::components::urlencode;
        Some(format!(
            "{}/bank?account={}&amount={}&purpose={}",
            self.double.base_url(),
            encode(account),
            amount.amount(),
            encode(purpose)
        ))
    }

    /// The stand-in is a service every vendor already has an account at: the keys typed open
    /// one (its notifications going to the stall's new address), then are checked over HTTP
    /// exactly as the real service is asked.
    async fn check_keys(&self, link: &BankLink, keys: &BankKeys) -> Result<(), BankApiError> {
        self.open(link, keys);
        self.api.check_keys(link, keys).await
    }

    fn reconciles(&self, link: &BankLink) -> bool {
        self.api.reconciles(link)
    }

    async fn payment_link(
        &self,
        link: &BankLink,
        request: &PaymentLinkRequest,
    ) -> Result<PaymentLink, BankApiError> {
        self.api.payment_link(link, request).await
    }

    async fn cancel_payment_link(&self, link: &BankLink, id: &str) -> Result<(), BankApiError> {
        self.api.cancel_payment_link(link, id).await
    }

    async fn order_credits(
        &self,
        link: &BankLink,
        order_code: &str,
    ) -> Result<Vec<BankCredit>, BankApiError> {
        self.api.order_credits(link, order_code).await
    }

    async fn account_credits(
        &self,
        link: &BankLink,
        since: DateTime<Utc>,
    ) -> Result<Vec<BankCredit>, BankApiError> {
        self.api.account_credits(link, since).await
    }
}
