//! A small registry whose numbers are worked out by hand below.
// The fixture lists its whole registry in one place, so the hand-worked numbers can be checked
// against it line by line.
#![allow(clippy::too_many_lines)]
use super::*;
use crate::domain::invalid::Invalid;

/// An instant in Lào Cai time.
fn at(m: u32, d: u32, h: u32) -> DateTime<Utc> {
    vietnam()
        .with_ymd_and_hms(2026, m, d, h, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn span(from: DateTime<Utc>, to: Option<DateTime<Utc>>) -> Span {
    Span {
        start: from,
        end: to,
    }
}

#[allow(clippy::too_many_arguments)]
fn entry(
    id: i64,
    external_id: &str,
    kind: RegistryKind,
    market: Option<Market>,
    entity_type: EntityType,
    district: &str,
    phone: Option<&str>,
    stall_id: Option<i64>,
    products: &[&str],
) -> EntryFacts {
    EntryFacts {
        id,
        external_id: external_id.into(),
        name: format!("Chủ thể {external_id}"),
        kind,
        market,
        stall_no: None,
        entity_type,
        district: district.into(),
        phone: phone.map(str::to_string),
        registered_at: at(1, 1, 9),
        stall_id,
        ocop_products: products.iter().map(|p| p.to_string()).collect(),
    }
}

fn stall(
    approved: Vec<Span>,
    epayment: Vec<Span>,
    products: Vec<(&str, Vec<Span>)>,
    payments: Vec<DateTime<Utc>>,
) -> StallHistory {
    StallHistory {
        owner_since: Some(at(2, 15, 8)),
        approved,
        epayment_ready: epayment,
        products: products
            .into_iter()
            .map(|(name, published)| ProductHistory {
                name: name.into(),
                published,
            })
            .collect(),
        payments,
        ..Default::default()
    }
}

/// Six entries, five entities:
/// 1. CL-1, Cốc Lếu household, stall 10: approved 10/3, product 12/3, VietQR 15/3; paid 20/4.
/// 2. CL-2, Cốc Lếu business, stall 11: approved 1/3, product 2/3, VietQR 3/3, suspended 20/5.
/// 3. CL-3, Cốc Lếu household, no stall.
/// 4. BH-1, Bắc Hà household, phone shared with 5, stall 12: approved 1/4, its only product
///    published 2/4 and hidden 1/6, card payments from 3/4.
/// 5. OCOP-1, cooperative in Bắc Hà, same phone as BH-1 (one entity), stall 12; registers
///    "Mận tam hoa" (listed by stall 12) and "Rượu mận" (not listed).
/// 6. OCOP-2, business in Bát Xát, stall 13: approved 1/2, "Miến dong Bát Xát" published, but
///    no payment account ever.
fn fixture() -> Facts {
    use EntityType::*;
    use RegistryKind::*;
    let entries = vec![
        entry(
            1,
            "CL-1",
            MarketVendor,
            Some(Market::CocLeu),
            Household,
            "Lào Cai",
            Some("+84912000001"),
            Some(10),
            &[],
        ),
        entry(
            2,
            "CL-2",
            MarketVendor,
            Some(Market::CocLeu),
            Business,
            "Lào Cai",
            Some("+84912000002"),
            Some(11),
            &[],
        ),
        entry(
            3,
            "CL-3",
            MarketVendor,
            Some(Market::CocLeu),
            Household,
            "Lào Cai",
            None,
            None,
            &[],
        ),
        entry(
            4,
            "BH-1",
            MarketVendor,
            Some(Market::BacHa),
            Household,
            "Bắc Hà",
            Some("+84912000004"),
            Some(12),
            &[],
        ),
        entry(
            5,
            "OCOP-1",
            OcopProducer,
            None,
            Cooperative,
            "Bắc Hà",
            Some("+84912000004"),
            Some(12),
            &["Mận tam hoa", "Rượu mận"],
        ),
        entry(
            6,
            "OCOP-2",
            OcopProducer,
            None,
            Business,
            "Bát Xát",
            Some("+84912000006"),
            Some(13),
            &["Miến dong Bát Xát"],
        ),
    ];
    let stalls = HashMap::from([
        (
            10,
            stall(
                vec![span(at(3, 10, 9), None)],
                vec![span(at(3, 15, 9), None)],
                vec![("Thịt trâu gác bếp", vec![span(at(3, 12, 9), None)])],
                vec![at(4, 20, 15)],
            ),
        ),
        (
            11,
            stall(
                vec![span(at(3, 1, 9), Some(at(5, 20, 10)))],
                vec![span(at(3, 3, 9), None)],
                vec![("Gạo Séng Cù", vec![span(at(3, 2, 9), None)])],
                vec![],
            ),
        ),
        (
            12,
            stall(
                vec![span(at(4, 1, 9), None)],
                vec![span(at(4, 3, 9), None)],
                vec![(
                    "Mận tam hoa Bắc Hà",
                    vec![span(at(4, 2, 9), Some(at(6, 1, 8)))],
                )],
                vec![],
            ),
        ),
        (
            13,
            stall(
                vec![span(at(2, 1, 9), None)],
                vec![],
                vec![("Miến dong Bát Xát", vec![span(at(2, 2, 9), None)])],
                vec![],
            ),
        ),
    ]);
    Facts { entries, stalls }
}

fn row<'a>(report: &'a Report, key: &str) -> &'a SegmentRow {
    report
        .segments
        .iter()
        .find(|r| r.segment == key)
        .unwrap_or_else(|| panic!("no segment {key}"))
}

