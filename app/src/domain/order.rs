//! Orders: what a checkout asks for, how its lines are priced and split into one order per
//! stall, the one state machine every order follows, and the order codes that let a bank
//! transfer be matched to the order it pays.
use super::invalid::{FieldErrors, Invalid, NAME_MAX, optional_text, required_text};
use super::market::{DISTRICTS, TradingDays, Weekday};
use super::money::Dong;
use super::phone::Phone;
use super::quantity::{Quantity, Unit, line_total};
use super::search::fold;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

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
    /// Where an order is in its life; see [`next_status`] for the moves between them.
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

    fn fits_method(self, method: PaymentMethod) -> bool {
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
        /// Stripe's webhook for a card, or a matched line of an imported bank statement for a
        /// transfer: the only sources that have seen the money themselves.
        PaymentProvider = "payment_provider",
        /// The clock that expires unpaid orders.
        System = "system",
    }
}

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
            (S::Paid, confirmers(method), None)
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
/// lands in the vendor's bank account, which the vendor, an administrator or a statement
/// import can read.
fn confirmers(method: PaymentMethod) -> &'static [OrderActor] {
    match method {
        PaymentMethod::Card => &[OrderActor::PaymentProvider],
        PaymentMethod::VietQr => &[
            OrderActor::Vendor,
            OrderActor::Admin,
            OrderActor::PaymentProvider,
        ],
    }
}

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
///   back (see [`needs_refund`]). Once the goods are ready or on their way, only an administrator may:
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

/// How long an unpaid order keeps its stock before the clock expires it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiryPolicy {
    pub card_minutes: u32,
    pub transfer_minutes: u32,
}

impl Default for ExpiryPolicy {
    /// 30 minutes for a card: a Stripe Checkout Session cannot expire sooner, and the Session
    /// should be created to expire with the order so Stripe stops taking money at the same
    /// time. 24 hours for a transfer: people pay from their bank app when they can, and a
    /// statement import or the vendor needs time to see it.
    fn default() -> Self {
        ExpiryPolicy {
            card_minutes: 30,
            transfer_minutes: 24 * 60,
        }
    }
}

impl ExpiryPolicy {
    /// How long an order paid by `method` waits for its payment.
    pub fn minutes_for(&self, method: PaymentMethod) -> u32 {
        match method {
            PaymentMethod::Card => self.card_minutes,
            PaymentMethod::VietQr => self.transfer_minutes,
        }
    }
}

/// Stripe keeps a Checkout Session open 30 minutes to 24 hours after making it; a minute's
/// margin either side leaves room for Stripe's clock and the server's to disagree.
const CARD_SESSION_SHORTEST: chrono::TimeDelta = chrono::TimeDelta::minutes(31);
const CARD_SESSION_LONGEST: chrono::TimeDelta = chrono::TimeDelta::minutes(24 * 60 - 1);
/// A session closer than this to its end is not worth sending a shopper to.
const CARD_SESSION_TIME_TO_PAY: chrono::TimeDelta = chrono::TimeDelta::minutes(3);
/// Stripe's own shortest session, with half a minute for the clocks to disagree.
const CARD_SESSION_STILL_CREATABLE: chrono::TimeDelta = chrono::TimeDelta::seconds(30 * 60 + 30);

/// When a Checkout Session made at `now` for orders waiting for their payment until
/// `orders_expire_at` should stop taking payments: with the orders, as far as Stripe's bounds
/// allow. A session that outlives its orders is expired by the sweep that expires them.
pub fn card_session_expiry(
    orders_expire_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> chrono::DateTime<chrono::Utc> {
    let at = orders_expire_at.clamp(now + CARD_SESSION_SHORTEST, now + CARD_SESSION_LONGEST);
    // Stripe counts whole seconds; a repeated request must send the very same value.
    chrono::DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at)
}

