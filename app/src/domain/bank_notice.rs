//! Money the bank says arrived in a stall's account, as a bank-notification service (payOS,
//! SePay) reports it, and what it does to the order it names. Every case has one outcome,
//! decided here without I/O: exact, short, over, late, two orders, none.
use super::money::Dong;
use super::order::OrderActor;
use super::order::OrderStatus;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// A service that watches a stall's bank account and reports each incoming transfer.
    pub enum BankService {
        /// payOS (by Casso): a payment link and QR per order, money straight to the stall's
        /// own account.
        PayOs = "payos",
        /// SePay: a notification for every transfer into a linked account; the stall keeps
        /// its own VietQR.
        SePay = "sepay",
    }
}

impl BankService {
    /// Who an order's history says confirmed a transfer this service reported.
    pub fn actor(self) -> OrderActor {
        match self {
            BankService::PayOs => OrderActor::BankViaPayOs,
            BankService::SePay => OrderActor::BankViaSePay,
        }
    }

    /// Whether it reports a transfer made with the stall's own VietQR code: SePay watches the
    /// account itself; payOS reports only what is paid through its own payment links.
    pub fn reports_own_codes(self) -> bool {
        match self {
            BankService::PayOs => false,
            BankService::SePay => true,
        }
    }
}

slug_enum! {
    /// A reported transfer's outcome, as stored: [`CreditOutcome`] without its figures, which
    /// are worked out again from the amounts.
    pub enum CreditKind {
        Paid = "paid",
        PartPaid = "part_paid",
        Overpaid = "overpaid",
        Expired = "expired",
        Cancelled = "cancelled",
        AlreadyPaid = "already_paid",
        PaidByCard = "paid_by_card",
        Ambiguous = "ambiguous",
        Unnamed = "unnamed",
    }
}

impl CreditKind {
    /// The outcomes whose money counts towards the order they name.
    pub const COUNTED: [CreditKind; 3] =
        [CreditKind::Paid, CreditKind::PartPaid, CreditKind::Overpaid];

    /// What a transfer that counted towards its order means once the order has moved on: a
    /// part payment of an order that then expired, or any payment of an order since
    /// cancelled, is money to give back.
    pub fn as_order_now_is(self, status: OrderStatus) -> CreditKind {
        use CreditKind as K;
        let counted = Self::COUNTED.contains(&self);
        match status {
            OrderStatus::Cancelled if counted => K::Cancelled,
            OrderStatus::Expired if self == K::PartPaid => K::Expired,
            _ => self,
        }
    }
}

/// One incoming transfer, as a service reported it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankCredit {
    pub service: BankService,
    /// The service's own name for this transfer: reported twice, it is applied once (payOS:
    /// the order code and the bank's reference; SePay: its transaction id).
    pub transfer_id: String,
    pub amount: Dong,
    /// The transfer's purpose as the bank passed it on: the order codes are found in it.
    pub purpose: String,
    /// The order code the service itself tied the transfer to (a payOS payment link's), when
    /// it did.
    pub order_code: Option<String>,
    /// When the bank booked it, as the service says.
    pub booked_at: chrono::DateTime<chrono::Utc>,
}

/// An order a credit names, as it stands before the credit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedOrder {
    pub code: String,
    pub status: OrderStatus,
    pub total: Dong,
    /// What earlier credits already paid towards it.
    pub received: Dong,
}

/// Why a credit's money is to go back to the shopper rather than pay its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReturnReason {
    /// The order expired before the money came; its goods may be sold again.
    Expired,
    Cancelled,
    /// The order was paid already (by hand, a statement, or another transfer).
    AlreadyPaid,
    /// The order is paid by card, never by transfer.
    PaidByCard,
}

/// What a credit does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CreditOutcome {
    /// It covers what was still due: the order is paid.
    Paid { code: String },
    /// Less than was due: the order keeps waiting for `due` more.
    PartPaid { code: String, due: Dong },
    /// More than was due: the order is paid, and `surplus` is to be given back.
    Overpaid { code: String, surplus: Dong },
    /// The order can't take it: the whole amount is to be given back, and the order is left
    /// as it is (no stock is taken).
    ToReturn { code: String, why: ReturnReason },
    /// It names two or more orders: the vendor assigns it by hand.
    Ambiguous { codes: Vec<String> },
    /// It names no order of the stall: the vendor assigns it by hand.
    Unnamed,
}

