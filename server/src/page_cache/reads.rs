//! Catalog reads kept in memory for every visitor, signed in or not: what the storefront's
//! shelves and its lists read is the same for everyone, and at the province's size one such
//! read costs more than the rest of a page (the home page's shelves rank a few products of
//! each of hundreds of stalls). A signed-in page is rendered for its visitor, but reads these
//! from here.
//!
//! They are dropped exactly as kept pages are (see [`super::changes`]): each read carries the
//! catalog's [`Stamp`] taken before it ran, and is used only while that stamp is current, so a
//! vendor's change shows on the next page. A write by another process is not told; a read is
//! used at most [`super::KEPT_AT_MOST`] after it ran, as a page is.
use super::changes::{Changes, Stamp, Tag};
use std::hash::Hash;
use std::sync::Arc;

/// Reads of one kind, by what they asked.
pub struct KeptReads<K, V> {
    changes: Changes,
    kept: moka::sync::Cache<K, Arc<(Stamp, V)>>,
}

/// How much a read weighs against its cache's capacity: products, roughly, since they are what
/// a catalog read holds.
pub trait Weight {
    fn weight(&self) -> u32;
}

impl<K, V> KeptReads<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Weight + Send + Sync + 'static,
{
    /// At most `capacity` in [`Weight`] at once; moka's TinyLFU admission keeps the reads
    /// asked for often when strangers ask for many one-off ones.
    pub fn new(changes: Changes, capacity: u64) -> KeptReads<K, V> {
        let kept = moka::sync::Cache::builder()
            .max_capacity(capacity)
            .weigher(|_: &K, read: &Arc<(Stamp, V)>| read.1.weight().saturating_add(1))
            .time_to_live(super::KEPT_AT_MOST)
            .build();
        KeptReads { changes, kept }
    }

    /// What `read` gives for `key`: kept, while nothing it shows has changed since, or read
    /// now and kept. A process that keeps no pages is told of no change, so it keeps nothing.
    pub async fn get<E>(&self, key: K, read: impl AsyncFnOnce() -> Result<V, E>) -> Result<V, E> {
        // Taken before reading: a change committing meanwhile leaves the read already stale.
        let Some(stamp) = self.changes.stamp(Tag::Catalog) else {
            return read().await;
        };
        if let Some(kept) = self.kept.get(&key)
            && kept.0 == stamp
        {
            return Ok(kept.1.clone());
        }
        let value = read().await?;
        self.kept.insert(key, Arc::new((stamp, value.clone())));
        Ok(value)
    }
}

impl<T, U> Weight for (Vec<T>, U) {
    fn weight(&self) -> u32 {
        self.0.weight()
    }
}

impl<T> Weight for Vec<T> {
    fn weight(&self) -> u32 {
        u32::try_from(self.len()).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page_cache::changes::Generations;
    use app::domain::id::StallId;
    use std::sync::atomic::{AtomicU32, Ordering};

    async fn counted(reads: &KeptReads<u8, Vec<u32>>, key: u8, count: &AtomicU32) -> Vec<u32> {
        let read = async || Ok::<_, ()>(vec![count.fetch_add(1, Ordering::SeqCst)]);
        reads.get(key, read).await.unwrap()
    }

    #[tokio::test]
    async fn a_read_is_kept_until_the_catalog_changes() {
        let changes = Changes::new(Arc::new(Generations::default()));
        let reads = KeptReads::new(changes.clone(), 100);
        let count = AtomicU32::new(0);
        assert_eq!(counted(&reads, 1, &count).await, [0]);
        assert_eq!(counted(&reads, 1, &count).await, [0], "kept");
        assert_eq!(counted(&reads, 2, &count).await, [1], "another key is read");
        changes.stall(StallId::new(7));
        assert_eq!(
            counted(&reads, 1, &count).await,
            [2],
            "read again after a change"
        );
        changes.everything();
        assert_eq!(counted(&reads, 1, &count).await, [3]);
    }

    #[tokio::test]
    async fn a_process_told_of_no_change_reads_every_time() {
        let reads = KeptReads::new(Changes::default(), 100);
        let count = AtomicU32::new(0);
        assert_eq!(counted(&reads, 1, &count).await, [0]);
        assert_eq!(counted(&reads, 1, &count).await, [1]);
    }

    #[tokio::test]
    async fn a_failed_read_is_not_kept() {
        let changes = Changes::new(Arc::new(Generations::default()));
        let reads: KeptReads<u8, Vec<u32>> = KeptReads::new(changes, 100);
        let down = async || Err::<Vec<u32>, _>("down");
        assert_eq!(reads.get(1, down).await, Err("down"));
        let up = async || Ok::<_, &str>(vec![5]);
        assert_eq!(reads.get(1, up).await, Ok(vec![5]));
    }
}
