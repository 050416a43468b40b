//! A catalogue grown to a given number of products, to see how the site holds up at the
//! province's scale (`choso grow --products 50000`). The spread is a real market's: most
//! stalls list 10 to 200 products, a few wholesalers thousands; about seven in ten stalls have a
//! pitch in one of the three markets, the rest are OCOP producers selling from home, some with
//! starred products. The same seed grows the same catalogue.
//!
//! Rows are written directly, many to one statement and all in one transaction, so 50,000
//! products take seconds: the per-product path of the vendor's form (one transaction per
//! listing, its history) would take many minutes. Each row is still what that path writes,
//! down to the search document. Grown vendors sign in with [`super::DEMO_PASSWORD`].
use super::grow_words::*;
use crate::db::entities::{product, stall, user};
use app::domain::market::{DISTRICTS, EntityType, Market, TradingDays};
use app::domain::phone::Phone;
use app::domain::role::{Role, StallPlace};
use app::domain::slug::Slug;
use app::domain::stall::StallStatus;
use app::model::search_document;
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait,
    QuerySelect, Statement, TransactionTrait,
};
use std::collections::HashSet;

/// What a growth added.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Grown {
    pub stalls: usize,
    pub products: usize,
}

/// Rows per INSERT: well under SQLite's and PostgreSQL's limits on bound values.
const ROWS_PER_STATEMENT: usize = 500;

