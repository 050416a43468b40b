//! Chợ Số's server: configuration, database, sessions, the routes that are not pages, and the
//! `choso` command line. Pages and server functions come from the `app` crate.
pub mod config;
pub mod db;
pub mod http;
pub mod jobs;
pub mod live;
pub mod page_cache;
pub mod payments;
pub mod photos;
pub mod registry;
pub mod report;
pub mod sealed;
pub mod seed;
pub mod startup;
pub mod statements;
pub mod telemetry;
