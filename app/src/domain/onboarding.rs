//! The share of vendors onboarded: the stages of a registry entry, the segments the province
//! counts, and the report as of any date, computed from the history of real events.
//!
//! Everything here is plain arithmetic over [`Facts`], so the page, the CSV export, the API and
//! the command line all show the same numbers, and they are tested without a database.
// In scope so that `slug_enum!` in the submodules finds `super::invalid`.
use super::invalid;
use super::market::{DISTRICTS, EntityType, Market};
use super::registry::{RegistryKind, same_product};
use super::stall::StallStatus;
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

slug_enum! {
    /// The steps from a registry entry to a digital, cashless stall, in order.
    pub enum Stage {
        /// A user claimed the entry: the entry is linked to a stall they own.
        Account = "account",
        StallApproved = "stall_approved",
        /// At least one published product.
        Listed = "listed",
        /// Card payments enabled, or a VietQR bank account set.
        EpaymentReady = "epayment_ready",
        /// At least one cashless payment received in the last [`TRANSACTING_DAYS`] days.
        Transacting = "transacting",
    }
}

/// How far back a cashless payment keeps a stall "transacting".
pub const TRANSACTING_DAYS: i64 = 30;

/// The plan's defaults: half of the vendors onboarded, every OCOP product online (in tenths of
/// a percent, as targets are stored).
pub const DEFAULT_TARGET_TENTHS: u16 = 500;
pub const DEFAULT_OCOP_PRODUCTS_TARGET_TENTHS: u16 = 1000;
/// The target key of OCOP product coverage, beside the segments' keys.
pub const OCOP_PRODUCTS_KEY: &str = "ocop_products";

/// Lào Cai's clock: UTC+7 all year. A report "as of" a date counts everything up to the end of
/// that day there.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// The first instant after `date` ends in Lào Cai.
pub fn end_of_day(date: NaiveDate) -> DateTime<Utc> {
    let next = date.succ_opt().unwrap_or(date);
    vietnam()
        .from_local_datetime(&next.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .single()
        .expect("a fixed offset has no gaps")
        .with_timezone(&Utc)
}

/// The calendar day in Lào Cai at `now`.
pub fn local_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&vietnam()).date_naive()
}

/// A report date as typed (`YYYY-MM-DD`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// A part of the province the report counts separately.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Segment {
    Market(Market),
    Ocop,
    EntityType(EntityType),
    District(String),
    /// Every entity once.
    Province,
}

impl Segment {
    /// The stable key of the API and the CSV: `market:coc-leu`, `ocop`, `district:Sa Pa`, …
    pub fn key(&self) -> String {
        match self {
            Segment::Market(m) => format!("market:{}", m.slug()),
            Segment::Ocop => "ocop".into(),
            Segment::EntityType(t) => format!("entity_type:{}", t.slug()),
            Segment::District(d) => format!("district:{d}"),
            Segment::Province => "province".into(),
        }
    }

    pub fn parse(key: &str) -> Option<Segment> {
        match key.split_once(':') {
            None if key == "ocop" => Some(Segment::Ocop),
            None if key == "province" => Some(Segment::Province),
            Some(("market", m)) => m.parse().ok().map(Segment::Market),
            Some(("entity_type", t)) => t.parse().ok().map(Segment::EntityType),
            Some(("district", d)) => DISTRICTS
                .contains(&d)
                .then(|| Segment::District(d.to_string())),
            _ => None,
        }
    }

    /// Whether the entry is counted in this segment.
    fn holds(&self, entry: &EntryFacts) -> bool {
        match self {
            Segment::Market(m) => {
                entry.kind == RegistryKind::MarketVendor && entry.market == Some(*m)
            }
            Segment::Ocop => entry.kind == RegistryKind::OcopProducer,
            Segment::EntityType(t) => entry.entity_type == *t,
            Segment::District(d) => entry.district == *d,
            Segment::Province => true,
        }
    }
}

/// A stage's time: from `start` until just before `end` (open while `end` is `None`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
}

impl Span {
    pub fn covers(&self, t: DateTime<Utc>) -> bool {
        self.start < t && self.end.is_none_or(|end| end >= t)
    }
}

/// The spans a stall was approved, from its status changes in the order they happened (each
/// the status it moved to, and when): from each move to approved until the next move away.
pub fn approvals(moves: impl IntoIterator<Item = (StallStatus, DateTime<Utc>)>) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    for (to, at) in moves {
        let open = spans.last_mut().filter(|s| s.end.is_none());
        match (open, to == StallStatus::Approved) {
            (None, true) => spans.push(Span {
                start: at,
                end: None,
            }),
            (Some(span), false) => span.end = Some(at),
            _ => {}
        }
    }
    spans
}