/// Adds stalls and products until the catalogue holds `products` products (none when it
/// already does), drawn from `seed`.
pub async fn grow(db: &DatabaseConnection, products: u64, seed: u64) -> anyhow::Result<Grown> {
    let have = product::Entity::find().count(db).await?;
    if have >= products {
        return Ok(Grown::default());
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let sizes = stall_sizes(&mut rng, (products - have) as usize);
    let password_hash = super::hash(super::DEMO_PASSWORD).await?;
    let txn = db.begin().await?;
    let mut rows = Rows {
        next_user: next_id(&txn, "users").await?,
        next_stall: next_id(&txn, "stalls").await?,
        next_product: next_id(&txn, "products").await?,
        slugs: taken_slugs(&txn).await?,
        now: Utc::now(),
        ..Rows::default()
    };
    for size in sizes {
        rows.add_stall(&mut rng, size, &password_hash)?;
    }
    let grown = Grown {
        stalls: rows.stalls.len(),
        products: rows.products.len(),
    };
    for chunk in rows.users.chunks(ROWS_PER_STATEMENT) {
        user::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
    }
    for chunk in rows.stalls.chunks(ROWS_PER_STATEMENT) {
        stall::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    for chunk in rows.products.chunks(ROWS_PER_STATEMENT) {
        product::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    if txn.get_database_backend() == DbBackend::Postgres {
        // The ids were given explicitly, which PostgreSQL's sequences don't see.
        for table in ["users", "stalls", "products"] {
            txn.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .await?;
        }
    }
    txn.commit().await?;
    Ok(grown)
}

/// How many products each new stall gets, `total` in all: one wholesaler with thousands for
/// every 12,000 products or so, then stalls of 10 to 200, mostly towards the small end.
pub fn stall_sizes(rng: &mut impl Rng, total: usize) -> Vec<usize> {
    let mut sizes = Vec::new();
    let mut left = total;
    for _ in 0..total / 12_000 {
        let size = rng.gen_range(1_500..=4_000).min(left);
        sizes.push(size);
        left -= size;
    }
    while left > 0 {
        let u: f64 = rng.r#gen();
        let size = (10.0 + 190.0 * u * u) as usize;
        sizes.push(size.min(left));
        left -= size.min(left);
    }
    sizes
}

async fn next_id(db: &impl ConnectionTrait, table: &str) -> anyhow::Result<i64> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) AS next FROM {table}"),
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no answer for the next id of {table}"))?;
    Ok(row.try_get("", "next")?)
}

async fn taken_slugs(db: &impl ConnectionTrait) -> anyhow::Result<HashSet<String>> {
    let slugs: Vec<String> = stall::Entity::find()
        .select_only()
        .column(stall::Column::Slug)
        .into_tuple()
        .all(db)
        .await?;
    Ok(slugs.into_iter().collect())
}

/// The rows to write, and the ids and slugs given so far.
#[derive(Default)]
struct Rows {
    users: Vec<user::ActiveModel>,
    stalls: Vec<stall::ActiveModel>,
    products: Vec<product::ActiveModel>,
    next_user: i64,
    next_stall: i64,
    next_product: i64,
    slugs: HashSet<String>,
    now: DateTime<Utc>,
}

/// A stall as grown: what its products' rows repeat of it.
struct GrownStall {
    name: String,
    place: StallPlace,
    ocop_share: f64,
}

impl Rows {
    fn add_stall(&mut self, rng: &mut StdRng, size: usize, hash: &str) -> anyhow::Result<()> {
        let (user_id, stall_id) = (self.next_user, self.next_stall);
        self.next_user += 1;
        self.next_stall += 1;
        let full_name = format!(
            "{} {} {}",
            pick(rng, &FAMILY_NAMES),
            pick(rng, &MIDDLE_NAMES),
            pick(rng, &GIVEN_NAMES)
        );
        // 039 and seven digits of the id: a mobile number no one else in the database has.
        let phone = Phone::parse(&format!("039{user_id:07}"))
            .map_err(|e| anyhow::anyhow!("phone for vendor {user_id}: {e}"))?;
        let opened = self.now - Duration::days(rng.gen_range(30..400));
        self.users.push(user::ActiveModel {
            id: Set(user_id),
            full_name: Set(full_name.clone()),
            phone: Set(Some(phone.as_str().to_owned())),
            email: Set(None),
            password_hash: Set(hash.to_owned()),
            role: Set(Role::Vendor.slug().to_owned()),
            market: Set(None),
            created_at: Set(opened),
        });
        let grown = grown_stall(rng, stall_id, &full_name);
        let slug = self.free_slug(&grown.name);
        let flat = grown.place.flatten();
        let days = match &grown.place {
            StallPlace::Market { market, .. } => market.market_days(),
            StallPlace::Ocop { .. } => TradingDays::EVERY_DAY,
        };
        // One stall in twenty waits for its review, and is not shown.
        let status = if rng.gen_bool(0.05) {
            StallStatus::Submitted
        } else {
            StallStatus::Approved
        };
        self.stalls.push(stall::ActiveModel {
            id: Set(stall_id),
            owner_id: Set(user_id),
            slug: Set(slug),
            name: Set(grown.name.clone()),
            place_kind: Set(flat.kind.to_owned()),
            market: Set(flat.market),
            stall_no: Set(flat.stall_no),
            entity_type: Set(flat.entity_type),
            commune: Set(flat.commune),
            district: Set(flat.district),
            description_vi: Set(format!("{}. {}", grown.name, pick(rng, &SENTENCES))),
            description_en: Set(None),
            phone: Set(phone.as_str().to_owned()),
            trading_days: Set(i16::from(days.bits())),
            status: Set(status.slug().to_owned()),
            status_reason: Set(None),
            photo_key: Set(None),
            created_at: Set(opened),
            updated_at: Set(opened),
        });
        for _ in 0..size {
            self.add_product(rng, stall_id, &grown, opened);
        }
        Ok(())
    }

    fn add_product(
        &mut self,
        rng: &mut StdRng,
        stall_id: i64,
        stall: &GrownStall,
        opened: DateTime<Utc>,
    ) {
        let id = self.next_product;
        self.next_product += 1;
        let (goods, category, unit, price) = *pick(rng, &GOODS);
        let name = format!("{goods} {} {}", pick(rng, &ORIGINS), pick(rng, &VARIANTS));
        let description = format!(
            "{name} của {}. {} {}",
            stall.name,
            pick(rng, &SENTENCES),
            pick(rng, &SENTENCES)
        );
        // Prices vary around the usual one, rounded to a thousand đồng as vendors write them.
        let price = (price as f64 * rng.gen_range(0.7..1.5) / 1_000.0).round() as i64 * 1_000;
        let ocop = rng.gen_bool(stall.ocop_share).then(|| {
            let stars: i16 = *pick(rng, &[3, 3, 3, 4, 4, 5]);
            let year = rng.gen_range(2019..=2025);
            (
                stars,
                format!("{}/QĐ-UBND", rng.gen_range(100..4_000)),
                year,
            )
        });
        let listed = opened + Duration::days(rng.gen_range(0..30));
        self.products.push(product::ActiveModel {
            id: Set(id),
            stall_id: Set(stall_id),
            search_text: Set(search_document(
                &name,
                &description,
                None,
                category,
                &stall.name,
                &stall.place,
            )),
            name_words: Set(app::domain::search::name_words(&name)),
            name_accents: Set(app::domain::search::name_accents(&name)),
            name: Set(name),
            description_vi: Set(description),
            description_en: Set(None),
            category: Set(category.slug().to_owned()),
            unit: Set(unit.slug().to_owned()),
            price: Set(price.max(1_000)),
            // Half the vendors count their stock, in the unit's steps.
            stock: Set(rng.gen_bool(0.5).then(|| rng.gen_range(0..500))),
            ocop_stars: Set(ocop.as_ref().map(|o| o.0)),
            ocop_certificate: Set(ocop.as_ref().map(|o| o.1.clone())),
            ocop_year: Set(ocop.as_ref().map(|o| o.2)),
            published: Set(rng.gen_bool(0.95)),
            // Grown products have no photos.
            has_photo: Set(false),
            submission: Set(None),
            created_at: Set(listed),
            updated_at: Set(listed),
        });
    }

    /// A slug for a new stall: from its name, numbered when another stall has it.
    fn free_slug(&mut self, name: &str) -> String {
        let base = Slug::from_name(name);
        let slug = std::iter::once(base.clone())
            .chain((2..).map(|n| base.with_suffix(n)))
            .map(|s| s.as_str().to_owned())
            .find(|s| !self.slugs.contains(s))
            .expect("some numbered slug is free");
        self.slugs.insert(slug.clone());
        slug
    }
}

/// A market stall (seven in ten: Cốc Lếu the largest market, Bắc Hà the smallest) or an OCOP
/// producer, whose products are more often starred.
fn grown_stall(rng: &mut StdRng, stall_id: i64, owner: &str) -> GrownStall {
    let given = owner.rsplit(' ').next().unwrap_or(owner);
    if rng.gen_bool(0.7) {
        let market = *pick(
            rng,
            &[
                Market::CocLeu,
                Market::CocLeu,
                Market::CocLeu,
                Market::SaPa,
                Market::SaPa,
                Market::BacHa,
            ],
        );
        let title = pick(rng, &["cô", "chị", "anh", "chú", "bà"]);
        GrownStall {
            name: format!("{} {title} {given}", pick(rng, &STALL_KINDS)),
            place: StallPlace::Market {
                market,
                // Unique within the market, as its board numbers pitches.
                stall_no: Some(format!("G-{stall_id}")),
            },
            ocop_share: 0.03,
        }
    } else {
        let commune = pick(rng, &COMMUNES).to_string();
        let entity_type = *pick(
            rng,
            &[
                EntityType::Cooperative,
                EntityType::Household,
                EntityType::Business,
            ],
        );
        GrownStall {
            name: format!("{} {commune}", pick(rng, &PRODUCER_KINDS)),
            place: StallPlace::Ocop {
                entity_type,
                commune,
                district: pick(rng, &DISTRICTS).to_string(),
            },
            ocop_share: 0.4,
        }
    }
}

fn pick<'a, T>(rng: &mut impl Rng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_add_up_with_a_wholesaler_per_twelve_thousand() {
        let mut rng = StdRng::seed_from_u64(7);
        let sizes = stall_sizes(&mut rng, 50_000);
        assert_eq!(sizes.iter().sum::<usize>(), 50_000);
        assert_eq!(sizes.iter().filter(|&&s| s >= 1_500).count(), 4);
        let small = sizes.iter().filter(|&&s| (10..=200).contains(&s)).count();
        // All but the wholesalers and the last, cut-short stall.
        assert!(small >= sizes.len() - 5, "{sizes:?}");
    }

    #[test]
    fn the_same_seed_grows_the_same_sizes() {
        let a = stall_sizes(&mut StdRng::seed_from_u64(1), 1_000);
        let b = stall_sizes(&mut StdRng::seed_from_u64(1), 1_000);
        assert_eq!(a, b);
        assert_eq!(a.iter().sum::<usize>(), 1_000);
    }
}
