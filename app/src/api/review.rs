//! Market managers and administrators approve, reject, suspend and reinstate stalls.
use super::AppError;
use crate::domain::stall::StallMove;
use crate::model::Stall;
use leptos::prelude::*;

pub const REASON_MAX: usize = 500;

/// The stalls this reviewer may act on: every stall for an administrator, their own market's
/// for a market manager.
#[server(endpoint = "review_queue")]
pub async fn review_queue() -> Result<Vec<Stall>, AppError> {
    let actor = super::session::actor().await?;
    let ports = super::ports()?;
    let mut stalls: Vec<Stall> = ports
        .stalls
        .list(&Default::default())
        .await?
        .into_iter()
        .filter(|stall| actor.can_review(&stall.place))
        .collect();
    if stalls.is_empty() && !actor.is_reviewer() {
        return Err(AppError::Forbidden);
    }
    // Waiting stalls first: they are the work to do.
    stalls.sort_by_key(|s| {
        (
            s.status != crate::domain::stall::StallStatus::Submitted,
            s.id,
        )
    });
    Ok(stalls)
}

#[server(endpoint = "move_stall")]
pub async fn move_stall(
    stall_id: i64,
    step: StallMove,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::invalid::required_text;
    use crate::domain::stall::{Mover, needs_reason, next_status, who_may};
    let (actor, stall) = server::reviewable(stall_id).await?;
    // Reviewers make the reviewer's moves only: submitting is the owner's to do.
    if who_may(step) != Mover::Reviewer {
        return Err(AppError::Forbidden);
    }
    let reason = if needs_reason(step) {
        Some(
            required_text(reason.as_deref().unwrap_or(""), REASON_MAX)
                .map_err(|e| AppError::field("reason", e))?,
        )
    } else {
        None
    };
    // The page offered this move for the status it showed; someone has moved the stall since.
    let to = next_status(stall.status, step).map_err(|_| AppError::Conflict)?;
    super::ports()?
        .stalls
        .set_status(stall.id, stall.status, to, reason, actor.user_id)
        .await?;
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod server {
    use crate::api::AppError;
    use crate::domain::role::Actor;
    use crate::model::Stall;

    /// The stall, if the signed-in user may review it: approve, suspend, link it to the
    /// registry. Whoever reviews nothing learns nothing, not even whether the stall exists.
    pub async fn reviewable(stall_id: i64) -> Result<(Actor, Stall), AppError> {
        let actor = crate::api::session::actor().await?;
        if !actor.is_reviewer() {
            return Err(AppError::Forbidden);
        }
        let stall = crate::api::ports()?
            .stalls
            .by_id(stall_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !actor.can_review(&stall.place) {
            return Err(AppError::Forbidden);
        }
        Ok((actor, stall))
    }
}
