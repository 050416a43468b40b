//! The catalogue: products saved by their vendors, what a visitor may see of a stall, and
//! search.
use crate::api::AppError;
use crate::api::browse::{SEARCH_PAGE, SearchParams, SearchResults};
use crate::authz::{OwnerOf, is_insider};
use crate::domain::id::ProductId;
use crate::domain::invalid::Invalid;
use crate::domain::paging::{PageNo, Paged};
use crate::domain::quantity::{Quantity, Unit};
use crate::domain::stock::StockReason;
use crate::model::{
    Hit, Product, ProductDraft, ProductView, Shelf, Stall, StallCard, StallsOfMarket, User,
};
use crate::ports::{Created, NewProduct, Ports, SearchFilter, Shelves, StoreError};
use std::collections::HashMap;

/// Saves changes to the owner's product `product_id`, or adds a new one to their stall.
/// Returns the product's id. A stock that sold while the form was open keeps those sales: only
/// the vendor's change to it is applied, or, when that no longer fits, the save is refused
/// with the stock as it is now.
#[tracing::instrument(skip_all, fields(stall = %owner.stall.id, product = ?product_id))]
pub async fn save_product(
    ports: &Ports,
    owner: &OwnerOf,
    product_id: Option<ProductId>,
    draft: &ProductDraft,
) -> Result<ProductId, AppError> {
    let by = owner.actor.user_id;
    match product_id {
        Some(id) => {
            owner.owns_product(ports, id).await?;
            ports
                .catalog
                .update(id, draft, by)
                .await
                .map_err(|e| stock_refusal(e, "stock", draft.unit))?;
            Ok(id)
        }
        None => {
            let product = NewProduct {
                draft,
                photos: &[],
                submission: None,
            };
            Ok(add_product(ports, owner, product).await?.id())
        }
    }
}

/// Adds a product with its photos to the owner's stall, or finds the one its submission
/// added before.
#[tracing::instrument(skip_all, fields(stall = %owner.stall.id, photos = product.photos.len()))]
pub async fn add_product(
    ports: &Ports,
    owner: &OwnerOf,
    product: NewProduct<'_>,
) -> Result<Created, AppError> {
    let by = owner.actor.user_id;
    Ok(ports.catalog.create(owner.stall.id, product, by).await?)
}

/// How many changes of a product's stock its edit page lists.
pub const STOCK_HISTORY_SHOWN: u64 = 20;

/// The owner records goods received (`Received`) or gone (`Spoiled`) for their product,
/// `amount` more than zero: one change to whatever is left now. Returns the stock it left.
#[tracing::instrument(skip_all, fields(product = %product.id, reason = %reason))]
pub async fn adjust_stock(
    ports: &Ports,
    owner: &OwnerOf,
    product: &Product,
    reason: StockReason,
    amount: Quantity,
) -> Result<Quantity, AppError> {
    let change = match reason {
        StockReason::Spoiled => -amount.steps(),
        StockReason::Received | StockReason::Listed | StockReason::Counted => amount.steps(),
    };
    ports
        .catalog
        .adjust_stock(product.id, change, reason, owner.actor.user_id)
        .await
        .map_err(|e| stock_refusal(e, "amount", product.unit))
}

/// A stock change that no longer fits, as an error on the form's `field` that shows the stock
/// as it is now; any other error as it is.
fn stock_refusal(err: StoreError, field: &'static str, unit: Unit) -> AppError {
    match err {
        StoreError::StockMoved(now) => AppError::field(field, Invalid::StockMoved { now, unit }),
        other => other.into(),
    }
}

/// How many products one page of a stall shows: six rows of two on a phone.
pub const STALL_PRODUCTS_PER_PAGE: u32 = 12;

/// How many stalls one page of a market shows.
pub const MARKET_STALLS_PER_PAGE: u32 = 24;

