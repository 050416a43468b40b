//! The schema, as migrations applied in the order [`Migrator`] lists them, one per file.
//!
//! A migration names its tables and columns with identifiers of its own (`DeriveIden` enums
//! declared in its file), never with the entities of [`super::entities`] nor with another
//! migration's enums. A migration states what the database was when it was written, and must
//! keep creating exactly that on a database set up today: when an entity's column is renamed
//! or dropped, or a later migration changes a table, no older migration may change with it.
//! Two migrations sharing an enum would tie them that way, so each declares even the tables
//! an earlier one created (only the identifiers it uses).
//!
//! Adding a migration:
//! 1. a file `mNNNN_what_it_does.rs` holding `pub struct Migration`, whose `name()` spells out
//!    the file's name: that name is recorded in each database's `seaql_migrations` table, so
//!    it never changes once deployed (the derive would change it with the file's name);
//! 2. its identifier enums, in that file;
//! 3. `up`, as small functions by table or group, and `down`, undoing `up` in reverse order,
//!    or, where `up` loses what it changes, a doc comment saying what `down` does instead;
//! 4. its line at the end of [`Migrator::migrations`], never between older ones;
//! 5. a check in the migrations test of the data it moves, if it moves any.
//!
//! The helpers below are used by migrations already deployed: they never change, or those
//! migrations would; a migration that needs another shape writes it out.
use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_orders;
mod m0003_registry;
mod m0004_card_attempts;
mod m0005_one_pitch_one_stall;
mod m0006_pickup_dates;
mod m0007_stock_moves;
mod m0008_refund_claims;
mod m0009_checkout_holders;
mod m0010_payment_watch;
mod m0011_english_search;
mod m0012_product_submissions;
mod m0013_bank_notices;
mod m0014_payment_links;
mod m0015_counter_sales;
mod m0016_sale_payment_links;
mod m0017_search_index;
mod m0018_child_row_indexes;
mod m0019_shelf_candidates;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_orders::Migration),
            Box::new(m0003_registry::Migration),
            Box::new(m0004_card_attempts::Migration),
            Box::new(m0005_one_pitch_one_stall::Migration),
            Box::new(m0006_pickup_dates::Migration),
            Box::new(m0007_stock_moves::Migration),
            Box::new(m0008_refund_claims::Migration),
            Box::new(m0009_checkout_holders::Migration),
            Box::new(m0010_payment_watch::Migration),
            Box::new(m0011_english_search::Migration),
            Box::new(m0012_product_submissions::Migration),
            Box::new(m0013_bank_notices::Migration),
            Box::new(m0014_payment_links::Migration),
            Box::new(m0015_counter_sales::Migration),
            Box::new(m0016_sale_payment_links::Migration),
            Box::new(m0017_search_index::Migration),
            Box::new(m0018_child_row_indexes::Migration),
            Box::new(m0019_shelf_candidates::Migration),
        ]
    }
}

/// A foreign key from `from_table.from_col` to `to_table.to_col` whose rows go with the row
/// they point at.
fn fk(
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// Drops `tables` in the order given: the reverse of their creation, so that a table goes
/// only after those whose foreign keys point at it.
async fn drop_tables(
    m: &SchemaManager<'_>,
    tables: impl IntoIterator<Item = DynIden>,
) -> Result<(), DbErr> {
    for table in tables {
        m.drop_table(Table::drop().table(table).to_owned()).await?;
    }
    Ok(())
}

/// Adds `column` to `table`: one column per statement, as SQLite alters a table one change at
/// a time.
async fn add_column(
    m: &SchemaManager<'_>,
    table: impl IntoIden,
    column: ColumnDef,
) -> Result<(), DbErr> {
    m.alter_table(Table::alter().table(table).add_column(column).to_owned())
        .await
}

/// Runs `statements`, raw SQL, one at a time in the order given: for what the query builder
/// can't write (FTS5 tables, triggers, generated columns, partial indexes). Shared here since
/// several migrations write their schema that way, each as a list of statements.
async fn run(m: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    for sql in statements {
        m.get_connection().execute_unprepared(sql).await?;
    }
    Ok(())
}

/// Drops `column` of `table`, one column per statement like [`add_column`].
async fn drop_column(
    m: &SchemaManager<'_>,
    table: impl IntoIden,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    m.alter_table(Table::alter().table(table).drop_column(column).to_owned())
        .await
}
