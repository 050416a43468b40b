//! `POST /admin/registry` (multipart: `registry`, the CSV; `strict`, optional): an
//! administrator imports the vendor registry. The outcome is kept in the session for the
//! registry page, so it survives a reload and works without JavaScript.
//! `GET /admin/report.csv?as_of=YYYY-MM-DD`: the onboarding report as CSV, for the same people
//! who may see the page, in the language the page is read in (see
//! `app::pages::report::csv`).
use super::upload::all_fields;
use crate::startup::AppState;
use app::api::reports::{ImportOutcome, LAST_IMPORT};
use app::authz::extract::Refusal;
use app::authz::{Admin, ReportReader};
use app::domain::registry::FileProblem;
use app::pages::report::csv as report_export;
use app::service::reports::{as_of, report_for};
use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

/// How many rejected rows the page lists (and its download holds).
const SHOWN_REJECTIONS: usize = 1000;

pub async fn upload(
    State(state): State<AppState>,
    _admin: Admin,
    session: Session,
    mut form: Multipart,
) -> Response {
    let back = Redirect::to("/admin/registry#import");
    let outcome: ImportOutcome = match all_fields(&mut form).await {
        Err(()) => Err(FileProblem::TooLarge),
        Ok(fields) => {
            let strict = fields.contains_key("strict");
            match fields.get("registry").filter(|b| !b.is_empty()) {
                None => Err(FileProblem::NoHeader),
                Some(bytes) => match crate::registry::check(bytes) {
                    Err(problem) => Err(problem),
                    Ok(checked) => {
                        match crate::registry::import(
                            state.ports.registry.as_ref(),
                            checked,
                            strict,
                            &|_| {},
                        )
                        .await
                        {
                            // The session keeps the first rejections to show; the
                            // command line lists every one.
                            Ok(summary) => Ok(summary.keeping(SHOWN_REJECTIONS)),
                            Err(err) => {
                                tracing::error!(error = %err, "importing the registry failed");
                                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                            }
                        }
                    }
                },
            }
        }
    };
    if let Err(err) = session.insert(LAST_IMPORT, &outcome).await {
        tracing::error!(error = %err, "keeping the import's outcome failed");
    }
    back.into_response()
}

#[derive(Deserialize)]
pub struct ReportQuery {
    as_of: Option<String>,
}

pub async fn report_csv(
    State(state): State<AppState>,
    reader: Result<ReportReader, Refusal>,
    Query(q): Query<ReportQuery>,
    headers: HeaderMap,
) -> Response {
    // A download answers a missing sign-in with its status, not with the sign-in page.
    let scope = match reader {
        Ok(reader) => reader.scope,
        Err(Refusal {
            error: app::api::AppError::NotSignedIn,
            ..
        }) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(refusal) => return refusal.into_response(),
    };
    let today = state.ports.clock.today();
    let Ok(as_of) = as_of(q.as_of.as_deref(), today) else {
        return (
            StatusCode::BAD_REQUEST,
            "as_of must be a date written YYYY-MM-DD\n",
        )
            .into_response();
    };
    match report_for(state.ports.registry.as_ref(), scope, as_of).await {
        Ok(scoped) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"onboarding-{as_of}.csv\""),
                ),
            ],
            // A byte-order mark, so a spreadsheet opened by double-click reads the UTF-8
            // (district names are Vietnamese).
            format!(
                "\u{feff}{}",
                report_export::report_csv(&scoped.report, super::lang::locale_of(&headers))
            ),
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = ?err, "the onboarding report failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
