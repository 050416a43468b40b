//! The one state machine every order follows, as one table: which move leads from which status
//! to which, for which fulfilment, and who may make it. [`transition`] is the check a request
//! needs; [`next_status`] and [`may`] are its two halves.
use super::status::{Fulfilment, OrderActor, OrderMove, OrderStatus, PaymentMethod};
use serde::{Deserialize, Serialize};

/// A move that an order's status, fulfilment or mover does not allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum OrderMoveError {
    #[error("cannot {mv} an order that is {from}")]
    NotAllowed { from: OrderStatus, mv: OrderMove },
    /// Marking a delivery ready for pickup, or sending out an order that will be collected.
    #[error("cannot {mv} a {fulfilment} order")]
    WrongFulfilment {
        mv: OrderMove,
        fulfilment: Fulfilment,
    },
    /// The stored status cannot belong to an order with this method and fulfilment.
    #[error("a {method} {fulfilment} order is never {from}")]
    Unreachable {
        from: OrderStatus,
        method: PaymentMethod,
        fulfilment: Fulfilment,
    },
    /// The move is possible, but not for this actor.
    #[error("{actor} may not {mv} an order that is {from}")]
    Forbidden {
        actor: OrderActor,
        mv: OrderMove,
        from: OrderStatus,
    },
}

/// One allowed move: where it leads, who may make it, and the fulfilment it is limited to.
struct Rule {
    to: OrderStatus,
    by: &'static [OrderActor],
    only_for: Option<Fulfilment>,
}

/// The state machine, as one table that both [`next_status`] and [`may`] read.
fn rule(from: OrderStatus, mv: OrderMove, method: PaymentMethod) -> Option<Rule> {
    use OrderActor as A;
    use OrderMove as M;
    use OrderStatus as S;
    const VENDOR: &[OrderActor] = &[A::Vendor];
    let (to, by, only_for) = match (from, mv) {
        (S::AwaitingPayment | S::AwaitingTransfer, M::ConfirmPayment) => {
            (S::Paid, confirmers(method), None)
        }
        (S::Expired, M::ConfirmPayment) if method == PaymentMethod::VietQr => {
            (S::Paid, REVIVERS, None)
        }
        (S::AwaitingPayment, M::PaymentFailed) => (S::Expired, &[A::PaymentProvider][..], None),
        (S::Paid, M::Accept) => (S::Accepted, VENDOR, None),
        (S::Accepted, M::MarkReady) => (S::ReadyForPickup, VENDOR, Some(Fulfilment::Pickup)),
        (S::Accepted, M::SendOut) => (S::OutForDelivery, VENDOR, Some(Fulfilment::Delivery)),
        (S::ReadyForPickup | S::OutForDelivery, M::Complete) => (S::Completed, VENDOR, None),
        (S::AwaitingPayment | S::AwaitingTransfer, M::Cancel) => {
            (S::Cancelled, &[A::Shopper, A::Vendor, A::Admin][..], None)
        }
        (S::Paid | S::Accepted, M::Cancel) => (S::Cancelled, &[A::Vendor, A::Admin][..], None),
        (S::ReadyForPickup | S::OutForDelivery, M::Cancel) => (S::Cancelled, &[A::Admin][..], None),
        (S::AwaitingPayment | S::AwaitingTransfer, M::Expire) => {
            (S::Expired, &[A::System][..], None)
        }
        _ => return None,
    };
    Some(Rule { to, by, only_for })
}

/// Who has seen a payment by `method` arrive: Stripe alone sees card money; transfer money
/// lands in the vendor's bank account, which the vendor, an administrator, a statement import
/// or the bank's own notification can read. Neither source confirms the other's method: a
/// statement line naming a card order's code is not that order's money.
fn confirmers(method: PaymentMethod) -> &'static [OrderActor] {
    match method {
        PaymentMethod::Card => &[OrderActor::PaymentProvider],
        PaymentMethod::VietQr => &[
            OrderActor::Vendor,
            OrderActor::Admin,
            OrderActor::Statement,
            OrderActor::BankViaPayOs,
            OrderActor::BankViaSePay,
        ],
    }
}

