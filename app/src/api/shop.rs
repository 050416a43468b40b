//! The shopper's side of a sale: the cart, the checkout, and the order link.
use super::AppError;
use crate::domain::order::CheckoutForm;
use crate::model::{CartLine, CheckoutView};
use leptos::prelude::*;

/// Adds a product to the cart. A plain form post: without JavaScript the browser comes back
/// to the product's page, with it the page updates in place.
#[server(endpoint = "add_to_cart")]
pub async fn add_to_cart(product_id: i64, quantity: String) -> Result<(), AppError> {
    use crate::domain::quantity::Quantity;
    let ports = super::ports()?;
    let (product, stall) = super::product_and_stall(&ports, product_id).await?;
    if !product.published || !stall.status.is_public() {
        return Err(AppError::NotFound);
    }
    let quantity =
        Quantity::parse(&quantity, product.unit).map_err(|e| AppError::field("quantity", e))?;
    let cart = server::cart_id(true).await?.ok_or(AppError::NotFound)?;
    ports.carts.add(cart, product_id, quantity).await?;
    Ok(())
}

#[server(endpoint = "update_cart")]
pub async fn update_cart(product_id: i64, quantity: String) -> Result<(), AppError> {
    use crate::domain::quantity::Quantity;
    let ports = super::ports()?;
    let product = ports
        .catalog
        .by_id(product_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let quantity = match quantity.trim() {
        "" | "0" => Quantity::from_steps(0),
        q => Quantity::parse(q, product.unit).map_err(|e| AppError::field("quantity", e))?,
    };
    let cart = server::cart_id(false).await?.ok_or(AppError::NotFound)?;
    ports.carts.set(cart, product_id, quantity).await?;
    Ok(())
}

/// The visitor's cart, priced from the catalogue now.
#[server(endpoint = "my_cart")]
pub async fn my_cart() -> Result<Vec<CartLine>, AppError> {
    match server::cart_id(false).await? {
        Some(cart) => Ok(super::ports()?.carts.lines(cart).await?),
        None => Ok(Vec::new()),
    }
}

/// Places one order per stall in the cart and sends the shopper on to pay.
#[server(endpoint = "place_order")]
pub async fn place_order(
    form: CheckoutForm,
    pickup_day: Option<String>,
) -> Result<String, AppError> {
    let view = server::place(form, pickup_day).await?;
    leptos_axum::redirect(
        &view
            .payment_url
            .clone()
            .unwrap_or_else(|| format!("/checkout/{}", view.token)),
    );
    Ok(view.token)
}

/// Opens (again) the card payment of a checkout whose orders still await it, and sends the
/// shopper to the payment page. The same attempt is reused, so a retry never charges twice.
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
/// reserved stock goes back to the stall.
#[server(endpoint = "cancel_order")]
pub async fn cancel_order(token: String, order_id: i64) -> Result<(), AppError> {
    use crate::domain::order::{OrderActor, OrderMove, transition};
    let ports = super::ports()?;
    let view = ports
        .orders
        .checkout(&token)
        .await?
        .ok_or(AppError::NotFound)?;
    let order = view
        .orders
        .iter()
        .find(|o| o.id == order_id)
        .ok_or(AppError::NotFound)?;
    let to = transition(
        OrderActor::Shopper,
        OrderMove::Cancel,
        order.status,
        order.method,
        order.fulfilment,
    )
    .map_err(|_| AppError::Conflict)?;
    ports
        .orders
        .move_order(order.id, order.status, to, OrderActor::Shopper, None)
        .await?;
    Ok(())
}

/// Whether card payments go to the built-in stand-in instead of Stripe.
#[server(endpoint = "cards_simulated")]
pub async fn cards_simulated() -> Result<bool, AppError> {
    Ok(super::ports()?.cards.simulated())
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
        grand_total, parse_checkout, parse_pickup_day, split_by_stall,
    };
    use crate::model::{CartLine, CheckoutView};
    use crate::ports::{CartOwner, NewCheckout};

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

    /// Opens the hosted card payment of a checkout whose orders await it, records the
    /// session, and returns the page to send the shopper to.
    pub async fn start_card_payment(view: &CheckoutView) -> Result<String, AppError> {
        use crate::domain::order::OrderStatus;
        let ports = ports()?;
        if view.method != PaymentMethod::Card
            || !view
                .orders
                .iter()
                .any(|o| o.status == OrderStatus::AwaitingPayment)
        {
            return Err(AppError::Conflict);
        }
        let (session, url) = ports.cards.start(view, 0).await.map_err(|e| match e {
            crate::ports::CardError::Unreachable => AppError::PaymentUnavailable,
            crate::ports::CardError::Rejected(why) => crate::api::error::unexpected(why),
        })?;
        ports
            .orders
            .set_payment_session(&view.token, &session, &url)
            .await?;
        Ok(url)
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

    /// The cart of the signed-in user, or of this browser's session.
    pub async fn cart_id(create: bool) -> Result<Option<i64>, AppError> {
        let ports = ports()?;
        let session = crate::api::session::session().await?;
        let owner = match crate::api::session::user_of(&session, &ports).await? {
            Some(user) => CartOwner::User(user.id),
            None => match session
                .get::<String>(VISITOR_CART)
                .await
                .map_err(crate::api::error::unexpected)?
            {
                Some(key) => CartOwner::Visitor(key),
                None if create => {
                    let key = uuid::Uuid::new_v4().simple().to_string();
                    session
                        .insert(VISITOR_CART, &key)
                        .await
                        .map_err(crate::api::error::unexpected)?;
                    CartOwner::Visitor(key)
                }
                None => return Ok(None),
            },
        };
        Ok(ports.carts.cart(&owner, create).await?)
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

    pub async fn place(
        form: CheckoutForm,
        pickup_day: Option<String>,
    ) -> Result<CheckoutView, AppError> {
        let ports = ports()?;
        let checkout = parse_checkout(&form)?;
        let cart = cart_id(false)
            .await?
            .ok_or_else(|| AppError::field("cart", Invalid::Required))?;
        let lines = ports.carts.lines(cart).await?;
        if lines.is_empty() {
            return Err(AppError::field("cart", Invalid::Required));
        }
        // Prices come from the catalogue, never from the browser.
        let priced = lines.into_iter().map(CartLine::priced).collect();
        let mut errors = FieldErrors::new();
        let mut orders = Vec::new();
        let mut pickup_days = Vec::new();
        for (stall_id, lines) in split_by_stall(priced) {
            let stall = ports
                .stalls
                .by_id(stall_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let settings = ports.stalls.payment_settings(stall_id).await?;
            let accepted = match checkout.method {
                PaymentMethod::Card => settings.accepts_cards,
                PaymentMethod::VietQr => settings.bank.is_some(),
            };
            if !accepted && errors.get("method").is_none() {
                errors.push("method", Invalid::NotAccepted);
            }
            if checkout.fulfilment == Fulfilment::Pickup
                && let Some(day) = errors.check(
                    "pickup_day",
                    parse_pickup_day(pickup_day.as_deref().unwrap_or(""), stall.trading_days),
                )
            {
                pickup_days.push((stall_id, day));
            }
            orders.push(StallOrderDraft {
                stall_id,
                lines,
                delivery_fee: settings.delivery_fee,
            });
        }
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
                pickup_days,
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
