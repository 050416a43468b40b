//! Card payments charge the orders still awaiting payment, one Checkout Session per attempt:
//! the checkout remembers which orders its latest attempt charges and until when, each order
//! the payment that paid it, and a payment that reached orders no longer awaiting it is owed
//! back to the shopper until the refund is made.
//!
//! `down` is faithful: the payments backfilled onto orders were copied from their checkouts,
//! which keep them, into a column it drops.
use super::{add_column, drop_column, fk};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_card_attempts"
    }
}

#[derive(DeriveIden)]
enum Checkouts {
    Table,
    SessionOrders,
    SessionExpiresAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    PaymentIntent,
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
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        attempt_columns(m).await?;
        backfill_order_payments(m).await?;
        card_refunds(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CardRefunds::Table).to_owned())
            .await?;
        drop_column(m, Orders::Table, Orders::PaymentIntent).await?;
        drop_column(m, Checkouts::Table, Checkouts::SessionExpiresAt).await?;
        drop_column(m, Checkouts::Table, Checkouts::SessionOrders).await
    }
}

async fn attempt_columns(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    add_column(m, Checkouts::Table, text_null(Checkouts::SessionOrders)).await?;
    add_column(
        m,
        Checkouts::Table,
        timestamp_with_time_zone_null(Checkouts::SessionExpiresAt),
    )
    .await?;
    add_column(
        m,
        Orders::Table,
        string_len_null(Orders::PaymentIntent, 255),
    )
    .await
}

/// Orders paid before each kept its own payment were paid by their checkout's.
async fn backfill_order_payments(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    m.get_connection()
        .execute_unprepared(
            "UPDATE orders SET payment_intent = \
             (SELECT stripe_payment_intent FROM checkouts WHERE checkouts.id = orders.checkout_id) \
             WHERE method = 'card'",
        )
        .await?;
    Ok(())
}

async fn card_refunds(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
                Orders::Table,
                Orders::Id,
            ))
            .check(Expr::col(CardRefunds::Amount).gt(0))
            .to_owned(),
    )
    .await
}
