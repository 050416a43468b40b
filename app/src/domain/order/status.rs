//! The words of an order's life: how it is paid, how its goods reach the shopper, the statuses
//! it passes through, the moves made on it and who makes them. Which move leads where, and who
//! may make it, is the state machine's (`machine.rs`).

slug_enum! {
    /// How the shopper pays for a checkout.
    pub enum PaymentMethod {
        /// Stripe Checkout, hosted by Stripe: the platform learns of the payment from its webhook.
        Card = "card",
        /// A VietQR transfer, which tells nobody it happened: it waits to be confirmed.
        VietQr = "vietqr",
    }
}

slug_enum! {
    /// How the goods reach the shopper: collected at the stall on one of its trading days, or
    /// delivered to an address in the province for the vendor's own fee.
    pub enum Fulfilment {
        Pickup = "pickup",
        Delivery = "delivery",
    }
}

slug_enum! {
    /// Where an order is in its life; see [`next_status`](super::next_status) for the moves between them.
    pub enum OrderStatus {
        /// A card order whose Stripe Checkout has not yet been paid.
        AwaitingPayment = "awaiting_payment",
        /// A VietQR order whose transfer has not yet been seen.
        AwaitingTransfer = "awaiting_transfer",
        Paid = "paid",
        Accepted = "accepted",
        ReadyForPickup = "ready_for_pickup",
        OutForDelivery = "out_for_delivery",
        Completed = "completed",
        Cancelled = "cancelled",
        /// Not paid in time, or the card payment failed; its stock went back on sale.
        Expired = "expired",
    }
}

impl OrderStatus {
    /// The status a new order starts in: it waits for the kind of payment its method promises.
    pub fn initial(method: PaymentMethod) -> OrderStatus {
        match method {
            PaymentMethod::Card => OrderStatus::AwaitingPayment,
            PaymentMethod::VietQr => OrderStatus::AwaitingTransfer,
        }
    }

    /// Whether someone still has to act on the order (pay, confirm, prepare or hand it over).
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            OrderStatus::Completed | OrderStatus::Cancelled | OrderStatus::Expired
        )
    }

    /// Whether the order's quantities stay taken from the stall's stock: a waiting order
    /// reserves them and a completed one sold them; a cancelled or expired one gives them back.
    pub fn holds_stock(self) -> bool {
        !matches!(self, OrderStatus::Cancelled | OrderStatus::Expired)
    }

    /// Whether the order's money has been received and is still kept: a cancelled order is not
    /// paid even if it once was, because its money goes back to the shopper.
    pub fn is_paid(self) -> bool {
        matches!(
            self,
            OrderStatus::Paid
                | OrderStatus::Accepted
                | OrderStatus::ReadyForPickup
                | OrderStatus::OutForDelivery
                | OrderStatus::Completed
        )
    }

    /// Whether an order paid by `method` and fulfilled by `fulfilment` can ever be in this
    /// status. Waiting for a payment belongs to one method, and ready-for-pickup and
    /// out-for-delivery to one fulfilment each; any other pairing is a corrupt record.
    pub fn reachable(self, method: PaymentMethod, fulfilment: Fulfilment) -> bool {
        self.fits_method(method) && self.fits_fulfilment(fulfilment)
    }

    pub(super) fn fits_method(self, method: PaymentMethod) -> bool {
        match self {
            OrderStatus::AwaitingPayment => method == PaymentMethod::Card,
            OrderStatus::AwaitingTransfer => method == PaymentMethod::VietQr,
            _ => true,
        }
    }

    fn fits_fulfilment(self, fulfilment: Fulfilment) -> bool {
        match self {
            OrderStatus::ReadyForPickup => fulfilment == Fulfilment::Pickup,
            OrderStatus::OutForDelivery => fulfilment == Fulfilment::Delivery,
            _ => true,
        }
    }
}

slug_enum! {
    /// Something done to an order's status; each one is stored with who made it and when.
    pub enum OrderMove {
        ConfirmPayment = "confirm_payment",
        PaymentFailed = "payment_failed",
        Accept = "accept",
        MarkReady = "mark_ready",
        SendOut = "send_out",
        Complete = "complete",
        Cancel = "cancel",
        Expire = "expire",
    }
}

