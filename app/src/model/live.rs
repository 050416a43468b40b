//! What a checkout's page shows that can change while it is open: each order's status and
//! the money the bank reported towards it. The server's event stream sends it on every
//! change, and the page compares it with what it shows to know whether to read itself again.
use super::CheckoutView;
use crate::domain::money::Dong;
use crate::domain::order::OrderStatus;
use serde::{Deserialize, Serialize};

/// One order of the checkout as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveOrder {
    pub code: String,
    pub status: OrderStatus,
    pub received: Dong,
}

/// Every order of a checkout, by code, so two states compare equal whatever order they were
/// read in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutState {
    pub orders: Vec<LiveOrder>,
}

impl CheckoutState {
    pub fn new(mut orders: Vec<LiveOrder>) -> Self {
        orders.sort_by(|a, b| a.code.cmp(&b.code));
        CheckoutState { orders }
    }

    /// The state the page `view` shows.
    pub fn of(view: &CheckoutView) -> Self {
        Self::new(
            view.orders
                .iter()
                .map(|o| LiveOrder {
                    code: o.code.clone(),
                    status: o.status,
                    received: o.received,
                })
                .collect(),
        )
    }

    /// Whether some order still waits for the shopper's money: the only change a shopper
    /// waits on the page for.
    pub fn awaits_money(&self) -> bool {
        self.orders.iter().any(|o| {
            matches!(
                o.status,
                OrderStatus::AwaitingTransfer | OrderStatus::AwaitingPayment
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(code: &str, status: OrderStatus) -> LiveOrder {
        LiveOrder {
            code: code.into(),
            status,
            received: Dong::new(0),
        }
    }

    #[test]
    fn states_compare_whatever_order_they_were_read_in() {
        let a = CheckoutState::new(vec![
            order("B", OrderStatus::Paid),
            order("A", OrderStatus::AwaitingTransfer),
        ]);
        let b = CheckoutState::new(vec![
            order("A", OrderStatus::AwaitingTransfer),
            order("B", OrderStatus::Paid),
        ]);
        assert_eq!(a, b);
        assert!(a.awaits_money());
        let paid = CheckoutState::new(vec![order("A", OrderStatus::Paid)]);
        assert!(!paid.awaits_money());
    }

    #[test]
    fn the_wire_form_names_each_status_by_its_slug() {
        let state = CheckoutState::new(vec![order("A", OrderStatus::Paid)]);
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(
            json,
            r#"{"orders":[{"code":"A","status":"paid","received":0}]}"#
        );
        assert_eq!(serde_json::from_str::<CheckoutState>(&json).unwrap(), state);
    }
}