fn onboarded(facts: &Facts, date: NaiveDate, key: &str) -> u32 {
    let segment = Segment::parse(key).unwrap();
    row(&facts.report(date, &[segment], &Targets::default()), key).onboarded
}

#[test]
fn the_report_at_the_end_of_april_matches_the_hand_count() {
    let facts = fixture();
    let report = facts.report(day(4, 30), &facts.segments(), &Targets::default());
    // Cốc Lếu: CL-1, CL-2 and CL-3; the first two have every stage, CL-1 was paid on 20/4.
    let cl = row(&report, "market:coc-leu");
    assert_eq!(
        (
            cl.registered,
            cl.account,
            cl.stall_approved,
            cl.listed,
            cl.epayment_ready,
            cl.onboarded,
            cl.transacting
        ),
        (3, 2, 2, 2, 2, 2, 1)
    );
    // 2 of 3 is 66.7 %; half of 3 rounds up to 2 entities, which are there: no gap.
    assert_eq!(
        (cl.share_percent, cl.target_percent, cl.gap),
        (66.7, 50.0, 0)
    );
    let bh = row(&report, "market:bac-ha");
    assert_eq!(
        (bh.registered, bh.onboarded, bh.share_percent),
        (1, 1, 100.0)
    );
    let sp = row(&report, "market:sa-pa");
    assert_eq!(
        (sp.registered, sp.onboarded, sp.share_percent, sp.gap),
        (0, 0, 0.0, 0)
    );
    // OCOP: OCOP-1 (onboarded through stall 12) and OCOP-2 (no payment account).
    let ocop = row(&report, "ocop");
    assert_eq!(
        (
            ocop.registered,
            ocop.listed,
            ocop.epayment_ready,
            ocop.onboarded
        ),
        (2, 2, 1, 1)
    );
    // Households: CL-1, CL-3 and BH-1 (OCOP-1, its other row, is a cooperative).
    let household = row(&report, "entity_type:household");
    assert_eq!((household.registered, household.onboarded), (3, 2));
    assert_eq!(row(&report, "entity_type:cooperative").onboarded, 1);
    let business = row(&report, "entity_type:business");
    assert_eq!((business.registered, business.onboarded), (2, 1));
    // Bắc Hà district holds BH-1 and OCOP-1: one entity by their shared phone.
    let bac_ha = row(&report, "district:Bắc Hà");
    assert_eq!((bac_ha.registered, bac_ha.onboarded), (1, 1));
    assert_eq!(row(&report, "district:Bát Xát").onboarded, 0);
    // The province: five entities (BH-1 and OCOP-1 once), three onboarded: 60.0 %.
    let province = row(&report, "province");
    assert_eq!(
        (
            province.registered,
            province.onboarded,
            province.share_percent
        ),
        (5, 3, 60.0)
    );
    // OCOP products: Mận tam hoa and Miến dong Bát Xát online, Rượu mận not: 2 of 3.
    assert_eq!(
        report.ocop_products,
        OcopCoverage {
            registered: 3,
            online: 2,
            share_percent: 66.7,
            target_percent: 100.0
        }
    );
    // Districts without entries are left out; Sa Pa has none.
    assert!(
        report
            .segments
            .iter()
            .all(|r| r.segment != "district:Sa Pa")
    );
}

