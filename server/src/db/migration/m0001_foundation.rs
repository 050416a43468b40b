//! Accounts and their sessions, stalls and the products they sell.
use super::{drop_tables, fk};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    FullName,
    Phone,
    Email,
    PasswordHash,
    Role,
    Market,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Key,
    At,
}

#[derive(DeriveIden)]
enum Stalls {
    Table,
    Id,
    OwnerId,
    Slug,
    Name,
    PlaceKind,
    Market,
    StallNo,
    EntityType,
    Commune,
    District,
    DescriptionVi,
    DescriptionEn,
    Phone,
    TradingDays,
    Status,
    StatusReason,
    PhotoKey,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StallEvents {
    Table,
    Id,
    StallId,
    FromStatus,
    ToStatus,
    Reason,
    ActorId,
    At,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    StallId,
    Name,
    DescriptionVi,
    DescriptionEn,
    Category,
    Unit,
    Price,
    Stock,
    OcopStars,
    OcopCertificate,
    OcopYear,
    Published,
    SearchText,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProductPhotos {
    Table,
    Id,
    ProductId,
    Key,
    Position,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        users(m).await?;
        sessions(m).await?;
        login_failures(m).await?;
        stalls(m).await?;
        stall_events(m).await?;
        products(m).await?;
        product_photos(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            [
                ProductPhotos::Table.into_iden(),
                Products::Table.into_iden(),
                StallEvents::Table.into_iden(),
                Stalls::Table.into_iden(),
                LoginFailures::Table.into_iden(),
                Sessions::Table.into_iden(),
                Users::Table.into_iden(),
            ],
        )
        .await
    }
}

async fn users(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(Users::Table)
            .col(big_pk_auto(Users::Id))
            .col(string_len(Users::FullName, 120))
            .col(string_len_null(Users::Phone, 16).unique_key())
            .col(string_len_null(Users::Email, 254).unique_key())
            .col(string(Users::PasswordHash))
            .col(string_len(Users::Role, 20))
            .col(string_len_null(Users::Market, 20))
            .col(timestamp_with_time_zone(Users::CreatedAt))
            .to_owned(),
    )
    .await
}

async fn sessions(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(Sessions::Table)
            .col(string_len(Sessions::Id, 64).primary_key())
            .col(text(Sessions::Data))
            .col(big_integer(Sessions::ExpiresAt))
            .to_owned(),
    )
    .await?;
    m.create_index(
        Index::create()
            .name("sessions_expires_at")
            .table(Sessions::Table)
            .col(Sessions::ExpiresAt)
            .to_owned(),
    )
    .await
}

async fn login_failures(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(LoginFailures::Table)
            .col(big_pk_auto(LoginFailures::Id))
            .col(string_len(LoginFailures::Key, 300))
            .col(timestamp_with_time_zone(LoginFailures::At))
            .to_owned(),
    )
    .await?;
    m.create_index(
        Index::create()
            .name("login_failures_key_at")
            .table(LoginFailures::Table)
            .col(LoginFailures::Key)
            .col(LoginFailures::At)
            .to_owned(),
    )
    .await
}

async fn stalls(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(Stalls::Table)
            .col(big_pk_auto(Stalls::Id))
            .col(big_integer(Stalls::OwnerId).unique_key())
            .col(string_len_uniq(Stalls::Slug, 60))
            .col(string_len(Stalls::Name, 120))
            .col(string_len(Stalls::PlaceKind, 10))
            .col(string_len_null(Stalls::Market, 20))
            .col(string_len_null(Stalls::StallNo, 20))
            .col(string_len_null(Stalls::EntityType, 20))
            .col(string_len_null(Stalls::Commune, 60))
            .col(string_len_null(Stalls::District, 60))
            .col(text(Stalls::DescriptionVi))
            .col(text_null(Stalls::DescriptionEn))
            .col(string_len(Stalls::Phone, 16))
            .col(small_integer(Stalls::TradingDays))
            .col(string_len(Stalls::Status, 20))
            .col(text_null(Stalls::StatusReason))
            .col(string_len_null(Stalls::PhotoKey, 80))
            .col(timestamp_with_time_zone(Stalls::CreatedAt))
            .col(timestamp_with_time_zone(Stalls::UpdatedAt))
            .foreign_key(&mut fk(
                Stalls::Table,
                Stalls::OwnerId,
                Users::Table,
                Users::Id,
            ))
            .to_owned(),
    )
    .await?;
    m.create_index(
        Index::create()
            .name("stalls_status_market")
            .table(Stalls::Table)
            .col(Stalls::Status)
            .col(Stalls::Market)
            .to_owned(),
    )
    .await
}

async fn stall_events(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(StallEvents::Table)
            .col(big_pk_auto(StallEvents::Id))
            .col(big_integer(StallEvents::StallId))
            .col(string_len(StallEvents::FromStatus, 20))
            .col(string_len(StallEvents::ToStatus, 20))
            .col(text_null(StallEvents::Reason))
            .col(big_integer(StallEvents::ActorId))
            .col(timestamp_with_time_zone(StallEvents::At))
            .foreign_key(&mut fk(
                StallEvents::Table,
                StallEvents::StallId,
                Stalls::Table,
                Stalls::Id,
            ))
            .to_owned(),
    )
    .await
}

async fn products(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(Products::Table)
            .col(big_pk_auto(Products::Id))
            .col(big_integer(Products::StallId))
            .col(string_len(Products::Name, 120))
            .col(text(Products::DescriptionVi))
            .col(text_null(Products::DescriptionEn))
            .col(string_len(Products::Category, 20))
            .col(string_len(Products::Unit, 10))
            .col(big_integer(Products::Price))
            .col(big_integer_null(Products::Stock))
            .col(small_integer_null(Products::OcopStars))
            .col(string_len_null(Products::OcopCertificate, 60))
            .col(integer_null(Products::OcopYear))
            .col(boolean(Products::Published))
            .col(text(Products::SearchText))
            .col(timestamp_with_time_zone(Products::CreatedAt))
            .col(timestamp_with_time_zone(Products::UpdatedAt))
            .foreign_key(&mut fk(
                Products::Table,
                Products::StallId,
                Stalls::Table,
                Stalls::Id,
            ))
            .check(Expr::col(Products::Price).gte(1))
            .check(Expr::col(Products::Stock).gte(0))
            .to_owned(),
    )
    .await?;
    m.create_index(
        Index::create()
            .name("products_stall")
            .table(Products::Table)
            .col(Products::StallId)
            .to_owned(),
    )
    .await
}

async fn product_photos(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(ProductPhotos::Table)
            .col(big_pk_auto(ProductPhotos::Id))
            .col(big_integer(ProductPhotos::ProductId))
            .col(string_len(ProductPhotos::Key, 80))
            .col(integer(ProductPhotos::Position))
            .foreign_key(&mut fk(
                ProductPhotos::Table,
                ProductPhotos::ProductId,
                Products::Table,
                Products::Id,
            ))
            .to_owned(),
    )
    .await
}
