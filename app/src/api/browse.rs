//! What everyone may see: markets, stalls, products and search. Only approved stalls and their
//! published products are public; an owner and the stall's reviewers also see the rest.
use super::AppError;
use crate::domain::market::Market;
use crate::model::{Hit, Product, Stall};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Most results a search page shows.
pub const SEARCH_LIMIT: usize = 60;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchParams {
    pub q: String,
    pub market: Option<Market>,
    pub min_stars: Option<u8>,
    pub category: Option<crate::domain::category::Category>,
}

#[server(endpoint = "market_stalls")]
pub async fn market_stalls(market: Market) -> Result<Vec<Stall>, AppError> {
    use crate::domain::stall::StallStatus;
    let filter = crate::ports::StallFilter {
        status: Some(StallStatus::Approved),
        market: Some(market),
        ocop: false,
    };
    Ok(super::ports()?.stalls.list(&filter).await?)
}

/// The OCOP collection: certified products of approved stalls, best rated first.
#[server(endpoint = "ocop_products")]
pub async fn ocop_products() -> Result<Vec<Hit>, AppError> {
    let filter = crate::ports::SearchFilter {
        min_stars: Some(3),
        ..Default::default()
    };
    let mut hits = server::hits(&[], &filter).await?;
    hits.sort_by_key(|h| std::cmp::Reverse(h.product.ocop.as_ref().map(|o| o.stars.get())));
    Ok(hits)
}

/// A stall and the products its visitor may see.
#[server(endpoint = "stall_page")]
pub async fn stall_page(slug: String) -> Result<(Stall, Vec<Product>), AppError> {
    let ports = super::ports()?;
    let stall = ports
        .stalls
        .by_slug(&slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let insider = server::is_insider(&stall).await?;
    if !stall.status.is_public() && !insider {
        return Err(AppError::NotFound);
    }
    let products = ports.catalog.of_stall(stall.id, !insider).await?;
    Ok((stall, products))
}

#[server(endpoint = "product_page")]
pub async fn product_page(product_id: i64) -> Result<Hit, AppError> {
    let ports = super::ports()?;
    let (product, stall) = super::product_and_stall(&ports, product_id).await?;
    let public = stall.status.is_public() && product.published;
    if !public && !server::is_insider(&stall).await? {
        return Err(AppError::NotFound);
    }
    Ok(Hit {
        stall_slug: stall.slug,
        stall_name: stall.name,
        place: stall.place,
        product,
    })
}

#[server(endpoint = "search")]
pub async fn search(params: SearchParams) -> Result<Vec<Hit>, AppError> {
    use crate::domain::search::{Query, rank};
    let query = Query::parse(&params.q);
    if query.is_empty()
        && params.market.is_none()
        && params.category.is_none()
        && params.min_stars.is_none()
    {
        return Ok(Vec::new());
    }
    let filter = crate::ports::SearchFilter {
        market: params.market,
        min_stars: params.min_stars,
        category: params.category,
    };
    let hits = server::hits(query.terms(), &filter).await?;
    // The database narrows by folded terms; the ranking (exact accents first) is domain logic,
    // the same whichever database answered.
    let mut ranked: Vec<(u8, Hit)> = hits
        .into_iter()
        .filter_map(|hit| {
            let other = format!(
                "{} {} {}",
                hit.stall_name,
                crate::model::place_words(&hit.place),
                hit.product.description_vi
            );
            let r = if query.is_empty() {
                Some(1)
            } else {
                rank(&query, &hit.product.name, &other)
            };
            r.map(|r| (r, hit))
        })
        .collect();
    ranked.sort_by(|(ra, a), (rb, b)| ra.cmp(rb).then_with(|| a.product.name.cmp(&b.product.name)));
    Ok(ranked
        .into_iter()
        .take(SEARCH_LIMIT)
        .map(|(_, hit)| hit)
        .collect())
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::AppError;
    use crate::model::{Hit, Stall};

    pub async fn hits(
        terms: &[String],
        filter: &crate::ports::SearchFilter,
    ) -> Result<Vec<Hit>, AppError> {
        let found = crate::api::ports()?.catalog.search(terms, filter).await?;
        Ok(found
            .into_iter()
            .map(|(product, stall)| Hit {
                stall_slug: stall.slug,
                stall_name: stall.name,
                place: stall.place,
                product,
            })
            .collect())
    }

    /// The stall's owner, and whoever may review it, see it before it is public.
    pub async fn is_insider(stall: &Stall) -> Result<bool, AppError> {
        Ok(match crate::api::session::current_user().await? {
            Some(user) => user.id == stall.owner_id || user.actor().can_review(&stall.place),
            None => false,
        })
    }
}
