//! A product's stock as its vendor changes it: what saving the product form does to a stock
//! that may have sold meanwhile, and why each change in the stock's history was made.
use super::quantity::Quantity;

slug_enum! {
    /// Why a vendor changed a product's stock, as its history shows it. Sales and
    /// cancellations are not here: the orders hold them.
    pub enum StockReason {
        /// The stock the product was listed with.
        Listed = "listed",
        /// A new count typed into the product form.
        Counted = "counted",
        /// A delivery came in.
        Received = "received",
        /// Goods spoiled, broke or went missing.
        Spoiled = "spoiled",
    }
}

/// What saving the product form does to the stock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StockEdit {
    /// The form left the number as it showed it: the stock, which may have sold since, stays.
    Keep,
    /// Add this many steps (negative to take away) to whatever is left now: a vendor who
    /// raises 10 to 30 received 20, even if 3 sold while the form was open.
    Add(i64),
    /// Limit a stock that was unlimited to this, if it still is.
    Limit(Quantity),
    /// Make the stock unlimited.
    Unlimit,
    /// Set the stock to this whatever it is now: only for a form that doesn't say what it
    /// showed.
    Set(Quantity),
}

/// The edit that turns the stock `shown` in the form into `wanted`; `shown` is `None` when the
/// form didn't say (`Some(None)` when it showed an unlimited stock). A stock is counted in its
/// unit's steps, so when the form also changes the unit (`same_unit` false) the number shown
/// no longer measures the same goods: the new one is a fresh count, set as it is.
pub fn stock_edit(
    shown: Option<Option<Quantity>>,
    wanted: Option<Quantity>,
    same_unit: bool,
) -> StockEdit {
    match (shown, wanted) {
        (_, None) => StockEdit::Unlimit,
        (_, Some(to)) if !same_unit => StockEdit::Set(to),
        (None, Some(to)) => StockEdit::Set(to),
        (Some(Some(from)), Some(to)) if from == to => StockEdit::Keep,
        (Some(Some(from)), Some(to)) => StockEdit::Add(to.steps() - from.steps()),
        (Some(None), Some(to)) => StockEdit::Limit(to),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(steps: i64) -> Quantity {
        Quantity::from_steps(steps)
    }

    #[test]
    fn an_unchanged_number_keeps_the_stock_whatever_sold_meanwhile() {
        assert_eq!(
            stock_edit(Some(Some(q(10))), Some(q(10)), true),
            StockEdit::Keep
        );
    }

    #[test]
    fn a_changed_number_is_the_difference_from_what_the_form_showed() {
        assert_eq!(
            stock_edit(Some(Some(q(10))), Some(q(30)), true),
            StockEdit::Add(20)
        );
        assert_eq!(
            stock_edit(Some(Some(q(10))), Some(q(4)), true),
            StockEdit::Add(-6)
        );
    }

    #[test]
    fn a_stock_typed_with_a_new_unit_is_a_fresh_count() {
        // 10 kg shown as 100 steps of 0.1 kg, now sold by the piece: 12 pieces, not 12 − 100.
        assert_eq!(
            stock_edit(Some(Some(q(100))), Some(q(12)), false),
            StockEdit::Set(q(12))
        );
        assert_eq!(
            stock_edit(Some(Some(q(100))), None, false),
            StockEdit::Unlimit
        );
    }

    #[test]
    fn unlimited_and_unknown_starts_are_their_own_edits() {
        assert_eq!(
            stock_edit(Some(None), Some(q(5)), true),
            StockEdit::Limit(q(5))
        );
        assert_eq!(stock_edit(Some(None), None, true), StockEdit::Unlimit);
        assert_eq!(stock_edit(Some(Some(q(3))), None, true), StockEdit::Unlimit);
        assert_eq!(stock_edit(None, Some(q(7)), true), StockEdit::Set(q(7)));
    }
}
