//! Routes that are not pages: health, language switch, photos; the cross-site guard, the
//! sessions' keep-alive and the pages' caching rules.
pub mod api_v1;
pub mod assets;
pub mod bank_hooks;
pub mod client_addr;
pub mod csrf;
pub mod health;
pub mod lang;
pub mod live_events;
pub mod new_product;
pub mod page_cache;
pub mod photos;
pub mod refusals;
pub mod registry;
pub mod sessions;
pub mod statements;
pub mod stripe_webhook;
pub mod upload;
