//! payOS (by Casso): a payment link per order, paid by VietQR straight into the stall's own
//! bank account, and a webhook once the money is there.
//!
//! payOS signs JSON *objects*, not bytes: the payment request, its answer's `data` and the
//! webhook's `data` all carry a lowercase-hex HMAC-SHA256, under the stall's checksum key, of
//! the object's keys sorted ascending and joined as `key=value&…`. Its webhook has no
//! timestamp, so a replayed delivery is stopped by applying each transfer once (by
//! [`BankCredit::transfer_id`]), not here.
use super::{HmacSha256, NoticeError, check_hex, credited, keyed, to_hex, vietnam_time};
use app::domain::bank_notice::{BankCredit, BankService};
use app::domain::counter_sale::SaleCode;
use app::domain::order::{order_code, parse_order_code};
use hmac::Mac;
use serde::Deserialize;
use serde_json::{Map, Value};

/// payOS's `orderCode` is a JavaScript number: above 2^53 − 1 it would no longer be exact.
const MAX_PAYOS_ORDER_CODE: i64 = 9_007_199_254_740_991;
/// The letters [`order_code`] writes before an order's digits.
const ORDER_CODE_PREFIX: &str = "DH";
/// payOS's limit on a payment request's `description` for a bank account not linked through
/// payOS, which is what a market stall has.
pub const MAX_DESCRIPTION_CHARS: usize = 9;
/// The `orderCode`s of counter sales lie above this, one per sale number: 900000001 for the
/// stall's `TQ0001` up to 999999999. An order's `orderCode` is its code's year (1000 or later:
/// [`payos_order_code`] refuses an earlier one) followed by at least six digits of sequence,
/// so at least 1000000001, ten digits: a counter sale's has nine and can never be one, and a
/// webhook's `orderCode` alone tells which it pays. payOS wants each `orderCode` once per
/// payment channel, and a vendor's channel is their stall's alone (payOS posts to one webhook
/// address); starting high rather than at 1 keeps clear of the small numbers a vendor's
/// earlier links, made by hand in payOS's dashboard, most likely used.
const SALE_ORDER_CODES: i64 = 900_000_000;
/// The last counter sale number with an `orderCode`: later sales are confirmed by hand.
const MAX_SALE_SEQ: i64 = 99_999_999;
/// The digits of a sequence that fit in a description after `DH`.
const DESCRIPTION_SEQ_MODULUS: i64 = 10_000_000;

/// The signature payOS puts on a `data` object (a webhook's, or a payment request's answer's).
///
/// Written as payOS's own SDKs compute it, so a notification signed by payOS checks out: the
/// keys sorted ascending (explicitly: a JSON map's order is not to be trusted), `key=value`
/// joined by `&`, no URL-encoding; a value that is null, or the text `null` or `undefined`,
/// as empty text (the SDKs treat those texts as JavaScript's missing values); an array as the
/// compact JSON of its elements with each element's keys sorted; a text as itself; a number
/// or a boolean as plain text.
pub fn data_signature(checksum_key: &str, data: &Map<String, Value>) -> String {
    to_hex(data_mac(checksum_key, data))
}

fn data_mac(checksum_key: &str, data: &Map<String, Value>) -> HmacSha256 {
    let mut keys: Vec<&String> = data.keys().collect();
    keys.sort();
    let mut mac = keyed(checksum_key);
    for (i, key) in keys.into_iter().enumerate() {
        if i > 0 {
            mac.update(b"&");
        }
        mac.update(key.as_bytes());
        mac.update(b"=");
        mac.update(signed_text(&data[key]).as_bytes());
    }
    mac
}

/// How one value of a signed object is written into the signed text.
fn signed_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) if text == "null" || text == "undefined" => String::new(),
        Value::String(text) => text.clone(),
        Value::Array(items) => {
            Value::Array(items.iter().map(with_sorted_keys).collect()).to_string()
        }
        // Numbers and booleans; payOS sends no nested object, which is written as its JSON.
        other => other.to_string(),
    }
}

