//! The shopper's side of a sale: the cart, the checkout, and the order link.
use super::AppError;
use crate::domain::order::CheckoutForm;
use crate::model::{CartView, CheckoutView};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The field a cart line's quantity is refused under: each line is a form of its own, so the
/// message goes under the line that was wrong.
pub fn cart_line_field(product_id: i64) -> String {
    format!("quantity_{product_id}")
}

/// The field a stall's pickup date is refused under; the date itself is posted as
/// `pickup_days[<stall id>]`.
pub fn pickup_day_field(stall_id: i64) -> String {
    format!("pickup_day_{stall_id}")
}

/// Adds a product to the cart. A plain form post: without JavaScript the browser comes back
/// to the product's page, told that the product was added; with it the page updates in place.
/// More than the stall has left is refused, counting what the cart already holds.
#[server(endpoint = "add_to_cart")]
pub async fn add_to_cart(product_id: i64, quantity: String) -> Result<(), AppError> {
    use crate::domain::quantity::{Quantity, within_stock};
    let ports = super::ports()?;
    let (product, stall) = super::product_and_stall(&ports, product_id).await?;
    if !product.published || !stall.status.is_public() {
        return Err(AppError::NotFound);
    }
    let quantity =
        Quantity::parse(&quantity, product.unit).map_err(|e| AppError::field("quantity", e))?;
    let cart = server::cart_id(true).await?.ok_or(AppError::NotFound)?;
    // Advice, not a reservation: stock is taken only when an order is placed.
    let in_cart = server::quantity_in_cart(&ports, cart, product_id).await?;
    let wanted = Quantity::from_steps(in_cart.steps().saturating_add(quantity.steps()));
    within_stock(&product.name, product.unit, wanted, product.stock)
        .map_err(|e| AppError::field("quantity", e))?;
    ports.carts.add(cart, product_id, quantity).await?;
    if server::plain_form_post() {
        leptos_axum::redirect(&format!("/products/{product_id}?added=1"));
    }
    Ok(())
}

/// Sets a cart line's quantity; blank or zero removes the line. A quantity that doesn't parse,
/// or is more than the stall has left, is refused under that line's own field,
/// [`cart_line_field`].
#[server(endpoint = "update_cart")]
pub async fn update_cart(product_id: i64, quantity: String) -> Result<(), AppError> {
    use crate::domain::quantity::{Quantity, within_stock};
    let ports = super::ports()?;
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
    let cart = server::cart_id(false).await?.ok_or(AppError::NotFound)?;
    ports.carts.set(cart, product_id, quantity).await?;
    Ok(())
}

/// The visitor's cart, priced from the catalogue now and grouped by stall, with the delivery
/// fees and pickup days a checkout would apply.
#[server(endpoint = "my_cart")]
pub async fn my_cart() -> Result<CartView, AppError> {
    match server::cart_id(false).await? {
        Some(cart) => server::cart_view(cart).await,
        None => Ok(CartView::default()),
    }
}

/// How many lines the visitor's cart holds, for the header; no cart is made to answer.
#[server(endpoint = "cart_count")]
pub async fn cart_count() -> Result<u64, AppError> {
    match server::cart_owner(false).await? {
        Some(owner) => Ok(super::ports()?.carts.count(&owner).await?),
        None => Ok(0),
    }
}

/// Places one order per stall in the cart and sends the shopper on to pay. `pickup_days` holds
/// each stall's pickup date by stall id (`pickup_days[12]=2026-11-29`), asked only for a pickup.
#[server(endpoint = "place_order")]
pub async fn place_order(
    form: CheckoutForm,
    pickup_days: Option<BTreeMap<String, String>>,
) -> Result<String, AppError> {
    let view = server::place(form, pickup_days.unwrap_or_default()).await?;
    leptos_axum::redirect(
        &view
            .payment_url
            .clone()
            .unwrap_or_else(|| format!("/checkout/{}", view.token)),
    );
    Ok(view.token)
}

