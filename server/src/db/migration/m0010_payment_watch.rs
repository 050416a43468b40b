//! Card payments are watched, not only received: each checkout notes when its Checkout
//! Session was last looked up at the processor (reconciliation of a webhook that never came),
//! and `payment_alerts` keeps what went wrong with the processor's word — webhooks refused for
//! their signature, mode or shape, events that could not be applied, payments that did not
//! match their orders — for the administrators and `/healthz`.
//!
//! An index on orders' status and expiry serves the sweeps that look for orders awaiting
//! payment. `down` drops the alerts, the index and the column.
use super::{add_column, drop_column, drop_tables};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0010_payment_watch"
    }
}

#[derive(DeriveIden)]
enum Checkouts {
    Table,
    CardCheckedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Status,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum PaymentAlerts {
    Table,
    Id,
    Kind,
    Reference,
    Detail,
    Count,
    FirstAt,
    LastAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            m,
            Checkouts::Table,
            timestamp_with_time_zone_null(Checkouts::CardCheckedAt),
        )
        .await?;
        // The sweeps look for orders awaiting payment by their time left.
        m.create_index(
            Index::create()
                .name("orders_status_expires_at")
                .table(Orders::Table)
                .col(Orders::Status)
                .col(Orders::ExpiresAt)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(PaymentAlerts::Table)
                .col(big_pk_auto(PaymentAlerts::Id))
                .col(string_len(PaymentAlerts::Kind, 24))
                // The event or Checkout Session it is about, when there is one.
                .col(string_len_null(PaymentAlerts::Reference, 255))
                .col(string_len(PaymentAlerts::Detail, 500))
                // How many times it happened between `first_at` and `last_at`.
                .col(big_integer(PaymentAlerts::Count))
                .col(timestamp_with_time_zone(PaymentAlerts::FirstAt))
                .col(timestamp_with_time_zone(PaymentAlerts::LastAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("payment_alerts_last_at")
                .table(PaymentAlerts::Table)
                .col(PaymentAlerts::LastAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, [PaymentAlerts::Table.into_iden()]).await?;
        m.drop_index(
            Index::drop()
                .name("orders_status_expires_at")
                .table(Orders::Table)
                .to_owned(),
        )
        .await?;
        drop_column(m, Checkouts::Table, Checkouts::CardCheckedAt).await
    }
}
