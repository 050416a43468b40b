//! Demo data for a first start: the three markets' stalls, OCOP producers and about sixty
//! products (`seed/demo.json`), staff accounts, and a generated photo for every product.
use crate::config::Settings;
use crate::db;
use crate::photos::{FileStorage, Renditions, save};
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
use app::model::OcopCert;
use app::model::{PaymentSettings, ProductDraft, StallDraft};
use app::ports::{Accounts, Catalog, NewUser, Stalls};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use serde::Deserialize;

/// Every demo account's password; printed at start so a visitor can try each role.
pub const DEMO_PASSWORD: &str = "choso-demo";

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
    let password_hash = app::api::auth::server::hash_password(password.to_string())
        .await
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
    db::stores(db)
        .accounts
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
    let ports = db::stores(db);
    let photos = FileStorage(settings.photo_dir());
    let mut accounts = Vec::new();

    let admin = create_user(
        db,
        "Quản trị Sở TT&TT",
        login("admin@choso.vn")?,
        DEMO_PASSWORD,
        Role::Admin,
    )
    .await?;
    accounts.push(("admin".into(), "admin@choso.vn".into()));
    for market in Market::ALL {
        let email = format!("quanly.{}@choso.vn", market.slug().replace('-', ""));
        let id = create_user(
            db,
            &format!("Ban quản lý {}", market.name_vi()),
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
        accounts.push((format!("manager {}", market.slug()), email));
    }
    create_user(
        db,
        "Khách du lịch",
        login("khach@choso.vn")?,
        DEMO_PASSWORD,
        Role::Shopper,
    )
    .await?;
    accounts.push(("shopper".into(), "khach@choso.vn".into()));

    for (demo_index, vendor) in demo.vendors.into_iter().enumerate() {
        let phone =
            Phone::parse(&vendor.phone).map_err(|e| anyhow::anyhow!("{}: {e}", vendor.phone))?;
        let owner = create_user(
            db,
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
            .create(owner, &Slug::from_name(&draft.name), &draft)
            .await
            .map_err(|e| anyhow::anyhow!("stall {}: {e}", draft.name))?;
        // Walk the stall through the same moves a real one takes, so its history is real.
        let path: &[(StallMove, i64)] = match vendor.stall.status {
            StallStatus::Draft => &[],
            StallStatus::Submitted => &[(StallMove::Submit, owner)],
            _ => &[(StallMove::Submit, owner), (StallMove::Approve, admin)],
        };
        let mut status = stall.status;
        for &(mv, actor) in path {
            let to = next_status(status, mv).map_err(anyhow::Error::msg)?;
            ports
                .stalls
                .set_status(stall.id, status, to, None, actor)
                .await
                .map_err(anyhow::Error::msg)?;
            status = to;
        }
        if status == StallStatus::Approved {
            ports
                .stalls
                .set_payment_settings(stall.id, &demo_payments(&vendor.full_name, demo_index)?)
                .await
                .map_err(anyhow::Error::msg)?;
        }
        for p in vendor.products {
            let stock = p
                .stock
                .as_deref()
                .map(|s| Quantity::parse_stock(s, p.unit))
                .transpose()
                .map_err(|e| anyhow::anyhow!("{}: stock {e}", p.name))?;
            let ocop = p
                .ocop
                .map(|o| -> anyhow::Result<OcopCert> {
                    Ok(OcopCert {
                        stars: OcopStars::new(o.stars).map_err(anyhow::Error::msg)?,
                        certificate_no: o.certificate_no,
                        year: o.year,
                    })
                })
                .transpose()?;
            let draft = ProductDraft {
                name: p.name.clone(),
                description_vi: p.description_vi,
                description_en: p.description_en,
                category: p.category,
                unit: p.unit,
                price: Dong::price(p.price)
                    .map_err(|e| anyhow::anyhow!("{}: price {e}", p.name))?,
                stock,
                ocop,
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
    }
    Ok(accounts)
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
