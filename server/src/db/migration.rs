//! The schema, as migrations with their own identifiers (never the entities), so old
//! migrations keep meaning what they meant when entities change.
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Foundation),
            Box::new(M0002Orders),
            Box::new(M0003Registry),
            Box::new(M0004CardAttempts),
            Box::new(M0005OnePitchOneStall),
            Box::new(M0006PickupDates),
        ]
    }
}

struct M0001Foundation;

// Names are spelt out: the derive would name every migration of this file alike.
impl MigrationName for M0001Foundation {
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

fn fk(
    from_table: impl IntoIden,
    from_col: impl IntoIden,
    to_table: impl IntoIden,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for M0001Foundation {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
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
        .await?;
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
        .await?;
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
        .await?;
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
        .await?;
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
        .await?;
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
        .await?;
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
        .await?;
        Ok(())
    }
}

/// Carts, checkouts, orders and what pays for them.
struct M0002Orders;

impl MigrationName for M0002Orders {
    fn name(&self) -> &str {
        "m0002_orders"
    }
}

#[derive(DeriveIden)]
enum StallPayments {
    Table,
    StallId,
    DeliveryFee,
    AcceptsCards,
    BankBin,
    BankAccount,
    BankHolder,
    BankVerifiedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Carts {
    Table,
    Id,
    VisitorKey,
    UserId,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CartItems {
    Table,
    Id,
    CartId,
    ProductId,
    Quantity,
}

#[derive(DeriveIden)]
enum Checkouts {
    Table,
    Id,
    Token,
    UserId,
    Name,
    Phone,
    Fulfilment,
    Address,
    Note,
    Method,
    Total,
    StripeSessionId,
    StripePaymentIntent,
    PaymentUrl,
    Attempts,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    Code,
    CheckoutId,
    StallId,
    Status,
    Method,
    Fulfilment,
    PickupDay,
    Subtotal,
    DeliveryFee,
    Total,
    ExpiresAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
    OrderId,
    ProductId,
    Name,
    Unit,
    UnitPrice,
    Quantity,
    Total,
}

#[derive(DeriveIden)]
enum OrderEvents {
    Table,
    Id,
    OrderId,
    FromStatus,
    ToStatus,
    Actor,
    ActorUserId,
    Note,
    At,
}

#[derive(DeriveIden)]
enum StripeEvents {
    Table,
    Id,
    Kind,
    ProcessedAt,
}

#[derive(DeriveIden)]
enum LedgerEntries {
    Table,
    Id,
    StallId,
    OrderId,
    Kind,
    Amount,
    Note,
    CreatedBy,
    At,
}

#[derive(DeriveIden)]
enum StatementLines {
    Table,
    Id,
    Fingerprint,
    UploadedBy,
    BookedOn,
    Amount,
    Description,
    MatchedOrderId,
    ImportedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for M0002Orders {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(StallPayments::Table)
                .col(big_integer(StallPayments::StallId).primary_key())
                .col(big_integer(StallPayments::DeliveryFee).default(0))
                .col(boolean(StallPayments::AcceptsCards).default(false))
                .col(string_len_null(StallPayments::BankBin, 6))
                .col(string_len_null(StallPayments::BankAccount, 19))
                .col(string_len_null(StallPayments::BankHolder, 50))
                .col(timestamp_with_time_zone_null(StallPayments::BankVerifiedAt))
                .col(timestamp_with_time_zone(StallPayments::UpdatedAt))
                .foreign_key(&mut fk(
                    StallPayments::Table,
                    StallPayments::StallId,
                    Stalls::Table,
                    Stalls::Id,
                ))
                .check(Expr::col(StallPayments::DeliveryFee).gte(0))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Carts::Table)
                .col(big_pk_auto(Carts::Id))
                .col(string_len_null(Carts::VisitorKey, 64).unique_key())
                .col(big_integer_null(Carts::UserId).unique_key())
                .col(timestamp_with_time_zone(Carts::UpdatedAt))
                .foreign_key(&mut fk(
                    Carts::Table,
                    Carts::UserId,
                    Users::Table,
                    Users::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CartItems::Table)
                .col(big_pk_auto(CartItems::Id))
                .col(big_integer(CartItems::CartId))
                .col(big_integer(CartItems::ProductId))
                .col(big_integer(CartItems::Quantity))
                .foreign_key(&mut fk(
                    CartItems::Table,
                    CartItems::CartId,
                    Carts::Table,
                    Carts::Id,
                ))
                .foreign_key(&mut fk(
                    CartItems::Table,
                    CartItems::ProductId,
                    Products::Table,
                    Products::Id,
                ))
                .check(Expr::col(CartItems::Quantity).gt(0))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("cart_items_cart_product")
                .table(CartItems::Table)
                .col(CartItems::CartId)
                .col(CartItems::ProductId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Checkouts::Table)
                .col(big_pk_auto(Checkouts::Id))
                .col(string_len_uniq(Checkouts::Token, 64))
                .col(big_integer_null(Checkouts::UserId))
                .col(string_len(Checkouts::Name, 120))
                .col(string_len(Checkouts::Phone, 16))
                .col(string_len(Checkouts::Fulfilment, 20))
                .col(text_null(Checkouts::Address))
                .col(text_null(Checkouts::Note))
                .col(string_len(Checkouts::Method, 20))
                .col(big_integer(Checkouts::Total))
                .col(string_len_null(Checkouts::StripeSessionId, 255))
                .col(string_len_null(Checkouts::StripePaymentIntent, 255))
                .col(text_null(Checkouts::PaymentUrl))
                .col(integer(Checkouts::Attempts).default(0))
                .col(timestamp_with_time_zone(Checkouts::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Orders::Table)
                .col(big_pk_auto(Orders::Id))
                .col(string_len_uniq(Orders::Code, 40))
                .col(big_integer(Orders::CheckoutId))
                .col(big_integer(Orders::StallId))
                .col(string_len(Orders::Status, 30))
                .col(string_len(Orders::Method, 20))
                .col(string_len(Orders::Fulfilment, 20))
                .col(string_len_null(Orders::PickupDay, 3))
                .col(big_integer(Orders::Subtotal))
                .col(big_integer(Orders::DeliveryFee))
                .col(big_integer(Orders::Total))
                .col(timestamp_with_time_zone(Orders::ExpiresAt))
                .col(timestamp_with_time_zone(Orders::CreatedAt))
                .col(timestamp_with_time_zone(Orders::UpdatedAt))
                .foreign_key(&mut fk(
                    Orders::Table,
                    Orders::CheckoutId,
                    Checkouts::Table,
                    Checkouts::Id,
                ))
                .foreign_key(&mut fk(
                    Orders::Table,
                    Orders::StallId,
                    Stalls::Table,
                    Stalls::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("orders_stall_status")
                .table(Orders::Table)
                .col(Orders::StallId)
                .col(Orders::Status)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("orders_checkout")
                .table(Orders::Table)
                .col(Orders::CheckoutId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OrderLines::Table)
                .col(big_pk_auto(OrderLines::Id))
                .col(big_integer(OrderLines::OrderId))
                .col(big_integer(OrderLines::ProductId))
                .col(string_len(OrderLines::Name, 120))
                .col(string_len(OrderLines::Unit, 10))
                .col(big_integer(OrderLines::UnitPrice))
                .col(big_integer(OrderLines::Quantity))
                .col(big_integer(OrderLines::Total))
                .foreign_key(&mut fk(
                    OrderLines::Table,
                    OrderLines::OrderId,
                    Orders::Table,
                    Orders::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(OrderEvents::Table)
                .col(big_pk_auto(OrderEvents::Id))
                .col(big_integer(OrderEvents::OrderId))
                .col(string_len(OrderEvents::FromStatus, 30))
                .col(string_len(OrderEvents::ToStatus, 30))
                .col(string_len(OrderEvents::Actor, 20))
                .col(big_integer_null(OrderEvents::ActorUserId))
                .col(text_null(OrderEvents::Note))
                .col(timestamp_with_time_zone(OrderEvents::At))
                .foreign_key(&mut fk(
                    OrderEvents::Table,
                    OrderEvents::OrderId,
                    Orders::Table,
                    Orders::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StripeEvents::Table)
                .col(string_len(StripeEvents::Id, 255).primary_key())
                .col(string_len(StripeEvents::Kind, 100))
                .col(timestamp_with_time_zone(StripeEvents::ProcessedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LedgerEntries::Table)
                .col(big_pk_auto(LedgerEntries::Id))
                .col(big_integer(LedgerEntries::StallId))
                .col(big_integer_null(LedgerEntries::OrderId))
                .col(string_len(LedgerEntries::Kind, 20))
                .col(big_integer(LedgerEntries::Amount))
                .col(text_null(LedgerEntries::Note))
                .col(big_integer_null(LedgerEntries::CreatedBy))
                .col(timestamp_with_time_zone(LedgerEntries::At))
                .foreign_key(&mut fk(
                    LedgerEntries::Table,
                    LedgerEntries::StallId,
                    Stalls::Table,
                    Stalls::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(StatementLines::Table)
                .col(big_pk_auto(StatementLines::Id))
                .col(string_len_uniq(StatementLines::Fingerprint, 64))
                .col(big_integer(StatementLines::UploadedBy))
                .col(date(StatementLines::BookedOn))
                .col(big_integer(StatementLines::Amount))
                .col(text(StatementLines::Description))
                .col(big_integer_null(StatementLines::MatchedOrderId))
                .col(timestamp_with_time_zone(StatementLines::ImportedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

struct M0003Registry;

impl MigrationName for M0003Registry {
    fn name(&self) -> &str {
        "m0003_registry"
    }
}

#[derive(DeriveIden)]
enum RegistryEntries {
    Table,
    Id,
    ExternalId,
    Kind,
    Market,
    StallNo,
    Name,
    EntityType,
    Phone,
    District,
    OcopProducts,
    StallId,
    LinkedAt,
    LinkedBy,
    RegisteredAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StageSpans {
    Table,
    Id,
    StallId,
    ProductId,
    Stage,
    StartedAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum ReportTargets {
    Table,
    Segment,
    Year,
    Tenths,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    Name,
    TokenHash,
    CreatedBy,
    CreatedAt,
    RevokedAt,
    LastUsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for M0003Registry {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RegistryEntries::Table)
                .col(big_pk_auto(RegistryEntries::Id))
                .col(string_len_uniq(RegistryEntries::ExternalId, 64))
                .col(string_len(RegistryEntries::Kind, 20))
                .col(string_len_null(RegistryEntries::Market, 20))
                .col(string_len_null(RegistryEntries::StallNo, 20))
                .col(string_len(RegistryEntries::Name, 120))
                .col(string_len(RegistryEntries::EntityType, 20))
                .col(string_len_null(RegistryEntries::Phone, 16))
                .col(string_len(RegistryEntries::District, 60))
                // `name|stars;…` as in the CSV: read whole, never queried by part.
                .col(text(RegistryEntries::OcopProducts))
                .col(big_integer_null(RegistryEntries::StallId))
                .col(timestamp_with_time_zone_null(RegistryEntries::LinkedAt))
                .col(big_integer_null(RegistryEntries::LinkedBy))
                .col(timestamp_with_time_zone(RegistryEntries::RegisteredAt))
                .col(timestamp_with_time_zone(RegistryEntries::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RegistryEntries::Table, RegistryEntries::StallId)
                        .to(Stalls::Table, Stalls::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("registry_entries_phone", RegistryEntries::Phone),
            ("registry_entries_stall", RegistryEntries::StallId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(RegistryEntries::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(StageSpans::Table)
                .col(big_pk_auto(StageSpans::Id))
                .col(big_integer(StageSpans::StallId))
                .col(big_integer_null(StageSpans::ProductId))
                .col(string_len(StageSpans::Stage, 20))
                .col(timestamp_with_time_zone(StageSpans::StartedAt))
                .col(timestamp_with_time_zone_null(StageSpans::EndedAt))
                .foreign_key(&mut fk(
                    StageSpans::Table,
                    StageSpans::StallId,
                    Stalls::Table,
                    Stalls::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("stage_spans_stall_stage")
                .table(StageSpans::Table)
                .col(StageSpans::StallId)
                .col(StageSpans::Stage)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ReportTargets::Table)
                .col(string_len(ReportTargets::Segment, 80))
                .col(integer(ReportTargets::Year))
                .col(small_integer(ReportTargets::Tenths))
                .primary_key(
                    Index::create()
                        .col(ReportTargets::Segment)
                        .col(ReportTargets::Year),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(big_pk_auto(ApiTokens::Id))
                .col(string_len(ApiTokens::Name, 120))
                .col(string_len_uniq(ApiTokens::TokenHash, 64))
                .col(big_integer(ApiTokens::CreatedBy))
                .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                .to_owned(),
        )
        .await?;
        // Products already published and stalls already payable before their history was
        // kept start it from their last change. (Approvals are dated by `stall_events`.)
        for backfill in [
            "INSERT INTO stage_spans (stall_id, product_id, stage, started_at) \
             SELECT stall_id, id, 'published', updated_at FROM products WHERE published = TRUE",
            "INSERT INTO stage_spans (stall_id, product_id, stage, started_at) \
             SELECT stall_id, NULL, 'epayment_ready', updated_at FROM stall_payments \
             WHERE accepts_cards = TRUE OR bank_account IS NOT NULL",
        ] {
            m.get_connection().execute_unprepared(backfill).await?;
        }
        Ok(())
    }
}

/// Card payments charge the orders still awaiting payment, one Checkout Session per attempt:
/// the checkout remembers which orders its latest attempt charges and until when, each order
/// the payment that paid it, and a payment that reached orders no longer awaiting it is owed
/// back to the shopper until the refund is made.
struct M0004CardAttempts;

impl MigrationName for M0004CardAttempts {
    fn name(&self) -> &str {
        "m0004_card_attempts"
    }
}

#[derive(DeriveIden)]
enum CardRefunds {
    Table,
    Id,
    OrderId,
    PaymentIntent,
    Amount,
    IdempotencyKey,
    RequestedAt,
    RefundedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for M0004CardAttempts {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        let checkouts = Alias::new("checkouts");
        let orders = Alias::new("orders");
        for (table, column) in [
            (
                checkouts.clone(),
                text_null(Alias::new("session_orders")).to_owned(),
            ),
            (
                checkouts,
                timestamp_with_time_zone_null(Alias::new("session_expires_at")).to_owned(),
            ),
            (
                orders.clone(),
                string_len_null(Alias::new("payment_intent"), 255).to_owned(),
            ),
        ] {
            m.alter_table(Table::alter().table(table).add_column(column).to_owned())
                .await?;
        }
        // Orders paid before each kept its own payment were paid by their checkout's.
        m.get_connection()
            .execute_unprepared(
                "UPDATE orders SET payment_intent = \
                 (SELECT stripe_payment_intent FROM checkouts WHERE checkouts.id = orders.checkout_id) \
                 WHERE method = 'card'",
            )
            .await?;
        m.create_table(
            Table::create()
                .table(CardRefunds::Table)
                .col(big_pk_auto(CardRefunds::Id))
                .col(big_integer(CardRefunds::OrderId))
                .col(string_len(CardRefunds::PaymentIntent, 255))
                .col(big_integer(CardRefunds::Amount))
                .col(string_len_uniq(CardRefunds::IdempotencyKey, 255))
                .col(timestamp_with_time_zone(CardRefunds::RequestedAt))
                .col(timestamp_with_time_zone_null(CardRefunds::RefundedAt))
                .foreign_key(&mut fk(
                    CardRefunds::Table,
                    CardRefunds::OrderId,
                    orders,
                    Alias::new("id"),
                ))
                .check(Expr::col(CardRefunds::Amount).gt(0))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}

/// A market's stall number belongs to one stall: two vendors can't claim the same pitch.
struct M0005OnePitchOneStall;

impl MigrationName for M0005OnePitchOneStall {
    fn name(&self) -> &str {
        "m0005_one_pitch_one_stall"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0005OnePitchOneStall {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        // Stall numbers are now kept in capitals (`a-01` and `A-01` are one pitch). Where two
        // stalls already claim one pitch, the first to claim it keeps the number; the others'
        // is cleared for their owners to enter again, which the new index then checks.
        for normalise in [
            "UPDATE stalls SET stall_no = UPPER(TRIM(stall_no)) WHERE stall_no IS NOT NULL",
            "UPDATE stalls SET stall_no = NULL WHERE stall_no IS NOT NULL AND EXISTS \
             (SELECT 1 FROM stalls AS earlier WHERE earlier.market = stalls.market \
             AND earlier.stall_no = stalls.stall_no AND earlier.id < stalls.id)",
        ] {
            db.execute_unprepared(normalise).await?;
        }
        // Stalls without a number (and OCOP producers, without a market) never clash: a
        // unique index treats NULLs as distinct on both engines.
        m.create_index(
            Index::create()
                .name("stalls_market_stall_no")
                .table(Stalls::Table)
                .col(Stalls::Market)
                .col(Stalls::StallNo)
                .unique()
                .to_owned(),
        )
        .await
    }
}

/// A pickup order keeps the date it is collected on, not just the weekday: a stall's offered
/// dates can span two weeks. Orders placed before keep their weekday, still read where they
/// have no date.
struct M0006PickupDates;

impl MigrationName for M0006PickupDates {
    fn name(&self) -> &str {
        "m0006_pickup_dates"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0006PickupDates {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Alias::new("orders"))
                .add_column(date_null(Alias::new("pickup_date")))
                .to_owned(),
        )
        .await
    }
}