/// Whether a card attempt whose session stops taking payments at `expires_at` can still serve
/// at `now`. A session already made can while it leaves the shopper time to pay. One the
/// processor has not answered for yet is asked for again with the very same parameters, which
/// Stripe takes only while `expires_at` is still far enough ahead of a session made now.
pub fn card_attempt_usable(
    expires_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    session_made: bool,
) -> bool {
    let needed = if session_made {
        CARD_SESSION_TIME_TO_PAY
    } else {
        CARD_SESSION_STILL_CREATABLE
    };
    expires_at - now > needed
}

/// Longest delivery address, in characters.
pub const ADDRESS_MAX: usize = 300;
/// Longest note to the vendor, in characters.
pub const NOTE_MAX: usize = 500;

/// The checkout form as posted, before any of it is trusted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutForm {
    pub name: String,
    pub phone: String,
    /// A [`Fulfilment`] slug.
    pub fulfilment: String,
    pub address: Option<String>,
    pub note: Option<String>,
    /// A [`PaymentMethod`] slug.
    pub method: String,
}

/// A checked checkout: who is buying, how they get the goods and how they pay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkout {
    pub name: String,
    pub phone: Phone,
    pub fulfilment: Fulfilment,
    /// The delivery address; always `None` for pickup.
    pub address: Option<String>,
    pub note: Option<String>,
    pub method: PaymentMethod,
}

/// Checks every field of a checkout form, reporting all mistakes at once.
///
/// - `name`: required, at most [`NAME_MAX`] characters.
/// - `phone`: required, a Vietnamese number ([`Phone::parse`]).
/// - `fulfilment`, `method`: required slugs.
/// - `address`: for delivery only, required, at most [`ADDRESS_MAX`] characters, and naming
///   Lào Cai or one of its districts (otherwise `OutsideDeliveryArea`): vendors deliver within the
///   province only. For pickup it is ignored rather than checked, because a form that
///   switched from delivery to pickup may still post what was typed.
/// - `note`: optional, at most [`NOTE_MAX`] characters.
pub fn parse_checkout(form: &CheckoutForm) -> Result<Checkout, FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = errors.check("name", required_text(&form.name, NAME_MAX));
    let phone = errors.check(
        "phone",
        if form.phone.trim().is_empty() {
            Err(Invalid::Required)
        } else {
            Phone::parse(&form.phone)
        },
    );
    let fulfilment = errors.check("fulfilment", choice::<Fulfilment>(&form.fulfilment));
    let address = match fulfilment {
        Some(Fulfilment::Delivery) => errors
            .check(
                "address",
                delivery_address(form.address.as_deref().unwrap_or("")),
            )
            .map(Some),
        Some(Fulfilment::Pickup) | None => Some(None),
    };
    let note = errors.check(
        "note",
        optional_text(form.note.as_deref().unwrap_or(""), NOTE_MAX),
    );
    let method = errors.check("method", choice::<PaymentMethod>(&form.method));
    match (name, phone, fulfilment, address, note, method) {
        (Some(name), Some(phone), Some(fulfilment), Some(address), Some(note), Some(method)) => {
            Ok(Checkout {
                name,
                phone,
                fulfilment,
                address,
                note,
                method,
            })
        }
        _ => Err(errors),
    }
}

/// How many days ahead a pickup can be booked, today included: every trading day once.
pub const PICKUP_WINDOW_DAYS: usize = 7;

