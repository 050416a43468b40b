//! The keys a vendor gives for their bank-notification service: checked as typed, kept sealed
//! with the server's key, and opened only to sign or check a message. They never print (`Debug`
//! names the service alone) and no page shows them again.
use super::bank_notice::BankService;
use super::invalid::{FieldErrors, Invalid};
use serde::{Deserialize, Serialize};

/// Longest key accepted: payOS's are 36 to 64 characters, a SePay secret what its owner chose.
const KEY_MAX: usize = 128;
/// Shortest SePay signing secret: one a stranger can't guess.
const SECRET_MIN: usize = 16;

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
    /// The secret SePay signs its notifications with, and the API token that reads the
    /// account's transactions (to catch a transfer whose notification was lost). Keys linked
    /// before the token was asked for have none: their stall is not reconciled until its
    /// vendor adds it.
    SePay {
        webhook_secret: String,
        #[serde(default)]
        api_token: Option<String>,
    },
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

    /// The keys for `service` from the payment settings form: payOS's three, or SePay's
    /// signing secret and API token. Spaces around a pasted key are dropped; one inside it is refused.
    pub fn parse(service: BankService, form: &BankKeysForm) -> Result<BankKeys, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut key = |field: &str, value: &Option<String>, min: usize| {
            errors.check(field, one_key(value.as_deref().unwrap_or_default(), min))
        };
        let keys = match service {
            BankService::PayOs => {
                let client_id = key("client_id", &form.client_id, 1);
                let api_key = key("api_key", &form.api_key, 1);
                let checksum_key = key("checksum_key", &form.checksum_key, 1);
                client_id.zip(api_key).zip(checksum_key).map(
                    |((client_id, api_key), checksum_key)| BankKeys::PayOs {
                        client_id,
                        api_key,
                        checksum_key,
                    },
                )
            }
            BankService::SePay => {
                let secret = key("webhook_secret", &form.webhook_secret, SECRET_MIN);
                let token = key("api_token", &form.api_token, 1);
                secret
                    .zip(token)
                    .map(|(webhook_secret, api_token)| BankKeys::SePay {
                        webhook_secret,
                        api_token: Some(api_token),
                    })
            }
        };
        errors.into_result()?;
        Ok(keys.expect("every key parsed when nothing was refused"))
    }
}

/// The keys as the payment settings form posts them; only the chosen service's are read.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BankKeysForm {
    pub client_id: Option<String>,
    pub api_key: Option<String>,
    pub checksum_key: Option<String>,
    pub webhook_secret: Option<String>,
    pub api_token: Option<String>,
}

impl std::fmt::Debug for BankKeysForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BankKeysForm(…)")
    }
}

fn one_key(value: &str, min: usize) -> Result<String, Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Invalid::Required);
    }
    if value.chars().any(char::is_whitespace) || !value.is_ascii() {
        return Err(Invalid::Unknown);
    }
    match value.chars().count() {
        n if n < min => Err(Invalid::TooShort { min }),
        n if n > KEY_MAX => Err(Invalid::TooLong { max: KEY_MAX }),
        _ => Ok(value.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> BankKeysForm {
        let text = |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        };
        BankKeysForm {
            client_id: text("client_id"),
            api_key: text("api_key"),
            checksum_key: text("checksum_key"),
            webhook_secret: text("webhook_secret"),
            api_token: text("api_token"),
        }
    }

    #[test]
    fn each_service_takes_its_own_keys_trimmed() {
        let payos = form(&[
            ("client_id", " cid "),
            ("api_key", "ak"),
            ("checksum_key", "ck"),
        ]);
        assert_eq!(
            BankKeys::parse(BankService::PayOs, &payos).unwrap(),
            BankKeys::PayOs {
                client_id: "cid".into(),
                api_key: "ak".into(),
                checksum_key: "ck".into()
            }
        );
        let sepay = form(&[
            ("webhook_secret", "a-secret-of-16-chars"),
            ("api_token", " TOKEN123 "),
            ("api_key", "ignored"),
        ]);
        assert_eq!(
            BankKeys::parse(BankService::SePay, &sepay).unwrap(),
            BankKeys::SePay {
                webhook_secret: "a-secret-of-16-chars".into(),
                api_token: Some("TOKEN123".into()),
            }
        );
    }

    #[test]
    fn a_missing_short_or_mangled_key_is_named() {
        let errors = BankKeys::parse(BankService::PayOs, &form(&[("api_key", "a b")])).unwrap_err();
        assert_eq!(errors.get("client_id"), Some(&Invalid::Required));
        assert_eq!(errors.get("api_key"), Some(&Invalid::Unknown));
        assert_eq!(errors.get("checksum_key"), Some(&Invalid::Required));
        let short = BankKeys::parse(BankService::SePay, &form(&[("webhook_secret", "short")]));
        let short = short.unwrap_err();
        assert_eq!(
            short.get("webhook_secret"),
            Some(&Invalid::TooShort { min: 16 })
        );
        assert_eq!(short.get("api_token"), Some(&Invalid::Required));
        let long = "k".repeat(129);
        let long = BankKeys::parse(BankService::SePay, &form(&[("webhook_secret", &long)]));
        assert_eq!(
            long.unwrap_err().get("webhook_secret"),
            Some(&Invalid::TooLong { max: 128 })
        );
    }

    #[test]
    fn keys_never_print() {
        let keys = BankKeys::PayOs {
            client_id: "client".into(),
            api_key: "api-k3y".into(),
            checksum_key: "ch3cksum".into(),
        };
        assert_eq!(format!("{keys:?}"), "BankKeys(payos)");
        let posted = form(&[("api_key", "api-k3y")]);
        assert!(!format!("{posted:?}").contains("api-k3y"));
    }

    #[test]
    fn sepay_keys_stored_before_the_api_token_still_open() {
        let stored = r#"{"service":"se_pay","webhook_secret":"a-secret-of-16-chars"}"#;
        assert_eq!(
            serde_json::from_str::<BankKeys>(stored).unwrap(),
            BankKeys::SePay {
                webhook_secret: "a-secret-of-16-chars".into(),
                api_token: None,
            }
        );
    }
}
