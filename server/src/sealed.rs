//! Secrets kept in the database (a stall's bank-notification keys) are sealed with the
//! server's own key: AES-256-GCM with a fresh random nonce each time, stored as hexadecimal of
//! the nonce followed by the ciphertext. A copy of the database alone opens nothing, and a sealed
//! value altered in the database fails to open rather than opening to something else.
use aes_gcm::aead::{Aead, KeyInit, OsRng, rand_core::RngCore};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use anyhow::Context;

const NONCE_BYTES: usize = 12;
/// Where the generated key is kept when `CHOSO_SECRET_KEY` gives none.
const KEY_FILE: &str = "secret.key";

/// The key `CHOSO_SECRET_KEY` gives; without one, the key kept in the data folder, generated
/// there the first time (readable by the server's user only). A key beside the database it
/// protects guards only against a copy of the database alone, so production sets its own.
pub fn sealing_key(settings: &crate::config::Settings) -> anyhow::Result<SealingKey> {
    use secrecy::ExposeSecret;
    if let Some(key) = &settings.secret_key {
        return SealingKey::from_hex(key.expose_secret()).context("CHOSO_SECRET_KEY");
    }
    let path = settings.data_dir.join(KEY_FILE);
    match std::fs::read_to_string(&path) {
        Ok(hex_key) => SealingKey::from_hex(&hex_key).with_context(|| path.display().to_string()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            let (key, hex_key) = SealingKey::generate();
            write_private(&path, &hex_key)?;
            tracing::warn!(path = %path.display(), "generated a sealing key; set CHOSO_SECRET_KEY in production");
            Ok(key)
        }
        Err(err) => Err(err).with_context(|| path.display().to_string()),
    }
}

/// Writes a new file readable and writable by its owner only.
fn write_private(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| path.display().to_string())?;
    file.write_all(text.as_bytes())?;
    Ok(())
}

/// The server's sealing key. `Debug` shows nothing of it.
#[derive(Clone)]
pub struct SealingKey(Key<Aes256Gcm>);

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(…)")
    }
}

impl SealingKey {
    /// From 64 hexadecimal digits (32 bytes), as `CHOSO_SECRET_KEY` holds it.
    pub fn from_hex(hex_key: &str) -> anyhow::Result<Self> {
        let bytes = hex::decode(hex_key.trim()).context("the sealing key is not hexadecimal")?;
        anyhow::ensure!(
            bytes.len() == 32,
            "the sealing key must be 32 bytes (64 hex digits)"
        );
        Ok(SealingKey(*Key::<Aes256Gcm>::from_slice(&bytes)))
    }

    /// A new random key, written as [`SealingKey::from_hex`] reads it.
    pub fn generate() -> (Self, String) {
        let key = Aes256Gcm::generate_key(OsRng);
        (SealingKey(key), hex::encode(key))
    }

    pub fn seal(&self, plain: &[u8]) -> String {
        let mut nonce = [0u8; NONCE_BYTES];
        OsRng.fill_bytes(&mut nonce);
        let sealed = Aes256Gcm::new(&self.0)
            .encrypt(Nonce::from_slice(&nonce), plain)
            .expect("AES-GCM seals any input of a sane length");
        hex::encode([nonce.as_slice(), &sealed].concat())
    }

    pub fn open(&self, sealed: &str) -> anyhow::Result<Vec<u8>> {
        let bytes = hex::decode(sealed).context("a sealed value is not hexadecimal")?;
        anyhow::ensure!(bytes.len() > NONCE_BYTES, "a sealed value is too short");
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        Aes256Gcm::new(&self.0)
            .decrypt(Nonce::from_slice(nonce), sealed)
            .map_err(|_| anyhow::anyhow!("a sealed value does not open with this key"))
    }
}

impl app::ports::Sealer for SealingKey {
    fn seal(&self, plain: &[u8]) -> String {
        SealingKey::seal(self, plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_with_its_key_only_and_never_twice_the_same() {
        let (key, hex_key) = SealingKey::generate();
        let again = SealingKey::from_hex(&hex_key).unwrap();
        let sealed = key.seal(b"checksum-key");
        assert_eq!(again.open(&sealed).unwrap(), b"checksum-key");
        assert_ne!(key.seal(b"checksum-key"), sealed, "a fresh nonce each time");
        assert!(!sealed.contains("checksum"));
        let (other, _) = SealingKey::generate();
        assert!(other.open(&sealed).is_err());
    }

    #[test]
    fn an_altered_sealed_value_does_not_open() {
        let (key, _) = SealingKey::generate();
        let sealed = hex::decode(key.seal(b"api-key")).unwrap();
        for at in [0, NONCE_BYTES, sealed.len() - 1] {
            let mut altered = sealed.clone();
            altered[at] ^= 1;
            assert!(key.open(&hex::encode(&altered)).is_err(), "byte {at}");
        }
        assert!(key.open("not hex!").is_err());
        assert!(key.open(&hex::encode([0u8; 5])).is_err());
    }

    #[test]
    fn only_a_key_of_32_bytes_in_hex_is_one() {
        assert!(SealingKey::from_hex(&"ab".repeat(32)).is_ok());
        for bad in ["", "zz", &"ab".repeat(31), &"ab".repeat(33)] {
            assert!(SealingKey::from_hex(bad).is_err(), "{bad}");
        }
        assert_eq!(
            format!("{:?}", SealingKey::from_hex(&"ab".repeat(32)).unwrap()),
            "SealingKey(…)"
        );
    }
}