/// An array element with its own keys in ascending order (deeper objects keep theirs, as in
/// payOS's SDKs).
fn with_sorted_keys(item: &Value) -> Value {
    match item {
        Value::Object(object) => {
            let mut entries: Vec<(&String, &Value)> = object.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key.clone(), value.clone()))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

/// The signature of a payment request (`POST /v2/payment-requests`): payOS signs only these
/// five fields, in this (alphabetical) order, whatever else the request holds.
pub fn request_signature(
    checksum_key: &str,
    amount: i64,
    cancel_url: &str,
    description: &str,
    order_code: i64,
    return_url: &str,
) -> String {
    let mut mac = keyed(checksum_key);
    mac.update(
        format!(
            "amount={amount}&cancelUrl={cancel_url}&description={description}\
             &orderCode={order_code}&returnUrl={return_url}"
        )
        .as_bytes(),
    );
    to_hex(mac)
}

/// The `orderCode` payOS is given for one of our orders: the digits of its code,
/// `DH2026000123` → 2026000123, so that a webhook names its order without a lookup table; and
/// for a counter sale, [`SALE_ORDER_CODES`] plus its number, `TQ0042` → 900000042.
/// `None` for anything that is not one of our codes, or whose number would not read back as
/// the same code (a year before 1000 would lose its leading zero).
pub fn payos_order_code(code: &str) -> Option<i64> {
    if let Ok(sale) = SaleCode::parse(code) {
        let seq = i64::from(sale.seq());
        return (1..=MAX_SALE_SEQ)
            .contains(&seq)
            .then_some(SALE_ORDER_CODES + seq);
    }
    let (year, seq) = parse_order_code(code)?;
    let canonical = order_code(year, seq);
    let number: i64 = canonical.get(ORDER_CODE_PREFIX.len()..)?.parse().ok()?;
    (order_code_of(number).as_deref() == Some(canonical.as_str())).then_some(number)
}

/// Our order's or counter sale's code for a payOS `orderCode`, the reverse of
/// [`payos_order_code`]: `None` when the number is not one we would have sent (a payment link
/// made by hand in payOS's dashboard).
pub fn order_code_of(payos: i64) -> Option<String> {
    if (SALE_ORDER_CODES + 1..=SALE_ORDER_CODES + MAX_SALE_SEQ).contains(&payos) {
        let seq = u32::try_from(payos - SALE_ORDER_CODES).ok()?;
        return Some(SaleCode::new(seq).to_string());
    }
    if !(1..=MAX_PAYOS_ORDER_CODE).contains(&payos) {
        return None;
    }
    let (year, seq) = parse_order_code(&format!("{ORDER_CODE_PREFIX}{payos}"))?;
    Some(order_code(year, seq))
}

/// The `description` of an order's payment request, which becomes the transfer's purpose in
/// the shopper's and the seller's banking apps: `DH2026000123` → `DH000123`.
///
/// payOS allows only [`MAX_DESCRIPTION_CHARS`] characters here, and the full code has twelve.
/// The year is the same for nearly every open order, so the sequence is what tells a person
/// reading the transfer which order it is; `DH` says it is an order. The text is deliberately
/// too short to read as an order code: the transfer is matched by payOS's `orderCode`, never
/// by this text, and it cannot be mistaken for another year's order. A sequence above
/// 9 999 999 keeps its last seven digits. Text that is not an order code keeps its first
/// nine ASCII letters and digits, upper-cased, as banks would.
pub fn description(code: &str) -> String {
    if let Ok(sale) = SaleCode::parse(code) {
        // `TQ0042` as it is, the shopper reading the same code off the vendor's screen; past
        // `TQ9999999` the last seven digits, as for an order.
        return match sale.seq() {
            seq if i64::from(seq) >= DESCRIPTION_SEQ_MODULUS => {
                format!("TQ{:07}", i64::from(seq) % DESCRIPTION_SEQ_MODULUS)
            }
            _ => sale.to_string(),
        };
    }
    match parse_order_code(code) {
        Some((_, seq)) if seq >= DESCRIPTION_SEQ_MODULUS => {
            format!("{ORDER_CODE_PREFIX}{:07}", seq % DESCRIPTION_SEQ_MODULUS)
        }
        Some((_, seq)) => format!("{ORDER_CODE_PREFIX}{seq:06}"),
        None => code
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(MAX_DESCRIPTION_CHARS)
            .collect::<String>()
            .to_ascii_uppercase(),
    }
}

/// The webhook's envelope: `code`, `desc` and `success` are not signed, so only `data` is
/// believed.
#[derive(Deserialize)]
struct Envelope {
    data: Map<String, Value>,
    signature: String,
}

/// A payment payOS reports, its `data` as documented (fields that may be null or absent are
/// `Option`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayOsNotice {
    pub order_code: i64,
    /// Whole đồng.
    pub amount: i64,
    pub description: String,
    #[serde(default)]
    pub account_number: Option<String>,
    /// The bank's reference for the transfer.
    pub reference: String,
    /// `YYYY-MM-DD HH:MM:SS`, Vietnam time.
    pub transaction_date_time: String,
    #[serde(default)]
    pub currency: Option<String>,
    pub payment_link_id: String,
    /// `00` for a successful payment.
    pub code: String,
    #[serde(default)]
    pub desc: Option<String>,
    #[serde(default)]
    pub counter_account_bank_name: Option<String>,
    #[serde(default)]
    pub counter_account_name: Option<String>,
    #[serde(default)]
    pub counter_account_number: Option<String>,
}

