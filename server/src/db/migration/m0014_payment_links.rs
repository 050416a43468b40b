//! payOS's payment link of each VietQR order of a stall linked to payOS: its id, its payment
//! page and QR code, the account and purpose it pays into, kept once per order; and when it
//! was closed at payOS (cancelled, or no longer to be asked about), so the sweep cancels the
//! link of an order that ended unpaid exactly once.
//!
//! `down` drops the table.
use super::{drop_tables, fk};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0014_payment_links"
    }
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PaymentLinks {
    Table,
    OrderId,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PaymentLinks::Table)
                .col(big_integer(PaymentLinks::OrderId).primary_key())
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
                .to_owned(),
        )
        .await?;
        // The sweep reads the links still open.
        m.create_index(
            Index::create()
                .name("payment_links_closed_at")
                .table(PaymentLinks::Table)
                .col(PaymentLinks::ClosedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, [PaymentLinks::Table.into_iden()]).await
    }
}
