//! A product's stock as its vendor changes it: each change is one conditional statement on
//! the stock as it is now (never a number read earlier and written back), recorded with why,
//! by whom and the stock it left.
use super::entities::{product, stock_move, user};
use super::{backend, stored};
use app::domain::quantity::Quantity;
use app::domain::stock::{StockEdit, StockReason};
use app::model::StockMove;
use app::ports::{StoreError, StoreResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;

/// Who changed a stock, and when.
#[derive(Clone, Copy)]
pub(crate) struct By {
    pub user: i64,
    pub at: DateTime<Utc>,
}

/// Applies the product form's `edit` to product `id`'s stock.
pub(crate) async fn apply_edit(
    db: &impl ConnectionTrait,
    id: i64,
    edit: StockEdit,
    by: By,
) -> StoreResult<()> {
    let stock = Expr::col(product::Column::Stock);
    let update = product::Entity::update_many().filter(product::Column::Id.eq(id));
    let (update, change) = match edit {
        StockEdit::Keep => return Ok(()),
        StockEdit::Add(0) => return Ok(()),
        StockEdit::Add(change) => (
            update
                .col_expr(product::Column::Stock, stock.clone().add(change))
                .filter(product::Column::Stock.is_not_null())
                .filter(stock.add(change).gte(0)),
            Some(change),
        ),
        StockEdit::Limit(to) => (
            update
                .col_expr(product::Column::Stock, Expr::value(to.steps()))
                .filter(product::Column::Stock.is_null()),
            Some(to.steps()),
        ),
        StockEdit::Unlimit => {
            let unlimited = update.col_expr(product::Column::Stock, Expr::value(None::<i64>));
            unlimited.exec(db).await.map_err(backend)?;
            return Ok(());
        }
        StockEdit::Set(to) => {
            let before = current(db, id).await?;
            let set = update.col_expr(product::Column::Stock, Expr::value(to.steps()));
            (set, Some(to.steps() - before.map_or(0, Quantity::steps)))
        }
    };
    let after = changed(db, update, id).await?;
    if let (Some(change), Some(after)) = (change, after) {
        record(db, id, change, StockReason::Counted, after, by).await?;
    }
    Ok(())
}

/// Adds `change` steps to a limited stock, never below zero; returns the stock it left.
pub(crate) async fn adjust(
    db: &impl ConnectionTrait,
    id: i64,
    change: i64,
    reason: StockReason,
    by: By,
) -> StoreResult<Quantity> {
    let stock = Expr::col(product::Column::Stock);
    let update = product::Entity::update_many()
        .col_expr(product::Column::Stock, stock.clone().add(change))
        .filter(product::Column::Id.eq(id))
        .filter(product::Column::Stock.is_not_null())
        .filter(stock.add(change).gte(0));
    let after = changed(db, update, id)
        .await?
        .ok_or(StoreError::StockMoved(None))?;
    record(db, id, change, reason, after, by).await?;
    Ok(after)
}

/// Runs a conditional update of one product's stock; the stock it left, or
/// [`StoreError::StockMoved`] with the stock as it is when the condition failed.
async fn changed(
    db: &impl ConnectionTrait,
    update: sea_orm::UpdateMany<product::Entity>,
    id: i64,
) -> StoreResult<Option<Quantity>> {
    let rows = update.exec_with_returning(db).await.map_err(backend)?;
    match rows.first() {
        Some(row) => Ok(row.stock.map(Quantity::from_steps)),
        None => Err(StoreError::StockMoved(current(db, id).await?)),
    }
}

/// The stock now, its row locked for the rest of the transaction (PostgreSQL; SQLite's write
/// transaction already excludes other writers), so a change computed from it stays true.
async fn current(db: &impl ConnectionTrait, id: i64) -> StoreResult<Option<Quantity>> {
    Ok(product::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound)?
        .stock
        .map(Quantity::from_steps))
}

/// Writes one change into the stock's history.
pub(crate) async fn record(
    db: &impl ConnectionTrait,
    product_id: i64,
    change: i64,
    reason: StockReason,
    after: Quantity,
    by: By,
) -> StoreResult<()> {
    stock_move::ActiveModel {
        product_id: Set(product_id),
        change: Set(change),
        reason: Set(reason.slug().to_string()),
        stock_after: Set(after.steps()),
        by_user: Set(Some(by.user)),
        at: Set(by.at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(backend)?;
    Ok(())
}

/// The product's stock history, newest first, with each change's author by name.
pub(crate) async fn history(
    db: &impl ConnectionTrait,
    product_id: i64,
    limit: u64,
) -> StoreResult<Vec<StockMove>> {
    let rows = stock_move::Entity::find()
        .filter(stock_move::Column::ProductId.eq(product_id))
        .order_by_desc(stock_move::Column::Id)
        .limit(limit)
        .all(db)
        .await
        .map_err(backend)?;
    let ids: Vec<i64> = rows.iter().filter_map(|r| r.by_user).collect();
    let names: HashMap<i64, String> =
        super::find_in::<user::Entity, _>(db, user::Column::Id, &ids, |q| q)
            .await?
            .into_iter()
            .map(|u| (u.id, u.full_name))
            .collect();
    rows.into_iter()
        .map(|r| {
            Ok(StockMove {
                change: Quantity::from_steps(r.change),
                reason: stored("stock_moves.reason", &r.reason)?,
                stock_after: Quantity::from_steps(r.stock_after),
                by: r.by_user.and_then(|id| names.get(&id).cloned()),
                at: r.at,
            })
        })
        .collect()
}
