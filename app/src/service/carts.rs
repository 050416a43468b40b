//! The cart: lines added and changed within what the stall has left, grouped by stall and
//! priced from the catalogue — prices sent by a browser never get here.
use crate::api::AppError;
use crate::api::shop::cart_line_field;
use crate::domain::id::CartId;
use crate::domain::id::ProductId;
use crate::domain::order::{
    CardMode, Fulfilment, StallOrderDraft, grand_total, pickup_dates, split_by_stall,
};
use crate::domain::quantity::{Quantity, within_stock};
use crate::model::{CartLine, CartStall, CartView, Order, PaymentSettings, Stall};
use crate::ports::Ports;

/// How much of the product the cart holds already (nothing when it isn't in it).
pub async fn quantity_in_cart(
    ports: &Ports,
    cart: CartId,
    product_id: ProductId,
) -> Result<Quantity, AppError> {
    Ok(ports
        .carts
        .lines(cart)
        .await?
        .into_iter()
        .find(|line| line.product.id == product_id)
        .map(|line| line.quantity)
        .unwrap_or_default())
}

/// Adds `quantity` (as typed) of a product on sale to the cart. More than the stall has left
/// is refused, counting what the cart already holds: advice, not a reservation, since stock
/// is taken only when an order is placed. So is the product of a stall that takes no payment
/// method now, whose checkout would be refused.
#[tracing::instrument(skip_all, fields(cart = %cart, product = %product_id))]
pub async fn add(
    ports: &Ports,
    cart: CartId,
    product_id: ProductId,
    quantity: &str,
) -> Result<(), AppError> {
    let (product, stall) = ports.product_and_stall(product_id).await?;
    if !product.published || !stall.status.is_public() {
        return Err(AppError::NotFound);
    }
    super::setup::check_payable(ports, &stall, "quantity").await?;
    let quantity =
        Quantity::parse(quantity, product.unit).map_err(|e| AppError::field("quantity", e))?;
    let in_cart = quantity_in_cart(ports, cart, product_id).await?;
    let wanted = Quantity::from_steps(in_cart.steps().saturating_add(quantity.steps()));
    within_stock(&product.name, product.unit, wanted, product.stock)
        .map_err(|e| AppError::field("quantity", e))?;
    ports.carts.add(cart, product_id, quantity).await?;
    Ok(())
}

