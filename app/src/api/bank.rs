//! A vendor links their stall to a bank-notification service (payOS or SePay): the keys are
//! checked as typed, sealed with the server's key and never shown again; the page shows the
//! stall's own notification address, to paste into the service.
use super::AppError;
use crate::domain::bank_keys::BankKeysForm;
use crate::domain::bank_notice::BankService;
use leptos::server;
use serde::{Deserialize, Serialize};

/// The stall's link as its vendor sees it: the service, and the address it must post to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankLinkView {
    pub service: BankService,
    pub address: String,
    /// The stall's keys can't read its transfers (SePay linked before its API token was
    /// asked for): the page asks for the token.
    pub needs_api_token: bool,
}

#[server(endpoint = "my_bank_link")]
pub async fn my_bank_link() -> Result<Option<BankLinkView>, AppError> {
    let ports = super::ports()?;
    let owner = crate::authz::OwnerOf::stall_of(&ports, super::session::actor().await?).await?;
    let origin = crate::components::meta::origin();
    Ok(ports
        .bank
        .link_of(owner.stall.id)
        .await?
        .map(|link| BankLinkView {
            service: link.service,
            address: format!("{origin}/hooks/{}/{}", link.service, link.hook_token),
            needs_api_token: !ports.bank_services.reconciles(&link),
        }))
}

/// Links `service` with `keys`, replacing any earlier link (and so its address). The keys are
/// first tried on the service itself: keys it refuses, or a service out of reach, store
/// nothing.
#[server(endpoint = "link_bank_service")]
pub async fn link_bank_service(service: String, keys: BankKeysForm) -> Result<(), AppError> {
    use crate::domain::bank_keys::BankKeys;
    use crate::domain::invalid::Invalid;
    let ports = super::ports()?;
    let owner = crate::authz::OwnerOf::stall_of(&ports, super::session::actor().await?).await?;
    let service = service
        .parse::<BankService>()
        .map_err(|_| AppError::field("service", Invalid::Required))?;
    let keys = BankKeys::parse(service, &keys).map_err(AppError::Invalid)?;
    let sealed = serde_json::to_vec(&keys).map_err(super::error::unexpected)?;
    let link = crate::ports::BankLink {
        stall_id: owner.stall.id,
        service,
        sealed_keys: ports.sealer.seal(&sealed),
        // Unguessable: whoever knows it could post to the stall's address, though only a
        // message signed with the stall's keys is ever applied.
        hook_token: uuid::Uuid::new_v4().simple().to_string(),
    };
    ports
        .bank_services
        .check_keys(&link, &keys)
        .await
        .map_err(|error| refused_keys(service, error))?;
    ports.bank.link(&link).await?;
    ports.bank_services.linked(&link, &keys).await;
    tracing::info!(stall = %owner.stall.id, %service, "a bank-notification service was linked");
    super::notice::back_to("/my/payments", super::notice::BANK_LINKED);
    Ok(())
}

/// Unlinks the stall's service: its notifications are refused from then on.
#[server(endpoint = "unlink_bank_service")]
pub async fn unlink_bank_service(confirmed: Option<String>) -> Result<(), AppError> {
    let ports = super::ports()?;
    let owner = crate::authz::OwnerOf::stall_of(&ports, super::session::actor().await?).await?;
    crate::domain::confirm::confirmed(confirmed.as_deref()).map_err(super::error::unconfirmed)?;
    ports.bank.unlink(owner.stall.id).await?;
    Ok(())
}

/// The form's answer when the service did not take the keys: under the key it refused (payOS
/// tells only that its client id and API key don't go together; SePay's API token is the
/// only one its API reads), or under the service when it was out of reach.
#[cfg(feature = "ssr")]
fn refused_keys(service: BankService, error: crate::ports::BankApiError) -> AppError {
    use crate::domain::invalid::Invalid;
    use crate::ports::BankApiError;
    let field = match service {
        BankService::PayOs => "api_key",
        BankService::SePay => "api_token",
    };
    match error {
        BankApiError::KeysRefused | BankApiError::NotPossible => {
            AppError::field(field, Invalid::KeysRefused)
        }
        BankApiError::Unreachable(reason) | BankApiError::Refused(reason) => {
            tracing::warn!(%service, %reason, "keys could not be checked with the service");
            AppError::field("service", Invalid::ServiceUnreachable)
        }
    }
}

/// The vendor assigns a transfer that named two orders or none to one of their orders or
/// counter sales, by its code: it pays, part-pays or is money to give back as if it had named
/// that one alone, confirmed by the vendor. Assigned once: a second try is told it was.
#[server(endpoint = "assign_transfer")]
pub async fn assign_transfer(
    transfer: crate::domain::id::BankCreditId,
    code: String,
) -> Result<(), AppError> {
    use crate::domain::invalid::Invalid;
    use crate::ports::StoreError;
    let ports = super::ports()?;
    let owner = crate::authz::OwnerOf::stall_of(&ports, super::session::actor().await?).await?;
    let field = |invalid| AppError::field("code", invalid);
    if code.trim().is_empty() {
        return Err(field(Invalid::Required));
    }
    let assigned = ports
        .bank
        .assign(owner.stall.id, transfer, &code, owner.actor.user_id)
        .await;
    match assigned {
        Ok(outcome) => {
            tracing::info!(stall = %owner.stall.id, %transfer, kind = %outcome.kind(), "a vendor assigned a transfer");
        }
        Err(StoreError::NotFound) => return Err(field(Invalid::NoSuchCode)),
        Err(StoreError::Stale) => return Err(field(Invalid::AlreadyAssigned)),
        Err(err) => return Err(err.into()),
    }
    if super::error::plain_form_post() {
        super::notice::back_to("/my/transfers", super::notice::TRANSFER_ASSIGNED);
    }
    Ok(())
}
