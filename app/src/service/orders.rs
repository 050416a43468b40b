//! Orders: placing a checkout (one order per stall), moving an order through its states, and
//! what a stall or the province sees of them.
use super::carts::{StallGroup, stall_groups};
use crate::api::AppError;
use crate::api::shop::{method_field, pickup_day_field};
use crate::authz::{Admin, OrderHandler, OwnerOf};
use crate::domain::id::{CartId, OrderId, StallId, UserId};
use crate::domain::invalid::{FieldErrors, Invalid};
use crate::domain::order::{
    CardMode, Checkout, CheckoutForm, ExpiryPolicy, Fulfilment, HoldLimit, HoldLimits, OrderActor,
    OrderMove, OrderMoveError, OrderStatus, OrderToPlace, PaymentMethod, check_card_amount,
    check_hold, chosen_method, needs_refund, parse_checkout, parse_pickup_date, transition,
};
use crate::domain::paging::{PageNo, Paged};
use crate::domain::sales::{Channel, PaidBy, Sale, SalesSummary, summarise};
use crate::model::{CheckoutView, Order, Purchases, StallContact, StallRef};
use crate::ports::{HolderKeys, NewCheckout, OrderFilter, Ports, StoreError};
use std::collections::BTreeMap;

/// How many of a shopper's checkouts one page of "My purchases" lists.
pub const PURCHASES_PER_PAGE: u32 = 10;

/// Who places a checkout, and how long its orders wait for their payment.
pub struct Placing {
    /// The checkout's unguessable token, made by the caller so it can be kept before the
    /// checkout is placed ([`resume`]).
    pub token: String,
    pub cart: CartId,
    /// The signed-in shopper, if any: their account lists the checkout under "My purchases".
    pub user_id: Option<UserId>,
    pub policy: ExpiryPolicy,
    /// Who the shopper is and where they are, for `limits`.
    pub holder: HolderKeys,
    pub limits: HoldLimits,
}

/// What the checkout form posts for each stall of the cart, by stall id, and the cart it was
/// shown.
#[derive(Clone, Debug, Default)]
pub struct StallChoices {
    /// Each stall's pickup date, asked only for a pickup.
    pub pickup_days: BTreeMap<String, String>,
    /// How each stall is paid, a [`PaymentMethod`] slug.
    pub methods: BTreeMap<String, String>,
    /// The cart's fingerprint as its page showed it ([`super::carts::fingerprint`]); a form
    /// that posts none (an API client) is not checked against it.
    pub seen: Option<String>,
}

/// Places one order per stall of the cart, reserving their stock, and opens the card payment
/// of those paid by card: one payment for every card-paying stall together, while each stall
/// paid by transfer gets its own VietQR code on the checkout's page. Every order, whatever its
/// method, is placed in one transaction: all of them or none.
///
/// Every refusal is collected and named by field, so the form shows them all: a method the
/// stall doesn't take (under that stall's own field), a date it doesn't trade on, a card total
/// the processor can't charge. A cart that changed since its page was shown is sent back
/// first, since the rest was chosen for the cart as it was. When the card processor can't be
/// reached the orders stay payable and the checkout's page offers a retry.
#[tracing::instrument(skip_all, fields(cart = %placing.cart))]
pub async fn place(
    ports: &Ports,
    placing: Placing,
    form: &CheckoutForm,
    choices: &StallChoices,
) -> Result<CheckoutView, AppError> {
    let groups = stall_groups(ports, placing.cart).await?;
    if groups.is_empty() {
        return Err(AppError::field("cart", Invalid::EmptyCart));
    }
    let cards = ports.cards.mode();
    if choices
        .seen
        .as_deref()
        .is_some_and(|seen| seen != super::carts::fingerprint(&groups, cards))
    {
        return Err(AppError::field("cart", Invalid::CartChanged));
    }
    let (checkout, mut errors) = match parse_checkout(form) {
        Ok(checkout) => (Some(checkout), FieldErrors::new()),
        Err(errors) => (None, errors),
    };
    let dates = match checkout.as_ref().map(|c| c.fulfilment) {
        Some(Fulfilment::Pickup) => chosen_dates(
            &groups,
            &choices.pickup_days,
            ports.clock.today(),
            &mut errors,
        ),
        _ => Vec::new(),
    };
    let orders = chosen_methods(&groups, &choices.methods, cards, &mut errors);
    if let Some(checkout) = &checkout {
        check_held(ports, &placing, checkout, &mut errors).await?;
        check_card_total(&orders, checkout.fulfilment, &mut errors);
    }
    errors.into_result()?;
    // A form that didn't parse left its reasons in `errors`.
    let checkout = checkout.ok_or(AppError::BadRequest)?;
    let view = ports
        .orders
        .place(NewCheckout {
            token: placing.token,
            user_id: placing.user_id,
            cart_id: placing.cart,
            checkout,
            orders,
            pickup_dates: dates,
            expiry: placing.policy,
            holder: placing.holder,
        })
        .await
        .map_err(|e| match e {
            // Another checkout ordered these lines first (a double tap, another tab).
            StoreError::Stale => AppError::field("cart", Invalid::CartChanged),
            other => other.into(),
        })?;
    with_card_payment(ports, view).await
}

