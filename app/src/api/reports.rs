//! The registry and the onboarding report: administrators see the province, a market manager
//! their own market; linking registry entries to stalls; targets; the reporting API's tokens.
use crate::api::AppError;
use crate::domain::market::Market;
use crate::domain::onboarding::{Pending, Report, Segment, Targets, TrendPoint};
use crate::domain::registry::{FileProblem, ImportSummary};
use crate::model::StallRef;
use crate::model::{ApiToken, RegistryEntry, StallEntries};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How many months the trend chart looks back.
pub const TREND_MONTHS: u32 = 12;

/// What the last registry upload of this session did.
pub type ImportOutcome = Result<ImportSummary, FileProblem>;

/// Everything the report page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OnboardingPage {
    /// The manager's market, or `None` for the province's administrators.
    pub scope: Option<Market>,
    pub report: Report,
    /// The segment the trend and the list of vendors not yet onboarded are about.
    pub segment: Segment,
    pub segments: Vec<Segment>,
    pub trend: Vec<TrendPoint>,
    pub pending: Vec<Pending>,
    pub targets: Targets,
    pub today: NaiveDate,
}

/// The onboarding report as of `as_of` (today when empty), for `segment`'s trend and list.
#[server(endpoint = "onboarding_report")]
pub async fn onboarding_report(
    as_of: Option<String>,
    segment: Option<String>,
) -> Result<OnboardingPage, AppError> {
    let scope = server::scope().await?;
    let ports = super::ports()?;
    let today = crate::domain::onboarding::local_date(ports.clock.now());
    let as_of = server::as_of(as_of.as_deref(), today)?;
    let server::Scoped {
        facts,
        targets,
        segments,
        report,
    } = server::report_for(ports.registry.as_ref(), scope, as_of).await?;
    let segment = match segment.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(key) => Segment::parse(key).ok_or(AppError::NotFound)?,
        None => segments.last().cloned().unwrap_or(Segment::Province),
    };
    if !segments.contains(&segment) {
        return Err(AppError::Forbidden);
    }
    Ok(OnboardingPage {
        scope,
        trend: facts.trend(as_of, TREND_MONTHS, &segment),
        pending: facts.pending(as_of, &segment),
        report,
        segment,
        segments,
        targets,
        today,
    })
}

/// An administrator sets the target of one segment (or `ocop_products`) for one year.
#[server(endpoint = "save_target")]
pub async fn save_target(segment: String, year: i32, percent: String) -> Result<(), AppError> {
    use crate::domain::invalid::Invalid;
    use crate::domain::onboarding::{OCOP_PRODUCTS_KEY, Target, parse_target};
    super::sales::server::admin().await?;
    if segment != OCOP_PRODUCTS_KEY && Segment::parse(&segment).is_none() {
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
    let tenths = parse_target(&percent).map_err(|e| AppError::field("percent", e))?;
    super::ports()?
        .registry
        .set_target(&Target {
            segment,
            year,
            tenths,
        })
        .await?;
    Ok(())
}

/// How many registry entries one page of the list shows.
pub const ENTRIES_PER_PAGE: usize = 100;

/// The registry page: the last upload's outcome, one page of the entries that match the
/// search, and stalls with no entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistryView {
    pub scope: Option<Market>,
    pub last_import: Option<ImportOutcome>,
    pub entries: Vec<RegistryEntry>,
    /// How many entries match, over all pages.
    pub matching: usize,
    pub page: usize,
    pub unregistered: Vec<StallRef>,
}

/// Which registry entries the list shows: those without a stall only, those whose id or name
/// holds the search's words (accents optional), page by page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RegistrySearch {
    pub unlinked: Option<String>,
    pub q: Option<String>,
    pub page: Option<usize>,
}

#[server(endpoint = "registry_overview")]
pub async fn registry_overview(
    #[server(default)] search: RegistrySearch,
) -> Result<RegistryView, AppError> {
    use crate::domain::search::{fold, has_word};
    use crate::ports::EntryFilter;
    let scope = server::scope().await?;
    let ports = super::ports()?;
    let session = super::session::session().await?;
    let last_import = session
        .get::<ImportOutcome>(server::LAST_IMPORT)
        .await
        .map_err(super::error::unexpected)?;
    let filter = EntryFilter {
        market: scope,
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
        scope,
        last_import: last_import.filter(|_| scope.is_none()),
        matching: matching.len(),
        entries: matching
            .into_iter()
            .skip((page - 1) * ENTRIES_PER_PAGE)
            .take(ENTRIES_PER_PAGE)
            .collect(),
        page,
        unregistered: ports
            .registry
            .unregistered_stalls(scope)
            .await?
            .iter()
            .map(StallRef::from)
            .collect(),
    })
}

/// The registry entries of every stall in the reviewer's queue, by stall.
#[server(endpoint = "review_registry")]
pub async fn review_registry() -> Result<Vec<(i64, StallEntries)>, AppError> {
    let stalls = super::review::review_queue().await?;
    let found = super::ports()?.registry.for_stalls(&stalls).await?;
    Ok(found.into_iter().collect())
}

