//! A product's stock gets a history: every change a vendor makes (listing it, a new count in
//! the product form, a delivery received, goods spoiled) is a row with who made it, when, and
//! the stock it left. Sales and cancellations stay in the orders.
//!
//! Products with a limited stock start their history with one `counted` row holding the stock
//! they had at the upgrade, by nobody, so their history adds up from then on. `down` drops the
//! history.
use super::{drop_tables, fk};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_stock_moves"
    }
}

#[derive(DeriveIden)]
enum StockMoves {
    Table,
    Id,
    ProductId,
    Change,
    Reason,
    StockAfter,
    ByUser,
    At,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Stock,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(StockMoves::Table)
                .col(big_pk_auto(StockMoves::Id))
                .col(big_integer(StockMoves::ProductId))
                // In the unit's steps, like the product's stock; negative for goods gone.
                .col(big_integer(StockMoves::Change))
                .col(string_len(StockMoves::Reason, 20))
                .col(big_integer(StockMoves::StockAfter))
                .col(big_integer_null(StockMoves::ByUser))
                .col(timestamp_with_time_zone(StockMoves::At))
                .foreign_key(&mut fk(
                    StockMoves::Table,
                    StockMoves::ProductId,
                    Products::Table,
                    Products::Id,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(StockMoves::Table, StockMoves::ByUser)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("stock_moves_product")
                .table(StockMoves::Table)
                .col(StockMoves::ProductId)
                .col(StockMoves::Id)
                .to_owned(),
        )
        .await?;
        let start = Query::insert()
            .into_table(StockMoves::Table)
            .columns([
                StockMoves::ProductId,
                StockMoves::Change,
                StockMoves::Reason,
                StockMoves::StockAfter,
                StockMoves::At,
            ])
            .select_from(
                Query::select()
                    .column(Products::Id)
                    .column(Products::Stock)
                    .expr(Expr::val("counted"))
                    .column(Products::Stock)
                    .expr(Expr::current_timestamp())
                    .from(Products::Table)
                    .and_where(Expr::col(Products::Stock).is_not_null())
                    .to_owned(),
            )
            .map_err(|e| DbErr::Migration(e.to_string()))?
            .to_owned();
        m.exec_stmt(start).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(m, [StockMoves::Table.into_iden()]).await
    }
}
