//! Review: market managers and administrators approve, send back, suspend and reinstate
//! stalls, and link them to the registry's entries.
use crate::api::AppError;
use crate::authz::{Reviewer, ReviewerOf};
use crate::domain::invalid::{Invalid, required_text};
use crate::domain::setup::needs_a_payment_method;
use crate::domain::stall::{Mover, StallMove, StallStatus, needs_reason, next_status, who_may};
use crate::model::{Stall, StallReview};
use crate::ports::Ports;

/// The longest reason a reviewer may give.
pub const REASON_MAX: usize = 500;

/// The stalls a reviewer may act on — every stall for an administrator, their own market's
/// for a manager — waiting ones first: they are the work to do.
pub async fn stalls_in_scope(ports: &Ports, reviewer: Reviewer) -> Result<Vec<Stall>, AppError> {
    let mut stalls: Vec<Stall> = ports
        .stalls
        .list(&Default::default())
        .await?
        .into_iter()
        .filter(|stall| reviewer.reviews(stall))
        .collect();
    stalls.sort_by_key(|s| (s.status != StallStatus::Submitted, s.id));
    Ok(stalls)
}

/// The reviewer's queue, [`stalls_in_scope`]. A stall the reviewer's next move would make
/// public (submitted or suspended) comes with its owner, products and checklist, so it is
/// weighed before it is approved.
#[tracing::instrument(skip_all)]
pub async fn queue(ports: &Ports, reviewer: Reviewer) -> Result<Vec<StallReview>, AppError> {
    let stalls = stalls_in_scope(ports, reviewer).await?;
    let mut queue = Vec::with_capacity(stalls.len());
    for stall in stalls {
        let details = match stall.status {
            StallStatus::Submitted | StallStatus::Suspended => {
                Some(super::setup::review_details(ports, &stall).await?)
            }
            StallStatus::Draft | StallStatus::Approved => None,
        };
        queue.push(StallReview { stall, details });
    }
    Ok(queue)
}

/// Makes a reviewer's move on the stall; a move that needs a reason gets one. The page offered
/// the move for the status it showed: a stall moved since is a conflict.
#[tracing::instrument(skip_all, fields(stall = %review.stall.id, step = ?step))]
pub async fn move_stall(
    ports: &Ports,
    review: ReviewerOf,
    step: StallMove,
    reason: Option<&str>,
) -> Result<(), AppError> {
    // Reviewers make the reviewer's moves only: submitting is the owner's to do.
    if who_may(step) != Mover::Reviewer {
        return Err(AppError::Forbidden);
    }
    let reason = if needs_reason(step) {
        Some(
            required_text(reason.unwrap_or(""), REASON_MAX)
                .map_err(|e| AppError::field("reason", e))?,
        )
    } else {
        None
    };
    let stall = review.stall;
    let to = next_status(stall.status, step).map_err(|_| AppError::Conflict)?;
    // A public stall that can't be paid is a trap: its goods go into carts and every checkout
    // is refused. (Should the vendor drop their last method after this, the cart refuses the
    // stall's goods instead: see `setup::check_payable`.)
    if needs_a_payment_method(step) && super::setup::methods(ports, &stall).await?.is_empty() {
        return Err(AppError::field("step", Invalid::NoPaymentMethod));
    }
    ports
        .stalls
        .set_status(stall.id, stall.status, to, reason, review.actor.user_id)
        .await?;
    Ok(())
}

/// The reviewer confirms that the registry entry `external_id` is this stall's vendor. An
/// entry outside the reviewer's scope is unknown; one linked to another stall is taken.
#[tracing::instrument(skip_all, fields(stall = %review.stall.id))]
pub async fn link_entry(
    ports: &Ports,
    review: ReviewerOf,
    external_id: &str,
) -> Result<(), AppError> {
    let entry = ports
        .registry
        .by_external_id(external_id)
        .await?
        .filter(|e| review.may_link(e))
        .ok_or(AppError::field("external_id", Invalid::Unknown))?;
    if entry
        .stall
        .as_ref()
        .is_some_and(|s| s.id != review.stall.id)
    {
        return Err(AppError::field("external_id", Invalid::Taken));
    }
    ports
        .registry
        .link(entry.id, Some(review.stall.id), review.actor.user_id)
        .await?;
    Ok(())
}

/// The reviewer undoes a wrong link of this stall.
#[tracing::instrument(skip_all, fields(stall = %review.stall.id, entry = %entry_id))]
pub async fn unlink_entry(
    ports: &Ports,
    review: ReviewerOf,
    entry_id: i64,
) -> Result<(), AppError> {
    let entry = ports
        .registry
        .entry(entry_id)
        .await?
        .filter(|e| e.stall.as_ref().is_some_and(|s| s.id == review.stall.id))
        .ok_or(AppError::NotFound)?;
    ports
        .registry
        .link(entry.id, None, review.actor.user_id)
        .await?;
    Ok(())
}