/// Who may revive an expired VietQR order with a transfer that came late, taking its stock
/// again: a person, or a statement a person imported. A bank notification never does: its
/// money is kept as money to return, for the vendor to decide.
const REVIVERS: &[OrderActor] = &[OrderActor::Vendor, OrderActor::Admin, OrderActor::Statement];

/// The status after `mv`, or why an order paid by `method` for `fulfilment` cannot make it.
///
/// The moves (who may make each is [`may`]'s to say):
/// - `confirm_payment`: awaiting payment (card) or awaiting transfer (VietQR) → paid; also
///   expired → paid for a transfer, because that money already sits in the vendor's account:
///   the vendor who confirms it revives the order (taking its stock again). A card payment that
///   reaches an expired order is refused like one for a cancelled order: its stock may be sold
///   again, so the money goes back through Stripe instead. A second confirmation of a paid
///   order is refused, so a repeated webhook changes nothing.
/// - `payment_failed`: awaiting payment → expired. Stripe reports only a final failure (an
///   asynchronous payment that failed, or a Checkout Session that expired); a declined card
///   inside Checkout is retried there and never reported. The Session is finished, so the
///   order cannot be paid any more and its stock goes back on sale. Transfers never fail.
/// - `accept`: paid → accepted.
/// - `mark_ready`: accepted → ready for pickup, for pickup orders only.
/// - `send_out`: accepted → out for delivery, for delivery orders only.
/// - `complete`: ready for pickup or out for delivery → completed.
/// - `cancel`: from any open status → cancelled.
/// - `expire`: awaiting payment or awaiting transfer → expired.
///
/// Completed and cancelled orders make no move at all, and expired ones only a late payment.
/// A status the order's method or fulfilment can never reach (see [`OrderStatus::reachable`])
/// refuses every move, so a corrupt record is reported instead of moved along.
pub fn next_status(
    from: OrderStatus,
    mv: OrderMove,
    method: PaymentMethod,
    fulfilment: Fulfilment,
) -> Result<OrderStatus, OrderMoveError> {
    if !from.reachable(method, fulfilment) {
        return Err(OrderMoveError::Unreachable {
            from,
            method,
            fulfilment,
        });
    }
    let rule = rule(from, mv, method).ok_or(OrderMoveError::NotAllowed { from, mv })?;
    match rule.only_for {
        Some(only) if only != fulfilment => Err(OrderMoveError::WrongFulfilment { mv, fulfilment }),
        _ => Ok(rule.to),
    }
}

/// Whether `actor` may make `mv` on an order that is `from` and paid by `method`.
///
/// - A payment is confirmed by whoever has seen the money: only Stripe for a card (so a vendor
///   cannot mark a card order paid), and the vendor, an administrator or the statement import
///   for a transfer. The same holds for a late payment to an expired order.
/// - Only Stripe reports a failed card payment, and only the clock expires an order.
/// - The vendor accepts, prepares, sends out and completes their own orders.
/// - Before paying, the shopper may cancel, as may the vendor and an administrator. Once paid
///   or accepted, only the vendor or an administrator may, and the shopper gets the money
///   back (see [`needs_refund`](super::needs_refund)). Once the goods are ready or on their way, only an administrator may:
///   the vendor has handed over or set aside goods and a dispute needs a third party.
///
/// A move that no status allows is allowed to nobody; so is one from a status the method
/// cannot reach.
pub fn may(actor: OrderActor, mv: OrderMove, from: OrderStatus, method: PaymentMethod) -> bool {
    from.fits_method(method) && rule(from, mv, method).is_some_and(|r| r.by.contains(&actor))
}

