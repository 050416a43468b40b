//! The demo's own vendors (`demo.json`): each opens an account and a stall, which is linked to
//! the vendor's registry entry and reviewed as far as the file says, lists its products with
//! a generated photo, and, once approved, sets up its payments.
use super::orders::Onboarded;
use super::payments::demo_payments;
use super::products::{self, DemoOcop, demo_photo};
use super::stalls::{self, Slugs};
use super::timeline::{DemoDates, demo_dates};
use super::{DEMO_PASSWORD, Vendors, create_user_at};
use crate::photos::{FileStorage, save};
use anyhow::Context;
use app::domain::category::Category;
use app::domain::email::Login;
use app::domain::id::StallId;
use app::domain::market::{TradingDays, Weekday};
use app::domain::money::Dong;
use app::domain::phone::Phone;
use app::domain::quantity::{Quantity, Unit};
use app::domain::role::{Role, StallPlace};
use app::domain::stall::{StallMove, StallStatus};
use app::model::{ProductDraft, Stall, StallDraft};
use app::ports::Stalls;
use chrono::Duration;
use serde::Deserialize;

/// The demo vendors (by position in `demo.json`) whose stalls the end-to-end tests buy from
/// (`end2end/tests/orders.spec.ts`, stalls A and B): the demo sells nothing of theirs, so
/// those tests find the stock and the order pages as the file sets them.
const TESTED_DEMO_VENDORS: [usize; 2] = [0, 2];

#[derive(Deserialize)]
struct Demo {
    vendors: Vec<DemoVendor>,
}

#[derive(Deserialize)]
struct DemoVendor {
    full_name: String,
    phone: String,
    stall: DemoStall,
    products: Vec<DemoProduct>,
}

#[derive(Deserialize)]
struct DemoStall {
    name: String,
    place: StallPlace,
    description_vi: String,
    description_en: Option<String>,
    trading_days: Vec<Weekday>,
    status: StallStatus,
}

#[derive(Deserialize)]
struct DemoProduct {
    name: String,
    description_vi: String,
    description_en: Option<String>,
    category: Category,
    unit: Unit,
    price: i64,
    stock: Option<String>,
    ocop: Option<DemoOcop>,
    published: bool,
    color: String,
}

/// Brings every demo vendor on board, adding each to `logins`; returns the stalls that were
/// approved and set up their payments.
pub(super) async fn onboard(
    vendors: &Vendors<'_>,
    slugs: &mut Slugs,
    photos: &FileStorage,
    logins: &mut Vec<(String, String)>,
) -> anyhow::Result<Vec<Onboarded>> {
    let demo: Demo =
        serde_json::from_str(include_str!("demo.json")).context("reading seed/demo.json")?;
    let mut onboarded = Vec::new();
    for (index, vendor) in demo.vendors.into_iter().enumerate() {
        let phone =
            Phone::parse(&vendor.phone).map_err(|e| anyhow::anyhow!("{}: {e}", vendor.phone))?;
        logins.push(("vendor".into(), phone.national()));
        if let Some(stall_id) = onboard_vendor(vendors, slugs, photos, index, phone, vendor).await?
        {
            onboarded.push(Onboarded {
                stall_id,
                since: vendors.seed.clock.now(),
                may_sell: !TESTED_DEMO_VENDORS.contains(&index),
            });
        }
    }
    Ok(onboarded)
}

/// One demo vendor's account, stall, products and, once approved, payments, each on its
/// date. Returns the stall's id if it was approved.
async fn onboard_vendor(
    vendors: &Vendors<'_>,
    slugs: &mut Slugs,
    photos: &FileStorage,
    index: usize,
    phone: Phone,
    vendor: DemoVendor,
) -> anyhow::Result<Option<StallId>> {
    let Vendors { seed, staff, .. } = *vendors;
    let entry = vendors
        .entries
        .of_demo_vendor(&phone, &vendor.stall.place)?;
    let approved = vendor.stall.status == StallStatus::Approved;
    let dates = demo_dates(&seed.cal, index, approved);
    seed.clock.set(dates.opened);
    let owner = create_user_at(
        seed.db,
        &seed.clock,
        &vendor.full_name,
        Login::Phone(phone.clone()),
        DEMO_PASSWORD,
        Role::Vendor,
    )
    .await?;
    let draft = StallDraft {
        name: vendor.stall.name.clone(),
        place: vendor.stall.place.clone(),
        description_vi: vendor.stall.description_vi.clone(),
        description_en: vendor.stall.description_en.clone(),
        phone,
        trading_days: TradingDays::from_days(&vendor.stall.trading_days),
    };
    let stall = stalls::open(&seed.ports.stalls, slugs, owner, &draft).await?;
    seed.clock.set(dates.linked);
    stalls::link(vendors, entry.id, stall.id).await?;
    // Walk the stall through the same moves a real one takes, so its history is real.
    let submit = (StallMove::Submit, owner, dates.submitted);
    let approve = (
        StallMove::Approve,
        staff.reviewer(&draft.place),
        dates.approved,
    );
    let path: &[_] = match vendor.stall.status {
        StallStatus::Draft => &[],
        StallStatus::Submitted => &[submit],
        _ => &[submit, approve],
    };
    let status = stalls::walk(&seed.ports.stalls, &seed.clock, stall.id, path).await?;
    list_products(vendors, photos, &stall, &dates, vendor.products).await?;
    if status != StallStatus::Approved {
        return Ok(None);
    }
    seed.clock.set(dates.payments);
    seed.ports
        .stalls
        .set_payment_settings(stall.id, &demo_payments(&vendor.full_name, index)?)
        .await
        .map_err(anyhow::Error::msg)?;
    Ok(Some(stall.id))
}

/// The stall's products, an hour apart, each with its photo.
async fn list_products(
    vendors: &Vendors<'_>,
    photos: &FileStorage,
    stall: &Stall,
    dates: &DemoDates,
    products: Vec<DemoProduct>,
) -> anyhow::Result<()> {
    let seed = vendors.seed;
    for (k, p) in products.into_iter().enumerate() {
        seed.clock.set(dates.products + Duration::hours(k as i64));
        let stock = p
            .stock
            .as_deref()
            .map(|s| Quantity::parse_stock(s, p.unit))
            .transpose()
            .map_err(|e| anyhow::anyhow!("{}: stock {e}", p.name))?;
        let draft = ProductDraft {
            name: p.name.clone(),
            description_vi: p.description_vi,
            description_en: p.description_en,
            category: p.category,
            unit: p.unit,
            price: Dong::price(p.price).map_err(|e| anyhow::anyhow!("{}: price {e}", p.name))?,
            stock,
            stock_shown: None,
            ocop: p.ocop.map(DemoOcop::cert).transpose()?,
            published: p.published,
        };
        let key = save(photos, demo_photo(&p.color)?).await?;
        products::list(&seed.ports.catalog, stall, &draft, &[key]).await?;
    }
    Ok(())
}
