//! VietQR codes for NAPAS 247 bank transfers: the text a banking app reads from the QR image to
//! fill in a transfer, built as NAPAS's "Quy định về định dạng mã VietQR" v1.0 sets out.
//!
//! The text is a run of EMVCo fields, each a 2-digit ID, a 2-digit length and the value, some
//! values being such runs themselves, ended by a CRC. A code only fills in the shopper's
//! transfer form: no bank tells the platform that the money was sent.
use super::bank::BankAccount;
use super::money::Dong;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// NAPAS's application identifier, the GUID of the beneficiary template (ID 38).
const NAPAS_AID: &str = "A000000727";
/// Service code: fast transfer (IBFT) to an account; `QRIBFTTC` would be to a card number.
const TRANSFER_TO_ACCOUNT: &str = "QRIBFTTA";
/// ISO 4217 numeric code of the đồng.
const CURRENCY_VND: &str = "704";
const COUNTRY_VN: &str = "VN";
/// ID and length of the CRC field, which the CRC covers; only its value is left out.
const CRC_HEADER: &str = "6304";

/// Longest bill number or purpose (IDs 62-01 and 62-08), in characters.
pub const TEXT_MAX: usize = 25;
/// Largest amount, in đồng, that fits the 13 characters of ID 54.
pub const AMOUNT_MAX: i64 = 9_999_999_999_999;
/// Longest account number a beneficiary template carries.
const ACCOUNT_NUMBER_MAX: usize = 19;

/// Why a VietQR payload could not be built or read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum VietQrError {
    #[error("amount outside 1..=9999999999999 đồng")]
    AmountOutOfRange,
    #[error("bill number is not 1 to 25 ASCII letters and digits")]
    BadBill,
    /// An account built by hand rather than by `BankAccount::parse`.
    #[error("bank BIN is not 6 digits or account number not 1 to 19 letters and digits")]
    BadAccount,
    #[error("not a sequence of ID, length, value fields")]
    Malformed,
    #[error("CRC does not match the payload")]
    BadChecksum,
}

/// The text of a VietQR code asking for a transfer to `account`.
///
/// Without an amount the code is static (ID 01 = `11`): the shopper types the amount, and one
/// printed code serves every sale at a stall. With an amount it is dynamic (`12`), for one
/// order. `bill` is a bill number (ID 62-01); `purpose` (ID 62-08) becomes the transfer's
/// message, folded to ASCII because banks mangle diacritics, and cut to 25 characters; a
/// purpose with nothing left after folding is left out.
pub fn payload(
    account: &BankAccount,
    amount: Option<Dong>,
    bill: Option<&str>,
    purpose: Option<&str>,
) -> Result<String, VietQrError> {
    let account_ok = account.bin.len() == 6
        && account.bin.bytes().all(|b| b.is_ascii_digit())
        && (1..=ACCOUNT_NUMBER_MAX).contains(&account.number.len())
        && account.number.bytes().all(|b| b.is_ascii_alphanumeric());
    if !account_ok {
        return Err(VietQrError::BadAccount);
    }
    let amount = amount
        .map(|dong| match dong.amount() {
            a if (1..=AMOUNT_MAX).contains(&a) => Ok(a.to_string()),
            _ => Err(VietQrError::AmountOutOfRange),
        })
        .transpose()?;
    let bill = bill
        .map(|bill| {
            let ok = (1..=TEXT_MAX).contains(&bill.len())
                && bill.bytes().all(|b| b.is_ascii_alphanumeric());
            if ok {
                Ok(bill)
            } else {
                Err(VietQrError::BadBill)
            }
        })
        .transpose()?;
    let purpose = purpose
        .map(|p| truncate(&ascii_fold(p), TEXT_MAX))
        .filter(|p| !p.is_empty());

    let mut beneficiary = String::new();
    push_field(&mut beneficiary, "00", &account.bin);
    push_field(&mut beneficiary, "01", &account.number);
    let mut account_info = String::new();
    push_field(&mut account_info, "00", NAPAS_AID);
    push_field(&mut account_info, "01", &beneficiary);
    push_field(&mut account_info, "02", TRANSFER_TO_ACCOUNT);
    let mut additional = String::new();
    if let Some(bill) = bill {
        push_field(&mut additional, "01", bill);
    }
    if let Some(purpose) = &purpose {
        push_field(&mut additional, "08", purpose);
    }

    let mut out = String::new();
    push_field(&mut out, "00", "01");
    push_field(&mut out, "01", if amount.is_some() { "12" } else { "11" });
    push_field(&mut out, "38", &account_info);
    push_field(&mut out, "53", CURRENCY_VND);
    if let Some(amount) = &amount {
        push_field(&mut out, "54", amount);
    }
    push_field(&mut out, "58", COUNTRY_VN);
    if !additional.is_empty() {
        push_field(&mut out, "62", &additional);
    }
    out.push_str(CRC_HEADER);
    let crc = crc16_ccitt_false(out.as_bytes());
    out.push_str(&format!("{crc:04X}"));
    Ok(out)
}

