//! Indexes on the columns that lead from a record to its rows: a product's photos, an order's
//! lines and its history. Every product card reads its photos, and the storefront's shelves ask
//! of every candidate product whether it has one; every order read loads its lines and events.
//! Without these, each of those reads scanned the whole child table, a cost growing with the
//! catalogue and with every order ever placed (a home page render at 50,000 products spent
//! about half its time there).
//!
//! `down` drops them.
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0018_child_row_indexes"
    }
}

#[derive(DeriveIden)]
enum ProductPhotos {
    Table,
    ProductId,
    Position,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    OrderId,
}

#[derive(DeriveIden)]
enum OrderEvents {
    Table,
    OrderId,
}

const PHOTOS: &str = "product_photos_product_position";
const LINES: &str = "order_lines_order";
const EVENTS: &str = "order_events_order";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let indexes = [
            Index::create()
                .name(PHOTOS)
                .table(ProductPhotos::Table)
                .col(ProductPhotos::ProductId)
                .col(ProductPhotos::Position)
                .to_owned(),
            Index::create()
                .name(LINES)
                .table(OrderLines::Table)
                .col(OrderLines::OrderId)
                .to_owned(),
            Index::create()
                .name(EVENTS)
                .table(OrderEvents::Table)
                .col(OrderEvents::OrderId)
                .to_owned(),
        ];
        for index in indexes {
            m.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            (PHOTOS, ProductPhotos::Table.into_iden()),
            (LINES, OrderLines::Table.into_iden()),
            (EVENTS, OrderEvents::Table.into_iden()),
        ];
        for (name, table) in tables {
            m.drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
