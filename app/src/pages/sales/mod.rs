//! The vendor's orders and payment settings, and the administrators' order list; the bank
//! statements and the placard have modules of their own.
mod bank_link;
mod collect;
mod placard;
mod statements;
mod transfers;

pub use collect::{CollectPage, CollectScreenPage};
pub use placard::PlacardPage;
pub use statements::StatementsPage;
pub use transfers::BankTransfersPage;

use crate::api::sales::{
    MoveOrder, SalesSummary, SavePaymentSettings, admin_orders, my_payment_settings, stall_orders,
};
use crate::components::forms::{Confirm, ConfirmCancel, FieldError, FormStatus, field_errors};
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::pager::Pager;
use crate::components::{decimal_sep, english, lao_cai_time};
use crate::domain::bank::banks;
use crate::domain::confirm;
use crate::domain::figures::percent;
use crate::domain::order::{OrderActor, OrderMove, OrderStatus, PaymentMethod};
use crate::domain::paging::PageNo;
use crate::domain::sales::{PeriodSales, Tally};
use crate::i18n::*;
use crate::model::{Order, OrderEvent};
use crate::vocab::label;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

/// The moves `actor` can make on `order`, in the order people make them.
fn moves_for(actor: OrderActor, order: &Order) -> Vec<OrderMove> {
    use crate::domain::order::transition;
    OrderMove::ALL
        .into_iter()
        .filter(|mv| transition(actor, *mv, order.status, order.method, order.fulfilment).is_ok())
        .collect()
}

fn move_label(i18n: I18nContext<Locale>, mv: OrderMove) -> &'static str {
    match mv {
        OrderMove::ConfirmPayment => tu_string!(i18n, sales.confirm_payment),
        OrderMove::Accept => tu_string!(i18n, sales.accept),
        OrderMove::MarkReady => tu_string!(i18n, sales.mark_ready),
        OrderMove::SendOut => tu_string!(i18n, sales.send_out),
        OrderMove::Complete => tu_string!(i18n, sales.complete),
        OrderMove::Cancel => tu_string!(i18n, sales.cancel),
        OrderMove::PaymentFailed | OrderMove::Expire => "",
    }
}

/// Who made a change, as a vendor reads it: the payment provider is Stripe for a card and a
/// bank statement line for a transfer.
fn actor_label(
    i18n: I18nContext<Locale>,
    actor: OrderActor,
    method: PaymentMethod,
) -> &'static str {
    match (actor, method) {
        (OrderActor::Shopper, _) => tu_string!(i18n, sales.by_shopper),
        (OrderActor::Vendor, _) => tu_string!(i18n, sales.by_vendor),
        (OrderActor::Admin, _) => tu_string!(i18n, sales.by_admin),
        (OrderActor::PaymentProvider, PaymentMethod::Card) => tu_string!(i18n, sales.by_stripe),
        (OrderActor::PaymentProvider, PaymentMethod::VietQr) | (OrderActor::Statement, _) => {
            tu_string!(i18n, sales.by_statement)
        }
        (OrderActor::System, _) => tu_string!(i18n, sales.by_clock),
        (OrderActor::BankViaPayOs, _) => tu_string!(i18n, sales.by_bank_payos),
        (OrderActor::BankViaSePay, _) => tu_string!(i18n, sales.by_bank_sepay),
    }
}

