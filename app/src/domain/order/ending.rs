//! How an order ends when it is not fulfilled, as its shopper is told, and whether cancelling it
//! owes the shopper a card refund.
use super::status::{OrderStatus, PaymentMethod};
use serde::{Deserialize, Serialize};

/// Whether cancelling an order that is `from` must refund a card payment through Stripe.
///
/// Transfer money never passed through the platform: it sits in the vendor's account, so
/// returning it is the vendor's own bank transfer, not a refund the platform can make.
pub fn needs_refund(from: OrderStatus, method: PaymentMethod) -> bool {
    method == PaymentMethod::Card && from.is_paid()
}

/// How an order ended without being fulfilled, as its shopper is told on the order's page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderEnding {
    /// The card payment never went through: declined, or the payment page left until the order
    /// or Stripe's session ran out. Nothing was charged.
    PaymentFailed,
    /// No transfer was confirmed before the order's time ran out.
    NotPaidInTime,
    /// Cancelled before any money arrived.
    Cancelled,
    /// Cancelled after a card payment, which the platform refunds through Stripe.
    CancelledRefunded,
    /// Cancelled after a transfer, which the vendor sends back from their own account.
    CancelledTransferReturned,
}

/// How an order that is `status`, paid by `method`, ended, read from its changes of status
/// (oldest first); `None` while it is alive or completed.
pub fn ending(
    status: OrderStatus,
    method: PaymentMethod,
    history: &[OrderStatus],
) -> Option<OrderEnding> {
    let was_paid = history.iter().any(|to| to.is_paid());
    match (status, method) {
        (OrderStatus::Expired, PaymentMethod::Card) => Some(OrderEnding::PaymentFailed),
        (OrderStatus::Expired, PaymentMethod::VietQr) => Some(OrderEnding::NotPaidInTime),
        (OrderStatus::Cancelled, _) if !was_paid => Some(OrderEnding::Cancelled),
        (OrderStatus::Cancelled, PaymentMethod::Card) => Some(OrderEnding::CancelledRefunded),
        (OrderStatus::Cancelled, PaymentMethod::VietQr) => {
            Some(OrderEnding::CancelledTransferReturned)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus as S;
    use PaymentMethod as P;

    #[test]
    fn a_refund_is_needed_exactly_when_a_card_paid_order_is_cancelled() {
        for from in S::ALL {
            for method in P::ALL {
                let cancelling_after_card_payment = method == P::Card
                    && matches!(
                        from,
                        S::Paid
                            | S::Accepted
                            | S::ReadyForPickup
                            | S::OutForDelivery
                            | S::Completed
                    );
                assert_eq!(needs_refund(from, method), cancelling_after_card_payment);
            }
        }
        assert!(!needs_refund(S::Paid, P::VietQr));
        assert!(!needs_refund(S::AwaitingPayment, P::Card));
    }

    #[test]
    fn an_ended_order_says_whether_the_payment_failed_ran_out_of_time_or_was_cancelled() {
        assert_eq!(
            ending(S::Expired, P::Card, &[S::Expired]),
            Some(OrderEnding::PaymentFailed)
        );
        assert_eq!(
            ending(S::Expired, P::VietQr, &[S::Expired]),
            Some(OrderEnding::NotPaidInTime)
        );
        assert_eq!(
            ending(S::Cancelled, P::Card, &[S::Cancelled]),
            Some(OrderEnding::Cancelled)
        );
        let paid_then_cancelled = [S::Paid, S::Accepted, S::Cancelled];
        assert_eq!(
            ending(S::Cancelled, P::Card, &paid_then_cancelled),
            Some(OrderEnding::CancelledRefunded)
        );
        assert_eq!(
            ending(S::Cancelled, P::VietQr, &paid_then_cancelled),
            Some(OrderEnding::CancelledTransferReturned)
        );
        assert_eq!(ending(S::Paid, P::Card, &[S::Paid]), None);
        assert_eq!(ending(S::AwaitingTransfer, P::VietQr, &[]), None);
    }
}
