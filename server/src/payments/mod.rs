//! Card payments through hosted Stripe Checkout.
//!
//! The flow the app drives:
//! 1. [`StripeGateway::create_checkout`] with the lines of the orders still awaiting payment
//!    (whole đồng), named in the session's metadata, expiring with them → redirect the shopper
//!    to the session's `url`. [`PaymentError::Unreachable`]: tell the shopper, keep the order
//!    payable, and retry later with the same attempt number. Once an order of the session stops
//!    awaiting payment, [`StripeGateway::expire_checkout`] closes it and the next attempt
//!    charges what is left.
//! 2. Stripe posts events to the webhook endpoint: check the raw body with
//!    [`signature::verify`], read it with [`parse_event`], record the event id once in the same
//!    transaction that applies it (deliveries repeat and arrive in any order), answer 2xx fast.
//! 3. [`StripeGateway::retrieve_checkout`] settles an order whose webhook has not come;
//!    [`StripeGateway::refund`] refunds (a cancelled paid order, or a payment that reached
//!    orders no longer awaiting it), and `charge.refunded` confirms it.
//!
//! [`double`] is a Stripe stand-in for tests and demos without internet access.
pub mod bank;
pub mod bank_double;
pub mod bank_keys;
pub mod bank_services;
pub mod cards;
pub mod double;
mod event;
pub mod signature;
mod stripe;
pub mod watch;

pub use self::stripe::{
    CHECKOUT_ID_METADATA, CheckoutLine, CheckoutRequest, CheckoutSession, MAX_CHECKOUT_DONG,
    PaymentError, Refund, SessionStatus, SettingsError, StripeArgs, StripeGateway, StripeSettings,
};
pub use event::{EventError, EventPayload, RefundedCharge, WebhookEvent, parse_event};
