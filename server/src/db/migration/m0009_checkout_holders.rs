//! A checkout keeps who placed it: the visitor session (or account) and the network address it
//! came from, so the unpaid checkouts one shopper holds at once can be counted and limited. An
//! index on the phone number serves the same count.
//!
//! `down` drops the index and the two columns.
use super::{add_column, drop_column};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_checkout_holders"
    }
}

#[derive(DeriveIden)]
enum Checkouts {
    Table,
    Phone,
    Holder,
    ClientAddr,
}

const INDEXES: [(&str, Checkouts); 3] = [
    ("checkouts_phone", Checkouts::Phone),
    ("checkouts_holder", Checkouts::Holder),
    ("checkouts_client_addr", Checkouts::ClientAddr),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // `user:12` or `visitor:<session key>`.
        add_column(m, Checkouts::Table, string_len_null(Checkouts::Holder, 80)).await?;
        add_column(
            m,
            Checkouts::Table,
            string_len_null(Checkouts::ClientAddr, 64),
        )
        .await?;
        for (name, column) in INDEXES {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(Checkouts::Table)
                    .col(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            m.drop_index(Index::drop().name(name).table(Checkouts::Table).to_owned())
                .await?;
        }
        drop_column(m, Checkouts::Table, Checkouts::ClientAddr).await?;
        drop_column(m, Checkouts::Table, Checkouts::Holder).await
    }
}
