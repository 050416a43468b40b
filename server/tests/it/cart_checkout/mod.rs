//! The cart and the checkout: what the cart holds and shows, placing orders, and the receipt and
//! purchases afterwards.
mod cart;
mod checkout;
mod holding;
mod per_stall;
mod receipts;