/// The purpose of an order's transfer: the order code first, so a line of the vendor's bank
/// statement can be matched to its order even when the bank shortens the message, then the
/// shopper's note, all folded to ASCII and cut to 25 characters.
pub fn order_purpose(order_code: &str, note: &str) -> String {
    let text = format!("{} {}", ascii_fold(order_code), ascii_fold(note));
    truncate(text.trim(), TEXT_MAX)
}

/// Vietnamese text as plain printable ASCII, keeping case, digits and punctuation:
/// `Trả tiền mận Bắc Hà` → `Tra tien man Bac Ha`.
///
/// Accents are dropped and đ/Đ written d/D; any run of whitespace becomes one space; other
/// characters outside printable ASCII are dropped.
pub fn ascii_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        let c = match c {
            'đ' => 'd',
            'Đ' => 'D',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else if c.is_ascii_graphic() {
            out.push(c);
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR,
/// the checksum NAPAS requires in ID 63.
pub fn crc16_ccitt_false(bytes: &[u8]) -> u16 {
    bytes.iter().fold(0xFFFF, |crc, &byte| {
        (0..8).fold(crc ^ (u16::from(byte) << 8), |crc, _| {
            if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            }
        })
    })
}

/// The top-level fields of a payload (or of a template's value) as `(ID, value)` pairs, in
/// order; nested templates are left as their text, to be split by calling this again.
pub fn parse_tlv(s: &str) -> Result<Vec<(String, String)>, VietQrError> {
    let digits = |t: &&str| t.bytes().all(|b| b.is_ascii_digit());
    let mut fields = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let id = rest.get(..2).filter(digits).ok_or(VietQrError::Malformed)?;
        let len = rest
            .get(2..4)
            .filter(digits)
            .ok_or(VietQrError::Malformed)?;
        let end = 4 + len.parse::<usize>().map_err(|_| VietQrError::Malformed)?;
        // Lengths count bytes; `get` also refuses a length that ends inside a character.
        let value = rest.get(4..end).ok_or(VietQrError::Malformed)?;
        fields.push((id.to_owned(), value.to_owned()));
        rest = &rest[end..];
    }
    Ok(fields)
}

/// Splits a payload into its top-level fields, as [`parse_tlv`], once its CRC (which must be
/// the last field) matches.
pub fn parse_checked(payload: &str) -> Result<Vec<(String, String)>, VietQrError> {
    let fields = parse_tlv(payload)?;
    let crc = match fields.last() {
        Some((id, crc))
            if id == "63" && crc.len() == 4 && crc.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            u16::from_str_radix(crc, 16).map_err(|_| VietQrError::Malformed)?
        }
        _ => return Err(VietQrError::Malformed),
    };
    let covered = &payload[..payload.len() - 4];
    if crc16_ccitt_false(covered.as_bytes()) == crc {
        Ok(fields)
    } else {
        Err(VietQrError::BadChecksum)
    }
}

/// Whether `payload` is well formed and its CRC matches, so no digit was changed on the way.
pub fn verify(payload: &str) -> bool {
    parse_checked(payload).is_ok()
}

/// Appends one field. Every value here is ASCII, so its length in bytes is its length in
/// characters, and checked or fixed to at most 99.
fn push_field(out: &mut String, id: &str, value: &str) {
    debug_assert!(id.len() == 2 && value.len() <= 99, "{id}: {value:?}");
    out.push_str(id);
    out.push_str(&format!("{:02}", value.len()));
    out.push_str(value);
}