fn any_covers(spans: &[Span], t: DateTime<Utc>) -> bool {
    spans.iter().any(|s| s.covers(t))
}

/// What happened to one stall, as recorded when it happened.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StallHistory {
    /// When the stall's owner created their account.
    pub owner_since: Option<DateTime<Utc>>,
    pub approved: Vec<Span>,
    pub epayment_ready: Vec<Span>,
    pub products: Vec<ProductHistory>,
    /// When each cashless payment was received: an order's move to paid (by card, or a
    /// transfer the bank, a statement or the vendor confirmed) or a transfer at the stall
    /// paid. Cash is never one.
    pub payments: Vec<DateTime<Utc>>,
    /// The stall's slug, which names it in the API.
    pub slug: String,
    /// Its sales, online and at the stall, cash included.
    pub sales: Vec<RecordedSale>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProductHistory {
    pub name: String,
    pub published: Vec<Span>,
}

/// One registry entry, as the report needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryFacts {
    pub id: i64,
    pub external_id: String,
    pub name: String,
    pub kind: RegistryKind,
    pub market: Option<Market>,
    pub stall_no: Option<String>,
    pub entity_type: EntityType,
    pub district: String,
    /// The normalised phone number, which ties an entity's rows together.
    pub phone: Option<String>,
    /// When the entry first came into the registry.
    pub registered_at: DateTime<Utc>,
    /// The confirmed stall of this entry.
    pub stall_id: Option<i64>,
    pub ocop_products: Vec<String>,
}

/// Everything the report is computed from.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub entries: Vec<EntryFacts>,
    pub stalls: HashMap<i64, StallHistory>,
}

/// The stages one entry has reached at an instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub account: bool,
    pub stall_approved: bool,
    pub listed: bool,
    pub epayment_ready: bool,
    pub transacting: bool,
}

impl Progress {
    /// The plan's "digital stall and electronic payment account".
    pub fn onboarded(&self) -> bool {
        self.stall_approved && self.listed && self.epayment_ready
    }

    pub fn has(&self, stage: Stage) -> bool {
        match stage {
            Stage::Account => self.account,
            Stage::StallApproved => self.stall_approved,
            Stage::Listed => self.listed,
            Stage::EpaymentReady => self.epayment_ready,
            Stage::Transacting => self.transacting,
        }
    }

    /// An entity with several entries is at a stage when any of its entries is.
    fn or(self, other: Progress) -> Progress {
        Progress {
            account: self.account || other.account,
            stall_approved: self.stall_approved || other.stall_approved,
            listed: self.listed || other.listed,
            epayment_ready: self.epayment_ready || other.epayment_ready,
            transacting: self.transacting || other.transacting,
        }
    }

    /// What still stands between the entry and onboarded, in the order to fix it.
    pub fn lacks(&self) -> Vec<Stage> {
        [
            Stage::Account,
            Stage::StallApproved,
            Stage::Listed,
            Stage::EpaymentReady,
        ]
        .into_iter()
        .filter(|s| !self.has(*s))
        .collect()
    }
}

