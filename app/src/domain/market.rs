//! Where goods are sold: the province's markets and districts, and the days they trade.
use super::invalid::Invalid;
use super::search::fold;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// A market whose vendors sell on Chợ Số.
    pub enum Market {
        CocLeu = "coc-leu",
        SaPa = "sa-pa",
        BacHa = "bac-ha",
    }
}

impl Market {
    /// The market's district, as spelled in [`DISTRICTS`].
    pub fn district(self) -> &'static str {
        match self {
            Market::CocLeu => "Lào Cai",
            Market::SaPa => "Sa Pa",
            Market::BacHa => "Bắc Hà",
        }
    }

    /// The days the market is open: Bắc Hà is the Sunday market; the others open daily.
    pub fn market_days(self) -> TradingDays {
        match self {
            Market::CocLeu | Market::SaPa => TradingDays::EVERY_DAY,
            Market::BacHa => TradingDays(Weekday::Sun.bit()),
        }
    }
}

slug_enum! {
    /// The legal form of an OCOP producer.
    pub enum EntityType {
        Household = "household",
        Cooperative = "cooperative",
        Business = "business",
    }
}

/// The districts (and district-level town and city) of Lào Cai province.
pub const DISTRICTS: [&str; 9] = [
    "Lào Cai",
    "Sa Pa",
    "Bắc Hà",
    "Bát Xát",
    "Mường Khương",
    "Bảo Thắng",
    "Bảo Yên",
    "Văn Bàn",
    "Si Ma Cai",
];

/// The district named by `s` however it was typed: `bac ha`, `BẮC HÀ`, even `Sapa`.
///
/// Spaces are ignored as well as accents and case, because names like Sapa and Simacai are
/// commonly written as one word.
pub fn district(s: &str) -> Result<&'static str, Invalid> {
    let squeeze = |s: &str| fold(s).replace(' ', "");
    let wanted = squeeze(s);
    if wanted.is_empty() {
        return Err(Invalid::Required);
    }
    DISTRICTS
        .into_iter()
        .find(|d| squeeze(d) == wanted)
        .ok_or(Invalid::Unknown)
}

slug_enum! {
    /// A day of the week, Monday first as in Vietnamese calendars.
    pub enum Weekday {
        Mon = "mon",
        Tue = "tue",
        Wed = "wed",
        Thu = "thu",
        Fri = "fri",
        Sat = "sat",
        Sun = "sun",
    }
}

impl Weekday {
    /// Monday is bit 0, Sunday bit 6.
    const fn bit(self) -> u8 {
        1 << self as u8
    }

    /// The day of the week `date` falls on.
    pub fn of(date: chrono::NaiveDate) -> Weekday {
        use chrono::Datelike;
        Weekday::ALL[date.weekday().num_days_from_monday() as usize]
    }
}

/// A set of weekdays, stored in the database as one byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "u8", into = "u8")]
pub struct TradingDays(u8);

impl TradingDays {
    pub const EVERY_DAY: TradingDays = TradingDays(0b111_1111);

    pub fn from_days(days: &[Weekday]) -> TradingDays {
        TradingDays(days.iter().fold(0, |bits, day| bits | day.bit()))
    }

    pub fn contains(self, day: Weekday) -> bool {
        self.0 & day.bit() != 0
    }

    /// The days in the set, Monday first.
    pub fn days(self) -> Vec<Weekday> {
        Weekday::ALL
            .into_iter()
            .filter(|&day| self.contains(day))
            .collect()
    }

    pub fn bits(self) -> u8 {
        self.0
    }

    /// The set stored as `bits`; the eighth bit, which is no day, is dropped.
    pub fn from_bits(bits: u8) -> TradingDays {
        TradingDays(bits & Self::EVERY_DAY.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl From<u8> for TradingDays {
    fn from(bits: u8) -> TradingDays {
        TradingDays::from_bits(bits)
    }
}

impl From<TradingDays> for u8 {
    fn from(days: TradingDays) -> u8 {
        days.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error, U8Deserializer};

    #[test]
    fn markets_lie_in_their_districts() {
        assert_eq!(Market::CocLeu.district(), "Lào Cai");
    }

    #[test]
    fn every_market_is_in_a_known_district() {
        for market in Market::ALL {
            assert_eq!(district(market.district()), Ok(market.district()));
        }
    }

    #[test]
    fn bac_ha_trades_on_sunday_and_the_others_every_day() {
        assert_eq!(Market::BacHa.market_days().days(), vec![Weekday::Sun]);
        assert_eq!(Market::CocLeu.market_days(), TradingDays::EVERY_DAY);
        assert_eq!(Market::SaPa.market_days().days(), Weekday::ALL.to_vec());
    }

    #[test]
    fn a_district_is_recognised_in_any_case_or_accent_spelling() {
        assert_eq!(district("bac ha"), Ok("Bắc Hà"));
        assert_eq!(district("  BẮC HÀ "), Ok("Bắc Hà"));
        assert_eq!(district("Sapa"), Ok("Sa Pa"));
        assert_eq!(district("muong khuong"), Ok("Mường Khương"));
        assert_eq!(district("simacai"), Ok("Si Ma Cai"));
    }

    #[test]
    fn an_unknown_or_empty_district_is_refused() {
        assert_eq!(district("Hà Nội"), Err(Invalid::Unknown));
        assert_eq!(district("Bảo"), Err(Invalid::Unknown));
        assert_eq!(district(" "), Err(Invalid::Required));
    }

    #[test]
    fn trading_days_hold_exactly_the_days_given() {
        let days = TradingDays::from_days(&[Weekday::Sun, Weekday::Mon, Weekday::Mon]);
        assert_eq!(days.days(), vec![Weekday::Mon, Weekday::Sun]);
        assert!(days.contains(Weekday::Sun));
        assert!(!days.contains(Weekday::Sat));
        assert!(!days.is_empty());
        assert!(TradingDays::from_days(&[]).is_empty());
        assert_eq!(
            TradingDays::from_days(&Weekday::ALL),
            TradingDays::EVERY_DAY
        );
    }

    #[test]
    fn trading_days_round_trip_through_their_bits() {
        for bits in 0..=0b111_1111 {
            assert_eq!(TradingDays::from_bits(bits).bits(), bits);
        }
        assert_eq!(TradingDays::from_bits(0xff), TradingDays::EVERY_DAY);
        assert_eq!(Weekday::Sun.bit(), 0b100_0000);
    }

    #[test]
    fn trading_days_deserialize_from_a_byte_without_the_stray_bit() {
        let de: U8Deserializer<Error> = 0b1100_0001u8.into_deserializer();
        assert_eq!(
            TradingDays::deserialize(de),
            Ok(TradingDays::from_days(&[Weekday::Mon, Weekday::Sun]))
        );
    }
}
