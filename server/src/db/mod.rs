//! Persistence: connecting, migrating, and the sea-orm implementations of the app's ports.
pub mod accounts;
pub mod alerts;
pub mod bank;
mod bank_match;
pub mod carts;
pub mod catalog;
mod catalog_reads;
pub mod counter_sales;
pub mod entities;
pub mod ledger;
pub mod migration;
pub mod orders;
mod payment_links;
pub mod registry;
mod report_facts;
mod search;
pub mod sessions;
mod shelves;
pub mod stages;
pub mod stalls;
pub mod statements;
pub mod stock;

use anyhow::Context;
use app::ports::{Clock, Ports, StoreError, StoreResult};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, QueryFilter, RuntimeErr, Select, SqlErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use std::sync::Arc;

/// Opens the database named by `url` (`sqlite://…` or `postgres://…`). A SQLite file's folder
/// is created, and the database runs in WAL mode so readers never wait for the writer.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(file)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
    }
    let mut options = ConnectOptions::new(url.to_string());
    options.sqlx_logging(false);
    if url.starts_with("sqlite:") {
        // One writer at a time is SQLite's rule; a small pool keeps writers from timing out.
        options.max_connections(4);
        options.map_sqlx_sqlite_opts(sqlite_settings);
    }
    Database::connect(options)
        .await
        .context("connecting to the database")
}

/// How many statements a connection (and every clone of it made afterwards) has run: an
/// atomic add per statement, kept on in production too so the figure is the real one. The
/// tests read it to hold each page to a budget of queries, so a query per listed row fails.
#[derive(Clone, Default)]
pub struct QueryCount(Arc<std::sync::atomic::AtomicU64>);

impl QueryCount {
    pub fn get(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Counts the statements `db` runs from now on; call it before cloning `db` anywhere.
pub fn count_queries(db: &mut DatabaseConnection) -> QueryCount {
    let count = QueryCount::default();
    let counter = count.0.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    });
    count
}

/// What every pooled SQLite connection is opened with, so that each behaves alike and keeps
/// these when the pool replaces it:
/// - WAL, so readers never wait for the writer;
/// - foreign keys enforced, as PostgreSQL does;
/// - a writer waits up to five seconds for another to finish rather than failing at once;
/// - `synchronous=FULL`: a transaction is on disk before its commit returns, so an order or a
///   payment the server acknowledged survives a power cut, not only a crash of the process;
/// - SQLite's memory held to [`SQLITE_HEAP_LIMIT`] in all (see there).
fn sqlite_settings(options: SqliteConnectOptions) -> SqliteConnectOptions {
    options
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(std::time::Duration::from_secs(5))
        .synchronous(SqliteSynchronous::Full)
        .pragma("soft_heap_limit", SQLITE_HEAP_LIMIT.to_string())
}

/// The memory SQLite may take in the whole process, across every pooled connection, before it
/// reuses its cached pages rather than allocating more, and writes large sorts to temporary
/// files. Without it each connection keeps its own 2 MiB page cache and every sort, window and
/// temporary table of a query its own buffers: with four connections reading a 50,000-product
/// catalogue at once, a profile under load found about 40 MB in SQLite alone (24 MB of cached
/// pages, 16 MB of sort buffers). 16 MiB still holds the four default page caches (8 MiB: the
/// hot pages of every page type) with room for the sorts of the largest pages; pages it drops
/// come back from the operating system's file cache, not the disk.
pub const SQLITE_HEAP_LIMIT: i64 = 16 * 1024 * 1024;

/// Begins a transaction that writes. On SQLite it takes the write lock at `BEGIN`
/// (`IMMEDIATE`): a deferred one that read first and then writes fails at once when another
/// writer committed meanwhile, where this one waits its turn (`busy_timeout`). PostgreSQL
/// locks row by row and ignores the mode.
pub(crate) async fn write_txn(db: &DatabaseConnection) -> StoreResult<DatabaseTransaction> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
    .map_err(backend)
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    migration::Migrator::up(db, None)
        .await
        .context("migrating the database")
}

/// The stores that need nothing but the database: what the command line and the seed use.
pub struct Stores {
    pub accounts: accounts::AccountStore,
    pub stalls: stalls::StallStore,
    pub catalog: catalog::CatalogStore,
    pub registry: registry::RegistryStore,
}

pub fn stores(db: &DatabaseConnection, clock: &Clock) -> Stores {
    Stores {
        accounts: accounts::AccountStore(db.clone(), clock.clone()),
        // No pages are kept by this process; a serving one renders its pages again within
        // `page_cache::KEPT_AT_MOST`.
        stalls: stalls::StallStore(db.clone(), clock.clone(), Default::default()),
        catalog: catalog::CatalogStore::new(db.clone(), clock.clone(), Default::default()),
        registry: registry::RegistryStore(db.clone(), clock.clone()),
    }
}

