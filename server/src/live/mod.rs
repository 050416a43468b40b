//! Changes watched as they happen: a shopper's open order page turns "paid" when the bank's
//! notification lands, without reloading.
//!
//! The [`Hub`] keeps, for each thing someone watches ([`Watched`]), the latest
//! [`Snapshot`] of it in a `watch` channel and one task that reads it again from the database:
//! - at once when the stores say they changed it ([`Hub::changed`], [`Hub::orders_changed`]),
//!   right after their transaction committed, so every path that moves an order or records
//!   money is covered without its caller doing anything;
//! - and every [`LiveSettings::recheck`] anyway, since several processes may serve one
//!   database and a change committed by another one is told to nobody here.
//!
//! The same calls tell the page cache ([`crate::page_cache::Changes::orders`]) that the pages it
//! keeps may show stock that moved: an order moving or money arriving may give stock back or
//! take it again. The pages of the orders' stalls are dropped, and the catalog pages only when
//! a product's stock reached zero or came back from it.
//!
//! A watcher is sent a snapshot only when it differs from the last one, and the task ends with
//! the last watcher. What is watched is an enum so that another kind of thing (a stall's sale
//! at the market) is one more variant and one more probe in [`snapshot`].
use crate::db::entities::order;
use app::domain::id::{CheckoutId, OrderId};
use sea_orm::DatabaseConnection;
use sea_orm::sea_query::{Expr, ExprTrait};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::{Notify, watch};

mod checkout;
mod limits;

pub use checkout::checkout_of;
pub use limits::{StreamLimits, StreamSlot};

/// Something a page watches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Watched {
    /// A checkout's orders: their statuses and the money received towards them.
    Checkout(CheckoutId),
}

/// How a watched thing is now, as its watchers are sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// The event's data: JSON the page compares with what it shows.
    pub data: String,
    /// The orders it covers, so that a store that changed an order, knowing nothing of
    /// checkouts, reaches the checkout's watchers.
    pub orders: Vec<OrderId>,
}

/// How live pages are served.
#[derive(Clone, Copy, Debug)]
pub struct LiveSettings {
    /// How often each watched thing is read again when nothing here said it changed.
    pub recheck: Duration,
    /// Streams open at once from one client address; more are refused (429) and the page
    /// falls back to asking now and then.
    pub per_client: usize,
    /// Streams open at once in all.
    pub overall: usize,
    /// How long one stream lasts before the server ends it and the browser opens another.
    pub longest: Duration,
}

impl Default for LiveSettings {
    fn default() -> Self {
        LiveSettings {
            recheck: Duration::from_secs(12),
            // A family's few phones and tabs behind one address; a shared address (a
            // carrier's) beyond this still gets the page's slower polling.
            per_client: 8,
            overall: 2_000,
            longest: Duration::from_secs(30 * 60),
        }
    }
}

/// The watched things of one process. Cheap to clone: every clone is the same hub.
#[derive(Clone)]
pub struct Hub(Arc<Inner>);

struct Inner {
    db: DatabaseConnection,
    recheck: Duration,
    watched: Mutex<HashMap<Watched, Arc<Entry>>>,
    pages: crate::page_cache::Changes,
}

struct Entry {
    latest: watch::Sender<Option<Arc<Snapshot>>>,
    /// Asks the entry's task to read it again now.
    poke: Notify,
}

/// One watcher's view of a watched thing: `None` until it was first read.
pub type Watcher = watch::Receiver<Option<Arc<Snapshot>>>;

impl Hub {
    pub fn new(
        db: DatabaseConnection,
        recheck: Duration,
        pages: crate::page_cache::Changes,
    ) -> Hub {
        Hub(Arc::new(Inner {
            db,
            recheck,
            watched: Mutex::default(),
            pages,
        }))
    }

    /// A hub for writers no page watches (the demo's seed, before serving starts).
    pub fn unwatched(db: DatabaseConnection) -> Hub {
        Hub::new(
            db,
            LiveSettings::default().recheck,
            crate::page_cache::Changes::default(),
        )
    }

    /// What the stores holding this hub tell the page cache.
    pub fn pages(&self) -> &crate::page_cache::Changes {
        &self.0.pages
    }

    fn watched(&self) -> MutexGuard<'_, HashMap<Watched, Arc<Entry>>> {
        // The map stays consistent whatever a panicking holder did: it only adds or removes.
        self.0.watched.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts watching `what`: the watcher sees its snapshot once read, then every change.
    pub fn watch(&self, what: Watched) -> Watcher {
        let mut watched = self.watched();
        if let Some(entry) = watched.get(&what) {
            return entry.latest.subscribe();
        }
        let (latest, watcher) = watch::channel(None);
        let entry = Arc::new(Entry {
            latest,
            poke: Notify::new(),
        });
        watched.insert(what, entry.clone());
        tokio::spawn(keep(self.clone(), what, entry));
        watcher
    }