/// A reviewer confirms that the registry entry `external_id` is this stall's vendor.
#[server(endpoint = "link_registry_entry")]
pub async fn link_registry_entry(stall_id: i64, external_id: String) -> Result<(), AppError> {
    use crate::domain::invalid::Invalid;
    let (actor, stall) = super::review::server::reviewable(stall_id).await?;
    let ports = super::ports()?;
    let entry = ports
        .registry
        .by_external_id(&external_id)
        .await?
        .filter(|e| server::in_scope(&actor, e))
        .ok_or(AppError::field("external_id", Invalid::Unknown))?;
    if entry.stall.as_ref().is_some_and(|s| s.id != stall.id) {
        return Err(AppError::field("external_id", Invalid::Taken));
    }
    ports
        .registry
        .link(entry.id, Some(stall.id), actor.user_id)
        .await?;
    Ok(())
}

/// A reviewer undoes a wrong link.
#[server(endpoint = "unlink_registry_entry")]
pub async fn unlink_registry_entry(stall_id: i64, entry_id: i64) -> Result<(), AppError> {
    let (actor, stall) = super::review::server::reviewable(stall_id).await?;
    let ports = super::ports()?;
    let entry = ports
        .registry
        .entry(entry_id)
        .await?
        .filter(|e| e.stall.as_ref().is_some_and(|s| s.id == stall.id))
        .ok_or(AppError::NotFound)?;
    ports.registry.link(entry.id, None, actor.user_id).await?;
    Ok(())
}

/// The reporting API's tokens (administrators only).
#[server(endpoint = "api_tokens")]
pub async fn api_tokens() -> Result<Vec<ApiToken>, AppError> {
    super::sales::server::admin().await?;
    Ok(super::ports()?.api_tokens.list().await?)
}

/// A new token, shown this once: only its hash is kept.
#[server(endpoint = "create_api_token")]
pub async fn create_api_token(name: String) -> Result<String, AppError> {
    use crate::domain::invalid::{NAME_MAX, required_text};
    let admin = super::sales::server::admin().await?;
    let name = required_text(&name, NAME_MAX).map_err(|e| AppError::field("name", e))?;
    let token = server::new_token();
    super::ports()?
        .api_tokens
        .create(&name, &server::token_hash(&token), admin.user_id)
        .await?;
    Ok(token)
}

#[server(endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    super::sales::server::admin().await?;
    super::ports()?.api_tokens.revoke(id).await?;
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod server {
    use crate::api::AppError;
    use crate::domain::invalid::Invalid;
    use crate::domain::market::Market;
    use crate::domain::onboarding::{Facts, OcopCoverage, Report, Segment, Targets};
    use crate::domain::role::{Actor, Role};
    use crate::model::RegistryEntry;
    use chrono::NaiveDate;
    use sha2::{Digest, Sha256};

    /// The session key of the last registry upload's outcome.
    pub const LAST_IMPORT: &str = "registry_import";

    /// Whose report the signed-in user may see: `None` for the whole province (administrators),
    /// a market for its manager; anyone else is refused.
    pub async fn scope() -> Result<Option<Market>, AppError> {
        scope_of(&crate::api::session::actor().await?)
    }

    /// The rule behind [`scope`], for routes that find the actor themselves.
    pub fn scope_of(actor: &Actor) -> Result<Option<Market>, AppError> {
        match actor.role {
            Role::Admin => Ok(None),
            Role::MarketManager => actor.market.map(Some).ok_or(AppError::Forbidden),
            Role::Vendor | Role::Shopper => Err(AppError::Forbidden),
        }
    }

    /// The report of `scope` (the province when `None`) as of `as_of`, with what it was
    /// computed from. A market manager's report is their market alone: OCOP producers belong
    /// to the province, so their product coverage is left at zero.
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

    /// A report and what it was computed from.
    pub struct Scoped {
        pub facts: Facts,
        pub targets: Targets,
        pub segments: Vec<Segment>,
        pub report: Report,
    }

    /// The report date: today when empty, else `YYYY-MM-DD`.
    pub fn as_of(text: Option<&str>, today: NaiveDate) -> Result<NaiveDate, AppError> {
        match text.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(today),
            Some(s) => crate::domain::onboarding::parse_date(s)
                .ok_or(AppError::field("as_of", Invalid::Date)),
        }
    }

    /// A market manager links entries of their own market only.
    pub fn in_scope(actor: &Actor, entry: &RegistryEntry) -> bool {
        actor.role == Role::Admin || (actor.market.is_some() && entry.row.market == actor.market)
    }

    /// 32 random bytes, hex: unguessable, so a fast hash is enough to store it.
    pub fn new_token() -> String {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        format!("choso_{}", hex::encode(bytes))
    }

    pub fn token_hash(token: &str) -> String {
        hex::encode(Sha256::digest(token.as_bytes()))
    }
}
