//! Orders: what a checkout asks for, how its lines are priced and split into one order per
//! stall, the one state machine every order follows, and the order codes that let a bank
//! transfer be matched to the order it pays.
//!
//! - `status`: how an order is paid and fulfilled, the statuses it passes through, the moves
//!   made on it and who makes them.
//! - `machine`: the state machine: which move leads where, and who may make it
//!   ([`transition`]).
//! - `ending`: how an order that was not fulfilled ended, and when cancelling it owes a card
//!   refund.
//! - `expiry`: how long an unpaid order keeps its stock.
//! - `checkout`: the checkout form and its checks, a cart split into one order per stall, and
//!   the payment method chosen for each stall among those it offers.
//! - `pickup`: the dates a pickup order can be collected on.
//! - `pricing`: priced lines, each stall's order total, the grand total and the platform's fee.
//! - `card`: the amounts Stripe can charge and how long a card attempt's session stays open.
//! - `code`: order codes, and finding them in a bank statement line.
//!
//! Everything is re-exported here: callers name `order::X`, whichever file holds it.

// The sibling domain modules, named here so that the files below reach them as `super::money`
// like every other domain file, and so that `slug_enum!` finds `super::invalid`.
use super::{id, invalid, market, money, onboarding, phone, quantity, search};

mod card;
mod checkout;
mod code;
mod ending;
mod expiry;
mod holding;
mod machine;
mod pickup;
mod pricing;
mod status;

pub use card::{
    CARD_MAX, CARD_MIN, CardMode, REFUND_TRIES, card_attempt_usable, card_session_expiry,
    check_card_amount, refund_retry_after,
};
pub use checkout::{
    ADDRESS_MAX, Checkout, CheckoutForm, NOTE_MAX, chosen_method, parse_checkout, split_by_stall,
};
pub use code::{find_order_codes, order_code, parse_order_code};
pub use ending::{OrderEnding, ending, needs_refund};
pub use expiry::ExpiryPolicy;
pub use holding::{Held, HoldLimit, HoldLimits, check_hold};
pub use machine::{OrderMoveError, may, next_status, transition};
pub use pickup::{PICKUP_WINDOW_DAYS, parse_pickup_date, pickup_dates};
pub use pricing::{OrderToPlace, PlatformFee, PricedLine, StallOrderDraft, grand_total};
pub use status::{Fulfilment, OrderActor, OrderMove, OrderStatus, PaymentMethod};
