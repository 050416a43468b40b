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
use crate::config::Settings;
use crate::db;
use crate::photos::{FileStorage, Renditions, save};
use crate::registry;
use anyhow::Context;
use app::domain::bank::BankAccount;
use app::domain::category::{Category, OcopStars};
use app::domain::email::Login;
use app::domain::market::{Market, TradingDays, Weekday};
use app::domain::money::Dong;
use app::domain::phone::Phone;
use app::domain::quantity::{Quantity, Unit};
use app::domain::role::{Role, StallPlace};
use app::domain::slug::Slug;
use app::domain::stall::{StallMove, StallStatus, next_status};
use app::i18n::Locale;
use app::model::OcopCert;
use app::model::RegistryEntry;
use app::model::{PaymentSettings, ProductDraft, StallDraft};
use app::ports::{Accounts, Catalog, Clock, EntryFilter, NewUser, Registry, Stalls};
use app::vocab::Label;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

mod orders;
mod timeline;

use timeline::{
    Calendar, LaterDates, Outcome, REGISTRY_DAYS_AGO, SHOPPER_DAYS_AGO, STAFF_DAYS_AGO, demo_dates,
    later_dates,
};

/// Every demo account's password; printed at start so a visitor can try each role.
pub const DEMO_PASSWORD: &str = "choso-demo";

/// The registry of every vendor the province knows, as the market boards and the OCOP
/// programme hand it over (the format of `onboarding.md`).
const REGISTRY_CSV: &str = include_str!("seed/registry.csv");

/// The demo vendors (by position in `seed/demo.json`) whose stalls the end-to-end tests buy
/// from (`end2end/tests/orders.spec.ts`, stalls A and B): the demo sells nothing of theirs, so
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

#[derive(Deserialize)]
struct DemoOcop {
    stars: u8,
    certificate_no: String,
    year: i32,
}

impl DemoOcop {
    fn cert(self) -> anyhow::Result<OcopCert> {
        Ok(OcopCert {
            stars: OcopStars::new(self.stars).map_err(anyhow::Error::msg)?,
            certificate_no: self.certificate_no,
            year: self.year,
        })
    }
}

/// The vendors beyond the demo's who came on board since the registry was imported, in the
/// order they did: plain stalls with a product or two and no photos.
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

pub async fn has_users(db: &DatabaseConnection) -> anyhow::Result<bool> {
    Ok(db::entities::user::Entity::find().count(db).await? > 0)
}

