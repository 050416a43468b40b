//! A market's stall number belongs to one stall: two vendors can't claim the same pitch.
//!
//! `down` is not faithful, and drops the unique index only. `up` rewrites stall numbers in
//! capitals and clears those of later stalls claiming a pitch already taken; what they were
//! before is kept nowhere, so no `down` can give it back. The numbers stay as `up` left them,
//! which the earlier schema holds as well as any other: refusing instead would pin every
//! database at this migration for data no one can recover, and leaving the index would make
//! `up` fail when it creates it again.
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_one_pitch_one_stall"
    }
}

#[derive(DeriveIden)]
enum Stalls {
    Table,
    Market,
    StallNo,
}

/// The index that keeps one stall on a pitch.
const ONE_PITCH_ONE_STALL: &str = "stalls_market_stall_no";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        normalise_stall_numbers(m).await?;
        // Stalls without a number (and OCOP producers, without a market) never clash: a
        // unique index treats NULLs as distinct on both engines.
        m.create_index(
            Index::create()
                .name(ONE_PITCH_ONE_STALL)
                .table(Stalls::Table)
                .col(Stalls::Market)
                .col(Stalls::StallNo)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name(ONE_PITCH_ONE_STALL)
                .table(Stalls::Table)
                .to_owned(),
        )
        .await
    }
}

/// Stall numbers are now kept in capitals (`a-01` and `A-01` are one pitch). Where two stalls
/// already claim one pitch, the first to claim it keeps the number; the others' is cleared for
/// their owners to enter again, which the new index then checks.
async fn normalise_stall_numbers(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    for normalise in [
        "UPDATE stalls SET stall_no = UPPER(TRIM(stall_no)) WHERE stall_no IS NOT NULL",
        "UPDATE stalls SET stall_no = NULL WHERE stall_no IS NOT NULL AND EXISTS \
         (SELECT 1 FROM stalls AS earlier WHERE earlier.market = stalls.market \
         AND earlier.stall_no = stalls.stall_no AND earlier.id < stalls.id)",
    ] {
        db.execute_unprepared(normalise).await?;
    }
    Ok(())
}