/// Sets a line's quantity (as typed); blank or zero removes the line. A quantity that
/// doesn't parse, or is more than the stall has left, is refused under that line's own field.
#[tracing::instrument(skip_all, fields(cart = %cart, product = %product_id))]
pub async fn set(
    ports: &Ports,
    cart: CartId,
    product_id: ProductId,
    quantity: &str,
) -> Result<(), AppError> {
    let product = ports
        .catalog
        .by_id(product_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let quantity = match quantity.trim() {
        "" | "0" => Quantity::from_steps(0),
        q => Quantity::parse(q, product.unit)
            .and_then(|q| within_stock(&product.name, product.unit, q, product.stock).map(|()| q))
            .map_err(|e| AppError::field(&cart_line_field(product_id), e))?,
    };
    ports.carts.set(cart, product_id, quantity).await?;
    Ok(())
}

/// Puts the lines of an order that was never paid or was cancelled back in the cart. A line
/// already there keeps the larger quantity, so doing it twice adds nothing twice; products no
/// longer on sale, or of a stall that takes no payment now, are left out. An order still
/// holding its stock is a conflict.
#[tracing::instrument(skip_all, fields(cart = %cart, order = %order.id))]
pub async fn restore(ports: &Ports, cart: CartId, order: &Order) -> Result<(), AppError> {
    if order.status.holds_stock() {
        return Err(AppError::Conflict);
    }
    let in_cart = ports.carts.lines(cart).await?;
    for line in &order.lines {
        let (product, stall) = ports.product_and_stall(line.product_id).await?;
        if !product.published
            || !stall.status.is_public()
            || super::setup::methods(ports, &stall).await?.is_empty()
        {
            continue;
        }
        let already = in_cart
            .iter()
            .find(|l| l.product.id == line.product_id)
            .map(|l| l.quantity);
        let quantity = already.map_or(line.quantity, |q| q.max(line.quantity));
        ports.carts.set(cart, line.product_id, quantity).await?;
    }
    Ok(())
}

/// One stall's lines of a cart, with the stall and how it takes money.
pub struct StallGroup {
    pub stall: Stall,
    pub settings: PaymentSettings,
    pub lines: Vec<CartLine>,
}

impl StallGroup {
    /// The order a checkout places with this stall, priced from the catalogue.
    pub fn draft(&self) -> StallOrderDraft {
        StallOrderDraft {
            stall_id: self.stall.id,
            lines: self.lines.iter().cloned().map(|l| l.priced().1).collect(),
            delivery_fee: self.settings.delivery_fee,
        }
    }
}

/// What a cart is as its page shows it, in a few characters: every line's product, quantity
/// and price, and every stall's delivery fee and payment methods, in cart order. A checkout
/// posts the fingerprint of the cart it was shown and is sent back when the cart is no longer
/// that one (a price changed, a line added in another tab, a stall stopped taking cards), so
/// nobody orders, or pays, something other than what they saw.
pub fn fingerprint(groups: &[StallGroup], cards: CardMode) -> String {
    // FNV-1a: stable across builds and platforms, unlike the standard library's hasher, so a
    // page served before a restart still matches; it guards against staleness, not forgery.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |value: i64| {
        for byte in value.to_le_bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for group in groups {
        eat(group.stall.id.get());
        eat(group.settings.delivery_fee.amount());
        for method in group.settings.methods(cards) {
            method.slug().bytes().for_each(|b| eat(b.into()));
        }
        for line in &group.lines {
            eat(line.product.id.get());
            eat(line.quantity.steps());
            eat(line.product.price.amount());
        }
        eat(-1);
    }
    format!("{hash:016x}")
}

/// The cart's lines grouped by stall, in cart order: what the cart page shows and what a
/// checkout orders, read the same way for both.
pub async fn stall_groups(ports: &Ports, cart: CartId) -> Result<Vec<StallGroup>, AppError> {
    let lines = ports.carts.lines(cart).await?;
    let by_stall = split_by_stall(
        lines
            .into_iter()
            .map(|line| (line.product.stall_id, line))
            .collect(),
    );
    let mut groups = Vec::with_capacity(by_stall.len());
    for (stall_id, lines) in by_stall {
        let stall = ports
            .stalls
            .by_id(stall_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let settings = ports.stalls.payment_settings(stall_id).await?;
        groups.push(StallGroup {
            stall,
            settings,
            lines,
        });
    }
    Ok(groups)
}

/// The cart as the cart page shows it: per stall its subtotal, delivery fee and pickup dates
/// (from today in Lào Cai), and the totals for pickup and for delivery.
#[tracing::instrument(skip_all)]
pub async fn view(ports: &Ports, cart: CartId) -> Result<CartView, AppError> {
    let today = ports.clock.today();
    let cards = ports.cards.mode();
    let groups = stall_groups(ports, cart).await?;
    let seen = fingerprint(&groups, cards);
    let drafts: Vec<StallOrderDraft> = groups.iter().map(StallGroup::draft).collect();
    let stalls = groups
        .into_iter()
        .zip(&drafts)
        .map(|(group, draft)| CartStall {
            stall_id: group.stall.id,
            pickup_dates: pickup_dates(group.stall.trading_days, today),
            methods: group.settings.methods(cards),
            stall_name: group.stall.name,
            stall_slug: group.stall.slug,
            lines: group.lines,
            subtotal: draft.subtotal(),
            delivery_fee: draft.delivery_fee,
        })
        .collect();
    Ok(CartView {
        stalls,
        seen,
        pickup_total: grand_total(&drafts, Fulfilment::Pickup),
        delivery_total: grand_total(&drafts, Fulfilment::Delivery),
    })
}
