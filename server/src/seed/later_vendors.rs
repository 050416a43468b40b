//! The vendors beyond the demo's who came on board since the registry was imported
//! (`onboarding.json`), in the order they did: plain stalls with a product or two and no
//! photos, each taken as far as its plan says, and some losing a stage again later.
use super::orders::Onboarded;
use super::payments::later_payments;
use super::products::{self, DemoOcop};
use super::stalls::{self, Slugs};
use super::timeline::{LaterDates, Outcome, later_dates};
use super::{DEMO_PASSWORD, Vendors, add_account, hash};
use anyhow::Context;
use app::domain::category::Category;
use app::domain::email::Login;
use app::domain::id::{ProductId, StallId};
use app::domain::market::TradingDays;
use app::domain::money::Dong;
use app::domain::phone::Phone;
use app::domain::quantity::Unit;
use app::domain::role::{Role, StallPlace};
use app::domain::stall::{StallMove, StallStatus, next_status};
use app::model::{ProductDraft, Stall, StallDraft};
use app::ports::{Catalog, Stalls};
use chrono::Duration;
use serde::Deserialize;

#[derive(Deserialize)]
struct Onboarding {
    vendors: Vec<LaterVendor>,
}

#[derive(Deserialize)]
struct LaterVendor {
    /// The registry entries the stall is linked to: the vendor's own, and for a household on
    /// both lists its row in the other one.
    entries: Vec<String>,
    full_name: String,
    phone: String,
    stall: LaterStall,
    products: Vec<LaterProduct>,
    outcome: Outcome,
}

#[derive(Deserialize)]
struct LaterStall {
    name: String,
    place: StallPlace,
    description_vi: String,
}

#[derive(Deserialize)]
struct LaterProduct {
    name: String,
    description_vi: String,
    category: Category,
    unit: Unit,
    price: i64,
    ocop: Option<DemoOcop>,
}

/// Brings every later vendor as far as its plan says; returns the stalls that ended onboarded.
pub(super) async fn onboard(
    vendors: &Vendors<'_>,
    slugs: &mut Slugs,
) -> anyhow::Result<Vec<Onboarded>> {
    let later: Onboarding = serde_json::from_str(include_str!("onboarding.json"))
        .context("reading seed/onboarding.json")?;
    // The later vendors all share the demo password, and hashing it once keeps the seed quick.
    let password_hash = hash(DEMO_PASSWORD).await?;
    let outcomes: Vec<Outcome> = later.vendors.iter().map(|v| v.outcome).collect();
    let plans = later_dates(&vendors.seed.cal, &outcomes);
    let mut onboarded = Vec::new();
    for (j, (vendor, dates)) in later.vendors.into_iter().zip(plans).enumerate() {
        let outcome = vendor.outcome;
        let stall_id = onboard_vendor(vendors, slugs, &password_hash, j, vendor, &dates)
            .await
            .with_context(|| format!("seed/onboarding.json, vendor {}", j + 1))?;
        if outcome == Outcome::Onboarded {
            onboarded.push(Onboarded {
                stall_id,
                since: vendors.seed.clock.now(),
                may_sell: true,
            });
        }
    }
    Ok(onboarded)
}