/// The date a pickup order is collected from `stall`, posted `YYYY-MM-DD`: one of the dates
/// [`pickup_dates`] offers from `today` (in Lào Cai). A weekday alone would be ambiguous once
/// the offered dates span two weeks, so the order keeps the date. A day the stall doesn't
/// trade is refused naming the stall and its days (nobody is at the stall then; a stall with
/// no trading days offers no pickup); a trading day in the past or beyond the window is
/// refused naming the stall and the dates it can be collected on.
pub fn parse_pickup_date(
    s: &str,
    stall: &str,
    trading: TradingDays,
    today: NaiveDate,
) -> Result<NaiveDate, Invalid> {
    if s.trim().is_empty() {
        return Err(Invalid::Required);
    }
    let date = super::onboarding::parse_date(s).ok_or(Invalid::Date)?;
    if !trading.contains(Weekday::of(date)) {
        return Err(Invalid::NotTradingDay {
            stall: stall.to_owned(),
            days: trading,
        });
    }
    let offered = pickup_dates(trading, today);
    if offered.iter().any(|(_, d)| *d == date) {
        Ok(date)
    } else {
        Err(Invalid::PickupNotOffered {
            stall: stall.to_owned(),
            first: today,
            last: today + chrono::Days::new(PICKUP_WINDOW_DAYS as u64 - 1),
        })
    }
}

/// The days a shopper can collect from a stall trading on `trading`, as the next date of each
/// within the coming week, today (in Lào Cai) first: `Chủ nhật 29/11` reads better than a
/// bare weekday, and a Sunday-only stall offers exactly one choice.
pub fn pickup_dates(trading: TradingDays, today: NaiveDate) -> Vec<(Weekday, NaiveDate)> {
    today
        .iter_days()
        .take(PICKUP_WINDOW_DAYS)
        .map(|date| (Weekday::of(date), date))
        .filter(|(day, _)| trading.contains(*day))
        .collect()
}

/// A value picked from a list: blank is `Required`, anything else must be an exact slug.
fn choice<T: FromStr<Err = Invalid>>(s: &str) -> Result<T, Invalid> {
    if s.trim().is_empty() {
        Err(Invalid::Required)
    } else {
        s.parse()
    }
}

fn delivery_address(s: &str) -> Result<String, Invalid> {
    let address = required_text(s, ADDRESS_MAX)?;
    if names_a_place_in_lao_cai(&address) {
        Ok(address)
    } else {
        Err(Invalid::OutsideDeliveryArea)
    }
}

/// Whether the text names Lào Cai (the province or its city) or one of its districts, as whole
/// words in any case or accents, with or without the spaces inside the name, since `Sapa`
/// and `Simacai` are as common as `Sa Pa` and `Si Ma Cai`. [`DISTRICTS`] includes Lào Cai.
///
/// It asks for a place name, not a proof: an address naming only its commune is refused and
/// the shopper adds the district.
fn names_a_place_in_lao_cai(address: &str) -> bool {
    let folded = fold(address);
    let words: Vec<&str> = folded.split(' ').collect();
    DISTRICTS.iter().any(|district| {
        let name = fold(district);
        let parts: Vec<&str> = name.split(' ').collect();
        let squeezed = parts.concat();
        words.windows(parts.len()).any(|w| w == parts) || words.contains(&squeezed.as_str())
    })
}

/// One product in an order, priced by the server from the database; prices a browser sends
/// are never read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedLine {
    pub product_id: i64,
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
        product_id: i64,
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
    pub stall_id: i64,
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

/// Groups a cart's `(stall id, line)` pairs into one list per stall, stalls in the order they
/// first appear and lines in cart order, so the orders read like the cart did.
pub fn split_by_stall<L>(lines: Vec<(i64, L)>) -> Vec<(i64, Vec<L>)> {
    let mut stalls: Vec<(i64, Vec<L>)> = Vec::new();
    for (stall_id, line) in lines {
        match stalls.iter_mut().find(|(id, _)| *id == stall_id) {
            Some((_, stall_lines)) => stall_lines.push(line),
            None => stalls.push((stall_id, vec![line])),
        }
    }
    stalls
}

/// What the shopper pays once for the whole checkout: every stall order's total.
pub fn grand_total(orders: &[StallOrderDraft], fulfilment: Fulfilment) -> Dong {
    orders.iter().map(|order| order.total(fulfilment)).sum()
}