pub fn ports(
    db: &DatabaseConnection,
    cards: Arc<dyn app::ports::CardPayments>,
    clock: &Clock,
    sealer: Arc<dyn app::ports::Sealer>,
    bank_services: Arc<dyn app::ports::BankServices>,
    hub: &crate::live::Hub,
) -> Ports {
    Ports {
        accounts: Arc::new(accounts::AccountStore(db.clone(), clock.clone())),
        stalls: Arc::new(stalls::StallStore(
            db.clone(),
            clock.clone(),
            hub.pages().clone(),
        )),
        catalog: Arc::new(catalog::CatalogStore::new(
            db.clone(),
            clock.clone(),
            hub.pages().clone(),
        )),
        carts: Arc::new(carts::CartStore(db.clone(), clock.clone())),
        orders: Arc::new(orders::OrderStore(db.clone(), clock.clone(), hub.clone())),
        cards,
        statements: Arc::new(statements::StatementStore(
            db.clone(),
            clock.clone(),
            hub.clone(),
        )),
        bank: Arc::new(bank::BankStore(db.clone(), clock.clone(), hub.clone())),
        sealer,
        bank_services,
        counter_sales: Arc::new(counter_sales::CounterSaleStore(db.clone(), clock.clone())),
        ledger: Arc::new(ledger::LedgerStore(db.clone(), clock.clone())),
        alerts: Arc::new(alerts::AlertStore(db.clone())),
        registry: Arc::new(registry::RegistryStore(db.clone(), clock.clone())),
        api_tokens: Arc::new(registry::TokenStore(db.clone(), clock.clone())),
        clock: clock.clone(),
    }
}

/// Maps a database error to the port's error, naming the field for a unique-key clash.
pub(crate) fn store_error(err: DbErr, unique_field: &'static str) -> StoreError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Taken(unique_field),
        _ => backend(err),
    }
}

/// A failure of the database, or of reading what it holds, as the port's error: kept whole as
/// its source, so an incident's log shows every cause down to the driver's.
/// How many times a transaction the database aborted for a conflict is run in all.
const TRANSACTION_RUNS: u32 = 3;

/// Runs the transaction `run` again, a bounded number of times, when the database aborted it
/// for a conflict that running it again resolves: PostgreSQL breaking a deadlock or a
/// serialization failure, SQLite still busy after its timeout. Any other outcome is returned
/// as it is.
pub(crate) async fn retrying<T, F, Fut>(mut run: F) -> StoreResult<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = StoreResult<T>>,
{
    let mut runs = 1;
    loop {
        match run().await {
            Err(err) if runs < TRANSACTION_RUNS && is_transient(&err) => {
                tracing::warn!(error = %err, runs, "a transaction met a conflict; running it again");
                runs += 1;
                // A short, growing pause lets the other transaction finish first.
                tokio::time::sleep(std::time::Duration::from_millis(20 * u64::from(runs))).await;
            }
            other => return other,
        }
    }
}

/// Whether the database aborted a transaction for a conflict with another one.
fn is_transient(err: &StoreError) -> bool {
    let StoreError::Backend(cause) = err else {
        return false;
    };
    let Some(DbErr::Exec(RuntimeErr::SqlxError(sqlx)) | DbErr::Query(RuntimeErr::SqlxError(sqlx))) =
        cause.downcast_ref::<DbErr>()
    else {
        return false;
    };
    let code = sqlx
        .as_database_error()
        .and_then(|e| e.code())
        .unwrap_or_default();
    // PostgreSQL: deadlock_detected, serialization_failure. SQLite: SQLITE_BUSY and its
    // extended codes (recovery, snapshot).
    matches!(code.as_ref(), "40P01" | "40001" | "5" | "261" | "517")
}

pub(crate) fn backend(err: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(Box::new(err))
}

/// Reads a stored slug back into its domain enum; a bad value means the database was edited
/// by hand, which is a backend failure, not a visitor's mistake.
pub(crate) fn stored<T: std::str::FromStr>(column: &str, value: &str) -> Result<T, StoreError> {
    value.parse().map_err(|_| {
        backend(UnexpectedValue {
            column: column.to_owned(),
            value: value.to_owned(),
        })
    })
}

/// A value stored in a column that cannot hold it.
#[derive(Debug, thiserror::Error)]
#[error("unexpected value {value:?} in column {column}")]
struct UnexpectedValue {
    column: String,
    value: String,
}

/// How many values one `IN (…)` list carries: well under every engine's limit on parameters
/// (SQLite's is 32,766, PostgreSQL's 65,535), so a list of any length is read in a few queries.
const IN_LIST_LIMIT: usize = 500;

/// Every row of `E` whose `column` is one of `values`, further narrowed by `narrow`; read a
/// bounded number of values per query, so the caller never thinks about parameter limits.
pub(crate) async fn find_in<E, V>(
    db: &impl ConnectionTrait,
    column: E::Column,
    values: &[V],
    narrow: impl Fn(Select<E>) -> Select<E>,
) -> StoreResult<Vec<E::Model>>
where
    E: EntityTrait,
    V: Into<sea_orm::Value> + Clone,
{
    let mut rows = Vec::new();
    for chunk in values.chunks(IN_LIST_LIMIT) {
        let query = E::find().filter(column.is_in(chunk.iter().cloned()));
        rows.extend(narrow(query).all(db).await.map_err(backend)?);
    }
    Ok(rows)
}

/// A SQLite database of its own in a scratch directory, opened as the server opens one; the
/// directory goes with the returned guard.
#[cfg(test)]
pub(crate) async fn scratch_sqlite() -> (tempfile::TempDir, DatabaseConnection) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/choso.db?mode=rwc", dir.path().display());
    let db = connect(&url).await.unwrap();
    (dir, db)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{DbBackend, Statement};

    /// Without the limit, SQLite's caches and sort buffers grow with every pooled connection
    /// and every large query under load.
    #[tokio::test]
    async fn a_sqlite_database_is_opened_with_its_memory_limited() {
        let (_dir, db) = scratch_sqlite().await;
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA soft_heap_limit",
            ))
            .await
            .unwrap()
            .unwrap();
        let limit: i64 = row.try_get_by_index(0).unwrap();
        assert_eq!(limit, SQLITE_HEAP_LIMIT);
    }
}
