//! A stall's sales at a glance: for today and this month in Lào Cai, what was sold online and
//! at the stall, and how much of it was paid cashless, by value and by count.
//!
//! What "cashless" means here. Online, the checkout offers a card (Stripe) and a VietQR bank
//! transfer, both cashless. At the stall, the vendor records each sale (*Thu tiền*): a VietQR
//! transfer the bank confirms, or cash (*Tiền mặt*). So the share is measured against
//! everything recorded, cash included, and a stall that sells mostly for cash shows it. Cash
//! sold over the counter without being recorded is never known, and the dashboard does not
//! pretend to know it.
use super::money::Dong;
use chrono::{DateTime, Datelike, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

slug_enum! {
    /// Where a sale was made.
    pub enum Channel {
        /// An order placed on the site.
        Online = "online",
        /// At the stall itself, recorded by the vendor.
        InPerson = "in_person",
    }
}

slug_enum! {
    /// How a sale's money came.
    pub enum PaidBy {
        Card = "card",
        Transfer = "transfer",
        Cash = "cash",
    }
}

/// Whether money paid this way is cashless. Spelt out per way, so that a new way to pay has
/// to say.
pub fn is_cashless(by: PaidBy) -> bool {
    match by {
        PaidBy::Card | PaidBy::Transfer => true,
        PaidBy::Cash => false,
    }
}

/// One sale as the tally reads it: an order, or a sale at the stall.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sale {
    /// When it was made: a sale counts on the day it was made.
    pub made_at: DateTime<Utc>,
    /// Whether its money is kept: an order paid and neither cancelled nor expired, a counter
    /// sale paid. Anything else is no sale (yet).
    pub kept: bool,
    pub channel: Channel,
    pub paid_by: PaidBy,
    pub total: Dong,
}

/// A sum of sales and how many made it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Tally {
    /// Whole đồng.
    #[cfg_attr(feature = "ssr", schema(value_type = i64))]
    pub value: Dong,
    /// How many sales.
    pub count: u32,
}

impl Tally {
    fn add(&mut self, value: Dong) {
        self.value = [self.value, value].into_iter().sum();
        self.count += 1;
    }
}

/// The sales of one period, in whole đồng and in number of sales.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodSales {
    /// Every sale whose money was kept.
    pub all: Tally,
    pub online: Tally,
    pub in_person: Tally,
    /// The part of `all` paid cashless ([`is_cashless`]).
    pub cashless: Tally,
    pub cash: Tally,
    pub card: Tally,
    pub transfer: Tally,
}

impl PeriodSales {
    /// The tally of `sales` whose money is kept, whatever their dates: the caller chose the
    /// period.
    pub fn of(sales: impl IntoIterator<Item = Sale>) -> PeriodSales {
        let mut period = PeriodSales::default();
        for sale in sales.into_iter().filter(|s| s.kept) {
            period.add(&sale);
        }
        period
    }

    fn add(&mut self, sale: &Sale) {
        let total = sale.total;
        self.all.add(total);
        match sale.channel {
            Channel::Online => self.online.add(total),
            Channel::InPerson => self.in_person.add(total),
        }
        match sale.paid_by {
            PaidBy::Card => self.card.add(total),
            PaidBy::Transfer => self.transfer.add(total),
            PaidBy::Cash => self.cash.add(total),
        }
        if is_cashless(sale.paid_by) {
            self.cashless.add(total);
        }
    }

    /// `part` of the period's sales by value, in tenths of a percent, rounded half up;
    /// `None` when nothing was sold, since a share of nothing is no share at all.
    pub fn share_tenths(&self, part: Dong) -> Option<u32> {
        let whole = i128::from(self.all.value.amount());
        if whole <= 0 {
            return None;
        }
        let tenths = (i128::from(part.amount()) * 2000 + whole) / (2 * whole);
        u32::try_from(tenths).ok()
    }

    /// The share of the period's sales, by value, paid cashless, in tenths of a percent.
    pub fn cashless_share_tenths(&self) -> Option<u32> {
        self.share_tenths(self.cashless.value)
    }
}

/// Today's and this month's sales.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesSummary {
    pub today: PeriodSales,
    pub this_month: PeriodSales,
}