/// One later vendor's account, stall, products and payments, each on its planned date, and
/// the stall linked to the vendor's registry entries. Returns the stall's id.
async fn onboard_vendor(
    vendors: &Vendors<'_>,
    slugs: &mut Slugs,
    password_hash: &str,
    index: usize,
    vendor: LaterVendor,
    dates: &LaterDates,
) -> anyhow::Result<StallId> {
    let Vendors { seed, staff, .. } = *vendors;
    let phone =
        Phone::parse(&vendor.phone).map_err(|e| anyhow::anyhow!("{}: {e}", vendor.phone))?;
    seed.clock.set(dates.opened);
    let owner = add_account(
        &seed.ports.accounts,
        &vendor.full_name,
        Login::Phone(phone.clone()),
        password_hash.to_owned(),
        Role::Vendor,
    )
    .await?;
    let reviewer = staff.reviewer(&vendor.stall.place);
    let trading_days = match &vendor.stall.place {
        StallPlace::Market { market, .. } => market.market_days(),
        StallPlace::Ocop { .. } => TradingDays::EVERY_DAY,
    };
    let draft = StallDraft {
        name: vendor.stall.name.clone(),
        place: vendor.stall.place,
        description_vi: vendor.stall.description_vi,
        description_en: None,
        phone,
        trading_days,
    };
    let stall = stalls::open(&seed.ports.stalls, slugs, owner, &draft).await?;
    seed.clock.set(dates.linked);
    for external_id in &vendor.entries {
        let entry = vendors.entries.get(external_id)?;
        anyhow::ensure!(
            entry.stall.is_none(),
            "registry entry {external_id} is already linked"
        );
        stalls::link(vendors, entry.id, stall.id).await?;
    }
    let mut moves = vec![(StallMove::Submit, owner, dates.submitted)];
    if let Some(at) = dates.approved {
        moves.push((StallMove::Approve, reviewer, at));
    }
    stalls::walk(&seed.ports.stalls, &seed.clock, stall.id, &moves).await?;
    let products = list_products(vendors, &stall, dates, vendor.products).await?;
    if let Some(at) = dates.payments {
        seed.clock.set(at);
        seed.ports
            .stalls
            .set_payment_settings(stall.id, &later_payments(&vendor.full_name, index)?)
            .await
            .map_err(anyhow::Error::msg)?;
    }
    if let Some(at) = dates.lost {
        seed.clock.set(at);
        lose_a_stage(vendors, vendor.outcome, stall.id, &products).await?;
    }
    Ok(stall.id)
}

/// The stall's products, forty minutes apart, all published; returns their ids.
async fn list_products(
    vendors: &Vendors<'_>,
    stall: &Stall,
    dates: &LaterDates,
    products: Vec<LaterProduct>,
) -> anyhow::Result<Vec<ProductId>> {
    let seed = vendors.seed;
    let mut ids = Vec::new();
    for (k, p) in products.into_iter().enumerate() {
        seed.clock
            .set(dates.products + Duration::minutes(40 * k as i64));
        let draft = ProductDraft {
            name: p.name.clone(),
            description_vi: p.description_vi,
            description_en: None,
            category: p.category,
            unit: p.unit,
            price: Dong::price(p.price).map_err(|e| anyhow::anyhow!("{}: price {e}", p.name))?,
            stock: None,
            stock_shown: None,
            ocop: p.ocop.map(DemoOcop::cert).transpose()?,
            published: true,
        };
        ids.push(products::list(&seed.ports.catalog, stall, &draft, &[]).await?);
    }
    Ok(ids)
}

/// An onboarded stall that drops out again: its products taken down, or the stall suspended.
async fn lose_a_stage(
    vendors: &Vendors<'_>,
    outcome: Outcome,
    stall_id: StallId,
    products: &[ProductId],
) -> anyhow::Result<()> {
    let ports = &vendors.seed.ports;
    match outcome {
        Outcome::HiddenLater => {
            for &id in products {
                ports
                    .catalog
                    .set_published(id, false)
                    .await
                    .map_err(anyhow::Error::msg)?;
            }
        }
        Outcome::SuspendedLater => ports
            .stalls
            .set_status(
                stall_id,
                StallStatus::Approved,
                next_status(StallStatus::Approved, StallMove::Suspend)
                    .map_err(anyhow::Error::msg)?,
                Some("Chưa bổ sung giấy chứng nhận an toàn thực phẩm.".into()),
                vendors.staff.admin,
            )
            .await
            .map_err(anyhow::Error::msg)?,
        _ => {}
    }
    Ok(())
}
