//! What an order costs: its lines priced by the server, each stall's order with its delivery
//! fee, the checkout's grand total, and the platform's fee on a card payment.
use super::id::{ProductId, StallId};
use super::money::Dong;
use super::quantity::{Quantity, Unit, line_total};
use super::status::Fulfilment;
use serde::{Deserialize, Serialize};

/// One product in an order, priced by the server from the database; prices a browser sends
/// are never read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedLine {
    pub product_id: ProductId,
    /// The product's name when ordered, kept so the order reads the same after a rename.
    pub name: String,
    pub unit: Unit,
    pub unit_price: Dong,
    pub quantity: Quantity,
    pub total: Dong,
}

impl PricedLine {
    /// A line whose total is [`line_total`]: rounded once, half away from zero, to whole đồng.
    pub fn new(
        product_id: ProductId,
        name: String,
        unit: Unit,
        unit_price: Dong,
        quantity: Quantity,
    ) -> PricedLine {
        PricedLine {
            product_id,
            name,
            unit,
            unit_price,
            quantity,
            total: line_total(unit_price, quantity, unit),
        }
    }
}

/// The order a checkout will create for one stall.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StallOrderDraft {
    pub stall_id: StallId,
    pub lines: Vec<PricedLine>,
    /// The stall's own delivery fee, charged only when the goods are delivered.
    pub delivery_fee: Dong,
}

impl StallOrderDraft {
    /// The sum of the line totals, which are already whole đồng: nothing is rounded again.
    pub fn subtotal(&self) -> Dong {
        self.lines.iter().map(|line| line.total).sum()
    }

    /// What the shopper pays this stall: the subtotal, plus the delivery fee for a delivery.
    pub fn total(&self, fulfilment: Fulfilment) -> Dong {
        let fee = match fulfilment {
            Fulfilment::Delivery => self.delivery_fee,
            Fulfilment::Pickup => Dong::ZERO,
        };
        [self.subtotal(), fee].into_iter().sum()
    }
}

/// A stall's order as a checkout places it: what it costs, and how the shopper pays for it.
/// One checkout may pay some stalls by card (one card payment for all of them) and the
/// others by transfer, each its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderToPlace {
    pub draft: StallOrderDraft,
    pub method: super::status::PaymentMethod,
}

/// What the shopper pays once for the whole checkout: every stall order's total.
pub fn grand_total(orders: &[StallOrderDraft], fulfilment: Fulfilment) -> Dong {
    orders.iter().map(|order| order.total(fulfilment)).sum()
}

/// The platform's share of a card payment it collects for a stall, in basis points (1/100 %);
/// zero unless the province decides otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformFee {
    pub basis_points: u32,
}

impl PlatformFee {
    /// The fee on `total`, rounded once to whole đồng, half away from zero like line totals.
    pub fn of(self, total: Dong) -> Dong {
        let fee =
            (i128::from(total.amount()) * i128::from(self.basis_points) * 2 + 10_000) / 20_000;
        Dong::new(i64::try_from(fee).unwrap_or(i64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(product_id: i64, price: i64, steps: i64, unit: Unit) -> PricedLine {
        PricedLine::new(
            ProductId::new(product_id),
            format!("Sản phẩm {product_id}"),
            unit,
            Dong::new(price),
            Quantity::from_steps(steps),
        )
    }

    #[test]
    fn a_priced_line_totals_by_the_one_rounding_rule() {
        let plums = line(1, 45_001, 5, Unit::Kg); // 0.5 kg at 45 001 ₫ = 22 500.5 ₫
        assert_eq!(plums.total, Dong::new(22_501));
        assert_eq!(plums.quantity, Quantity::from_steps(5));
        assert_eq!(line(2, 25_000, 3, Unit::Chai).total, Dong::new(75_000));
    }

    #[test]
    fn a_stall_order_adds_its_delivery_fee_only_for_a_delivery() {
        let draft = StallOrderDraft {
            stall_id: StallId::new(7),
            lines: vec![line(1, 45_001, 5, Unit::Kg), line(2, 25_000, 3, Unit::Chai)],
            delivery_fee: Dong::new(15_000),
        };
        assert_eq!(draft.subtotal(), Dong::new(97_501));
        assert_eq!(draft.total(Fulfilment::Pickup), Dong::new(97_501));
        assert_eq!(draft.total(Fulfilment::Delivery), Dong::new(112_501));
    }

    #[test]
    fn the_grand_total_is_every_stall_order_with_its_fee_when_delivered() {
        let draft = |stall: i64, price, fee| StallOrderDraft {
            stall_id: StallId::new(stall),
            lines: vec![line(stall, price, 1, Unit::Hop)],
            delivery_fee: Dong::new(fee),
        };
        let orders = [draft(1, 50_000, 20_000), draft(2, 30_000, 0)];
        assert_eq!(grand_total(&orders, Fulfilment::Pickup), Dong::new(80_000));
        assert_eq!(
            grand_total(&orders, Fulfilment::Delivery),
            Dong::new(100_000)
        );
        assert_eq!(grand_total(&[], Fulfilment::Delivery), Dong::ZERO);
    }

    #[test]
    fn no_fee_is_charged_by_default_and_a_fee_rounds_once_to_whole_dong() {
        assert_eq!(PlatformFee::default().of(Dong::new(150_000)), Dong::ZERO);
        let two_and_a_half_percent = PlatformFee { basis_points: 250 };
        assert_eq!(
            two_and_a_half_percent.of(Dong::new(150_000)),
            Dong::new(3_750)
        );
        assert_eq!(
            two_and_a_half_percent.of(Dong::new(100)),
            Dong::new(3),
            "2.5 ₫ rounds up"
        );
        assert_eq!(
            two_and_a_half_percent.of(Dong::new(99)),
            Dong::new(2),
            "2.475 ₫ rounds down"
        );
    }
}
