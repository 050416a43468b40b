//! Server functions. Each one parses its input into domain types, checks on the server who may
//! do it, calls a port and maps failures to [`AppError`]. Endpoints are named so their URLs are
//! stable (`/api/<name>`) for plain HTML forms and for the authorization tests.
pub mod auth;
pub mod browse;
pub mod error;
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

/// A product and the stall that sells it, or "not found".
#[cfg(feature = "ssr")]
pub async fn product_and_stall(
    ports: &crate::ports::Ports,
    product_id: i64,
) -> Result<(crate::model::Product, crate::model::Stall), AppError> {
    let product = ports
        .catalog
        .by_id(product_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let stall = ports
        .stalls
        .by_id(product.stall_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((product, stall))
}
