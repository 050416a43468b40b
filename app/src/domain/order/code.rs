//! Order codes (`DH2026000123`): written on every order, typed into a bank transfer's
//! description, and found again in a bank statement line to match the transfer to its order.

/// `DH`, for đơn hàng (order).
const ORDER_CODE_PREFIX: &str = "DH";
/// Digits of the yearly sequence in a code, at least: zero-padded up to this width.
const ORDER_SEQ_WIDTH: usize = 6;

/// The code shoppers, vendors and bank statements use for an order: `DH2026000123` is the
/// 123rd order of 2026. Upper-case letters and digits only, so it survives every bank's
/// description field; restarting the sequence each year keeps codes short.
///
/// For a four-digit year and a sequence from 1. The sequence is padded to six digits and
/// simply grows longer after 999 999, so no two orders ever share a code.
pub fn order_code(year: i32, seq: i64) -> String {
    format!("{ORDER_CODE_PREFIX}{year:04}{seq:0ORDER_SEQ_WIDTH$}")
}

/// The year and sequence of a code as [`order_code`] writes it, `DH` in either case. Anything
/// else is `None`, including a differently padded sequence, so that each order has one code.
pub fn parse_order_code(s: &str) -> Option<(i32, i64)> {
    let digits = s
        .get(..ORDER_CODE_PREFIX.len())
        .filter(|prefix| prefix.eq_ignore_ascii_case(ORDER_CODE_PREFIX))
        .and_then(|_| s.get(ORDER_CODE_PREFIX.len()..))?;
    if digits.len() < 4 + ORDER_SEQ_WIDTH || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = digits[..4].parse().ok()?;
    let seq: i64 = digits[4..].parse().ok().filter(|&seq| seq > 0)?;
    let canonical = order_code(year, seq);
    (canonical[ORDER_CODE_PREFIX.len()..] == *digits).then_some((year, seq))
}

/// Every order code in a bank statement line, upper-cased, once each, in order of appearance.
///
/// Banks upper- or lower-case descriptions, add their own references and punctuation, and
/// sometimes drop spaces, so a code is found wherever `DH` is followed by its digits, even
/// inside a longer word. The digits end at the first non-digit: a code glued to more digits
/// reads as a different code, so the caller should also check the amount.
pub fn find_order_codes(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let prefix = ORDER_CODE_PREFIX.as_bytes();
    let mut codes: Vec<String> = Vec::new();
    let mut i = 0;
    while i + prefix.len() <= bytes.len() {
        if bytes[i..i + prefix.len()].eq_ignore_ascii_case(prefix) {
            let end = i
                + prefix.len()
                + bytes[i + prefix.len()..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
            // Both ends sit next to ASCII bytes, so they are character boundaries.
            if let Some((year, seq)) = parse_order_code(&text[i..end]) {
                let code = order_code(year, seq);
                if !codes.contains(&code) {
                    codes.push(code);
                }
                i = end;
                continue;
            }
        }
        i += 1;
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_code_is_dh_the_year_and_a_six_digit_sequence() {
        assert_eq!(order_code(2026, 123), "DH2026000123");
        assert_eq!(order_code(2025, 999_999), "DH2025999999");
        assert_eq!(order_code(2025, 1_000_000), "DH20251000000");
    }

    #[test]
    fn an_order_code_parses_back_in_either_case() {
        for (year, seq) in [(2026, 123), (2025, 1), (2030, 999_999), (2031, 1_234_567)] {
            assert_eq!(parse_order_code(&order_code(year, seq)), Some((year, seq)));
        }
        assert_eq!(parse_order_code("dh2026000123"), Some((2026, 123)));
        assert_eq!(parse_order_code("Dh2026000123"), Some((2026, 123)));
    }

    #[test]
    fn anything_but_a_code_as_written_is_not_a_code() {
        for s in [
            "",
            "DH",
            "DH202600012",                // sequence too short
            "DH20260000123",              // padded differently
            "DH2026000000",               // no order zero
            "DH2026 000123",              // split
            " DH2026000123",              // not trimmed
            "DX2026000123",               // wrong prefix
            "DH2026000123A",              // trailing letter
            "DH2026-000123",              // punctuation
            "ĐH2026000123",               // not ASCII
            "DH202699999999999999999999", // beyond i64
        ] {
            assert_eq!(parse_order_code(s), None, "{s:?}");
        }
    }

    #[test]
    fn order_codes_are_found_in_a_bank_statement_line_however_it_is_written() {
        assert_eq!(
            find_order_codes("CT DEN:123 dh2026000123 Tra sen"),
            ["DH2026000123"]
        );
        assert_eq!(
            find_order_codes("MBVCB.4455.DH2026000123.Tra sen.CT tu 0011001234567"),
            ["DH2026000123"]
        );
        assert_eq!(
            find_order_codes("FT26001ABCDH2026000123TRASEN"),
            ["DH2026000123"]
        );
        assert_eq!(
            find_order_codes("DH2026000123 DH2026000124 thanh toán đơn DH2026000123"),
            ["DH2026000123", "DH2026000124"]
        );
    }

    #[test]
    fn a_statement_line_without_a_whole_code_has_none() {
        for text in [
            "",
            "Chuyen tien an trua",
            "DH 2026000123",
            "dh202600012 thieu so",
            "ĐH2026000123",
            "dhdh",
            "D",
        ] {
            assert!(find_order_codes(text).is_empty(), "{text:?}");
        }
        assert_eq!(find_order_codes("DHDH2026000007 đặc sản"), ["DH2026000007"]);
    }
}
