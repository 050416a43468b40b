//! The demo's first vendor takes transfers confirmed by the bank through SePay, and a
//! Sa Pa weaver through payOS: with the built-in stand-in answering for both, `make run` shows
//! a transfer made on its bank page paying an order, or a sale at the stall, by itself.
use super::Seed;
use crate::db::bank::BankStore;
use crate::payments::bank_keys::{BankKeys, SealedKeys};
use anyhow::Context;
use app::domain::email::Login;
use app::domain::id::StallId;
use app::ports::{Accounts, BankLink, BankNotices, Stalls};

/// The vendor the README's walk-through signs in as, linked to SePay.
const DEMO_VENDOR: &str = "0912468201";

/// The demo vendor linked to payOS (Thổ cẩm H'Mông Lao Chải, Sa Pa).
const PAYOS_VENDOR: &str = "0385442109";

/// The stall of the demo's first vendor, who takes transfers the bank confirms and sells at
/// the stall too.
pub(super) async fn demo_vendor_stall(seed: &Seed<'_>) -> anyhow::Result<StallId> {
    stall_of(seed, DEMO_VENDOR).await
}

async fn stall_of(seed: &Seed<'_>, phone: &str) -> anyhow::Result<StallId> {
    let login = Login::parse(phone).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let user = seed
        .ports
        .accounts
        .by_login(&login)
        .await?
        .with_context(|| format!("the demo vendor {phone}"))?;
    let stall = seed
        .ports
        .stalls
        .by_owner(user.id)
        .await?
        .with_context(|| format!("the stall of the demo vendor {phone}"))?;
    Ok(stall.id)
}

/// Links the first vendor to SePay and the weaver to payOS, with keys made up for the
/// stand-in, which opens an account for each link when the server starts.
pub(super) async fn link_demo_vendors(
    seed: &Seed<'_>,
    settings: &crate::config::Settings,
) -> anyhow::Result<()> {
    let made_up = || uuid::Uuid::new_v4().simple().to_string();
    let sepay = BankKeys::SePay {
        webhook_secret: made_up(),
        api_token: Some(made_up().to_uppercase()),
    };
    link(seed, settings, DEMO_VENDOR, sepay).await?;
    let payos = BankKeys::PayOs {
        client_id: made_up(),
        api_key: made_up(),
        checksum_key: made_up() + &made_up(),
    };
    link(seed, settings, PAYOS_VENDOR, payos).await
}

async fn link(
    seed: &Seed<'_>,
    settings: &crate::config::Settings,
    phone: &str,
    keys: BankKeys,
) -> anyhow::Result<()> {
    let link = BankLink {
        stall_id: stall_of(seed, phone).await?,
        service: keys.service(),
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
