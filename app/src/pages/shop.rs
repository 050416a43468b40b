//! The shopper's pages: the cart with its checkout form, and the checkout's own page, where
//! each order is paid, followed and kept as a receipt.
//!
//! - `cart`: the cart's lines stall by stall, each with its quantity and remove buttons, what
//!   each stall charges for delivery and how it can be paid.
//! - `checkout_form`: the checkout form under the cart: who buys, pickup or delivery, and for
//!   each stall its pickup date and how it is paid.
//! - `order`: the checkout's page: what to pay and by when, where to collect, what happens next.
//! - `receipt`: one order's receipt, and how to pay it by transfer.
//! - `live`: the checkout's page reading itself again when its orders change.
mod cart;
mod checkout_form;
mod live;
mod order;
mod receipt;

pub use cart::CartPage;
pub use checkout_form::CardModeNote;
pub use order::CheckoutPage;
