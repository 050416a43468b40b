//! SePay: a webhook for every transfer into (or out of) a linked bank account. The stall
//! keeps its own VietQR with the order code in the purpose; SePay reads the bank's record of
//! each transfer and posts it.
//!
//! Of the authentications SePay offers, the stall's webhook uses HMAC-SHA256: `X-SePay-Timestamp`
//! carries unix seconds and `X-SePay-Signature` carries `sha256=<hex>` of `"{timestamp}.{raw
//! body}"` under the webhook's secret. The timestamp is inside the signed text, so refusing
//! an old one stops a recorded delivery from being replayed. The check runs on the raw bytes
//! as received: re-serialising parsed JSON changes them.
//!
//! The string signed is as integrators report it; SePay's own page should be checked against
//! [`signature`] before a stall relies on it.
use super::{HmacSha256, NoticeError, check_hex, credited, keyed, to_hex, vietnam_time};
use app::domain::bank_notice::{BankCredit, BankService};
use app::domain::order::{order_code, parse_order_code};
use hmac::Mac;
use serde::Deserialize;

/// SePay refuses, and so do we, a delivery signed more than five minutes from our clock,
/// either side (for clock skew).
pub const TOLERANCE_SECS: i64 = 300;
/// What precedes the hex in `X-SePay-Signature`.
const SIGNATURE_SCHEME: &str = "sha256=";

/// Which way the money went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TransferType {
    In,
    Out,
}

/// A transfer SePay reports, its body as documented (fields that may be null are `Option`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SePayNotice {
    /// SePay's transaction id: the same transfer reported twice has the same id.
    pub id: i64,
    /// The bank, as SePay names it (`Vietcombank`, `MBBank`, …).
    pub gateway: String,
    /// `Y-m-d H:i:s`, Vietnam time.
    pub transaction_date: String,
    pub account_number: String,
    #[serde(default)]
    pub sub_account: Option<String>,
    /// The payment code SePay found in the purpose by the shop's configured pattern.
    #[serde(default)]
    pub code: Option<String>,
    /// The purpose as received.
    #[serde(default)]
    pub content: Option<String>,
    pub transfer_type: TransferType,
    /// Whole đồng.
    pub transfer_amount: i64,
    /// The account's balance after it, when the bank tells.
    #[serde(default)]
    pub accumulated: Option<i64>,
    #[serde(default)]
    pub reference_code: Option<String>,
    /// The bank's whole message.
    #[serde(default)]
    pub description: Option<String>,
}

/// The hex SePay sends in `X-SePay-Signature` (after `sha256=`) for `body` signed at
/// `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    to_hex(mac(secret, timestamp, body))
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
    let mut mac = keyed(secret);
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Reads a delivery: `X-SePay-Signature` must match the raw `body` signed at
/// `X-SePay-Timestamp` under the webhook's `secret` (constant-time), and the timestamp must be
/// within [`TOLERANCE_SECS`] of `now` (unix seconds). A missing or unreadable header is
/// `Malformed`; hex that does not match, or is not hex, is `BadSignature`. The age is checked
/// after the signature, so `Stale` always means a genuine but old delivery.
pub fn verify_webhook(
    secret: &str,
    timestamp_header: Option<&str>,
    signature_header: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<SePayNotice, NoticeError> {
    let timestamp: i64 = timestamp_header
        .ok_or_else(|| NoticeError::Malformed("no X-SePay-Timestamp header".into()))?
        .trim()
        .parse()
        .map_err(|_| NoticeError::Malformed("X-SePay-Timestamp is not unix seconds".into()))?;
    let hex = signature_header
        .ok_or_else(|| NoticeError::Malformed("no X-SePay-Signature header".into()))?
        .trim()
        .strip_prefix(SIGNATURE_SCHEME)
        .ok_or_else(|| NoticeError::Malformed("X-SePay-Signature is not sha256=<hex>".into()))?;
    check_hex(mac(secret, timestamp, body), hex)?;
    let tolerance = TOLERANCE_SECS.unsigned_abs();
    if now.abs_diff(timestamp) > tolerance {
        return Err(NoticeError::Stale { timestamp });
    }
    serde_json::from_slice(body).map_err(|e| NoticeError::Malformed(format!("SePay webhook: {e}")))
}

impl SePayNotice {
    /// The transfer it reports, or `None` for money leaving the account, which pays no order.
    pub fn credit(&self) -> Result<Option<BankCredit>, NoticeError> {
        if self.transfer_type == TransferType::Out {
            return Ok(None);
        }
        credit(&Transaction {
            id: self.id.to_string(),
            amount: self.transfer_amount,
            content: self.content.as_deref(),
            description: self.description.as_deref(),
            code: self.code.as_deref(),
            date: &self.transaction_date,
        })
        .map(Some)
    }
}

/// One incoming transfer as SePay describes it, in its webhook or in its transactions list.
pub struct Transaction<'a> {
    /// SePay's transaction id, as text.
    pub id: String,
    /// Whole đồng in.
    pub amount: i64,
    pub content: Option<&'a str>,
    /// The bank's whole message (the webhook's `description`).
    pub description: Option<&'a str>,
    pub code: Option<&'a str>,
    /// `Y-m-d H:i:s`, Vietnam time.
    pub date: &'a str,
}

