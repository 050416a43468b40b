//! A new product remembers the form submission that created it (a token the form carries), so
//! that the same form posted twice — a second tap while a slow upload is still on its way —
//! adds one product, not two. Unique per stall; products from before have none.
//!
//! `down` drops the index and the column.
use super::{add_column, drop_column};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0012_product_submissions"
    }
}

#[derive(DeriveIden)]
enum Products {
    Table,
    StallId,
    Submission,
}

const INDEX: &str = "products_stall_id_submission";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_column(
            m,
            Products::Table,
            string_len_null(Products::Submission, 32),
        )
        .await?;
        m.create_index(
            Index::create()
                .name(INDEX)
                .table(Products::Table)
                .col(Products::StallId)
                .col(Products::Submission)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name(INDEX).table(Products::Table).to_owned())
            .await?;
        drop_column(m, Products::Table, Products::Submission).await
    }
}
