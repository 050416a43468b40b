use super::catalog_reads::CatalogReads;
use super::entities::{product, product_photo, stall};
use super::stalls::to_stall;
use super::stock;
use super::{backend, stored};
use app::domain::category::OcopStars;
use app::domain::id::{ProductId, StallId, UserId};
use app::domain::money::Dong;
use app::domain::paging::Window;
use app::domain::quantity::Quantity;
use app::domain::search::Query;
use app::domain::stock::{StockReason, stock_edit};
use app::domain::submission::Submission;
use app::model::ProductDraft;
use app::model::{OcopCert, Product, Stall, StockMove, search_document};
use app::ports::{Catalog, Created, NewProduct, SearchFilter, Shelves, StoreError, StoreResult};
use async_trait::async_trait;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, Set,
};
use std::collections::HashMap;

/// Products, with the clock that dates their publishing history, telling the page cache of
/// each change once committed, and keeping the reads every page shows alike until then.
pub struct CatalogStore(
    pub DatabaseConnection,
    pub app::ports::Clock,
    pub crate::page_cache::Changes,
    CatalogReads,
);

impl CatalogStore {
    pub fn new(
        db: DatabaseConnection,
        clock: app::ports::Clock,
        changes: crate::page_cache::Changes,
    ) -> CatalogStore {
        let reads = CatalogReads::new(&changes);
        CatalogStore(db, clock, changes, reads)
    }
}

fn to_product(row: product::Model, photos: Vec<String>) -> StoreResult<Product> {
    let ocop = match (row.ocop_stars, row.ocop_certificate, row.ocop_year) {
        (Some(stars), Some(certificate_no), Some(year)) => Some(OcopCert {
            stars: OcopStars::new(stars as u8).map_err(backend)?,
            certificate_no,
            year,
        }),
        _ => None,
    };
    Ok(Product {
        id: ProductId::new(row.id),
        stall_id: StallId::new(row.stall_id),
        name: row.name,
        description_vi: row.description_vi,
        description_en: row.description_en,
        category: stored("products.category", &row.category)?,
        unit: stored("products.unit", &row.unit)?,
        price: Dong::new(row.price),
        stock: row.stock.map(Quantity::from_steps),
        ocop,
        published: row.published,
        photos,
    })
}

/// Products with their photos, in two queries rather than one per product.
pub(crate) async fn with_photos(
    db: &impl ConnectionTrait,
    rows: Vec<product::Model>,
) -> StoreResult<Vec<Product>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut photos: HashMap<i64, Vec<String>> = HashMap::new();
    let photo_rows = super::find_in::<product_photo::Entity, _>(
        db,
        product_photo::Column::ProductId,
        &ids,
        |q| q.order_by_asc(product_photo::Column::Position),
    )
    .await?;
    for photo in photo_rows {
        photos.entry(photo.product_id).or_default().push(photo.key);
    }
    rows.into_iter()
        .map(|r| {
            let p = photos.remove(&r.id).unwrap_or_default();
            to_product(r, p)
        })
        .collect()
}

/// Writes the draft's fields onto a row, all but the stock, which changes only through
/// [`super::stock`].
fn fill(
    active: &mut product::ActiveModel,
    draft: &ProductDraft,
    stall: &Stall,
    now: chrono::DateTime<Utc>,
) {
    active.name = Set(draft.name.clone());
    active.name_words = Set(app::domain::search::name_words(&draft.name));
    active.name_accents = Set(app::domain::search::name_accents(&draft.name));
    active.description_vi = Set(draft.description_vi.clone());
    active.description_en = Set(draft.description_en.clone());
    active.category = Set(draft.category.slug().to_string());
    active.unit = Set(draft.unit.slug().to_string());
    active.price = Set(draft.price.amount());
    active.ocop_stars = Set(draft.ocop.as_ref().map(|o| i16::from(o.stars.get())));
    active.ocop_certificate = Set(draft.ocop.as_ref().map(|o| o.certificate_no.clone()));
    active.ocop_year = Set(draft.ocop.as_ref().map(|o| o.year));
    active.published = Set(draft.published);
    active.search_text = Set(search_document(
        &draft.name,
        &draft.description_vi,
        draft.description_en.as_deref(),
        draft.category,
        &stall.name,
        &stall.place,
    ));
    active.updated_at = Set(now);
}

