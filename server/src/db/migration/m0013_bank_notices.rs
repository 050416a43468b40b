//! Transfers the bank reports: a stall may link a bank-notification service (payOS or SePay)
//! whose keys are kept sealed (encrypted with the server's key) and which posts to an address
//! of the stall's own, named by an unguessable token; each transfer it reports is kept once
//! (unique per stall, service and the service's transfer id) with what it did to the order it
//! names.
//!
//! `down` drops both tables.
use super::{drop_tables, fk};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0013_bank_notices"
    }
}

#[derive(DeriveIden)]
enum Stalls {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum StallBankServices {
    Table,
    StallId,
    Service,
    SealedKeys,
    HookToken,
    LinkedAt,
}

#[derive(DeriveIden)]
enum BankCredits {
    Table,
    Id,
    StallId,
    Service,
    TransferId,
    Amount,
    Purpose,
    BookedAt,
    ReceivedAt,
    Outcome,
    Figure,
    OrderId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        services(m).await?;
        credits(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            [
                BankCredits::Table.into_iden(),
                StallBankServices::Table.into_iden(),
            ],
        )
        .await
    }
}

async fn services(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(StallBankServices::Table)
            .col(big_integer(StallBankServices::StallId).primary_key())
            .col(string_len(StallBankServices::Service, 16))
            // Nonce and ciphertext of the service's keys, base64.
            .col(text(StallBankServices::SealedKeys))
            .col(string_len_uniq(StallBankServices::HookToken, 64))
            .col(timestamp_with_time_zone(StallBankServices::LinkedAt))
            .foreign_key(&mut fk(
                StallBankServices::Table,
                StallBankServices::StallId,
                Stalls::Table,
                Stalls::Id,
            ))
            .to_owned(),
    )
    .await
}

async fn credits(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(BankCredits::Table)
            .col(big_pk_auto(BankCredits::Id))
            .col(big_integer(BankCredits::StallId))
            .col(string_len(BankCredits::Service, 16))
            .col(string_len(BankCredits::TransferId, 128))
            .col(big_integer(BankCredits::Amount))
            .col(text(BankCredits::Purpose))
            .col(timestamp_with_time_zone(BankCredits::BookedAt))
            .col(timestamp_with_time_zone(BankCredits::ReceivedAt))
            .col(string_len(BankCredits::Outcome, 16))
            // What the vendor reads beside the outcome: the sum still due after a part
            // payment, the surplus of an overpayment, the amount to return; else 0.
            .col(big_integer(BankCredits::Figure))
            // The order it paid, part-paid or is to be returned for; none when it named two
            // orders or none.
            .col(big_integer_null(BankCredits::OrderId))
            .foreign_key(&mut fk(
                BankCredits::Table,
                BankCredits::StallId,
                Stalls::Table,
                Stalls::Id,
            ))
            .foreign_key(&mut fk(
                BankCredits::Table,
                BankCredits::OrderId,
                Orders::Table,
                Orders::Id,
            ))
            .to_owned(),
    )
    .await?;
    // The same transfer reported twice is one row: the second insert finds it.
    m.create_index(
        Index::create()
            .name("bank_credits_once")
            .table(BankCredits::Table)
            .col(BankCredits::StallId)
            .col(BankCredits::Service)
            .col(BankCredits::TransferId)
            .unique()
            .to_owned(),
    )
    .await?;
    m.create_index(
        Index::create()
            .name("bank_credits_order_id")
            .table(BankCredits::Table)
            .col(BankCredits::OrderId)
            .to_owned(),
    )
    .await
}
