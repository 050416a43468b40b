//! Actions that can't be taken back (a photo deleted, a token revoked, an order cancelled) or
//! that move money (a transfer confirmed, a settlement recorded) are asked twice. The page
//! shows what will happen and a button that posts [`FIELD`]` = `[`YES`]; the server acts only
//! when the request carries it, so an old page, a double tap on the wrong row or a hand-made
//! request never acts at the first step.
use super::invalid::Invalid;
use super::order::OrderMove;
use super::stall::StallMove;

/// The form field the confirming button posts.
pub const FIELD: &str = "confirmed";
/// Its value.
pub const YES: &str = "yes";

/// Proof that the person saw what the action does and confirmed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Confirmed(());

/// The confirmation a request carries, or why it doesn't count as one.
pub fn confirmed(flag: Option<&str>) -> Result<Confirmed, Invalid> {
    match flag.map(str::trim) {
        Some(YES) => Ok(Confirmed(())),
        _ => Err(Invalid::NotConfirmed),
    }
}

/// Order moves asked twice: saying money arrived can't be taken back (the shopper is told the
/// order is paid), and a cancellation ends the order and may refund a card.
pub fn order_move_needs_it(mv: OrderMove) -> bool {
    matches!(mv, OrderMove::ConfirmPayment | OrderMove::Cancel)
}

/// Stall moves asked twice: a suspension takes a stall and its goods off the market at once.
pub fn stall_move_needs_it(mv: StallMove) -> bool {
    matches!(mv, StallMove::Suspend)
}

/// The confirmation `mv` needs, when it needs one: `Ok` for a move that needs none.
pub fn for_order_move(mv: OrderMove, flag: Option<&str>) -> Result<(), Invalid> {
    if order_move_needs_it(mv) {
        confirmed(flag)?;
    }
    Ok(())
}

/// The confirmation a stall move needs, when it needs one.
pub fn for_stall_move(mv: StallMove, flag: Option<&str>) -> Result<(), Invalid> {
    if stall_move_needs_it(mv) {
        confirmed(flag)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_confirming_buttons_value_confirms() {
        assert!(confirmed(Some("yes")).is_ok());
        assert!(confirmed(Some(" yes ")).is_ok());
        // A ticked checkbox ("on") or another spelling is not what the button posts.
        for flag in [None, Some(""), Some("no"), Some("YES"), Some("on")] {
            assert_eq!(confirmed(flag), Err(Invalid::NotConfirmed), "{flag:?}");
        }
    }

    #[test]
    fn money_received_and_cancelling_are_asked_twice_and_the_daily_steps_are_not() {
        let asked: Vec<OrderMove> = OrderMove::ALL
            .into_iter()
            .filter(|m| order_move_needs_it(*m))
            .collect();
        assert_eq!(asked, vec![OrderMove::ConfirmPayment, OrderMove::Cancel]);
        assert!(for_order_move(OrderMove::Accept, None).is_ok());
        assert!(for_order_move(OrderMove::Cancel, None).is_err());
        assert!(for_order_move(OrderMove::Cancel, Some(YES)).is_ok());
    }

    #[test]
    fn suspending_a_stall_is_asked_twice() {
        let asked: Vec<StallMove> = StallMove::ALL
            .into_iter()
            .filter(|m| stall_move_needs_it(*m))
            .collect();
        assert_eq!(asked, vec![StallMove::Suspend]);
        assert!(for_stall_move(StallMove::Approve, None).is_ok());
        assert!(for_stall_move(StallMove::Suspend, None).is_err());
    }
}
