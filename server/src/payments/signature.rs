//! The `Stripe-Signature` header of webhook deliveries.
//!
//! Stripe signs `"{t}.{raw body}"` with HMAC-SHA256 under the endpoint's secret and sends
//! `t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]`. Several `v1` values appear while a secret is
//! being rolled, so any one of them may match. The timestamp is inside the signed text, so
//! checking its age stops an old delivery from being replayed.
//!
//! The check must run on the raw bytes as received: re-serialising parsed JSON changes them.
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Stripe's own libraries accept a signature up to five minutes from the receiver's clock.
pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the Stripe-Signature header is malformed")]
    Malformed,
    #[error("no v1 signature in the Stripe-Signature header matches the body")]
    NoMatch,
    #[error("the Stripe-Signature timestamp {timestamp} is outside the tolerance")]
    Stale { timestamp: i64 },
}

/// Checks a delivery: the header's `t` and any of its `v1` signatures must match `raw_body`
/// under `secret`, and `t` must be within `tolerance_secs` of `now` (either side, for clock
/// skew). The comparison is constant-time.
pub fn verify(
    header: &str,
    raw_body: &[u8],
    secret: &str,
    now: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let header = SignatureHeader::parse(header)?;
    let expected = mac(raw_body, secret, header.timestamp);
    // A `v1` that is not even hex cannot match; it is skipped like any other mismatch.
    let matches = header
        .v1
        .iter()
        .filter_map(|candidate| hex::decode(candidate).ok())
        .any(|candidate| expected.clone().verify_slice(&candidate).is_ok());
    if !matches {
        return Err(SignatureError::NoMatch);
    }
    // Checked after the signature, so `Stale` always means a genuine but old delivery.
    let tolerance = u64::try_from(tolerance_secs).unwrap_or(0);
    if now.abs_diff(header.timestamp) > tolerance {
        return Err(SignatureError::Stale {
            timestamp: header.timestamp,
        });
    }
    Ok(())
}

/// The header Stripe would send for `raw_body` signed at `t`: used by the test double and tests.
pub fn sign(raw_body: &[u8], secret: &str, t: i64) -> String {
    let signature = mac(raw_body, secret, t).finalize().into_bytes();
    format!("t={t},v1={}", hex::encode(signature))
}

fn mac(raw_body: &[u8], secret: &str, t: i64) -> HmacSha256 {
    let mut mac =
        HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(raw_body);
    mac
}

/// The parts of the header that matter; other schemes (`v0`, future ones) are ignored.
struct SignatureHeader<'a> {
    timestamp: i64,
    v1: Vec<&'a str>,
}

impl<'a> SignatureHeader<'a> {
    fn parse(header: &'a str) -> Result<Self, SignatureError> {
        let mut timestamp = None;
        let mut v1 = Vec::new();
        for pair in header.split(',') {
            let (key, value) = pair
                .trim()
                .split_once('=')
                .ok_or(SignatureError::Malformed)?;
            match key {
                "t" if timestamp.is_none() => {
                    timestamp = Some(value.parse().map_err(|_| SignatureError::Malformed)?);
                }
                "t" => return Err(SignatureError::Malformed),
                "v1" => v1.push(value),
                _ => {}
            }
        }
        match timestamp {
            Some(timestamp) if !v1.is_empty() => Ok(SignatureHeader { timestamp, v1 }),
            _ => Err(SignatureError::Malformed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const BODY: &[u8] = br#"{"id":"evt_1","object":"event","type":"checkout.session.completed"}"#;
    const T: i64 = 1_750_000_000;

    #[test]
    fn a_good_signature_is_accepted() {
        let header = sign(BODY, SECRET, T);
        assert_eq!(verify(&header, BODY, SECRET, T + 10, 300), Ok(()));
    }

    #[test]
    fn the_signature_is_stripes_scheme() {
        // Computed independently: printf '%s' "1750000000.$BODY" | openssl dgst -sha256 -hmac whsec_test_secret
        assert_eq!(
            sign(BODY, SECRET, T),
            "t=1750000000,v1=73f2baf13aeb08b76671dae183a2fc4d2fe482dd3e1170c6aca6cccf5ca4167f"
        );
    }

    #[test]
    fn a_wrong_secret_is_refused() {
        let header = sign(BODY, "whsec_other", T);
        assert_eq!(
            verify(&header, BODY, SECRET, T, 300),
            Err(SignatureError::NoMatch)
        );
    }

    #[test]
    fn a_tampered_body_is_refused() {
        let header = sign(BODY, SECRET, T);
        let tampered = String::from_utf8_lossy(BODY).replace("evt_1", "evt_2");
        assert_eq!(
            verify(&header, tampered.as_bytes(), SECRET, T, 300),
            Err(SignatureError::NoMatch)
        );
    }

    #[test]
    fn a_stale_or_future_timestamp_is_refused() {
        let header = sign(BODY, SECRET, T);
        assert_eq!(
            verify(&header, BODY, SECRET, T + 301, 300),
            Err(SignatureError::Stale { timestamp: T })
        );
        assert_eq!(
            verify(&header, BODY, SECRET, T - 301, 300),
            Err(SignatureError::Stale { timestamp: T })
        );
        assert_eq!(verify(&header, BODY, SECRET, T + 300, 300), Ok(()));
    }

    #[test]
    fn any_v1_may_match_while_a_secret_is_rolled() {
        let good = sign(BODY, SECRET, T);
        let good_v1 = good.split_once(",v1=").unwrap().1;
        let old_v1 = sign(BODY, "whsec_old", T)
            .split_once(",v1=")
            .unwrap()
            .1
            .to_owned();
        let header = format!("t={T},v1={old_v1},v1={good_v1},v0=6ffbb59b2300aae63f2724");
        assert_eq!(verify(&header, BODY, SECRET, T, 300), Ok(()));
    }

    #[test]
    fn a_malformed_header_is_refused() {
        for header in [
            "",
            "garbage",
            "t=abc,v1=00",
            &format!("t={T}"),
            "v1=00",
            &format!("t={T},t={T},v1=00"),
        ] {
            assert_eq!(
                verify(header, BODY, SECRET, T, 300),
                Err(SignatureError::Malformed),
                "{header:?}"
            );
        }
    }

    #[test]
    fn a_v1_that_is_not_hex_does_not_match() {
        let header = format!("t={T},v1=not-hex");
        assert_eq!(
            verify(&header, BODY, SECRET, T, 300),
            Err(SignatureError::NoMatch)
        );
    }
}
