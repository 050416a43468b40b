//! What the product does, one module per area: the use cases behind every page, form, job and
//! command (server only).
//!
//! A use case takes the [`Ports`](crate::ports::Ports) and plain domain values and returns a
//! domain answer or an [`AppError`](crate::api::AppError). It never reads the request: who is
//! asking has already been checked by the caller through [`crate::authz`], and the caller —
//! a server function in [`crate::api`], an axum handler, a job, the webhook, the command line
//! or the demo seed — passes in what it knows. So the same rule runs the same way whichever
//! door a request came through.
//!
//! - [`accounts`]: passwords, signing in with its attempt limits, appointing market managers.
//! - [`stalls`]: opening and editing a stall, sending it for review.
//! - [`setup`]: a stall's set-up checklist, and the rule that a stall nobody can pay is neither
//!   approved nor sold from.
//! - [`catalog`]: saving products, what a visitor may see, search.
//! - [`carts`]: the cart, its lines grouped by stall and priced from the catalogue.
//! - [`orders`]: placing a checkout, moving an order through its states, a vendor's sales.
//! - [`counter_sales`]: sales at the stall itself, in cash or by a VietQR code on the
//!   vendor's phone.
//! - [`payments`]: card payments through the processor (attempts, closing, refunds) and
//!   VietQR codes.
//! - [`bank`]: payOS payment links, and transfers whose bank notification was lost.
//! - [`review`]: managers and administrators approving stalls and linking them to the registry.
//! - [`reports`]: the onboarding report, its targets and the reporting API's tokens.
pub mod accounts;
pub mod bank;
pub mod carts;
pub mod catalog;
pub mod counter_sales;
pub mod orders;
pub mod payments;
pub mod reports;
pub mod review;
pub mod sale_links;
pub mod setup;
pub mod stalls;