/// The checkout with where to pay its card part, when it has one still awaiting payment: the
/// open attempt's page, or a new one. With the processor out of reach the checkout's page
/// offers the retry.
async fn with_card_payment(ports: &Ports, view: CheckoutView) -> Result<CheckoutView, AppError> {
    if !view.awaits_card() {
        return Ok(view);
    }
    match super::payments::start_card_payment(ports, &view).await {
        Ok(url) => Ok(CheckoutView {
            payment_url: Some(url),
            ..view
        }),
        Err(AppError::PaymentUnavailable) => Ok(view),
        Err(other) => Err(other),
    }
}

/// How long after a checkout is placed the same browser posting the checkout form again (a
/// double tap, a reload that posts again, a retry after the answer was lost) is taken to mean
/// that checkout rather than a new one.
const RESUMABLE_MINUTES: i64 = 10;

/// The checkout among `tokens` (this browser's latest, newest first) placed within the last
/// few minutes, with where to pay its card part: what a repeated checkout, finding its cart
/// already ordered and emptied, answers instead of a refusal. A token kept for a checkout
/// that was never placed (refused, or the server stopped first) finds nothing.
pub async fn resume(ports: &Ports, tokens: &[String]) -> Result<Option<CheckoutView>, AppError> {
    let since = ports.clock.now() - chrono::Duration::minutes(RESUMABLE_MINUTES);
    for token in tokens {
        let Some(view) = ports.orders.checkout(token).await? else {
            continue;
        };
        if view.orders.iter().all(|o| o.created_at >= since) {
            return Ok(Some(with_card_payment(ports, view).await?));
        }
        return Ok(None);
    }
    Ok(None)
}

/// Each stall's order with the method chosen for it among those it offers now; a refused
/// choice is named under that stall's own field.
fn chosen_methods(
    groups: &[StallGroup],
    posted: &BTreeMap<String, String>,
    cards: CardMode,
    errors: &mut FieldErrors,
) -> Vec<OrderToPlace> {
    let mut orders = Vec::with_capacity(groups.len());
    for group in groups {
        let stall = &group.stall;
        let method = chosen_method(
            posted.get(&stall.id.to_string()).map(String::as_str),
            &stall.name,
            &group.settings.methods(cards),
            cards,
        );
        if let Some(method) = errors.check(&method_field(stall.id), method) {
            orders.push(OrderToPlace {
                draft: group.draft(),
                method,
            });
        }
    }
    orders
}

/// The card payment covers every card-paying stall at once: their total must be one the
/// processor can charge.
fn check_card_total(orders: &[OrderToPlace], fulfilment: Fulfilment, errors: &mut FieldErrors) {
    let by_card: Vec<&OrderToPlace> = orders
        .iter()
        .filter(|o| o.method == PaymentMethod::Card)
        .collect();
    if !by_card.is_empty() {
        let total = by_card.iter().map(|o| o.draft.total(fulfilment)).sum();
        errors.check("method", check_card_amount(total));
    }
}

