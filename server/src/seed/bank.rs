//! The demo's first vendor takes transfers confirmed by the bank, through SePay: with the
//! built-in stand-in answering for SePay, `make run` shows a transfer made on its bank page
//! paying the order by itself.
use super::Seed;
use crate::db::bank::BankStore;
use crate::payments::bank_keys::{BankKeys, SealedKeys};
use anyhow::Context;
use app::domain::bank_notice::BankService;
use app::domain::email::Login;
use app::domain::id::StallId;
use app::ports::{Accounts, BankLink, BankNotices, Stalls};

/// The vendor the README's walk-through signs in as.
const DEMO_VENDOR: &str = "0912468201";

/// The stall of the demo's first vendor, who takes transfers the bank confirms and sells at
/// the stall too.
pub(super) async fn demo_vendor_stall(seed: &Seed<'_>) -> anyhow::Result<StallId> {
    let login = Login::parse(DEMO_VENDOR).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let user = seed
        .ports
        .accounts
        .by_login(&login)
        .await?
        .context("the demo vendor")?;
    let stall = seed
        .ports
        .stalls
        .by_owner(user.id)
        .await?
        .context("the demo vendor's stall")?;
    Ok(stall.id)
}

pub(super) async fn link_demo_vendor(
    seed: &Seed<'_>,
    settings: &crate::config::Settings,
) -> anyhow::Result<()> {
    let stall_id = demo_vendor_stall(seed).await?;
    let keys = BankKeys::SePay {
        webhook_secret: uuid::Uuid::new_v4().simple().to_string(),
        api_token: Some(uuid::Uuid::new_v4().simple().to_string().to_uppercase()),
    };
    let link = BankLink {
        stall_id,
        service: BankService::SePay,
        sealed_keys: keys.seal(&crate::sealed::sealing_key(settings)?),
        hook_token: uuid::Uuid::new_v4().simple().to_string(),
    };
    BankStore(
        seed.db.clone(),
        seed.clock.clone(),
        crate::live::Hub::unwatched(seed.db.clone()),
    )
    .link(&link)
    .await?;
    Ok(())
}
