//! The checkout form under the cart. Whatever the shopper typed comes back after a refusal:
//! with JavaScript the form simply stays on the page; without it the server kept the posted
//! fields ([`crate::api::refused`]) and the page fills them in again.
use crate::api::AppError;
use crate::api::refused::Refused;
use crate::api::shop::{
    CHECKOUT_FORM, CheckoutFields, PlaceOrder, card_mode, method_field, pickup_day_field,
};
use crate::components::forms::{FieldError, FormStatus, field_errors, invalid_message};
use crate::domain::invalid::{FieldErrors, Invalid};
use crate::domain::order::{CARD_MIN, CardMode, Fulfilment, PaymentMethod};
use crate::i18n::*;
use crate::model::{CartStall, CartView};
use crate::vocab::label;
use leptos::prelude::*;

/// The checkout form: who buys, pickup or delivery, then for each stall of the cart its pickup
/// date and how it is paid, and the cart's fingerprint as shown.
#[component]
pub fn CheckoutSection(
    cart: Resource<Result<CartView, AppError>>,
    place: ServerAction<PlaceOrder>,
) -> impl IntoView {
    let i18n = use_i18n();
    let errors = field_errors(place.value());
    let refused = Refused::<CheckoutFields>::new(CHECKOUT_FORM);
    // Each stall's date and method as picked on this page, so redrawing the choices after a
    // cart line changed keeps them.
    let picked = RwSignal::new(CheckoutFields::default());
    view! {
        <section class="panel">
            <h2>{t!(i18n, checkout.title)}</h2>
            <ActionForm action=place attr:class="checkout-form">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let kept = refused.fields().await.unwrap_or_default();
                        view! { <ShopperFields kept errors /> }
                    })}
                </Suspense>
                // Its own boundary, so updating a cart line redraws only these choices and
                // keeps what was typed in the rest of the form.
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let mut kept = refused.fields().await.unwrap_or_default();
                        picked.with_untracked(|p| {
                            kept.pickup_days.extend(p.pickup_days.clone());
                            kept.methods.extend(p.methods.clone());
                        });
                        cart.await.ok().filter(|cart| !cart.is_empty()).map(|cart| view! {
                            <StallChoices cart kept errors picked />
                        })
                    })}
                </Transition>
                // Outside the boundary above: a resource made inside it, after it waited,
                // would not find its value from the server when the page hydrates.
                <CardModeNote for_vendor=false />
                <FieldError errors field="cart" />
                <FormStatus value=place.value() />
                <button type="submit" class="primary">{t!(i18n, checkout.place)}</button>
            </ActionForm>
        </section>
    }
}

/// Who buys and how the goods reach them. The name and phone come from what was posted
/// before a refusal, or else from a signed-in shopper's account (who may still change them:
/// the server checks whatever is posted). The address is asked only for a delivery: a style
/// hides it while pickup is chosen, and a browser without that style shows it labelled so.
#[component]
fn ShopperFields(kept: CheckoutFields, errors: Signal<FieldErrors>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = crate::app::use_auth();
    let form = kept.form;
    let fulfilment = form
        .fulfilment
        .parse::<Fulfilment>()
        .unwrap_or(Fulfilment::Pickup);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let (name, phone) = (form.name.clone(), form.phone.clone());
                Suspend::new(async move {
                    let user = auth.user.await;
                    let name = Some(name).filter(|n| !n.is_empty())
                        .or_else(|| user.as_ref().map(|u| u.full_name.clone()));
                    let phone = Some(phone).filter(|p| !p.is_empty())
                        .or_else(|| user.and_then(|u| u.phone).map(|p| p.national()));
                    view! {
                        <label for="name">{t!(i18n, checkout.name)}</label>
                        <input id="name" name="form[name]" autocomplete="name" required maxlength="120" value=name />
                        <FieldError errors field="name" />
                        <label for="phone">{t!(i18n, checkout.phone)}</label>
                        <input id="phone" name="form[phone]" autocomplete="tel" inputmode="tel" required value=phone />
                        <FieldError errors field="phone" />
                    }
                })
            }}
        </Suspense>
        <fieldset class="choice fulfilment">
            <legend>{t!(i18n, checkout.fulfilment)}</legend>
            {Fulfilment::ALL.into_iter().map(|f| view! {
                <label><input type="radio" name="form[fulfilment]" value=f.slug() checked=f == fulfilment /> {label(f)}</label>
            }).collect_view()}
            <FieldError errors field="fulfilment" />
        </fieldset>
        <div class="delivery-only">
            <label for="address">{t!(i18n, checkout.address)}</label>
            <textarea id="address" name="form[address]" rows="2" autocomplete="street-address">{form.address.unwrap_or_default()}</textarea>
            <p class="hint">{t!(i18n, checkout.address_hint)}</p>
            <FieldError errors field="address" />
        </div>
        <label for="note">{t!(i18n, checkout.note)}</label>
        <textarea id="note" name="form[note]" rows="2">{form.note.unwrap_or_default()}</textarea>
        <FieldError errors field="note" />
    }
}