/// Tallies `sales` into today's and this month's as the clock reads `now` in `zone` (Lào Cai's,
/// [`super::onboarding::vietnam`], whatever the server's own zone). A sale counts while its
/// money is kept: a cancelled or expired order is no sale, and a waiting one not yet.
pub fn summarise(
    sales: impl IntoIterator<Item = Sale>,
    now: DateTime<Utc>,
    zone: FixedOffset,
) -> SalesSummary {
    let now = now.with_timezone(&zone);
    let mut summary = SalesSummary::default();
    for sale in sales.into_iter().filter(|s| s.kept) {
        let at = sale.made_at.with_timezone(&zone);
        if (at.year(), at.month()) == (now.year(), now.month()) {
            summary.this_month.add(&sale);
            if at.date_naive() == now.date_naive() {
                summary.today.add(&sale);
            }
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use Channel::{InPerson, Online};
    use PaidBy::{Card, Cash, Transfer};
    use chrono::TimeZone;

    fn vn() -> FixedOffset {
        FixedOffset::east_opt(7 * 3600).unwrap()
    }

    /// A kept sale made on `day` at `hour`:00 of November 2026, Lào Cai time.
    fn sale(day: u32, hour: u32, channel: Channel, paid_by: PaidBy, total: i64) -> Sale {
        Sale {
            made_at: vn()
                .with_ymd_and_hms(2026, 11, day, hour, 0, 0)
                .unwrap()
                .with_timezone(&Utc),
            kept: true,
            channel,
            paid_by,
            total: Dong::new(total),
        }
    }

    fn now() -> DateTime<Utc> {
        // 25 November, 06:30 in Lào Cai: still 24 November in UTC.
        vn().with_ymd_and_hms(2026, 11, 25, 6, 30, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn tally(value: i64, count: u32) -> Tally {
        Tally {
            value: Dong::new(value),
            count,
        }
    }

    #[test]
    fn today_and_this_month_are_lao_cai_days_and_count_only_money_kept() {
        let summary = summarise(
            [
                sale(25, 1, Online, Card, 100_000), // today, though 24 Nov in UTC
                sale(25, 2, Online, Transfer, 50_000),
                Sale {
                    kept: false, // cancelled, expired or still waiting: no sale
                    ..sale(25, 3, Online, Card, 70_000)
                },
                sale(24, 23, Online, Transfer, 20_000), // yesterday, this month
                sale(1, 0, Online, Card, 5_000),
                Sale {
                    made_at: vn()
                        .with_ymd_and_hms(2026, 10, 31, 23, 59, 0)
                        .unwrap()
                        .with_timezone(&Utc),
                    ..sale(1, 0, Online, Card, 999_000)
                }, // last month in Lào Cai, though November in no zone
            ],
            now(),
            vn(),
        );
        assert_eq!(summary.today.all, tally(150_000, 2));
        assert_eq!(summary.today.card, tally(100_000, 1));
        assert_eq!(summary.today.transfer, tally(50_000, 1));
        assert_eq!(summary.today.cashless, tally(150_000, 2));
        assert_eq!(summary.this_month.all, tally(175_000, 4));
        assert_eq!(summary.this_month.card, tally(105_000, 2));
        assert_eq!(summary.this_month.transfer, tally(70_000, 2));
    }

    #[test]
    fn cash_at_the_stall_lowers_the_cashless_share() {
        let summary = summarise(
            [
                sale(25, 1, Online, Card, 100_000),
                sale(25, 2, InPerson, Transfer, 45_000),
                sale(25, 3, InPerson, Cash, 55_000),
            ],
            now(),
            vn(),
        );
        let today = summary.today;
        assert_eq!(today.online, tally(100_000, 1));
        assert_eq!(today.in_person, tally(100_000, 2));
        assert_eq!(today.cash, tally(55_000, 1));
        assert_eq!(today.cashless, tally(145_000, 2));
        assert_eq!(today.cashless_share_tenths(), Some(725));
        assert_eq!(today.share_tenths(today.cash.value), Some(275));
        let nothing = summarise([], now(), vn());
        assert_eq!(nothing.today.cashless_share_tenths(), None);
    }

    #[test]
    fn a_share_rounds_half_up_to_a_tenth_of_a_percent_against_all_sales() {
        let period = PeriodSales {
            all: tally(3_000, 3),
            cashless: tally(2_000, 2),
            ..Default::default()
        };
        assert_eq!(period.cashless_share_tenths(), Some(667), "66.66… %");
        assert_eq!(period.share_tenths(Dong::new(1_000)), Some(333));
        let half = PeriodSales {
            all: tally(2_000, 1),
            ..Default::default()
        };
        assert_eq!(half.share_tenths(Dong::new(1)), Some(1), "0.05 % rounds up");
    }

    #[test]
    fn only_cash_is_not_cashless() {
        assert!(is_cashless(Card) && is_cashless(Transfer) && !is_cashless(Cash));
    }
}
