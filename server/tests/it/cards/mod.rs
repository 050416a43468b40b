//! Card payments through Stripe Checkout: the Stripe adapter against the Stripe double
//! (`gateway`), then the app's card checkout (`checkout`), Stripe's webhooks (`webhooks`),
//! refunds (`refunds`) and the card money the platform owes each stall (`settlements`).
mod checkout;
mod gateway;
mod refunds;
mod settlements;
mod webhooks;
