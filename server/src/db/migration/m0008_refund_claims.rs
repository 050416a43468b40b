//! Refunds become an outbox: a worker claims a refund for a while before asking the processor,
//! so two processes never send it at once; each try is counted with the processor's last
//! answer, and a refund the processor keeps refusing is given up on, for an administrator to
//! see, instead of being retried forever.
//!
//! `down` drops the four columns.
use super::{add_column, drop_column};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_refund_claims"
    }
}

#[derive(DeriveIden)]
enum CardRefunds {
    Table,
    Attempts,
    ClaimedUntil,
    LastError,
    GaveUpAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            m,
            CardRefunds::Table,
            integer(CardRefunds::Attempts).default(0).to_owned(),
        )
        .await?;
        for column in [
            timestamp_with_time_zone_null(CardRefunds::ClaimedUntil),
            text_null(CardRefunds::LastError),
            timestamp_with_time_zone_null(CardRefunds::GaveUpAt),
        ] {
            add_column(m, CardRefunds::Table, column).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            CardRefunds::GaveUpAt,
            CardRefunds::LastError,
            CardRefunds::ClaimedUntil,
            CardRefunds::Attempts,
        ] {
            drop_column(m, CardRefunds::Table, column).await?;
        }
        Ok(())
    }
}
