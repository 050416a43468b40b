//! The catalog vendors build and shoppers browse: stalls, products, their photos, and search.
mod listing;
mod photos;
mod products;
mod search;
mod stalls;
mod stock;
