//! A stall's bank-notification keys, sealed for the database and opened to check a message
//! (see [`crate::sealed`]).
use crate::sealed::SealingKey;
pub use app::domain::bank_keys::BankKeys;

/// Sealing and opening [`BankKeys`] with the server's key.
pub trait SealedKeys: Sized {
    fn seal(&self, key: &SealingKey) -> String;
    fn open(sealed: &str, key: &SealingKey) -> anyhow::Result<Self>;
}

impl SealedKeys for BankKeys {
    fn seal(&self, key: &SealingKey) -> String {
        key.seal(&serde_json::to_vec(self).expect("keys serialise"))
    }

    fn open(sealed: &str, key: &SealingKey) -> anyhow::Result<Self> {
        Ok(serde_json::from_slice(&key.open(sealed)?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_open_as_they_were_sealed_and_the_sealed_text_hides_them() {
        let (key, _) = SealingKey::generate();
        let keys = BankKeys::PayOs {
            client_id: "client".into(),
            api_key: "api-k3y".into(),
            checksum_key: "ch3cksum".into(),
        };
        let sealed = keys.seal(&key);
        assert_eq!(BankKeys::open(&sealed, &key).unwrap(), keys);
        assert!(!sealed.contains("api-k3y") && !sealed.contains("ch3cksum"));
    }
}