impl Facts {
    /// The entries in the registry at `t`.
    fn registered(&self, t: DateTime<Utc>) -> impl Iterator<Item = (usize, &EntryFacts)> {
        self.entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.registered_at < t)
    }

    pub fn progress(&self, entry: &EntryFacts, t: DateTime<Utc>) -> Progress {
        let Some(stall) = entry.stall_id.and_then(|id| self.stalls.get(&id)) else {
            return Progress::default();
        };
        let since = t - Duration::days(TRANSACTING_DAYS);
        Progress {
            account: stall.owner_since.is_some_and(|at| at < t),
            stall_approved: any_covers(&stall.approved, t),
            listed: stall.products.iter().any(|p| any_covers(&p.published, t)),
            epayment_ready: any_covers(&stall.epayment_ready, t),
            transacting: stall.payments.iter().any(|&at| at < t && at >= since),
        }
    }

    /// For each entry, the entity it belongs to: entries sharing a phone number or a stall are
    /// one entity (a market vendor who is also an OCOP producer).
    fn entities(&self) -> Vec<usize> {
        let mut parent: Vec<usize> = (0..self.entries.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let mut first_by_key: HashMap<String, usize> = HashMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            let keys = e
                .phone
                .iter()
                .map(|p| format!("phone:{p}"))
                .chain(e.stall_id.map(|s| format!("stall:{s}")));
            for key in keys {
                match first_by_key.get(&key) {
                    Some(&j) => {
                        let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                        parent[a] = b;
                    }
                    None => {
                        first_by_key.insert(key, i);
                    }
                }
            }
        }
        (0..self.entries.len())
            .map(|i| root(&mut parent, i))
            .collect()
    }

    /// The entities of `segment` registered at `t`, each with its combined progress there.
    fn segment_entities(
        &self,
        segment: &Segment,
        t: DateTime<Utc>,
        entity_of: &[usize],
    ) -> HashMap<usize, Progress> {
        let mut by_entity: HashMap<usize, Progress> = HashMap::new();
        for (i, entry) in self.registered(t).filter(|(_, e)| segment.holds(e)) {
            let progress = self.progress(entry, t);
            by_entity
                .entry(entity_of[i])
                .and_modify(|p| *p = p.or(progress))
                .or_insert(progress);
        }
        by_entity
    }

    /// The segments this registry has: the three markets, OCOP, the entity types, each district
    /// named in the registry (in the province's order), and the province.
    pub fn segments(&self) -> Vec<Segment> {
        let mut out: Vec<Segment> = Market::ALL.into_iter().map(Segment::Market).collect();
        out.push(Segment::Ocop);
        out.extend(EntityType::ALL.into_iter().map(Segment::EntityType));
        out.extend(
            DISTRICTS
                .into_iter()
                .filter(|d| self.entries.iter().any(|e| e.district == *d))
                .map(|d| Segment::District(d.to_string())),
        );
        out.push(Segment::Province);
        out
    }

    /// The report as of the end of `as_of`, for the given segments.
    pub fn report(&self, as_of: NaiveDate, segments: &[Segment], targets: &Targets) -> Report {
        let t = end_of_day(as_of);
        let entity_of = self.entities();
        let rows = segments
            .iter()
            .map(|segment| {
                let entities = self.segment_entities(segment, t, &entity_of);
                let count =
                    |stage: Stage| entities.values().filter(|p| p.has(stage)).count() as u32;
                let (registered, onboarded) = tally(&entities);
                let target = targets.get(&segment.key(), as_of.year());
                SegmentRow {
                    segment: segment.key(),
                    registered,
                    account: count(Stage::Account),
                    stall_approved: count(Stage::StallApproved),
                    listed: count(Stage::Listed),
                    epayment_ready: count(Stage::EpaymentReady),
                    onboarded,
                    transacting: count(Stage::Transacting),
                    share_percent: percent(onboarded, registered),
                    target_percent: f64::from(target) / 10.0,
                    gap: gap(onboarded, registered, target),
                    sales: self.segment_sales(segment, as_of),
                }
            })
            .collect();
        Report {
            as_of,
            segments: rows,
            ocop_products: self.ocop_coverage(t, targets.get(OCOP_PRODUCTS_KEY, as_of.year())),
            sales_from: month_start(as_of),
            stalls: self.stall_sales(segments, as_of),
        }
    }

    /// Registered OCOP products that a linked, approved stall has published under the same name.
    fn ocop_coverage(&self, t: DateTime<Utc>, target: u16) -> OcopCoverage {
        let (mut registered, mut online) = (0u32, 0u32);
        for (_, entry) in self
            .registered(t)
            .filter(|(_, e)| e.kind == RegistryKind::OcopProducer)
        {
            let stall = entry
                .stall_id
                .and_then(|id| self.stalls.get(&id))
                .filter(|s| any_covers(&s.approved, t));
            for name in &entry.ocop_products {
                registered += 1;
                let published = stall.is_some_and(|s| {
                    s.products
                        .iter()
                        .any(|p| same_product(name, &p.name) && any_covers(&p.published, t))
                });
                online += u32::from(published);
            }
        }
        OcopCoverage {
            registered,
            online,
            share_percent: percent(online, registered),
            target_percent: f64::from(target) / 10.0,
        }
    }

    /// The entries of `segment` not onboarded at the end of `as_of`, with what each lacks.
    pub fn pending(&self, as_of: NaiveDate, segment: &Segment) -> Vec<Pending> {
        let t = end_of_day(as_of);
        let mut out: Vec<Pending> = self
            .registered(t)
            .filter(|(_, e)| segment.holds(e))
            .filter_map(|(_, e)| {
                let progress = self.progress(e, t);
                (!progress.onboarded()).then(|| Pending {
                    external_id: e.external_id.clone(),
                    name: e.name.clone(),
                    kind: e.kind,
                    market: e.market,
                    stall_no: e.stall_no.clone(),
                    district: e.district.clone(),
                    lacks: progress.lacks(),
                })
            })
            .collect();
        out.sort_by(|a, b| (a.lacks.len(), &a.external_id).cmp(&(b.lacks.len(), &b.external_id)));
        out
    }

    /// The share of `segment` onboarded at the end of each of the `months` months up to
    /// `as_of` (the last point is `as_of` itself).
    pub fn trend(&self, as_of: NaiveDate, months: u32, segment: &Segment) -> Vec<TrendPoint> {
        let entity_of = self.entities();
        let mut days: Vec<NaiveDate> = (1..months)
            .rev()
            .filter_map(|back| month_end(as_of, back))
            .collect();
        days.push(as_of);
        days.into_iter()
            .map(|day| {
                let entities = self.segment_entities(segment, end_of_day(day), &entity_of);
                let (registered, onboarded) = tally(&entities);
                TrendPoint {
                    date: day,
                    registered,
                    onboarded,
                    share_percent: percent(onboarded, registered),
                }
            })
            .collect()
    }
}

