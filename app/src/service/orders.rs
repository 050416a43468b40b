//! Orders: placing a checkout (one order per stall), moving an order through its states, and
//! what a stall or the province sees of them.
use super::carts::{StallGroup, stall_groups};
use crate::api::AppError;
use crate::api::sales::ADMIN_ORDERS_SHOWN;
use crate::api::shop::pickup_day_field;
use crate::authz::{Admin, OrderHandler, OwnerOf};
use crate::domain::id::{CartId, OrderId, StallId, UserId};
use crate::domain::invalid::{FieldErrors, Invalid};
use crate::domain::order::{
    CardMode, CheckoutForm, ExpiryPolicy, Fulfilment, HoldLimit, HoldLimits, OrderActor, OrderMove,
    OrderMoveError, OrderStatus, PaymentMethod, StallOrderDraft, check_card_amount, check_hold,
    grand_total, needs_refund, parse_checkout, parse_pickup_date, transition,
};
use crate::domain::sales::{Sale, SalesSummary, summarise};
use crate::model::{CheckoutView, Order, StallRef};
use crate::ports::{HolderKeys, NewCheckout, OrderFilter, Ports, StoreError};
use std::collections::BTreeMap;

/// How many of a shopper's checkouts "My purchases" lists.
pub const PURCHASES_SHOWN: u64 = 100;

/// Who places a checkout, and how long its orders wait for their payment.
pub struct Placing {
    pub cart: CartId,
    /// The signed-in shopper, if any: their account lists the checkout under "My purchases".
    pub user_id: Option<UserId>,
    pub policy: ExpiryPolicy,
    /// Who the shopper is and where they are, for `limits`.
    pub holder: HolderKeys,
    pub limits: HoldLimits,
}

/// Places one order per stall of the cart, reserving their stock, and for a card checkout
/// opens its payment. `pickup_days` holds each stall's chosen date by stall id, asked only for
/// a pickup. Every refusal is collected and named by field, so the form shows them all: a
/// stall that doesn't take the chosen method, a date it doesn't trade on, an amount a card
/// can't be charged. When the card processor can't be reached the orders stay payable and the
/// checkout's page offers a retry.
#[tracing::instrument(skip_all, fields(cart = %placing.cart))]
pub async fn place(
    ports: &Ports,
    placing: Placing,
    form: &CheckoutForm,
    pickup_days: &BTreeMap<String, String>,
) -> Result<CheckoutView, AppError> {
    let checkout = parse_checkout(form)?;
    let groups = stall_groups(ports, placing.cart).await?;
    if groups.is_empty() {
        return Err(AppError::field("cart", Invalid::EmptyCart));
    }
    let today = ports.clock.today();
    let mut errors = FieldErrors::new();
    let dates = if checkout.fulfilment == Fulfilment::Pickup {
        chosen_dates(&groups, pickup_days, today, &mut errors)
    } else {
        Vec::new()
    };
    check_methods(&groups, checkout.method, ports.cards.mode(), &mut errors);
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
    let orders: Vec<StallOrderDraft> = groups.iter().map(StallGroup::draft).collect();
    if checkout.method == PaymentMethod::Card && ports.cards.mode() == CardMode::Off {
        errors.push("method", Invalid::CardsOff);
    } else if checkout.method == PaymentMethod::Card {
        errors.check(
            "method",
            check_card_amount(grand_total(&orders, checkout.fulfilment)),
        );
    }
    errors.into_result()?;
    let minutes = placing.policy.minutes_for(checkout.method);
    let view = ports
        .orders
        .place(NewCheckout {
            token: uuid::Uuid::new_v4().simple().to_string(),
            user_id: placing.user_id,
            cart_id: placing.cart,
            checkout,
            orders,
            pickup_dates: dates,
            expires_at: ports.clock.now() + chrono::Duration::minutes(minutes.into()),
            holder: placing.holder,
        })
        .await?;
    if view.method == PaymentMethod::Card {
        match super::payments::start_card_payment(ports, &view).await {
            Ok(url) => {
                return Ok(CheckoutView {
                    payment_url: Some(url),
                    ..view
                });
            }
            Err(AppError::PaymentUnavailable) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(view)
}

/// Refuses the stalls that don't take `method`, all named under `method`. The stalls that take
/// no method at all (they lost their last one after their goods went into the cart) are named
/// apart, under `cart`: no other choice of method would help.
fn check_methods(
    groups: &[StallGroup],
    method: PaymentMethod,
    cards: CardMode,
    errors: &mut FieldErrors,
) {
    let names = |groups: Vec<&StallGroup>| -> Vec<String> {
        groups.iter().map(|g| g.stall.name.clone()).collect()
    };
    let (unpayable, payable): (Vec<&StallGroup>, Vec<&StallGroup>) = groups
        .iter()
        .partition(|g| g.settings.methods(cards).is_empty());
    let unpayable = names(unpayable);
    if !unpayable.is_empty() {
        let stall = unpayable.join(", ");
        errors.push("cart", Invalid::NotPayable { stall });
    }
    let refusing = names(
        payable
            .into_iter()
            .filter(|g| !g.settings.takes(method))
            .collect(),
    );
    if !refusing.is_empty() {
        let stall = refusing.join(", ");
        errors.push("method", Invalid::NotAccepted { stall });
    }
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

/// A stall's orders, newest first, those in `status` only when given, with the summary of
/// all of them. One query serves both.
#[tracing::instrument(skip_all)]
pub async fn of_stall(
    ports: &Ports,
    owner: &OwnerOf,
    status: Option<OrderStatus>,
) -> Result<(Vec<Order>, SalesSummary), AppError> {
    let all = ports
        .orders
        .of_stall(owner.stall.id, &Default::default())
        .await?;
    let summary = summarise(
        all.iter().map(|o| Sale {
            placed_at: o.created_at,
            status: o.status,
            method: o.method,
            total: o.total,
        }),
        ports.clock.now(),
        crate::domain::onboarding::vietnam(),
    );
    let orders = all
        .into_iter()
        .filter(|o| status.is_none_or(|s| o.status == s))
        .collect();
    Ok((orders, summary))
}

/// Every stall's orders for an administrator, filtered, with the stalls to choose from.
#[tracing::instrument(skip_all)]
pub async fn for_admin(
    ports: &Ports,
    _by: Admin,
    filter: &OrderFilter,
) -> Result<(Vec<Order>, Vec<StallRef>), AppError> {
    let orders = ports.orders.list(filter, ADMIN_ORDERS_SHOWN).await?;
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
