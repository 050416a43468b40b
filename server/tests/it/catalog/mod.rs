//! The catalog vendors build and shoppers browse: stalls, products, their photos, and search.
mod photos;
mod products;
mod search;
mod stalls;
mod stock;
