//! The shopper's pages: the cart with its checkout form, and the checkout's own page.
use crate::api::shop::{
    CancelOrder, PayByCard, PlaceOrder, RestoreOrder, UpdateCart, card_mode, cart_line_field,
    checkout_page, my_cart, pickup_day_field,
};
use crate::components::forms::{ConfirmCancel, FieldError, FormStatus, field_errors};
use crate::components::layout::CartCount;
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::{decimal_sep, english, lao_cai_time};
use crate::domain::invalid::FieldErrors;
use crate::domain::order::{CardMode, Fulfilment, OrderEnding, OrderStatus, PaymentMethod};
use crate::i18n::*;
use crate::model::{CartStall, CartView, Order};
use crate::vocab::{Label, label};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The decimal separator the visitor reads: `1,5 kg` in Vietnamese, `1.5 kg` in English.

#[component]
pub fn CartPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let update = ServerAction::<UpdateCart>::new();
    let place = ServerAction::<PlaceOrder>::new();
    CartCount::refresh_after(update);
    CartCount::refresh_after(place);
    let cart = Resource::new(move || update.version().get(), |_| my_cart());
    let errors = field_errors(place.value());
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
        <section class="panel">
            <h2>{t!(i18n, checkout.title)}</h2>
            <ActionForm action=place attr:class="checkout-form">
                <ContactFields errors />
                <fieldset class="choice">
                    <legend>{t!(i18n, checkout.fulfilment)}</legend>
                    {Fulfilment::ALL.into_iter().map(|f| view! {
                        <label><input type="radio" name="form[fulfilment]" value=f.slug() checked=f == Fulfilment::Pickup /> {label(f)}</label>
                    }).collect_view()}
                    <FieldError errors field="fulfilment" />
                </fieldset>
                <fieldset class="pickup-days">
                    <legend>{t!(i18n, checkout.pickup_day)}</legend>
                    <p class="hint">{t!(i18n, checkout.pickup_hint)}</p>
                    // Its own boundary, so updating a cart line redraws only these choices and
                    // keeps what was typed in the rest of the form.
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            cart.await.ok().map(|cart| cart.stalls.into_iter().map(|stall| view! {
                                <PickupDay stall errors />
                            }).collect_view())
                        })}
                    </Transition>
                </fieldset>
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
                        <label><input type="radio" name="form[method]" value=m.slug() checked=m == PaymentMethod::VietQr /> {label(m)}</label>
                    }).collect_view()}
                    <FieldError errors field="method" />
                    <CardModeNote for_vendor=false />
                </fieldset>
                <FieldError errors field="cart" />
                <FormStatus value=place.value() />
                <button type="submit" class="primary">{t!(i18n, checkout.place)}</button>
            </ActionForm>
        </section>
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

