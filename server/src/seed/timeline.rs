//! When each step of the demo's past happens: days counted back from the day the seed runs,
//! so the demo is always "the last eight months", whatever day `make run` is first started.
use app::domain::onboarding::vietnam;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::Deserialize;

/// How many days before the seed runs each part of the demo's past happens: the staff accounts,
/// the registry's import, the tourist's account, and the first and last demo vendor's start.
pub(super) const STAFF_DAYS_AGO: i64 = 250;
pub(super) const REGISTRY_DAYS_AGO: i64 = 240;
pub(super) const SHOPPER_DAYS_AGO: i64 = 200;
pub(super) const FIRST_DEMO_VENDOR_DAYS_AGO: i64 = 226;
pub(super) const DEMO_VENDORS_DAYS_APART: i64 = 11;

/// How far a later vendor got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Outcome {
    /// Approved, listed and paid cashless: onboarded.
    Onboarded,
    /// Submitted and listed, but no bank account or cards yet: the market board can't
    /// approve it until it can be paid, so it waits.
    NoPayment,
    /// Submitted, still waiting for the market board.
    AwaitingApproval,
    /// Onboarded, then took its only product down.
    HiddenLater,
    /// Onboarded, then suspended by the administrators.
    SuspendedLater,
}

impl Outcome {
    /// Whether the market board approved the stall: never one that can't be paid.
    pub(super) fn approved(self) -> bool {
        self.pays()
    }

    pub(super) fn pays(self) -> bool {
        matches!(
            self,
            Outcome::Onboarded | Outcome::HiddenLater | Outcome::SuspendedLater
        )
    }

    pub(super) fn loses_a_stage(self) -> bool {
        matches!(self, Outcome::HiddenLater | Outcome::SuspendedLater)
    }
}

/// Days counted back from the day the seed runs, at a time of day in Lào Cai.
#[derive(Clone, Copy)]
pub(super) struct Calendar {
    pub(super) today: NaiveDate,
}

impl Calendar {
    pub(super) fn new(now: DateTime<Utc>) -> Calendar {
        Calendar {
            today: app::domain::onboarding::local_date(now),
        }
    }

    /// `days_ago` days before today at `hour`:`minute` in Lào Cai.
    pub(super) fn at(&self, days_ago: i64, hour: u32, minute: u32) -> DateTime<Utc> {
        let day = self.today - Duration::days(days_ago);
        let local = day
            .and_hms_opt(hour, minute, 0)
            .expect("the seed's hours and minutes are in range");
        vietnam()
            .from_local_datetime(&local)
            .single()
            .expect("a fixed offset has no gaps")
            .with_timezone(&Utc)
    }
}

/// When a demo vendor took each step (a stall that was never approved skips the later ones).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct DemoDates {
    pub(super) opened: DateTime<Utc>,
    pub(super) linked: DateTime<Utc>,
    pub(super) submitted: DateTime<Utc>,
    pub(super) approved: DateTime<Utc>,
    /// The first product's; each further one an hour later.
    pub(super) products: DateTime<Utc>,
    pub(super) payments: DateTime<Utc>,
}

/// The demo vendors come on board one every [`DEMO_VENDORS_DAYS_APART`] days from seven months
/// ago, each over two or three weeks.
pub(super) fn demo_dates(cal: &Calendar, index: usize, approved: bool) -> DemoDates {
    let i = index as i64;
    let day = FIRST_DEMO_VENDOR_DAYS_AGO - DEMO_VENDORS_DAYS_APART * i;
    let approved_day = day - 3 - i % 3;
    DemoDates {
        opened: cal.at(day, 8, 10),
        linked: cal.at(day, 14, 0),
        submitted: cal.at(day - 1, 9, 30),
        approved: cal.at(approved_day, 15, 0),
        products: if approved {
            cal.at(approved_day - 1, 9, 0)
        } else {
            cal.at(day - 2, 9, 0)
        },
        payments: cal.at(approved_day - 5 - 3 * (i % 4), 16, 20),
    }
}

/// When a later vendor took each step, and when an onboarded one lost a stage again.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct LaterDates {
    pub(super) opened: DateTime<Utc>,
    pub(super) linked: DateTime<Utc>,
    pub(super) submitted: DateTime<Utc>,
    pub(super) approved: Option<DateTime<Utc>>,
    pub(super) products: DateTime<Utc>,
    pub(super) payments: Option<DateTime<Utc>>,
    pub(super) lost: Option<DateTime<Utc>>,
}

