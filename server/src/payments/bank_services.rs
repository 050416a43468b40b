//! The stalls' bank-notification services as the app reaches them: the real payOS and SePay,
//! which need nothing from the app beyond their keys, or the built-in stand-in
//! ([`super::bank_double`]), which opens an account for each linked stall, posts its
//! notifications to the stall's address, and gives testers a bank page to transfer from.
use super::bank_double::{BankDoubleState, NewAccount, Service};
use crate::sealed::SealingKey;
use app::domain::bank_keys::BankKeys;
use app::domain::id::StallId;
use app::domain::money::Dong;
use app::ports::{BankLink, BankNotices, BankServices};
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;

/// The real services: a transfer is made from the shopper's own bank.
pub struct RealServices;

#[async_trait]
impl BankServices for RealServices {
    async fn linked(&self, _: &BankLink, _: &BankKeys) {}

    fn test_transfer(&self, _: StallId, _: Dong, _: &str) -> Option<String> {
        None
    }
}

/// The stand-in, with the account it opened for each linked stall.
pub struct StandInServices {
    double: BankDoubleState,
    /// Where the stand-in posts: the app's own address.
    app_base: String,
    accounts: Mutex<HashMap<StallId, String>>,
}

impl StandInServices {
    pub fn new(double: BankDoubleState, app_base: String) -> Self {
        StandInServices {
            double,
            app_base,
            accounts: Mutex::default(),
        }
    }

    /// Opens an account for every stall already linked: the stand-in keeps nothing between
    /// runs, while the links stay in the database.
    pub async fn open_accounts(
        &self,
        bank: &dyn BankNotices,
        sealing: &SealingKey,
    ) -> anyhow::Result<()> {
        use super::bank_keys::SealedKeys;
        for link in bank.links().await? {
            let keys = BankKeys::open(&link.sealed_keys, sealing)?;
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
            BankKeys::SePay { webhook_secret } => {
                account.webhook_secret = Some(webhook_secret.clone());
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
    async fn linked(&self, link: &BankLink, keys: &BankKeys) {
        self.open(link, keys);
    }

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
}
