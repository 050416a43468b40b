//! Chợ Số — the Leptos application shared by the server (feature `ssr`) and the browser (`hydrate`).
//!
//! - [`domain`]: the rules of the market (money, quantities, phones, search folding, stall states),
//!   plain Rust with no I/O, used on both sides.
//! - [`api`]: server functions — parse input, check who may do it, call a port, map errors.
//! - [`ports`] (server only): what the api needs from persistence; the `server` crate provides it.
//! - [`pages`] and [`components`]: the interface, in Vietnamese and English ([`i18n`]), with the
//!   market's vocabulary (markets, units, statuses…) named by [`vocab`].
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod domain;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ports;
pub mod vocab;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
