//! How much of a product: counted in the unit's smallest step (0.1 kg, one bunch), so
//! quantities and totals are exact integers and never floats.
use super::invalid::Invalid;
use super::money::Dong;
use serde::{Deserialize, Serialize};

/// Most of one unit a single quantity may hold (a tonne of kg, a million bottles).
pub const MAX_UNITS: i64 = 1_000_000;

slug_enum! {
    /// What a product is sold by.
    pub enum Unit {
        Kg = "kg" => ("kg", "kg"),
        /// One tenth of a kilogram, as market scales are read.
        Lang = "lang" => ("lạng", "lạng (100 g)"),
        Bo = "bo" => ("bó", "bunch"),
        Chuc = "chuc" => ("chục", "ten"),
        Con = "con" => ("con", "piece"),
        Chai = "chai" => ("chai", "bottle"),
        Hop = "hop" => ("hộp", "box"),
        Goi = "goi" => ("gói", "pack"),
        Cai = "cai" => ("cái", "item"),
    }
}

impl Unit {
    /// Decimal places a buyer may use: kilograms are weighed to 0.1 kg, the rest are counted.
    pub fn decimals(self) -> u32 {
        match self {
            Unit::Kg => 1,
            _ => 0,
        }
    }

    /// Steps in one unit: 10 for kg (0.1 kg steps), 1 for everything else.
    pub fn steps_per_unit(self) -> i64 {
        10_i64.pow(self.decimals())
    }
}

/// A number of the unit's steps: `Quantity::from_steps(15)` of [`Unit::Kg`] is 1.5 kg.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Quantity(i64);

impl Quantity {
    pub fn from_steps(steps: i64) -> Quantity {
        Quantity(steps)
    }

    pub fn steps(self) -> i64 {
        self.0
    }

    /// A quantity to buy or sell: more than zero, at most [`MAX_UNITS`] units.
    ///
    /// Accepts `2`, `1.5`, `1,5` and surrounding spaces. A range error carries its bounds as
    /// quantities of the unit (0,1 kg to 1.000.000 kg), so the message can say them as typed.
    pub fn parse(s: &str, unit: Unit) -> Result<Quantity, Invalid> {
        parse_at_least(s, unit, 1)
    }

    /// A stock level: like [`Quantity::parse`], but zero (sold out) is allowed.
    pub fn parse_stock(s: &str, unit: Unit) -> Result<Quantity, Invalid> {
        parse_at_least(s, unit, 0)
    }

    /// `1,5` for 15 steps of kg with `','`; whole amounts have no decimal part (`2`, not `2,0`).
    pub fn format(self, unit: Unit, decimal_sep: char) -> String {
        let per_unit = unit.steps_per_unit().unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        let steps = self.0.unsigned_abs();
        let (whole, fraction) = (steps / per_unit, steps % per_unit);
        if fraction == 0 {
            return format!("{sign}{whole}");
        }
        let width = unit.decimals() as usize;
        let fraction = format!("{fraction:0width$}");
        format!(
            "{sign}{whole}{decimal_sep}{}",
            fraction.trim_end_matches('0')
        )
    }

    /// Like [`Quantity::format`], with the thousands grouped the other way round from the
    /// decimal separator: `1.000.000` and `0,1` with `','`, `1,000,000` and `0.1` with `'.'`.
    /// For reading only: a grouped quantity does not parse back.
    pub fn format_grouped(self, unit: Unit, decimal_sep: char) -> String {
        let plain = self.format(unit, decimal_sep);
        let (sign, unsigned) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", plain.as_str()),
        };
        let (whole, fraction) = match unsigned.split_once(decimal_sep) {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (unsigned, None),
        };
        let group_sep = if decimal_sep == ',' { '.' } else { ',' };
        let mut grouped = String::with_capacity(plain.len() + whole.len() / 3);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(group_sep);
            }
            grouped.push(c);
        }
        match fraction {
            Some(fraction) => format!("{sign}{grouped}{decimal_sep}{fraction}"),
            None => format!("{sign}{grouped}"),
        }
    }
}

