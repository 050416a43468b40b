//! The storefront's shelves read a few products of each stall through an index instead of
//! ranking every product of the catalogue.
//!
//! - `products.has_photo`: whether the product has a photo, written in the same transaction
//!   as the photo rows that change it, and filled here from the existing photos. A shelf
//!   shows products with a photo first: as a column it can lead an index.
//! - `products_shelf` on `(stall_id, has_photo, id)`: a stall's products in a shelf's order
//!   (with a photo, then the newest first), read backwards a few at a time.
//! - `products_ocop_shelf`, the same for OCOP products only, so the OCOP shelf skips the
//!   products of a stall that aren't certified.
//!
//! `down` drops the indexes and the column.
use super::{add_column, drop_column, run};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0019_shelf_candidates"
    }
}

#[derive(DeriveIden)]
enum Products {
    Table,
    HasPhoto,
}

/// The same on SQLite and PostgreSQL: both take `TRUE` and partial indexes.
const UP: &[&str] = &[
    "UPDATE products SET has_photo = TRUE WHERE EXISTS \
     (SELECT 1 FROM product_photos WHERE product_photos.product_id = products.id)",
    "CREATE INDEX products_shelf ON products (stall_id, has_photo, id)",
    "CREATE INDEX products_ocop_shelf ON products (stall_id, has_photo, id) \
     WHERE ocop_stars IS NOT NULL",
];

const DOWN: &[&str] = &[
    "DROP INDEX products_ocop_shelf",
    "DROP INDEX products_shelf",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let column = boolean(Products::HasPhoto).default(false).to_owned();
        add_column(m, Products::Table, column).await?;
        run(m, UP).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        run(m, DOWN).await?;
        drop_column(m, Products::Table, Products::HasPhoto).await
    }
}