/// The credit of an incoming transfer, the same whether its webhook reported it or
/// reconciliation found it in the transactions list: SePay's id is the transfer id, so the
/// two are one transfer.
pub fn credit(transaction: &Transaction<'_>) -> Result<BankCredit, NoticeError> {
    // Some banks pass the purpose on only inside their own message.
    let purpose = match (transaction.content, transaction.description) {
        (Some(content), _) if !content.trim().is_empty() => content.to_owned(),
        (_, Some(description)) => description.to_owned(),
        _ => String::new(),
    };
    Ok(BankCredit {
        service: BankService::SePay,
        transfer_id: transaction.id.trim().to_owned(),
        amount: credited(transaction.amount)?,
        purpose,
        // SePay's code is found by a pattern the shop configures: it names an order only
        // when it is one of our codes, as we write them.
        order_code: transaction
            .code
            .and_then(|code| parse_order_code(code.trim()))
            .map(|(year, seq)| order_code(year, seq)),
        booked_at: vietnam_time(transaction.date)?,
    })
}

/// The `X-SePay-Timestamp` and `X-SePay-Signature` values SePay would send for `body` at
/// `now`: for the SePay stand-in and tests.
pub fn signed_headers(secret: &str, body: &[u8], now: i64) -> (String, String) {
    (
        now.to_string(),
        format!("{SIGNATURE_SCHEME}{}", signature(secret, now, body)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::money::Dong;
    use chrono::{TimeZone, Utc};

    const SECRET: &str = "sepay-secret";
    const NOW: i64 = 1_764_866_100;
    const BODY: &str = r#"{"id":92704,"gateway":"Vietcombank","transactionDate":"2026-12-04 23:30:15","accountNumber":"0123499999","subAccount":null,"code":"DH2026000123","content":"DH2026000123 Tra Shan tuyet","transferType":"in","transferAmount":45000,"accumulated":19077000,"referenceCode":"MBVCB.3278907687","description":"MBVCB.3278907687.DH2026000123 Tra Shan tuyet.CT tu 0011001234567"}"#;

    fn verify(
        body: &str,
        headers: (Option<&str>, Option<&str>),
        now: i64,
    ) -> Result<SePayNotice, NoticeError> {
        verify_webhook(SECRET, headers.0, headers.1, body.as_bytes(), now)
    }

    fn signed(body: &str) -> Result<SePayNotice, NoticeError> {
        let (timestamp, signature) = signed_headers(SECRET, body.as_bytes(), NOW);
        verify(body, (Some(&timestamp), Some(&signature)), NOW)
    }

    #[test]
    fn the_signature_is_over_the_timestamp_a_dot_and_the_raw_body() {
        // Computed independently: printf '%s' '1764866100.{"id":92704,"gateway":"BIDV"}' |
        // openssl dgst -sha256 -hmac sepay-secret
        assert_eq!(
            signature(SECRET, NOW, br#"{"id":92704,"gateway":"BIDV"}"#),
            "7183a16df553fa269a943237b70b0fd334d939b4e560d956a9cd90b8b5cf167c"
        );
        let (timestamp, header) = signed_headers(SECRET, BODY.as_bytes(), NOW);
        assert_eq!(timestamp, "1764866100");
        assert_eq!(
            header,
            format!("sha256={}", signature(SECRET, NOW, BODY.as_bytes()))
        );
    }

    #[test]
    fn a_signed_delivery_is_read_and_credited() {
        let notice = signed(BODY).unwrap();
        assert_eq!(notice.accumulated, Some(19_077_000));
        assert_eq!(notice.sub_account, None);
        assert_eq!(
            notice.credit(),
            Ok(Some(BankCredit {
                service: BankService::SePay,
                transfer_id: "92704".into(),
                amount: Dong::new(45_000),
                purpose: "DH2026000123 Tra Shan tuyet".into(),
                order_code: Some("DH2026000123".into()),
                booked_at: Utc.with_ymd_and_hms(2026, 12, 4, 16, 30, 15).unwrap(),
            }))
        );
    }

    #[test]
    fn a_tampered_body_is_refused() {
        let (timestamp, signature) = signed_headers(SECRET, BODY.as_bytes(), NOW);
        let tampered = BODY.replace("45000", "4500000");
        assert_eq!(
            verify(&tampered, (Some(&timestamp), Some(&signature)), NOW),
            Err(NoticeError::BadSignature)
        );
        // The timestamp is signed too: it can't be moved to make a recording fresh.
        let later = (NOW + 600).to_string();
        assert_eq!(
            verify(BODY, (Some(&later), Some(&signature)), NOW + 600),
            Err(NoticeError::BadSignature)
        );
    }

    #[test]
    fn a_wrong_secret_is_refused() {
        let (timestamp, signature) = signed_headers("another-stall", BODY.as_bytes(), NOW);
        assert_eq!(
            verify(BODY, (Some(&timestamp), Some(&signature)), NOW),
            Err(NoticeError::BadSignature)
        );
    }

    #[test]
    fn a_stale_or_future_timestamp_is_refused() {
        let (timestamp, signature) = signed_headers(SECRET, BODY.as_bytes(), NOW);
        let headers = (Some(timestamp.as_str()), Some(signature.as_str()));
        for now in [NOW + TOLERANCE_SECS + 1, NOW - TOLERANCE_SECS - 1, 0] {
            assert_eq!(
                verify(BODY, headers, now),
                Err(NoticeError::Stale { timestamp: NOW }),
                "{now}"
            );
        }
        for now in [NOW + TOLERANCE_SECS, NOW - TOLERANCE_SECS] {
            assert!(verify(BODY, headers, now).is_ok(), "{now}");
        }
    }

    #[test]
    fn missing_or_malformed_headers_are_refused() {
        let (timestamp, signature) = signed_headers(SECRET, BODY.as_bytes(), NOW);
        let bare_hex = signature.trim_start_matches(SIGNATURE_SCHEME);
        let malformed = [
            (None, Some(signature.as_str())),
            (Some(timestamp.as_str()), None),
            (None, None),
            (Some("soon"), Some(signature.as_str())),
            (Some("2026-12-04 23:30:15"), Some(signature.as_str())),
            (Some(timestamp.as_str()), Some(bare_hex)),
            (Some(timestamp.as_str()), Some("sha1=00")),
        ];
        for headers in malformed {
            assert!(
                matches!(verify(BODY, headers, NOW), Err(NoticeError::Malformed(_))),
                "{headers:?}"
            );
        }
        for bad in ["sha256=", "sha256=not-hex", "sha256=00"] {
            assert_eq!(
                verify(BODY, (Some(&timestamp), Some(bad)), NOW),
                Err(NoticeError::BadSignature),
                "{bad:?}"
            );
        }
        // Whitespace a proxy may leave around a header value is not part of it.
        let padded = format!(" {signature} ");
        assert!(verify(BODY, (Some(&format!("{timestamp} ")), Some(&padded)), NOW).is_ok());
    }

    #[test]
    fn a_signed_body_not_shaped_as_sepay_writes_it_is_malformed() {
        for body in [
            "not json",
            r#"{"id":1}"#,
            &BODY.replace(r#""transferType":"in""#, r#""transferType":"sideways""#),
            &BODY.replace("45000", r#""45000""#),
        ] {
            assert!(
                matches!(signed(body), Err(NoticeError::Malformed(_))),
                "{body}"
            );
        }
    }

    #[test]
    fn money_leaving_the_account_is_no_credit() {
        let out = BODY.replace(r#""transferType":"in""#, r#""transferType":"out""#);
        assert_eq!(signed(&out).unwrap().credit(), Ok(None));
    }

    #[test]
    fn the_purpose_falls_back_to_the_banks_message_and_a_foreign_code_names_no_order() {
        let body = BODY
            .replace(
                r#""content":"DH2026000123 Tra Shan tuyet""#,
                r#""content":"""#,
            )
            .replace(r#""code":"DH2026000123""#, r#""code":"SEVQR42""#);
        let credit = signed(&body).unwrap().credit().unwrap().unwrap();
        assert_eq!(
            credit.purpose,
            "MBVCB.3278907687.DH2026000123 Tra Shan tuyet.CT tu 0011001234567"
        );
        assert_eq!(credit.order_code, None);
        let nulls = BODY
            .replace(
                r#""content":"DH2026000123 Tra Shan tuyet""#,
                r#""content":null"#,
            )
            .replace(r#""code":"DH2026000123""#, r#""code":null"#);
        let credit = signed(&nulls).unwrap().credit().unwrap().unwrap();
        assert!(credit.purpose.starts_with("MBVCB."));
        assert_eq!(credit.order_code, None);
        let lower = BODY.replace(r#""code":"DH2026000123""#, r#""code":"dh2026000123""#);
        let credit = signed(&lower).unwrap().credit().unwrap().unwrap();
        assert_eq!(credit.order_code.as_deref(), Some("DH2026000123"));
    }

    #[test]
    fn dates_are_read_as_vietnam_time_and_amounts_must_be_positive() {
        let just_after_midnight = BODY.replace("2026-12-04 23:30:15", "2026-01-01 00:05:00");
        let credit = signed(&just_after_midnight)
            .unwrap()
            .credit()
            .unwrap()
            .unwrap();
        assert_eq!(
            credit.booked_at,
            Utc.with_ymd_and_hms(2025, 12, 31, 17, 5, 0).unwrap()
        );
        let undated = BODY.replace("2026-12-04 23:30:15", "04/12/2026");
        assert!(matches!(
            signed(&undated).unwrap().credit(),
            Err(NoticeError::Malformed(_))
        ));
        let nothing = BODY.replace(r#""transferAmount":45000"#, r#""transferAmount":0"#);
        assert_eq!(
            signed(&nothing).unwrap().credit(),
            Err(NoticeError::NotPositive(0))
        );
    }
}
