//! Server functions: the browser's door to the [`service`](crate::service) layer. Each one
//! parses its input into domain types, checks on the server who may do it through
//! [`authz`](crate::authz), calls one use case (or, for a plain read, one port) and maps the
//! answer; failures are [`AppError`]s. Endpoints are named so their URLs are
//! stable (`/api/<name>`) for plain HTML forms and for the authorization tests.
pub mod auth;
pub mod bank;
pub mod browse;
pub mod collect;
pub mod error;
pub mod notice;
pub mod products;
pub mod refused;
pub mod reports;
pub mod review;
pub mod sales;
#[cfg(feature = "ssr")]
pub mod session;
pub mod shop;
pub mod stalls;

pub use error::AppError;

/// The port implementations the server put into this request's context.
#[cfg(feature = "ssr")]
pub fn ports() -> Result<crate::ports::Ports, AppError> {
    leptos::prelude::use_context::<crate::ports::Ports>()
        .ok_or_else(|| error::unexpected("ports missing from the request context"))
}
