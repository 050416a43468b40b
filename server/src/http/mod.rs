//! Routes that are not pages: health, language switch, photos; the cross-site guard and the
//! sessions' keep-alive.
pub mod api_v1;
pub mod client_addr;
pub mod csrf;
pub mod health;
pub mod lang;
pub mod photos;
pub mod registry;
pub mod sessions;
pub mod statements;
pub mod stripe_webhook;
pub mod upload;
