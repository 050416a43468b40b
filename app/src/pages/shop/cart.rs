//! The cart page: the lines stall by stall as the checkout will order them, then the checkout
//! form.
use super::checkout_form::CheckoutSection;
use crate::api::AppError;
use crate::api::shop::{PlaceOrder, UpdateCart, cart_line_field, my_cart};
use crate::components::forms::{FieldError, field_errors, invalid_message};
use crate::components::layout::CartCount;
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::{decimal_sep, english};
use crate::domain::invalid::{FieldErrors, Invalid};
use crate::domain::money::Dong;
use crate::domain::order::PaymentMethod;
use crate::i18n::*;
use crate::model::{CartLine, CartStall, CartView};
use crate::vocab::Label;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CartPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let update = ServerAction::<UpdateCart>::new();
    let place = ServerAction::<PlaceOrder>::new();
    CartCount::refresh_after(update);
    CartCount::refresh_after(place);
    // A checkout refused because the cart changed since it was shown shows the cart as it is
    // now; any other refusal leaves the choices made below as they were.
    let changed_at = Memo::new(move |seen: Option<&usize>| {
        let changed = matches!(place.value().get(), Some(Err(AppError::Invalid(errors)))
            if errors.get("cart") == Some(&Invalid::CartChanged));
        if changed {
            place.version().get()
        } else {
            seen.copied().unwrap_or(0)
        }
    });
    let cart = Resource::new(
        move || (update.version().get(), changed_at.get()),
        |_| my_cart(),
    );
    let line_errors = field_errors(update.value());
    // Back from "put these items back in my cart", without JavaScript as with it.
    let restored = query.read_untracked().get("restored").is_some();
    view! {
        <PageMeta title=tu_string!(i18n, cart.title) description=tu_string!(i18n, cart.title) />
        <h1>{t!(i18n, cart.title)}</h1>
        {restored.then(|| view! { <p class="form-ok" role="status">{t!(i18n, cart.restored)}</p> })}
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match cart.await {
                    Ok(cart) if cart.is_empty() => view! { <p class="empty">{t!(i18n, cart.empty)}</p> }.into_any(),
                    Ok(cart) => view! { <CartStalls cart update errors=line_errors /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
        <CheckoutSection cart place />
    }
}

/// The cart's lines, one group per stall as the checkout will order them, each line with its
/// own quantity form and error, then what the whole costs collected and delivered.
#[component]
fn CartStalls(
    cart: CartView,
    update: ServerAction<UpdateCart>,
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    let i18n = use_i18n();
    let delivered_costs_more = cart.delivery_total != cart.pickup_total;
    view! {
        {cart.stalls.into_iter().map(|stall| view! { <CartGroup stall update errors /> }).collect_view()}
        <p class="total">{t!(i18n, cart.total_pickup)} ": " <strong>{cart.pickup_total.to_string()}</strong></p>
        {delivered_costs_more.then(|| view! {
            <p class="total">{t!(i18n, cart.total_delivery)} ": " <strong>{cart.delivery_total.to_string()}</strong></p>
        })}
    }
}

/// One stall's lines, what its goods cost, what getting them costs, and how it can be paid:
/// a stall that can't be paid yet says so here, before the checkout.
#[component]
fn CartGroup(
    stall: CartStall,
    update: ServerAction<UpdateCart>,
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    let i18n = use_i18n();
    let fee = stall.delivery_fee;
    let methods = stall.methods.clone();
    let name = stall.stall_name.clone();
    view! {
        <section class="cart-stall" data-stall=stall.stall_id.to_string()>
            <h2><A href=format!("/stalls/{}", stall.stall_slug)>{stall.stall_name.clone()}</A></h2>
            <ul class="cart">
                {stall.lines.into_iter().map(|line| view! { <CartLineRow line update errors /> }).collect_view()}
            </ul>
            <p class="subtotal">{t!(i18n, cart.subtotal)} ": " <span class="price">{stall.subtotal.to_string()}</span></p>
            <FeeNote fee />
            <PaymentNote methods name />
        </section>
    }
}

/// What getting the goods costs: collecting them at the stall is free; delivery within the
/// province costs the stall's own fee, which may be nothing.
#[component]
fn FeeNote(fee: Dong) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="fee">
            {t!(i18n, cart.fee_pickup_free)} " · "
            {if fee.amount() == 0 {
                view! { {t!(i18n, cart.fee_delivery_free)} }.into_any()
            } else {
                view! { {t!(i18n, cart.fee_delivery)} " " <span class="price">{fee.to_string()}</span> }.into_any()
            }}
        </p>
    }
}

/// How the stall can be paid, as the checkout will offer it; a stall that takes no payment
/// yet is a warning: its lines can't be ordered until they leave the cart.
#[component]
fn PaymentNote(methods: Vec<PaymentMethod>, name: String) -> impl IntoView {
    let i18n = use_i18n();
    match methods.as_slice() {
        [] => view! {
            <p class="warning" role="note">{move || invalid_message(i18n, &Invalid::NotPayable { stall: name.clone() })}</p>
        }
        .into_any(),
        [PaymentMethod::VietQr] => view! { <p class="pays">{t!(i18n, cart.pays_transfer_only)}</p> }.into_any(),
        [PaymentMethod::Card] => view! { <p class="pays">{t!(i18n, cart.pays_card_only)}</p> }.into_any(),
        _ => view! { <p class="pays">{t!(i18n, cart.pays_either)}</p> }.into_any(),
    }
}

/// One line: the product, what it costs, its quantity with the unit beside the box, and a
/// button that takes it out of the cart. Both are plain form posts that work without
/// JavaScript.
#[component]
fn CartLineRow(
    line: CartLine,
    update: ServerAction<UpdateCart>,
    errors: Signal<FieldErrors>,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let unit = line.product.unit;
    let id = line.product.id;
    let input = format!("q{id}");
    let field = cart_line_field(id);
    let described_by = format!("{field}-error");
    let name = line.product.name.clone();
    view! {
        <li class="cart-line">
            <A href=format!("/products/{id}") attr:class="item">{line.product.name.clone()}</A>
            <span class="price">{line.total.to_string()}</span>
            <div class="line-actions">
            <ActionForm action=update attr:class="qty-form">
                <input type="hidden" name="product_id" value=id.to_string() />
                <label class="sr-only" for=input.clone()>{t!(i18n, cart.quantity)}</label>
                <span class="qty-unit">
                    <input id=input name="quantity" class="qty" inputmode="decimal"
                        aria-describedby=described_by
                        value=line.quantity.format(unit, decimal_sep(en.get_untracked())) />
                    <span class="unit">{move || unit.label(i18n.get_locale())}</span>
                </span>
                <button type="submit" class="secondary">{t!(i18n, cart.update)}</button>
            </ActionForm>
            <ActionForm action=update attr:class="remove-form">
                <input type="hidden" name="product_id" value=id.to_string() />
                <input type="hidden" name="quantity" value="0" />
                <button type="submit" class="remove"
                    aria-label=move || t_string!(i18n, cart.remove_named, name = name.clone()).to_string()>
                    {t!(i18n, cart.remove)}
                </button>
            </ActionForm>
            </div>
            <FieldError errors field=field />
        </li>
    }
}
