//! Market managers and administrators approve, reject, suspend and reinstate stalls.
use super::AppError;
use crate::domain::id::StallId;
use crate::domain::stall::StallMove;
use crate::model::StallReview;
use leptos::prelude::*;

/// The stalls this reviewer may act on: every stall for an administrator, their own market's
/// for a market manager; those awaiting approval or reinstatement with their owner, products
/// and set-up checklist.
#[server(endpoint = "review_queue")]
pub async fn review_queue() -> Result<Vec<StallReview>, AppError> {
    let reviewer = crate::authz::Reviewer::check(super::session::actor().await?)?;
    crate::service::review::queue(&super::ports()?, reviewer).await
}

/// Approves, sends back, suspends or reinstates a stall in the reviewer's scope. A stall that
/// takes no payment method is neither approved nor reinstated.
#[server(endpoint = "move_stall")]
pub async fn move_stall(
    stall_id: StallId,
    step: StallMove,
    reason: Option<String>,
) -> Result<(), AppError> {
    let ports = super::ports()?;
    let review =
        crate::authz::ReviewerOf::stall(&ports, super::session::actor().await?, stall_id).await?;
    crate::service::review::move_stall(&ports, review, step, reason.as_deref()).await
}
