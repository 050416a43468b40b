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
    QuerySelect, Select,
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
    let page: Vec<(i64, i64)> = page_of_matches(db.get_database_backend(), query, filter, window)
        .into_tuple()
        .all(db)
        .await
        .map_err(backend)?;
    let total = page.first().map_or(0, |(_, total)| *total as u64);
    let ids: Vec<i64> = page.iter().map(|(id, _)| *id).collect();
    Ok((in_order(db, &ids).await?, total))
}

/// The ids of one page of the matches, best first, each with how many match in all.
fn page_of_matches(
    kind: DbBackend,
    query: &Query,
    filter: &SearchFilter,
    window: Window,
) -> Select<product::Entity> {
    let mut select = product::Entity::find()
        .select_only()
        .column(product::Column::Id)
        // Counted over every match before the page is cut: the ranking reads them all anyway.
        .column_as(Expr::cust("COUNT(*) OVER ()"), "total");
    select = match query.is_empty() {
        true => select.join(JoinType::InnerJoin, product_stall()),
        // Words typed: the products are read from the word index's matches, each then finding
        // its stall by key. SQLite keeps the left side of a `CROSS JOIN` as the outer loop;
        // left to its planner, on a catalogue of many stalls it started from the approved
        // stalls and checked every product of each against the matches (1.1 s for `sa pa` at
        // 50,000 products, against milliseconds this way). `CROSS JOIN` takes no `ON`, so the
        // stall is matched in `WHERE`; PostgreSQL plans both forms alike.
        false => select.join(JoinType::CrossJoin, product_stall()).filter(
            Expr::col((product::Entity, product::Column::StallId))
                .equals((stall::Entity, stall::Column::Id)),
        ),
    };
    select = select
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
    select
        .order_by(by_name(kind), Order::Asc)
        .order_by_asc(product::Column::Id)
        .offset(window.offset)
        .limit(window.limit)
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

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{QueryTrait, Statement};

    /// SQLite must read the word index's matches first and find each one's stall by key. Left
    /// to choose, it started from the approved stalls and checked each of their products
    /// against the matches, on any catalogue: a second per search at 50,000 products.
    #[tokio::test]
    async fn sqlite_reads_the_word_index_matches_first_then_each_ones_stall() {
        let (_dir, db) = super::super::scratch_sqlite().await;
        super::super::migrate(&db).await.unwrap();
        let window = app::domain::paging::PageNo::default().window(25);
        let select = page_of_matches(
            DbBackend::Sqlite,
            &Query::parse("sa pa"),
            &SearchFilter::default(),
            window,
        );
        let built = select.build(DbBackend::Sqlite);
        let explain = Statement::from_sql_and_values(
            DbBackend::Sqlite,
            format!("EXPLAIN QUERY PLAN {}", built.sql),
            built.values.unwrap_or_else(|| sea_orm::Values(Vec::new())),
        );
        let plan: Vec<String> = db
            .query_all_raw(explain)
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get_by_index::<String>(3).unwrap())
            .collect();
        let step = |start: &str| plan.iter().position(|line| line.starts_with(start));
        let products = step("SEARCH products USING INTEGER PRIMARY KEY");
        let stalls = step("SEARCH stalls USING INTEGER PRIMARY KEY");
        assert!(
            products.is_some() && products < stalls,
            "products by the matches' keys, then their stalls: {plan:#?}"
        );
    }
}