/// Puts the lines of a checkout's order that was never paid or was cancelled back in the
/// visitor's cart, so a declined card or a missed transfer is one step from a new try. A line
/// already in the cart keeps the larger quantity, so asking twice adds nothing twice; products
/// no longer on sale are left out. Sends the shopper to the cart.
#[server(endpoint = "restore_order")]
pub async fn restore_order(token: String, order_id: i64) -> Result<(), AppError> {
    let ports = super::ports()?;
    let order = server::checkout_order(&ports, &token, order_id).await?;
    if order.status.holds_stock() {
        return Err(AppError::Conflict);
    }
    let cart = server::cart_id(true).await?.ok_or(AppError::NotFound)?;
    let in_cart = ports.carts.lines(cart).await?;
    for line in &order.lines {
        let (product, stall) = super::product_and_stall(&ports, line.product_id).await?;
        if !product.published || !stall.status.is_public() {
            continue;
        }
        let already = in_cart
            .iter()
            .find(|l| l.product.id == line.product_id)
            .map(|l| l.quantity);
        let quantity = already.map_or(line.quantity, |q| q.max(line.quantity));
        ports.carts.set(cart, line.product_id, quantity).await?;
    }
    leptos_axum::redirect("/cart?restored=1");
    Ok(())
}

/// Opens (again) the card payment of a checkout's orders still awaiting it, and sends the
/// shopper to the payment page: the open session while nothing changed (a retry never charges
/// twice), or a new one for exactly what is left to pay.
#[server(endpoint = "pay_by_card")]
pub async fn pay_by_card(token: String) -> Result<String, AppError> {
    let ports = super::ports()?;
    let view = ports
        .orders
        .checkout(&token)
        .await?
        .ok_or(AppError::NotFound)?;
    let url = server::start_card_payment(&view).await?;
    leptos_axum::redirect(&url);
    Ok(url)
}

/// The holder of a checkout's link cancels one of its orders while it is still unpaid; the
/// reserved stock goes back to the stall, and a card payment page that charges for it closes.
#[server(endpoint = "cancel_order")]
pub async fn cancel_order(token: String, order_id: i64) -> Result<(), AppError> {
    use crate::domain::order::{OrderActor, OrderMove, transition};
    let ports = super::ports()?;
    let order = server::checkout_order(&ports, &token, order_id).await?;
    let to = transition(
        OrderActor::Shopper,
        OrderMove::Cancel,
        order.status,
        order.method,
        order.fulfilment,
    )
    .map_err(|_| AppError::Conflict)?;
    server::move_order(&ports, &order, to, OrderActor::Shopper, None).await?;
    Ok(())
}

/// Whether card payments go to the built-in stand-in instead of Stripe.
#[server(endpoint = "cards_simulated")]
pub async fn cards_simulated() -> Result<bool, AppError> {
    Ok(super::ports()?.cards.simulated())
}

/// The checkouts the signed-in account placed, newest first: a shopper sees only their own.
#[server(endpoint = "my_purchases")]
pub async fn my_purchases() -> Result<Vec<CheckoutView>, AppError> {
    /// How many of a shopper's checkouts "My purchases" lists.
    const PURCHASES_SHOWN: u64 = 100;
    let ports = super::ports()?;
    let user = super::session::current_user()
        .await?
        .ok_or(AppError::NotSignedIn)?;
    Ok(ports
        .orders
        .checkouts_of_user(user.id, PURCHASES_SHOWN)
        .await?)
}

/// A checkout and its orders, for whoever holds its unguessable link, with a VietQR code for
/// every order still awaiting its transfer.
#[server(endpoint = "checkout_page")]
pub async fn checkout_page(token: String) -> Result<CheckoutView, AppError> {
    use crate::domain::order::OrderStatus;
    let ports = super::ports()?;
    let mut view = ports
        .orders
        .checkout(&token)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut codes = Vec::new();
    for order in view
        .orders
        .iter()
        .filter(|o| o.status == OrderStatus::AwaitingTransfer)
    {
        if let Some(bank) = ports.stalls.payment_settings(order.stall_id).await?.bank {
            codes.push(server::transfer_code(order, &bank)?);
        }
    }
    view.transfer_codes = codes;
    Ok(view)
}

