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
        }))
}

/// Links `service` with `keys`, replacing any earlier link (and so its address).
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
    ports.bank.link(&link).await?;
    ports.bank_services.linked(&link, &keys).await;
    tracing::info!(stall = %owner.stall.id, %service, "a bank-notification service was linked");
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