    /// Says `what` changed: its watchers get its new state as soon as it is read. Call it
    /// after the change committed, or the reading may find the state before it.
    pub async fn changed(&self, what: Watched) {
        let Watched::Checkout(checkout) = what;
        let of_checkout = Expr::col((order::Entity, order::Column::CheckoutId)).eq(checkout.get());
        self.0.pages.orders(&self.0.db, of_checkout).await;
        self.poke(what);
    }

    /// Says order `id` of `checkout` moved: like [`Hub::changed`], but only that order's stall
    /// has pages to drop, not those of the checkout's other orders.
    pub async fn order_moved(&self, checkout: CheckoutId, id: OrderId) {
        let one = Expr::col((order::Entity, order::Column::Id)).eq(id.get());
        self.0.pages.orders(&self.0.db, one).await;
        self.poke(Watched::Checkout(checkout));
    }

    fn poke(&self, what: Watched) {
        if let Some(entry) = self.watched().get(&what) {
            entry.poke.notify_one();
        }
    }

    /// Says the orders `ids` changed: whatever watched covers one of them is read again.
    pub async fn orders_changed(&self, ids: &[OrderId]) {
        let orders =
            Expr::col((order::Entity, order::Column::Id)).is_in(ids.iter().map(|id| id.get()));
        self.0.pages.orders(&self.0.db, orders).await;
        for entry in self.watched().values() {
            let covers = entry
                .latest
                .borrow()
                .as_ref()
                .is_some_and(|s| s.orders.iter().any(|o| ids.contains(o)));
            if covers {
                entry.poke.notify_one();
            }
        }
    }

    /// How many things are watched now.
    pub fn watched_count(&self) -> usize {
        self.watched().len()
    }
}

/// Reads `what` now, when poked and every `recheck`, and tells its watchers when it differs;
/// ends once nobody watches it.
async fn keep(hub: Hub, what: Watched, entry: Arc<Entry>) {
    loop {
        match snapshot(&hub.0.db, what).await {
            Ok(Some(now)) => {
                entry.latest.send_if_modified(|latest| {
                    let differs = latest.as_deref() != Some(&now);
                    if differs {
                        *latest = Some(Arc::new(now));
                    }
                    differs
                });
            }
            // Gone (it is never deleted today): nothing to tell; the watchers time out.
            Ok(None) => {}
            // Tried again at the next poke or recheck; the watchers keep the last state.
            Err(err) => tracing::warn!(error = %err, ?what, "reading a watched change failed"),
        }
        tokio::select! {
            () = entry.latest.closed() => {
                let mut watched = hub.watched();
                // Under the map's lock, so a watcher arriving now either finds this entry
                // still here and watching, or a new one.
                if entry.latest.receiver_count() == 0 {
                    watched.remove(&what);
                    return;
                }
            }
            () = entry.poke.notified() => {}
            () = tokio::time::sleep(hub.0.recheck) => {}
        }
    }
}

/// What `what` is now, or `None` if it does not exist.
async fn snapshot(
    db: &DatabaseConnection,
    what: Watched,
) -> app::ports::StoreResult<Option<Snapshot>> {
    match what {
        Watched::Checkout(id) => checkout::snapshot(db, id).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Waits, boundedly, until `done` holds.
    async fn eventually(done: impl Fn() -> bool) {
        for _ in 0..200 {
            if done() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("still not done");
    }

    #[tokio::test]
    async fn a_watched_thing_is_forgotten_with_its_last_watcher_and_watched_again_afresh() {
        let db = sea_orm::Database::connect("sqlite::memory:").await.unwrap();
        let hub = Hub::new(
            db,
            Duration::from_secs(3600),
            crate::page_cache::Changes::default(),
        );
        let what = Watched::Checkout(CheckoutId::new(1));
        let first = hub.watch(what);
        let second = hub.watch(what);
        assert_eq!(
            hub.watched_count(),
            1,
            "one entry for every watcher of a thing"
        );
        drop(first);
        hub.changed(what).await;
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(hub.watched_count(), 1, "still watched by the second");
        drop(second);
        eventually(|| hub.watched_count() == 0).await;
        // Watched again: a new entry, with its own task.
        let again = hub.watch(what);
        assert_eq!(hub.watched_count(), 1);
        drop(again);
        eventually(|| hub.watched_count() == 0).await;
    }
}
