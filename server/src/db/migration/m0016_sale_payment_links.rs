//! payOS's payment links, now of counter sales too: a stall linked to payOS shows payOS's QR at
//! the counter, and payOS's notification of it names the sale. A link belongs to one order or
//! to one counter sale, each unique, so `payment_links` gets an id of its own and both keys
//! nullable; SQLite can't change a primary key in place, so the table is rebuilt with its
//! rows. Counter sales remember when payOS was last asked for their link, so a service out of
//! reach is not asked at every look at the sale's screen.
//!
//! `down` drops that column and rebuilds the table as m0014 made it, keeping the orders' links
//! and losing the counter sales' (payOS keeps them; nothing would read them any more).
use super::{add_column, drop_column, fk};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0016_sale_payment_links"
    }
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CounterSales {
    Table,
    Id,
    LinkTriedAt,
}

#[derive(DeriveIden)]
enum PaymentLinks {
    Table,
    Id,
    OrderId,
    CounterSaleId,
    LinkId,
    CheckoutUrl,
    QrCode,
    Bin,
    AccountNumber,
    AccountName,
    Description,
    Amount,
    CreatedAt,
    ClosedAt,
}

/// The table the rows wait in while `payment_links` is made again.
const KEPT: &str = "payment_links_m0016";

/// The columns m0014 made, which both shapes of the table have.
const COMMON: &str = "order_id, link_id, checkout_url, qr_code, bin, account_number, \
                      account_name, description, amount, created_at, closed_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// In one transaction on SQLite too: the table is rebuilt over several statements, which
    /// must all see each other (and all happen, or none), not run on whichever pooled
    /// connection is free.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        set_aside(m, "").await?;
        m.create_table(links_of_orders_and_sales()).await?;
        for (name, column) in [
            ("payment_links_order_id", PaymentLinks::OrderId),
            ("payment_links_counter_sale_id", PaymentLinks::CounterSaleId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(PaymentLinks::Table)
                    .col(column)
                    .unique()
                    .to_owned(),
            )
            .await?;
        }
        closed_at_index(m).await?;
        bring_back(m).await?;
        add_column(
            m,
            CounterSales::Table,
            timestamp_with_time_zone_null(CounterSales::LinkTriedAt),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_column(m, CounterSales::Table, CounterSales::LinkTriedAt).await?;
        set_aside(m, " WHERE order_id IS NOT NULL").await?;
        m.create_table(links_of_orders()).await?;
        closed_at_index(m).await?;
        bring_back(m).await
    }
}

/// Moves the rows `filter` keeps to [`KEPT`] and drops the table (its indexes go with it).
async fn set_aside(m: &SchemaManager<'_>, filter: &str) -> Result<(), DbErr> {
    let db = m.get_connection();
    db.execute_unprepared(&format!(
        "CREATE TABLE {KEPT} AS SELECT {COMMON} FROM payment_links{filter}"
    ))
    .await?;
    m.drop_table(Table::drop().table(PaymentLinks::Table).to_owned())
        .await
}

/// Puts the rows set aside back into the new table.
async fn bring_back(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    db.execute_unprepared(&format!(
        "INSERT INTO payment_links ({COMMON}) SELECT {COMMON} FROM {KEPT}"
    ))
    .await?;
    db.execute_unprepared(&format!("DROP TABLE {KEPT}")).await?;
    Ok(())
}

/// The sweep reads the links still open.
async fn closed_at_index(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_index(
        Index::create()
            .name("payment_links_closed_at")
            .table(PaymentLinks::Table)
            .col(PaymentLinks::ClosedAt)
            .to_owned(),
    )
    .await
}

/// The link columns after the key, as m0014 made them.
fn link_columns(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    table
        .col(string_len(PaymentLinks::LinkId, 64))
        // Unknown when the link was found already made: payOS tells them once.
        .col(text_null(PaymentLinks::CheckoutUrl))
        .col(text_null(PaymentLinks::QrCode))
        .col(string_len_null(PaymentLinks::Bin, 8))
        .col(string_len_null(PaymentLinks::AccountNumber, 32))
        .col(string_len_null(PaymentLinks::AccountName, 128))
        .col(string_len(PaymentLinks::Description, 32))
        .col(big_integer(PaymentLinks::Amount))
        .col(timestamp_with_time_zone(PaymentLinks::CreatedAt))
        .col(timestamp_with_time_zone_null(PaymentLinks::ClosedAt))
        .foreign_key(&mut fk(
            PaymentLinks::Table,
            PaymentLinks::OrderId,
            Orders::Table,
            Orders::Id,
        ))
}

/// Each link of one order or one counter sale (the other key null).
fn links_of_orders_and_sales() -> TableCreateStatement {
    let mut table = Table::create();
    table
        .table(PaymentLinks::Table)
        .col(big_pk_auto(PaymentLinks::Id))
        .col(big_integer_null(PaymentLinks::OrderId))
        .col(big_integer_null(PaymentLinks::CounterSaleId));
    link_columns(&mut table)
        .foreign_key(&mut fk(
            PaymentLinks::Table,
            PaymentLinks::CounterSaleId,
            CounterSales::Table,
            CounterSales::Id,
        ))
        .to_owned()
}

/// m0014's table: one link per order, keyed by it.
fn links_of_orders() -> TableCreateStatement {
    let mut table = Table::create();
    table
        .table(PaymentLinks::Table)
        .col(big_integer(PaymentLinks::OrderId).primary_key());
    link_columns(&mut table).to_owned()
}
