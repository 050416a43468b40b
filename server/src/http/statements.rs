//! `POST /my/statements` (multipart, field `statement`): a vendor's (or an administrator's)
//! bank statement; lines naming an open order's code with its amount mark it paid.
use super::upload::file_field;
use crate::startup::AppState;
use app::domain::role::Role;
use app::ports::StatementOutcome;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// A statement of a few years of a market stall's transfers fits well within this.
pub const MAX_STATEMENT_BYTES: usize = 2 * 1024 * 1024;

pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    mut form: Multipart,
) -> Response {
    let back = |outcome: String| Redirect::to(&format!("/my/statements?{outcome}")).into_response();
    let user = match app::api::session::user_of(&session, &state.ports).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to("/login?next=/my/statements").into_response(),
        Err(_) => return back("error=failed".into()),
    };
    // A vendor's statement can only pay that vendor's orders; an administrator's any order.
    let scope = match user.role {
        Role::Admin => None,
        Role::Vendor => match state.ports.stalls.by_owner(user.id).await {
            Ok(Some(stall)) => Some(stall.id),
            _ => return StatusCode::NOT_FOUND.into_response(),
        },
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let bytes = match file_field(&mut form, "statement").await {
        Ok(Some(bytes)) if bytes.len() <= MAX_STATEMENT_BYTES => bytes,
        Ok(Some(_)) | Err(()) => return back("error=too_large".into()),
        Ok(None) => return back("error=unreadable".into()),
    };
    let parsed = match crate::statements::parse(&bytes) {
        Ok(parsed) => parsed,
        Err(why) => {
            tracing::info!(reason = %why, "a statement was refused");
            return back("error=unreadable".into());
        }
    };
    match state
        .ports
        .statements
        .import(user.id, scope, &parsed.entries)
        .await
    {
        Ok(outcomes) => {
            let count = |f: fn(&StatementOutcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
            back(format!(
                "matched={}&unmatched={}&repeated={}&rejected={}",
                count(|o| matches!(o, StatementOutcome::Matched(_))),
                count(|o| matches!(o, StatementOutcome::Unmatched)),
                count(|o| matches!(o, StatementOutcome::AlreadyImported)),
                parsed.rejected.len()
            ))
        }
        Err(err) => {
            tracing::error!(error = %err, "importing a statement failed");
            back("error=failed".into())
        }
    }
}
