//! A stall's set-up: what its vendor still has to do before shoppers can buy from it, as their
//! dashboard and the stall's reviewer see it, and the rule both review and the cart follow: a
//! stall that takes no payment method is not approved, and its goods don't go into a cart.
use crate::api::AppError;
use crate::authz::OwnerOf;
use crate::domain::invalid::Invalid;
use crate::domain::order::PaymentMethod;
use crate::domain::setup::{ProductFacts, SetupChecklist, SetupFacts};
use crate::model::{Product, ReviewDetails, Stall};
use crate::ports::Ports;

/// The methods shoppers can pay `stall` by now, on this site's card set-up.
pub async fn methods(ports: &Ports, stall: &Stall) -> Result<Vec<PaymentMethod>, AppError> {
    let settings = ports.stalls.payment_settings(stall.id).await?;
    Ok(settings.methods(ports.cards.mode()))
}

/// Refuses the goods of a stall that takes no payment method now, under the form's `field`:
/// every checkout of them would be refused at its last step.
pub async fn check_payable(ports: &Ports, stall: &Stall, field: &str) -> Result<(), AppError> {
    if methods(ports, stall).await?.is_empty() {
        return Err(AppError::field(
            field,
            Invalid::NotPayable {
                stall: stall.name.clone(),
            },
        ));
    }
    Ok(())
}

/// The checklist of `stall`, whose products (hidden ones too) are `products`.
pub async fn checklist(
    ports: &Ports,
    stall: &Stall,
    products: &[Product],
) -> Result<SetupChecklist, AppError> {
    let facts = SetupFacts {
        status: stall.status,
        stall_photo: stall.photo.is_some(),
        products: products
            .iter()
            .map(|p| ProductFacts {
                id: p.id,
                published: p.published,
                has_photo: !p.photos.is_empty(),
            })
            .collect(),
        methods: methods(ports, stall).await?,
    };
    Ok(SetupChecklist::new(&facts))
}

/// The owner's own checklist, for their dashboard.
#[tracing::instrument(skip_all, fields(stall = %owner.stall.id))]
pub async fn of_owner(ports: &Ports, owner: &OwnerOf) -> Result<SetupChecklist, AppError> {
    let products = ports.catalog.of_stall(owner.stall.id, false).await?;
    checklist(ports, &owner.stall, &products).await
}

/// What the reviewer weighs before making `stall` public: its owner, its products and its
/// checklist. Callers hold the reviewer's guard.
pub async fn review_details(ports: &Ports, stall: &Stall) -> Result<ReviewDetails, AppError> {
    let owner = ports
        .accounts
        .user(stall.owner_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let products = ports.catalog.of_stall(stall.id, false).await?;
    let checklist = checklist(ports, stall, &products).await?;
    Ok(ReviewDetails {
        owner_name: owner.full_name,
        owner_phone: owner.phone,
        products,
        checklist,
    })
}
