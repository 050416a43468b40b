//! Card payments through Stripe Checkout: the Stripe adapter against the Stripe double
//! (`gateway`), then the app's card checkout (`checkout`), Stripe's webhooks (`webhooks`),
//! payments whose webhook never came (`reconcile`), what goes wrong with them
//! (`alerts`), refunds (`refunds`) and the card money the platform owes each stall (`settlements`).
mod alerts;
mod checkout;
mod gateway;
mod reconcile;
mod refunds;
mod settlements;
mod webhooks;