/// How many entities a segment has, and how many of them are onboarded.
fn tally(entities: &HashMap<usize, Progress>) -> (u32, u32) {
    let onboarded = entities.values().filter(|p| p.onboarded()).count();
    (entities.len() as u32, onboarded as u32)
}

/// The last day of the month `back` months before `date`'s.
fn month_end(date: NaiveDate, back: u32) -> Option<NaiveDate> {
    let months = date.year() * 12 + date.month0() as i32 - back as i32 + 1;
    NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1)?.pred_opt()
}

/// `part / whole` in percent, rounded half up to one decimal; 0 of 0 is 0.
pub fn percent(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    let tenths = (u64::from(part) * 2000 + u64::from(whole)) / (2 * u64::from(whole));
    tenths as f64 / 10.0
}

/// How many more entities must be onboarded to reach `target_tenths` of `registered`.
pub fn gap(onboarded: u32, registered: u32, target_tenths: u16) -> u32 {
    let needed = (u64::from(registered) * u64::from(target_tenths)).div_ceil(1000) as u32;
    needed.saturating_sub(onboarded)
}

/// Targets set by administrators, per segment key and year; the plan's defaults elsewhere.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Targets(pub Vec<Target>);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub segment: String,
    pub year: i32,
    /// Tenths of a percent: 500 is 50.0 %.
    pub tenths: u16,
}

impl Targets {
    pub fn get(&self, key: &str, year: i32) -> u16 {
        self.0
            .iter()
            .find(|t| t.segment == key && t.year == year)
            .map(|t| t.tenths)
            .unwrap_or(if key == OCOP_PRODUCTS_KEY {
                DEFAULT_OCOP_PRODUCTS_TARGET_TENTHS
            } else {
                DEFAULT_TARGET_TENTHS
            })
    }
}

/// One segment's line of the report, in the shape of the provincial reporting API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SegmentRow {
    /// `market:coc-leu`, `market:sa-pa`, `market:bac-ha`, `ocop`,
    /// `entity_type:household|cooperative|business`, `district:<name>` or `province`.
    pub segment: String,
    pub registered: u32,
    pub account: u32,
    pub stall_approved: u32,
    pub listed: u32,
    pub epayment_ready: u32,
    pub onboarded: u32,
    pub transacting: u32,
    /// onboarded / registered, in percent with one decimal.
    pub share_percent: f64,
    pub target_percent: f64,
    /// Entities still to onboard to reach the target.
    pub gap: u32,
    /// The segment's stalls' sales from `sales_from` to `as_of`, each stall once.
    pub sales: MonthSales,
}

/// Registered OCOP products published online by their producers' stalls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OcopCoverage {
    pub registered: u32,
    pub online: u32,
    pub share_percent: f64,
    pub target_percent: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Report {
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Date))]
    pub as_of: NaiveDate,
    pub segments: Vec<SegmentRow>,
    pub ocop_products: OcopCoverage,
    /// The first day of `as_of`'s month: sales count from its start to the end of `as_of`.
    #[cfg_attr(feature = "ssr", schema(value_type = String, format = Date))]
    pub sales_from: NaiveDate,
    /// The sales of each stall linked to an entry of the report's segments.
    pub stalls: Vec<StallSales>,
}

/// A registry entry not yet onboarded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub external_id: String,
    pub name: String,
    pub kind: RegistryKind,
    pub market: Option<Market>,
    pub stall_no: Option<String>,
    pub district: String,
    pub lacks: Vec<Stage>,
}

/// One month of the trend chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub date: NaiveDate,
    pub registered: u32,
    pub onboarded: u32,
    pub share_percent: f64,
}

mod cashless;
mod typed;
pub use cashless::{Confirmations, ConfirmedBy, MonthSales, RecordedSale, StallSales, month_start};
pub use typed::{parse_target, target_field};

#[cfg(test)]
mod tests;
