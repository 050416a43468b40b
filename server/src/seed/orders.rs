//! The demo's sales: the tourist's account buys from about two in five onboarded stalls, each
//! order placed, paid and handled through the same ports a real checkout goes through, so the
//! stock is reserved, the vendors' order pages have something in them, and the onboarding
//! report's "transacting" stage counts real cashless payments.
//!
//! Each sale is dated by the seed's clock, some time after its stall came on board and within
//! the last [`SALES_DAYS`] days, so "transacting" (a payment in the last thirty days) has a
//! past as well as a present.
use crate::config::Settings;
use crate::db::carts::CartStore;
use crate::db::orders::OrderStore;
use anyhow::Context;
use app::domain::id::{CartId, ProductId, StallId, UserId};
use app::domain::market::TradingDays;
use app::domain::order::{
    CheckoutForm, Fulfilment, OrderActor, OrderMove, OrderStatus, OrderToPlace, PaymentMethod,
    StallOrderDraft, check_card_amount, grand_total, parse_checkout, parse_pickup_date,
    pickup_dates, split_by_stall, transition,
};
use app::domain::quantity::Quantity;
use app::model::{CartLine, Order, Product, Stall};
use app::ports::{CardOutcome, CartOwner, Carts, Catalog, Clock, NewCheckout, Orders, Stalls};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::DatabaseConnection;

/// How far back the demo's sales go.
const SALES_DAYS: i64 = 75;

/// One onboarded stall, in the order the stalls came on board.
pub(super) struct Onboarded {
    pub stall_id: StallId,
    /// When it became onboarded: its sales come after.
    pub since: DateTime<Utc>,
    /// Whether the demo may sell from it: the stalls the end-to-end tests buy from keep their
    /// order pages and stock to those tests.
    pub may_sell: bool,
}

/// Which onboarded stalls sell: two of every five (the second and fourth), about 40%.
fn sells(position: usize) -> bool {
    matches!(position % 5, 1 | 3)
}

/// At most this many demo orders are paid by card; the rest by VietQR transfer.
const CARD_ORDERS: usize = 3;

/// The tourist's name and phone number on every demo checkout.
const SHOPPER_NAME: &str = "Khách du lịch";
const SHOPPER_PHONE: &str = "0977123456";

/// Where deliveries go, each naming its district as the checkout requires.
const ADDRESSES: [&str; 4] = [
    "Khách sạn Mường Thanh, 86 Hoàng Liên, phường Cốc Lếu, Lào Cai",
    "Homestay Hoa Mai, thôn Tả Van, Sa Pa",
    "Nhà nghỉ Ngọc Sơn, thị trấn Bắc Hà, Bắc Hà",
    "Số 12 đường Trần Hưng Đạo, phường Nam Cường, Lào Cai",
];

/// What the seed needs to buy like a shopper and sell like a vendor.
pub(super) struct Sales<'a> {
    pub db: &'a DatabaseConnection,
    pub settings: &'a Settings,
    pub stalls: &'a dyn Stalls,
    pub catalog: &'a dyn Catalog,
    /// The demo shopper's account.
    pub shopper: UserId,
    /// The seed's clock, which dates each sale.
    pub clock: &'a Clock,
}

