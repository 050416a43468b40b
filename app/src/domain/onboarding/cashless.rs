//! The report's cashless share: for each segment and each stall, the sales of the report's
//! month up to its date, online and at the stall, cash included, tallied as the vendor's
//! dashboard tallies them ([`crate::domain::sales`]); and who confirmed each cashless payment,
//! so the province sees how much money the bank itself vouched for.
use super::{Facts, Segment, end_of_day};
use crate::domain::order::{OrderActor, PaymentMethod};
use crate::domain::sales::{PeriodSales, Sale, Tally};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

slug_enum! {
    /// Who confirmed that a cashless payment's money arrived.
    pub enum ConfirmedBy {
        /// The bank's own notification, through the stall's payOS or SePay service.
        Bank = "bank",
        /// By hand, on the word of someone who looked at the bank account: the vendor, or an
        /// administrator for them.
        Vendor = "vendor",
        /// A matched line of an imported bank statement.
        Statement = "statement",
        /// Stripe, the only one that sees card money.
        Stripe = "stripe",
    }
}

impl ConfirmedBy {
    /// Who confirmed an order paid by `method` whose move to paid `actor` made; `None` for a
    /// move no confirmation could make.
    pub fn of_order(method: PaymentMethod, actor: OrderActor) -> Option<ConfirmedBy> {
        use OrderActor as A;
        match (method, actor) {
            (PaymentMethod::Card, A::PaymentProvider) => Some(ConfirmedBy::Stripe),
            (PaymentMethod::VietQr, A::BankViaPayOs | A::BankViaSePay) => Some(ConfirmedBy::Bank),
            (PaymentMethod::VietQr, A::Vendor | A::Admin) => Some(ConfirmedBy::Vendor),
            // Transfers confirmed before statements had an actor of their own name the
            // payment provider: a statement confirmed them.
            (PaymentMethod::VietQr, A::Statement | A::PaymentProvider) => {
                Some(ConfirmedBy::Statement)
            }
            _ => None,
        }
    }
}

/// One recorded sale as the report reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordedSale {
    /// As the dashboard reads it: `kept` is whether its money is kept now.
    pub sale: Sale,
    /// When its money was confirmed: an order's move to paid, a counter sale's payment.
    pub paid_at: Option<DateTime<Utc>>,
    /// Who confirmed a cashless payment; `None` for cash, which nobody has to confirm.
    pub confirmed_by: Option<ConfirmedBy>,
}

impl RecordedSale {
    /// Whether it counts in the period from `from` until just before `to`: made then, paid
    /// before `to`, and its money still kept.
    fn counts(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        self.sale.kept
            && self.sale.made_at >= from
            && self.sale.made_at < to
            && self.paid_at.is_some_and(|at| at < to)
    }
}

/// How many of a period's cashless payments were confirmed each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Confirmations {
    /// VietQR transfers (online orders and at the stall) the bank reported through payOS or
    /// SePay.
    pub bank: u32,
    /// VietQR transfers the vendor (or an administrator) confirmed by hand.
    pub vendor: u32,
    /// VietQR transfers confirmed by an imported bank statement.
    pub statement: u32,
    /// Card payments, confirmed by Stripe.
    pub stripe: u32,
}

impl Confirmations {
    fn add(&mut self, by: ConfirmedBy) {
        let count = match by {
            ConfirmedBy::Bank => &mut self.bank,
            ConfirmedBy::Vendor => &mut self.vendor,
            ConfirmedBy::Statement => &mut self.statement,
            ConfirmedBy::Stripe => &mut self.stripe,
        };
        *count += 1;
    }
}

/// Sales from the first of the report's month to the end of its date, online and at the
/// stall: what was sold, what of it was paid cashless and what in cash.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthSales {
    /// Every sale whose money is kept.
    pub all: Tally,
    /// Paid by card or VietQR transfer.
    pub cashless: Tally,
    /// Paid in cash at the stall, as the vendor recorded it.
    pub cash: Tally,
    /// `cashless.value / all.value`, in percent with one decimal; `null` when nothing sold.
    pub cashless_share_percent: Option<f64>,
    /// Who confirmed the cashless payments counted here.
    pub confirmed: Confirmations,
}

impl MonthSales {
    fn of<'a>(sales: impl IntoIterator<Item = &'a RecordedSale>) -> MonthSales {
        let counted: Vec<&RecordedSale> = sales.into_iter().collect();
        let period = PeriodSales::of(counted.iter().map(|s| s.sale));
        let mut confirmed = Confirmations::default();
        for by in counted.iter().filter_map(|s| s.confirmed_by) {
            confirmed.add(by);
        }
        MonthSales {
            all: period.all,
            cashless: period.cashless,
            cash: period.cash,
            cashless_share_percent: period.cashless_share_tenths().map(|t| f64::from(t) / 10.0),
            confirmed,
        }
    }
}

/// One stall's line of the month's sales.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StallSales {
    /// The stall's slug, as `/api/v1/stalls` names it.
    pub stall: String,
    /// The registry ids of its entries in the report.
    pub external_ids: Vec<String>,
    pub sales: MonthSales,
}

/// The first day of `as_of`'s month, where the report's sales start.
pub fn month_start(as_of: NaiveDate) -> NaiveDate {
    as_of.with_day(1).unwrap_or(as_of)
}

/// The first instant of the report's month and the first after its date, in Lào Cai.
fn period(as_of: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let first = month_start(as_of);
    (
        end_of_day(first.pred_opt().unwrap_or(first)),
        end_of_day(as_of),
    )
}

impl Facts {
    /// The month's sales of the stalls of `segment`'s entries registered at the end of
    /// `as_of`, each stall once however many of its entries the segment holds.
    pub(super) fn segment_sales(&self, segment: &Segment, as_of: NaiveDate) -> MonthSales {
        let stalls = self.stalls_of(std::slice::from_ref(segment), as_of);
        self.month_sales(stalls.keys().copied(), as_of)
    }

    /// The month's sales of each stall of the `segments`' entries, by slug.
    pub(super) fn stall_sales(&self, segments: &[Segment], as_of: NaiveDate) -> Vec<StallSales> {
        let mut out: Vec<StallSales> = self
            .stalls_of(segments, as_of)
            .into_iter()
            .filter_map(|(id, external_ids)| {
                Some(StallSales {
                    stall: self.stalls.get(&id)?.slug.clone(),
                    external_ids,
                    sales: self.month_sales([id], as_of),
                })
            })
            .collect();
        out.sort_by(|a, b| a.stall.cmp(&b.stall));
        out
    }

    /// The stalls linked to entries of any of `segments` registered at the end of `as_of`,
    /// each with those entries' registry ids.
    fn stalls_of(&self, segments: &[Segment], as_of: NaiveDate) -> BTreeMap<i64, Vec<String>> {
        let mut stalls: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for (_, entry) in self
            .registered(end_of_day(as_of))
            .filter(|(_, e)| segments.iter().any(|s| s.holds(e)))
        {
            if let Some(id) = entry.stall_id {
                stalls
                    .entry(id)
                    .or_default()
                    .push(entry.external_id.clone());
            }
        }
        stalls
    }

    fn month_sales(&self, stalls: impl IntoIterator<Item = i64>, as_of: NaiveDate) -> MonthSales {
        let (from, to) = period(as_of);
        MonthSales::of(
            stalls
                .into_iter()
                .filter_map(|id| self.stalls.get(&id))
                .flat_map(|s| &s.sales)
                .filter(|s| s.counts(from, to)),
        )
    }
}

#[cfg(test)]
mod tests;
