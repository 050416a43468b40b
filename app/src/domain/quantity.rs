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
        Kg = "kg",
        /// One tenth of a kilogram, as market scales are read.
        Lang = "lang",
        Bo = "bo",
        Chuc = "chuc",
        Con = "con",
        Chai = "chai",
        Hop = "hop",
        Goi = "goi",
        Cai = "cai",
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

    /// Whether `q` is exactly one of this unit (`1 kg`, not `0.1 kg`): English names the
    /// unit in the singular then, and in the plural for every other amount.
    pub fn is_one(self, q: Quantity) -> bool {
        q.steps() == self.steps_per_unit()
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
    let steps = i64::try_from(unsigned_steps(s, unit)?).unwrap_or(i64::MAX);
    let steps = if negative { -steps } else { steps };
    if (min_steps..=max_steps).contains(&steps) {
        Ok(Quantity(steps))
    } else {
        Err(out_of_range)
    }
}

/// Marks that may separate the decimals: a Vietnamese comma or an English dot.
const DECIMAL_MARKS: [char; 2] = [',', '.'];

/// Reads an amount without its sign, in the unit's steps.
///
/// `1.000` is one thousand in Vietnamese and one in English, so a reading is taken only where
/// both languages agree:
/// - a unit that is only counted (con, chai, …) has no decimals, so digits grouped by three are
///   thousands, exactly as a price is read: `1.000`, `1,000` and `1 000` con are 1000, while
///   `1.5` or `1,50` con is refused as a fraction rather than silently read as 15;
/// - for a unit with decimals (kg) the last comma or dot is the decimal mark, after digits that
///   may be grouped by the other mark or by spaces (`1.000,5` and `1,000.5` kg are both
///   1000.5 kg); `1.000` kg, which the two languages read differently, has too many decimals.
///   Even trailing zeros count: reading `2.000` as 2 would be a silent, costly mistake.
fn unsigned_steps(s: &str, unit: Unit) -> Result<u128, Invalid> {
    let too_many_decimals = match unit.decimals() {
        0 => Invalid::WholeUnitsOnly { unit },
        max => Invalid::TooManyDecimals { max },
    };
    let decimal = decimal_reading(s);
    let grouped = super::money::grouped_digits(s);
    let (whole, fraction) = match (unit.decimals(), decimal, grouped) {
        (_, None, None) => return Err(Invalid::NotANumber),
        (0, _, Some(whole)) => (whole, ""),
        (0, Some(_), None) => return Err(too_many_decimals),
        (_, Some((whole, fraction)), _) => (whole, fraction),
        (_, None, Some(whole)) => (whole, ""),
    };
    let decimals = unit.decimals() as usize;
    if fraction.len() > decimals {
        return Err(too_many_decimals);
    }
    let fraction: u128 = format!("{fraction:0<decimals$}").parse().unwrap_or(0);
    Ok(whole
        .saturating_mul(unit.steps_per_unit().unsigned_abs().into())
        .saturating_add(fraction))
}

/// `s` read with its last comma or dot as the decimal mark: the whole part (plain, or grouped
/// by three with another mark or spaces) and the digits after the mark; `None` when `s` has
/// no such mark or doesn't read so.
fn decimal_reading(s: &str) -> Option<(u128, &str)> {
    let at = s.rfind(DECIMAL_MARKS)?;
    let mark = s[at..].chars().next()?;
    let (whole, fraction) = (&s[..at], &s[at + mark.len_utf8()..]);
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    if whole.contains(mark) || !digits(fraction) {
        return None;
    }
    Some((super::money::grouped_digits(whole)?, fraction))
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

/// Refuses wanting more of `item` than the `stock` left (`None`: no limit).
///
/// Advice only: stock is reserved when an order is placed, so what passes here may still be
/// sold out by then, and placing the order checks again.
pub fn within_stock(
    item: &str,
    unit: Unit,
    wanted: Quantity,
    stock: Option<Quantity>,
) -> Result<(), Invalid> {
    match stock {
        Some(left) if wanted > left => Err(Invalid::NotEnoughStock {
            item: item.to_string(),
            left,
            unit,
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quantity_beyond_the_stock_left_is_refused_naming_the_item_and_what_is_left() {
        let kg = |steps| Quantity::from_steps(steps);
        assert_eq!(
            within_stock("Mận", Unit::Kg, kg(50_000), Some(kg(800))),
            Err(Invalid::NotEnoughStock {
                item: "Mận".into(),
                left: kg(800),
                unit: Unit::Kg
            })
        );
        assert_eq!(
            within_stock("Mận", Unit::Kg, kg(800), Some(kg(800))),
            Ok(())
        );
        assert_eq!(within_stock("Mận", Unit::Kg, kg(50_000), None), Ok(()));
    }

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
    fn one_unit_is_one_whole_unit_not_one_step() {
        assert!(Unit::Con.is_one(Quantity::from_steps(1)));
        assert!(!Unit::Con.is_one(Quantity::from_steps(15)));
        assert!(Unit::Kg.is_one(Quantity::from_steps(10)));
        // 0.1 kg is not one kilogram, and one bunch is one step.
        assert!(!Unit::Kg.is_one(Quantity::from_steps(1)));
        assert!(Unit::Bo.is_one(Quantity::from_steps(1)));
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
        assert_eq!(Quantity::parse("1,50", Unit::Chai), whole_bottles);
        assert_eq!(Quantity::parse("2.0000", Unit::Chai), whole_bottles);
    }

    #[test]
    fn counted_units_take_thousands_separators_like_prices() {
        let con = |s: &str| Quantity::parse_stock(s, Unit::Con).map(Quantity::steps);
        for s in ["1.000", "1,000", "1 000", "1\u{a0}000", "1000"] {
            assert_eq!(con(s), Ok(1000), "{s:?}");
        }
        assert_eq!(con("1.000.000"), Ok(1_000_000));
        assert_eq!(con("12.500"), Ok(12_500));
        // One and a half pieces is no whole number, in either language: never 15.
        let whole_pieces = Err(Invalid::WholeUnitsOnly { unit: Unit::Con });
        assert_eq!(con("1.5"), whole_pieces);
        assert_eq!(con("1,5"), whole_pieces);
        assert_eq!(con("1.00"), whole_pieces);
        assert_eq!(con("1.000,000"), whole_pieces);
        assert_eq!(con("1.0.0"), Err(Invalid::NotANumber));
    }

    #[test]
    fn kilograms_take_thousands_only_where_both_languages_agree() {
        assert_eq!(kg("1.000,5"), Ok(10_005), "Vietnamese");
        assert_eq!(kg("1,000.5"), Ok(10_005), "English");
        assert_eq!(kg("1 000,5"), Ok(10_005));
        assert_eq!(kg("1 000"), Ok(10_000));
        assert_eq!(kg("1.000.000"), Ok(10_000_000));
        // One thousand in Vietnamese, one in English: refused, not guessed.
        assert_eq!(kg("1.000"), Err(Invalid::TooManyDecimals { max: 1 }));
        assert_eq!(kg("1,000"), Err(Invalid::TooManyDecimals { max: 1 }));
        assert_eq!(kg("1.00,5"), Err(Invalid::NotANumber));
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
