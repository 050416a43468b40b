//! The vendor registry and its links to stalls, each stall's onboarding stages over time, the
//! onboarding report's targets and the reporting API's tokens.
//!
//! `down` is faithful: the stage spans backfilled from existing products and payment settings
//! live only in the table it drops.
use super::{drop_tables, fk};
use sea_orm_migration::{prelude::*, schema::*};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_registry"
    }
}

// The foundation's table that these point at, by the identifiers used here only.
#[derive(DeriveIden)]
enum Stalls {
    Table,
    Id,
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
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        registry_entries(m).await?;
        stage_spans(m).await?;
        report_targets(m).await?;
        api_tokens(m).await?;
        backfill_stage_spans(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            m,
            [
                ApiTokens::Table.into_iden(),
                ReportTargets::Table.into_iden(),
                StageSpans::Table.into_iden(),
                RegistryEntries::Table.into_iden(),
            ],
        )
        .await
    }
}

async fn registry_entries(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    Ok(())
}

async fn stage_spans(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    .await
}

async fn report_targets(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    .await
}

async fn api_tokens(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
    .await
}

/// Products already published and stalls already payable before their history was kept start
/// it from their last change. (Approvals are dated by `stall_events`.)
async fn backfill_stage_spans(m: &SchemaManager<'_>) -> Result<(), DbErr> {
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
