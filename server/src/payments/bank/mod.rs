//! The notifications of the two services a Vietnamese household business would use to learn
//! that a bank transfer arrived (see `shared/design/bank-notifications.md`), read exactly as
//! each service writes and signs them.
//!
//! A VietQR transfer tells the seller nothing by itself, and fake "transfer successful"
//! screens are a known scam at market stalls: only a notification whose signature checks out
//! under the stall's own secret may mark an order paid. Both services are read here with no
//! I/O, so every case is a unit test; what a credit does to its order is decided by
//! [`app::domain::bank_notice::credit_outcome`].
//!
//! - [`payos`]: payOS signs the webhook's `data` object, key by key, with the stall's checksum
//!   key; no timestamp, so replays are stopped by applying each transfer once.
//! - [`sepay`]: SePay signs `"{timestamp}.{raw body}"`, and a delivery older than five
//!   minutes is refused.
//! - [`api`]: the calls the app makes to both services (keys checked, payOS's payment links,
//!   the reads that catch a lost webhook), which credit a transfer exactly as its webhook
//!   would.
use app::domain::money::Dong;
use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub mod api;
pub mod payos;
mod payos_api;
pub mod sepay;
mod sepay_api;

type HmacSha256 = Hmac<Sha256>;

/// Why a notification is not taken, the same for both services, so a webhook has one policy:
/// `BadSignature` and `Stale` are unauthorised deliveries, `NotPositive` and `NotPaid` genuine
/// ones that pay no order, and `Malformed` a body the service would not have sent (or, after a
/// good signature, a change in its format).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    /// Not the shape the service documents; the text says what is wrong (never a secret).
    #[error("the notification is malformed: {0}")]
    Malformed(String),
    /// The signature does not match under the stall's secret: forged, tampered with, or meant
    /// for another stall.
    #[error("the notification's signature does not match")]
    BadSignature,
    /// Genuine, but signed too long ago (or too far ahead) to be anything but a replay.
    #[error("the notification's timestamp {timestamp} is outside the tolerance")]
    Stale { timestamp: i64 },
    /// A transfer of nothing, or of less than nothing, can pay no order.
    #[error("the notification's amount {0} is not a positive number of đồng")]
    NotPositive(i64),
    /// payOS reported a payment that did not succeed (its `code` is not `00`).
    #[error("the payment did not succeed (code {0})")]
    NotPaid(String),
}

/// A keyed HMAC-SHA256, the scheme both services use.
fn keyed(secret: &str) -> HmacSha256 {
    HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length")
}

/// Whether `signature`, hex as the services send it (either case), is what `mac` computed.
/// The comparison is constant-time, so a forger learns nothing from how long a refusal took;
/// text that is not even hex cannot match and is refused the same way.
fn check_hex(mac: HmacSha256, signature: &str) -> Result<(), NoticeError> {
    let signature = hex::decode(signature.trim()).map_err(|_| NoticeError::BadSignature)?;
    mac.verify_slice(&signature)
        .map_err(|_| NoticeError::BadSignature)
}

/// Lowercase hex of what `mac` computed: the form both services write.
fn to_hex(mac: HmacSha256) -> String {
    hex::encode(mac.finalize().into_bytes())
}

/// Vietnam's offset from UTC (no daylight saving).
const VIETNAM_OFFSET_SECS: i32 = 7 * 3600;

/// A bank booking time as both services write it, `YYYY-MM-DD HH:MM:SS` in Vietnam time with
/// no offset in the text, as the instant it was.
fn vietnam_time(text: &str) -> Result<DateTime<Utc>, NoticeError> {
    let local = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M:%S")
        .map_err(|_| NoticeError::Malformed(format!("booking time {text:?}")))?;
    let vietnam = FixedOffset::east_opt(VIETNAM_OFFSET_SECS).expect("+07:00 is a valid offset");
    local
        .and_local_timezone(vietnam)
        .single()
        .map(|time| time.with_timezone(&Utc))
        .ok_or_else(|| NoticeError::Malformed(format!("booking time {text:?}")))
}

/// The amount of a credit: money coming in is always more than nothing.
fn credited(amount: i64) -> Result<Dong, NoticeError> {
    if amount > 0 {
        Ok(Dong::new(amount))
    } else {
        Err(NoticeError::NotPositive(amount))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_booking_time_is_read_as_vietnam_time() {
        assert_eq!(
            vietnam_time("2026-12-04 06:30:00"),
            Ok(Utc.with_ymd_and_hms(2026, 12, 3, 23, 30, 0).unwrap())
        );
        for text in [
            "",
            "2026-12-04",
            "2026-12-04T06:30:00",
            "04/12/2026 06:30:00",
        ] {
            assert!(
                matches!(vietnam_time(text), Err(NoticeError::Malformed(_))),
                "{text:?}"
            );
        }
    }

    #[test]
    fn only_a_positive_amount_is_credited() {
        assert_eq!(credited(1), Ok(Dong::new(1)));
        assert_eq!(credited(0), Err(NoticeError::NotPositive(0)));
        assert_eq!(credited(-5_000), Err(NoticeError::NotPositive(-5_000)));
    }

    #[test]
    fn a_signature_that_is_not_hex_does_not_match() {
        let mac = keyed("secret");
        assert_eq!(
            check_hex(mac.clone(), "not-hex"),
            Err(NoticeError::BadSignature)
        );
        assert_eq!(check_hex(mac.clone(), ""), Err(NoticeError::BadSignature));
        let good = to_hex(mac.clone());
        assert_eq!(check_hex(mac.clone(), &good), Ok(()));
        assert_eq!(check_hex(mac, &good.to_uppercase()), Ok(()));
    }
}
