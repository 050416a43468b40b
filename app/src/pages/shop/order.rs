//! A checkout's page, reached by its unguessable link: for each order what to pay and by when
//! (a transfer's QR code first), where the goods are collected and the stall's phone, what
//! happens next, and the receipt.
use super::live::{LiveStatus, live_part_state};
use super::receipt::{PrintButton, Receipt, TransferDetails};
use crate::api::shop::{CancelOrder, PayByCard, RestoreOrder, checkout_page};
use crate::components::forms::{ConfirmCancel, FieldError, FormStatus, field_errors};
use crate::components::layout::CartCount;
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::{cards::place_label, lao_cai_time, pickup_when};
use crate::domain::order::{Fulfilment, OrderStatus};
use crate::i18n::*;
use crate::model::{CheckoutView, Order, StallContact, TransferCode};
use crate::vocab::label;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
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
        // A transition: read again when an order changes, the page stays as it is until then.
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(view) => view! {
                        <PageMeta title=tu_string!(i18n, checkout.receipt) description=tu_string!(i18n, checkout.receipt) />
                        <h1>{t!(i18n, checkout.receipt)}</h1>
                        <LiveStatus view=view.clone() />
                        {
                            let (state, awaits) = live_part_state(&view);
                            view! {
                                <div class="checkout-live" data-state=state data-awaits=awaits>
                                    <Checkout view cancel restore />
                                </div>
                            }
                        }
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The checkout's orders, those still waiting for the shopper's money first: a transfer's QR
/// code is the first thing on the page. Then the total, printing, and a reminder to keep the
/// link.
#[component]
fn Checkout(
    view: CheckoutView,
    cancel: ServerAction<CancelOrder>,
    restore: ServerAction<RestoreOrder>,
) -> impl IntoView {
    let i18n = use_i18n();
    let mut orders = view.orders.clone();
    // A stable sort: the orders keep the cart's order within each kind.
    orders.sort_by_key(|o| !matches!(o.status, OrderStatus::AwaitingTransfer));
    let card = view
        .awaits_card()
        .then(|| view! { <CardPayment view=view.clone() /> });
    let token = view.token.clone();
    view! {
        {card}
        <FormStatus value=restore.value() />
        {orders.into_iter().map(|order| {
            let code = view.transfer_codes.iter().find(|c| c.order_id == order.id).cloned();
            let contact = view.stalls.iter().find(|c| c.stall_id == order.stall_id).cloned();
            view! { <OrderCard order code contact token=token.clone() cancel restore /> }
        }).collect_view()}
        // What the live orders charge; once every order has ended (cancelled, expired) each
        // receipt keeps its own total instead.
        {(view.total.amount() > 0).then(|| view! {
            <p class="total">{t!(i18n, cart.total)} ": " <strong>{view.total.to_string()}</strong></p>
        })}
        <PrintButton label=t_string!(i18n, checkout.print).to_string() />
        <p class="hint">{t!(i18n, checkout.keep_link)}</p>
    }
}

/// The card payment of the orders still awaiting it: one payment for every stall paid by
/// card, however many stalls the checkout pays by transfer.
#[component]
fn CardPayment(view: CheckoutView) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let pay = ServerAction::<PayByCard>::new();
    // What is left to pay may have fallen below the card minimum after a cancellation.
    let pay_errors = field_errors(pay.value());
    let awaiting: Vec<&Order> = view
        .orders
        .iter()
        .filter(|o| o.status == OrderStatus::AwaitingPayment)
        .collect();
    let amount: crate::domain::money::Dong = awaiting.iter().map(|o| o.total).sum();
    let stalls = awaiting
        .iter()
        .map(|o| o.stall_name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let deadline = awaiting
        .iter()
        .map(|o| o.expires_at)
        .min()
        .map(lao_cai_time);
    let returning = query.read_untracked().get("paid").is_some();
    let unavailable = view.card_unavailable;
    view! {
        <section class="panel pay-card">
            // Back from the payment page before the processor's word arrived: look again
            // shortly, without needing JavaScript.
            {returning.then(|| view! {
                <leptos_meta::Meta http_equiv="refresh" content="3" />
                <p class="notice">{t!(i18n, checkout.confirming)}</p>
            })}
            <p class="due">
                <span>{t!(i18n, checkout.card_amount)}</span> " " <strong class="amount">{amount.to_string()}</strong>
            </p>
            {deadline.map(|d| view! {
                <p class="due">{t!(i18n, checkout.deadline)} " " <strong class="nowrap">{d}</strong></p>
            })}
            <p class="hint">{move || t_string!(i18n, checkout.card_covers, stalls = stalls.clone()).to_string()}</p>
            // The processor couldn't be reached when the order was placed (or at the last
            // try): say so at once, before anyone presses retry.
            {move || (unavailable && pay.value().get().is_none()).then(|| view! {
                <p class="form-error" role="alert">{t!(i18n, errors.payment_unavailable)}</p>
            })}
            <ActionForm action=pay>
                <input type="hidden" name="token" value=view.token.clone() />
                <FormStatus value=pay.value() />
                <FieldError errors=pay_errors field="method" />
                <button type="submit" class="primary">{t!(i18n, checkout.pay_card)}</button>
            </ActionForm>
        </section>
    }
}

/// One order of the checkout: its stall and status, how to pay it while it waits for a
/// transfer, where and when the goods are handed over, what happens next, and its receipt.
#[component]
fn OrderCard(
    order: Order,
    code: Option<TransferCode>,
    contact: Option<StallContact>,
    token: String,
    cancel: ServerAction<CancelOrder>,
    restore: ServerAction<RestoreOrder>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = order.status;
    let cancellable = matches!(
        status,
        OrderStatus::AwaitingPayment | OrderStatus::AwaitingTransfer
    );
    let deadline = lao_cai_time(order.expires_at);
    view! {
        <article class="order panel receipt" data-code=order.code.clone()>
            <header class="order-head">
                <h2>{order.stall_name.clone()}</h2>
                <p class=format!("status {}", status.slug())>{label(status)}</p>
            </header>
            {(order.received.amount() > 0 && status == OrderStatus::AwaitingTransfer).then(|| {
                let (received, due) = (order.received, order.due());
                view! { <p class="notice part-paid" role="status">{move || t_string!(i18n, checkout.part_paid, received = received.to_string(), due = due.to_string()).to_string()}</p> }
            })}
            {code.map(|code| view! {
                <TransferDetails code total=order.due() reference=order.code.clone() deadline=deadline.clone() />
            })}
            <Handover order=order.clone() contact />
            <NextSteps status fulfilment=order.fulfilment />
            <Receipt order=order.clone() token=token.clone() restore />
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

/// Where and when the goods change hands (the market and stall number, or the shop of an OCOP
/// producer, on the chosen date; or the delivery address), and the stall's phone to call.
#[component]
fn Handover(order: Order, contact: Option<StallContact>) -> impl IntoView {
    let i18n = use_i18n();
    let when = pickup_when(&order);
    let place = contact.as_ref().map(|c| c.place.clone());
    let phone = contact.map(|c| c.phone);
    view! {
        <dl class="handover">
            {match order.fulfilment {
                Fulfilment::Pickup => view! {
                    <dt>{t!(i18n, checkout.pickup_at)}</dt>
                    <dd>
                        {place.map(|place| view! { <span>{move || place_label(i18n.get_locale(), &place)}</span> })}
                        {when.map(|when| view! { <strong class="when">{when}</strong> })}
                    </dd>
                }.into_any(),
                Fulfilment::Delivery => view! {
                    <dt>{t!(i18n, checkout.deliver_to)}</dt>
                    <dd>{order.address.clone()}</dd>
                }.into_any(),
            }}
            {phone.map(|phone| view! {
                <dt>{t!(i18n, checkout.stall_phone)}</dt>
                <dd><a class="tel nowrap" href=format!("tel:{}", phone.as_str())>{phone.national()}</a></dd>
            })}
        </dl>
    }
}

/// What happens next to an order still under way: who confirms the money, and when the goods
/// are ready or on their way. An order that ended says why in its receipt instead.
#[component]
fn NextSteps(status: OrderStatus, fulfilment: Fulfilment) -> impl IntoView {
    let i18n = use_i18n();
    let pickup = fulfilment == Fulfilment::Pickup;
    let text = move || -> Option<&'static str> {
        Some(match status {
            OrderStatus::AwaitingTransfer => tu_string!(i18n, checkout.next_transfer),
            OrderStatus::AwaitingPayment => tu_string!(i18n, checkout.next_card),
            OrderStatus::Paid | OrderStatus::Accepted if pickup => {
                tu_string!(i18n, checkout.next_prepare_pickup)
            }
            OrderStatus::Paid | OrderStatus::Accepted => {
                tu_string!(i18n, checkout.next_prepare_delivery)
            }
            OrderStatus::ReadyForPickup => tu_string!(i18n, checkout.next_ready),
            OrderStatus::OutForDelivery => tu_string!(i18n, checkout.next_on_its_way),
            OrderStatus::Completed | OrderStatus::Cancelled | OrderStatus::Expired => return None,
        })
    };
    text().map(|_| {
        view! {
            <div class="next-steps">
                <h3>{t!(i18n, checkout.next_title)}</h3>
                <p>{text}</p>
            </div>
        }
    })
}