#[cfg(feature = "ssr")]
pub mod server {
    use crate::api::{AppError, ports};
    use crate::domain::invalid::{FieldErrors, Invalid};
    use crate::domain::order::{
        CheckoutForm, ExpiryPolicy, Fulfilment, PaymentMethod, StallOrderDraft, check_card_amount,
        grand_total, parse_checkout, parse_pickup_date, pickup_dates, split_by_stall,
    };
    use crate::model::{CartLine, CartStall, CartView, CheckoutView, PaymentSettings, Stall};
    use crate::ports::{CardError, CartOwner, NewCheckout, Ports, StoreError};
    use std::collections::BTreeMap;

    const VISITOR_CART: &str = "visitor_cart";

    /// A QR code as an SVG document, big enough to scan from a phone held at arm's length.
    pub fn qr_svg(data: &str) -> Result<String, AppError> {
        Ok(
            qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
                .map_err(crate::api::error::unexpected)?
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(240, 240)
                .build(),
        )
    }

    /// Opens the card payment of a checkout's orders still awaiting it, and returns the page
    /// to send the shopper to.
    ///
    /// One attempt is one Checkout Session with its own idempotency key, charging exactly the
    /// orders awaiting payment. While those stay the same and the session has time left, every
    /// request gets that session again, so a double click makes one; a retry after the
    /// processor could not be reached repeats the same attempt, which never charges twice.
    /// Once an order was cancelled or expired, or the session ran out, a new attempt charges
    /// what is left and the session it replaces is expired.
    pub async fn start_card_payment(view: &CheckoutView) -> Result<String, AppError> {
        use crate::domain::order::{OrderStatus, card_attempt_usable, card_session_expiry};
        let ports = ports()?;
        let payable: Vec<&crate::model::Order> = view
            .orders
            .iter()
            .filter(|o| o.status == OrderStatus::AwaitingPayment)
            .collect();
        let (Some(first_to_expire), PaymentMethod::Card) =
            (payable.iter().map(|o| o.expires_at).min(), view.method)
        else {
            return Err(AppError::Conflict);
        };
        check_card_amount(payable.iter().map(|o| o.total).sum())
            .map_err(|e| AppError::field("method", e))?;
        let mut ids: Vec<i64> = payable.iter().map(|o| o.id).collect();
        ids.sort_unstable();
        // Two requests may start the next attempt at once: the one that loses looks again and
        // finds the winner's attempt, the same request to the processor.
        for _ in 0..3 {
            let now = ports.clock.now();
            let attempt = match ports.orders.card_attempt(&view.token).await? {
                Some(open)
                    if open.orders == ids
                        && card_attempt_usable(open.expires_at, now, open.session.is_some()) =>
                {
                    open
                }
                previous => {
                    let expires_at = card_session_expiry(first_to_expire, now);
                    let number = previous.map_or(0, |a| a.number);
                    match ports
                        .orders
                        .begin_card_attempt(&view.token, number, &ids, expires_at)
                        .await
                    {
                        Ok((attempt, replaced)) => {
                            if let Some(session) = replaced {
                                close_card_session(&ports, &session).await;
                            }
                            attempt
                        }
                        Err(StoreError::Stale) => continue,
                        Err(other) => return Err(other.into()),
                    }
                }
            };
            if let Some((_, url)) = attempt.session {
                return Ok(url);
            }
            let (session, url) = ports
                .cards
                .start(view, &attempt)
                .await
                .map_err(|e| match e {
                    CardError::Unreachable => AppError::PaymentUnavailable,
                    CardError::Rejected(why) => crate::api::error::unexpected(why),
                })?;
            if ports
                .orders
                .record_card_session(&view.token, &attempt, &session, &url)
                .await?
            {
                return Ok(url);
            }
            // An order stopped awaiting payment while the session was being made: it charges
            // for what is no longer owed.
            close_card_session(&ports, &session).await;
        }
        Err(AppError::Conflict)
    }

    /// Expires a Checkout Session that charges for orders no longer awaiting payment. Best
    /// effort: the processor ends it on its own at its `expires_at`, and a payment that still
    /// comes through is refunded, so a failure is logged, not passed on.
    pub async fn close_card_session(ports: &Ports, session: &str) {
        if let Err(error) = ports.cards.expire(session).await {
            tracing::warn!(session, %error, "could not expire a card payment session");
        }
    }

