//! Search: a word index narrows the products, and the database ranks them, so one page of
//! the best matches is read however many products match.
//!
//! - Which products match: every folded term must be a word of the product's search document
//!   (a term of 1–3 letters the whole word, a longer one the start of a word: the rule of
//!   [`app::domain::search::word_needle`]). SQLite asks its FTS5 table `product_search`
//!   (`"ca" "phe"`, `"buffal"*`); PostgreSQL the GIN-indexed `search_vector`
//!   (`'ca' & 'phe'`, `'buffal':*`). Both index the same words, split at the document's
//!   spaces, so both find the same products.
//! - In which order: [`app::domain::search::rank`]'s, computed from the stored forms of the
//!   name (`name_words`, `name_accents`); then by name, compared byte by byte on both
//!   databases, then by id, so pages never overlap or skip a product.
use super::backend;
use super::catalog::{product_stall, with_photos};
use super::entities::{product, stall};
use app::domain::id::StallId;
use app::domain::paging::Window;
use app::domain::search::{Query, matches_word_starts, word_needle};
use app::domain::stall::StallStatus;
use app::model::{Product, Stall};
use app::ports::{SearchFilter, StoreResult};
use sea_orm::sea_query::{Expr, ExprTrait, Order};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::HashMap;

/// One page of the published products of approved stalls matching `query` and `filter`, best
/// first, with their stall; and how many match in all.
pub(crate) async fn search(
    db: &impl ConnectionTrait,
    query: &Query,
    filter: &SearchFilter,
    window: Window,
) -> StoreResult<(Vec<(Product, Stall)>, u64)> {
    let kind = db.get_database_backend();
    let mut select = product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        // Counted over every match before the page is cut: the ranking reads them all anyway.
        .column_as(Expr::cust("COUNT(*) OVER ()"), "total")
        .join(JoinType::InnerJoin, product_stall())
        .filter(product::Column::Published.eq(true))
        .filter(stall::Column::Status.eq(StallStatus::Approved.slug()));
    if !query.is_empty() {
        select = select.filter(indexed_match(kind, query.terms()));
    }
    if let Some(market) = filter.market {
        select = select.filter(stall::Column::Market.eq(market.slug()));
    }
    if let Some(stars) = filter.min_stars {
        select = select.filter(product::Column::OcopStars.gte(i16::from(stars)));
    }
    if let Some(category) = filter.category {
        select = select.filter(product::Column::Category.eq(category.slug()));
    }
    if filter.best_rated_first {
        // Products without stars last, on both databases (PostgreSQL puts NULL first going
        // down).
        let stars = Expr::col((product::Entity, product::Column::OcopStars)).if_null(0);
        select = select.order_by(stars, Order::Desc);
    }
    if !query.is_empty() {
        select = select.order_by(rank(kind, query), Order::Asc);
    }
    let page: Vec<(i64, i64)> = select
        .order_by(by_name(kind), Order::Asc)
        .order_by_asc(product::Column::Id)
        .offset(window.offset)
        .limit(window.limit)
        .into_tuple()
        .all(db)
        .await
        .map_err(backend)?;
    let total = page.first().map_or(0, |(_, total)| *total as u64);
    let ids: Vec<i64> = page.iter().map(|(id, _)| *id).collect();
    Ok((in_order(db, &ids).await?, total))
}

/// The products of `ids`, in that order, with their photos and stall.
async fn in_order(db: &impl ConnectionTrait, ids: &[i64]) -> StoreResult<Vec<(Product, Stall)>> {
    let mut rows: HashMap<i64, product::Model> =
        super::find_in::<product::Entity, _>(db, product::Column::Id, ids, |q| q)
            .await?
            .into_iter()
            .map(|row| (row.id, row))
            .collect();
    let rows: Vec<product::Model> = ids.iter().filter_map(|id| rows.remove(id)).collect();
    let stall_ids: Vec<StallId> = rows.iter().map(|r| StallId::new(r.stall_id)).collect();
    let stalls = super::stalls::by_ids(db, &stall_ids).await?;
    Ok(with_photos(db, rows)
        .await?
        .into_iter()
        .filter_map(|p| stalls.get(&p.stall_id).cloned().map(|s| (p, s)))
        .collect())
}

/// The products holding every term, found through the word index. Folded terms hold only
/// letters and digits, so quoting them is enough to keep them from the query languages'
/// operators.
fn indexed_match(kind: DbBackend, terms: &[String]) -> Expr {
    match kind {
        DbBackend::Postgres => {
            let query = terms
                .iter()
                .map(|t| match matches_word_starts(t) {
                    true => format!("'{t}':*"),
                    false => format!("'{t}'"),
                })
                .collect::<Vec<_>>()
                .join(" & ");
            Expr::cust_with_values(
                r#""products"."search_vector" @@ CAST($1 AS tsquery)"#,
                [query],
            )
        }
        _ => {
            let query = terms
                .iter()
                .map(|t| match matches_word_starts(t) {
                    true => format!("\"{t}\"*"),
                    false => format!("\"{t}\""),
                })
                .collect::<Vec<_>>()
                .join(" ");
            Expr::cust_with_values(
                r#""products"."id" IN (SELECT rowid FROM product_search WHERE product_search MATCH ?)"#,
                [query],
            )
        }
    }
}

/// [`app::domain::search::rank`] as SQL: 0 when every term is in the name and every word
/// typed with accents begins a word of the name with those accents, 1 when every term is in
/// the name, 2 when some are found only elsewhere (stall, market, descriptions).
fn rank(kind: DbBackend, query: &Query) -> Expr {
    let in_name = || {
        query
            .terms()
            .iter()
            .map(|t| contains(kind, NAME_WORDS, word_needle(t)))
            .reduce(ExprTrait::and)
            .unwrap_or(Expr::value(true))
    };
    let accents = query
        .accented()
        .iter()
        .map(|k| contains(kind, NAME_ACCENTS, format!(" {k}")))
        .reduce(ExprTrait::and);
    let mut case = Expr::case(in_name().and(accents.unwrap_or(Expr::value(false))), 0);
    case = case.case(in_name(), 1);
    case.finally(2).into()
}

const NAME_WORDS: &str = r#""products"."name_words""#;
const NAME_ACCENTS: &str = r#""products"."name_accents""#;

/// Whether the text of `column` holds `needle`, compared as plain text: `_` and the accent
/// keys' tone symbols mean nothing special to `instr` and `strpos`, as they would to `LIKE`.
fn contains(kind: DbBackend, column: &str, needle: String) -> Expr {
    let sql = match kind {
        DbBackend::Postgres => format!("strpos({column}, $1) > 0"),
        _ => format!("instr({column}, ?) > 0"),
    };
    Expr::cust_with_values(sql, [needle])
}

/// Names in the order of their bytes, which is SQLite's and Rust's: PostgreSQL would compare
/// them by its database's locale.
fn by_name(kind: DbBackend) -> Expr {
    match kind {
        DbBackend::Postgres => Expr::cust(r#""products"."name" COLLATE "C""#),
        _ => Expr::col((product::Entity, product::Column::Name)),
    }
}