#[test]
fn a_suspended_stall_drops_out_from_its_suspension_date_and_not_before() {
    let facts = fixture();
    // CL-2's stall was suspended on 20/5 at 10:00.
    assert_eq!(onboarded(&facts, day(5, 19), "market:coc-leu"), 2);
    assert_eq!(onboarded(&facts, day(5, 20), "market:coc-leu"), 1);
}

#[test]
fn hiding_the_last_product_ends_listed_that_day() {
    let facts = fixture();
    assert_eq!(onboarded(&facts, day(5, 31), "market:bac-ha"), 1);
    assert_eq!(onboarded(&facts, day(6, 1), "market:bac-ha"), 0);
    // The OCOP product of stall 12 is no longer online either.
    let report = facts.report(day(6, 1), &[], &Targets::default());
    assert_eq!(report.ocop_products.online, 1);
}

#[test]
fn an_as_of_date_before_approval_counts_the_entry_but_not_its_stages() {
    let facts = fixture();
    // 5/3: CL-2 is onboarded (approved 1/3), CL-1 not yet (approved 10/3).
    let report = facts.report(
        day(3, 5),
        &[Segment::Market(Market::CocLeu), Segment::Province],
        &Targets::default(),
    );
    let cl = row(&report, "market:coc-leu");
    assert_eq!((cl.registered, cl.stall_approved, cl.onboarded), (3, 1, 1));
    // The province: CL-2 alone of five; half of five is three, so two short.
    let province = row(&report, "province");
    assert_eq!((province.onboarded, province.gap), (1, 2));
    // Before the registry was imported there is nothing to count.
    let before = facts.report(
        NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
        &[Segment::Province],
        &Targets::default(),
    );
    assert_eq!(row(&before, "province").registered, 0);
}

#[test]
fn transacting_means_a_payment_in_the_last_thirty_days() {
    let facts = fixture();
    let count = |date| {
        let report = facts.report(
            date,
            &[Segment::Market(Market::CocLeu)],
            &Targets::default(),
        );
        row(&report, "market:coc-leu").transacting
    };
    assert_eq!(count(day(4, 19)), 0);
    assert_eq!(count(day(4, 20)), 1);
    assert_eq!(count(day(5, 19)), 1);
    assert_eq!(count(day(5, 21)), 0);
}

#[test]
fn a_target_set_for_a_segment_and_year_replaces_the_default() {
    let facts = fixture();
    let targets = Targets(vec![Target {
        segment: "market:coc-leu".into(),
        year: 2026,
        tenths: 800,
    }]);
    let report = facts.report(
        day(4, 30),
        &[Segment::Market(Market::CocLeu), Segment::Ocop],
        &targets,
    );
    // 80 % of 3 is 2.4, so 3 entities; 2 are onboarded.
    let cl = row(&report, "market:coc-leu");
    assert_eq!((cl.target_percent, cl.gap), (80.0, 1));
    assert_eq!(row(&report, "ocop").target_percent, 50.0);
    let next_year = facts.report(
        NaiveDate::from_ymd_opt(2027, 1, 31).unwrap(),
        &[Segment::Market(Market::CocLeu)],
        &targets,
    );
    assert_eq!(row(&next_year, "market:coc-leu").target_percent, 50.0);
}

