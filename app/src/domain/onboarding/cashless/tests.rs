//! Two stalls' November, worked out by hand: every way to pay and to confirm, and the sales
//! that must not count (cancelled, paid after the report's date, made outside its month).
use super::*;
use crate::domain::market::{EntityType, Market};
use crate::domain::money::Dong;
use crate::domain::onboarding::{EntryFacts, Report, SegmentRow, StallHistory, Targets, vietnam};
use crate::domain::registry::RegistryKind;
use crate::domain::sales::{Channel, PaidBy};
use chrono::TimeZone;
use std::collections::HashMap;

/// An instant of 2026 in Lào Cai time.
fn at(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    vietnam()
        .with_ymd_and_hms(2026, m, d, h, min, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn entry(id: i64, external_id: &str, kind: RegistryKind, stall_id: i64) -> EntryFacts {
    EntryFacts {
        id,
        external_id: external_id.into(),
        name: external_id.into(),
        kind,
        market: (kind == RegistryKind::MarketVendor).then_some(Market::CocLeu),
        stall_no: None,
        entity_type: EntityType::Household,
        district: "Lào Cai".into(),
        phone: None,
        registered_at: at(1, 1, 9, 0),
        stall_id: Some(stall_id),
        ocop_products: vec![],
    }
}

/// A sale made at `made`, paid at `paid` (unless it is still kept unpaid), confirmed by `by`.
fn sale(
    made: DateTime<Utc>,
    paid: Option<DateTime<Utc>>,
    channel: Channel,
    paid_by: PaidBy,
    total: i64,
    by: Option<ConfirmedBy>,
) -> RecordedSale {
    RecordedSale {
        sale: Sale {
            made_at: made,
            kept: paid.is_some(),
            channel,
            paid_by,
            total: Dong::new(total),
        },
        paid_at: paid,
        confirmed_by: by,
    }
}

/// A day of November at `h`:00 in Lào Cai.
fn d(day: u32, h: u32) -> DateTime<Utc> {
    at(11, day, h, 0)
}

/// Stall 10's: a card order, a VietQR order the bank confirmed, one the vendor did, cash and
/// a transfer at the stall; then what must not count.
fn stall_ten() -> Vec<RecordedSale> {
    use ConfirmedBy::*;
    use PaidBy::{Card, Cash, Transfer};
    vec![
        sale(
            d(3, 9),
            Some(d(3, 9)),
            Channel::Online,
            Card,
            100_000,
            Some(Stripe),
        ),
        sale(
            d(4, 9),
            Some(d(4, 10)),
            Channel::Online,
            Transfer,
            50_000,
            Some(Bank),
        ),
        sale(
            d(5, 9),
            Some(d(6, 8)),
            Channel::Online,
            Transfer,
            30_000,
            Some(Vendor),
        ),
        sale(
            d(25, 7),
            Some(d(25, 7)),
            Channel::InPerson,
            Cash,
            20_000,
            None,
        ),
        sale(
            d(25, 8),
            Some(d(25, 8)),
            Channel::InPerson,
            Transfer,
            45_000,
            Some(Bank),
        ),
        // Cancelled: its money went back.
        RecordedSale {
            sale: Sale {
                kept: false,
                ..sale(d(6, 9), None, Channel::Online, Card, 70_000, None).sale
            },
            paid_at: Some(d(6, 9)),
            confirmed_by: Some(Stripe),
        },
        // Made on the report's day, confirmed the next morning: not yet paid as of the 25th.
        sale(
            d(25, 22),
            Some(d(26, 7)),
            Channel::Online,
            Transfer,
            9_000,
            Some(Vendor),
        ),
        // October in Lào Cai, though November in UTC…
        sale(
            at(10, 31, 23, 59),
            Some(d(1, 0)),
            Channel::InPerson,
            Cash,
            5_000,
            None,
        ),
        // …and after the report's day.
        sale(
            d(26, 0),
            Some(d(26, 0)),
            Channel::InPerson,
            Cash,
            8_000,
            None,
        ),
        // Waiting for its transfer.
        sale(d(20, 9), None, Channel::InPerson, Transfer, 12_000, None),
    ]
}

/// Stall 10 (entries CL-1 and OCOP-1, one stall) and stall 11 (CL-2): one transfer a
/// statement confirmed.
fn facts() -> Facts {
    let ten = stall_ten();
    let eleven = vec![sale(
        d(10, 9),
        Some(d(11, 9)),
        Channel::Online,
        PaidBy::Transfer,
        55_000,
        Some(ConfirmedBy::Statement),
    )];
    let history = |slug: &str, sales| StallHistory {
        slug: slug.into(),
        sales,
        ..Default::default()
    };
    Facts {
        entries: vec![
            entry(1, "CL-1", RegistryKind::MarketVendor, 10),
            entry(2, "CL-2", RegistryKind::MarketVendor, 11),
            entry(3, "OCOP-1", RegistryKind::OcopProducer, 10),
        ],
        stalls: HashMap::from([
            (10, history("ba-lan", ten)),
            (11, history("co-mai", eleven)),
        ]),
    }
}

fn report() -> Report {
    let facts = facts();
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    facts.report(as_of, &facts.segments(), &Targets::default())
}

fn row<'a>(report: &'a Report, key: &str) -> &'a SegmentRow {
    report.segments.iter().find(|r| r.segment == key).unwrap()
}