/// Keeps the product's publishing history in step with the row just written.
async fn published_since(
    db: &impl ConnectionTrait,
    row: &product::Model,
    at: chrono::DateTime<Utc>,
) -> StoreResult<()> {
    let kind = super::stages::SpanKind::Published { product_id: row.id };
    super::stages::record(db, row.stall_id, kind, row.published, at).await
}

async fn stall_of(db: &impl ConnectionTrait, stall_id: i64) -> StoreResult<Stall> {
    to_stall(
        stall::Entity::find_by_id(stall_id)
            .one(db)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?,
    )
}

/// The product the stall's `submission` created, if it was made before.
async fn submitted(
    db: &impl ConnectionTrait,
    stall_id: StallId,
    submission: Option<&Submission>,
) -> StoreResult<Option<ProductId>> {
    let Some(submission) = submission else {
        return Ok(None);
    };
    let row = product::Entity::find()
        .filter(product::Column::StallId.eq(stall_id.get()))
        .filter(product::Column::Submission.eq(submission.as_str()))
        .one(db)
        .await
        .map_err(backend)?;
    Ok(row.map(|r| ProductId::new(r.id)))
}

/// What a clash on the stall's submission token is reported as.
const SUBMISSION: &str = "submission";

/// Adds the product, its photos in their order, its publishing and its stock history, in one
/// transaction.
async fn insert(
    db: &DatabaseConnection,
    clock: &app::ports::Clock,
    stall_id: StallId,
    new: NewProduct<'_>,
    by: UserId,
) -> StoreResult<Product> {
    let stall_id = stall_id.get();
    let stall = stall_of(db, stall_id).await?;
    let now = clock.now();
    let draft = new.draft;
    let mut active = product::ActiveModel {
        stall_id: Set(stall_id),
        stock: Set(draft.stock.map(Quantity::steps)),
        submission: Set(new.submission.map(|s| s.as_str().to_string())),
        has_photo: Set(!new.photos.is_empty()),
        created_at: Set(now),
        ..Default::default()
    };
    fill(&mut active, draft, &stall, now);
    let txn = super::write_txn(db).await?;
    let row = active
        .insert(&txn)
        .await
        .map_err(|e| super::store_error(e, SUBMISSION))?;
    published_since(&txn, &row, now).await?;
    if let Some(stock) = draft.stock {
        let by = stock::By {
            user: by.get(),
            at: now,
        };
        stock::record(&txn, row.id, stock.steps(), StockReason::Listed, stock, by).await?;
    }
    for (position, key) in new.photos.iter().enumerate() {
        product_photo::ActiveModel {
            product_id: Set(row.id),
            key: Set(key.clone()),
            position: Set(position as i32),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(backend)?;
    }
    txn.commit().await.map_err(backend)?;
    to_product(row, new.photos.to_vec())
}

/// Any photo of product `id`.
fn photos_of(id: i64) -> SelectStatement {
    sea_orm::sea_query::Query::select()
        .expr(Expr::val(1))
        .from(product_photo::Entity)
        .and_where(Expr::col(product_photo::Column::ProductId).eq(id))
        .to_owned()
}

/// Writes whether product `id` has a photo: `value`, computed in the transaction that changed
/// its photos.
async fn set_has_photo(db: &impl ConnectionTrait, id: i64, value: Expr) -> StoreResult<()> {
    product::Entity::update_many()
        .col_expr(product::Column::HasPhoto, value)
        .filter(product::Column::Id.eq(id))
        .exec(db)
        .await
        .map_err(backend)?;
    Ok(())
}

#[async_trait]
impl Catalog for CatalogStore {
    async fn create(
        &self,
        stall_id: StallId,
        new: NewProduct<'_>,
        by: UserId,
    ) -> StoreResult<Created> {
        if let Some(earlier) = submitted(&self.0, stall_id, new.submission).await? {
            return Ok(Created::Repeated(earlier));
        }
        let created = match insert(&self.0, &self.1, stall_id, new, by).await {
            // The same submission, posted again at the same moment, was added first.
            Err(StoreError::Taken(SUBMISSION)) => submitted(&self.0, stall_id, new.submission)
                .await?
                .map(Created::Repeated)
                .ok_or(StoreError::Stale),
            other => other.map(Created::New),
        };
        self.2.stall(stall_id);
        created
    }

    async fn update(&self, id: ProductId, draft: &ProductDraft, by: UserId) -> StoreResult<()> {
        let now = self.1.now();
        let txn = super::write_txn(&self.0).await?;
        let row = product::Entity::find_by_id(id.get())
            .one(&txn)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?;
        let stall = stall_of(&txn, row.stall_id).await?;
        let by = stock::By {
            user: by.get(),
            at: now,
        };
        let same_unit = row.unit == draft.unit.slug();
        let edit = stock_edit(draft.stock_shown, draft.stock, same_unit);
        stock::apply_edit(&txn, row.id, edit, by).await?;
        let mut active: product::ActiveModel = row.into();
        fill(&mut active, draft, &stall, now);
        let row = active.update(&txn).await.map_err(backend)?;
        published_since(&txn, &row, now).await?;
        txn.commit().await.map_err(backend)?;
        self.2.stall(StallId::new(row.stall_id));
        Ok(())
    }

    async fn adjust_stock(
        &self,
        id: ProductId,
        change: i64,
        reason: StockReason,
        by: UserId,
    ) -> StoreResult<Quantity> {
        let by = stock::By {
            user: by.get(),
            at: self.1.now(),
        };
        let txn = super::write_txn(&self.0).await?;
        let left = stock::adjust(&txn, id.get(), change, reason, by).await?;
        txn.commit().await.map_err(backend)?;
        self.2.product(&self.0, id).await;
        Ok(left)
    }

    async fn stock_moves(&self, id: ProductId, limit: u64) -> StoreResult<Vec<StockMove>> {
        stock::history(&self.0, id.get(), limit).await
    }

    async fn by_id(&self, id: ProductId) -> StoreResult<Option<Product>> {
        let id = id.get();
        let rows: Vec<_> = product::Entity::find_by_id(id)
            .one(&self.0)
            .await
            .map_err(backend)?
            .into_iter()
            .collect();
        Ok(with_photos(&self.0, rows).await?.pop())
    }

    async fn of_stall(&self, stall_id: StallId, only_published: bool) -> StoreResult<Vec<Product>> {
        let rows = stall_products(stall_id, only_published)
            .all(&self.0)
            .await
            .map_err(backend)?;
        with_photos(&self.0, rows).await
    }

    async fn page_of_stall(
        &self,
        stall_id: StallId,
        only_published: bool,
        window: Window,
    ) -> StoreResult<Vec<Product>> {
        let rows = stall_products(stall_id, only_published)
            .offset(window.offset)
            .limit(window.limit)
            .all(&self.0)
            .await
            .map_err(backend)?;
        with_photos(&self.0, rows).await
    }

    async fn set_published(&self, id: ProductId, published: bool) -> StoreResult<()> {
        let id = id.get();
        let row = product::Entity::find_by_id(id)
            .one(&self.0)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?;
        let now = self.1.now();
        let mut active: product::ActiveModel = row.into();
        active.published = Set(published);
        active.updated_at = Set(now);
        let txn = super::write_txn(&self.0).await?;
        let row = active.update(&txn).await.map_err(backend)?;
        published_since(&txn, &row, now).await?;
        txn.commit().await.map_err(backend)?;
        self.2.stall(StallId::new(row.stall_id));
        Ok(())
    }

    async fn add_photo(&self, id: ProductId, key: &str) -> StoreResult<()> {
        let id = id.get();
        let txn = super::write_txn(&self.0).await?;
        // After the last one, even when photos before it were removed.
        let last = product_photo::Entity::find()
            .filter(product_photo::Column::ProductId.eq(id))
            .order_by_desc(product_photo::Column::Position)
            .one(&txn)
            .await
            .map_err(backend)?;
        product_photo::ActiveModel {
            product_id: Set(id),
            key: Set(key.to_string()),
            position: Set(last.map_or(0, |p| p.position + 1)),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(backend)?;
        set_has_photo(&txn, id, Expr::val(true)).await?;
        txn.commit().await.map_err(backend)?;
        self.2.product(&self.0, ProductId::new(id)).await;
        Ok(())
    }

    async fn remove_photo(&self, id: ProductId, key: &str) -> StoreResult<()> {
        let id = id.get();
        let txn = super::write_txn(&self.0).await?;
        // The product's row first (PostgreSQL; SQLite's write transaction excludes other
        // writers already): a photo added meanwhile commits before the check below reads the
        // photos left, or after it and sets the flag itself.
        product::Entity::find_by_id(id)
            .lock_exclusive()
            .one(&txn)
            .await
            .map_err(backend)?
            .ok_or(StoreError::NotFound)?;
        let removed = product_photo::Entity::delete_many()
            .filter(product_photo::Column::ProductId.eq(id))
            .filter(product_photo::Column::Key.eq(key))
            .exec(&txn)
            .await
            .map_err(backend)?;
        if removed.rows_affected == 0 {
            return Err(StoreError::NotFound);
        }
        set_has_photo(&txn, id, Expr::exists(photos_of(id))).await?;
        txn.commit().await.map_err(backend)?;
        self.2.product(&self.0, ProductId::new(id)).await;
        Ok(())
    }

    async fn set_cover(&self, id: ProductId, key: &str) -> StoreResult<()> {
        let id = id.get();
        // Before the first one: one row changes, and the others keep their order behind it.
        let photos = product_photo::Entity::find()
            .filter(product_photo::Column::ProductId.eq(id))
            .order_by_asc(product_photo::Column::Position)
            .all(&self.0)
            .await
            .map_err(backend)?;
        let first = photos.first().map_or(0, |p| p.position);
        let chosen = photos
            .into_iter()
            .find(|p| p.key == key)
            .ok_or(StoreError::NotFound)?;
        if chosen.position == first {
            return Ok(());
        }
        let mut active: product_photo::ActiveModel = chosen.into();
        active.position = Set(first - 1);
        active.update(&self.0).await.map_err(backend)?;
        self.2.product(&self.0, ProductId::new(id)).await;
        Ok(())
    }

    async fn shelves(
        &self,
        shelves: Shelves<'_>,
        per_shelf: u64,
    ) -> StoreResult<Vec<(Product, Stall)>> {
        let read = async || super::shelves::shelves(&self.0, shelves, per_shelf).await;
        self.3.shelves.get((shelves.into(), per_shelf), read).await
    }

    async fn search(
        &self,
        query: &Query,
        filter: &SearchFilter,
        window: Window,
    ) -> StoreResult<(Vec<(Product, Stall)>, u64)> {
        let read = async || super::search::search(&self.0, query, filter, window).await;
        match query.is_empty() {
            // A list every visitor browses alike: the OCOP collection, a market's or a
            // category's products.
            true => self.3.lists.get((filter.clone(), window), read).await,
            // Typed words: one visitor's, seldom asked again within the minute; an anonymous
            // visitor's is kept as a page. Kept here, a stranger's many one-off searches
            // would only push the lists out.
            false => read().await,
        }
    }
}

/// A stall's products by name, the id breaking ties so that pages neither repeat nor skip one.
fn stall_products(stall_id: StallId, only_published: bool) -> Select<product::Entity> {
    let query = product::Entity::find()
        .filter(product::Column::StallId.eq(stall_id.get()))
        .order_by_asc(product::Column::Name)
        .order_by_asc(product::Column::Id);
    if only_published {
        query.filter(product::Column::Published.eq(true))
    } else {
        query
    }
}

/// products.stall_id → stalls.id, declared here because the entities carry no relations.
pub(crate) fn product_stall() -> sea_orm::RelationDef {
    product::Entity::belongs_to(stall::Entity)
        .from(product::Column::StallId)
        .to(stall::Column::Id)
        .into()
}
