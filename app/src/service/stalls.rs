//! A vendor's own stall: opening it, saving changes, sending it for review.
use crate::api::AppError;
use crate::authz::StallKeeper;
use crate::domain::id::UserId;
use crate::domain::invalid::Invalid;
use crate::domain::slug::Slug;
use crate::domain::stall::{StallMove, next_status};
use crate::model::StallDraft;
use crate::ports::{Ports, StoreError, StoreResult};

/// What saving the stall did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    Opened,
    Changed,
    /// The change of place sent an approved or suspended stall back for review.
    BackInReview,
}

/// Opens the keeper's stall (as a draft) or saves changes to it. A shopper who opens a stall
/// becomes its vendor. A market's stall number already taken by another stall is refused
/// under `stall_no`.
#[tracing::instrument(skip_all)]
pub async fn save(
    ports: &Ports,
    keeper: StallKeeper,
    draft: &StallDraft,
) -> Result<Saved, AppError> {
    let owner = keeper.0.user_id;
    let pitch_taken = |err| match err {
        StoreError::Taken("stall_no") => AppError::field("stall_no", Invalid::PitchTaken),
        other => other.into(),
    };
    match ports.stalls.by_owner(owner).await? {
        Some(stall) => {
            let moved = ports
                .stalls
                .update(stall.id, draft, owner)
                .await
                .map_err(pitch_taken)?;
            Ok(if moved.is_some() {
                Saved::BackInReview
            } else {
                Saved::Changed
            })
        }
        None => {
            open(ports, owner, draft).await.map_err(pitch_taken)?;
            Ok(Saved::Opened)
        }
    }
}

/// Opens `owner_id`'s stall under a slug derived from its name; a taken one gets the first
/// free numeric suffix.
pub async fn open(ports: &Ports, owner_id: UserId, draft: &StallDraft) -> StoreResult<()> {
    let base = Slug::from_name(&draft.name);
    for n in 1..=50 {
        let slug = if n == 1 {
            base.clone()
        } else {
            base.with_suffix(n)
        };
        match ports.stalls.create(owner_id, &slug, draft).await {
            Err(StoreError::Taken("slug")) => continue,
            other => return other.map(|_| ()),
        }
    }
    Err(StoreError::Taken("slug"))
}

/// The owner sends their draft (or sent-back) stall to its reviewer. A stall already moved on
/// meanwhile is a conflict.
#[tracing::instrument(skip_all, fields(owner = %owner_id))]
pub async fn submit(ports: &Ports, owner_id: UserId) -> Result<(), AppError> {
    let stall = ports
        .stalls
        .by_owner(owner_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = next_status(stall.status, StallMove::Submit).map_err(|_| AppError::Conflict)?;
    ports
        .stalls
        .set_status(stall.id, stall.status, to, None, owner_id)
        .await?;
    Ok(())
}

/// The owner's printable placard: the stall, its best OCOP rating, a static VietQR (the
/// shopper types the amount) when it has a bank account, and a code leading to its page at
/// `origin`, the site's configured public address — a placard is printed once and must lead
/// to the real site for years.
#[tracing::instrument(skip_all)]
pub async fn placard(
    ports: &Ports,
    owner: crate::authz::OwnerOf,
    origin: &str,
) -> Result<crate::api::sales::Placard, AppError> {
    use super::payments::qr_svg;
    let stall = owner.stall;
    let pay_svg = match ports.stalls.payment_settings(stall.id).await?.bank {
        Some(bank) => {
            // The placard's own code leads the purpose: a transfer made through it is
            // recorded as a sale at the stall when the bank reports it.
            let purpose = crate::domain::counter_sale::SaleCode::PLACARD.to_string();
            let payload = crate::domain::vietqr::payload(&bank, None, None, Some(&purpose))
                .map_err(crate::api::error::unexpected)?;
            Some(qr_svg(&payload)?)
        }
        None => None,
    };
    let page_url = format!("{origin}/stalls/{}", stall.slug);
    let page_svg = qr_svg(&page_url)?;
    Ok(crate::api::sales::Placard {
        stall,
        pay_svg,
        page_url,
        page_svg,
    })
}
