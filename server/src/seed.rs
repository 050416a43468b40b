//! Demo data for a first start: the three markets' stalls, OCOP producers and about sixty
//! products (`seed/demo.json`), staff accounts, and a generated photo for every product.
//!
//! The demo also has a past, so the onboarding report has something to show: the province's
//! vendor registry (`seed/registry.csv`, about 200 entries) is imported about eight months
//! back, and the demo vendors and some sixty more (`seed/onboarding.json`) open their accounts,
//! have their stalls approved, list products and set up payments over the months since, each
//! step dated by one clock that the seed moves along. Each stall is linked to its vendor's
//! registry entry, as an administrator would confirm it. Last, the demo tourist buys from
//! about two in five of the onboarded stalls and pays cashless (`seed/orders.rs`), so the
//! report's "transacting" stage has real payments to count.
//!
//! [`seed_demo`] takes those steps in order, one file each:
//! - `accounts`: the staff (an administrator, each market's board) and the tourist;
//! - `registry`: the province's vendor registry, imported;
//! - `demo_vendors`: the demo's own vendors, with their stalls, products and photos;
//! - `later_vendors`: the vendors who came on board since, each as far as its plan says;
//! - `orders`: the tourist's purchases;
//!
//! with what the vendor steps share in `stalls` (slugs, a stall's moves), `products` (a
//! listing, its OCOP certificate, a generated photo) and `payments` (bank accounts and
//! cards), and when everything happens in `timeline`.
use crate::config::Settings;
use crate::db;
use crate::photos::FileStorage;
use anyhow::Context;
use app::domain::email::Login;
use app::domain::id::UserId;
use app::domain::role::Role;
use app::ports::{Accounts, Clock, NewUser};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

mod accounts;
mod bank;
mod counter;
mod demo_vendors;
mod grow;
mod grow_words;
mod later_vendors;
mod orders;
mod payments;
mod products;
mod registry;
mod stalls;
mod timeline;

pub use grow::{Grown, grow};
use timeline::{Calendar, REGISTRY_DAYS_AGO, SHOPPER_DAYS_AGO, STAFF_DAYS_AGO};

/// Every demo account's password; printed at start so a visitor can try each role.
pub const DEMO_PASSWORD: &str = "choso-demo";

pub async fn has_users(db: &DatabaseConnection) -> anyhow::Result<bool> {
    Ok(db::entities::user::Entity::find().count(db).await? > 0)
}

pub async fn create_user(
    db: &DatabaseConnection,
    name: &str,
    login: Login,
    password: &str,
    role: Role,
) -> anyhow::Result<UserId> {
    create_user_at(db, &Clock::system(), name, login, password, role).await
}

/// [`create_user`] with the account dated by `clock`, as the demo seed gives its accounts a past.
pub async fn create_user_at(
    db: &DatabaseConnection,
    clock: &Clock,
    name: &str,
    login: Login,
    password: &str,
    role: Role,
) -> anyhow::Result<UserId> {
    let password_hash = hash(password).await?;
    add_account(
        &db::stores(db, clock).accounts,
        name,
        login,
        password_hash,
        role,
    )
    .await
}

async fn hash(password: &str) -> anyhow::Result<String> {
    app::service::accounts::hash_password(password.to_string())
        .await
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))
}

async fn add_account(
    accounts: &dyn Accounts,
    name: &str,
    login: Login,
    password_hash: String,
    role: Role,
) -> anyhow::Result<UserId> {
    accounts
        .create(NewUser {
            full_name: name.to_string(),
            login,
            password_hash,
            role,
        })
        .await
        .map_err(|e| anyhow::anyhow!("creating {name}: {e}"))
}

/// What every step of the seed shares.
struct Seed<'a> {
    db: &'a DatabaseConnection,
    /// The stores, each dating what it records by `clock`.
    ports: db::Stores,
    /// One clock dates everything the seed records; it walks through the past and ends at now.
    clock: Clock,
    /// The days the demo's past is counted back from.
    cal: Calendar,
}

/// What the steps that bring vendors on board share.
struct Vendors<'a> {
    seed: &'a Seed<'a>,
    /// Who reviews each stall, and links it to its registry entries.
    staff: &'a accounts::Staff,
    /// The imported registry, to find each vendor's entries.
    entries: &'a registry::Entries,
}

/// Seeds an empty database and returns the demo accounts as (role, login).
pub async fn seed_demo(
    db: &DatabaseConnection,
    settings: &Settings,
) -> anyhow::Result<Vec<(String, String)>> {
    anyhow::ensure!(
        !has_users(db).await?,
        "the database already has users; demo data goes only into an empty one"
    );
    let cal = Calendar::new(settings.clock.now());
    let clock = Clock::set_at(cal.at(STAFF_DAYS_AGO, 8, 0));
    let seed = Seed {
        db,
        ports: db::stores(db, &clock),
        clock,
        cal,
    };
    let mut logins = Vec::new();

    let staff = accounts::staff(&seed, &mut logins).await?;
    seed.clock.set(cal.at(REGISTRY_DAYS_AGO, 9, 0));
    let entries = registry::import(&seed.ports).await?;
    seed.clock.set(cal.at(SHOPPER_DAYS_AGO, 19, 0));
    let shopper = accounts::shopper(&seed, &mut logins).await?;

    let mut slugs = stalls::Slugs::default();
    let photos = FileStorage(settings.photo_dir());
    let vendors = Vendors {
        seed: &seed,
        staff: &staff,
        entries: &entries,
    };
    let mut onboarded = demo_vendors::onboard(&vendors, &mut slugs, &photos, &mut logins).await?;
    onboarded.extend(later_vendors::onboard(&vendors, &mut slugs).await?);

    seed.clock.set(settings.clock.now());
    // The shopper buys from some of the stalls now on board, and their vendors take the money.
    let sales = orders::Sales {
        db,
        settings,
        stalls: &seed.ports.stalls,
        catalog: &seed.ports.catalog,
        shopper,
        clock: &seed.clock,
    };
    orders::sell(&sales, &onboarded)
        .await
        .context("the demo's orders")?;
    counter::sell_at_the_stall(&seed)
        .await
        .context("the demo's sales at the stall")?;
    if settings.bank_stand_in {
        bank::link_demo_vendors(&seed, settings)
            .await
            .context("linking the demo vendors to SePay and payOS")?;
    }
    Ok(logins)
}
