//! A stall's life: drafted by its owner, reviewed before it is shown, suspendable after.
use super::role::Role;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// Where a stall is in review.
    pub enum StallStatus {
        Draft = "draft",
        Submitted = "submitted",
        Approved = "approved",
        Suspended = "suspended",
    }
}

impl StallStatus {
    /// Whether shoppers may see the stall and its products.
    pub fn is_public(self) -> bool {
        self == StallStatus::Approved
    }
}

slug_enum! {
    /// Something done to a stall's status.
    pub enum StallMove {
        Submit = "submit",
        Approve = "approve",
        /// Sends a submitted stall back to its owner to fix.
        Reject = "reject",
        Suspend = "suspend",
        Reinstate = "reinstate",
    }
}

slug_enum! {
    /// Who may make a move: the stall's owner, or someone who [can review](super::role::Actor::can_review) it.
    pub enum Mover {
        Owner = "owner",
        Reviewer = "reviewer",
    }
}

/// A move that the stall's current status does not allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum MoveError {
    #[error("cannot {mv} a stall that is {from}")]
    NotAllowed { from: StallStatus, mv: StallMove },
}

/// The status after `mv`, or why it cannot be made from `from`.
pub fn next_status(from: StallStatus, mv: StallMove) -> Result<StallStatus, MoveError> {
    use StallMove as M;
    use StallStatus as S;
    match (from, mv) {
        (S::Draft, M::Submit) => Ok(S::Submitted),
        (S::Submitted, M::Approve) => Ok(S::Approved),
        (S::Submitted, M::Reject) => Ok(S::Draft),
        (S::Approved, M::Suspend) => Ok(S::Suspended),
        (S::Suspended, M::Reinstate) => Ok(S::Approved),
        _ => Err(MoveError::NotAllowed { from, mv }),
    }
}

/// Owners submit their own stalls; every other move is a review.
pub fn who_may(mv: StallMove) -> Mover {
    match mv {
        StallMove::Submit => Mover::Owner,
        StallMove::Approve | StallMove::Reject | StallMove::Suspend | StallMove::Reinstate => {
            Mover::Reviewer
        }
    }
}

/// Whether someone with `role` may keep a stall. A shopper may open one (and so becomes its
/// vendor, as if they had signed up as one); market managers and administrators review
/// stalls, and one who kept a stall could approve their own.
pub fn may_keep_a_stall(role: Role) -> bool {
    matches!(role, Role::Shopper | Role::Vendor)
}

/// The status a stall takes when its owner changes where it trades (its market, stall number
/// or OCOP details). An approval covers one place, granted by that place's reviewer (for an
/// OCOP producer, an administrator), so an approved or suspended stall goes back for review;
/// a draft or a stall already awaiting review keeps its status.
pub fn after_moving(from: StallStatus) -> StallStatus {
    match from {
        StallStatus::Approved | StallStatus::Suspended => StallStatus::Submitted,
        StallStatus::Draft | StallStatus::Submitted => from,
    }
}

/// Moves that take something away from a vendor must say why, so they know what to fix.
pub fn needs_reason(mv: StallMove) -> bool {
    matches!(mv, StallMove::Reject | StallMove::Suspend)
}

#[cfg(test)]
mod tests {
    use super::*;
    use StallMove as M;
    use StallStatus as S;

    const ALLOWED: [(StallStatus, StallMove, StallStatus); 5] = [
        (S::Draft, M::Submit, S::Submitted),
        (S::Submitted, M::Approve, S::Approved),
        (S::Submitted, M::Reject, S::Draft),
        (S::Approved, M::Suspend, S::Suspended),
        (S::Suspended, M::Reinstate, S::Approved),
    ];

    #[test]
    fn exactly_the_five_listed_moves_are_allowed_and_every_other_pair_is_refused() {
        for from in StallStatus::ALL {
            for mv in StallMove::ALL {
                let expected = ALLOWED
                    .iter()
                    .find(|(f, m, _)| (*f, *m) == (from, mv))
                    .map(|(_, _, to)| *to)
                    .ok_or(MoveError::NotAllowed { from, mv });
                assert_eq!(next_status(from, mv), expected, "{from} {mv}");
            }
        }
    }

    #[test]
    fn only_an_approved_stall_is_public() {
        let public: Vec<_> = StallStatus::ALL
            .into_iter()
            .filter(|s| s.is_public())
            .collect();
        assert_eq!(public, vec![S::Approved]);
    }

    #[test]
    fn the_owner_submits_and_reviewers_make_every_other_move() {
        for mv in StallMove::ALL {
            let expected = if mv == M::Submit {
                Mover::Owner
            } else {
                Mover::Reviewer
            };
            assert_eq!(who_may(mv), expected, "{mv}");
        }
    }

    #[test]
    fn rejecting_and_suspending_need_a_reason() {
        let with_reason: Vec<_> = StallMove::ALL
            .into_iter()
            .filter(|&m| needs_reason(m))
            .collect();
        assert_eq!(with_reason, vec![M::Reject, M::Suspend]);
    }

    #[test]
    fn shoppers_and_vendors_keep_stalls_and_staff_never() {
        for role in Role::ALL {
            let expected = matches!(role, Role::Shopper | Role::Vendor);
            assert_eq!(may_keep_a_stall(role), expected, "{role}");
        }
    }

    #[test]
    fn moving_an_approved_or_suspended_stall_sends_it_back_for_review() {
        assert_eq!(after_moving(S::Approved), S::Submitted);
        assert_eq!(after_moving(S::Suspended), S::Submitted);
        assert_eq!(after_moving(S::Submitted), S::Submitted);
        assert_eq!(after_moving(S::Draft), S::Draft);
    }

    #[test]
    fn a_refused_move_explains_itself() {
        let err = next_status(S::Draft, M::Approve).unwrap_err();
        assert_eq!(err.to_string(), "cannot approve a stall that is draft");
    }
}
