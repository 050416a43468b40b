//! The onboarding report (the province's, or one market's for its manager), its targets, the
//! registry list, and the reporting API's tokens.
use crate::api::AppError;
use crate::api::reports::{
    ENTRIES_PER_PAGE, OnboardingPage, RegistrySearch, RegistryView, TREND_MONTHS,
};
use crate::authz::{Admin, ReportReader};
use crate::domain::invalid::Invalid;
use crate::domain::market::Market;
use crate::domain::onboarding::{Facts, OcopCoverage, Report, Segment, Targets};
use crate::model::{RegistryEntry, StallRef};
use crate::ports::{EntryFilter, Ports};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// A report and what it was computed from.
pub struct Scoped {
    pub facts: Facts,
    pub targets: Targets,
    pub segments: Vec<Segment>,
    pub report: Report,
}

/// The report of `scope` (the province when `None`) as of `as_of`, with what it was computed
/// from. A market manager's report is their market alone: OCOP producers belong to the
/// province, so their product coverage is left at zero.
pub async fn report_for(
    registry: &dyn crate::ports::Registry,
    scope: Option<Market>,
    as_of: NaiveDate,
) -> Result<Scoped, AppError> {
    let facts = registry.facts().await?;
    let targets = registry.targets().await?;
    let segments = match scope {
        Some(market) => vec![Segment::Market(market)],
        None => facts.segments(),
    };
    let mut report = facts.report(as_of, &segments, &targets);
    if scope.is_some() {
        report.ocop_products = OcopCoverage {
            registered: 0,
            online: 0,
            share_percent: 0.0,
            target_percent: report.ocop_products.target_percent,
        };
    }
    Ok(Scoped {
        facts,
        targets,
        segments,
        report,
    })
}

/// The report date: today when empty, else `YYYY-MM-DD`.
pub fn as_of(text: Option<&str>, today: NaiveDate) -> Result<NaiveDate, AppError> {
    match text.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today),
        Some(s) => {
            crate::domain::onboarding::parse_date(s).ok_or(AppError::field("as_of", Invalid::Date))
        }
    }
}

/// The report page: the reader's report as of `as_of` (today when empty), with the trend and
/// the vendors not yet onboarded of `segment` (the reader's widest by default). A segment
/// outside the reader's scope is refused.
#[tracing::instrument(skip_all)]
pub async fn onboarding_page(
    ports: &Ports,
    reader: ReportReader,
    as_of_text: Option<&str>,
    segment: Option<&str>,
) -> Result<OnboardingPage, AppError> {
    let today = ports.clock.today();
    let as_of = as_of(as_of_text, today)?;
    let Scoped {
        facts,
        targets,
        segments,
        report,
    } = report_for(ports.registry.as_ref(), reader.scope, as_of).await?;
    let segment = match segment.map(str::trim).filter(|s| !s.is_empty()) {
        Some(key) => Segment::parse(key).ok_or(AppError::NotFound)?,
        None => segments.last().cloned().unwrap_or(Segment::Province),
    };
    if !segments.contains(&segment) {
        return Err(AppError::Forbidden);
    }
    Ok(OnboardingPage {
        scope: reader.scope,
        trend: facts.trend(as_of, TREND_MONTHS, &segment),
        pending: facts.pending(as_of, &segment),
        report,
        segment,
        segments,
        targets,
        today,
    })
}

/// One page of the registry entries in the reader's scope whose id or name holds the
/// search's words (accents optional), how many match in all, and the stalls with no entry.
/// The last upload's outcome is the session's, for the caller to add.
#[tracing::instrument(skip_all)]
pub async fn registry_page(
    ports: &Ports,
    reader: ReportReader,
    search: &RegistrySearch,
) -> Result<RegistryView, AppError> {
    use crate::domain::search::{fold, has_word};
    let filter = EntryFilter {
        market: reader.scope,
        unlinked: search.unlinked.as_deref().is_some_and(|v| !v.is_empty()),
    };
    let words: Vec<String> = fold(search.q.as_deref().unwrap_or(""))
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let matching: Vec<RegistryEntry> = ports
        .registry
        .entries(&filter)
        .await?
        .into_iter()
        .filter(|e| {
            let text = fold(&format!("{} {}", e.row.external_id, e.row.name));
            words.iter().all(|w| has_word(&text, w))
        })
        .collect();
    let page = search.page.unwrap_or(1).max(1);
    Ok(RegistryView {
        scope: reader.scope,
        last_import: None,
        matching: matching.len(),
        entries: matching
            .into_iter()
            .skip((page - 1) * ENTRIES_PER_PAGE)
            .take(ENTRIES_PER_PAGE)
            .collect(),
        page,
        unregistered: ports
            .registry
            .unregistered_stalls(reader.scope)
            .await?
            .iter()
            .map(StallRef::from)
            .collect(),
    })
}

/// An administrator sets a year's targets, each segment's (and `ocop_products`') by its key:
/// every one or, when one is wrong or names no segment, none.
#[tracing::instrument(skip_all)]
pub async fn save_targets(
    ports: &Ports,
    _by: Admin,
    year: i32,
    percents: &std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    use crate::domain::invalid::FieldErrors;
    use crate::domain::onboarding::{OCOP_PRODUCTS_KEY, Target, parse_target, target_field};
    if percents
        .keys()
        .any(|key| key != OCOP_PRODUCTS_KEY && Segment::parse(key).is_none())
    {
        return Err(AppError::NotFound);
    }
    if !(2020..=2100).contains(&year) {
        return Err(AppError::field(
            "year",
            Invalid::OutOfRange {
                min: 2020,
                max: 2100,
            },
        ));
    }
    // Every field read first, so each wrong one is marked and nothing is half-saved.
    let mut errors = FieldErrors::new();
    let mut targets = Vec::with_capacity(percents.len());
    for (segment, percent) in percents {
        match parse_target(percent) {
            Ok(tenths) => targets.push(Target {
                segment: segment.clone(),
                year,
                tenths,
            }),
            Err(invalid) => errors.push(&target_field(segment), invalid),
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    ports.registry.set_targets(&targets).await?;
    Ok(())
}

/// A new API token named `name`, returned this once: only its hash is kept.
#[tracing::instrument(skip_all)]
pub async fn create_api_token(ports: &Ports, by: Admin, name: &str) -> Result<String, AppError> {
    let token = new_token();
    ports
        .api_tokens
        .create(name, &token_hash(&token), by.0.user_id)
        .await?;
    Ok(token)
}

/// 32 random bytes, hex: unguessable, so a fast hash is enough to store it.
fn new_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("choso_{}", hex::encode(bytes))
}

/// How a token is kept and looked up: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}
