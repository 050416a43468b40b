//! The registry and the onboarding report: administrators see the province, a market manager
//! their own market; linking registry entries to stalls; targets; the reporting API's tokens.
use crate::api::AppError;
use crate::domain::id::StallId;
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
    let reader = crate::authz::ReportReader::check(super::session::actor().await?)?;
    crate::service::reports::onboarding_page(
        &super::ports()?,
        reader,
        as_of.as_deref(),
        segment.as_deref(),
    )
    .await
}

/// The targets form as posted: the year, and each segment's (and `ocop_products`')
/// percentage by its key, `targets[market:coc-leu]=80`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetsForm {
    pub year: i32,
    #[serde(default)]
    pub targets: std::collections::BTreeMap<String, String>,
}

/// The targets form's name for [`super::refused`].
pub const TARGETS_FORM: &str = "targets";

/// An administrator sets the year's targets of every segment and of OCOP products with one
/// form: all of them are saved, or none when one is wrong (each wrong one marked). Without
/// JavaScript a refused form comes back with what was typed.
#[server(endpoint = "save_targets")]
pub async fn save_targets(form: TargetsForm) -> Result<(), AppError> {
    super::refused::keeping(TARGETS_FORM, &form, save_targets_now(&form)).await
}

#[cfg(feature = "ssr")]
async fn save_targets_now(form: &TargetsForm) -> Result<(), AppError> {
    let admin = crate::authz::Admin::check(super::session::actor().await?)?;
    crate::service::reports::save_targets(&super::ports()?, admin, form.year, &form.targets)
        .await?;
    super::notice::back_to("/admin/report", super::notice::TARGETS_SAVED);
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

/// The session key of the last registry upload's outcome.
pub const LAST_IMPORT: &str = "registry_import";

#[server(endpoint = "registry_overview")]
pub async fn registry_overview(
    #[server(default)] search: RegistrySearch,
) -> Result<RegistryView, AppError> {
    let reader = crate::authz::ReportReader::check(super::session::actor().await?)?;
    let last_import = super::session::session()
        .await?
        .get::<ImportOutcome>(LAST_IMPORT)
        .await
        .map_err(super::error::unexpected)?;
    let view = crate::service::reports::registry_page(&super::ports()?, reader, &search).await?;
    Ok(RegistryView {
        // Only administrators import.
        last_import: last_import.filter(|_| reader.scope.is_none()),
        ..view
    })
}

/// The registry entries of every stall in the reviewer's queue, by stall.
#[server(endpoint = "review_registry")]
pub async fn review_registry() -> Result<Vec<(StallId, StallEntries)>, AppError> {
    let reviewer = crate::authz::Reviewer::check(super::session::actor().await?)?;
    let ports = super::ports()?;
    let stalls = crate::service::review::stalls_in_scope(&ports, reviewer).await?;
    let found = ports.registry.for_stalls(&stalls).await?;
    Ok(found.into_iter().collect())
}

/// A reviewer confirms that the registry entry `external_id` is this stall's vendor.
#[server(endpoint = "link_registry_entry")]
pub async fn link_registry_entry(stall_id: StallId, external_id: String) -> Result<(), AppError> {
    let ports = super::ports()?;
    let review =
        crate::authz::ReviewerOf::stall(&ports, super::session::actor().await?, stall_id).await?;
    crate::service::review::link_entry(&ports, review, &external_id).await
}

/// A reviewer undoes a wrong link, once confirmed: the report stops counting the entry.
#[server(endpoint = "unlink_registry_entry")]
pub async fn unlink_registry_entry(
    stall_id: StallId,
    entry_id: i64,
    confirmed: Option<String>,
) -> Result<(), AppError> {
    let ports = super::ports()?;
    let review =
        crate::authz::ReviewerOf::stall(&ports, super::session::actor().await?, stall_id).await?;
    crate::domain::confirm::confirmed(confirmed.as_deref()).map_err(super::error::unconfirmed)?;
    crate::service::review::unlink_entry(&ports, review, entry_id).await
}

/// The reporting API's tokens (administrators only).
#[server(endpoint = "api_tokens")]
pub async fn api_tokens() -> Result<Vec<ApiToken>, AppError> {
    crate::authz::Admin::check(super::session::actor().await?)?;
    Ok(super::ports()?.api_tokens.list().await?)
}

/// A new token, shown this once: only its hash is kept. Called by the app it is the answer;
/// posted by the browser's form (the answer is then a redirect, and lost), it waits in the
/// administrator's session for the tokens page, which takes it out as it shows it (see
/// [`take_new_api_token`]), for [`NEW_API_TOKEN_WAIT_SECS`] at most, and the answer is empty.
#[server(endpoint = "create_api_token")]
pub async fn create_api_token(name: String) -> Result<String, AppError> {
    use crate::domain::invalid::{NAME_MAX, required_text};
    let admin = crate::authz::Admin::check(super::session::actor().await?)?;
    let name = required_text(&name, NAME_MAX).map_err(|e| AppError::field("name", e))?;
    let token = crate::service::reports::create_api_token(&super::ports()?, admin, &name).await?;
    if !super::error::plain_form_post() {
        return Ok(token);
    }
    // Not in the address the browser is sent to: addresses end up in the history, in logs and
    // in the `Referer` of the next request. The session is the visitor's own and is kept in the
    // database, so the secret sits in its row only until the page the redirect leads to is
    // shown, the very next request. The server's sealing key can't hide it there: only the
    // server's adapters open what it seals, and the page must.
    let waiting = WaitingToken {
        token,
        created_at: chrono::Utc::now().timestamp(),
    };
    super::session::session()
        .await?
        .insert(NEW_API_TOKEN, &waiting)
        .await
        .map_err(super::error::unexpected)?;
    leptos_axum::redirect("/admin/tokens");
    Ok(String::new())
}

/// The session key a token created by a posted form waits under until the tokens page shows it.
pub const NEW_API_TOKEN: &str = "new_api_token";

/// How long a token created by a posted form waits in the session for the tokens page. That
/// page is the very next request, the redirect's; when it never comes (the browser closed, the
/// connection lost), the secret would otherwise stay in the session's row for as long as the
/// sign-in lasts, days. Past this it is gone: not shown, and taken out of the session by the
/// next request that finds it ([`drop_stale_api_token`]). Minutes, not seconds, so a slow
/// phone connection still gets it.
pub const NEW_API_TOKEN_WAIT_SECS: i64 = 5 * 60;

/// A token waiting in the session under [`NEW_API_TOKEN`]: the secret, and when it was put
/// there (unix seconds, by the system's clock, as sessions are timed).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WaitingToken {
    pub token: String,
    pub created_at: i64,
}

