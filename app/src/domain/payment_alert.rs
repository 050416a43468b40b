//! What went wrong with the card processor's word, for the administrators and `/healthz`: a
//! webhook refused or left unapplied, a payment that did not match its orders, a payment only
//! reconciliation found. One of them now and then is noise; a run of them is a misconfigured
//! endpoint, a wrong secret, or someone probing the webhook.

slug_enum! {
    pub enum AlertKind {
        /// A webhook whose signature did not verify (a wrong secret, or a forgery).
        BadSignature = "bad_signature",
        /// A signed webhook whose body could not be read.
        Unreadable = "unreadable",
        /// A webhook of the other Stripe mode (test against live, or the reverse).
        OtherMode = "other_mode",
        /// A webhook the app could not apply (the database failed); Stripe sends it again.
        NotApplied = "not_applied",
        /// A payment of another amount or currency than its orders: recorded, never applied.
        Mismatch = "mismatch",
        /// A payment whose webhook never came, found by asking the processor.
        MissedWebhook = "missed_webhook",
    }
}
