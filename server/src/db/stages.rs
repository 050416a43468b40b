//! The history of the stages a stall goes through, kept as spans (from, until) so the
//! onboarding report can be asked about any past date. Each span is opened or closed in the
//! same transaction as the change that causes it.
use super::backend;
use super::entities::stage_span;
use app::ports::StoreResult;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};

/// What a span records. Approval is not stored here: the stall's status changes
/// (`stall_events`) already date it. Nor is "listed": a stall is listed while any of its
/// products' `Published` spans is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpanKind {
    /// One product is published.
    Published { product_id: i64 },
    /// The stall takes cards or has a VietQR bank account.
    EpaymentReady,
}

impl SpanKind {
    pub const PUBLISHED: &'static str = "published";
    pub const EPAYMENT_READY: &'static str = "epayment_ready";

    fn stage(self) -> &'static str {
        match self {
            SpanKind::Published { .. } => Self::PUBLISHED,
            SpanKind::EpaymentReady => Self::EPAYMENT_READY,
        }
    }

    fn product_id(self) -> Option<i64> {
        match self {
            SpanKind::Published { product_id } => Some(product_id),
            _ => None,
        }
    }
}

/// Opens a span at `at` when `active` and none is open, closes the open one when not `active`;
/// otherwise nothing changes (saving the same settings twice is not a new stage).
pub async fn record(
    db: &impl ConnectionTrait,
    stall_id: i64,
    kind: SpanKind,
    active: bool,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let open = stage_span::Entity::find()
        .filter(stage_span::Column::StallId.eq(stall_id))
        .filter(stage_span::Column::Stage.eq(kind.stage()))
        .filter(match kind.product_id() {
            Some(id) => stage_span::Column::ProductId.eq(id),
            None => stage_span::Column::ProductId.is_null(),
        })
        .filter(stage_span::Column::EndedAt.is_null())
        .one(db)
        .await
        .map_err(backend)?;
    match (open, active) {
        (None, true) => {
            stage_span::ActiveModel {
                stall_id: Set(stall_id),
                product_id: Set(kind.product_id()),
                stage: Set(kind.stage().to_string()),
                started_at: Set(at),
                ended_at: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await
            .map_err(backend)?;
        }
        (Some(span), false) => {
            stage_span::Entity::update_many()
                .col_expr(stage_span::Column::EndedAt, Expr::value(at))
                .filter(stage_span::Column::Id.eq(span.id))
                .exec(db)
                .await
                .map_err(backend)?;
        }
        _ => {}
    }
    Ok(())
}