impl WaitingToken {
    /// Whether the token may still be shown at `now` (unix seconds): it waited no longer than
    /// [`NEW_API_TOKEN_WAIT_SECS`].
    pub fn is_fresh_at(&self, now: i64) -> bool {
        now - self.created_at <= NEW_API_TOKEN_WAIT_SECS
    }
}

/// The token created last by this session's form, taken out of the session: the tokens page
/// shows it this once, and a second view doesn't, nor a view after it waited too long. Not a
/// server function: nothing but the rendering of that page hands the secret out.
pub async fn take_new_api_token() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let session = super::session::session().await.ok()?;
        match session.remove::<WaitingToken>(NEW_API_TOKEN).await {
            Ok(waiting) => waiting
                .filter(|w| w.is_fresh_at(chrono::Utc::now().timestamp()))
                .map(|w| w.token),
            Err(error) => {
                tracing::warn!(%error, "the new API token could not be taken from the session");
                None
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    None
}

/// Takes a token that waited too long out of `session`; the server calls it after every
/// request, so the secret of a tokens page never opened leaves the session's row with the
/// administrator's next request. A value under the key that isn't a [`WaitingToken`] goes too.
#[cfg(feature = "ssr")]
pub async fn drop_stale_api_token(
    session: &tower_sessions::Session,
) -> Result<(), tower_sessions::session::Error> {
    let stale = match session.get::<WaitingToken>(NEW_API_TOKEN).await {
        Ok(waiting) => waiting.is_some_and(|w| !w.is_fresh_at(chrono::Utc::now().timestamp())),
        Err(tower_sessions::session::Error::SerdeJson(_)) => true,
        Err(error) => return Err(error),
    };
    if stale {
        session.remove_value(NEW_API_TOKEN).await?;
    }
    Ok(())
}

/// An administrator revokes a token, once confirmed: the system using it is shut out at once,
/// for good.
#[server(endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: i64, confirmed: Option<String>) -> Result<(), AppError> {
    crate::authz::Admin::check(super::session::actor().await?)?;
    crate::domain::confirm::confirmed(confirmed.as_deref()).map_err(super::error::unconfirmed)?;
    super::ports()?.api_tokens.revoke(id).await?;
    super::notice::back_to("/admin/tokens", super::notice::TOKEN_REVOKED);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_token_waits_five_minutes_for_its_page_and_no_longer() {
        let waiting = WaitingToken {
            token: "choso_x".into(),
            created_at: 1_000,
        };
        assert!(waiting.is_fresh_at(1_000));
        assert!(waiting.is_fresh_at(1_000 + 5 * 60));
        assert!(!waiting.is_fresh_at(1_000 + 5 * 60 + 1));
        assert!(!waiting.is_fresh_at(1_000 + 30 * 24 * 3600));
    }
}