/// Places and pays the demo's orders; returns how many stalls were paid.
pub(super) async fn sell(sales: &Sales<'_>, onboarded: &[Onboarded]) -> anyhow::Result<usize> {
    let carts = CartStore(sales.db.clone(), sales.clock.clone());
    let hub = crate::live::Hub::unwatched(sales.db.clone());
    let orders = OrderStore(sales.db.clone(), sales.clock.clone(), hub);
    let now = sales.clock.now();
    let cart = carts
        .cart(&CartOwner::User(sales.shopper), true)
        .await
        .map_err(anyhow::Error::msg)?
        .context("the shopper's cart")?;
    let mut paid_stalls = 0;
    let mut n = 0;
    let mut cards = 0;
    let sellers = onboarded
        .iter()
        .enumerate()
        .filter(|(k, s)| sells(*k) && s.may_sell);
    for (j, seller) in sellers.map(|(_, s)| s).enumerate() {
        let stall = sales
            .stalls
            .by_id(seller.stall_id)
            .await
            .map_err(anyhow::Error::msg)?
            .context("an onboarded stall")?;
        let settings = sales
            .stalls
            .payment_settings(stall.id)
            .await
            .map_err(anyhow::Error::msg)?;
        // Every third stall sells twice, to two visits of the tourist.
        let visits = if j % 3 == 0 { 2 } else { 1 };
        let mut sold = false;
        for visit in 0..visits {
            // Spread over the last weeks, but never before the stall was on board.
            let days_ago = ((j * 11 + visit * 17) as i64) % SALES_DAYS;
            let at = (now - Duration::days(days_ago) - Duration::hours(2))
                .max(seller.since + Duration::days(1));
            if at >= now {
                continue;
            }
            sales.clock.set(at);
            let products = sales
                .catalog
                .of_stall(stall.id, true)
                .await
                .map_err(anyhow::Error::msg)?;
            let lines = basket(&products, j + visit);
            if lines.is_empty() {
                continue;
            }
            let wants_card = settings.accepts_cards && cards < CARD_ORDERS && j % 2 == 1;
            let fulfilment = if stall.trading_days.is_empty() || (j + visit) % 3 == 2 {
                Fulfilment::Delivery
            } else {
                Fulfilment::Pickup
            };
            let purchase = Purchase {
                stall: &stall,
                lines,
                fulfilment,
                address: ADDRESSES[n % ADDRESSES.len()],
                delivery_fee: settings.delivery_fee,
                wants_card,
            };
            let order = buy(sales, &carts, &orders, cart, &purchase)
                .await
                .with_context(|| format!("a demo order from {}", stall.name))?;
            if order.method == PaymentMethod::Card {
                cards += 1;
            }
            handle(&orders, &stall, order, n).await?;
            n += 1;
            sold = true;
        }
        paid_stalls += usize::from(sold);
    }
    sales.clock.set(now);
    let left = carts.lines(cart).await.map_err(anyhow::Error::msg)?;
    anyhow::ensure!(left.is_empty(), "the demo shopper's cart is not empty");
    Ok(paid_stalls)
}

/// One or two of a stall's products with enough stock that the order leaves plenty on sale:
/// two of a cheap one, one of a dear one.
fn basket(products: &[Product], seed: usize) -> Vec<(ProductId, Quantity)> {
    let quantity = |p: &Product| {
        let units = if p.price.amount() < 30_000 { 2 } else { 1 };
        Quantity::from_steps(units * p.unit.steps_per_unit())
    };
    let on_sale: Vec<&Product> = products
        .iter()
        .filter(|p| p.published)
        .filter(|p| p.stock.is_none_or(|s| s.steps() >= 4 * quantity(p).steps()))
        .collect();
    if on_sale.is_empty() {
        return Vec::new();
    }
    let count = if seed.is_multiple_of(2) && on_sale.len() > 1 {
        2
    } else {
        1
    };
    (0..count)
        .map(|i| on_sale[(seed + i) % on_sale.len()])
        .map(|p| (p.id, quantity(p)))
        .collect()
}

/// One visit to one stall.
struct Purchase<'a> {
    stall: &'a Stall,
    lines: Vec<(ProductId, Quantity)>,
    fulfilment: Fulfilment,
    address: &'a str,
    delivery_fee: app::domain::money::Dong,
    /// By card if the stall takes cards and the amount is one Stripe accepts.
    wants_card: bool,
}

/// Puts the lines in the shopper's cart and checks out as the shop's checkout does: prices
/// from the catalogue, the pickup date among the stall's offered dates, the stock reserved and
/// the cart emptied by the order store. Returns the placed order.
async fn buy(
    sales: &Sales<'_>,
    carts: &CartStore,
    orders: &OrderStore,
    cart: CartId,
    purchase: &Purchase<'_>,
) -> anyhow::Result<Order> {
    let drafts = fill_cart(carts, cart, purchase).await?;
    let card =
        purchase.wants_card && check_card_amount(grand_total(&drafts, purchase.fulfilment)).is_ok();
    let method = if card {
        PaymentMethod::Card
    } else {
        PaymentMethod::VietQr
    };
    let checkout = parse_checkout(&CheckoutForm {
        name: SHOPPER_NAME.into(),
        phone: SHOPPER_PHONE.into(),
        fulfilment: purchase.fulfilment.slug().into(),
        address: Some(purchase.address.into()),
        note: None,
    })
    .map_err(|e| anyhow::anyhow!("checkout form: {e:?}"))?;
    let pickup_dates = match purchase.fulfilment {
        Fulfilment::Pickup => vec![(purchase.stall.id, pickup_date(sales, purchase)?)],
        Fulfilment::Delivery => Vec::new(),
    };
    let view = orders
        .place(NewCheckout {
            token: uuid::Uuid::new_v4().simple().to_string(),
            user_id: Some(sales.shopper),
            cart_id: cart,
            checkout,
            orders: drafts
                .into_iter()
                .map(|draft| OrderToPlace { draft, method })
                .collect(),
            pickup_dates,
            expiry: sales.settings.expiry,
            holder: app::ports::HolderKeys {
                holder: app::ports::CartOwner::User(sales.shopper).holder(),
                address: None,
            },
        })
        .await
        .map_err(anyhow::Error::msg)?;
    if method == PaymentMethod::Card {
        // The card processor reports the payment as its webhook would.
        orders
            .apply_card_event(
                &format!("evt_demo_{}", view.token),
                &view.token,
                &CardOutcome::Paid {
                    session: format!("cs_demo_{}", view.token),
                    payment_intent: None,
                    orders: None,
                    charged: app::ports::Charged {
                        amount: Some(view.total.amount()),
                        currency: Some("vnd".into()),
                    },
                },
                sales.settings.platform_fee,
            )
            .await
            .map_err(anyhow::Error::msg)?;
    }
    let placed = view.orders.into_iter().next().context("the placed order")?;
    orders
        .order(placed.id)
        .await
        .map_err(anyhow::Error::msg)?
        .context("the placed order")
}

