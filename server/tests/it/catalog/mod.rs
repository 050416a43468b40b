//! The catalog vendors build and shoppers browse: stalls, products, their photos, search, and
//! the storefront (the home page and the markets' pages).
mod listing;
mod new_product;
mod paging;
mod photos;
mod products;
mod search;
mod search_scale;
mod stalls;
mod stock;
mod storefront;