fn parse_at_least(s: &str, unit: Unit, min_steps: i64) -> Result<Quantity, Invalid> {
    let max_steps = MAX_UNITS * unit.steps_per_unit();
    let out_of_range = Invalid::QuantityOutOfRange {
        // Zero is allowed only for stock; the least to buy is one step (0,1 kg, one bottle).
        min: Quantity(min_steps),
        max: Quantity(max_steps),
        unit,
    };
    let s = s.trim();
    if s.is_empty() {
        return Err(Invalid::Required);
    }
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, fraction) = match s.split_once(['.', ',']) {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (s, None),
    };
    let all_digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !fraction.is_none_or(all_digits) {
        return Err(Invalid::NotANumber);
    }
    let fraction = fraction.unwrap_or("");
    // Even trailing zeros count: `2.000 chai` in Vietnamese means two thousand bottles, so
    // reading it as 2 would be a silent, costly mistake.
    if fraction.len() > unit.decimals() as usize {
        return Err(match unit.decimals() {
            0 => Invalid::WholeUnitsOnly { unit },
            max => Invalid::TooManyDecimals { max },
        });
    }
    let padded = format!(
        "{whole}{fraction:0<width$}",
        width = unit.decimals() as usize
    );
    let steps = padded.bytes().fold(0i64, |value, b| {
        value.saturating_mul(10).saturating_add(i64::from(b - b'0'))
    });
    let steps = if negative { -steps } else { steps };
    if (min_steps..=max_steps).contains(&steps) {
        Ok(Quantity(steps))
    } else {
        Err(out_of_range)
    }
}