/// For each stall of the cart: its pickup date (for a pickup), then how it is paid, among the
/// methods it takes; and the cart's fingerprint, so a cart changed meanwhile is not ordered
/// unseen.
#[component]
fn StallChoices(
    cart: CartView,
    kept: CheckoutFields,
    errors: Signal<FieldErrors>,
    picked: RwSignal<CheckoutFields>,
) -> impl IntoView {
    let i18n = use_i18n();
    let any_card = cart
        .stalls
        .iter()
        .any(|s| s.methods.contains(&PaymentMethod::Card));
    let card_min = crate::domain::money::Dong::new(CARD_MIN).to_string();
    view! {
        <input type="hidden" name="seen" value=cart.seen.clone() />
        <fieldset class="pickup-days pickup-only">
            <legend>{t!(i18n, checkout.pickup_day)}</legend>
            <p class="hint">{t!(i18n, checkout.pickup_hint)}</p>
            {cart.stalls.iter().cloned().map(|stall| {
                let chosen = kept.pickup_days.get(&stall.stall_id.to_string()).cloned();
                view! { <PickupDay stall chosen errors picked /> }
            }).collect_view()}
        </fieldset>
        <fieldset class="payments">
            <legend>{t!(i18n, checkout.method)}</legend>
            <p class="hint">{t!(i18n, checkout.method_hint)}</p>
            {cart.stalls.into_iter().map(|stall| {
                let chosen = kept.methods.get(&stall.stall_id.to_string()).cloned();
                view! { <StallPayment stall chosen errors picked /> }
            }).collect_view()}
            {any_card.then(|| view! {
                <p class="hint">{move || t_string!(i18n, checkout.card_min, min = card_min.clone()).to_string()}</p>
            })}
            <FieldError errors field="method" />
        </fieldset>
    }
}

/// One stall's pickup date: only the days it trades, each as its next date (`Chủ nhật 29/11`),
/// posted as the date itself so the order knows which week.
#[component]
fn PickupDay(
    stall: CartStall,
    chosen: Option<String>,
    errors: Signal<FieldErrors>,
    picked: RwSignal<CheckoutFields>,
) -> impl IntoView {
    let select = pickup_day_field(stall.stall_id);
    let key = stall.stall_id.to_string();
    view! {
        <label for=select.clone()>{stall.stall_name.clone()}</label>
        <select id=select.clone() name=format!("pickup_days[{}]", stall.stall_id)
            aria-describedby=format!("{select}-error")
            on:change=move |ev| {
                let date = event_target_value(&ev);
                picked.update(|p| { p.pickup_days.insert(key.clone(), date); });
            }>
            {stall.pickup_dates.into_iter().map(|(day, date)| {
                let value = date.format("%Y-%m-%d").to_string();
                let selected = chosen.as_deref() == Some(value.as_str());
                view! {
                    <option value=value selected=selected>
                        {label(day)} " " {date.format("%d/%m").to_string()}
                    </option>
                }
            }).collect_view()}
        </select>
        <FieldError errors field=select />
    }
}

/// How one stall is paid: only the methods it takes, the one chosen before (or transfer, the
/// first offered) ticked. A stall that takes none says so, as the cart did above.
#[component]
fn StallPayment(
    stall: CartStall,
    chosen: Option<String>,
    errors: Signal<FieldErrors>,
    picked: RwSignal<CheckoutFields>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = method_field(stall.stall_id);
    let described_by = format!("{field}-error");
    let name = format!("methods[{}]", stall.stall_id);
    let checked = chosen
        .and_then(|slug| slug.parse::<PaymentMethod>().ok())
        .filter(|m| stall.methods.contains(m))
        .or_else(|| stall.methods.first().copied());
    let stall_name = stall.stall_name.clone();
    let key = stall.stall_id.to_string();
    view! {
        <fieldset class="choice stall-payment" aria-describedby=described_by>
            <legend>{stall.stall_name.clone()} " · " <span class="price">{stall.subtotal.to_string()}</span></legend>
            {if stall.methods.is_empty() {
                view! {
                    <p class="warning">{move || invalid_message(i18n, &Invalid::NotPayable { stall: stall_name.clone() })}</p>
                }.into_any()
            } else {
                stall.methods.iter().map(|&m| {
                    let key = key.clone();
                    let pick = move |_| picked.update(|p| { p.methods.insert(key.clone(), m.slug().to_owned()); });
                    view! {
                        <label><input type="radio" name=name.clone() value=m.slug() checked=Some(m) == checked on:change=pick /> {label(m)}</label>
                    }
                }).collect_view().into_any()
            }}
            <FieldError errors field=field />
        </fieldset>
    }
}

/// Says when card payments are simulated (no money moves) or off (no Stripe keys yet): to the
/// shopper choosing how to pay, or to the vendor choosing whether to take cards.
#[component]
pub fn CardModeNote(for_vendor: bool) -> impl IntoView {
    let i18n = use_i18n();
    let mode = Resource::new(|| (), |_| card_mode());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match mode.await {
                    Ok(CardMode::Simulated) => Some(view! { <p class="hint">{t!(i18n, checkout.simulated)}</p> }.into_any()),
                    Ok(CardMode::Off) if for_vendor => Some(view! { <p class="hint">{t!(i18n, payments.cards_off)}</p> }.into_any()),
                    Ok(CardMode::Off) => Some(view! { <p class="hint">{t!(i18n, checkout.cards_off)}</p> }.into_any()),
                    _ => None,
                }
            })}
        </Suspense>
    }
}
