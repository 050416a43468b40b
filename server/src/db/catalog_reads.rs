//! The catalog reads every page shows alike, kept in memory while nothing they show changed
//! (see [`crate::page_cache::KeptReads`]): the storefront's shelves, and the pages of the lists
//! browsed without words (the OCOP collection, a market's or a category's products), which at
//! 50,000 products order thousands of rows for one page.
use crate::page_cache::{Changes, KeptReads};
use app::domain::id::StallId;
use app::domain::paging::Window;
use app::model::{Product, Stall};
use app::ports::{SearchFilter, Shelves};

/// Products, with their stalls, as the catalog reads them.
pub type Found = Vec<(Product, Stall)>;

/// The kept reads of one serving process.
pub struct CatalogReads {
    pub shelves: KeptReads<(ShelvesKey, u64), Found>,
    pub lists: KeptReads<(SearchFilter, Window), (Found, u64)>,
}

/// At most this many products kept for shelves, and for pages of lists: a few megabytes each.
const SHELVED: u64 = 2_000;
const LISTED: u64 = 4_000;

impl CatalogReads {
    pub fn new(changes: &Changes) -> CatalogReads {
        CatalogReads {
            shelves: KeptReads::new(changes.clone(), SHELVED),
            lists: KeptReads::new(changes.clone(), LISTED),
        }
    }
}

/// [`Shelves`] as a key: owned.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ShelvesKey {
    Markets,
    Ocop,
    Stalls(Vec<StallId>),
}

impl From<Shelves<'_>> for ShelvesKey {
    fn from(shelves: Shelves<'_>) -> ShelvesKey {
        match shelves {
            Shelves::Markets => ShelvesKey::Markets,
            Shelves::Ocop => ShelvesKey::Ocop,
            Shelves::Stalls(ids) => ShelvesKey::Stalls(ids.to_vec()),
        }
    }
}
