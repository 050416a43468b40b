//! What everyone may see: markets, stalls, products and search. Only approved stalls and their
//! published products are public; an owner and the stall's reviewers also see the rest.
use super::AppError;
use crate::domain::id::ProductId;
use crate::domain::market::Market;
use crate::domain::paging::{PageNo, Paged};
use crate::model::{Hit, Product, Shelf, Stall, StallsOfMarket};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How many products a page of search results shows: six rows of four on a wide screen.
pub const SEARCH_PAGE: u32 = 24;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchParams {
    pub q: String,
    pub market: Option<Market>,
    pub min_stars: Option<u8>,
    pub category: Option<crate::domain::category::Category>,
    /// Which page of the results; the first when left out.
    #[serde(default)]
    pub page: PageNo,
}

/// A page of search results, and how many products match in all (0 past the last page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Paged<Hit>,
    pub total: u64,
}

/// A page (the first when none is given) of a market's approved stalls, in Vietnamese
/// alphabetical order, with a few product photos each.
#[server(endpoint = "market_stalls")]
pub async fn market_stalls(
    market: Market,
    page: Option<PageNo>,
) -> Result<StallsOfMarket, AppError> {
    let page = page.unwrap_or_default();
    crate::service::catalog::market_stalls(&super::ports()?, market, page).await
}

/// The home page's shelves: a few products of each market and of OCOP.
#[server(endpoint = "home_shelves")]
pub async fn home_shelves() -> Result<Vec<Shelf>, AppError> {
    crate::service::catalog::home_shelves(&super::ports()?).await
}

/// A page (the first when none is given) of the OCOP collection: certified products of
/// approved stalls, best rated first; and how many there are.
#[server(endpoint = "ocop_products")]
pub async fn ocop_products(page: Option<PageNo>) -> Result<SearchResults, AppError> {
    let page = page.unwrap_or_default();
    crate::service::catalog::ocop_products(&super::ports()?, page).await
}

/// A stall and a page (the first when none is given) of the products its visitor may see.
#[server(endpoint = "stall_page")]
pub async fn stall_page(
    slug: String,
    page: Option<PageNo>,
) -> Result<(Stall, Paged<Product>), AppError> {
    let viewer = super::session::current_user().await?;
    let page = page.unwrap_or_default();
    crate::service::catalog::stall_page(&super::ports()?, viewer.as_ref(), &slug, page).await
}

/// A product, its stall, and whether the stall can be paid now.
#[server(endpoint = "product_page")]
pub async fn product_page(product_id: ProductId) -> Result<crate::model::ProductView, AppError> {
    let viewer = super::session::current_user().await?;
    crate::service::catalog::product_page(&super::ports()?, viewer.as_ref(), product_id).await
}

#[server(endpoint = "search")]
pub async fn search(params: SearchParams) -> Result<SearchResults, AppError> {
    crate::service::catalog::search(&super::ports()?, &params).await
}