/// What `qty` of `unit` costs at `price_per_unit`.
///
/// The exact value price × steps ÷ steps-per-unit is computed in `i128` (it cannot overflow)
/// and rounded once, at the end, to whole đồng, half away from zero: 22 500.5 ₫ is 22 501 ₫
/// and −22 500.5 ₫ is −22 501 ₫. Rounding once means a line total never depends on how the
/// quantity was split into steps. A result beyond `i64` saturates.
pub fn line_total(price_per_unit: Dong, qty: Quantity, unit: Unit) -> Dong {
    let exact = i128::from(price_per_unit.amount()) * i128::from(qty.steps());
    let divisor = i128::from(unit.steps_per_unit());
    let (quotient, remainder) = (exact / divisor, exact % divisor);
    let rounded = if 2 * remainder.abs() >= divisor {
        quotient + exact.signum()
    } else {
        quotient
    };
    Dong::new(i64::try_from(rounded).unwrap_or(if rounded < 0 { i64::MIN } else { i64::MAX }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kg(s: &str) -> Result<i64, Invalid> {
        Quantity::parse(s, Unit::Kg).map(Quantity::steps)
    }

    #[test]
    fn only_kilograms_are_bought_in_tenths() {
        assert_eq!(Unit::Kg.steps_per_unit(), 10);
        assert_eq!(Unit::Kg.decimals(), 1);
        for unit in Unit::ALL.into_iter().filter(|u| *u != Unit::Kg) {
            assert_eq!((unit.steps_per_unit(), unit.decimals()), (1, 0), "{unit}");
        }
    }

    #[test]
    fn units_have_vietnamese_and_english_labels() {
        assert_eq!(Unit::Lang.label_vi(), "lạng");
        assert_eq!(Unit::Lang.label_en(), "lạng (100 g)");
        assert_eq!(Unit::Chuc.label_en(), "ten");
    }

    #[test]
    fn kilograms_parse_with_a_dot_or_a_comma() {
        assert_eq!(kg("2"), Ok(20));
        assert_eq!(kg("1.5"), Ok(15));
        assert_eq!(kg("1,5"), Ok(15));
        assert_eq!(kg(" 0.3 "), Ok(3));
        assert_eq!(
            Quantity::parse("12", Unit::Chai),
            Ok(Quantity::from_steps(12))
        );
    }

    #[test]
    fn an_empty_quantity_is_required() {
        assert_eq!(kg(" "), Err(Invalid::Required));
    }

    #[test]
    fn a_malformed_quantity_is_not_a_number() {
        for s in [
            "abc", "1.2.3", "1.", ".5", "1 5", "+2", "1,5kg", "--1", "1e3",
        ] {
            assert_eq!(kg(s), Err(Invalid::NotANumber), "{s:?}");
        }
    }

    #[test]
    fn more_decimals_than_the_unit_allows_are_refused() {
        assert_eq!(kg("1.25"), Err(Invalid::TooManyDecimals { max: 1 }));
        assert_eq!(kg("1.50"), Err(Invalid::TooManyDecimals { max: 1 }));
        let whole_bottles = Err(Invalid::WholeUnitsOnly { unit: Unit::Chai });
        assert_eq!(Quantity::parse("1.5", Unit::Chai), whole_bottles);
        assert_eq!(Quantity::parse("2.000", Unit::Chai), whole_bottles);
    }

    #[test]
    fn a_quantity_to_buy_must_be_positive_and_at_most_a_million_units() {
        // Bounded in kilograms: 0,1 kg to 1.000.000 kg, not in steps.
        let out = Err(Invalid::QuantityOutOfRange {
            min: Quantity::from_steps(1),
            max: Quantity::from_steps(10_000_000),
            unit: Unit::Kg,
        });
        assert_eq!(kg("0"), out);
        assert_eq!(kg("0.0"), out);
        assert_eq!(kg("-1"), out);
        assert_eq!(kg("1000000.1"), out);
        assert_eq!(kg("99999999999999999999999"), out);
        assert_eq!(kg("1000000"), Ok(10_000_000));
        assert_eq!(
            Quantity::parse("1000001", Unit::Bo),
            Err(Invalid::QuantityOutOfRange {
                min: Quantity::from_steps(1),
                max: Quantity::from_steps(1_000_000),
                unit: Unit::Bo,
            })
        );
    }

    #[test]
    fn a_stock_level_may_be_zero_but_not_negative() {
        assert_eq!(
            Quantity::parse_stock("0", Unit::Kg),
            Ok(Quantity::from_steps(0))
        );
        assert_eq!(
            Quantity::parse_stock("-0,5", Unit::Kg),
            Err(Invalid::QuantityOutOfRange {
                min: Quantity::from_steps(0),
                max: Quantity::from_steps(10_000_000),
                unit: Unit::Kg,
            })
        );
        assert_eq!(Quantity::parse_stock("", Unit::Kg), Err(Invalid::Required));
    }

    #[test]
    fn quantities_format_without_a_trailing_zero_decimal() {
        assert_eq!(Quantity::from_steps(15).format(Unit::Kg, ','), "1,5");
        assert_eq!(Quantity::from_steps(15).format(Unit::Kg, '.'), "1.5");
        assert_eq!(Quantity::from_steps(20).format(Unit::Kg, ','), "2");
        assert_eq!(Quantity::from_steps(3).format(Unit::Kg, ','), "0,3");
        assert_eq!(Quantity::from_steps(-5).format(Unit::Kg, ','), "-0,5");
        assert_eq!(Quantity::from_steps(12).format(Unit::Chai, ','), "12");
    }

    #[test]
    fn range_bounds_read_in_the_unit_with_thousands_grouped_the_readers_way() {
        let Err(Invalid::QuantityOutOfRange { min, max, unit }) = Quantity::parse("0", Unit::Kg)
        else {
            panic!("zero kg must be out of range")
        };
        assert_eq!(min.format_grouped(unit, ','), "0,1");
        assert_eq!(max.format_grouped(unit, ','), "1.000.000");
        assert_eq!(max.format_grouped(unit, '.'), "1,000,000");
        assert_eq!(
            Quantity::from_steps(12_345_675).format_grouped(Unit::Kg, ','),
            "1.234.567,5"
        );
        assert_eq!(
            Quantity::from_steps(999).format_grouped(Unit::Chai, '.'),
            "999"
        );
        assert_eq!(
            Quantity::from_steps(-1_000).format_grouped(Unit::Chai, ','),
            "-1.000"
        );
    }

    #[test]
    fn parsing_a_formatted_quantity_gives_it_back() {
        for steps in [1, 3, 10, 15, 99, 12345] {
            let q = Quantity::from_steps(steps);
            assert_eq!(Quantity::parse(&q.format(Unit::Kg, ','), Unit::Kg), Ok(q));
        }
    }

    #[test]
    fn a_line_total_is_rounded_once_to_the_nearest_dong() {
        let total = |price, steps, unit| {
            line_total(Dong::new(price), Quantity::from_steps(steps), unit).amount()
        };
        assert_eq!(total(33_333, 3, Unit::Kg), 10_000); // 9 999.9
        assert_eq!(total(45_001, 5, Unit::Kg), 22_501); // 22 500.5 rounds up
        assert_eq!(total(33_334, 1, Unit::Kg), 3_333); // 3 333.4 rounds down
        assert_eq!(total(120_000, 15, Unit::Kg), 180_000);
        assert_eq!(total(25_000, 3, Unit::Chai), 75_000);
        assert_eq!(total(-45_001, 5, Unit::Kg), -22_501); // half away from zero
        assert_eq!(total(0, 7, Unit::Kg), 0);
    }

    #[test]
    fn a_line_total_never_overflows() {
        let huge = line_total(
            Dong::new(i64::MAX),
            Quantity::from_steps(i64::MAX),
            Unit::Chai,
        );
        assert_eq!(huge, Dong::new(i64::MAX));
        let max = line_total(
            Dong::new(1_000_000_000),
            Quantity::from_steps(10_000_000),
            Unit::Kg,
        );
        assert_eq!(max, Dong::new(1_000_000_000_000_000));
    }
}