/// The checkout's name and phone, filled in from a signed-in shopper's account (who may still
/// change them: the server checks whatever is posted). Waits for the account so the values are
/// in the page as served, without JavaScript too.
#[component]
fn ContactFields(errors: Signal<FieldErrors>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = crate::app::use_auth();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let user = auth.user.await;
                let name = user.as_ref().map(|u| u.full_name.clone());
                let phone = user.and_then(|u| u.phone).map(|p| p.national());
                view! {
                    <label for="name">{t!(i18n, checkout.name)}</label>
                    <input id="name" name="form[name]" autocomplete="name" required maxlength="120" value=name />
                    <FieldError errors field="name" />
                    <label for="phone">{t!(i18n, checkout.phone)}</label>
                    <input id="phone" name="form[phone]" autocomplete="tel" inputmode="tel" required value=phone />
                    <FieldError errors field="phone" />
                }
            })}
        </Suspense>
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
    let en = english();
    let delivered_costs_more = cart.delivery_total != cart.pickup_total;
    view! {
        {cart.stalls.into_iter().map(|stall| view! {
            <section class="cart-stall">
                <h2><A href=format!("/stalls/{}", stall.stall_slug)>{stall.stall_name.clone()}</A></h2>
                <ul class="cart">
                    {stall.lines.into_iter().map(|line| {
                        let unit = line.product.unit;
                        let id = line.product.id;
                        let input = format!("q{id}");
                        let field = cart_line_field(id);
                        let described_by = format!("{field}-error");
                        view! {
                            <li class="cart-line">
                                <A href=format!("/products/{id}")>{line.product.name.clone()}</A>
                                <ActionForm action=update attr:class="inline">
                                    <input type="hidden" name="product_id" value=id.to_string() />
                                    <label class="sr-only" for=input.clone()>{t!(i18n, cart.quantity)}</label>
                                    <input id=input name="quantity" class="qty" inputmode="decimal"
                                        aria-describedby=described_by
                                        value=line.quantity.format(unit, decimal_sep(en.get_untracked())) />
                                    " " {unit.label(i18n.get_locale_untracked())} " "
                                    <button type="submit">{t!(i18n, cart.update)}</button>
                                </ActionForm>
                                <span class="price">{line.total.to_string()}</span>
                                <FieldError errors field=field />
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <p class="subtotal">{t!(i18n, cart.subtotal)} ": " {stall.subtotal.to_string()}</p>
                <p class="fee">{t!(i18n, cart.delivery_fee_if)} ": " {stall.delivery_fee.to_string()}</p>
            </section>
        }).collect_view()}
        <p class="total">{t!(i18n, cart.total_pickup)} ": " <strong>{cart.pickup_total.to_string()}</strong></p>
        {delivered_costs_more.then(|| view! {
            <p class="total">{t!(i18n, cart.total_delivery)} ": " <strong>{cart.delivery_total.to_string()}</strong></p>
        })}
    }
}

/// One stall's pickup date: only the days it trades, each as its next date (`Chủ nhật 29/11`),
/// posted as the date itself so the order knows which week.
#[component]
fn PickupDay(stall: CartStall, errors: Signal<FieldErrors>) -> impl IntoView {
    let select = pickup_day_field(stall.stall_id);
    view! {
        <label for=select.clone()>{stall.stall_name.clone()}</label>
        <select id=select.clone() name=format!("pickup_days[{}]", stall.stall_id)
            aria-describedby=format!("{select}-error")>
            {stall.pickup_dates.into_iter().map(|(day, date)| view! {
                <option value=date.format("%Y-%m-%d").to_string()>
                    {label(day)} " " {date.format("%d/%m").to_string()}
                </option>
            }).collect_view()}
        </select>
        <FieldError errors field=select />
    }
}

/// A checkout's page, reached by its unguessable link: each order's status, how to pay a
/// transfer, what happened to an order that ended unpaid, and a printable receipt.
#[component]
pub fn CheckoutPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let pay = ServerAction::<PayByCard>::new();
    // What is left to pay may have fallen below the card minimum after a cancellation.
    let pay_errors = field_errors(pay.value());
    let cancel = ServerAction::<CancelOrder>::new();
    let restore = ServerAction::<RestoreOrder>::new();
    CartCount::refresh_after(restore);
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
        // A shopper's name, phone and address are on this page: it must never be indexed.
        <leptos_meta::Meta name="robots" content="noindex, nofollow" />
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(view) => {
                        let codes = view.transfer_codes.clone();
                        let token = view.token.clone();
                        view! {
                            <PageMeta title=tu_string!(i18n, checkout.receipt) description=tu_string!(i18n, checkout.receipt) />
                            <h1>{t!(i18n, checkout.receipt)}</h1>
                            // The total is what the live orders charge; once every order has ended
                            // (cancelled, expired) each receipt below keeps its own total instead.
                            {(view.total.amount() > 0).then(|| view! {
                                <p class="total">{t!(i18n, cart.total)} ": " <strong>{view.total.to_string()}</strong>
                                    " · " {label(view.method)}</p>
                            })}
                            <PrintButton />
                            {
                                let awaiting_card = view.orders.iter().any(|o| o.status == OrderStatus::AwaitingPayment);
                                let returning = query.read_untracked().get("paid").is_some();
                                let unavailable = view.card_unavailable;
                                let token = token.clone();
                                awaiting_card.then(|| view! {
                                    // Back from the payment page before the processor's word arrived:
                                    // look again shortly, without needing JavaScript.
                                    {returning.then(|| view! { <leptos_meta::Meta http_equiv="refresh" content="3" /> <p class="notice">{t!(i18n, checkout.confirming)}</p> })}
                                    // The processor couldn't be reached when the order was placed (or
                                    // at the last try): say so at once, before anyone presses retry.
                                    {move || (unavailable && pay.value().get().is_none()).then(|| view! {
                                        <p class="form-error" role="alert">{t!(i18n, errors.payment_unavailable)}</p>
                                    })}
                                    <ActionForm action=pay>
                                        <input type="hidden" name="token" value=token />
                                        <FormStatus value=pay.value() />
                                        <FieldError errors=pay_errors field="method" />
                                        <button type="submit" class="primary">{t!(i18n, checkout.pay_card)}</button>
                                    </ActionForm>
                                })
                            }
                            <FormStatus value=restore.value() />
                            {view.orders.into_iter().map(|order| {
                                let code = codes.iter().find(|c| c.order_id == order.id).cloned();
                                view! { <Receipt order code token=token.clone() cancel restore /> }
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

/// One order of a checkout as its receipt: number, date, stall, how it is paid and collected,
/// every line with its unit price, the delivery fee and the total; then what the shopper can
/// still do with it.
#[component]
fn Receipt(
    order: Order,
    code: Option<crate::model::TransferCode>,
    token: String,
    cancel: ServerAction<CancelOrder>,
    restore: ServerAction<RestoreOrder>,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let status = order.status;
    let method = order.method;
    let fulfilment = order.fulfilment;
    let pickup = crate::components::pickup_when(&order);
    let ordered_at = lao_cai_time(order.created_at);
    let cancellable = matches!(
        status,
        OrderStatus::AwaitingPayment | OrderStatus::AwaitingTransfer
    );
    let ending = order.ending();
    let restore_token = token.clone();
    view! {
        <article class="order panel receipt" data-code=order.code.clone()>
            <h2>{order.stall_name.clone()}</h2>
            <dl class="receipt-facts">
                <dt>{t!(i18n, checkout.receipt_no)}</dt>
                <dd class="code">{order.code.clone()}</dd>
                <dt>{t!(i18n, checkout.ordered_at)}</dt>
                <dd>{ordered_at}</dd>
                <dt>{t!(i18n, checkout.method)}</dt>
                <dd>{label(method)}</dd>
                <dt>{t!(i18n, checkout.fulfilment)}</dt>
                <dd>
                    {label(fulfilment)}
                    {pickup.map(|when| view! { ", " {when} })}
                    {order.address.clone().map(|a| view! { ": " {a} })}
                </dd>
            </dl>
            <p class=format!("status {}", status.slug())>{label(status)}</p>
            {ending.map(|ending| view! {
                <div class="ended no-print">
                    <p>{ending_message(i18n, ending)}</p>
                    <ActionForm action=restore attr:class="inline">
                        <input type="hidden" name="token" value=restore_token />
                        <input type="hidden" name="order_id" value=order.id.to_string() />
                        <button type="submit">{t!(i18n, checkout.restore)}</button>
                    </ActionForm>
                </div>
            })}
            <div class="table-scroll">
            <table class="lines">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, checkout.item)}</th>
                        <th scope="col">{t!(i18n, cart.quantity)}</th>
                        <th scope="col">{t!(i18n, checkout.unit_price)}</th>
                        <th scope="col">{t!(i18n, checkout.line_total)}</th>
                    </tr>
                </thead>
                <tbody>
                    {order.lines.iter().map(|l| {
                        let unit = l.unit;
                        view! {
                            <tr>
                                <td>{l.name.clone()}</td>
                                <td>{l.quantity.format(unit, decimal_sep(en.get_untracked()))} " " {unit.label(i18n.get_locale_untracked())}</td>
                                <td>{l.unit_price.to_string()}</td>
                                <td>{l.total.to_string()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
                <tfoot>
                    {(fulfilment == Fulfilment::Delivery).then(|| view! {
                        <tr><th scope="row" colspan="3">{t!(i18n, checkout.delivery_fee)}</th><td>{order.delivery_fee.to_string()}</td></tr>
                    })}
                    <tr class="total"><th scope="row" colspan="3">{t!(i18n, cart.total)}</th><td><strong>{order.total.to_string()}</strong></td></tr>
                </tfoot>
            </table>
            </div>
            {code.map(|code| view! { <TransferDetails code total=order.total reference=order.code.clone() /> })}
            {cancellable.then(|| view! {
                <ActionForm action=cancel attr:class="no-print">
                    <input type="hidden" name="token" value=token />
                    <input type="hidden" name="order_id" value=order.id.to_string() />
                    <ConfirmCancel id=order.id.to_string() warning=Signal::derive(move || tu_string!(i18n, checkout.cancel_warning).to_string()) />
                </ActionForm>
            })}
        </article>
    }
}

/// How to pay an order by transfer: its VietQR code to scan, and the same details as text,
/// each with a copy button, for a shopper paying from the phone that shows the code (who can't
/// scan their own screen). On paper the whole payload is printed, not a cut-off field.
#[component]
fn TransferDetails(
    code: crate::model::TransferCode,
    total: crate::domain::money::Dong,
    reference: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let payload_id = format!("payload-{}", code.order_id);
    let details = [
        (
            tu_string!(i18n, checkout.bank),
            code.bank_name.clone(),
            code.bank_name,
        ),
        (
            tu_string!(i18n, checkout.account_number),
            code.account_number.clone(),
            code.account_number,
        ),
        (
            tu_string!(i18n, checkout.account_holder),
            code.account_holder.clone(),
            code.account_holder,
        ),
        // Shown the Vietnamese way, copied as the plain number a banking app's field takes.
        (
            tu_string!(i18n, checkout.amount),
            total.to_string(),
            total.amount().to_string(),
        ),
        (
            tu_string!(i18n, checkout.reference),
            reference.clone(),
            reference,
        ),
    ];
    view! {
        <div class="vietqr">
            <p>{t!(i18n, checkout.scan)}</p>
            <div class="qr" inner_html=code.svg></div>
            <p class="no-print">{t!(i18n, checkout.same_phone)}</p>
            <dl class="transfer-details">
                {details.into_iter().map(|(name, shown, copied)| view! {
                    <dt>{name}</dt>
                    <dd><span class="value">{shown}</span> <CopyButton text=copied what=name /></dd>
                }).collect_view()}
            </dl>
            <label class="no-print" for=payload_id.clone()>{t!(i18n, checkout.payload)}</label>
            <input id=payload_id class="payload no-print" readonly value=code.payload.clone() />
            <p class="payload-print print-only"><code>{code.payload}</code></p>
        </div>
    }
}

/// Copies `text` to the clipboard. The clipboard needs the browser's script, so the button
/// appears only once the page is interactive, and never on paper.
#[component]
fn CopyButton(text: String, what: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let interactive = RwSignal::new(false);
    let copied = RwSignal::new(false);
    Effect::new(move || interactive.set(true));
    move || {
        let text = text.clone();
        interactive.get().then(|| {
            view! {
                <button type="button" class="copy no-print"
                    aria-label=move || format!("{} {what}", tu_string!(i18n, checkout.copy))
                    on:click=move |_| {
                        copy_to_clipboard(&text);
                        copied.set(true);
                    }>
                    {move || if copied.get() { tu_string!(i18n, checkout.copied) } else { tu_string!(i18n, checkout.copy) }}
                </button>
            }
        })
    }
}

/// Puts `text` on the clipboard; a browser that refuses (no permission, no secure context)
/// leaves the text on the page to copy by hand.
fn copy_to_clipboard(text: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}

/// What happened to an order that ended unpaid or cancelled, in the shopper's words.
fn ending_message(i18n: leptos_i18n::I18nContext<Locale>, ending: OrderEnding) -> &'static str {
    match ending {
        OrderEnding::PaymentFailed => tu_string!(i18n, checkout.ended_payment_failed),
        OrderEnding::NotPaidInTime => tu_string!(i18n, checkout.ended_not_paid),
        OrderEnding::Cancelled => tu_string!(i18n, checkout.ended_cancelled),
        OrderEnding::CancelledRefunded => tu_string!(i18n, checkout.ended_refunded),
        OrderEnding::CancelledTransferReturned => {
            tu_string!(i18n, checkout.ended_transfer_returned)
        }
    }
}

/// Prints the receipt. Printing needs the browser's script, so the button appears only once the
/// page is interactive, and never on paper.
#[component]
fn PrintButton() -> impl IntoView {
    let i18n = use_i18n();
    let interactive = RwSignal::new(false);
    Effect::new(move || interactive.set(true));
    move || {
        interactive.get().then(|| {
            view! {
                <button type="button" class="print no-print" on:click=move |_| {
                    let _ = window().print();
                }>{t!(i18n, checkout.print)}</button>
            }
        })
    }
}
