//! Prices and totals in whole Vietnamese đồng. The đồng has no minor unit in use, so an
//! integer count is exact and no amount is ever a float.
use super::invalid::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;

/// Lowest price a product may have, in đồng.
pub const MIN_PRICE: i64 = 1;
/// Highest price a product may have, in đồng; far above any market good, low enough that a
/// line total can never overflow.
pub const MAX_PRICE: i64 = 1_000_000_000;

/// Currency marks people type after a price, longest first so `vnđ` is not read as `vn` + `đ`.
const CURRENCY_SUFFIXES: [&str; 4] = ["vnđ", "vnd", "₫", "đ"];
/// Thousands separators in use: Vietnamese dot, English comma, and spaces (plain, no-break and
/// narrow no-break, which appear when a formatted price is copied).
const THOUSANDS_SEPARATORS: [char; 5] = ['.', ',', ' ', '\u{a0}', '\u{202f}'];

/// An amount of whole đồng: a price, a line total or an order total.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Dong(i64);

impl Dong {
    pub const ZERO: Dong = Dong(0);

    /// Any amount, unchecked: for totals and differences, which need not be valid prices.
    pub fn new(amount: i64) -> Dong {
        Dong(amount)
    }

    pub fn amount(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Dong) -> Option<Dong> {
        self.0.checked_add(other.0).map(Dong)
    }

    /// A product price: [`MIN_PRICE`]..=[`MAX_PRICE`].
    pub fn price(amount: i64) -> Result<Dong, Invalid> {
        if (MIN_PRICE..=MAX_PRICE).contains(&amount) {
            Ok(Dong(amount))
        } else {
            Err(Invalid::AmountOutOfRange {
                min: Dong(MIN_PRICE),
                max: Dong(MAX_PRICE),
            })
        }
    }

    /// A price as people type it: `125000`, `125.000`, `125,000`, `125 000`, `125.000 ₫`,
    /// `125000đ`, `125.000 VND`.
    ///
    /// Separators must group by three, so `12.5` and `125.00` are `NotANumber` rather than
    /// being guessed as 12 đồng or 12 500 đồng.
    pub fn parse_price(s: &str) -> Result<Dong, Invalid> {
        let lower = s.trim().to_lowercase();
        let number = CURRENCY_SUFFIXES
            .iter()
            .find_map(|suffix| lower.strip_suffix(suffix))
            .unwrap_or(&lower)
            .trim_end();
        if number.is_empty() {
            return Err(Invalid::Required);
        }
        let (negative, digits) = match number.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, number),
        };
        let magnitude = grouped_digits(digits).ok_or(Invalid::NotANumber)?;
        // Saturating keeps absurdly long inputs an out-of-range price instead of an overflow.
        let magnitude = i64::try_from(magnitude).unwrap_or(i64::MAX);
        Dong::price(if negative { -magnitude } else { magnitude })
    }
}

/// The value of ASCII digits, either plain or grouped by three with one kind of separator.
pub(super) fn grouped_digits(s: &str) -> Option<u128> {
    let groups: Vec<&str> = match s.chars().find(|c| !c.is_ascii_digit()) {
        None => vec![s],
        Some(sep) if THOUSANDS_SEPARATORS.contains(&sep) => {
            let groups: Vec<&str> = s.split(sep).collect();
            let by_three =
                (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
            by_three.then_some(groups)?
        }
        Some(_) => return None,
    };
    let digits = groups.concat();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.bytes().fold(0u128, |value, b| {
        value
            .saturating_mul(10)
            .saturating_add(u128::from(b - b'0'))
    }))
}

impl Sum for Dong {
    /// Saturates rather than wrapping or panicking: no real order comes near the limit.
    fn sum<I: Iterator<Item = Dong>>(iter: I) -> Dong {
        Dong(iter.fold(0i64, |total, d| total.saturating_add(d.0)))
    }
}