    /// Moves an order as [`crate::ports::Orders::move_order`] does, then expires the card
    /// session the move left charging for it.
    /// One order of the checkout behind `token`: what the link's holder may act on.
    pub async fn checkout_order(
        ports: &Ports,
        token: &str,
        order_id: i64,
    ) -> Result<crate::model::Order, AppError> {
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

    pub async fn move_order(
        ports: &Ports,
        order: &crate::model::Order,
        to: crate::domain::order::OrderStatus,
        actor: crate::domain::order::OrderActor,
        actor_user_id: Option<i64>,
    ) -> Result<(), StoreError> {
        let stale = ports
            .orders
            .move_order(order.id, order.status, to, actor, actor_user_id)
            .await?;
        if let Some(session) = stale {
            close_card_session(ports, &session).await;
        }
        Ok(())
    }

    /// The dynamic VietQR of one order: its amount, its code as bill number and first in the
    /// purpose, so the vendor's bank statement line can be matched to it.
    pub fn transfer_code(
        order: &crate::model::Order,
        bank: &crate::domain::bank::BankAccount,
    ) -> Result<crate::model::TransferCode, AppError> {
        use crate::domain::vietqr::{order_purpose, payload};
        let purpose = order_purpose(&order.code, &order.stall_name);
        let payload = payload(bank, Some(order.total), Some(&order.code), Some(&purpose))
            .map_err(crate::api::error::unexpected)?;
        let svg = qr_svg(&payload)?;
        Ok(crate::model::TransferCode {
            order_id: order.id,
            bank_name: bank
                .bank()
                .map_or_else(|| bank.bin.clone(), |b| b.short_name.to_string()),
            account_number: bank.number.clone(),
            account_holder: bank.holder.clone(),
            payload,
            svg,
        })
    }

    /// Whose cart this request uses: the signed-in user's, or this browser session's (given a
    /// key of its own when `create`).
    pub async fn cart_owner(create: bool) -> Result<Option<CartOwner>, AppError> {
        let session = crate::api::session::session().await?;
        if let Some(user) = crate::api::session::user_of(&session, &ports()?).await? {
            return Ok(Some(CartOwner::User(user.id)));
        }
        match session
            .get::<String>(VISITOR_CART)
            .await
            .map_err(crate::api::error::unexpected)?
        {
            Some(key) => Ok(Some(CartOwner::Visitor(key))),
            None if create => {
                let key = uuid::Uuid::new_v4().simple().to_string();
                session
                    .insert(VISITOR_CART, &key)
                    .await
                    .map_err(crate::api::error::unexpected)?;
                Ok(Some(CartOwner::Visitor(key)))
            }
            None => Ok(None),
        }
    }

    /// The cart of the signed-in user, or of this browser's session.
    pub async fn cart_id(create: bool) -> Result<Option<i64>, AppError> {
        match cart_owner(create).await? {
            Some(owner) => Ok(ports()?.carts.cart(&owner, create).await?),
            None => Ok(None),
        }
    }

    /// How much of the product the cart holds already (nothing when it isn't in it).
    pub async fn quantity_in_cart(
        ports: &Ports,
        cart: i64,
        product_id: i64,
    ) -> Result<crate::domain::quantity::Quantity, AppError> {
        Ok(ports
            .carts
            .lines(cart)
            .await?
            .into_iter()
            .find(|line| line.product.id == product_id)
            .map(|line| line.quantity)
            .unwrap_or_default())
    }

    /// At sign-in, what the visitor put in the cart joins the account's cart.
    pub async fn merge_visitor_cart(
        session: &tower_sessions::Session,
        user_id: i64,
    ) -> Result<(), AppError> {
        if let Some(key) = session
            .remove::<String>(VISITOR_CART)
            .await
            .map_err(crate::api::error::unexpected)?
        {
            ports()?.carts.merge(&key, user_id).await?;
        }
        Ok(())
    }

    /// Whether the request is a browser's plain form post (JavaScript off), which is answered
    /// with a page to go to rather than with data.
    pub fn plain_form_post() -> bool {
        leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
        })
    }

    /// One stall's lines of a cart, with the stall and how it takes money.
    struct StallGroup {
        stall: Stall,
        settings: PaymentSettings,
        lines: Vec<CartLine>,
    }

    impl StallGroup {
        /// The order a checkout places with this stall, priced from the catalogue: prices
        /// sent by a browser never get here.
        fn draft(&self) -> StallOrderDraft {
            StallOrderDraft {
                stall_id: self.stall.id,
                lines: self.lines.iter().cloned().map(|l| l.priced().1).collect(),
                delivery_fee: self.settings.delivery_fee,
            }
        }
    }

    /// The cart's lines grouped by stall, in cart order: what the cart page shows and what a
    /// checkout orders, read the same way for both.
    async fn stall_groups(cart: i64) -> Result<Vec<StallGroup>, AppError> {
        let ports = ports()?;
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

    /// The cart as the cart page shows it: per stall its subtotal, delivery fee and pickup
    /// dates (from today in Lào Cai), and the totals for pickup and for delivery.
    pub async fn cart_view(cart: i64) -> Result<CartView, AppError> {
        let today = crate::domain::onboarding::local_date(ports()?.clock.now());
        let groups = stall_groups(cart).await?;
        let drafts: Vec<StallOrderDraft> = groups.iter().map(StallGroup::draft).collect();
        let stalls = groups
            .into_iter()
            .zip(&drafts)
            .map(|(group, draft)| CartStall {
                stall_id: group.stall.id,
                pickup_dates: pickup_dates(group.stall.trading_days, today),
                stall_name: group.stall.name,
                stall_slug: group.stall.slug,
                lines: group.lines,
                subtotal: draft.subtotal(),
                delivery_fee: draft.delivery_fee,
            })
            .collect();
        Ok(CartView {
            stalls,
            pickup_total: grand_total(&drafts, Fulfilment::Pickup),
            delivery_total: grand_total(&drafts, Fulfilment::Delivery),
        })
    }

    pub async fn place(
        form: CheckoutForm,
        pickup_days: BTreeMap<String, String>,
    ) -> Result<CheckoutView, AppError> {
        let ports = ports()?;
        let checkout = parse_checkout(&form)?;
        let empty = || AppError::field("cart", Invalid::EmptyCart);
        let cart = cart_id(false).await?.ok_or_else(empty)?;
        let groups = stall_groups(cart).await?;
        if groups.is_empty() {
            return Err(empty());
        }
        let today = crate::domain::onboarding::local_date(ports.clock.now());
        let mut errors = FieldErrors::new();
        let mut dates = Vec::new();
        let mut refusing = Vec::new();
        for group in &groups {
            let stall = &group.stall;
            if !group.settings.takes(checkout.method) {
                refusing.push(stall.name.clone());
            }
            if checkout.fulfilment == Fulfilment::Pickup {
                let chosen = pickup_days.get(&stall.id.to_string());
                let date = parse_pickup_date(
                    chosen.map_or("", String::as_str),
                    &stall.name,
                    stall.trading_days,
                    today,
                );
                if let Some(date) = errors.check(&super::pickup_day_field(stall.id), date) {
                    dates.push((stall.id, date));
                }
            }
        }
        if !refusing.is_empty() {
            errors.push(
                "method",
                Invalid::NotAccepted {
                    stall: refusing.join(", "),
                },
            );
        }
        let orders: Vec<StallOrderDraft> = groups.iter().map(StallGroup::draft).collect();
        if checkout.method == PaymentMethod::Card {
            errors.check(
                "method",
                check_card_amount(grand_total(&orders, checkout.fulfilment)),
            );
        }
        errors.into_result()?;
        let user = crate::api::session::current_user().await?;
        let policy = leptos::prelude::use_context::<ExpiryPolicy>().unwrap_or_default();
        let minutes = policy.minutes_for(checkout.method);
        let view = ports
            .orders
            .place(NewCheckout {
                token: uuid::Uuid::new_v4().simple().to_string(),
                user_id: user.map(|u| u.id),
                cart_id: cart,
                checkout,
                orders,
                pickup_dates: dates,
                expires_at: ports.clock.now() + chrono::Duration::minutes(minutes.into()),
            })
            .await?;
        if view.method == PaymentMethod::Card {
            // Stripe out of reach: the orders stay payable and the checkout page offers a retry.
            match start_card_payment(&view).await {
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
}
