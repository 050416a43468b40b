//! Sales at the stall itself (*Thu tiền* and *Tiền mặt*): each with its per-stall number (its
//! code `TQ0042` leads the transfer's purpose), how it was paid, and where it is; the form
//! that recorded it is kept so a second tap records it once. A reported transfer may now name
//! a counter sale instead of an order.
//!
//! `down` drops the column and the table.
use super::{add_column, drop_column, drop_tables, fk};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0015_counter_sales"
    }
}

#[derive(DeriveIden)]
enum Stalls {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CounterSales {
    Table,
    Id,
    StallId,
    Seq,
    Way,
    Status,
    Amount,
    Submission,
    CreatedAt,
    PaidAt,
}

#[derive(DeriveIden)]
enum BankCredits {
    Table,
    CounterSaleId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        sales(m).await?;
        // No foreign key: SQLite can't add one to a table that exists. The store writes it
        // only with a sale of the same stall, in the same transaction.
        add_column(
            m,
            BankCredits::Table,
            big_integer_null(BankCredits::CounterSaleId),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_column(m, BankCredits::Table, BankCredits::CounterSaleId).await?;
        drop_tables(m, [CounterSales::Table.into_iden()]).await
    }
}

async fn sales(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(CounterSales::Table)
            .col(big_pk_auto(CounterSales::Id))
            .col(big_integer(CounterSales::StallId))
            .col(big_integer(CounterSales::Seq))
            .col(string_len(CounterSales::Way, 16))
            .col(string_len(CounterSales::Status, 30))
            .col(big_integer(CounterSales::Amount))
            // None for a sale the placard's code brought in.
            .col(string_len_null(CounterSales::Submission, 32))
            .col(timestamp_with_time_zone(CounterSales::CreatedAt))
            .col(timestamp_with_time_zone_null(CounterSales::PaidAt))
            .foreign_key(&mut fk(
                CounterSales::Table,
                CounterSales::StallId,
                Stalls::Table,
                Stalls::Id,
            ))
            .to_owned(),
    )
    .await?;
    // Two sales recorded at once can't take the same number: the second insert retries.
    m.create_index(
        Index::create()
            .name("counter_sales_stall_seq")
            .table(CounterSales::Table)
            .col(CounterSales::StallId)
            .col(CounterSales::Seq)
            .unique()
            .to_owned(),
    )
    .await?;
    m.create_index(
        Index::create()
            .name("counter_sales_stall_submission")
            .table(CounterSales::Table)
            .col(CounterSales::StallId)
            .col(CounterSales::Submission)
            .unique()
            .to_owned(),
    )
    .await
}
