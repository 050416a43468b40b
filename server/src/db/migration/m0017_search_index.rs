//! Search reads an index instead of scanning every product, and ranks in the database.
//!
//! - `products.name_words` and `products.name_accents`: the name folded, and its accent key,
//!   each padded with a space at both ends ([`app::domain::search::name_words`],
//!   [`app::domain::search::name_accents`]), so the ranking is computed by the query itself
//!   and a page's limit can't cut the best matches. Filled here for every existing product.
//! - SQLite: the FTS5 table `product_search` over `products.search_text`, its words split on
//!   spaces as they were folded (`unicode61`, nothing removed since the text is folded
//!   already), kept in step by triggers on insert, update of the document and delete, and
//!   rebuilt here from the existing rows.
//! - PostgreSQL: `products.search_vector`, the document's words as a `tsvector`, a column the
//!   database generates from `search_text` on every write, with a GIN index.
//!
//! `down` drops the index, the triggers and the columns.
use super::{add_column, drop_column, run};
use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0017_search_index"
    }
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Name,
    NameWords,
    NameAccents,
}

/// The FTS5 index and the triggers that keep it in step with `products`. An external-content
/// table: it stores only the index, reading nothing back since search asks it for row ids.
const SQLITE_UP: &[&str] = &[
    "CREATE VIRTUAL TABLE product_search USING fts5(search_text, content='products', \
     content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER product_search_insert AFTER INSERT ON products BEGIN \
     INSERT INTO product_search (rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER product_search_delete AFTER DELETE ON products BEGIN \
     INSERT INTO product_search (product_search, rowid, search_text) \
     VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER product_search_update AFTER UPDATE OF search_text ON products BEGIN \
     INSERT INTO product_search (product_search, rowid, search_text) \
     VALUES ('delete', old.id, old.search_text); \
     INSERT INTO product_search (rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO product_search (product_search) VALUES ('rebuild')",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER product_search_update",
    "DROP TRIGGER product_search_delete",
    "DROP TRIGGER product_search_insert",
    "DROP TABLE product_search",
];

/// The document's words as they are, split on its spaces: no parser or dictionary of
/// PostgreSQL's decides what a word is, so the words are those SQLite's index holds.
const POSTGRES_UP: &[&str] = &[
    "ALTER TABLE products ADD COLUMN search_vector tsvector GENERATED ALWAYS AS \
     (array_to_tsvector(array_remove(string_to_array(search_text, ' '), ''))) STORED",
    "CREATE INDEX products_search_vector ON products USING gin (search_vector)",
];

const POSTGRES_DOWN: &[&str] = &[
    "DROP INDEX products_search_vector",
    "ALTER TABLE products DROP COLUMN search_vector",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Products::NameWords, Products::NameAccents] {
            add_column(m, Products::Table, text(column).default("").to_owned()).await?;
        }
        fill_names(m).await?;
        match m.get_database_backend() {
            DbBackend::Postgres => run(m, POSTGRES_UP).await,
            _ => run(m, SQLITE_UP).await,
        }
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        match m.get_database_backend() {
            DbBackend::Postgres => run(m, POSTGRES_DOWN).await?,
            _ => run(m, SQLITE_DOWN).await?,
        }
        for column in [Products::NameAccents, Products::NameWords] {
            drop_column(m, Products::Table, column).await?;
        }
        Ok(())
    }
}

/// Writes the ranking's forms of every product's name.
async fn fill_names(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let select = Query::select()
        .columns([Products::Id, Products::Name])
        .from(Products::Table)
        .to_owned();
    for row in db.query_all(&select).await? {
        let id: i64 = row.try_get("", "id")?;
        let name: String = row.try_get("", "name")?;
        let update = Query::update()
            .table(Products::Table)
            .value(Products::NameWords, app::domain::search::name_words(&name))
            .value(
                Products::NameAccents,
                app::domain::search::name_accents(&name),
            )
            .and_where(Expr::col(Products::Id).eq(id))
            .to_owned();
        db.execute(&update).await?;
    }
    Ok(())
}
