//! The shopper's side of a sale: the cart, the checkout, and the order link.
use super::AppError;
use crate::domain::id::{OrderId, ProductId, StallId};
use crate::domain::order::CheckoutForm;
use crate::model::{CartView, CheckoutView, Purchases};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The field a cart line's quantity is refused under: each line is a form of its own, so the
/// message goes under the line that was wrong.
pub fn cart_line_field(product_id: ProductId) -> String {
    format!("quantity_{product_id}")
}

/// The field a stall's pickup date is refused under; the date itself is posted as
/// `pickup_days[<stall id>]`.
pub fn pickup_day_field(stall_id: StallId) -> String {
    format!("pickup_day_{stall_id}")
}

/// The field a stall's payment method is refused under; the method itself is posted as
/// `methods[<stall id>]`.
pub fn method_field(stall_id: StallId) -> String {
    format!("method_{stall_id}")
}

/// The checkout form's name for [`super::refused`].
pub const CHECKOUT_FORM: &str = "checkout";

/// What a refused checkout keeps, so its form comes back as the shopper left it.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CheckoutFields {
    pub form: CheckoutForm,
    pub pickup_days: BTreeMap<String, String>,
    pub methods: BTreeMap<String, String>,
}

/// Adds a product to the cart. A plain form post: without JavaScript the browser comes back
/// to the product's page, told that the product was added; with it the page updates in place.
/// More than the stall has left is refused, counting what the cart already holds.
#[server(endpoint = "add_to_cart")]
pub async fn add_to_cart(product_id: ProductId, quantity: String) -> Result<(), AppError> {
    let ports = super::ports()?;
    let cart = super::session::cart_id(true)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::service::carts::add(&ports, cart, product_id, &quantity).await?;
    if super::error::plain_form_post() {
        leptos_axum::redirect(&format!("/products/{product_id}?added=1"));
    }
    Ok(())
}

/// Sets a cart line's quantity; blank or zero removes the line. A quantity that doesn't parse,
/// or is more than the stall has left, is refused under that line's own field,
/// [`cart_line_field`].
#[server(endpoint = "update_cart")]
pub async fn update_cart(product_id: ProductId, quantity: String) -> Result<(), AppError> {
    let ports = super::ports()?;
    let cart = super::session::cart_id(false)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::service::carts::set(&ports, cart, product_id, &quantity).await
}

/// The visitor's cart, priced from the catalogue now and grouped by stall, with the delivery
/// fees and pickup days a checkout would apply.
#[server(endpoint = "my_cart")]
pub async fn my_cart() -> Result<CartView, AppError> {
    match super::session::cart_id(false).await? {
        Some(cart) => crate::service::carts::view(&super::ports()?, cart).await,
        None => Ok(CartView::default()),
    }
}

/// How many lines the visitor's cart holds, for the header; no cart is made to answer.
#[server(endpoint = "cart_count")]
pub async fn cart_count() -> Result<u64, AppError> {
    match super::session::cart_owner(false).await? {
        Some(owner) => Ok(super::ports()?.carts.count(&owner).await?),
        None => Ok(0),
    }
}

/// Places one order per stall in the cart and sends the shopper on to pay: to the card
/// payment page when some stalls are paid by card (the transfers wait on the checkout's page,
/// where the payment page returns), or straight to the checkout's page. Per stall, by stall id:
/// `pickup_days[12]=2026-11-29` (asked only for a pickup) and `methods[12]=card`. `seen` is the
/// cart's fingerprint as its page showed it. Without JavaScript a refusal keeps what was
/// posted, so the form comes back filled in.
#[server(endpoint = "place_order")]
pub async fn place_order(
    form: CheckoutForm,
    pickup_days: Option<BTreeMap<String, String>>,
    methods: Option<BTreeMap<String, String>>,
    seen: Option<String>,
) -> Result<String, AppError> {
    let kept = CheckoutFields {
        form,
        pickup_days: pickup_days.unwrap_or_default(),
        methods: methods.unwrap_or_default(),
    };
    let placed = place_checkout(&kept, seen);
    super::refused::keeping(CHECKOUT_FORM, &kept, placed).await
}

/// The session key of the tokens of the checkouts this browser placed last, newest first.
#[cfg(feature = "ssr")]
const PLACED: &str = "placed_checkouts";