#[test]
fn the_pending_list_says_what_each_entry_lacks() {
    let facts = fixture();
    let pending = facts.pending(day(4, 30), &Segment::Province);
    let lacks: Vec<(&str, Vec<Stage>)> = pending
        .iter()
        .map(|p| (p.external_id.as_str(), p.lacks.clone()))
        .collect();
    assert_eq!(
        lacks,
        vec![
            ("OCOP-2", vec![Stage::EpaymentReady]),
            (
                "CL-3",
                vec![
                    Stage::Account,
                    Stage::StallApproved,
                    Stage::Listed,
                    Stage::EpaymentReady
                ]
            ),
        ]
    );
}

#[test]
fn the_trend_has_one_point_per_month_ending_on_the_report_date() {
    let facts = fixture();
    let trend = facts.trend(day(5, 31), 3, &Segment::Province);
    let points: Vec<(NaiveDate, u32, u32)> = trend
        .iter()
        .map(|p| (p.date, p.registered, p.onboarded))
        .collect();
    // 31/3: CL-1 and CL-2; 30/4: and BH-1/OCOP-1; 31/5: CL-2 suspended.
    assert_eq!(
        points,
        vec![(day(3, 31), 5, 2), (day(4, 30), 5, 3), (day(5, 31), 5, 2)]
    );
    let across_new_year = facts.trend(
        NaiveDate::from_ymd_opt(2026, 2, 10).unwrap(),
        3,
        &Segment::Province,
    );
    assert_eq!(
        across_new_year[0].date,
        NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
    );
    assert_eq!(across_new_year[1].date, day(1, 31));
}

#[test]
fn segment_keys_round_trip() {
    let facts = fixture();
    for segment in facts.segments() {
        assert_eq!(Segment::parse(&segment.key()), Some(segment));
    }
    assert_eq!(Segment::parse("market:ha-noi"), None);
    assert_eq!(Segment::parse("district:Hà Nội"), None);
}

#[test]
fn shares_round_half_up_to_one_decimal() {
    assert_eq!(percent(1, 3), 33.3);
    assert_eq!(percent(2, 3), 66.7);
    assert_eq!(percent(1, 8), 12.5);
    assert_eq!(percent(1, 16), 6.3);
    assert_eq!(percent(0, 0), 0.0);
    assert_eq!(gap(0, 0, 500), 0);
    assert_eq!(gap(10, 11, 500), 0);
}

#[test]
fn targets_are_typed_as_percents_with_one_decimal() {
    assert_eq!(parse_target("50"), Ok(500));
    assert_eq!(parse_target("62,5 %"), Ok(625));
    assert_eq!(parse_target("100.0"), Ok(1000));
    let out_of_range = Err(Invalid::OutOfRange { min: 0, max: 100 });
    assert_eq!(parse_target("100.5"), out_of_range);
    assert_eq!(parse_target("99999999"), out_of_range);
    assert_eq!(
        parse_target("12.34"),
        Err(Invalid::TooManyDecimals { max: 1 })
    );
    assert_eq!(parse_target("-5"), Err(Invalid::NotANumber));
    assert_eq!(parse_target("năm mươi"), Err(Invalid::NotANumber));
    assert_eq!(parse_target(" "), Err(Invalid::Required));
}

#[test]
fn a_day_ends_at_midnight_in_lao_cai() {
    assert_eq!(
        end_of_day(day(11, 25)),
        Utc.with_ymd_and_hms(2026, 11, 25, 17, 0, 0).unwrap()
    );
    assert_eq!(
        local_date(Utc.with_ymd_and_hms(2026, 11, 25, 17, 30, 0).unwrap()),
        day(11, 26)
    );
}

#[test]
fn approval_spans_follow_the_stalls_status_changes() {
    use StallStatus::*;
    let moves = [
        (Submitted, at(3, 1, 9)),
        (Approved, at(3, 2, 9)),
        (Suspended, at(4, 10, 9)),
        (Approved, at(5, 1, 9)),
    ];
    assert_eq!(
        approvals(moves),
        vec![
            span(at(3, 2, 9), Some(at(4, 10, 9))),
            span(at(5, 1, 9), None)
        ]
    );
    assert_eq!(approvals([(Submitted, at(3, 1, 9))]), vec![]);
}