impl CreditOutcome {
    pub fn kind(&self) -> CreditKind {
        match self {
            CreditOutcome::Paid { .. } => CreditKind::Paid,
            CreditOutcome::PartPaid { .. } => CreditKind::PartPaid,
            CreditOutcome::Overpaid { .. } => CreditKind::Overpaid,
            CreditOutcome::ToReturn { why, .. } => match why {
                ReturnReason::Expired => CreditKind::Expired,
                ReturnReason::Cancelled => CreditKind::Cancelled,
                ReturnReason::AlreadyPaid => CreditKind::AlreadyPaid,
                ReturnReason::PaidByCard => CreditKind::PaidByCard,
            },
            CreditOutcome::Ambiguous { .. } => CreditKind::Ambiguous,
            CreditOutcome::Unnamed => CreditKind::Unnamed,
        }
    }

    /// The sum a vendor reads beside it: what is still due after a part payment, the surplus
    /// of an overpayment, or the whole `amount` to give back; nothing otherwise.
    pub fn figure(&self, amount: Dong) -> Dong {
        match self {
            CreditOutcome::PartPaid { due, .. } => *due,
            CreditOutcome::Overpaid { surplus, .. } => *surplus,
            CreditOutcome::ToReturn { .. } => amount,
            _ => Dong::new(0),
        }
    }

    /// Whether the order it names is now paid.
    pub fn pays(&self) -> bool {
        matches!(
            self,
            CreditOutcome::Paid { .. } | CreditOutcome::Overpaid { .. }
        )
    }

    /// Whether its money counts towards the order it names.
    pub fn counts_towards_order(&self) -> bool {
        CreditKind::COUNTED.contains(&self.kind())
    }
}

