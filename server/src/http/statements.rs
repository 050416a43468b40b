//! `POST /my/statements` (multipart, field `statement`): a vendor's (or an administrator's)
//! bank statement; lines naming an open order's code with its amount mark it paid. The
//! outcome, with every unreadable line, is kept in the session for the statements page, so it
//! survives a reload and works without JavaScript.
use super::upload::file_field;
use crate::startup::AppState;
use app::api::sales::{
    LAST_STATEMENT, SHOWN_REJECTIONS, StatementImport, StatementRefusal, StatementTally,
};
use app::authz::Bookkeeper;
use app::domain::id::{StallId, UserId};
use app::model::StatementMatch;
use app::ports::StatementOutcome;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// A statement of a few years of a market stall's transfers fits well within this.
pub const MAX_STATEMENT_BYTES: usize = 2 * 1024 * 1024;

pub async fn upload(
    State(state): State<AppState>,
    books: Bookkeeper,
    session: Session,
    mut form: Multipart,
) -> Response {
    // A vendor's statement can only pay that vendor's orders; an administrator's any order.
    let outcome = import(&state, books.actor.user_id, books.stall, &mut form).await;
    if let Err(err) = session.insert(LAST_STATEMENT, &outcome).await {
        tracing::error!(error = %err, "keeping the statement's outcome failed");
    }
    Redirect::to("/my/statements").into_response()
}

async fn import(
    state: &AppState,
    uploader: UserId,
    scope: Option<StallId>,
    form: &mut Multipart,
) -> StatementImport {
    let bytes = match file_field(form, "statement").await {
        Ok(Some(bytes)) if bytes.len() <= MAX_STATEMENT_BYTES => bytes,
        Ok(Some(_)) | Err(()) => return Err(StatementRefusal::TooLarge),
        Ok(None) => return Err(StatementRefusal::Unreadable),
    };
    let parsed = crate::statements::parse(&bytes).map_err(|why| {
        tracing::info!(reason = %why, "a statement was refused");
        StatementRefusal::Unreadable
    })?;
    let outcomes = state
        .ports
        .statements
        .import(uploader, scope, &parsed.entries)
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "importing a statement failed");
            StatementRefusal::Failed
        })?;
    Ok(tally(&outcomes, parsed.rejected))
}

/// Counts what each line did; keeps the first unreadable lines to list.
fn tally(
    outcomes: &[StatementOutcome],
    mut rejected: Vec<app::api::sales::RejectedLine>,
) -> StatementTally {
    let mut tally = StatementTally {
        rejected_count: rejected.len(),
        ..Default::default()
    };
    for outcome in outcomes {
        let count = match outcome {
            StatementOutcome::Imported(StatementMatch::Paid(_)) => &mut tally.matched,
            StatementOutcome::Imported(
                StatementMatch::AlreadyPaid(_) | StatementMatch::Expired(_),
            ) => &mut tally.to_return,
            StatementOutcome::Imported(StatementMatch::Unmatched) => &mut tally.unmatched,
            StatementOutcome::AlreadyImported => &mut tally.repeated,
        };
        *count += 1;
    }
    rejected.truncate(SHOWN_REJECTIONS);
    tally.rejected = rejected;
    tally
}
