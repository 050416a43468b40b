//! Catalog pages kept in memory for visitors without a session, so the pages most people read
//! (home, markets, OCOP, a stall, a product, a search, the public stall list) are answered
//! without rendering or reading the database.
//!
//! - **What is kept**: a `GET` of one of those addresses, from a visitor sending no cookie but
//!   the language's, answered `200` with no `Set-Cookie`. Kept by address (path and query)
//!   and by the language the page was rendered in, so each browser's own `Accept-Language`
//!   does not split the cache. Anything under `/my`, `/admin`, the cart, checkouts and the
//!   account pages is never kept: those addresses are not on the list.
//! - **When it is dropped**: the stores tell [`Changes`] after each write a page shows
//!   (products, stock, photos, stalls, approvals, orders moving stock); a page is served only
//!   while the generation of its [`Tag`] is the one it was rendered under. A page kept by
//!   another process's write (the command line's seed or registry import, a second server on
//!   the same PostgreSQL) is not told: every page is rendered again at least every
//!   [`KEPT_AT_MOST`], which bounds that staleness without a query per request.
//! - **How much**: at most [`BYTES`], weighed by the page's size; moka's TinyLFU admission
//!   keeps the popular pages when strangers ask for many one-off addresses.
//! - **Concurrent misses** of one address wait for the first rendering (see [`PageCache::turn`]).
mod changes;
mod reads;
mod serve;

pub use changes::{Changes, Stamp, Tag};
pub use reads::{KeptReads, Weight};
pub use serve::serve;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue};
use sea_orm::DatabaseConnection;
use std::hash::BuildHasher;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The memory the kept pages may take in all.
pub const BYTES: u64 = 32 * 1024 * 1024;
/// How long a page may be served before it is rendered again, whatever was told.
pub const KEPT_AT_MOST: Duration = Duration::from_secs(30);
/// Larger pages are served but not kept: one would crowd out hundreds of others.
const LARGEST: usize = 2 * 1024 * 1024;
/// How many locks misses are spread over (a miss holds one while it renders).
const TURNS: usize = 64;

/// An address as it is kept: path and query, and the language it was rendered in.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub uri: String,
    pub lang: &'static str,
}

/// A kept answer.
pub struct Page {
    pub headers: HeaderMap,
    pub body: Bytes,
    /// A strong validator: a hash of the body.
    pub etag: HeaderValue,
    pub tag: Tag,
    pub stamp: Stamp,
}

/// The kept pages of one process. Cheap to clone: every clone is the same cache.
#[derive(Clone)]
pub struct PageCache(Arc<Inner>);

struct Inner {
    pages: moka::sync::Cache<Key, Arc<Page>>,
    generations: Arc<changes::Generations>,
    db: DatabaseConnection,
    turns: Vec<tokio::sync::Mutex<()>>,
    hits: AtomicU64,
}

impl PageCache {
    pub fn new(db: DatabaseConnection) -> PageCache {
        let pages = moka::sync::Cache::builder()
            .max_capacity(BYTES)
            .weigher(|key: &Key, page: &Arc<Page>| {
                let size = key.uri.len() + page.body.len() + 512;
                u32::try_from(size).unwrap_or(u32::MAX)
            })
            .time_to_live(KEPT_AT_MOST)
            .build();
        PageCache(Arc::new(Inner {
            pages,
            generations: Arc::default(),
            db,
            turns: (0..TURNS).map(|_| tokio::sync::Mutex::new(())).collect(),
            hits: AtomicU64::new(0),
        }))
    }

    /// What the stores are given to say what changed.
    pub fn changes(&self) -> Changes {
        Changes::new(self.0.generations.clone())
    }

    /// The page kept for `key`, if it is still current.
    pub fn fresh(&self, key: &Key) -> Option<Arc<Page>> {
        let page = self.0.pages.get(key)?;
        if self.0.generations.stamp(page.tag) == page.stamp {
            self.0.hits.fetch_add(1, Ordering::Relaxed);
            Some(page)
        } else {
            self.0.pages.invalidate(key);
            None
        }
    }

    /// How many requests were answered from the cache since the process started.
    pub fn hits(&self) -> u64 {
        self.0.hits.load(Ordering::Relaxed)
    }

    /// The generation of `tag` now, taken before rendering a page of it.
    pub fn stamp(&self, tag: Tag) -> Stamp {
        self.0.generations.stamp(tag)
    }

    /// Keeps a rendered page, unless it is too large to.
    pub fn keep(&self, key: Key, page: Page) -> Arc<Page> {
        let page = Arc::new(page);
        if page.body.len() <= LARGEST {
            self.0.pages.insert(key, page.clone());
        }
        page
    }

    /// The lock a miss of `key` renders under: a second request for the same address waits
    /// and then finds the page kept, rather than rendering it again. Different addresses
    /// share a lock only when their hashes meet, and then merely wait their turn.
    pub async fn turn(&self, key: &Key) -> tokio::sync::MutexGuard<'_, ()> {
        let slot = stable_hash(key) % TURNS as u64;
        self.0.turns[slot as usize].lock().await
    }

    /// The tag of the page at `path`, read from the database for a stall's or a product's
    /// page; `None` when that stall or product does not exist (its "not found" is not kept).
    pub async fn tag_of(&self, path: &str) -> Option<Tag> {
        let db = &self.0.db;
        if let Some(slug) = path.strip_prefix("/stalls/") {
            use crate::db::entities::stall;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
            let id: Option<i64> = stall::Entity::find()
                .filter(stall::Column::Slug.eq(slug))
                .select_only()
                .column(stall::Column::Id)
                .into_tuple()
                .one(db)
                .await
                .ok()?;
            return id.map(Tag::Stall);
        }
        if let Some(id) = path.strip_prefix("/products/") {
            let id: i64 = id.parse().ok()?;
            let stall = changes::stall_of_product(db, id).await.ok()?;
            return stall.map(Tag::Stall);
        }
        Some(Tag::Catalog)
    }
}

fn stable_hash(key: &Key) -> u64 {
    // Fixed keys: the same address always meets the same lock in this process.
    std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
        .hash_one(key)
}

/// Whether `path` is a catalog page every visitor without a session sees alike.
pub fn is_catalog(path: &str) -> bool {
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
    };
    matches!(path, "/" | "/ocop" | "/search" | "/api/v1/stalls")
        || under("/markets/")
        || under("/stalls/")
        || under("/products/")
}
