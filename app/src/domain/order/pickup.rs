//! When a pickup order is collected: one of the stall's trading days within the coming week.
use super::invalid::Invalid;
use super::market::{TradingDays, Weekday};
use chrono::NaiveDate;

/// How many days ahead a pickup can be booked, today included: every trading day once.
pub const PICKUP_WINDOW_DAYS: usize = 7;

/// The date a pickup order is collected from `stall`, posted `YYYY-MM-DD`: one of the dates
/// [`pickup_dates`] offers from `today` (in Lào Cai). A weekday alone would be ambiguous once
/// the offered dates span two weeks, so the order keeps the date. A day the stall doesn't
/// trade is refused naming the stall and its days (nobody is at the stall then; a stall with
/// no trading days offers no pickup); a trading day in the past or beyond the window is
/// refused naming the stall and the dates it can be collected on.
pub fn parse_pickup_date(
    s: &str,
    stall: &str,
    trading: TradingDays,
    today: NaiveDate,
) -> Result<NaiveDate, Invalid> {
    if s.trim().is_empty() {
        return Err(Invalid::Required);
    }
    let date = super::onboarding::parse_date(s).ok_or(Invalid::Date)?;
    if !trading.contains(Weekday::of(date)) {
        return Err(Invalid::NotTradingDay {
            stall: stall.to_owned(),
            days: trading,
        });
    }
    let offered = pickup_dates(trading, today);
    if offered.iter().any(|(_, d)| *d == date) {
        Ok(date)
    } else {
        Err(Invalid::PickupNotOffered {
            stall: stall.to_owned(),
            first: today,
            last: today + chrono::Days::new(PICKUP_WINDOW_DAYS as u64 - 1),
        })
    }
}

/// The days a shopper can collect from a stall trading on `trading`, as the next date of each
/// within the coming week, today (in Lào Cai) first: `Chủ nhật 29/11` reads better than a
/// bare weekday, and a Sunday-only stall offers exactly one choice.
pub fn pickup_dates(trading: TradingDays, today: NaiveDate) -> Vec<(Weekday, NaiveDate)> {
    today
        .iter_days()
        .take(PICKUP_WINDOW_DAYS)
        .map(|date| (Weekday::of(date), date))
        .filter(|(day, _)| trading.contains(*day))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pickup_date_must_be_an_offered_trading_day_and_a_refusal_names_the_stall() {
        // Wednesday 25 November 2026; the stall trades on Sundays only.
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let sunday_only = TradingDays::from_days(&[Weekday::Sun]);
        let date = |s| parse_pickup_date(s, "Mận Bắc Hà nhà Mỷ", sunday_only, today);
        let not_trading = Err(Invalid::NotTradingDay {
            stall: "Mận Bắc Hà nhà Mỷ".to_owned(),
            days: sunday_only,
        });
        let not_offered = Err(Invalid::PickupNotOffered {
            stall: "Mận Bắc Hà nhà Mỷ".to_owned(),
            first: today,
            last: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        });
        assert_eq!(
            date("2026-11-29"),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap())
        );
        assert_eq!(date("2026-11-30"), not_trading, "a Monday");
        assert_eq!(date("2026-11-22"), not_offered, "last Sunday");
        assert_eq!(date("2026-12-06"), not_offered, "the Sunday after next");
        assert_eq!(date("sun"), Err(Invalid::Date));
        assert_eq!(date(" "), Err(Invalid::Required));
        let none = TradingDays::from_days(&[]);
        assert_eq!(
            parse_pickup_date("2026-11-29", "Gian trống", none, today),
            Err(Invalid::NotTradingDay {
                stall: "Gian trống".to_owned(),
                days: none
            })
        );
    }

    #[test]
    fn every_offered_pickup_date_is_accepted() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let weekdays = TradingDays::from_days(&Weekday::ALL[..6]);
        for (_, offered) in pickup_dates(weekdays, today) {
            let posted = offered.format("%Y-%m-%d").to_string();
            assert_eq!(
                parse_pickup_date(&posted, "Gian", weekdays, today),
                Ok(offered)
            );
        }
    }

    #[test]
    fn pickup_dates_are_the_next_trading_day_of_each_weekday_from_today() {
        // Wednesday 25 November 2026.
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let date = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(
            pickup_dates(TradingDays::from_days(&[Weekday::Sun]), today),
            [(Weekday::Sun, date(29))]
        );
        let weekdays = TradingDays::from_days(&Weekday::ALL[..6]);
        let dates = pickup_dates(weekdays, today);
        assert_eq!(dates.len(), 6);
        assert_eq!(dates[0], (Weekday::Wed, date(25)), "today first");
        assert_eq!(
            dates[5],
            (Weekday::Tue, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
        );
        assert!(pickup_dates(TradingDays::from_days(&[]), today).is_empty());
    }
}
