//! The vendor's orders and payment settings, and the administrators' order list.
use crate::api::sales::{
    MoveOrder, SalesSummary, SavePaymentSettings, admin_orders, my_payment_settings, stall_orders,
};
use crate::components::forms::{ConfirmCancel, FieldError, FormStatus, field_errors};
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::{decimal_sep, english, lao_cai_time};
use crate::domain::bank::banks;
use crate::domain::order::{OrderActor, OrderMove, OrderStatus, PaymentMethod};
use crate::domain::sales::{PeriodSales, format_tenths};
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
                let cancel = mv == OrderMove::Cancel;
                view! {
                    <ActionForm action=step attr:class=if cancel { "cancel-step" } else { "inline" }>
                        <input type="hidden" name="order_id" value=order.id.to_string() />
                        <input type="hidden" name="step" value=mv.slug() />
                        {if cancel {
                            // Cancelling refunds a card payment: asked twice, as the shopper is.
                            let warning = Signal::derive(move || tu_string!(i18n, confirm.vendor_warning).to_string());
                            view! { <ConfirmCancel id=order.id.to_string() warning /> }.into_any()
                        } else {
                            view! { <button type="submit" class=mv.slug()>{move_label(i18n, mv)}</button> }.into_any()
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

/// One period's sales: the total, the part paid cashless with its share, and the split by
/// method. See [`crate::domain::sales`] for what counts as cashless.
#[component]
fn PeriodFigures(period: PeriodSales) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let share = move |part| {
        period
            .share_tenths(part)
            .map(|t| format!(" ({} %)", format_tenths(t, decimal_sep(en.get()))))
            .unwrap_or_default()
    };
    view! {
        <dd>
            <strong>{period.sales.to_string()}</strong>
            <br />
            {t!(i18n, sales.cashless)} " " {period.cashless.to_string()} {move || share(period.cashless)}
            <br />
            <small>
                {t!(i18n, sales.card)} " " {period.card.to_string()} {move || share(period.card)} " · "
                {t!(i18n, sales.transfer)} " " {period.transfer.to_string()} {move || share(period.transfer)}
            </small>
        </dd>
    }
}

#[component]
fn Summary(summary: SalesSummary) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="facts summary">
            <dt>{t!(i18n, sales.today)}</dt>
            <PeriodFigures period=summary.today />
            <dt>{t!(i18n, sales.this_month)}</dt>
            <PeriodFigures period=summary.this_month />
        </dl>
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

#[component]
pub fn MyOrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let step = ServerAction::<MoveOrder>::new();
    let orders = Resource::new(
        move || (query.read().get("status"), step.version().get()),
        |(status, _)| stall_orders(status),
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
                        <OrderList orders actor=OrderActor::Vendor step />
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
            (q.get("status"), q.get("stall"), step.version().get())
        },
        |(status, stall, _)| admin_orders(status, stall),
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
                        <p class="hint">{move || t_string!(i18n, sales.admin_shown, count = crate::api::sales::ADMIN_ORDERS_SHOWN).to_string()}</p>
                        <OrderList orders actor=OrderActor::Admin step show_stall=true />
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
                                <FormStatus value=save.value() saved=Signal::derive(move || t_string!(i18n, payments.saved).to_string()) />
                                <button type="submit" class="primary">{t!(i18n, payments.save)}</button>
                            </ActionForm>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Upload a bank statement; lines that name an open order's code with its amount pay it.
#[component]
pub fn StatementsPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = Resource::new(|| (), |_| crate::api::sales::statements_page());
    view! {
        <PageMeta title=tu_string!(i18n, statements.title) description=tu_string!(i18n, statements.title) />
        <h1>{t!(i18n, statements.title)}</h1>
        <p>{t!(i18n, statements.lead)}</p>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! {
                        {page.last_import.map(|outcome| view! { <LastImport outcome /> })}
                        <form method="post" enctype="multipart/form-data" action="/my/statements">
                            <label for="statement">{t!(i18n, statements.file)}</label>
                            <input id="statement" name="statement" type="file" accept=".csv,text/csv" required />
                            <button type="submit">{t!(i18n, statements.upload)}</button>
                        </form>
                        <StatementTable lines=page.lines />
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn problem_text(
    i18n: I18nContext<Locale>,
    problem: crate::api::sales::LineProblem,
) -> &'static str {
    use crate::api::sales::LineProblem;
    match problem {
        LineProblem::Unreadable => tu_string!(i18n, statements.problem_unreadable),
        LineProblem::Date => tu_string!(i18n, statements.problem_date),
        LineProblem::Amount => tu_string!(i18n, statements.problem_amount),
    }
}

/// What the last upload did: the counts, and every line that could not be read with why.
#[component]
fn LastImport(outcome: crate::api::sales::StatementImport) -> impl IntoView {
    use crate::api::sales::StatementRefusal;
    let i18n = use_i18n();
    match outcome {
        Err(refusal) => {
            let text = move || match refusal {
                StatementRefusal::Unreadable => tu_string!(i18n, statements.unreadable),
                StatementRefusal::TooLarge => tu_string!(i18n, statements.too_large),
                StatementRefusal::Failed => tu_string!(i18n, statements.failed),
            };
            view! { <p class="form-error" role="status">{text}</p> }.into_any()
        }
        Ok(tally) => {
            let counts = tally.clone();
            let summary = move || {
                t_string!(
                    i18n,
                    statements.outcome,
                    matched = counts.matched,
                    to_return = counts.to_return,
                    unmatched = counts.unmatched,
                    repeated = counts.repeated,
                    rejected = counts.rejected_count
                )
                .to_string()
            };
            let more = tally.rejected_count - tally.rejected.len();
            view! {
                <div class="statement-outcome" role="status">
                    <p class="form-ok">{summary}</p>
                    {(!tally.rejected.is_empty()).then(|| view! {
                        <p>{t!(i18n, statements.rejected_title)}</p>
                        <ul class="rejected-lines">
                            {tally.rejected.into_iter().map(|r| view! {
                                <li>{move || t_string!(i18n, statements.line_problem, line = r.line, reason = problem_text(i18n, r.problem)).to_string()}</li>
                            }).collect_view()}
                        </ul>
                    })}
                    {(more > 0).then(|| view! {
                        <p class="hint">{move || t_string!(i18n, statements.more_rejected, count = more).to_string()}</p>
                    })}
                </div>
            }
            .into_any()
        }
    }
}

/// The imported lines, in a table that scrolls sideways inside itself on a narrow phone.
#[component]
fn StatementTable(lines: Vec<crate::model::StatementLine>) -> impl IntoView {
    use crate::model::StatementMatch;
    let i18n = use_i18n();
    if lines.is_empty() {
        return view! { <p class="empty">{t!(i18n, statements.none)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="statement">
                <thead><tr>
                    <th scope="col">{t!(i18n, statements.date)}</th>
                    <th scope="col">{t!(i18n, statements.amount)}</th>
                    <th scope="col">{t!(i18n, statements.description)}</th>
                    <th scope="col">{t!(i18n, statements.order)}</th>
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|l| {
                        let (class, order) = match l.outcome {
                            StatementMatch::Paid(code) => ("matched", Signal::stored(code)),
                            StatementMatch::AlreadyPaid(code) => (
                                "already-paid",
                                Signal::derive(move || t_string!(i18n, statements.already_paid, code = code.clone()).to_string()),
                            ),
                            StatementMatch::Expired(code) => (
                                "already-paid",
                                Signal::derive(move || t_string!(i18n, statements.expired, code = code.clone()).to_string()),
                            ),
                            StatementMatch::Unmatched => (
                                "unmatched",
                                Signal::derive(move || t_string!(i18n, statements.unmatched).to_string()),
                            ),
                        };
                        view! {
                            <tr class=class>
                                <td class="date">{l.booked_on.format("%d/%m/%Y").to_string()}</td>
                                <td class="amount">{l.amount.to_string()}</td>
                                <td>{l.description}</td>
                                <td>{order}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// An A6 card to print and hang at the stall: pay by VietQR, or open the stall's page.
#[component]
pub fn PlacardPage() -> impl IntoView {
    let i18n = use_i18n();
    let placard = Resource::new(|| (), |_| crate::api::sales::my_placard());
    view! {
        <PageMeta title=tu_string!(i18n, placard.title) description=tu_string!(i18n, placard.title) />
        <p class="no-print">{t!(i18n, placard.hint)}</p>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match placard.await {
                    Ok(p) => {
                        // The placard speaks both languages whichever the vendor reads.
                        let place = crate::components::cards::place_label(Locale::vi, &p.stall.place);
                        let place_en = crate::components::cards::place_label(Locale::en, &p.stall.place);
                        view! {
                            <article class="placard">
                                <h1>{p.stall.name.clone()}</h1>
                                <p class="where">{place} <br /> <span lang="en">{place_en}</span></p>
                                {p.stars.map(|s| view! { <p class="stars">{"★".repeat(s.into())} " OCOP"</p> })}
                                <div class="codes">
                                    {p.pay_svg.map(|svg| view! {
                                        <figure class="pay">
                                            <div class="qr" inner_html=svg></div>
                                            <figcaption>{td_string!(Locale::vi, placard.scan_to_pay)} <br /> <span lang="en">{td_string!(Locale::en, placard.scan_to_pay)}</span></figcaption>
                                        </figure>
                                    })}
                                    <figure class="visit">
                                        <div class="qr" inner_html=p.page_svg></div>
                                        <figcaption>{td_string!(Locale::vi, placard.visit)} <br /> <span lang="en">{td_string!(Locale::en, placard.visit)}</span></figcaption>
                                    </figure>
                                </div>
                                <p class="url">{p.page_url}</p>
                            </article>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