slug_enum! {
    /// Who makes a move on an order.
    pub enum OrderActor {
        /// Whoever holds the order's link: shoppers need no account to buy.
        Shopper = "shopper",
        /// The vendor of the stall the order was placed with.
        Vendor = "vendor",
        /// A province administrator.
        Admin = "admin",
        /// The card processor (Stripe's webhook): the only one that sees card money. Orders
        /// confirmed before statements had an actor of their own name it for transfers too.
        PaymentProvider = "payment_provider",
        /// The clock that expires unpaid orders.
        System = "system",
        /// A matched line of a bank statement the vendor or an administrator imported: it
        /// confirms transfers, and nothing else.
        Statement = "statement",
        /// The bank's own word that a transfer arrived, through the stall's payOS service:
        /// it confirms transfers still awaited, and nothing else.
        BankViaPayOs = "bank_payos",
        /// The same, through the stall's SePay service.
        BankViaSePay = "bank_sepay",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderActor as A;
    use OrderMove as M;
    use OrderStatus as S;
    use PaymentMethod as P;

    #[test]
    fn waiting_belongs_to_one_method_and_ready_or_on_the_way_to_one_fulfilment() {
        let unreachable: Vec<_> = S::ALL
            .into_iter()
            .flat_map(|s| P::ALL.into_iter().map(move |m| (s, m)))
            .flat_map(|(s, m)| Fulfilment::ALL.into_iter().map(move |f| (s, m, f)))
            .filter(|&(s, m, f)| !s.reachable(m, f))
            .map(|(s, m, f)| format!("{s} {m} {f}"))
            .collect();
        assert_eq!(
            unreachable,
            [
                "awaiting_payment vietqr pickup",
                "awaiting_payment vietqr delivery",
                "awaiting_transfer card pickup",
                "awaiting_transfer card delivery",
                "ready_for_pickup card delivery",
                "ready_for_pickup vietqr delivery",
                "out_for_delivery card pickup",
                "out_for_delivery vietqr pickup",
            ]
        );
    }

    #[test]
    fn a_new_order_waits_for_the_payment_its_method_promises() {
        assert_eq!(OrderStatus::initial(P::Card), S::AwaitingPayment);
        assert_eq!(OrderStatus::initial(P::VietQr), S::AwaitingTransfer);
        for method in P::ALL {
            assert!(OrderStatus::initial(method).reachable(method, Fulfilment::Pickup));
        }
    }

    #[test]
    fn statuses_say_whether_they_are_open_paid_and_holding_stock() {
        let open: Vec<_> = S::ALL.into_iter().filter(|s| s.is_open()).collect();
        let paid: Vec<_> = S::ALL.into_iter().filter(|s| s.is_paid()).collect();
        let not_holding: Vec<_> = S::ALL.into_iter().filter(|s| !s.holds_stock()).collect();
        assert_eq!(
            open,
            [
                S::AwaitingPayment,
                S::AwaitingTransfer,
                S::Paid,
                S::Accepted,
                S::ReadyForPickup,
                S::OutForDelivery
            ]
        );
        assert_eq!(
            paid,
            [
                S::Paid,
                S::Accepted,
                S::ReadyForPickup,
                S::OutForDelivery,
                S::Completed
            ]
        );
        assert_eq!(not_holding, [S::Cancelled, S::Expired]);
    }

    #[test]
    fn order_values_are_stored_under_their_documented_slugs() {
        assert_eq!(P::ALL.map(P::slug), ["card", "vietqr"]);
        assert_eq!(
            Fulfilment::ALL.map(Fulfilment::slug),
            ["pickup", "delivery"]
        );
        assert_eq!(
            S::ALL.map(S::slug),
            [
                "awaiting_payment",
                "awaiting_transfer",
                "paid",
                "accepted",
                "ready_for_pickup",
                "out_for_delivery",
                "completed",
                "cancelled",
                "expired"
            ]
        );
        assert_eq!(
            M::ALL.map(M::slug),
            [
                "confirm_payment",
                "payment_failed",
                "accept",
                "mark_ready",
                "send_out",
                "complete",
                "cancel",
                "expire"
            ]
        );
        assert_eq!(
            A::ALL.map(A::slug),
            [
                "shopper",
                "vendor",
                "admin",
                "payment_provider",
                "system",
                "statement",
                "bank_payos",
                "bank_sepay"
            ]
        );
    }
}