/// Smallest card payment, in đồng. Stripe refuses a charge worth less than its minimum in the
/// platform's settlement currency: USD 0.50 is about 13 000 ₫ and EUR 0.50 or CHF 0.50 up to
/// about 17 000 ₫, so 10 000 ₫ (under USD 0.40) would be refused. 20 000 ₫ stays above all of
/// them with room for the exchange rate to move; smaller checkouts can pay by transfer.
///
/// An `i64` like [`super::money::MIN_PRICE`], because a `Dong` cannot be built in a constant.
pub const CARD_MIN: i64 = 20_000;
/// Largest card payment, in đồng: Stripe takes at most eight digits of a currency's unit.
pub const CARD_MAX: i64 = 99_999_999;

/// Whether Stripe can charge `total` đồng (sent as is: VND has no minor unit to multiply by).
pub fn check_card_amount(total: Dong) -> Result<(), Invalid> {
    if (CARD_MIN..=CARD_MAX).contains(&total.amount()) {
        Ok(())
    } else {
        Err(Invalid::AmountOutOfRange {
            min: Dong::new(CARD_MIN),
            max: Dong::new(CARD_MAX),
        })
    }
}

/// `DH`, for đơn hàng (order).
const ORDER_CODE_PREFIX: &str = "DH";
/// Digits of the yearly sequence in a code, at least: zero-padded up to this width.
const ORDER_SEQ_WIDTH: usize = 6;

/// The code shoppers, vendors and bank statements use for an order: `DH2026000123` is the
/// 123rd order of 2026. Upper-case letters and digits only, so it survives every bank's
/// description field; restarting the sequence each year keeps codes short.
///
/// For a four-digit year and a sequence from 1. The sequence is padded to six digits and
/// simply grows longer after 999 999, so no two orders ever share a code.
pub fn order_code(year: i32, seq: i64) -> String {
    format!("{ORDER_CODE_PREFIX}{year:04}{seq:0ORDER_SEQ_WIDTH$}")
}

/// The year and sequence of a code as [`order_code`] writes it, `DH` in either case. Anything
/// else is `None`, including a differently padded sequence, so that each order has one code.
pub fn parse_order_code(s: &str) -> Option<(i32, i64)> {
    let digits = s
        .get(..ORDER_CODE_PREFIX.len())
        .filter(|prefix| prefix.eq_ignore_ascii_case(ORDER_CODE_PREFIX))
        .and_then(|_| s.get(ORDER_CODE_PREFIX.len()..))?;
    if digits.len() < 4 + ORDER_SEQ_WIDTH || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = digits[..4].parse().ok()?;
    let seq: i64 = digits[4..].parse().ok().filter(|&seq| seq > 0)?;
    let canonical = order_code(year, seq);
    (canonical[ORDER_CODE_PREFIX.len()..] == *digits).then_some((year, seq))
}