/// A stall and one page of the products `viewer` may see: the public ones, or all of them for its owner
/// and its reviewers. A stall that isn't public is "not found" to everyone else.
#[tracing::instrument(skip_all)]
pub async fn stall_page(
    ports: &Ports,
    viewer: Option<&User>,
    slug: &str,
    page: PageNo,
) -> Result<(Stall, Paged<Product>), AppError> {
    let stall = ports
        .stalls
        .by_slug(slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let insider = is_insider(viewer, &stall);
    if !stall.status.is_public() && !insider {
        return Err(AppError::NotFound);
    }
    let window = page.window(STALL_PRODUCTS_PER_PAGE);
    let rows = ports
        .catalog
        .page_of_stall(stall.id, !insider, window)
        .await?;
    Ok((stall, Paged::from_window(rows, page, window)))
}

/// A product as `viewer` may see it: hidden products and stalls not yet public only to the
/// stall's owner and reviewers; with whether its stall can be paid now.
#[tracing::instrument(skip_all)]
pub async fn product_page(
    ports: &Ports,
    viewer: Option<&User>,
    product_id: ProductId,
) -> Result<ProductView, AppError> {
    let (product, stall) = ports.product_and_stall(product_id).await?;
    let public = stall.status.is_public() && product.published;
    if !public && !is_insider(viewer, &stall) {
        return Err(AppError::NotFound);
    }
    let payable = !super::setup::methods(ports, &stall).await?.is_empty();
    Ok(ProductView {
        hit: Hit::new(product, stall),
        payable,
    })
}

/// The `window` of the published products of approved stalls matching `query` and `filter`,
/// best first, with their stall; and how many match in all.
pub async fn hits(
    ports: &Ports,
    query: &crate::domain::search::Query,
    filter: &SearchFilter,
    window: crate::domain::paging::Window,
) -> Result<(Vec<Hit>, u64), AppError> {
    let (found, total) = ports.catalog.search(query, filter, window).await?;
    let hits = found
        .into_iter()
        .map(|(product, stall)| Hit::new(product, stall))
        .collect();
    Ok((hits, total))
}

/// How many products one page of the OCOP collection shows: six rows of four on a wide screen.
pub const OCOP_PER_PAGE: u32 = 24;

/// A page of the OCOP collection: certified products of approved stalls, most stars first,
/// then by name; and how many there are in all. Ranked and counted by the database in one
/// query, so any page holds the right products however large the collection.
#[tracing::instrument(skip_all)]
pub async fn ocop_products(ports: &Ports, page: PageNo) -> Result<SearchResults, AppError> {
    let filter = SearchFilter {
        min_stars: Some(3),
        best_rated_first: true,
        ..Default::default()
    };
    let window = page.window(OCOP_PER_PAGE);
    let (found, total) = hits(ports, &Default::default(), &filter, window).await?;
    Ok(SearchResults {
        hits: Paged::from_window(found, page, window),
        total,
    })
}

/// How many products each shelf of the home page shows: two rows of two on a phone.
pub const SHELF_SIZE: u64 = 4;

/// How many product photos a stall's card on its market's page shows.
pub const CARD_THUMBS: u64 = 3;

/// The home page's shelves: a few products of each market, in the order of
/// [`Market::ALL`](crate::domain::market::Market::ALL), then a few OCOP products.
#[tracing::instrument(skip_all)]
pub async fn home_shelves(ports: &Ports) -> Result<Vec<Shelf>, AppError> {
    use crate::domain::market::Market;
    let mut shelves: Vec<Shelf> = Market::ALL
        .into_iter()
        .map(|m| Shelf {
            market: Some(m),
            hits: Vec::new(),
        })
        .collect();
    for (product, stall) in ports.catalog.shelves(Shelves::Markets, SHELF_SIZE).await? {
        let shelf = shelves.iter_mut().find(|s| s.market == stall.market());
        if let Some(shelf) = shelf {
            shelf.hits.push(Hit::new(product, stall));
        }
    }
    let ocop = ports.catalog.shelves(Shelves::Ocop, SHELF_SIZE).await?;
    shelves.push(Shelf {
        market: None,
        hits: ocop.into_iter().map(|(p, s)| Hit::new(p, s)).collect(),
    });
    Ok(shelves)
}

/// One page of a market's approved stalls in Vietnamese alphabetical order, each with a few
/// of its products' photos, read for the whole page at once, and how many stalls the market
/// has. The order is Vietnamese, which neither database's collation follows, so the market's
/// stall rows are sorted here; a market holds at most a few thousand, and the photos, the
/// costly part, are read for one page only.
#[tracing::instrument(skip_all, fields(market = %market))]
pub async fn market_stalls(
    ports: &Ports,
    market: crate::domain::market::Market,
    page: PageNo,
) -> Result<StallsOfMarket, AppError> {
    use crate::domain::stall::StallStatus;
    let filter = crate::ports::StallFilter {
        status: Some(StallStatus::Approved),
        market: Some(market),
        ocop: false,
    };
    let mut stalls = ports.stalls.list(&filter).await?;
    crate::domain::collation::sort_by_name(&mut stalls, |s| &s.name);
    let total = stalls.len();
    let window = page.window(MARKET_STALLS_PER_PAGE);
    let stalls: Vec<_> = stalls
        .into_iter()
        .skip(usize::try_from(window.offset).unwrap_or(usize::MAX))
        .take(window.limit as usize)
        .collect();
    let ids: Vec<_> = stalls.iter().map(|s| s.id).collect();
    let mut thumbs: HashMap<_, Vec<String>> = HashMap::new();
    for (product, _) in ports
        .catalog
        .shelves(Shelves::Stalls(&ids), CARD_THUMBS)
        .await?
    {
        if let Some(photo) = product.photos.into_iter().next() {
            thumbs.entry(product.stall_id).or_default().push(photo);
        }
    }
    let cards = stalls
        .into_iter()
        .map(|stall| StallCard {
            thumbs: thumbs.remove(&stall.id).unwrap_or_default(),
            stall,
        })
        .collect();
    Ok(StallsOfMarket {
        cards: Paged::from_window(cards, page, window),
        total,
    })
}

/// A page of a search: the database finds and ranks (exact accents first, see
/// [`rank`](crate::domain::search::rank)), so the page holds the best matches however many
/// there are. Nothing asked, nothing found.
#[tracing::instrument(skip_all)]
pub async fn search(ports: &Ports, params: &SearchParams) -> Result<SearchResults, AppError> {
    use crate::domain::paging::Paged;
    use crate::domain::search::Query;
    let query = Query::parse(&params.q);
    // Checked as it was read: a page out of range never reaches here.
    let page = params.page;
    if query.is_empty()
        && params.market.is_none()
        && params.category.is_none()
        && params.min_stars.is_none()
    {
        return Ok(SearchResults {
            hits: Paged::from_window(Vec::new(), page, page.window(SEARCH_PAGE)),
            total: 0,
        });
    }
    let filter = SearchFilter {
        market: params.market,
        min_stars: params.min_stars,
        category: params.category,
        best_rated_first: false,
    };
    let window = page.window(SEARCH_PAGE);
    let (found, total) = hits(ports, &query, &filter, window).await?;
    Ok(SearchResults {
        hits: Paged::from_window(found, page, window),
        total,
    })
}