fn tally(value: i64, count: u32) -> Tally {
    Tally {
        value: Dong::new(value),
        count,
    }
}

#[test]
fn a_segment_counts_its_stalls_sales_of_the_month_to_the_report_date_cash_included() {
    let report = report();
    assert_eq!(
        report.sales_from,
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
    );
    // Stall 10: 100 000 card + 50 000 + 30 000 transfers online, 45 000 transfer and 20 000
    // cash at the stall; stall 11: 55 000 transfer.
    let coc_leu = &row(&report, "market:coc-leu").sales;
    assert_eq!(coc_leu.all, tally(300_000, 6));
    assert_eq!(coc_leu.cashless, tally(280_000, 5));
    assert_eq!(coc_leu.cash, tally(20_000, 1));
    assert_eq!(coc_leu.cashless_share_percent, Some(93.3), "280/300");
    assert_eq!(
        coc_leu.confirmed,
        Confirmations {
            bank: 2,
            vendor: 1,
            statement: 1,
            stripe: 1
        }
    );
    // OCOP-1 shares stall 10: its sales alone, 225 000 of 245 000 cashless.
    let ocop = &row(&report, "ocop").sales;
    assert_eq!(ocop.all, tally(245_000, 5));
    assert_eq!(ocop.cashless_share_percent, Some(91.8));
    // The province counts stall 10 once, though two of its entries hold it.
    assert_eq!(row(&report, "province").sales, *coc_leu);
}

#[test]
fn a_segment_without_sales_has_no_share_rather_than_zero() {
    let report = report();
    let sa_pa = &row(&report, "market:sa-pa").sales;
    assert_eq!(*sa_pa, MonthSales::default());
    assert_eq!(sa_pa.cashless_share_percent, None);
}

#[test]
fn each_stall_has_its_own_line_with_its_registry_ids() {
    let report = report();
    let lines: Vec<(&str, &[String], u32)> = report
        .stalls
        .iter()
        .map(|s| (s.stall.as_str(), &s.external_ids[..], s.sales.all.count))
        .collect();
    let ids = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(lines[0], ("ba-lan", &ids(&["CL-1", "OCOP-1"])[..], 5));
    assert_eq!(lines[1], ("co-mai", &ids(&["CL-2"])[..], 1));
    assert_eq!(report.stalls[1].sales.cashless_share_percent, Some(100.0));
    // A market's own report lists its stalls only.
    let facts = facts();
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let ocop_only = facts.report(as_of, &[Segment::Ocop], &Targets::default());
    assert_eq!(ocop_only.stalls.len(), 1);
    assert_eq!(ocop_only.stalls[0].external_ids, ids(&["OCOP-1"]));
}

#[test]
fn a_later_date_counts_what_was_paid_since_and_a_new_month_starts_afresh() {
    let facts = facts();
    let segments = [Segment::Province];
    let on = |d: u32, m: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let next_day = facts.report(on(26, 11), &segments, &Targets::default());
    let sales = &next_day.segments[0].sales;
    // The order of the 25th paid on the 26th, and the cash sale of the 26th.
    assert_eq!(sales.all, tally(317_000, 8));
    assert_eq!(sales.confirmed.vendor, 2);
    let december = facts.report(on(1, 12), &segments, &Targets::default());
    assert_eq!(december.segments[0].sales, MonthSales::default());
    assert_eq!(december.sales_from, on(1, 12));
}

#[test]
fn who_confirmed_an_order_follows_the_actor_of_its_move_to_paid() {
    use ConfirmedBy as C;
    use OrderActor as A;
    use PaymentMethod::{Card, VietQr};
    let by = |method, actor| ConfirmedBy::of_order(method, actor);
    assert_eq!(by(Card, A::PaymentProvider), Some(C::Stripe));
    assert_eq!(by(VietQr, A::BankViaPayOs), Some(C::Bank));
    assert_eq!(by(VietQr, A::BankViaSePay), Some(C::Bank));
    assert_eq!(by(VietQr, A::Vendor), Some(C::Vendor));
    assert_eq!(by(VietQr, A::Admin), Some(C::Vendor));
    assert_eq!(by(VietQr, A::Statement), Some(C::Statement));
    assert_eq!(
        by(VietQr, A::PaymentProvider),
        Some(C::Statement),
        "older records"
    );
    assert_eq!(by(VietQr, A::Shopper), None);
    assert_eq!(by(Card, A::Vendor), None);
}