/// [`next_status`] for a move made by `actor`, refused with [`OrderMoveError::Forbidden`]
/// when the move is possible but [`may`] says this actor cannot make it. The one check a
/// request needs.
pub fn transition(
    actor: OrderActor,
    mv: OrderMove,
    from: OrderStatus,
    method: PaymentMethod,
    fulfilment: Fulfilment,
) -> Result<OrderStatus, OrderMoveError> {
    let to = next_status(from, mv, method, fulfilment)?;
    if may(actor, mv, from, method) {
        Ok(to)
    } else {
        Err(OrderMoveError::Forbidden { actor, mv, from })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderActor as A;
    use OrderMove as M;
    use OrderStatus as S;
    use PaymentMethod as P;

    const CARD: &[PaymentMethod] = &[P::Card];
    const QR: &[PaymentMethod] = &[P::VietQr];
    const ANY_METHOD: &[PaymentMethod] = &PaymentMethod::ALL;
    const PICKUP: &[Fulfilment] = &[Fulfilment::Pickup];
    const DELIVERY: &[Fulfilment] = &[Fulfilment::Delivery];
    const ANY_WAY: &[Fulfilment] = &Fulfilment::ALL;
    const BEFORE_PAYING: &[OrderActor] = &[A::Shopper, A::Vendor, A::Admin];
    const STAFF: &[OrderActor] = &[A::Vendor, A::Admin];
    const QR_CONFIRMERS: &[OrderActor] = &[
        A::Vendor,
        A::Admin,
        A::Statement,
        A::BankViaPayOs,
        A::BankViaSePay,
    ];
    const QR_REVIVERS: &[OrderActor] = &[A::Vendor, A::Admin, A::Statement];

    /// Every allowed move, spelled out: from, move, for which methods, for which fulfilments,
    /// to, and by whom.
    type Row = (
        OrderStatus,
        OrderMove,
        &'static [PaymentMethod],
        &'static [Fulfilment],
        OrderStatus,
        &'static [OrderActor],
    );
    #[rustfmt::skip]
    const ALLOWED: [Row; 17] = [
        (S::AwaitingPayment, M::ConfirmPayment, CARD, ANY_WAY, S::Paid, &[A::PaymentProvider]),
        (S::AwaitingTransfer, M::ConfirmPayment, QR, ANY_WAY, S::Paid, QR_CONFIRMERS),
        (S::Expired, M::ConfirmPayment, QR, ANY_WAY, S::Paid, QR_REVIVERS),
        (S::AwaitingPayment, M::PaymentFailed, CARD, ANY_WAY, S::Expired, &[A::PaymentProvider]),
        (S::Paid, M::Accept, ANY_METHOD, ANY_WAY, S::Accepted, &[A::Vendor]),
        (S::Accepted, M::MarkReady, ANY_METHOD, PICKUP, S::ReadyForPickup, &[A::Vendor]),
        (S::Accepted, M::SendOut, ANY_METHOD, DELIVERY, S::OutForDelivery, &[A::Vendor]),
        (S::ReadyForPickup, M::Complete, ANY_METHOD, PICKUP, S::Completed, &[A::Vendor]),
        (S::OutForDelivery, M::Complete, ANY_METHOD, DELIVERY, S::Completed, &[A::Vendor]),
        (S::AwaitingPayment, M::Cancel, CARD, ANY_WAY, S::Cancelled, BEFORE_PAYING),
        (S::AwaitingTransfer, M::Cancel, QR, ANY_WAY, S::Cancelled, BEFORE_PAYING),
        (S::Paid, M::Cancel, ANY_METHOD, ANY_WAY, S::Cancelled, STAFF),
        (S::Accepted, M::Cancel, ANY_METHOD, ANY_WAY, S::Cancelled, STAFF),
        (S::ReadyForPickup, M::Cancel, ANY_METHOD, PICKUP, S::Cancelled, &[A::Admin]),
        (S::OutForDelivery, M::Cancel, ANY_METHOD, DELIVERY, S::Cancelled, &[A::Admin]),
        (S::AwaitingPayment, M::Expire, CARD, ANY_WAY, S::Expired, &[A::System]),
        (S::AwaitingTransfer, M::Expire, QR, ANY_WAY, S::Expired, &[A::System]),
    ];

    fn row(from: OrderStatus, mv: OrderMove, method: PaymentMethod) -> Option<&'static Row> {
        ALLOWED
            .iter()
            .find(|r| r.0 == from && r.1 == mv && r.2.contains(&method))
    }

    /// Every combination of status, move, method and fulfilment.
    fn every_case() -> impl Iterator<Item = (OrderStatus, OrderMove, PaymentMethod, Fulfilment)> {
        S::ALL.into_iter().flat_map(|from| {
            M::ALL.into_iter().flat_map(move |mv| {
                P::ALL.into_iter().flat_map(move |method| {
                    Fulfilment::ALL
                        .into_iter()
                        .map(move |fulfilment| (from, mv, method, fulfilment))
                })
            })
        })
    }

    #[test]
    fn exactly_the_listed_moves_are_allowed_and_every_other_case_is_refused_with_its_reason() {
        for (from, mv, method, fulfilment) in every_case() {
            let expected = if !from.reachable(method, fulfilment) {
                Err(OrderMoveError::Unreachable {
                    from,
                    method,
                    fulfilment,
                })
            } else {
                match row(from, mv, method) {
                    None => Err(OrderMoveError::NotAllowed { from, mv }),
                    Some(r) if !r.3.contains(&fulfilment) => {
                        Err(OrderMoveError::WrongFulfilment { mv, fulfilment })
                    }
                    Some(r) => Ok(r.4),
                }
            };
            assert_eq!(
                next_status(from, mv, method, fulfilment),
                expected,
                "{from} {mv} {method} {fulfilment}"
            );
        }
    }

    #[test]
    fn exactly_the_listed_actors_may_make_each_move() {
        for (from, mv, method, _) in every_case() {
            for actor in A::ALL {
                let expected = row(from, mv, method).is_some_and(|r| r.5.contains(&actor));
                assert_eq!(
                    may(actor, mv, from, method),
                    expected,
                    "{actor} {mv} {from} {method}"
                );
            }
        }
    }

    #[test]
    fn a_transition_is_the_next_status_when_the_actor_may_make_the_move() {
        for (from, mv, method, fulfilment) in every_case() {
            for actor in A::ALL {
                let expected = next_status(from, mv, method, fulfilment).and_then(|to| {
                    if may(actor, mv, from, method) {
                        Ok(to)
                    } else {
                        Err(OrderMoveError::Forbidden { actor, mv, from })
                    }
                });
                assert_eq!(transition(actor, mv, from, method, fulfilment), expected);
            }
        }
    }

    #[test]
    fn a_vendor_cannot_confirm_a_card_payment() {
        assert!(!may(
            A::Vendor,
            M::ConfirmPayment,
            S::AwaitingPayment,
            P::Card
        ));
        assert!(!may(
            A::Admin,
            M::ConfirmPayment,
            S::AwaitingPayment,
            P::Card
        ));
        assert!(may(
            A::PaymentProvider,
            M::ConfirmPayment,
            S::AwaitingPayment,
            P::Card
        ));
        assert_eq!(
            transition(
                A::Vendor,
                M::ConfirmPayment,
                S::AwaitingPayment,
                P::Card,
                Fulfilment::Pickup
            ),
            Err(OrderMoveError::Forbidden {
                actor: A::Vendor,
                mv: M::ConfirmPayment,
                from: S::AwaitingPayment
            })
        );
    }

    #[test]
    fn each_payment_source_confirms_only_its_own_method() {
        for (actor, method, from) in [
            (A::Statement, P::Card, S::AwaitingPayment),
            (A::PaymentProvider, P::VietQr, S::AwaitingTransfer),
        ] {
            assert!(!may(actor, M::ConfirmPayment, from, method), "{actor:?}");
        }
    }

    #[test]
    fn a_vendor_an_admin_or_the_statement_import_confirms_a_transfer() {
        for actor in [A::Vendor, A::Admin, A::Statement] {
            assert!(may(
                actor,
                M::ConfirmPayment,
                S::AwaitingTransfer,
                P::VietQr
            ));
        }
        assert!(!may(
            A::Shopper,
            M::ConfirmPayment,
            S::AwaitingTransfer,
            P::VietQr
        ));
    }

    #[test]
    fn a_late_card_payment_never_revives_an_expired_order() {
        assert_eq!(
            transition(
                A::PaymentProvider,
                M::ConfirmPayment,
                S::Expired,
                P::Card,
                Fulfilment::Delivery
            ),
            Err(OrderMoveError::NotAllowed {
                from: S::Expired,
                mv: M::ConfirmPayment
            })
        );
    }

    #[test]
    fn a_late_transfer_revives_an_expired_order_too() {
        assert_eq!(
            transition(
                A::Vendor,
                M::ConfirmPayment,
                S::Expired,
                P::VietQr,
                Fulfilment::Pickup
            ),
            Ok(S::Paid)
        );
    }

    #[test]
    fn a_payment_is_confirmed_once_and_never_for_a_cancelled_order() {
        for from in [S::Paid, S::Cancelled] {
            assert_eq!(
                next_status(from, M::ConfirmPayment, P::Card, Fulfilment::Pickup),
                Err(OrderMoveError::NotAllowed {
                    from,
                    mv: M::ConfirmPayment
                })
            );
        }
    }

    #[test]
    fn a_failed_card_payment_expires_the_order_and_gives_its_stock_back() {
        let to = transition(
            A::PaymentProvider,
            M::PaymentFailed,
            S::AwaitingPayment,
            P::Card,
            Fulfilment::Pickup,
        );
        assert_eq!(to, Ok(S::Expired));
        assert!(!S::Expired.holds_stock());
    }

    #[test]
    fn a_transfer_never_fails_it_only_expires() {
        assert_eq!(
            next_status(
                S::AwaitingTransfer,
                M::PaymentFailed,
                P::VietQr,
                Fulfilment::Pickup
            ),
            Err(OrderMoveError::NotAllowed {
                from: S::AwaitingTransfer,
                mv: M::PaymentFailed
            })
        );
    }

    #[test]
    fn only_the_clock_expires_an_order() {
        for (from, method) in [
            (S::AwaitingPayment, P::Card),
            (S::AwaitingTransfer, P::VietQr),
        ] {
            let expirers: Vec<_> = A::ALL
                .into_iter()
                .filter(|&a| may(a, M::Expire, from, method))
                .collect();
            assert_eq!(expirers, [A::System]);
        }
    }

    #[test]
    fn a_shopper_may_cancel_only_before_paying() {
        let cancellable: Vec<_> = S::ALL
            .into_iter()
            .filter(|&s| P::ALL.into_iter().any(|m| may(A::Shopper, M::Cancel, s, m)))
            .collect();
        assert_eq!(cancellable, [S::AwaitingPayment, S::AwaitingTransfer]);
    }

    #[test]
    fn once_goods_are_ready_or_on_their_way_only_an_admin_may_cancel() {
        for (from, fulfilment) in [
            (S::ReadyForPickup, Fulfilment::Pickup),
            (S::OutForDelivery, Fulfilment::Delivery),
        ] {
            for actor in A::ALL {
                let result = transition(actor, M::Cancel, from, P::Card, fulfilment);
                assert_eq!(result.is_ok(), actor == A::Admin, "{actor} {from}");
            }
        }
    }

    #[test]
    fn a_pickup_order_is_never_sent_out_and_a_delivery_is_never_marked_ready() {
        assert_eq!(
            next_status(S::Accepted, M::SendOut, P::Card, Fulfilment::Pickup),
            Err(OrderMoveError::WrongFulfilment {
                mv: M::SendOut,
                fulfilment: Fulfilment::Pickup
            })
        );
        assert_eq!(
            next_status(S::Accepted, M::MarkReady, P::VietQr, Fulfilment::Delivery),
            Err(OrderMoveError::WrongFulfilment {
                mv: M::MarkReady,
                fulfilment: Fulfilment::Delivery
            })
        );
    }

    #[test]
    fn closed_orders_make_no_move_but_a_late_payment() {
        for (from, mv, method, fulfilment) in every_case() {
            if !from.is_open() && next_status(from, mv, method, fulfilment).is_ok() {
                assert_eq!((from, mv), (S::Expired, M::ConfirmPayment));
            }
        }
    }

    #[test]
    fn a_refused_move_explains_itself() {
        let refused = |r: Result<OrderStatus, OrderMoveError>| r.unwrap_err().to_string();
        assert_eq!(
            refused(next_status(
                S::Completed,
                M::Cancel,
                P::Card,
                Fulfilment::Pickup
            )),
            "cannot cancel an order that is completed"
        );
        assert_eq!(
            refused(next_status(
                S::Accepted,
                M::SendOut,
                P::Card,
                Fulfilment::Pickup
            )),
            "cannot send_out a pickup order"
        );
        assert_eq!(
            refused(next_status(
                S::AwaitingPayment,
                M::Cancel,
                P::VietQr,
                Fulfilment::Pickup
            )),
            "a vietqr pickup order is never awaiting_payment"
        );
        assert_eq!(
            refused(transition(
                A::Shopper,
                M::Accept,
                S::Paid,
                P::Card,
                Fulfilment::Pickup
            )),
            "shopper may not accept an order that is paid"
        );
    }
}
