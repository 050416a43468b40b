//! A pickup order keeps the date it is collected on, not just the weekday: a stall's offered
//! dates can span two weeks. Orders placed before keep their weekday, still read where they
//! have no date.
//!
//! `down` drops the date; every order still has its weekday, which orders keep being given.
use super::{add_column, drop_column};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_pickup_dates"
    }
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    PickupDate,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_column(m, Orders::Table, date_null(Orders::PickupDate)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_column(m, Orders::Table, Orders::PickupDate).await
    }
}
