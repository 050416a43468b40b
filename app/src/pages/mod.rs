//! One module per page of the site.
pub mod account;
pub mod admin;
pub mod home;
pub mod market;
pub mod new_product;
pub mod not_found;
pub mod product;
pub mod purchases;
pub mod registry;
pub mod report;
pub mod review;
pub mod sales;
pub mod search;
pub mod shop;
pub mod stall;
pub mod stock;
pub mod vendor;