/// How many unpaid checkouts the shopper already holds, refused under `cart` past the limit.
async fn check_held(
    ports: &Ports,
    placing: &Placing,
    checkout: &Checkout,
    errors: &mut FieldErrors,
) -> Result<(), AppError> {
    let held = ports
        .orders
        .unpaid_held(&placing.holder, &checkout.phone)
        .await?;
    if let Err(limit) = check_hold(placing.limits, held) {
        errors.push(
            "cart",
            match limit {
                HoldLimit::Shopper(limit) => Invalid::TooManyUnpaid { limit },
                HoldLimit::Address(limit) => Invalid::TooManyUnpaidHere { limit },
            },
        );
    }
    Ok(())
}

/// Each stall's pickup date as chosen, checked against its trading days from `today`; a
/// missing or wrong one is refused under that stall's own field.
fn chosen_dates(
    groups: &[StallGroup],
    pickup_days: &BTreeMap<String, String>,
    today: chrono::NaiveDate,
    errors: &mut FieldErrors,
) -> Vec<(StallId, chrono::NaiveDate)> {
    let mut dates = Vec::new();
    for group in groups {
        let stall = &group.stall;
        let chosen = pickup_days.get(&stall.id.to_string());
        let date = parse_pickup_date(
            chosen.map_or("", String::as_str),
            &stall.name,
            stall.trading_days,
            today,
        );
        if let Some(date) = errors.check(&pickup_day_field(stall.id), date) {
            dates.push((stall.id, date));
        }
    }
    dates
}

/// One order of the checkout behind `token`: what the link's holder may act on.
pub async fn of_checkout(ports: &Ports, token: &str, order_id: OrderId) -> Result<Order, AppError> {
    ports
        .orders
        .checkout(token)
        .await?
        .ok_or(AppError::NotFound)?
        .orders
        .into_iter()
        .find(|o| o.id == order_id)
        .ok_or(AppError::NotFound)
}

/// Records `order`'s move to `to` (a compare-and-set on the status it was read in), then
/// expires the card session the move left charging for it.
#[tracing::instrument(skip_all, fields(order = %order.id, to = %to))]
pub async fn apply(
    ports: &Ports,
    order: &Order,
    to: OrderStatus,
    actor: OrderActor,
    actor_user_id: Option<UserId>,
) -> Result<(), StoreError> {
    let stale = ports
        .orders
        .move_order(order.id, order.status, to, actor, actor_user_id)
        .await?;
    if let Some(session) = stale {
        super::payments::close_card_session(ports, &session).await;
    }
    Ok(())
}

/// The holder of a checkout's link cancels one of its orders while it is still unpaid; the
/// reserved stock goes back to the stall.
#[tracing::instrument(skip_all, fields(order = %order_id))]
pub async fn cancel_by_shopper(
    ports: &Ports,
    token: &str,
    order_id: OrderId,
) -> Result<(), AppError> {
    let order = of_checkout(ports, token, order_id).await?;
    let to = transition(
        OrderActor::Shopper,
        OrderMove::Cancel,
        order.status,
        order.method,
        order.fulfilment,
    )
    .map_err(|_| AppError::Conflict)?;
    apply(ports, &order, to, OrderActor::Shopper, None).await?;
    Ok(())
}