/// Places the checkout, once: its token is kept in the session before it is placed, so a form
/// posted again (a double tap, a retry after the answer was lost, even one after the server
/// stopped half-way) finds the cart already ordered and is sent to that checkout instead.
#[cfg(feature = "ssr")]
async fn place_checkout(fields: &CheckoutFields, seen: Option<String>) -> Result<String, AppError> {
    use super::error::unexpected;
    use crate::domain::invalid::Invalid;
    use crate::service::orders::{StallChoices, place, resume};
    let ports = super::ports()?;
    let session = super::session::session().await?;
    let mut placed: Vec<String> = session
        .get(PLACED)
        .await
        .map_err(unexpected)?
        .unwrap_or_default();
    let token = uuid::Uuid::new_v4().simple().to_string();
    placed.insert(0, token.clone());
    placed.truncate(3);
    session.insert(PLACED, &placed).await.map_err(unexpected)?;
    session.save().await.map_err(unexpected)?;
    let choices = StallChoices {
        pickup_days: fields.pickup_days.clone(),
        methods: fields.methods.clone(),
        seen: seen.filter(|s| !s.is_empty()),
    };
    let placed_now = async { place(&ports, placing(token).await?, &fields.form, &choices).await };
    let view = match placed_now.await {
        Err(AppError::Invalid(errors)) if errors.get("cart") == Some(&Invalid::EmptyCart) => {
            resume(&ports, &placed[1..])
                .await?
                .ok_or(AppError::Invalid(errors))?
        }
        other => other?,
    };
    // payOS's payment links, made now so the page shows them at once; one payOS could not
    // make is made when the page is read.
    let origin = crate::components::meta::origin();
    crate::service::bank::make_payment_links(&ports, &view, &origin).await;
    leptos_axum::redirect(
        &view
            .payment_url
            .clone()
            .unwrap_or_else(|| format!("/checkout/{}", view.token)),
    );
    Ok(view.token)
}

/// Who places the checkout `token`, from where, and the limits and deadlines it is placed under.
#[cfg(feature = "ssr")]
async fn placing(token: String) -> Result<crate::service::orders::Placing, AppError> {
    use crate::domain::invalid::Invalid;
    let cart = super::session::cart_id(false)
        .await?
        .ok_or_else(|| AppError::field("cart", Invalid::EmptyCart))?;
    let owner = super::session::cart_owner(false)
        .await?
        .ok_or_else(|| AppError::field("cart", Invalid::EmptyCart))?;
    let address = super::session::client_address().await;
    Ok(crate::service::orders::Placing {
        token,
        cart,
        user_id: super::session::current_user().await?.map(|u| u.id),
        policy: use_context::<crate::domain::order::ExpiryPolicy>().unwrap_or_default(),
        holder: crate::ports::HolderKeys {
            holder: owner.holder(),
            address: (address != "unknown").then_some(address),
        },
        limits: use_context::<crate::domain::order::HoldLimits>().unwrap_or_default(),
    })
}

/// Puts the lines of a checkout's order that was never paid or was cancelled back in the
/// visitor's cart, so a declined card or a missed transfer is one step from a new try. A line
/// already in the cart keeps the larger quantity, so asking twice adds nothing twice; products
/// no longer on sale are left out. Sends the shopper to the cart.
#[server(endpoint = "restore_order")]
pub async fn restore_order(token: String, order_id: OrderId) -> Result<(), AppError> {
    let ports = super::ports()?;
    let order = crate::service::orders::of_checkout(&ports, &token, order_id).await?;
    let cart = super::session::cart_id(true)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::service::carts::restore(&ports, cart, &order).await?;
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
    let url = crate::service::payments::start_card_payment(&ports, &view).await?;
    leptos_axum::redirect(&url);
    Ok(url)
}

/// The holder of a checkout's link cancels one of its orders while it is still unpaid, once
/// confirmed; the reserved stock goes back to the stall, and a card payment page that charges
/// for it closes.
#[server(endpoint = "cancel_order")]
pub async fn cancel_order(
    token: String,
    order_id: OrderId,
    confirmed: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::confirm;
    confirm::confirmed(confirmed.as_deref()).map_err(super::error::unconfirmed)?;
    crate::service::orders::cancel_by_shopper(&super::ports()?, &token, order_id).await
}

/// Whether card payments go to the built-in stand-in instead of Stripe.
#[server(endpoint = "card_mode")]
pub async fn card_mode() -> Result<crate::domain::order::CardMode, AppError> {
    Ok(super::ports()?.cards.mode())
}

/// One page (from 1; the first when not given) of the checkouts the signed-in account placed,
/// newest first: a shopper sees only their own.
#[server(endpoint = "my_purchases")]
pub async fn my_purchases(
    page: Option<crate::domain::paging::PageNo>,
) -> Result<Purchases, AppError> {
    let user = super::session::current_user()
        .await?
        .ok_or(AppError::NotSignedIn)?;
    crate::service::orders::purchases(&super::ports()?, user.id, page.unwrap_or_default()).await
}

/// A checkout and its orders, for whoever holds its unguessable link, with a VietQR code for
/// every order still awaiting its transfer.
#[server(endpoint = "checkout_page")]
pub async fn checkout_page(token: String) -> Result<CheckoutView, AppError> {
    let ports = super::ports()?;
    let mut view = ports
        .orders
        .checkout(&token)
        .await?
        .ok_or(AppError::NotFound)?;
    let origin = crate::components::meta::origin();
    view.transfer_codes = crate::service::payments::transfer_codes(&ports, &view, &origin).await?;
    view.stalls = crate::service::orders::stall_contacts(&ports, &view).await?;
    Ok(view)
}