/// What a credit of `amount` does to the orders it `named` (the stall's orders whose codes
/// its purpose holds, or the one the service tied it to).
pub fn credit_outcome(amount: Dong, named: &[NamedOrder]) -> CreditOutcome {
    let order = match named {
        [] => return CreditOutcome::Unnamed,
        [order] => order,
        several => {
            return CreditOutcome::Ambiguous {
                codes: several.iter().map(|o| o.code.clone()).collect(),
            };
        }
    };
    let code = order.code.clone();
    let why = match order.status {
        OrderStatus::AwaitingTransfer => None,
        OrderStatus::Expired => Some(ReturnReason::Expired),
        OrderStatus::Cancelled => Some(ReturnReason::Cancelled),
        OrderStatus::AwaitingPayment => Some(ReturnReason::PaidByCard),
        _ => Some(ReturnReason::AlreadyPaid),
    };
    if let Some(why) = why {
        return CreditOutcome::ToReturn { code, why };
    }
    let due = order.total.amount() - order.received.amount();
    match amount.amount().cmp(&due) {
        std::cmp::Ordering::Equal => CreditOutcome::Paid { code },
        std::cmp::Ordering::Less => CreditOutcome::PartPaid {
            code,
            due: Dong::new(due - amount.amount()),
        },
        std::cmp::Ordering::Greater => CreditOutcome::Overpaid {
            code,
            surplus: Dong::new(amount.amount() - due),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus as S;

    fn order(status: OrderStatus, total: i64, received: i64) -> NamedOrder {
        NamedOrder {
            code: "DH2026000123".into(),
            status,
            total: Dong::new(total),
            received: Dong::new(received),
        }
    }

    fn code() -> String {
        "DH2026000123".into()
    }

    #[test]
    fn the_amount_due_pays_less_part_pays_and_more_pays_with_a_surplus() {
        let waiting = [order(S::AwaitingTransfer, 45_000, 0)];
        assert_eq!(
            credit_outcome(Dong::new(45_000), &waiting),
            CreditOutcome::Paid { code: code() }
        );
        assert_eq!(
            credit_outcome(Dong::new(40_000), &waiting),
            CreditOutcome::PartPaid {
                code: code(),
                due: Dong::new(5_000)
            }
        );
        assert_eq!(
            credit_outcome(Dong::new(50_000), &waiting),
            CreditOutcome::Overpaid {
                code: code(),
                surplus: Dong::new(5_000)
            }
        );
    }

    #[test]
    fn a_second_transfer_pays_what_the_first_left_due() {
        let part_paid = [order(S::AwaitingTransfer, 45_000, 40_000)];
        assert_eq!(
            credit_outcome(Dong::new(5_000), &part_paid),
            CreditOutcome::Paid { code: code() }
        );
        assert_eq!(
            credit_outcome(Dong::new(6_000), &part_paid),
            CreditOutcome::Overpaid {
                code: code(),
                surplus: Dong::new(1_000)
            }
        );
    }

    #[test]
    fn an_order_that_cant_take_the_money_leaves_it_to_return_whatever_the_amount() {
        for (status, why) in [
            (S::Expired, ReturnReason::Expired),
            (S::Cancelled, ReturnReason::Cancelled),
            (S::Paid, ReturnReason::AlreadyPaid),
            (S::Completed, ReturnReason::AlreadyPaid),
            (S::AwaitingPayment, ReturnReason::PaidByCard),
        ] {
            for amount in [44_000, 45_000, 46_000] {
                assert_eq!(
                    credit_outcome(Dong::new(amount), &[order(status, 45_000, 0)]),
                    CreditOutcome::ToReturn { code: code(), why },
                    "{status} {amount}"
                );
            }
        }
    }

    #[test]
    fn money_counted_towards_an_order_that_moved_on_is_to_give_back() {
        use CreditKind as K;
        assert_eq!(K::PartPaid.as_order_now_is(S::Expired), K::Expired);
        for kind in [K::Paid, K::PartPaid, K::Overpaid] {
            assert_eq!(kind.as_order_now_is(S::Cancelled), K::Cancelled, "{kind}");
            assert_eq!(kind.as_order_now_is(S::AwaitingTransfer), kind);
            assert_eq!(kind.as_order_now_is(S::Completed), kind);
        }
        assert_eq!(K::Unnamed.as_order_now_is(S::Cancelled), K::Unnamed);
        assert_eq!(K::AlreadyPaid.as_order_now_is(S::Cancelled), K::AlreadyPaid);
    }

    #[test]
    fn two_orders_or_none_are_left_for_the_vendor() {
        let mut other = order(S::AwaitingTransfer, 45_000, 0);
        other.code = "DH2026000124".into();
        let two = [order(S::AwaitingTransfer, 45_000, 0), other];
        assert_eq!(
            credit_outcome(Dong::new(45_000), &two),
            CreditOutcome::Ambiguous {
                codes: vec![code(), "DH2026000124".into()]
            }
        );
        assert_eq!(
            credit_outcome(Dong::new(45_000), &[]),
            CreditOutcome::Unnamed
        );
    }

    #[test]
    fn only_money_that_counts_towards_the_order_pays_it() {
        let outcomes = [
            (CreditOutcome::Paid { code: code() }, true, true),
            (
                CreditOutcome::Overpaid {
                    code: code(),
                    surplus: Dong::new(1),
                },
                true,
                true,
            ),
            (
                CreditOutcome::PartPaid {
                    code: code(),
                    due: Dong::new(1),
                },
                false,
                true,
            ),
            (
                CreditOutcome::ToReturn {
                    code: code(),
                    why: ReturnReason::Expired,
                },
                false,
                false,
            ),
            (CreditOutcome::Ambiguous { codes: vec![] }, false, false),
            (CreditOutcome::Unnamed, false, false),
        ];
        for (outcome, pays, counts) in outcomes {
            assert_eq!(
                (outcome.pays(), outcome.counts_towards_order()),
                (pays, counts),
                "{outcome:?}"
            );
        }
    }
}