/// A vendor (their own stall's order) or an administrator moves an order on: confirm a
/// transfer, accept, mark ready, send out, complete or cancel. Cancelling a paid card order
/// owes its payment back in the same transaction; the refund is sent once that has happened.
#[tracing::instrument(skip_all, fields(order = %order_id, step = ?mv))]
pub async fn step(
    ports: &Ports,
    actor: crate::domain::role::Actor,
    order_id: OrderId,
    mv: OrderMove,
) -> Result<(), AppError> {
    let order = ports
        .orders
        .order(order_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let handler = OrderHandler::of(ports, actor, &order).await?;
    let to = transition(
        handler.as_,
        mv,
        order.status,
        order.method,
        order.fulfilment,
    )
    .map_err(|e| match e {
        OrderMoveError::Forbidden { .. } => AppError::Forbidden,
        _ => AppError::Conflict,
    })?;
    apply(ports, &order, to, handler.as_, Some(actor.user_id)).await?;
    // The cancellation owed the card payment back in its own transaction; sending it now
    // means the shopper needn't wait for the next sweep, which retries it if this fails.
    if mv == OrderMove::Cancel
        && needs_refund(order.status, order.method)
        && let Err(error) = super::payments::make_refunds(ports, Some(order.id)).await
    {
        tracing::warn!(%error, "a refund will be sent by the next sweep");
    }
    Ok(())
}

/// How many orders one page of a stall's or the administrators' order list shows.
pub const ORDERS_PER_PAGE: u32 = 30;

/// One page of a stall's orders, newest first, those in `status` only when given, with the
/// summary of this month's sales. The summary reads this month's orders only, so a stall's
/// years of orders cost nothing here.
#[tracing::instrument(skip_all)]
pub async fn of_stall(
    ports: &Ports,
    owner: &OwnerOf,
    status: Option<OrderStatus>,
    page: PageNo,
) -> Result<(Paged<Order>, SalesSummary), AppError> {
    let today = ports.clock.today();
    let month = chrono::Datelike::with_day(&today, 1).unwrap_or(today);
    let month_start = super::counter_sales::start_of(month);
    let this_month = OrderFilter {
        since: Some(month_start),
        ..Default::default()
    };
    let all = ports.orders.of_stall(owner.stall.id, &this_month).await?;
    let at_counter = ports
        .counter_sales
        .of_stall(owner.stall.id, month_start)
        .await?;
    let summary = summarise(
        all.iter()
            .map(online_sale)
            .chain(at_counter.iter().map(super::counter_sales::as_sale)),
        ports.clock.now(),
        crate::domain::onboarding::vietnam(),
    );
    let listed = OrderFilter {
        status,
        stall_id: Some(owner.stall.id),
        since: None,
    };
    Ok((list_page(ports, &listed, page).await?, summary))
}

/// An order as the sales tally reads it.
fn online_sale(order: &Order) -> Sale {
    Sale {
        made_at: order.created_at,
        kept: order.status.is_paid(),
        channel: Channel::Online,
        paid_by: match order.method {
            PaymentMethod::Card => PaidBy::Card,
            PaymentMethod::VietQr => PaidBy::Transfer,
        },
        total: order.total,
    }
}

/// Every stall's orders for an administrator, filtered, with the stalls to choose from.
#[tracing::instrument(skip_all)]
pub async fn for_admin(
    ports: &Ports,
    _by: Admin,
    filter: &OrderFilter,
    page: PageNo,
) -> Result<(Paged<Order>, Vec<StallRef>), AppError> {
    let orders = list_page(ports, filter, page).await?;
    let mut stalls: Vec<StallRef> = ports
        .stalls
        .list(&Default::default())
        .await?
        .iter()
        .map(Into::into)
        .collect();
    stalls.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((orders, stalls))
}

/// One page of the orders `filter` lets through, newest first.
async fn list_page(
    ports: &Ports,
    filter: &OrderFilter,
    page: PageNo,
) -> Result<Paged<Order>, AppError> {
    let window = page.window(ORDERS_PER_PAGE);
    let rows = ports.orders.list(filter, window).await?;
    Ok(Paged::from_window(rows, page, window))
}

/// One page of the checkouts `user` placed, newest first.
pub async fn purchases(ports: &Ports, user: UserId, page: PageNo) -> Result<Purchases, AppError> {
    let window = page.window(PURCHASES_PER_PAGE);
    let checkouts = ports
        .orders
        .checkouts_of_user(user, window.offset, window.limit)
        .await?;
    Ok(Paged::from_window(checkouts, page, window))
}

/// Where each stall of a checkout hands over its goods and its phone, for the checkout's page.
pub async fn stall_contacts(
    ports: &Ports,
    view: &CheckoutView,
) -> Result<Vec<StallContact>, AppError> {
    let mut contacts: Vec<StallContact> = Vec::new();
    for order in &view.orders {
        if contacts.iter().any(|c| c.stall_id == order.stall_id) {
            continue;
        }
        if let Some(stall) = ports.stalls.by_id(order.stall_id).await? {
            contacts.push(StallContact {
                stall_id: stall.id,
                place: stall.place,
                phone: stall.phone,
            });
        }
    }
    Ok(contacts)
}