impl fmt::Display for Dong {
    /// `125.000 ₫`: the dot groups thousands, as Vietnamese prices are written everywhere, and a
    /// no-break space keeps the sign on the same line as the number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.unsigned_abs().to_string();
        let sign = if self.0 < 0 { "-" } else { "" };
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(c);
        }
        write!(f, "{sign}{grouped}\u{a0}₫")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_price_parses_in_every_common_spelling() {
        for s in [
            "125000",
            "125.000",
            "125,000",
            "125 000",
            "125.000 ₫",
            "125000đ",
            "125.000 VND",
            "125.000 vnđ",
            " 125\u{a0}000 ",
        ] {
            assert_eq!(Dong::parse_price(s), Ok(Dong::new(125_000)), "{s:?}");
        }
        assert_eq!(Dong::parse_price("1.250.000"), Ok(Dong::new(1_250_000)));
        assert_eq!(Dong::parse_price("5"), Ok(Dong::new(5)));
    }

    #[test]
    fn a_price_with_a_decimal_part_is_not_a_number() {
        for s in [
            "12.5",
            "125.00",
            "1.25.000",
            "1,250.000",
            ".500",
            "500.",
            "12a",
            "₫ 500",
        ] {
            assert_eq!(Dong::parse_price(s), Err(Invalid::NotANumber), "{s:?}");
        }
    }

    #[test]
    fn an_empty_price_is_required() {
        assert_eq!(Dong::parse_price("  "), Err(Invalid::Required));
        assert_eq!(Dong::parse_price("₫"), Err(Invalid::Required));
    }

    #[test]
    fn a_price_must_be_between_one_dong_and_a_billion() {
        let out = Err(Invalid::AmountOutOfRange {
            min: Dong::new(MIN_PRICE),
            max: Dong::new(MAX_PRICE),
        });
        assert_eq!(Dong::parse_price("0"), out);
        assert_eq!(Dong::parse_price("-5.000"), out);
        assert_eq!(Dong::parse_price("1.000.000.001"), out);
        assert_eq!(
            Dong::parse_price("99999999999999999999999999999999999999999"),
            out
        );
        assert_eq!(Dong::price(MAX_PRICE), Ok(Dong::new(MAX_PRICE)));
        assert_eq!(Dong::price(0), out);
    }

    #[test]
    fn an_amount_displays_with_dot_thousands_and_the_dong_sign() {
        assert_eq!(Dong::new(125_000).to_string(), "125.000\u{a0}₫");
        assert_eq!(Dong::new(1_250_000).to_string(), "1.250.000\u{a0}₫");
        assert_eq!(Dong::new(999).to_string(), "999\u{a0}₫");
        assert_eq!(Dong::ZERO.to_string(), "0\u{a0}₫");
        assert_eq!(Dong::new(-5_000).to_string(), "-5.000\u{a0}₫");
        assert_eq!(
            Dong::new(i64::MIN).to_string(),
            "-9.223.372.036.854.775.808\u{a0}₫"
        );
    }

    #[test]
    fn an_amount_never_breaks_between_the_number_and_the_sign() {
        let shown = Dong::new(85_000).to_string();
        assert!(!shown.contains(' '), "{shown:?}");
        assert_eq!(Dong::parse_price(&shown), Ok(Dong::new(85_000)));
    }

    #[test]
    fn amounts_sum_and_add_without_overflowing() {
        let total: Dong = [Dong::new(10_000), Dong::new(22_501)].into_iter().sum();
        assert_eq!(total, Dong::new(32_501));
        assert_eq!(std::iter::empty::<Dong>().sum::<Dong>(), Dong::ZERO);
        assert_eq!(
            [Dong::new(i64::MAX), Dong::new(1)]
                .into_iter()
                .sum::<Dong>(),
            Dong::new(i64::MAX)
        );
        assert_eq!(Dong::new(i64::MAX).checked_add(Dong::new(1)), None);
        assert_eq!(Dong::new(1).checked_add(Dong::new(2)), Some(Dong::new(3)));
    }
}