/// Reads a webhook delivery: its `signature` must match [`data_signature`] of its `data` as
/// received, under the stall's checksum key (constant-time). Only then is `data` read, so
/// `Malformed` after a good signature means payOS changed its shape.
pub fn verify_webhook(checksum_key: &str, body: &[u8]) -> Result<PayOsNotice, NoticeError> {
    let envelope: Envelope = serde_json::from_slice(body)
        .map_err(|e| NoticeError::Malformed(format!("payOS webhook: {e}")))?;
    check_hex(data_mac(checksum_key, &envelope.data), &envelope.signature)?;
    serde_json::from_value(Value::Object(envelope.data))
        .map_err(|e| NoticeError::Malformed(format!("payOS webhook data: {e}")))
}

impl PayOsNotice {
    /// The transfer it reports. payOS names no transfer id, and its retries are not
    /// documented: the order code and the bank's reference together name one transfer.
    pub fn credit(&self) -> Result<BankCredit, NoticeError> {
        if self.code != "00" {
            return Err(NoticeError::NotPaid(self.code.clone()));
        }
        credit(
            self.order_code,
            &self.reference,
            self.amount,
            &self.description,
            &self.transaction_date_time,
        )
    }
}

/// The credit of one payment into the payment link of `order_code`, the same whether its
/// webhook reported it or reconciliation found it among the link's `transactions`: the
/// transfer id is the order code and the bank's reference, so the two are one transfer.
pub fn credit(
    order_code: i64,
    reference: &str,
    amount: i64,
    description: &str,
    transaction_date_time: &str,
) -> Result<BankCredit, NoticeError> {
    Ok(BankCredit {
        service: BankService::PayOs,
        transfer_id: format!("{order_code}:{reference}"),
        amount: credited(amount)?,
        purpose: description.to_owned(),
        order_code: order_code_of(order_code),
        booked_at: vietnam_time(transaction_date_time)?,
    })
}

