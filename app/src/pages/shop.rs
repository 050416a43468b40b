//! The shopper's pages: the cart with its checkout form, and the checkout's own page.
use crate::api::shop::{
    CancelOrder, PayByCard, PlaceOrder, UpdateCart, cards_simulated, checkout_page, my_cart,
};
use crate::components::forms::{FieldError, FormStatus, field_errors};
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::{english, pick};
use crate::domain::market::Weekday;
use crate::domain::money::Dong;
use crate::domain::order::{Fulfilment, PaymentMethod};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CartPage() -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let update = ServerAction::<UpdateCart>::new();
    let place = ServerAction::<PlaceOrder>::new();
    let cart = Resource::new(move || update.version().get(), |_| my_cart());
    let errors = field_errors(place.value());
    let simulated = Resource::new(|| (), |_| cards_simulated());
    view! {
        <PageMeta title=tu_string!(i18n, cart.title) description=tu_string!(i18n, cart.title) />
        <h1>{t!(i18n, cart.title)}</h1>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match cart.await {
                    Ok(lines) if lines.is_empty() => view! { <p class="empty">{t!(i18n, cart.empty)}</p> }.into_any(),
                    Ok(lines) => {
                        let total: Dong = lines.iter().map(|l| l.total).sum();
                        view! {
                            <ul class="cart">
                                {lines.into_iter().map(|line| {
                                    let unit = line.product.unit;
                                    let sep = if en.get_untracked() { '.' } else { ',' };
                                    view! {
                                        <li class="cart-line">
                                            <A href=format!("/products/{}", line.product.id)>{line.product.name.clone()}</A>
                                            <span class="where">{line.stall_name.clone()}</span>
                                            <ActionForm action=update attr:class="inline">
                                                <input type="hidden" name="product_id" value=line.product.id />
                                                <label class="sr-only" for=format!("q{}", line.product.id)>{t!(i18n, cart.quantity)}</label>
                                                <input id=format!("q{}", line.product.id) name="quantity" class="qty" inputmode="decimal" value=line.quantity.format(unit, sep) />
                                                " " {pick(en.get_untracked(), unit.label_vi(), unit.label_en())} " "
                                                <button type="submit">{t!(i18n, cart.update)}</button>
                                            </ActionForm>
                                            <span class="price">{line.total.to_string()}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <p class="total">{t!(i18n, cart.total)} ": " <strong>{total.to_string()}</strong></p>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
        <section class="panel">
            <h2>{t!(i18n, checkout.title)}</h2>
            <ActionForm action=place attr:class="checkout-form">
                <label for="name">{t!(i18n, checkout.name)}</label>
                <input id="name" name="form[name]" autocomplete="name" required maxlength="120" />
                <FieldError errors field="name" />
                <label for="phone">{t!(i18n, checkout.phone)}</label>
                <input id="phone" name="form[phone]" autocomplete="tel" inputmode="tel" required />
                <FieldError errors field="phone" />
                <fieldset class="choice">
                    <legend>{t!(i18n, checkout.fulfilment)}</legend>
                    {Fulfilment::ALL.into_iter().map(|f| view! {
                        <label><input type="radio" name="form[fulfilment]" value=f.slug() checked=f == Fulfilment::Pickup /> {move || pick(en.get(), f.label_vi(), f.label_en())}</label>
                    }).collect_view()}
                    <FieldError errors field="fulfilment" />
                </fieldset>
                <label for="pickup_day">{t!(i18n, checkout.pickup_day)}</label>
                <select id="pickup_day" name="pickup_day">
                    {Weekday::ALL.into_iter().map(|d| view! { <option value=d.slug()>{move || pick(en.get(), d.label_vi(), d.label_en())}</option> }).collect_view()}
                </select>
                <FieldError errors field="pickup_day" />
                <label for="address">{t!(i18n, checkout.address)}</label>
                <textarea id="address" name="form[address]" rows="2"></textarea>
                <p class="hint">{t!(i18n, checkout.address_hint)}</p>
                <FieldError errors field="address" />
                <label for="note">{t!(i18n, checkout.note)}</label>
                <textarea id="note" name="form[note]" rows="2"></textarea>
                <FieldError errors field="note" />
                <fieldset class="choice">
                    <legend>{t!(i18n, checkout.method)}</legend>
                    {PaymentMethod::ALL.into_iter().map(|m| view! {
                        <label><input type="radio" name="form[method]" value=m.slug() checked=m == PaymentMethod::VietQr /> {move || pick(en.get(), m.label_vi(), m.label_en())}</label>
                    }).collect_view()}
                    <FieldError errors field="method" />
                    <Suspense>
                        {move || Suspend::new(async move {
                            simulated.await.unwrap_or(false).then(|| view! { <p class="hint">{t!(i18n, checkout.simulated)}</p> })
                        })}
                    </Suspense>
                </fieldset>
                <FieldError errors field="cart" />
                <FormStatus value=place.value() />
                <button type="submit" class="primary">{t!(i18n, checkout.place)}</button>
            </ActionForm>
        </section>
    }
}

/// A checkout's page, reached by its unguessable link: each order's status, how to pay a
/// transfer, and a printable receipt.
#[component]
pub fn CheckoutPage() -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let params = use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let pay = ServerAction::<PayByCard>::new();
    let cancel = ServerAction::<CancelOrder>::new();
    let page = Resource::new(
        move || {
            (
                params.read().get("token").unwrap_or_default(),
                cancel.version().get(),
            )
        },
        |(token, _)| checkout_page(token),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(view) => {
                        let codes = view.transfer_codes.clone();
                        view! {
                            <PageMeta title=tu_string!(i18n, checkout.receipt) description=tu_string!(i18n, checkout.receipt) />
                            <h1>{t!(i18n, checkout.receipt)}</h1>
                            <p class="total">{t!(i18n, cart.total)} ": " <strong>{view.total.to_string()}</strong>
                                " · " {move || pick(en.get(), view.method.label_vi(), view.method.label_en())}</p>
                            {
                                let awaiting_card = view.orders.iter().any(|o| o.status == crate::domain::order::OrderStatus::AwaitingPayment);
                                let returning = query.read_untracked().get("paid").is_some();
                                let token = view.token.clone();
                                awaiting_card.then(|| view! {
                                    // Back from the payment page before the processor's word arrived:
                                    // look again shortly, without needing JavaScript.
                                    {returning.then(|| view! { <leptos_meta::Meta http_equiv="refresh" content="3" /> <p class="notice">{t!(i18n, checkout.confirming)}</p> })}
                                    <ActionForm action=pay>
                                        <input type="hidden" name="token" value=token />
                                        <FormStatus value=pay.value() />
                                        <button type="submit" class="primary">{t!(i18n, checkout.pay_card)}</button>
                                    </ActionForm>
                                })
                            }
                            {view.orders.into_iter().map(|order| {
                                let token_for_cancel = view.token.clone();
                                let status = order.status;
                                let code = codes.iter().find(|c| c.order_id == order.id).cloned();
                                view! {
                                    <article class="order panel" data-code=order.code.clone()>
                                        <h2>{order.code.clone()} " · " {order.stall_name.clone()}</h2>
                                        <p class=format!("status {}", status.slug())>{move || pick(en.get(), status.label_vi(), status.label_en())}</p>
                                        <table class="lines">
                                            <tbody>
                                                {order.lines.iter().map(|l| {
                                                    let unit = l.unit;
                                                    view! {
                                                        <tr>
                                                            <td>{l.name.clone()}</td>
                                                            <td>{l.quantity.format(unit, if en.get_untracked() { '.' } else { ',' })} " " {pick(en.get_untracked(), unit.label_vi(), unit.label_en())}</td>
                                                            <td>{l.unit_price.to_string()}</td>
                                                            <td>{l.total.to_string()}</td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                        {(order.delivery_fee.amount() > 0).then(|| view! { <p>{t!(i18n, checkout.delivery_fee)} ": " {order.delivery_fee.to_string()}</p> })}
                                        <p class="total">{t!(i18n, cart.total)} ": " <strong>{order.total.to_string()}</strong></p>
                                        {matches!(status, crate::domain::order::OrderStatus::AwaitingPayment | crate::domain::order::OrderStatus::AwaitingTransfer).then(|| view! {
                                            <ActionForm action=cancel attr:class="inline no-print">
                                                <input type="hidden" name="token" value=token_for_cancel.clone() />
                                                <input type="hidden" name="order_id" value=order.id />
                                                <button type="submit" class="cancel">{t!(i18n, checkout.cancel)}</button>
                                            </ActionForm>
                                        })}
                                        {code.map(|c| view! {
                                            <div class="vietqr">
                                                <p>{t!(i18n, checkout.scan)}</p>
                                                <div class="qr" inner_html=c.svg></div>
                                                <p>{c.bank_name} " · " {c.account_number} " · " {c.account_holder}</p>
                                                <label for=format!("payload-{}", c.order_id)>{t!(i18n, checkout.payload)}</label>
                                                <input id=format!("payload-{}", c.order_id) class="payload" readonly value=c.payload />
                                            </div>
                                        })}
                                    </article>
                                }
                            }).collect_view()}
                            <p class="hint">{t!(i18n, checkout.keep_link)}</p>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
