//! A stall's sales at a glance: for today and this month in Lào Cai, what was sold and how
//! much of it was paid cashless.
//!
//! What "cashless" means here. The checkout offers two ways to pay, a card (Stripe) and a
//! VietQR bank transfer, and nothing else: there is no cash order. A vendor's "money received"
//! confirms that a transfer order's money arrived in the stall's account, and the onboarding
//! report counts exactly these paid orders as the stall's cashless payments; the dashboard must
//! agree with it. So every sale recorded here is cashless by construction and the share is
//! 100 % whenever the stall sold anything. It is still computed, against *all* the period's
//! sales rather than against the cashless ones, and per method through [`is_cashless`], so
//! that a way of settling in cash (at the stall, on delivery) lowers it the day one is
//! recorded, without the dashboard changing. Cash sold over the counter without an order is
//! never recorded, and the dashboard does not pretend to know it.
use super::money::Dong;
use super::order::{OrderStatus, PaymentMethod};
use chrono::{DateTime, Datelike, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

/// Whether money paid by `method` is cashless. Spelt out per method, so that a new way to pay
/// has to say.
pub fn is_cashless(method: PaymentMethod) -> bool {
    match method {
        PaymentMethod::Card | PaymentMethod::VietQr => true,
    }
}

/// One order as the tally reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sale {
    /// When the order was placed: a sale counts on the day it was made.
    pub placed_at: DateTime<Utc>,
    pub status: OrderStatus,
    pub method: PaymentMethod,
    pub total: Dong,
}

/// The sales of one period, in whole đồng.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodSales {
    /// Every paid order that kept its money (see [`OrderStatus::is_paid`]).
    pub sales: Dong,
    /// The part of `sales` paid by card.
    pub card: Dong,
    /// The part of `sales` paid by VietQR transfer.
    pub transfer: Dong,
    /// The part of `sales` paid cashless ([`is_cashless`]).
    pub cashless: Dong,
}

impl PeriodSales {
    fn add(&mut self, sale: &Sale) {
        let plus = |sum: Dong| [sum, sale.total].into_iter().sum();
        self.sales = plus(self.sales);
        match sale.method {
            PaymentMethod::Card => self.card = plus(self.card),
            PaymentMethod::VietQr => self.transfer = plus(self.transfer),
        }
        if is_cashless(sale.method) {
            self.cashless = plus(self.cashless);
        }
    }

    /// `part` of the period's sales in tenths of a percent, rounded half up; `None` when
    /// nothing was sold, since a share of nothing is no share at all.
    pub fn share_tenths(&self, part: Dong) -> Option<u32> {
        let whole = i128::from(self.sales.amount());
        if whole <= 0 {
            return None;
        }
        let tenths = (i128::from(part.amount()) * 2000 + whole) / (2 * whole);
        u32::try_from(tenths).ok()
    }

    /// The share of the period's sales paid cashless, in tenths of a percent.
    pub fn cashless_share_tenths(&self) -> Option<u32> {
        self.share_tenths(self.cashless)
    }
}

/// Today's and this month's sales.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesSummary {
    pub today: PeriodSales,
    pub this_month: PeriodSales,
}

/// Tallies `sales` into today's and this month's as the clock reads `now` in `zone` (Lào Cai's,
/// [`super::onboarding::vietnam`], whatever the server's own zone). An order counts while its
/// money is kept: a cancelled or expired order is no sale, and a waiting one not yet.
pub fn summarise(
    sales: impl IntoIterator<Item = Sale>,
    now: DateTime<Utc>,
    zone: FixedOffset,
) -> SalesSummary {
    let now = now.with_timezone(&zone);
    let mut summary = SalesSummary::default();
    for sale in sales.into_iter().filter(|s| s.status.is_paid()) {
        let at = sale.placed_at.with_timezone(&zone);
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
    use OrderStatus as S;
    use PaymentMethod as P;
    use chrono::TimeZone;

    fn vn() -> FixedOffset {
        FixedOffset::east_opt(7 * 3600).unwrap()
    }

    /// A sale placed at `day`/`hour`:`minute` of November 2026, Lào Cai time.
    fn sale(day: u32, hour: u32, status: OrderStatus, method: PaymentMethod, total: i64) -> Sale {
        Sale {
            placed_at: vn()
                .with_ymd_and_hms(2026, 11, day, hour, 0, 0)
                .unwrap()
                .with_timezone(&Utc),
            status,
            method,
            total: Dong::new(total),
        }
    }

    fn now() -> DateTime<Utc> {
        // 25 November, 06:30 in Lào Cai: still 24 November in UTC.
        vn().with_ymd_and_hms(2026, 11, 25, 6, 30, 0)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn today_and_this_month_are_lao_cai_days_and_count_only_money_kept() {
        let summary = summarise(
            [
                sale(25, 1, S::Paid, P::Card, 100_000), // today, though 24 Nov in UTC
                sale(25, 2, S::Completed, P::VietQr, 50_000),
                sale(25, 3, S::Cancelled, P::Card, 70_000), // refunded: no sale
                sale(25, 4, S::AwaitingTransfer, P::VietQr, 30_000), // not paid yet
                sale(24, 23, S::Accepted, P::VietQr, 20_000), // yesterday, this month
                sale(1, 0, S::ReadyForPickup, P::Card, 5_000),
                Sale {
                    placed_at: vn()
                        .with_ymd_and_hms(2026, 10, 31, 23, 59, 0)
                        .unwrap()
                        .with_timezone(&Utc),
                    ..sale(1, 0, S::Completed, P::Card, 999_000)
                }, // last month in Lào Cai, though November in no zone
            ],
            now(),
            vn(),
        );
        assert_eq!(
            summary.today,
            PeriodSales {
                sales: Dong::new(150_000),
                card: Dong::new(100_000),
                transfer: Dong::new(50_000),
                cashless: Dong::new(150_000),
            }
        );
        assert_eq!(summary.this_month.sales, Dong::new(175_000));
        assert_eq!(summary.this_month.card, Dong::new(105_000));
        assert_eq!(summary.this_month.transfer, Dong::new(70_000));
    }

    #[test]
    fn every_way_an_order_is_paid_is_cashless_so_the_share_is_whole_or_none() {
        assert!(P::ALL.into_iter().all(is_cashless));
        let summary = summarise(
            [
                sale(25, 1, S::Paid, P::Card, 100_000),
                sale(25, 2, S::Paid, P::VietQr, 300_000),
            ],
            now(),
            vn(),
        );
        assert_eq!(summary.today.cashless_share_tenths(), Some(1000));
        assert_eq!(summary.today.share_tenths(summary.today.card), Some(250));
        let nothing = summarise([], now(), vn());
        assert_eq!(nothing.today.cashless_share_tenths(), None);
    }

    #[test]
    fn a_share_rounds_half_up_to_a_tenth_of_a_percent_against_all_sales() {
        let period = PeriodSales {
            sales: Dong::new(3_000),
            cashless: Dong::new(2_000),
            ..Default::default()
        };
        assert_eq!(period.cashless_share_tenths(), Some(667), "66.66… %");
        assert_eq!(period.share_tenths(Dong::new(1_000)), Some(333));
        let half = PeriodSales {
            sales: Dong::new(2_000),
            ..Default::default()
        };
        assert_eq!(half.share_tenths(Dong::new(1)), Some(1), "0.05 % rounds up");
    }
}
