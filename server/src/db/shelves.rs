//! The storefront's shelves: a few products from each market, from OCOP, or from each stall of a
//! market page, chosen by the database in one query whatever the number of shelves
//! (`ROW_NUMBER() OVER (PARTITION BY …)`, which SQLite and PostgreSQL both run), then their
//! photos and stalls in one query each. A shelf shows products with a photo first, and one
//! product of each of several stalls before a second of any; the newest first.
//!
//! Only a stall's first `per_shelf` products in that order can reach a shelf of `per_shelf`:
//! each one before them in the stall's order is before them on the shelf too. So the ranking
//! reads those few of each approved stall through the index `products_shelf`
//! (`stall_id, has_photo, id`, read backwards), not every product of the catalogue: a
//! correlated `IN (… LIMIT n)` on SQLite, a `LATERAL` join on PostgreSQL, whose planner
//! would otherwise check the subquery against every product row.
use super::backend;
use super::catalog::with_photos;
use super::entities::{product, stall};
use app::domain::stall::StallStatus;
use app::model::{Product, Stall};
use app::ports::{Shelves, StoreResult};
use sea_orm::sea_query::{
    Alias, Asterisk, Expr, ExprTrait, Order, OverStatement, Query, SelectStatement, WindowStatement,
};
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, JoinType};

/// The rank of a product on its shelf, 1 first.
const RANK: &str = "shelf_rank";
/// The rank of a product among its stall's.
const STALL_RANK: &str = "stall_rank";
/// A stall's own products, read for its few first.
const PICK: &str = "pick";
/// Which shelf a product goes on.
const SHELF: &str = "shelf";

pub(crate) async fn shelves(
    db: &impl ConnectionTrait,
    shelves: Shelves<'_>,
    per_shelf: u64,
) -> StoreResult<Vec<(Product, Stall)>> {
    if per_shelf == 0 || matches!(shelves, Shelves::Stalls([])) {
        return Ok(Vec::new());
    }
    let engine = db.get_database_backend();
    let top = top_of_each_shelf(engine, shelves, per_shelf);
    let rows = product::Entity::find()
        .from_raw_sql(engine.build(&top))
        .all(db)
        .await
        .map_err(backend)?;
    let stall_ids: Vec<_> = rows
        .iter()
        .map(|r| app::domain::id::StallId::new(r.stall_id))
        .collect();
    let stalls = super::stalls::by_ids(db, &stall_ids).await?;
    let products = with_photos(db, rows).await?;
    Ok(products
        .into_iter()
        .filter_map(|p| stalls.get(&p.stall_id).cloned().map(|s| (p, s)))
        .collect())
}

/// A column of the products a stall's few are read from.
fn picked(column: product::Column) -> Expr {
    Expr::col((Alias::new(PICK), column))
}

/// The first `per_shelf` products of the stall of the outer query's row, in a shelf's order:
/// published, not sold out, and on `shelves`'s terms. Read through `products_shelf`, or
/// `products_ocop_shelf` for OCOP, whose condition the query repeats so the planner takes it.
fn first_of_stall(shelves: Shelves<'_>, per_shelf: u64) -> SelectStatement {
    let mut pick = Query::select();
    pick.from_as(product::Entity, Alias::new(PICK))
        .and_where(picked(product::Column::StallId).equals((stall::Entity, stall::Column::Id)))
        .and_where(picked(product::Column::Published).eq(true))
        .and_where(
            picked(product::Column::Stock)
                .is_null()
                .or(picked(product::Column::Stock).gt(0)),
        );
    match shelves {
        Shelves::Ocop => {
            pick.and_where(picked(product::Column::OcopStars).is_not_null());
        }
        // A card's thumbnails are photos: a product without one has nothing to show there.
        Shelves::Stalls(_) => {
            pick.and_where(picked(product::Column::HasPhoto).eq(true));
        }
        Shelves::Markets => {}
    }
    pick.order_by((Alias::new(PICK), product::Column::HasPhoto), Order::Desc)
        .order_by((Alias::new(PICK), product::Column::Id), Order::Desc)
        .limit(per_shelf)
        .to_owned()
}

/// The rows of the products on each shelf, best first.
fn top_of_each_shelf(engine: DbBackend, shelves: Shelves<'_>, per_shelf: u64) -> SelectStatement {
    let mut candidates = Query::select();
    candidates
        .column((product::Entity, Asterisk))
        .from(stall::Entity)
        .and_where(
            Expr::col((stall::Entity, stall::Column::Status)).eq(StallStatus::Approved.slug()),
        );
    let mut pick = first_of_stall(shelves, per_shelf);
    if engine == DbBackend::Postgres {
        pick.column((Alias::new(PICK), Asterisk));
        candidates.join_lateral(JoinType::InnerJoin, pick, product::Entity, Expr::val(true));
    } else {
        pick.column((Alias::new(PICK), product::Column::Id));
        candidates.join(
            JoinType::InnerJoin,
            product::Entity,
            Expr::col((product::Entity, product::Column::Id)).in_subquery(pick),
        );
    }
    // The shelf a product goes on; none for OCOP's single shelf.
    let shelf = match shelves {
        Shelves::Markets => {
            candidates.and_where(Expr::col((stall::Entity, stall::Column::Market)).is_not_null());
            Some(Expr::col((stall::Entity, stall::Column::Market)))
        }
        Shelves::Ocop => None,
        Shelves::Stalls(ids) => {
            candidates.and_where(
                Expr::col((stall::Entity, stall::Column::Id)).is_in(ids.iter().map(|id| id.get())),
            );
            Some(Expr::col((product::Entity, product::Column::StallId)))
        }
    };
    // First each product's rank within its stall, so a shelf takes one product from each of
    // several stalls before a second from any of them.
    let mut in_stall = WindowStatement::partition_by((product::Entity, product::Column::StallId));
    in_stall
        .order_by((product::Entity, product::Column::HasPhoto), Order::Desc)
        .order_by((product::Entity, product::Column::Id), Order::Desc);
    let spread =
        candidates.expr_window_as(Expr::cust("ROW_NUMBER()"), in_stall, Alias::new(STALL_RANK));
    let mut on_shelf = WindowStatement::new();
    if let Some(shelf) = shelf {
        spread.expr_as(shelf, Alias::new(SHELF));
        on_shelf.partition_by(Alias::new(SHELF));
    }
    on_shelf
        .order_by(Alias::new("has_photo"), Order::Desc)
        .order_by(Alias::new(STALL_RANK), Order::Asc)
        .order_by(Alias::new("id"), Order::Desc);
    let ranked = Query::select()
        .column(Asterisk)
        .from_subquery(spread.to_owned(), Alias::new("spread"))
        .expr_window_as(Expr::cust("ROW_NUMBER()"), on_shelf, Alias::new(RANK))
        .to_owned();
    Query::select()
        .column(Asterisk)
        .from_subquery(ranked, Alias::new("ranked"))
        .and_where(Expr::col(Alias::new(RANK)).lte(per_shelf))
        .order_by(Alias::new(RANK), Order::Asc)
        .to_owned()
}