/// Orders as cards, each with the moves `actor` may make: the vendor's dashboard and the
/// administrators' list show the same thing. `show_stall` names each order's stall, for
/// lists that span stalls.
#[component]
pub fn OrderList(
    orders: Vec<Order>,
    actor: OrderActor,
    step: ServerAction<MoveOrder>,
    #[prop(optional)] show_stall: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if orders.is_empty() {
        return view! { <p class="empty">{t!(i18n, sales.none)}</p> }.into_any();
    }
    view! {
        <ul class="orders">
            {orders.into_iter().map(|order| {
                let moves = moves_for(actor, &order);
                view! { <OrderCard order moves step show_stall /> }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn OrderCard(
    order: Order,
    moves: Vec<OrderMove>,
    step: ServerAction<MoveOrder>,
    show_stall: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let status = order.status;
    let method = order.method;
    let fulfilment = order.fulfilment;
    let pickup = crate::components::pickup_when(&order);
    let decimal = move || decimal_sep(en.get());
    view! {
        <li class="order panel" data-code=order.code.clone()>
            <strong>{order.code.clone()}</strong> " · " {order.total.to_string()}
            " · " {label(method)}
            <p class=format!("status {}", status.slug())>{label(status)}</p>
            {(order.received.amount() > 0 && status == OrderStatus::AwaitingTransfer).then(|| {
                let (received, due) = (order.received, order.due());
                view! { <p class="part-paid">{move || t_string!(i18n, sales.part_paid, received = received.to_string(), due = due.to_string()).to_string()}</p> }
            })}
            {show_stall.then(|| view! {
                <p class="stall"><a href=format!("/stalls/{}", order.stall_slug)>{order.stall_name.clone()}</a></p>
            })}
            <p>{order.name.clone()} " · " <a href=format!("tel:{}", order.phone.as_str())>{order.phone.national()}</a></p>
            <p class="fulfilment">
                {label(fulfilment)}
                {pickup.map(|when| view! { ", " {when} })}
                {order.address.clone().map(|a| view! { ": " {a} })}
            </p>
            {order.note.clone().map(|note| view! {
                <p class="note"><span class="label">{t!(i18n, sales.note)} ": "</span>{note}</p>
            })}
            <ul class="lines">{order.lines.iter().map(|l| {
                let (name, unit, quantity) = (l.name.clone(), l.unit, l.quantity);
                view! {
                    <li>{name} " × " {move || quantity.format(unit, decimal())} " " {label(unit)}</li>
                }
            }).collect_view()}</ul>
            <History placed_at=order.created_at history=order.history.clone() method />
            {moves.into_iter().map(|mv| {
                let asked = confirm::order_move_needs_it(mv);
                let total = order.total;
                let code = order.code.clone();
                view! {
                    <ActionForm action=step attr:class=if asked { "asked-step" } else { "inline" }>
                        <input type="hidden" name="order_id" value=order.id.to_string() />
                        <input type="hidden" name="step" value=mv.slug() />
                        {match mv {
                            // Cancelling refunds a card payment: asked twice, as the shopper is.
                            OrderMove::Cancel => {
                                let warning = Signal::derive(move || tu_string!(i18n, confirm.vendor_warning).to_string());
                                view! { <ConfirmCancel id=order.id.to_string() warning /> }.into_any()
                            }
                            // Saying the money arrived can't be taken back: the shopper is told
                            // the order is paid.
                            OrderMove::ConfirmPayment => view! {
                                <Confirm
                                    ask=move || t_string!(i18n, confirm.payment_ask)
                                    warning=move || t_string!(i18n, confirm.payment_warning, amount = total.to_string(), code = code.clone()).to_string()
                                    yes=move || t_string!(i18n, confirm.payment_yes)
                                />
                            }.into_any(),
                            _ => view! { <button type="submit" class=mv.slug()>{move_label(i18n, mv)}</button> }.into_any(),
                        }}
                    </ActionForm>
                }
            }).collect_view()}
        </li>
    }
}

/// When the order was placed, and every change of its status folded underneath: one line on a
/// phone until someone needs the rest.
#[component]
fn History(
    placed_at: chrono::DateTime<chrono::Utc>,
    history: Vec<OrderEvent>,
    method: PaymentMethod,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <details class="history">
            <summary>{t!(i18n, sales.placed_at)} " " <time datetime=placed_at.to_rfc3339()>{lao_cai_time(placed_at)}</time></summary>
            <ol>
                {history.into_iter().map(|e| {
                    let to = e.to;
                    view! {
                        <li>
                            <time datetime=e.at.to_rfc3339()>{lao_cai_time(e.at)}</time> " "
                            {label(to)}
                            " (" {move || actor_label(i18n, e.actor, method)} ")"
                        </li>
                    }
                }).collect_view()}
            </ol>
        </details>
    }
}

/// Today's and this month's sales side by side, one row per way of looking at them: all, paid
/// cashless or in cash, online or at the stall, by card or by transfer. Each cell gives the
/// sum, how many sales made it, and its share of all sales by value. Three columns fit a
/// phone. See [`crate::domain::sales`] for what counts as cashless.
#[component]
fn Summary(summary: SalesSummary) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let (today, month) = (summary.today, summary.this_month);
    let row = move |class: &'static str, label: String, pick: fn(&PeriodSales) -> Tally| {
        let cell = move |period: PeriodSales| {
            let tally = pick(&period);
            let share = (class != "all")
                .then(|| period.share_tenths(tally.value))
                .flatten()
                .map(|t| format!(" · {}", percent(t, decimal_sep(en.get()))));
            view! {
                <td>
                    <strong>{tally.value.to_string()}</strong>
                    <br />
                    <small>{move || t_string!(i18n, sales.count, n = tally.count).to_string()} {share}</small>
                </td>
            }
        };
        view! {
            <tr class=class>
                <th scope="row">{label}</th>
                {cell(today)}
                {cell(month)}
            </tr>
        }
    };
    view! {
        <table class="sales-summary">
            <thead>
                <tr>
                    <td></td>
                    <th scope="col">{t!(i18n, sales.today)}</th>
                    <th scope="col">{t!(i18n, sales.this_month)}</th>
                </tr>
            </thead>
            <tbody>
                {move || view! {
                    {row("all", t_string!(i18n, sales.all_sales).to_string(), |p| p.all)}
                    {row("cashless", t_string!(i18n, sales.cashless).to_string(), |p| p.cashless)}
                    {row("cash", t_string!(i18n, sales.cash).to_string(), |p| p.cash)}
                    {row("online", t_string!(i18n, sales.online).to_string(), |p| p.online)}
                    {row("in-person", t_string!(i18n, sales.in_person).to_string(), |p| p.in_person)}
                    {row("card", t_string!(i18n, sales.card).to_string(), |p| p.card)}
                    {row("transfer", t_string!(i18n, sales.transfer).to_string(), |p| p.transfer)}
                }}
            </tbody>
        </table>
    }
}

/// The status filter both order lists share; its children add a list's own fields.
#[component]
fn StatusFilter(
    action: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    view! {
        <form method="get" action=action class="filters">
            <select name="status" aria-label=move || t_string!(i18n, sales.status)>
                <option value="">{t!(i18n, sales.all)}</option>
                {OrderStatus::ALL.into_iter().map(|s| view! {
                    <option value=s.slug() selected=move || query.read().get("status").as_deref() == Some(s.slug())>{label(s)}</option>
                }).collect_view()}
            </select>
            {children.map(|c| c())}
            <button type="submit">{t!(i18n, sales.filter)}</button>
        </form>
    }
}

/// The page of a list the address asks for.
fn page_of(query: &leptos_router::params::ParamsMap) -> PageNo {
    PageNo::from_query(query.get_str("page"))
}

#[component]
pub fn MyOrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let step = ServerAction::<MoveOrder>::new();
    let orders = Resource::new(
        move || {
            let q = query.read();
            (q.get("status"), page_of(&q), step.version().get())
        },
        |(status, page, _)| stall_orders(status, Some(page)),
    );
    view! {
        <PageMeta title=tu_string!(i18n, sales.title) description=tu_string!(i18n, sales.title) />
        <h1>{t!(i18n, sales.title)}</h1>
        <StatusFilter action="/my/orders" />
        <FormStatus value=step.value() />
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match orders.await {
                    Ok((orders, summary)) => view! {
                        <Summary summary />
                        <OrderList orders=orders.items actor=OrderActor::Vendor step />
                        <Pager path="/my/orders" query=query.get_untracked() page=orders.page has_next=orders.has_next label=tu_string!(i18n, sales.title) />
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Every stall's orders for the province administrators, who alone may cancel an order that
/// is ready or out for delivery, and who confirm transfers when a vendor can't.
#[component]
pub fn AdminOrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let step = ServerAction::<MoveOrder>::new();
    let orders = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("status"),
                q.get("stall"),
                page_of(&q),
                step.version().get(),
            )
        },
        |(status, stall, page, _)| admin_orders(status, stall, Some(page)),
    );
    // Read once per render of the list, which the query already re-runs.
    let chosen = move || query.read_untracked().get("stall").unwrap_or_default();
    view! {
        <PageMeta title=tu_string!(i18n, sales.admin_title) description=tu_string!(i18n, sales.admin_title) />
        <h1>{t!(i18n, sales.admin_title)}</h1>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match orders.await {
                    Ok((orders, stalls)) => view! {
                        <StatusFilter action="/admin/orders">
                            <select name="stall" aria-label=move || t_string!(i18n, sales.stall)>
                                <option value="">{t!(i18n, sales.every_stall)}</option>
                                {let chosen = chosen(); stalls.into_iter().map(move |s| {
                                    let id = s.id.to_string();
                                    let selected = chosen == id;
                                    view! { <option value=id selected=selected>{s.name}</option> }
                                }).collect_view()}
                            </select>
                        </StatusFilter>
                        <FormStatus value=step.value() />
                        <OrderList orders=orders.items actor=OrderActor::Admin step show_stall=true />
                        <Pager path="/admin/orders" query=query.get_untracked() page=orders.page has_next=orders.has_next label=tu_string!(i18n, sales.admin_title) />
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn PaymentSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SavePaymentSettings>::new();
    let settings = Resource::new(move || save.version().get(), |_| my_payment_settings());
    let errors = field_errors(save.value());
    // The form's post comes back here with `saved=1` when it was saved.
    let saved_key = crate::api::stalls::SAVED
        .split_once('=')
        .map_or("", |(key, _)| key);
    let saved_by_post = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get(saved_key)
        .is_some();
    view! {
        <PageMeta title=tu_string!(i18n, payments.title) description=tu_string!(i18n, payments.title) />
        <h1>{t!(i18n, payments.title)}</h1>
        <p>{t!(i18n, payments.lead)}</p>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match settings.await {
                    Ok(s) => {
                        let bin = s.bank.as_ref().map(|b| b.bin.clone()).unwrap_or_default();
                        view! {
                            // Without any method the stall is a dead end for its shoppers.
                            {(!s.epayment_ready()).then(|| view! { <p class="notice no-payment" role="status">{t!(i18n, payments.none)}</p> })}
                            <ActionForm action=save attr:class="payment-form">
                                <label for="bank_bin">{t!(i18n, payments.bank)}</label>
                                <select id="bank_bin" name="form[bank_bin]">
                                    <option value="">"—"</option>
                                    {banks().iter().map(|b| view! {
                                        <option value=b.bin selected=bin == b.bin>{b.short_name} " — " {b.name}</option>
                                    }).collect_view()}
                                </select>
                                <FieldError errors field="bank" />
                                <label for="account_number">{t!(i18n, payments.account_number)}</label>
                                <input id="account_number" name="form[account_number]" inputmode="numeric" value=s.bank.as_ref().map(|b| b.number.clone()).unwrap_or_default() />
                                <FieldError errors field="account_number" />
                                <label for="account_holder">{t!(i18n, payments.account_holder)}</label>
                                <input id="account_holder" name="form[account_holder]" value=s.bank.as_ref().map(|b| b.holder.clone()).unwrap_or_default() />
                                <FieldError errors field="account_holder" />
                                <label for="delivery_fee">{t!(i18n, payments.delivery_fee)}</label>
                                <input id="delivery_fee" name="form[delivery_fee]" inputmode="numeric" value=s.delivery_fee.amount().to_string() />
                                <FieldError errors field="delivery_fee" />
                                <label class="check"><input type="checkbox" name="form[accepts_cards]" checked=s.accepts_cards /> {t!(i18n, payments.accepts_cards)}</label>
                                <crate::pages::shop::CardModeNote for_vendor=true />
                                <FormStatus value=save.value() />
                                {(saved_by_post && save.value().get_untracked().is_none()).then(|| view! {
                                    <p class="form-ok" role="status">{t!(i18n, payments.saved)}</p>
                                })}
                                <button type="submit" class="primary">{t!(i18n, payments.save)}</button>
                            </ActionForm>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
        <bank_link::BankLinkSection />
    }
}