/// How many days ago the `j`-th of `n` later vendors opened their account: from about six
/// months ago to three weeks ago, closer together as word spreads.
pub(super) fn opening_day(j: usize, n: usize) -> i64 {
    let x = (j as f64 + 0.5) / n as f64;
    20 + (190.0 * (1.0 - x.sqrt())).round() as i64
}

/// Plans the later vendors' steps. A vendor who loses a stage loses it at the very moment a
/// later one becomes onboarded, so the number onboarded never drops on any date: the report's
/// trend shows the churn without a dip.
pub(super) fn later_dates(cal: &Calendar, outcomes: &[Outcome]) -> Vec<LaterDates> {
    let n = outcomes.len();
    let mut plans: Vec<LaterDates> = outcomes
        .iter()
        .enumerate()
        .map(|(j, outcome)| {
            let day = opening_day(j, n);
            let k = j as i64;
            let approved_day = day - 2 - k % 3;
            LaterDates {
                opened: cal.at(day, 8 + (k % 4) as u32, 0),
                linked: cal.at(day, 14, 30),
                submitted: cal.at(day - 1, 9, 0),
                approved: outcome.approved().then(|| cal.at(approved_day, 15, 0)),
                products: if outcome.approved() {
                    cal.at(approved_day - 1, 10, 0)
                } else {
                    cal.at(day - 1, 11, 0)
                },
                payments: outcome
                    .pays()
                    .then(|| cal.at(approved_day - 3 - 2 * (k % 4), 16, (k % 6) as u32 * 10)),
                lost: None,
            }
        })
        .collect();
    let mut taken = vec![false; n];
    for j in 0..n {
        if !outcomes[j].loses_a_stage() {
            continue;
        }
        let Some(own) = plans[j].payments else {
            continue;
        };
        let partner = (j + 1..n).find(|&k| {
            outcomes[k] == Outcome::Onboarded
                && !taken[k]
                && plans[k]
                    .payments
                    .is_some_and(|at| at > own + Duration::days(10))
        });
        plans[j].lost = match partner {
            Some(k) => {
                taken[k] = true;
                plans[k].payments
            }
            None => Some(own + Duration::days(10)),
        };
    }
    plans
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[derive(serde::Deserialize)]
    struct Onboarding {
        vendors: Vec<Vendor>,
    }

    #[derive(serde::Deserialize)]
    struct Vendor {
        outcome: Outcome,
    }

    fn outcomes() -> Vec<Outcome> {
        let later: Onboarding = serde_json::from_str(include_str!("onboarding.json")).unwrap();
        later.vendors.iter().map(|v| v.outcome).collect()
    }

    #[test]
    fn every_planned_step_is_in_the_past_and_in_order() {
        let now = Utc::now();
        let cal = Calendar::new(now);
        let registry = cal.at(REGISTRY_DAYS_AGO, 9, 0);
        for (i, approved) in [(0, true), (3, false), (13, true)] {
            let d = demo_dates(&cal, i, approved);
            assert!(registry < d.opened && d.opened < d.linked && d.linked < d.submitted);
            assert!(d.submitted < d.approved && d.submitted < d.products);
            assert!(!approved || (d.approved < d.products && d.products < d.payments));
            assert!(d.payments < now);
        }
        let outcomes = outcomes();
        for (plan, outcome) in later_dates(&cal, &outcomes).iter().zip(&outcomes) {
            assert!(registry < plan.opened && plan.opened < plan.linked);
            assert!(plan.linked < plan.submitted && plan.submitted < plan.products);
            assert_eq!(plan.approved.is_some(), outcome.approved());
            assert!(
                plan.approved
                    .is_none_or(|at| plan.submitted < at && at < plan.products)
            );
            assert_eq!(plan.payments.is_some(), outcome.pays());
            assert!(
                plan.payments
                    .is_none_or(|at| plan.products < at && at < now)
            );
            assert_eq!(plan.lost.is_some(), outcome.loses_a_stage());
            assert!(
                plan.lost
                    .is_none_or(|at| plan.payments < Some(at) && at < now)
            );
        }
    }

    #[test]
    fn a_vendor_loses_a_stage_just_as_another_is_onboarded() {
        let cal = Calendar::new(Utc::now());
        let outcomes = outcomes();
        let plans = later_dates(&cal, &outcomes);
        let mut partners = HashSet::new();
        for plan in plans.iter().filter(|p| p.lost.is_some()) {
            let partner = plans
                .iter()
                .zip(&outcomes)
                .position(|(p, o)| *o == Outcome::Onboarded && p.payments == plan.lost);
            assert!(partner.is_some_and(|k| partners.insert(k)), "{plan:?}");
        }
        assert!(!partners.is_empty());
    }
}
