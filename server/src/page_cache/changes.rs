//! What the stores tell the page cache after a write committed, and the generations it keeps
//! so that a page kept before the write is never served after it.
//!
//! Every kept page carries one [`Tag`] and the [`Stamp`] of that tag taken before the page
//! was rendered. A write moves the generations on; a page whose stamp is no longer current is
//! stale and rendered again. Because the stamp is taken before rendering and the stores move
//! the generations after their commit, a page rendered while a write was committing carries
//! the older stamp and is dropped at its next request, whichever of the two finished first.
use app::domain::id::{ProductId, StallId};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What a kept page depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tag {
    /// Pages that show one stall and its products only: the stall's page, a product's page.
    Stall(i64),
    /// Pages that show products of many stalls: home, markets, OCOP, search, the stall list.
    Catalog,
}

/// The generations of a tag when a page was rendered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    everything: u64,
    tag: u64,
}

#[derive(Default)]
pub(super) struct Generations {
    /// Moves on for a change whose stalls are not known here (a payment moving orders).
    everything: AtomicU64,
    /// Moves on with every stall's change: every catalog page may show that stall.
    catalog: AtomicU64,
    /// One generation per stall that changed since the process started (a few thousand).
    stalls: Mutex<HashMap<i64, u64>>,
}

impl Generations {
    fn stalls(&self) -> std::sync::MutexGuard<'_, HashMap<i64, u64>> {
        // Only counters: consistent whatever a panicking holder did.
        self.stalls.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn stamp(&self, tag: Tag) -> Stamp {
        // `everything` first: a change racing with this read can only make the stamp older.
        let everything = self.everything.load(Ordering::SeqCst);
        let tag = match tag {
            Tag::Catalog => self.catalog.load(Ordering::SeqCst),
            Tag::Stall(id) => self.stalls().get(&id).copied().unwrap_or(0),
        };
        Stamp { everything, tag }
    }

    fn stall_changed(&self, id: i64) {
        self.stall_pages_changed(id);
        self.catalog.fetch_add(1, Ordering::SeqCst);
    }

    fn stall_pages_changed(&self, id: i64) {
        *self.stalls().entry(id).or_default() += 1;
    }
}

/// The stores' side of the page cache: cheap to clone, and a no-op for processes that keep no
/// pages (the command line, the seed), whose writes reach a serving process's cache only as its
/// pages age out (see [`super::PageCache`]).
#[derive(Clone, Default)]
pub struct Changes(Option<Arc<Generations>>);

impl Changes {
    pub(super) fn new(generations: Arc<Generations>) -> Changes {
        Changes(Some(generations))
    }

    /// The generation of `tag` now, taken before a read that is kept; `None` for a process
    /// that keeps nothing, since no change is told to it.
    pub fn stamp(&self, tag: Tag) -> Option<Stamp> {
        self.0.as_ref().map(|g| g.stamp(tag))
    }

    /// The stall, or one of its products, its stock or its photos changed: its own pages and
    /// every catalog page are stale. Call it after the change committed.
    pub fn stall(&self, id: StallId) {
        if let Some(g) = &self.0 {
            g.stall_changed(id.get());
        }
    }

    /// Several stalls changed at once (a checkout reserving stock at each).
    pub fn stalls(&self, ids: impl IntoIterator<Item = StallId>) {
        for id in ids {
            self.stall(id);
        }
    }

    /// A product changed: its stall's pages and every catalog page are stale. Its stall is
    /// read (products never change stalls); if that fails, every page is dropped rather than
    /// one kept stale.
    pub async fn product(&self, db: &impl ConnectionTrait, id: ProductId) {
        if self.0.is_none() {
            return;
        }
        match stall_of_product(db, id.get()).await {
            Ok(Some(stall)) => self.stall(StallId::new(stall)),
            Ok(None) => {}
            Err(err) => {
                tracing::warn!(error = %err, "reading a changed product's stall failed");
                self.everything();
            }
        }
    }