pub async fn create_user(
    db: &DatabaseConnection,
    name: &str,
    login: Login,
    password: &str,
    role: Role,
) -> anyhow::Result<i64> {
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
) -> anyhow::Result<i64> {
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
) -> anyhow::Result<i64> {
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

fn login(text: &str) -> anyhow::Result<Login> {
    Login::parse(text).map_err(|e| anyhow::anyhow!("demo login {text:?}: {e}"))
}

/// The imported registry, to find each vendor's entry.
struct Entries {
    by_external_id: HashMap<String, RegistryEntry>,
}

impl Entries {
    async fn load(registry: &dyn Registry) -> anyhow::Result<Entries> {
        let all = registry
            .entries(&EntryFilter::default())
            .await
            .map_err(anyhow::Error::msg)?;
        Ok(Entries {
            by_external_id: all
                .into_iter()
                .map(|e| (e.row.external_id.clone(), e))
                .collect(),
        })
    }

    /// The one entry with this phone number, which must also be at the stall's place.
    fn of_demo_vendor(&self, phone: &Phone, place: &StallPlace) -> anyhow::Result<&RegistryEntry> {
        let found: Vec<&RegistryEntry> = self
            .by_external_id
            .values()
            .filter(|e| e.row.phone.as_ref() == Some(phone))
            .collect();
        let [entry] = found[..] else {
            anyhow::bail!(
                "seed/registry.csv has {} entries with {}, not one",
                found.len(),
                phone.national()
            );
        };
        if let StallPlace::Market { market, stall_no } = place {
            anyhow::ensure!(
                entry.row.market == Some(*market) && entry.row.stall_no == *stall_no,
                "registry entry {} is not at the demo stall's place",
                entry.row.external_id
            );
        }
        Ok(entry)
    }

    fn get(&self, external_id: &str) -> anyhow::Result<&RegistryEntry> {
        self.by_external_id
            .get(external_id)
            .with_context(|| format!("seed/registry.csv has no entry {external_id}"))
    }
}

/// A slug for a new stall: from its name, numbered when another stall has it.
fn free_slug(name: &str, used: &mut HashSet<Slug>) -> Slug {
    let base = Slug::from_name(name);
    let slug = std::iter::once(base.clone())
        .chain((2..).map(|n| base.with_suffix(n)))
        .find(|s| !used.contains(s))
        .expect("some numbered slug is free");
    used.insert(slug.clone());
    slug
}

/// Walks a new stall from draft through `moves`, each at its own time, as its owner and its
/// reviewer would.
async fn walk(
    stalls: &dyn Stalls,
    clock: &Clock,
    stall_id: i64,
    moves: &[(StallMove, i64, DateTime<Utc>)],
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

/// Seeds an empty database and returns the demo accounts as (role, login).
pub async fn seed_demo(
    db: &DatabaseConnection,
    settings: &Settings,
) -> anyhow::Result<Vec<(String, String)>> {
    anyhow::ensure!(
        !has_users(db).await?,
        "the database already has users; demo data goes only into an empty one"
    );
    let demo: Demo =
        serde_json::from_str(include_str!("seed/demo.json")).context("reading seed/demo.json")?;
    let later: Onboarding = serde_json::from_str(include_str!("seed/onboarding.json"))
        .context("reading seed/onboarding.json")?;
    let now = settings.clock.now();
    let cal = Calendar::new(now);
    // One clock dates everything the seed records; it walks through the past and ends at now.
    let clock = Clock::set_at(cal.at(STAFF_DAYS_AGO, 8, 0));
    let ports = db::stores(db, &clock);
    let photos = FileStorage(settings.photo_dir());
    let mut accounts = Vec::new();

    let admin = create_user_at(
        db,
        &clock,
        "Quản trị Sở TT&TT",
        login("admin@choso.vn")?,
        DEMO_PASSWORD,
        Role::Admin,
    )
    .await?;
    accounts.push(("admin".into(), "admin@choso.vn".into()));
    let mut managers: Vec<(Market, i64)> = Vec::new();
    for market in Market::ALL {
        let email = format!("quanly.{}@choso.vn", market.slug().replace('-', ""));
        let id = create_user_at(
            db,
            &clock,
            &format!("Ban quản lý {}", market.label(Locale::vi)),
            login(&email)?,
            DEMO_PASSWORD,
            Role::MarketManager,
        )
        .await?;
        ports
            .accounts
            .set_role(id, Role::MarketManager, Some(market))
            .await
            .map_err(anyhow::Error::msg)?;
        managers.push((market, id));
        accounts.push((format!("manager {}", market.slug()), email));
    }
    // A market stall is approved by its market's board, an OCOP producer's by the department.
    let reviewer = |place: &StallPlace| {
        place
            .market()
            .and_then(|m| managers.iter().find(|(market, _)| *market == m))
            .map_or(admin, |(_, id)| *id)
    };

    clock.set(cal.at(REGISTRY_DAYS_AGO, 9, 0));
    let checked = registry::check(REGISTRY_CSV.as_bytes())
        .map_err(|e| anyhow::anyhow!("seed/registry.csv: {e}"))?;
    anyhow::ensure!(
        checked.rejections.is_empty(),
        "seed/registry.csv has rows the import rejects:\n{}",
        app::domain::registry::rejections_csv(&checked.rejections, |i| i.to_string())
    );
    registry::import(&ports.registry, checked, true, &|_| {})
        .await
        .map_err(anyhow::Error::msg)?;
    let entries = Entries::load(&ports.registry).await?;

    clock.set(cal.at(SHOPPER_DAYS_AGO, 19, 0));
    let shopper = create_user_at(
        db,
        &clock,
        "Khách du lịch",
        login("khach@choso.vn")?,
        DEMO_PASSWORD,
        Role::Shopper,
    )
    .await?;
    accounts.push(("shopper".into(), "khach@choso.vn".into()));

    let mut slugs: HashSet<Slug> = HashSet::new();
    let mut onboarded = Vec::new();
    for (demo_index, vendor) in demo.vendors.into_iter().enumerate() {
        let phone =
            Phone::parse(&vendor.phone).map_err(|e| anyhow::anyhow!("{}: {e}", vendor.phone))?;
        let entry = entries.of_demo_vendor(&phone, &vendor.stall.place)?;
        let dates = demo_dates(
            &cal,
            demo_index,
            vendor.stall.status == StallStatus::Approved,
        );
        clock.set(dates.opened);
        let owner = create_user_at(
            db,
            &clock,
            &vendor.full_name,
            Login::Phone(phone.clone()),
            DEMO_PASSWORD,
            Role::Vendor,
        )
        .await?;
        accounts.push(("vendor".into(), phone.national()));
        let draft = StallDraft {
            name: vendor.stall.name.clone(),
            place: vendor.stall.place.clone(),
            description_vi: vendor.stall.description_vi.clone(),
            description_en: vendor.stall.description_en.clone(),
            phone,
            trading_days: TradingDays::from_days(&vendor.stall.trading_days),
        };
        let stall = ports
            .stalls
            .create(owner, &free_slug(&draft.name, &mut slugs), &draft)
            .await
            .map_err(|e| anyhow::anyhow!("stall {}: {e}", draft.name))?;
        clock.set(dates.linked);
        ports
            .registry
            .link(entry.id, Some(stall.id), admin)
            .await
            .map_err(anyhow::Error::msg)?;
        // Walk the stall through the same moves a real one takes, so its history is real.
        let submit = (StallMove::Submit, owner, dates.submitted);
        let approve = (StallMove::Approve, reviewer(&draft.place), dates.approved);
        let path: &[_] = match vendor.stall.status {
            StallStatus::Draft => &[],
            StallStatus::Submitted => &[submit],
            _ => &[submit, approve],
        };
        let status = walk(&ports.stalls, &clock, stall.id, path).await?;
        for (k, p) in vendor.products.into_iter().enumerate() {
            clock.set(dates.products + Duration::hours(k as i64));
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
                price: Dong::price(p.price)
                    .map_err(|e| anyhow::anyhow!("{}: price {e}", p.name))?,
                stock,
                ocop: p.ocop.map(DemoOcop::cert).transpose()?,
                published: p.published,
            };
            let product = ports
                .catalog
                .create(stall.id, &draft)
                .await
                .map_err(|e| anyhow::anyhow!("{}: {e}", p.name))?;
            let key = save(&photos, demo_photo(&p.color)?).await?;
            ports
                .catalog
                .add_photo(product.id, &key)
                .await
                .map_err(anyhow::Error::msg)?;
        }
        if status == StallStatus::Approved {
            clock.set(dates.payments);
            ports
                .stalls
                .set_payment_settings(stall.id, &demo_payments(&vendor.full_name, demo_index)?)
                .await
                .map_err(anyhow::Error::msg)?;
            onboarded.push(orders::Onboarded {
                stall_id: stall.id,
                since: clock.now(),
                may_sell: !TESTED_DEMO_VENDORS.contains(&demo_index),
            });
        }
    }

    let password_hash = hash(DEMO_PASSWORD).await?;
    let outcomes: Vec<Outcome> = later.vendors.iter().map(|v| v.outcome).collect();
    let plans = later_dates(&cal, &outcomes);
    let later_ctx = Later {
        ports: &ports,
        clock: &clock,
        entries: &entries,
        password_hash,
        admin,
    };
    for (j, (vendor, dates)) in later.vendors.into_iter().zip(plans).enumerate() {
        let reviewer = reviewer(&vendor.stall.place);
        let outcome = vendor.outcome;
        let stall_id = onboard_later_vendor(&later_ctx, &mut slugs, reviewer, j, vendor, &dates)
            .await
            .with_context(|| format!("seed/onboarding.json, vendor {}", j + 1))?;
        if outcome == Outcome::Onboarded {
            onboarded.push(orders::Onboarded {
                stall_id,
                since: clock.now(),
                may_sell: true,
            });
        }
    }
    clock.set(settings.clock.now());
    // The shopper buys from some of the stalls now on board, and their vendors take the money.
    orders::sell(
        &orders::Sales {
            db,
            settings,
            stalls: &ports.stalls,
            catalog: &ports.catalog,
            shopper,
            clock: &clock,
        },
        &onboarded,
    )
    .await
    .context("the demo's orders")?;
    Ok(accounts)
}

/// What every later vendor's steps share.
struct Later<'a> {
    ports: &'a db::Stores,
    clock: &'a Clock,
    entries: &'a Entries,
    /// The demo password's hash: the later vendors all share it, and hashing it once keeps the
    /// seed quick.
    password_hash: String,
    /// Who links each stall to its registry entries, and suspends one.
    admin: i64,
}