/// The first `max` characters, without the space a cut may leave at the end.
fn truncate(s: &str, max: usize) -> String {
    let cut: String = s.chars().take(max).collect();
    cut.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(bin: &str, number: &str) -> BankAccount {
        BankAccount::parse(bin, number, "Nguyễn Văn A").unwrap()
    }

    const VIETINBANK_FLOOD_RELIEF: &str = "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN62170813ung ho lu lut6304C15C";
    const TPBANK_STATIC: &str = "00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN6304CBB4";
    const VIETCOMBANK_ORDER: &str = "00020101021238570010A00000072701270006970436011300110012345670208QRIBFTTA530370454061500005802VN62400112DH20250001230820DH2025000123 Tra sen6304FF25";

    #[test]
    fn the_crc_gives_the_standard_check_value() {
        assert_eq!(crc16_ccitt_false(b"123456789"), 0x29B1);
        assert_eq!(crc16_ccitt_false(b""), 0xFFFF);
    }

    #[test]
    fn a_dynamic_code_with_a_purpose_matches_the_known_payload() {
        let payload = payload(
            &account("970415", "0011001932418"),
            Some(Dong::new(120_000)),
            None,
            Some("ung ho lu lut"),
        );
        assert_eq!(payload.as_deref(), Ok(VIETINBANK_FLOOD_RELIEF));
    }

    #[test]
    fn a_static_code_without_amount_matches_the_known_payload() {
        let payload = payload(&account("970423", "0099999999"), None, None, None);
        assert_eq!(payload.as_deref(), Ok(TPBANK_STATIC));
    }

    #[test]
    fn an_order_code_with_bill_and_purpose_matches_the_known_payload() {
        let purpose = order_purpose("DH2025000123", "Trà sen");
        assert_eq!(purpose, "DH2025000123 Tra sen");
        let payload = payload(
            &account("970436", "0011001234567"),
            Some(Dong::new(150_000)),
            Some("DH2025000123"),
            Some(&purpose),
        );
        assert_eq!(payload.as_deref(), Ok(VIETCOMBANK_ORDER));
    }

    #[test]
    fn the_examples_in_the_napas_specification_verify() {
        assert!(verify(
            "00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304F4E5"
        ));
        assert!(verify(
            "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E"
        ));
    }

    fn purpose_of(payload: &str) -> String {
        let fields = parse_tlv(payload).unwrap();
        let additional = &fields.iter().find(|(id, _)| id == "62").unwrap().1;
        let inner = parse_tlv(additional).unwrap();
        inner.into_iter().find(|(id, _)| id == "08").unwrap().1
    }

    #[test]
    fn a_vietnamese_purpose_is_folded_to_ascii() {
        let payload = payload(
            &account("970405", "1234567890123"),
            Some(Dong::new(85_000)),
            None,
            Some("Trả tiền mận Bắc Hà"),
        )
        .unwrap();
        assert_eq!(purpose_of(&payload), "Tra tien man Bac Ha");
        assert!(payload.is_ascii());
        assert!(verify(&payload));
    }

    #[test]
    fn an_over_long_purpose_is_cut_to_twenty_five_characters() {
        let payload = payload(
            &account("970405", "1234567890123"),
            None,
            None,
            Some("Thanh toán đơn hàng mận tam hoa Bắc Hà tháng sáu"),
        )
        .unwrap();
        assert_eq!(purpose_of(&payload), "Thanh toan don hang man t");
        assert_eq!(purpose_of(&payload).len(), TEXT_MAX);
    }

    #[test]
    fn a_purpose_cut_at_a_space_loses_the_trailing_space() {
        let cut = order_purpose("DH2025000123", "Mật ong bạc hà");
        assert_eq!(cut, "DH2025000123 Mat ong bac");
        assert_eq!(order_purpose("DH1", "  "), "DH1");
    }

    #[test]
    fn a_purpose_with_nothing_left_after_folding_is_left_out() {
        let with_nothing = payload(&account("970423", "0099999999"), None, None, Some("蜂蜜"));
        assert_eq!(with_nothing.as_deref(), Ok(TPBANK_STATIC));
    }

    #[test]
    fn ascii_folding_keeps_case_digits_and_punctuation() {
        assert_eq!(ascii_fold("Trả tiền mận Bắc Hà"), "Tra tien man Bac Ha");
        assert_eq!(ascii_fold("ĐẶC SẢN đồi chè"), "DAC SAN doi che");
        assert_eq!(ascii_fold("Đơn #12, 2kg!"), "Don #12, 2kg!");
        assert_eq!(ascii_fold(" a\t\n b\u{a0}c "), "a b c");
        assert_eq!(ascii_fold("Ma\u{323}\u{302}t ong"), "Mat ong");
        assert_eq!(ascii_fold("mận 🍑"), "man");
    }

    #[test]
    fn an_amount_must_be_one_dong_to_thirteen_digits() {
        let to = account("970423", "0099999999");
        for bad in [0, -1, AMOUNT_MAX + 1] {
            assert_eq!(
                payload(&to, Some(Dong::new(bad)), None, None),
                Err(VietQrError::AmountOutOfRange),
                "{bad}"
            );
        }
        let largest = payload(&to, Some(Dong::new(AMOUNT_MAX)), None, None).unwrap();
        assert!(largest.contains("54139999999999999"));
        assert!(verify(&largest));
    }

    #[test]
    fn a_bill_number_is_one_to_twenty_five_ascii_alphanumerics() {
        let to = account("970423", "0099999999");
        for bad in ["", "DH 1", "DH-1", "ĐH1", &"9".repeat(26)] {
            assert_eq!(
                payload(&to, None, Some(bad), None),
                Err(VietQrError::BadBill),
                "{bad:?}"
            );
        }
        assert!(payload(&to, None, Some(&"9".repeat(25)), None).is_ok());
    }

    #[test]
    fn an_account_built_by_hand_must_still_fit_the_template() {
        let bad = |bin: &str, number: &str| BankAccount {
            bin: bin.to_owned(),
            number: number.to_owned(),
            holder: String::new(),
        };
        for account in [
            bad("97043", "0011001234567"),
            bad("97043a", "0011001234567"),
            bad("970436", ""),
            bad("970436", "00110012345678901234"),
            bad("970436", "0011 0012"),
        ] {
            assert_eq!(
                payload(&account, None, None, None),
                Err(VietQrError::BadAccount),
                "{account:?}"
            );
        }
    }

    #[test]
    fn a_payload_splits_into_fields_that_rebuild_it() {
        let fields = parse_tlv(VIETCOMBANK_ORDER).unwrap();
        let ids: Vec<&str> = fields.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["00", "01", "38", "53", "54", "58", "62", "63"]);
        let rebuilt: String = fields
            .iter()
            .map(|(id, value)| format!("{id}{:02}{value}", value.len()))
            .collect();
        assert_eq!(rebuilt, VIETCOMBANK_ORDER);

        let account_info = parse_tlv(&fields[2].1).unwrap();
        assert_eq!(account_info[0], ("00".to_owned(), NAPAS_AID.to_owned()));
        assert_eq!(account_info[2], ("02".to_owned(), "QRIBFTTA".to_owned()));
        let beneficiary = parse_tlv(&account_info[1].1).unwrap();
        assert_eq!(
            beneficiary,
            [
                ("00".to_owned(), "970436".to_owned()),
                ("01".to_owned(), "0011001234567".to_owned()),
            ]
        );
        assert_eq!(fields[4].1, "150000");
        assert_eq!(fields[7].1, "FF25");
    }

    #[test]
    fn broken_field_framing_is_malformed() {
        assert_eq!(parse_tlv(""), Ok(vec![]));
        for bad in ["0", "000", "0002", "00020", "0A0201", "00x201", "0002ậ"] {
            assert_eq!(parse_tlv(bad), Err(VietQrError::Malformed), "{bad:?}");
        }
    }

    #[test]
    fn the_known_payloads_verify_and_a_tampered_amount_does_not() {
        for payload in [VIETINBANK_FLOOD_RELIEF, TPBANK_STATIC, VIETCOMBANK_ORDER] {
            assert!(verify(payload), "{payload}");
        }
        let tampered = VIETINBANK_FLOOD_RELIEF.replace("5406120000", "5406920000");
        assert_ne!(tampered, VIETINBANK_FLOOD_RELIEF);
        assert!(!verify(&tampered));
        assert_eq!(parse_checked(&tampered), Err(VietQrError::BadChecksum));
    }

    #[test]
    fn a_payload_without_a_final_crc_field_does_not_verify() {
        let without_crc = &TPBANK_STATIC[..TPBANK_STATIC.len() - 8];
        assert_eq!(parse_checked(without_crc), Err(VietQrError::Malformed));
        assert!(!verify(&TPBANK_STATIC[..TPBANK_STATIC.len() - 1]));
        assert!(!verify(&TPBANK_STATIC.replace("6304CBB4", "6304CBBG")));
        assert!(!verify(""));
        assert!(verify(&TPBANK_STATIC.replace("6304CBB4", "6304cbb4")));
    }
}
