//! Carts, checkouts, orders and what pays for them.
use super::{drop_tables, fk};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_orders"
    }
}

// The foundation's tables that these point at, by the identifiers used here only.
#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Stalls {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
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
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        stall_payments(m).await?;
        carts(m).await?;
        cart_items(m).await?;
        checkouts(m).await?;
        orders(m).await?;
        order_lines(m).await?;
        order_events(m).await?;
        stripe_events(m).await?;
        ledger_entries(m).await?;
        statement_lines(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            [
                StatementLines::Table.into_iden(),
                LedgerEntries::Table.into_iden(),
                StripeEvents::Table.into_iden(),
                OrderEvents::Table.into_iden(),
                OrderLines::Table.into_iden(),
                Orders::Table.into_iden(),
                Checkouts::Table.into_iden(),
                CartItems::Table.into_iden(),
                Carts::Table.into_iden(),
                StallPayments::Table.into_iden(),
            ],
        )
        .await
    }
}

async fn stall_payments(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    .await
}

async fn carts(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    .await
}

async fn cart_items(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    .await
}

async fn checkouts(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    .await
}

async fn orders(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    .await
}

async fn order_lines(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    .await
}

async fn order_events(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    .await
}

async fn stripe_events(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.create_table(
        Table::create()
            .table(StripeEvents::Table)
            .col(string_len(StripeEvents::Id, 255).primary_key())
            .col(string_len(StripeEvents::Kind, 100))
            .col(timestamp_with_time_zone(StripeEvents::ProcessedAt))
            .to_owned(),
    )
    .await
}

async fn ledger_entries(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    .await
}

async fn statement_lines(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    .await
}