/// One later vendor's account, stall, products and payments, each on its planned date, and
/// the stall linked to the vendor's registry entries. Returns the stall's id.
async fn onboard_later_vendor(
    later: &Later<'_>,
    slugs: &mut HashSet<Slug>,
    reviewer: i64,
    index: usize,
    vendor: LaterVendor,
    dates: &LaterDates,
) -> anyhow::Result<i64> {
    let Later {
        ports,
        clock,
        entries,
        admin,
        ..
    } = *later;
    let phone =
        Phone::parse(&vendor.phone).map_err(|e| anyhow::anyhow!("{}: {e}", vendor.phone))?;
    clock.set(dates.opened);
    let owner = add_account(
        &ports.accounts,
        &vendor.full_name,
        Login::Phone(phone.clone()),
        later.password_hash.clone(),
        Role::Vendor,
    )
    .await?;
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
    let stall = ports
        .stalls
        .create(owner, &free_slug(&draft.name, slugs), &draft)
        .await
        .map_err(|e| anyhow::anyhow!("stall {}: {e}", draft.name))?;
    clock.set(dates.linked);
    for external_id in &vendor.entries {
        let entry = entries.get(external_id)?;
        anyhow::ensure!(
            entry.stall.is_none(),
            "registry entry {external_id} is already linked"
        );
        ports
            .registry
            .link(entry.id, Some(stall.id), admin)
            .await
            .map_err(anyhow::Error::msg)?;
    }
    let mut moves = vec![(StallMove::Submit, owner, dates.submitted)];
    if let Some(at) = dates.approved {
        moves.push((StallMove::Approve, reviewer, at));
    }
    walk(&ports.stalls, clock, stall.id, &moves).await?;
    let mut products = Vec::new();
    for (k, p) in vendor.products.into_iter().enumerate() {
        clock.set(dates.products + Duration::minutes(40 * k as i64));
        let draft = ProductDraft {
            name: p.name.clone(),
            description_vi: p.description_vi,
            description_en: None,
            category: p.category,
            unit: p.unit,
            price: Dong::price(p.price).map_err(|e| anyhow::anyhow!("{}: price {e}", p.name))?,
            stock: None,
            ocop: p.ocop.map(DemoOcop::cert).transpose()?,
            published: true,
        };
        let product = ports
            .catalog
            .create(stall.id, &draft)
            .await
            .map_err(|e| anyhow::anyhow!("{}: {e}", p.name))?;
        products.push(product.id);
    }
    if let Some(at) = dates.payments {
        clock.set(at);
        ports
            .stalls
            .set_payment_settings(stall.id, &later_payments(&vendor.full_name, index)?)
            .await
            .map_err(anyhow::Error::msg)?;
    }
    if let Some(at) = dates.lost {
        clock.set(at);
        match vendor.outcome {
            Outcome::HiddenLater => {
                for id in products {
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
                    stall.id,
                    StallStatus::Approved,
                    next_status(StallStatus::Approved, StallMove::Suspend)
                        .map_err(anyhow::Error::msg)?,
                    Some("Chưa bổ sung giấy chứng nhận an toàn thực phẩm.".into()),
                    admin,
                )
                .await
                .map_err(anyhow::Error::msg)?,
            _ => {}
        }
    }
    Ok(stall.id)
}

/// Every approved demo stall takes VietQR transfers into an account at one of a few banks, and
/// every other one also takes cards, so both ways to pay can be tried on the demo.
fn demo_payments(holder: &str, index: usize) -> anyhow::Result<PaymentSettings> {
    const BANKS: [&str; 4] = ["970436", "970415", "970405", "970423"];
    let number = format!("00110{:08}", 1_000_000 + index * 7919);
    let bank = BankAccount::parse(BANKS[index % BANKS.len()], &number, holder)
        .map_err(|e| anyhow::anyhow!("demo bank account: {e:?}"))?;
    Ok(PaymentSettings {
        delivery_fee: Dong::new(if index.is_multiple_of(3) { 0 } else { 20_000 }),
        accepts_cards: index.is_multiple_of(2),
        bank: Some(bank),
    })
}

/// The later vendors' VietQR accounts, at the banks with branches in the province's districts;
/// every fifth also takes cards.
fn later_payments(holder: &str, index: usize) -> anyhow::Result<PaymentSettings> {
    const BANKS: [&str; 5] = ["970405", "970418", "970415", "970436", "970449"];
    let number = format!("{}", 3_900_100_000_000u64 + index as u64 * 104_729);
    let bank = BankAccount::parse(BANKS[index % BANKS.len()], &number, holder)
        .map_err(|e| anyhow::anyhow!("bank account of {holder}: {e:?}"))?;
    Ok(PaymentSettings {
        delivery_fee: Dong::new([0, 15_000, 20_000, 30_000][index % 4]),
        accepts_cards: index.is_multiple_of(5),
        bank: Some(bank),
    })
}

/// A simple still life in the product's colour: a round fruit-like shape on a light cloth, so
/// the demo has real images of the right sizes without shipping photographs.
fn demo_photo(color: &str) -> anyhow::Result<Renditions> {
    let hex = color.trim_start_matches('#');
    anyhow::ensure!(hex.len() == 6, "colour {color:?} is not #rrggbb");
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).context("colour");
    let (r, g, b) = (channel(0)?, channel(2)?, channel(4)?);
    let draw = |w: u32, h: u32| -> anyhow::Result<Vec<u8>> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            let (cx, cy, radius) = (w as f32 / 2.0, h as f32 * 0.55, h as f32 * 0.33);
            let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt() / radius;
            if d < 1.0 {
                // Lighter towards the top left, like light on a round fruit or a jar.
                let shade = 1.15 - 0.35 * d - 0.1 * ((y as f32 - cy) / radius);
                let lit = |c: u8| (c as f32 * shade).clamp(0.0, 255.0) as u8;
                image::Rgb([lit(r), lit(g), lit(b)])
            } else {
                let band = if (y / 12) % 2 == 0 { 246 } else { 238 };
                image::Rgb([band, band - 4, band - 14])
            }
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80).encode_image(&img)?;
        Ok(out)
    };
    Ok(Renditions {
        display: draw(640, 480)?,
        thumb: draw(320, 240)?,
    })
}
