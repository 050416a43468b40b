//! What the catalogue stores: products, their photos and stock history, the storefront's
//! shelves and search.
use super::StoreResult;
use crate::domain::category::Category;
use crate::domain::id::{ProductId, StallId, UserId};
use crate::domain::market::Market;
use crate::domain::quantity::Quantity;
use crate::domain::stock::StockReason;
use crate::domain::submission::Submission;
use crate::model::{Product, ProductDraft, Stall, StockMove};
use async_trait::async_trait;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SearchFilter {
    pub market: Option<Market>,
    pub min_stars: Option<u8>,
    pub category: Option<Category>,
    /// Most OCOP stars first, before any other order: the OCOP collection's.
    pub best_rated_first: bool,
}

/// The groups a storefront shows a few products of, each on a shelf of its own.
#[derive(Clone, Copy, Debug)]
pub enum Shelves<'a> {
    /// One shelf per market.
    Markets,
    /// One shelf of OCOP-certified products, wherever they are sold.
    Ocop,
    /// One shelf per stall of these, of products with a photo: the thumbnails on its card.
    Stalls(&'a [StallId]),
}

/// A product to add: what its vendor filled in, the storage keys of its photos (the first is
/// its cover), and the form submission it comes from.
#[derive(Clone, Copy, Debug)]
pub struct NewProduct<'a> {
    pub draft: &'a ProductDraft,
    pub photos: &'a [String],
    pub submission: Option<&'a Submission>,
}

/// What adding a product did.
#[derive(Clone, Debug)]
pub enum Created {
    /// Added it.
    New(Product),
    /// Found the submission done before: this product is what it created, and nothing else
    /// changed (the photos given this time are not used).
    Repeated(ProductId),
}

impl Created {
    pub fn id(&self) -> ProductId {
        match self {
            Created::New(p) => p.id,
            Created::Repeated(id) => *id,
        }
    }
}

#[async_trait]
pub trait Catalog: Send + Sync {
    /// Adds a product with its photos, all or nothing; a limited stock starts its history as
    /// `Listed` by `by`. A submission the stall already made answers with the product it
    /// created then, and adds nothing.
    async fn create(
        &self,
        stall_id: StallId,
        product: NewProduct<'_>,
        by: UserId,
    ) -> StoreResult<Created>;
    /// Saves the vendor's changes. The stock changes only as [`stock_edit`] says, in one
    /// conditional statement, and is recorded in its history; a change that no longer fits
    /// the stock is refused whole with [`StoreError::StockMoved`].
    ///
    /// [`stock_edit`]: crate::domain::stock::stock_edit
    async fn update(&self, id: ProductId, draft: &ProductDraft, by: UserId) -> StoreResult<()>;
    /// Adds `change` steps (negative to take away) to a limited stock and records why and by
    /// whom; returns the stock it left. [`StoreError::StockMoved`] when the stock is unlimited
    /// or would go below zero.
    async fn adjust_stock(
        &self,
        id: ProductId,
        change: i64,
        reason: StockReason,
        by: UserId,
    ) -> StoreResult<Quantity>;
    /// The product's stock history, newest first, at most `limit` changes.
    async fn stock_moves(&self, id: ProductId, limit: u64) -> StoreResult<Vec<StockMove>>;
    async fn by_id(&self, id: ProductId) -> StoreResult<Option<Product>>;
    async fn of_stall(&self, stall_id: StallId, only_published: bool) -> StoreResult<Vec<Product>>;
    /// The rows of `window` among [`Self::of_stall`]'s products, in the same order.
    async fn page_of_stall(
        &self,
        stall_id: StallId,
        only_published: bool,
        window: crate::domain::paging::Window,
    ) -> StoreResult<Vec<Product>>;
    async fn set_published(&self, id: ProductId, published: bool) -> StoreResult<()>;
    /// Adds a photo after the product's others.
    async fn add_photo(&self, id: ProductId, key: &str) -> StoreResult<()>;
    /// Removes the photo `key` of product `id`; [`StoreError::NotFound`] if it has no such one.
    async fn remove_photo(&self, id: ProductId, key: &str) -> StoreResult<()>;
    /// Puts the photo `key` of product `id` first, the one cards show; the others keep their
    /// order. [`StoreError::NotFound`] if it has no such photo.
    async fn set_cover(&self, id: ProductId, key: &str) -> StoreResult<()>;
    /// At most `per_shelf` products on each of `shelves`: published, not sold out, of approved
    /// stalls; those with a photo first, one of each of several stalls before a second of any,
    /// the newest first. With their stall, in a fixed number of queries however many shelves.
    async fn shelves(
        &self,
        shelves: Shelves<'_>,
        per_shelf: u64,
    ) -> StoreResult<Vec<(Product, Stall)>>;
    /// The `window` of the published products of approved stalls whose search document holds
    /// every term of `query`, in [`rank`](crate::domain::search::rank)'s order then by name
    /// (byte order) and id; with how many match in all, which is 0 when the window is past
    /// the last. An empty query matches every product the filter lets through, by name.
    async fn search(
        &self,
        query: &crate::domain::search::Query,
        filter: &SearchFilter,
        window: crate::domain::paging::Window,
    ) -> StoreResult<(Vec<(Product, Stall)>, u64)>;
}
