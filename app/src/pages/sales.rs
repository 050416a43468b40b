//! The vendor's orders and payment settings.
use crate::api::sales::{MoveOrder, SavePaymentSettings, my_payment_settings, stall_orders};
use crate::components::forms::{FieldError, FormStatus, field_errors};
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::{english, pick};
use crate::domain::bank::banks;
use crate::domain::order::{Fulfilment, OrderMove, OrderStatus, PaymentMethod};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

/// The moves a vendor can make on an order in `status`, in the order a vendor would.
fn vendor_moves(
    status: OrderStatus,
    method: PaymentMethod,
    fulfilment: Fulfilment,
) -> Vec<OrderMove> {
    use crate::domain::order::{OrderActor, transition};
    OrderMove::ALL
        .into_iter()
        .filter(|mv| transition(OrderActor::Vendor, *mv, status, method, fulfilment).is_ok())
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

#[component]
pub fn MyOrdersPage() -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let query = use_query_map();
    let step = ServerAction::<MoveOrder>::new();
    let orders = Resource::new(
        move || (query.read().get("status"), step.version().get()),
        |(status, _)| stall_orders(status),
    );
    view! {
        <PageMeta title=tu_string!(i18n, sales.title) description=tu_string!(i18n, sales.title) />
        <h1>{t!(i18n, sales.title)}</h1>
        <form method="get" action="/my/orders" class="filters">
            <select name="status" aria-label=move || t_string!(i18n, sales.status)>
                <option value="">{t!(i18n, sales.all)}</option>
                {OrderStatus::ALL.into_iter().map(|s| view! {
                    <option value=s.slug() selected=move || query.read().get("status").as_deref() == Some(s.slug())>{move || pick(en.get(), s.label_vi(), s.label_en())}</option>
                }).collect_view()}
            </select>
            <button type="submit">{t!(i18n, sales.filter)}</button>
        </form>
        <FormStatus value=step.value() />
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match orders.await {
                    Ok((orders, summary)) => view! {
                        <dl class="facts summary">
                            <dt>{t!(i18n, sales.today)}</dt><dd>{summary.today.to_string()}</dd>
                            <dt>{t!(i18n, sales.this_month)}</dt><dd>{summary.this_month.to_string()}</dd>
                            <dt>{t!(i18n, sales.by_card)}</dt><dd>{summary.paid_by_card.to_string()}</dd>
                            <dt>{t!(i18n, sales.by_transfer)}</dt><dd>{summary.paid_by_transfer.to_string()}</dd>
                        </dl>
                        {orders.is_empty().then(|| view! { <p class="empty">{t!(i18n, sales.none)}</p> })}
                        <ul class="orders">
                            {orders.into_iter().map(|order| {
                                let status = order.status;
                                let moves = vendor_moves(order.status, order.method, order.fulfilment);
                                let method = order.method;
                                view! {
                                    <li class="order panel" data-code=order.code.clone()>
                                        <strong>{order.code.clone()}</strong> " · " {order.total.to_string()}
                                        " · " {move || pick(en.get(), method.label_vi(), method.label_en())}
                                        <p class=format!("status {}", status.slug())>{move || pick(en.get(), status.label_vi(), status.label_en())}</p>
                                        <p>{order.name.clone()} " · " <a href=format!("tel:{}", order.phone.as_str())>{order.phone.national()}</a>
                                            {order.address.clone().map(|a| view! { " · " {a} })}</p>
                                        <ul>{order.lines.iter().map(|l| view! {
                                            <li>{l.name.clone()} " × " {l.quantity.format(l.unit, if en.get_untracked() { '.' } else { ',' })} " " {pick(en.get_untracked(), l.unit.label_vi(), l.unit.label_en())}</li>
                                        }).collect_view()}</ul>
                                        {moves.into_iter().map(|mv| view! {
                                            <ActionForm action=step attr:class="inline">
                                                <input type="hidden" name="order_id" value=order.id />
                                                <input type="hidden" name="step" value=mv.slug() />
                                                <button type="submit" class=mv.slug()>{move_label(i18n, mv)}</button>
                                            </ActionForm>
                                        }).collect_view()}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
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
    let query = use_query_map();
    let lines = Resource::new(|| (), |_| crate::api::sales::my_statement_lines());
    let outcome = move || {
        let q = query.read();
        if q.get("error").is_some() {
            return Some((
                "form-error",
                t_string!(i18n, statements.unreadable).to_string(),
            ));
        }
        let n = |k: &str| q.get(k).unwrap_or_default();
        q.get("matched").map(|matched| {
            let text = t_string!(
                i18n,
                statements.outcome,
                matched = matched,
                unmatched = n("unmatched"),
                repeated = n("repeated"),
                rejected = n("rejected")
            );
            ("form-ok", text.to_string())
        })
    };
    view! {
        <PageMeta title=tu_string!(i18n, statements.title) description=tu_string!(i18n, statements.title) />
        <h1>{t!(i18n, statements.title)}</h1>
        <p>{t!(i18n, statements.lead)}</p>
        {move || outcome().map(|(class, text)| view! { <p class=class role="status">{text}</p> })}
        <form method="post" enctype="multipart/form-data" action="/my/statements">
            <label for="statement">{t!(i18n, statements.file)}</label>
            <input id="statement" name="statement" type="file" accept=".csv,text/csv" required />
            <button type="submit">{t!(i18n, statements.upload)}</button>
        </form>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match lines.await {
                    Ok(lines) => view! {
                        <table class="statement">
                            <tbody>
                                {lines.into_iter().map(|l| {
                                    let class = if l.matched_order.is_some() { "matched" } else { "unmatched" };
                                    view! {
                                    <tr class=class>
                                        <td>{l.booked_on.to_string()}</td>
                                        <td>{l.amount.to_string()}</td>
                                        <td>{l.description}</td>
                                        <td>{l.matched_order.unwrap_or_else(|| t_string!(i18n, statements.unmatched).to_string())}</td>
                                    </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
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
                        let place = crate::components::cards::place_label(false, &p.stall.place);
                        let place_en = crate::components::cards::place_label(true, &p.stall.place);
                        view! {
                            <article class="placard">
                                <h1>{p.stall.name.clone()}</h1>
                                <p class="where">{place} <br /> <span lang="en">{place_en}</span></p>
                                {p.stars.map(|s| view! { <p class="stars">{"★".repeat(s.into())} " OCOP"</p> })}
                                <div class="codes">
                                    {p.pay_svg.map(|svg| view! {
                                        <figure class="pay">
                                            <div class="qr" inner_html=svg></div>
                                            <figcaption>"Quét để chuyển khoản" <br /> <span lang="en">"Scan to pay by bank transfer"</span></figcaption>
                                        </figure>
                                    })}
                                    <figure class="visit">
                                        <div class="qr" inner_html=p.page_svg></div>
                                        <figcaption>"Xem gian hàng, đặt mua" <br /> <span lang="en">"See the stall and order online"</span></figcaption>
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