/// Every order code in a bank statement line, upper-cased, once each, in order of appearance.
///
/// Banks upper- or lower-case descriptions, add their own references and punctuation, and
/// sometimes drop spaces, so a code is found wherever `DH` is followed by its digits, even
/// inside a longer word. The digits end at the first non-digit: a code glued to more digits
/// reads as a different code, so the caller should also check the amount.
pub fn find_order_codes(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let prefix = ORDER_CODE_PREFIX.as_bytes();
    let mut codes: Vec<String> = Vec::new();
    let mut i = 0;
    while i + prefix.len() <= bytes.len() {
        if bytes[i..i + prefix.len()].eq_ignore_ascii_case(prefix) {
            let end = i
                + prefix.len()
                + bytes[i + prefix.len()..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
            // Both ends sit next to ASCII bytes, so they are character boundaries.
            if let Some((year, seq)) = parse_order_code(&text[i..end]) {
                let code = order_code(year, seq);
                if !codes.contains(&code) {
                    codes.push(code);
                }
                i = end;
                continue;
            }
        }
        i += 1;
    }
    codes
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
    const QR_CONFIRMERS: &[OrderActor] = &[A::Vendor, A::Admin, A::PaymentProvider];

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
        (S::Expired, M::ConfirmPayment, QR, ANY_WAY, S::Paid, QR_CONFIRMERS),
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
    fn a_vendor_an_admin_or_the_statement_import_confirms_a_transfer() {
        for actor in [A::Vendor, A::Admin, A::PaymentProvider] {
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
    fn a_refund_is_needed_exactly_when_a_card_paid_order_is_cancelled() {
        for (from, _, method, _) in every_case() {
            let cancelling_after_card_payment = method == P::Card
                && matches!(
                    from,
                    S::Paid | S::Accepted | S::ReadyForPickup | S::OutForDelivery | S::Completed
                );
            assert_eq!(needs_refund(from, method), cancelling_after_card_payment);
        }
        assert!(!needs_refund(S::Paid, P::VietQr));
        assert!(!needs_refund(S::AwaitingPayment, P::Card));
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
            ["shopper", "vendor", "admin", "payment_provider", "system"]
        );
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

    #[test]
    fn a_card_reservation_lasts_thirty_minutes_and_a_transfer_a_day_unless_configured() {
        let policy = ExpiryPolicy::default();
        assert_eq!(policy.minutes_for(P::Card), 30);
        assert_eq!(policy.minutes_for(P::VietQr), 1440);
        let configured = ExpiryPolicy {
            card_minutes: 45,
            transfer_minutes: 120,
        };
        assert_eq!(configured.minutes_for(P::Card), 45);
        assert_eq!(configured.minutes_for(P::VietQr), 120);
    }

    fn form(fulfilment: &str, address: Option<&str>) -> CheckoutForm {
        CheckoutForm {
            name: "  Lò Thị Mai ".to_owned(),
            phone: "0912 345 678".to_owned(),
            fulfilment: fulfilment.to_owned(),
            address: address.map(str::to_owned),
            note: Some(" Gọi trước khi giao ".to_owned()),
            method: "vietqr".to_owned(),
        }
    }

    fn address_error(address: &str) -> Option<Invalid> {
        parse_checkout(&form("delivery", Some(address)))
            .err()
            .and_then(|errors| errors.get("address").cloned())
    }

    #[test]
    fn a_pickup_checkout_parses_and_ignores_any_address() {
        let checkout = parse_checkout(&form("pickup", Some("Hà Nội"))).unwrap();
        assert_eq!(
            checkout,
            Checkout {
                name: "Lò Thị Mai".to_owned(),
                phone: Phone::parse("+84912345678").unwrap(),
                fulfilment: Fulfilment::Pickup,
                address: None,
                note: Some("Gọi trước khi giao".to_owned()),
                method: P::VietQr,
            }
        );
    }

    #[test]
    fn a_delivery_checkout_keeps_its_address_in_lao_cai() {
        let checkout =
            parse_checkout(&form("delivery", Some(" 12 Cầu Mây, Sa Pa, Lào Cai "))).unwrap();
        assert_eq!(checkout.fulfilment, Fulfilment::Delivery);
        assert_eq!(
            checkout.address.as_deref(),
            Some("12 Cầu Mây, Sa Pa, Lào Cai")
        );
    }

    #[test]
    fn a_delivery_address_may_name_the_province_or_any_district_however_typed() {
        for address in [
            "Số 5 Hoàng Liên, TP Lào Cai",
            "thon 3, xa Y Ty, BAT XAT",
            "Khu 2, thị trấn Phố Lu, Bảo Thắng",
            "23 Xuân Viên, Sapa",
            "Chợ trung tâm, Simacai",
            "Thôn Na Hối, Bắc Hà",
            "TDP 4, tt. Mường Khương",
            "Xã Khánh Yên, Văn Bàn",
            "Tổ 1, Phố Ràng, Bảo Yên",
            "Phường Cốc Lếu, laocai",
        ] {
            assert_eq!(address_error(address), None, "{address:?}");
        }
    }

    #[test]
    fn a_delivery_address_outside_lao_cai_is_refused() {
        for address in [
            "36 Hàng Bạc, Hoàn Kiếm, Hà Nội",
            "Phường Cầu Mây", // a ward, but no district named
            "Saparia Street", // Sa Pa only as part of a word
            "Laocaiville",
        ] {
            assert_eq!(
                address_error(address),
                Some(Invalid::OutsideDeliveryArea),
                "{address:?}"
            );
        }
    }

    #[test]
    fn a_delivery_needs_an_address_of_at_most_three_hundred_characters() {
        assert_eq!(address_error("  "), Some(Invalid::Required));
        let missing = parse_checkout(&form("delivery", None)).unwrap_err();
        assert_eq!(missing.get("address"), Some(&Invalid::Required));
        let long = format!("{}, Sa Pa", "x".repeat(300));
        assert_eq!(
            address_error(&long),
            Some(Invalid::TooLong { max: ADDRESS_MAX })
        );
    }

    #[test]
    fn a_checkout_reports_every_mistake_at_once_in_form_order() {
        let bad = CheckoutForm {
            name: " ".to_owned(),
            phone: "12345".to_owned(),
            fulfilment: "drone".to_owned(),
            address: Some("Hà Nội".to_owned()),
            note: Some("x".repeat(501)),
            method: String::new(),
        };
        let errors = parse_checkout(&bad).unwrap_err();
        let fields: Vec<_> = errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.invalid.clone()))
            .collect();
        assert_eq!(
            fields,
            [
                ("name", Invalid::Required),
                ("phone", Invalid::Phone),
                ("fulfilment", Invalid::Unknown),
                ("note", Invalid::TooLong { max: NOTE_MAX }),
                ("method", Invalid::Required),
            ]
        );
    }

    #[test]
    fn a_blank_phone_is_required_and_a_long_name_is_too_long() {
        let mut bad = form("pickup", None);
        bad.phone = "  ".to_owned();
        bad.name = "M".repeat(NAME_MAX + 1);
        let errors = parse_checkout(&bad).unwrap_err();
        assert_eq!(errors.get("phone"), Some(&Invalid::Required));
        assert_eq!(
            errors.get("name"),
            Some(&Invalid::TooLong { max: NAME_MAX })
        );
    }

    #[test]
    fn a_blank_note_is_none() {
        let mut quiet = form("pickup", None);
        quiet.note = Some("   ".to_owned());
        assert_eq!(parse_checkout(&quiet).unwrap().note, None);
        quiet.note = None;
        assert_eq!(parse_checkout(&quiet).unwrap().note, None);
    }

    #[test]
    fn a_pickup_date_must_be_an_offered_trading_day_and_a_refusal_names_the_stall() {
        // Wednesday 25 November 2026; the stall trades on Sundays only.
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let sunday_only = TradingDays::from_days(&[Weekday::Sun]);
        let date = |s| parse_pickup_date(s, "Mận Bắc Hà nhà Mỷ", sunday_only, today);
        let not_trading = Err(Invalid::NotTradingDay {
            stall: "Mận Bắc Hà nhà Mỷ".to_owned(),
            days: sunday_only,
        });
        let not_offered = Err(Invalid::PickupNotOffered {
            stall: "Mận Bắc Hà nhà Mỷ".to_owned(),
            first: today,
            last: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        });
        assert_eq!(
            date("2026-11-29"),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap())
        );
        assert_eq!(date("2026-11-30"), not_trading, "a Monday");
        assert_eq!(date("2026-11-22"), not_offered, "last Sunday");
        assert_eq!(date("2026-12-06"), not_offered, "the Sunday after next");
        assert_eq!(date("sun"), Err(Invalid::Date));
        assert_eq!(date(" "), Err(Invalid::Required));
        let none = TradingDays::from_days(&[]);
        assert_eq!(
            parse_pickup_date("2026-11-29", "Gian trống", none, today),
            Err(Invalid::NotTradingDay {
                stall: "Gian trống".to_owned(),
                days: none
            })
        );
    }

    #[test]
    fn every_offered_pickup_date_is_accepted() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let weekdays = TradingDays::from_days(&Weekday::ALL[..6]);
        for (_, offered) in pickup_dates(weekdays, today) {
            let posted = offered.format("%Y-%m-%d").to_string();
            assert_eq!(
                parse_pickup_date(&posted, "Gian", weekdays, today),
                Ok(offered)
            );
        }
    }

    #[test]
    fn pickup_dates_are_the_next_trading_day_of_each_weekday_from_today() {
        // Wednesday 25 November 2026.
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let date = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(
            pickup_dates(TradingDays::from_days(&[Weekday::Sun]), today),
            [(Weekday::Sun, date(29))]
        );
        let weekdays = TradingDays::from_days(&Weekday::ALL[..6]);
        let dates = pickup_dates(weekdays, today);
        assert_eq!(dates.len(), 6);
        assert_eq!(dates[0], (Weekday::Wed, date(25)), "today first");
        assert_eq!(
            dates[5],
            (Weekday::Tue, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
        );
        assert!(pickup_dates(TradingDays::from_days(&[]), today).is_empty());
    }

    fn line(product_id: i64, price: i64, steps: i64, unit: Unit) -> PricedLine {
        PricedLine::new(
            product_id,
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
            stall_id: 7,
            lines: vec![line(1, 45_001, 5, Unit::Kg), line(2, 25_000, 3, Unit::Chai)],
            delivery_fee: Dong::new(15_000),
        };
        assert_eq!(draft.subtotal(), Dong::new(97_501));
        assert_eq!(draft.total(Fulfilment::Pickup), Dong::new(97_501));
        assert_eq!(draft.total(Fulfilment::Delivery), Dong::new(112_501));
    }

    #[test]
    fn a_cart_splits_into_one_list_per_stall_in_first_seen_order() {
        let split = split_by_stall(vec![
            (9, line(1, 1_000, 1, Unit::Cai)),
            (4, line(2, 1_000, 1, Unit::Cai)),
            (9, line(3, 1_000, 1, Unit::Cai)),
            (4, line(4, 1_000, 1, Unit::Cai)),
            (5, line(5, 1_000, 1, Unit::Cai)),
        ]);
        let ids: Vec<(i64, Vec<i64>)> = split
            .iter()
            .map(|(stall, lines)| (*stall, lines.iter().map(|l| l.product_id).collect()))
            .collect();
        assert_eq!(ids, [(9, vec![1, 3]), (4, vec![2, 4]), (5, vec![5])]);
        assert!(split_by_stall::<PricedLine>(Vec::new()).is_empty());
    }

    #[test]
    fn the_grand_total_is_every_stall_order_with_its_fee_when_delivered() {
        let draft = |stall_id, price, fee| StallOrderDraft {
            stall_id,
            lines: vec![line(stall_id, price, 1, Unit::Hop)],
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
    fn stripe_charges_from_twenty_thousand_dong_to_eight_digits() {
        let out = Err(Invalid::AmountOutOfRange {
            min: Dong::new(CARD_MIN),
            max: Dong::new(CARD_MAX),
        });
        assert_eq!(check_card_amount(Dong::new(19_999)), out);
        assert_eq!(check_card_amount(Dong::new(20_000)), Ok(()));
        assert_eq!(check_card_amount(Dong::new(99_999_999)), Ok(()));
        assert_eq!(check_card_amount(Dong::new(100_000_000)), out);
        assert_eq!(check_card_amount(Dong::ZERO), out);
    }

    #[test]
    fn an_order_code_is_dh_the_year_and_a_six_digit_sequence() {
        assert_eq!(order_code(2026, 123), "DH2026000123");
        assert_eq!(order_code(2025, 999_999), "DH2025999999");
        assert_eq!(order_code(2025, 1_000_000), "DH20251000000");
    }

    #[test]
    fn an_order_code_parses_back_in_either_case() {
        for (year, seq) in [(2026, 123), (2025, 1), (2030, 999_999), (2031, 1_234_567)] {
            assert_eq!(parse_order_code(&order_code(year, seq)), Some((year, seq)));
        }
        assert_eq!(parse_order_code("dh2026000123"), Some((2026, 123)));
        assert_eq!(parse_order_code("Dh2026000123"), Some((2026, 123)));
    }

    #[test]
    fn anything_but_a_code_as_written_is_not_a_code() {
        for s in [
            "",
            "DH",
            "DH202600012",                // sequence too short
            "DH20260000123",              // padded differently
            "DH2026000000",               // no order zero
            "DH2026 000123",              // split
            " DH2026000123",              // not trimmed
            "DX2026000123",               // wrong prefix
            "DH2026000123A",              // trailing letter
            "DH2026-000123",              // punctuation
            "ĐH2026000123",               // not ASCII
            "DH202699999999999999999999", // beyond i64
        ] {
            assert_eq!(parse_order_code(s), None, "{s:?}");
        }
    }

    #[test]
    fn order_codes_are_found_in_a_bank_statement_line_however_it_is_written() {
        assert_eq!(
            find_order_codes("CT DEN:123 dh2026000123 Tra sen"),
            ["DH2026000123"]
        );
        assert_eq!(
            find_order_codes("MBVCB.4455.DH2026000123.Tra sen.CT tu 0011001234567"),
            ["DH2026000123"]
        );
        assert_eq!(
            find_order_codes("FT26001ABCDH2026000123TRASEN"),
            ["DH2026000123"]
        );
        assert_eq!(
            find_order_codes("DH2026000123 DH2026000124 thanh toán đơn DH2026000123"),
            ["DH2026000123", "DH2026000124"]
        );
    }

    #[test]
    fn a_statement_line_without_a_whole_code_has_none() {
        for text in [
            "",
            "Chuyen tien an trua",
            "DH 2026000123",
            "dh202600012 thieu so",
            "ĐH2026000123",
            "dhdh",
            "D",
        ] {
            assert!(find_order_codes(text).is_empty(), "{text:?}");
        }
        assert_eq!(find_order_codes("DHDH2026000007 đặc sản"), ["DH2026000007"]);
    }
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
mod fee_tests {
    use super::*;

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

#[cfg(test)]
mod card_session_tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone, Utc};

    #[test]
    fn a_card_session_ends_with_its_orders_within_stripes_bounds() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 8, 0, 0).unwrap();
        let in_minutes = |m| now + TimeDelta::minutes(m);
        assert_eq!(card_session_expiry(in_minutes(45), now), in_minutes(45));
        assert_eq!(
            card_session_expiry(in_minutes(12), now),
            in_minutes(31),
            "never sooner than Stripe allows"
        );
        assert_eq!(
            card_session_expiry(in_minutes(3 * 24 * 60), now),
            in_minutes(24 * 60 - 1),
            "never later than Stripe allows"
        );
        let odd = now + TimeDelta::milliseconds(45 * 60_000 + 400);
        assert_eq!(
            card_session_expiry(odd, now),
            in_minutes(45),
            "whole seconds"
        );
        assert!(card_attempt_usable(in_minutes(10), now, true));
        assert!(!card_attempt_usable(in_minutes(2), now, true));
        assert!(
            card_attempt_usable(in_minutes(31), now, false),
            "a retry at once repeats the attempt"
        );
        assert!(
            !card_attempt_usable(in_minutes(10), now, false),
            "Stripe would refuse to make that session now"
        );
    }
}
