//! Chợ Số — the Leptos application shared by the server (feature `ssr`) and the browser (`hydrate`).
//!
//! - [`domain`]: the rules of the market (money, quantities, phones, search folding, stall states),
//!   plain Rust with no I/O, used on both sides.
//! - [`api`]: server functions — parse input, check who may do it, call a use case, map errors.
//! - [`service`] (server only): the use cases, one module per area of the product, called by
//!   server functions and by the `server` crate's routes, jobs, webhook and command line alike.
//! - [`authz`] (server only): who may do what, as guard types that server functions and axum
//!   routes obtain the same way.
//! - [`ports`] (server only): what the use cases need from persistence and payment processors;
//!   the `server` crate provides it.
//! - [`pages`] and [`components`]: the interface, in Vietnamese and English ([`i18n`]), with the
//!   market's vocabulary (markets, units, statuses…) named by [`vocab`].
#![recursion_limit = "256"]

pub mod api;
pub mod app;
#[cfg(feature = "ssr")]
pub mod authz;
pub mod components;
pub mod domain;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ports;
#[cfg(feature = "ssr")]
pub mod service;
pub mod vocab;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