    /// Orders moved or money arrived for them (`orders` picks them: by id, or a checkout's):
    /// their stalls' own pages show stock that may have moved with them, and the catalog pages,
    /// which show a product only while it is not sold out, are stale only when one of their
    /// products' stock now stands where a move makes it reach zero or leave it: at zero, or
    /// at the line's quantity (given back from zero). That holds whichever way the order
    /// moved, so a catalog page is never kept stale; a coincidence drops it for nothing. Read
    /// after the commit; if reading fails, every page is dropped rather than one kept stale.
    pub async fn orders(&self, db: &impl ConnectionTrait, orders: sea_orm::sea_query::Expr) {
        let Some(g) = &self.0 else {
            return;
        };
        match stock_of_orders(db, orders).await {
            Ok(lines) => {
                let mut catalog = false;
                let mut stalls = std::collections::BTreeSet::new();
                for (stall, quantity, stock) in lines {
                    stalls.insert(stall);
                    catalog |= stock.is_some_and(|s| s == 0 || Some(s) == quantity);
                }
                for stall in stalls {
                    match catalog {
                        true => g.stall_changed(stall),
                        false => g.stall_pages_changed(stall),
                    }
                }
            }
            Err(err) => {
                tracing::warn!(error = %err, "reading the stock of moved orders failed");
                self.everything();
            }
        }
    }

    /// Something changed whose stalls are not known here: every kept page is stale.
    pub fn everything(&self) {
        if let Some(g) = &self.0 {
            g.everything.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// For each line of the `orders`, its order's stall, its quantity and its product's stock now
/// (`None`: counted by no one); an order without lines still names its stall.
async fn stock_of_orders(
    db: &impl ConnectionTrait,
    orders: sea_orm::sea_query::Expr,
) -> Result<Vec<(i64, Option<i64>, Option<i64>)>, sea_orm::DbErr> {
    use crate::db::entities::{order, order_line, product};
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let select = Query::select()
        .column((order::Entity, order::Column::StallId))
        .column((order_line::Entity, order_line::Column::Quantity))
        .column((product::Entity, product::Column::Stock))
        .from(order::Entity)
        .left_join(
            order_line::Entity,
            Expr::col((order_line::Entity, order_line::Column::OrderId))
                .equals((order::Entity, order::Column::Id)),
        )
        .left_join(
            product::Entity,
            Expr::col((product::Entity, product::Column::Id))
                .equals((order_line::Entity, order_line::Column::ProductId)),
        )
        .and_where(orders)
        .to_owned();
    db.query_all(&select)
        .await?
        .iter()
        .map(|row| {
            Ok((
                row.try_get_by_index(0)?,
                row.try_get_by_index(1)?,
                row.try_get_by_index(2)?,
            ))
        })
        .collect()
}

/// The stall a product belongs to, if the product exists.
pub(super) async fn stall_of_product(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<i64>, sea_orm::DbErr> {
    use crate::db::entities::product;
    product::Entity::find_by_id(id)
        .select_only()
        .column(product::Column::StallId)
        .into_tuple()
        .one(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stall_change_makes_its_pages_and_the_catalog_stale_but_not_other_stalls() {
        let g = Arc::new(Generations::default());
        let changes = Changes::new(g.clone());
        let (one, two, catalog) = (
            g.stamp(Tag::Stall(1)),
            g.stamp(Tag::Stall(2)),
            g.stamp(Tag::Catalog),
        );
        changes.stall(StallId::new(1));
        assert_ne!(g.stamp(Tag::Stall(1)), one);
        assert_eq!(g.stamp(Tag::Stall(2)), two);
        assert_ne!(g.stamp(Tag::Catalog), catalog);
        let two = g.stamp(Tag::Stall(2));
        changes.everything();
        assert_ne!(g.stamp(Tag::Stall(2)), two);
    }

    #[test]
    fn a_process_without_a_cache_is_told_nothing() {
        let changes = Changes::default();
        changes.stall(StallId::new(1));
        changes.everything();
    }
}