/// Puts the purchase's lines in the shopper's cart and splits the cart as the checkout does,
/// priced from the catalogue: one stall order, the purchase's stall's.
async fn fill_cart(
    carts: &CartStore,
    cart: CartId,
    purchase: &Purchase<'_>,
) -> anyhow::Result<Vec<StallOrderDraft>> {
    for &(product, quantity) in &purchase.lines {
        carts
            .add(cart, product, quantity)
            .await
            .map_err(anyhow::Error::msg)?;
    }
    let priced = carts
        .lines(cart)
        .await
        .map_err(anyhow::Error::msg)?
        .into_iter()
        .map(CartLine::priced)
        .collect();
    let drafts: Vec<StallOrderDraft> = split_by_stall(priced)
        .into_iter()
        .map(|(stall_id, lines)| StallOrderDraft {
            stall_id,
            lines,
            delivery_fee: purchase.delivery_fee,
        })
        .collect();
    anyhow::ensure!(
        drafts.len() == 1 && drafts[0].stall_id == purchase.stall.id,
        "the cart holds one stall's products"
    );
    Ok(drafts)
}

/// The date the purchase is collected, checked as the checkout checks a posted one.
fn pickup_date(sales: &Sales<'_>, purchase: &Purchase<'_>) -> anyhow::Result<NaiveDate> {
    let today = sales.clock.today();
    let date = next_pickup_date(purchase.stall.trading_days, today)
        .context("a stall with trading days")?;
    parse_pickup_date(
        &date.format("%Y-%m-%d").to_string(),
        &purchase.stall.name,
        purchase.stall.trading_days,
        today,
    )
    .map_err(|e| anyhow::anyhow!("pickup date: {e:?}"))
}

/// The first date the checkout offers for a stall trading on `days` after `today`, or today
/// when that is the only one.
fn next_pickup_date(days: TradingDays, today: NaiveDate) -> Option<NaiveDate> {
    let offered: Vec<NaiveDate> = pickup_dates(days, today)
        .into_iter()
        .map(|(_, date)| date)
        .collect();
    offered
        .iter()
        .copied()
        .find(|&date| date > today)
        .or(offered.first().copied())
}

/// The vendor confirms a transfer they see in their account, then takes the order along: one
/// in three stays paid for the vendor to accept, one is accepted, one is handed over. A card
/// order is always handed over, so no demo card payment is ever to be refunded.
async fn handle(orders: &OrderStore, stall: &Stall, order: Order, n: usize) -> anyhow::Result<()> {
    let mut moves = Vec::new();
    if order.status == OrderStatus::AwaitingTransfer {
        moves.push(OrderMove::ConfirmPayment);
    }
    let steps = if order.method == PaymentMethod::Card {
        2
    } else {
        n % 3
    };
    if steps >= 1 {
        moves.push(OrderMove::Accept);
    }
    if steps >= 2 {
        moves.push(match order.fulfilment {
            Fulfilment::Pickup => OrderMove::MarkReady,
            Fulfilment::Delivery => OrderMove::SendOut,
        });
        moves.push(OrderMove::Complete);
    }
    let mut status = order.status;
    anyhow::ensure!(
        status == OrderStatus::Paid || moves.first() == Some(&OrderMove::ConfirmPayment),
        "order {} is {status} after paying",
        order.code
    );
    for mv in moves {
        let to = transition(
            OrderActor::Vendor,
            mv,
            status,
            order.method,
            order.fulfilment,
        )
        .map_err(anyhow::Error::msg)?;
        orders
            .move_order(
                order.id,
                status,
                to,
                OrderActor::Vendor,
                Some(stall.owner_id),
            )
            .await
            .map_err(anyhow::Error::msg)?;
        status = to;
    }
    Ok(())
}
