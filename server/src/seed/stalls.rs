//! Opening a demo stall as its vendor would: a slug no other stall has, the stall written,
//! linked to its vendor's registry entries, and walked through the moves a real one takes.
use super::Vendors;
use app::domain::id::{StallId, UserId};
use app::domain::slug::Slug;
use app::domain::stall::{StallMove, StallStatus, next_status};
use app::model::{Stall, StallDraft};
use app::ports::{Clock, Registry, Stalls};
use chrono::{DateTime, Utc};
use std::collections::HashSet;

/// The stall slugs taken so far.
#[derive(Default)]
pub(super) struct Slugs(HashSet<Slug>);

impl Slugs {
    /// A slug for a new stall: from its name, numbered when another stall has it.
    fn free(&mut self, name: &str) -> Slug {
        let base = Slug::from_name(name);
        let slug = std::iter::once(base.clone())
            .chain((2..).map(|n| base.with_suffix(n)))
            .find(|s| !self.0.contains(s))
            .expect("some numbered slug is free");
        self.0.insert(slug.clone());
        slug
    }
}

/// Writes `owner`'s new stall, as a draft under a free slug.
pub(super) async fn open(
    stalls: &dyn Stalls,
    slugs: &mut Slugs,
    owner: UserId,
    draft: &StallDraft,
) -> anyhow::Result<Stall> {
    stalls
        .create(owner, &slugs.free(&draft.name), draft)
        .await
        .map_err(|e| anyhow::anyhow!("stall {}: {e}", draft.name))
}

/// Links the stall to a registry entry, as the administrator confirms it.
pub(super) async fn link(
    vendors: &Vendors<'_>,
    entry_id: i64,
    stall_id: StallId,
) -> anyhow::Result<()> {
    vendors
        .seed
        .ports
        .registry
        .link(entry_id, Some(stall_id), vendors.staff.admin)
        .await
        .map_err(anyhow::Error::msg)
}

/// Walks a new stall from draft through `moves`, each at its own time, as its owner and its
/// reviewer would.
pub(super) async fn walk(
    stalls: &dyn Stalls,
    clock: &Clock,
    stall_id: StallId,
    moves: &[(StallMove, UserId, DateTime<Utc>)],
) -> anyhow::Result<StallStatus> {
    let mut status = StallStatus::Draft;
    for &(mv, actor, at) in moves {
        clock.set(at);
        let to = next_status(status, mv).map_err(anyhow::Error::msg)?;
        stalls
            .set_status(stall_id, status, to, None, actor)
            .await
            .map_err(anyhow::Error::msg)?;
        status = to;
    }
    Ok(status)
}