/// A whole webhook body as payOS would send it for `data`, signed under `checksum_key`: for
/// the payOS stand-in and tests.
pub fn sign_webhook(checksum_key: &str, data: Map<String, Value>) -> Vec<u8> {
    let signature = data_signature(checksum_key, &data);
    let body = serde_json::json!({
        "code": "00",
        "desc": "success",
        "success": true,
        "data": data,
        "signature": signature,
    });
    serde_json::to_vec(&body).expect("a JSON value always serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::money::Dong;
    use app::domain::order::find_order_codes;
    use chrono::{TimeZone, Utc};
    use serde_json::json;

    /// The test vector of the design doc, which matches payOS's own code sample.
    const KEY: &str = "1a54716c8f0efb2744fb28b6e38b25da7f67a925d98bc1c18bd8faaecadd7675";
    const VECTOR_SIGNATURE: &str =
        "412e915d2871504ed31be63c8f62a149a4410d34c4c42affc9006ef9917eaa03";
    const VECTOR_DATA: &str = r#"{"orderCode":123,"amount":3000,"description":"VQRIO123","accountNumber":"12345678","reference":"TF230204212323","transactionDateTime":"2023-02-04 18:25:00","currency":"VND","paymentLinkId":"124c33293c43417ab7879e14c8d9eb18","code":"00","desc":"Thành công","counterAccountBankId":"","counterAccountBankName":"","counterAccountName":"","counterAccountNumber":"","virtualAccountName":"","virtualAccountNumber":""}"#;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            other => panic!("not an object: {other}"),
        }
    }

    fn vector_data() -> Map<String, Value> {
        object(serde_json::from_str(VECTOR_DATA).unwrap())
    }

    fn webhook(data: &str, signature: &str) -> Vec<u8> {
        format!(r#"{{"code":"00","desc":"success","success":true,"data":{data},"signature":"{signature}"}}"#)
            .into_bytes()
    }

    fn order_data(order_code: i64, amount: i64) -> Map<String, Value> {
        let mut data = vector_data();
        data.insert("orderCode".into(), json!(order_code));
        data.insert("amount".into(), json!(amount));
        data.insert("description".into(), json!("DH000123"));
        data
    }

    #[test]
    fn the_design_docs_test_vector_is_signed_as_payos_signs_it() {
        assert_eq!(data_signature(KEY, &vector_data()), VECTOR_SIGNATURE);
    }

    #[test]
    fn a_webhook_as_payos_sends_it_is_read_and_credited() {
        let notice = verify_webhook(KEY, &webhook(VECTOR_DATA, VECTOR_SIGNATURE)).unwrap();
        assert_eq!(notice.order_code, 123);
        assert_eq!(notice.payment_link_id, "124c33293c43417ab7879e14c8d9eb18");
        assert_eq!(notice.counter_account_name.as_deref(), Some(""));
        let credit = notice.credit().unwrap();
        assert_eq!(
            credit,
            BankCredit {
                service: BankService::PayOs,
                transfer_id: "123:TF230204212323".into(),
                amount: Dong::new(3_000),
                purpose: "VQRIO123".into(),
                // 123 is not one of our order codes: the transfer is matched by its purpose.
                order_code: None,
                booked_at: Utc.with_ymd_and_hms(2023, 2, 4, 11, 25, 0).unwrap(),
            }
        );
    }

    #[test]
    fn a_tampered_amount_is_refused() {
        let tampered = VECTOR_DATA.replace(r#""amount":3000"#, r#""amount":300000"#);
        assert_eq!(
            verify_webhook(KEY, &webhook(&tampered, VECTOR_SIGNATURE)),
            Err(NoticeError::BadSignature)
        );
    }

    #[test]
    fn a_webhook_signed_under_another_key_or_not_in_hex_is_refused() {
        let other = sign_webhook("another-stall", vector_data());
        assert_eq!(verify_webhook(KEY, &other), Err(NoticeError::BadSignature));
        for signature in ["", "zz", &VECTOR_SIGNATURE[..62]] {
            assert_eq!(
                verify_webhook(KEY, &webhook(VECTOR_DATA, signature)),
                Err(NoticeError::BadSignature),
                "{signature:?}"
            );
        }
    }

    #[test]
    fn the_order_of_keys_in_the_received_json_does_not_matter() {
        let data = vector_data();
        let mut keys: Vec<&String> = data.keys().collect();
        keys.sort();
        keys.reverse();
        let reversed = keys
            .iter()
            .map(|key| format!("{}:{}", json!(key), data[*key]))
            .collect::<Vec<_>>()
            .join(",");
        let body = webhook(&format!("{{{reversed}}}"), VECTOR_SIGNATURE);
        assert_eq!(verify_webhook(KEY, &body).unwrap().amount, 3_000);
    }

    #[test]
    fn null_and_the_texts_null_and_undefined_are_signed_as_empty_text() {
        let mut data = vector_data();
        data.insert("counterAccountName".into(), Value::Null);
        data.insert("counterAccountNumber".into(), json!("null"));
        data.insert("virtualAccountName".into(), json!("undefined"));
        assert_eq!(data_signature(KEY, &data), VECTOR_SIGNATURE);
        let body = sign_webhook(KEY, data);
        assert_eq!(
            verify_webhook(KEY, &body).unwrap().counter_account_name,
            None
        );
    }

    #[test]
    fn arrays_are_signed_as_json_of_key_sorted_elements_and_numbers_and_booleans_as_text() {
        let data = object(json!({
            "orderCode": 2026000123,
            "note": null,
            "active": true,
            "items": [{"quantity": 1, "price": 45000, "name": "Chè Shan tuyết"}],
        }));
        // Computed independently: printf '%s' 'active=true&items=[{"name":"Chè Shan tuyết",
        // "price":45000,"quantity":1}]&note=&orderCode=2026000123' | openssl dgst -sha256 -hmac KEY
        assert_eq!(
            data_signature(KEY, &data),
            "47091e7d9c1217cb247a8bae3e4dac7524470b0ab72066f795f31356ea1c4aed"
        );
    }

    #[test]
    fn a_body_signed_with_sign_webhook_reads_back() {
        let body = sign_webhook(KEY, order_data(2026000123, 45_000));
        let credit = verify_webhook(KEY, &body).unwrap().credit().unwrap();
        assert_eq!(credit.order_code.as_deref(), Some("DH2026000123"));
        assert_eq!(credit.transfer_id, "2026000123:TF230204212323");
        assert_eq!(credit.amount, Dong::new(45_000));
    }

    #[test]
    fn a_body_not_shaped_as_payos_writes_it_is_malformed() {
        let no_reference = sign_webhook(KEY, {
            let mut data = vector_data();
            data.remove("reference");
            data
        });
        for body in [
            b"not json".to_vec(),
            br#"{"data":{"amount":1}}"#.to_vec(),
            br#"{"data":[],"signature":"00"}"#.to_vec(),
            br#"{"data":{},"signature":7}"#.to_vec(),
            no_reference,
        ] {
            assert!(
                matches!(verify_webhook(KEY, &body), Err(NoticeError::Malformed(_))),
                "{}",
                String::from_utf8_lossy(&body)
            );
        }
    }

    #[test]
    fn only_a_successful_positive_well_dated_payment_is_a_credit() {
        let notice =
            |data: Map<String, Value>| verify_webhook(KEY, &sign_webhook(KEY, data)).unwrap();
        let mut failed = vector_data();
        failed.insert("code".into(), json!("01"));
        assert_eq!(
            notice(failed).credit(),
            Err(NoticeError::NotPaid("01".into()))
        );
        assert_eq!(
            notice(order_data(2026000123, 0)).credit(),
            Err(NoticeError::NotPositive(0))
        );
        let mut undated = vector_data();
        undated.insert("transactionDateTime".into(), json!("04/02/2023 18:25"));
        assert!(matches!(
            notice(undated).credit(),
            Err(NoticeError::Malformed(_))
        ));
    }

    #[test]
    fn the_payment_request_signs_its_five_fields_in_order() {
        let signature = request_signature(
            KEY,
            45_000,
            "https://choso.vn/don/DH2026000123?huy=1",
            "DH000123",
            2026000123,
            "https://choso.vn/don/DH2026000123",
        );
        // Computed independently with openssl over "amount=45000&cancelUrl=…&returnUrl=…".
        assert_eq!(
            signature,
            "7cd631a329669de87d0272491e25cc6ac3a02fe066b0f19b28f2f13ce1517f7b"
        );
        let fields = object(json!({
            "returnUrl": "https://choso.vn/don/DH2026000123",
            "orderCode": 2026000123,
            "description": "DH000123",
            "cancelUrl": "https://choso.vn/don/DH2026000123?huy=1",
            "amount": 45000,
        }));
        assert_eq!(data_signature(KEY, &fields), signature);
    }

    #[test]
    fn an_order_code_maps_to_payos_and_back() {
        assert_eq!(payos_order_code("DH2026000123"), Some(2026000123));
        assert_eq!(payos_order_code("dh2026000123"), Some(2026000123));
        assert_eq!(order_code_of(2026000123).as_deref(), Some("DH2026000123"));
        for (year, seq) in [(2026, 1), (2026, 999_999), (2027, 1_234_567), (1000, 5)] {
            let code = order_code(year, seq);
            let number = payos_order_code(&code).unwrap();
            assert_eq!(order_code_of(number), Some(code.clone()), "{code}");
        }
    }

    #[test]
    fn anything_else_has_no_payos_order_code() {
        for code in [
            "",
            "DH123",
            "DH20260000123",
            "DX2026000123",
            "DH2026000000",
            " DH2026000123",
            // Year 999 would read back as a different, shorter number.
            "DH0999000001",
        ] {
            assert_eq!(payos_order_code(code), None, "{code:?}");
        }
        for number in [
            0,
            -2026000123,
            123,
            202600012,
            2026000000,
            MAX_PAYOS_ORDER_CODE + 1,
            i64::MAX,
        ] {
            assert_eq!(order_code_of(number), None, "{number}");
        }
    }

    #[test]
    fn a_description_is_the_orders_sequence_in_at_most_nine_characters() {
        let cases = [
            ("DH2026000123", "DH000123"),
            ("DH2026999999", "DH999999"),
            ("DH20261234567", "DH1234567"),
            ("DH20269999999", "DH9999999"),
            ("DH202612345678", "DH2345678"),
            ("DH2026123456789012", "DH6789012"),
            ("Đơn hàng số 7", "NHNGS7"),
            ("thanh toan don hang", "THANHTOAN"),
            ("", ""),
        ];
        for (code, expected) in cases {
            let text = description(code);
            assert_eq!(text, expected, "{code:?}");
            assert!(text.chars().count() <= MAX_DESCRIPTION_CHARS, "{code:?}");
            // Too short to be taken for an order code of any year.
            assert!(find_order_codes(&text).is_empty(), "{code:?}");
        }
    }

    #[test]
    fn a_counter_sale_has_a_nine_digit_order_code_no_order_can_have() {
        assert_eq!(payos_order_code("TQ0042"), Some(900_000_042));
        assert_eq!(payos_order_code("tq0001"), Some(900_000_001));
        assert_eq!(order_code_of(900_000_042).as_deref(), Some("TQ0042"));
        assert_eq!(order_code_of(999_999_999).as_deref(), Some("TQ99999999"));
        // The placard's code is no sale, and a number past the range has none.
        assert_eq!(payos_order_code("TQ0000"), None);
        assert_eq!(payos_order_code("TQ100000000"), None);
        for number in [900_000_000, 1_000_000_000] {
            assert_eq!(order_code_of(number), None, "{number}");
        }
        // The smallest order code payOS can be given is above every sale's.
        let smallest = payos_order_code(&order_code(1000, 1)).unwrap();
        assert!(smallest > SALE_ORDER_CODES + MAX_SALE_SEQ, "{smallest}");
        for seq in [1, 42, 99_999_999] {
            let code = SaleCode::new(seq).to_string();
            let number = payos_order_code(&code).unwrap();
            assert!(parse_order_code(&format!("DH{number}")).is_none(), "{code}");
            assert_eq!(order_code_of(number), Some(code));
        }
    }

    #[test]
    fn a_counter_sales_description_is_its_code_first() {
        assert_eq!(description("TQ0042"), "TQ0042");
        assert_eq!(description("TQ1234567"), "TQ1234567");
        assert_eq!(description("TQ12345678"), "TQ2345678");
        for code in ["TQ0042", "TQ1234567", "TQ99999999"] {
            let text = description(code);
            assert!(text.chars().count() <= MAX_DESCRIPTION_CHARS, "{code}");
            assert_eq!(SaleCode::find_in(&text).len(), 1, "{code}");
        }
    }
}
