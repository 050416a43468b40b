//! The keys a vendor gives for their bank-notification service, kept sealed (see
//! [`crate::sealed`]) and opened only to sign or check a message. They never print: `Debug`
//! names the service alone.
use crate::sealed::SealingKey;
use app::domain::bank_notice::BankService;
use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "service", rename_all = "snake_case")]
pub enum BankKeys {
    /// payOS's three keys: the client id and API key authenticate requests, the checksum key
    /// signs them and the notifications.
    PayOs {
        client_id: String,
        api_key: String,
        checksum_key: String,
    },
    /// The secret SePay signs its notifications with.
    SePay { webhook_secret: String },
}

impl std::fmt::Debug for BankKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BankKeys({})", self.service())
    }
}

impl BankKeys {
    pub fn service(&self) -> BankService {
        match self {
            BankKeys::PayOs { .. } => BankService::PayOs,
            BankKeys::SePay { .. } => BankService::SePay,
        }
    }

    pub fn seal(&self, key: &SealingKey) -> String {
        key.seal(&serde_json::to_vec(self).expect("keys serialise"))
    }

    pub fn open(sealed: &str, key: &SealingKey) -> anyhow::Result<Self> {
        Ok(serde_json::from_slice(&key.open(sealed)?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_open_as_they_were_sealed_and_never_print() {
        let (key, _) = SealingKey::generate();
        let keys = BankKeys::PayOs {
            client_id: "client".into(),
            api_key: "api-k3y".into(),
            checksum_key: "ch3cksum".into(),
        };
        let sealed = keys.seal(&key);
        assert_eq!(BankKeys::open(&sealed, &key).unwrap(), keys);
        for secret in ["api-k3y", "ch3cksum"] {
            assert!(!sealed.contains(secret) && !format!("{keys:?}").contains(secret));
        }
        assert_eq!(format!("{keys:?}"), "BankKeys(payos)");
    }
}
