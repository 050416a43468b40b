use crate::api::auth::{GrantManager, RevokeManager, market_managers};
use crate::api::notice;
use crate::api::sales::{RecordSettlement, payment_alerts, refund_problems, stall_balances};
use crate::components::forms::{Confirm, FieldError, FormStatus, Notice, field_errors};
use crate::components::lao_cai_time;
use crate::components::meta::ErrorPanel;
use crate::components::meta::PageMeta;
use crate::components::table::TableScroll;
use crate::domain::market::Market;
use crate::i18n::*;
use crate::vocab::{Label, label};
use leptos::prelude::*;

/// The province administrator's page: make a user the manager of one market, see the managers
/// and take the role back, and record transfers of card money to the stalls.
#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let grant = ServerAction::<GrantManager>::new();
    let revoke = ServerAction::<RevokeManager>::new();
    view! {
        <PageMeta title=tu_string!(i18n, admin.title) description=tu_string!(i18n, admin.title) />
        <h1>{t!(i18n, admin.title)}</h1>
        <GrantForm grant />
        <Managers grant revoke />
        <RefundProblems />
        <PaymentAlerts />
        <Ledger />
    }
}

/// Makes a user the manager of one market.
#[component]
fn GrantForm(grant: ServerAction<GrantManager>) -> impl IntoView {
    let i18n = use_i18n();
    let errors = field_errors(grant.value());
    view! {
        <section class="panel narrow">
            <h2>{t!(i18n, admin.grant_title)}</h2>
            <ActionForm action=grant>
                <label for="login">{t!(i18n, account.login)}</label>
                <input id="login" name="login" required />
                <FieldError errors field="login" />
                <label for="market">{t!(i18n, stall_form.market)}</label>
                <select id="market" name="market">
                    {Market::ALL.into_iter().map(|m| view! {
                        <option value=m.slug()>{label(m)}</option>
                    }).collect_view()}
                </select>
                <FormStatus value=grant.value() />
                <Notice name=notice::MANAGER_GRANTED text=Signal::derive(move || t_string!(i18n, admin.granted).to_string()) />
                <button type="submit">{t!(i18n, admin.grant_button)}</button>
            </ActionForm>
        </section>
    }
}

/// The market managers, each with the form that takes the role back; read again after every
/// grant or revocation.
#[component]
fn Managers(
    grant: ServerAction<GrantManager>,
    revoke: ServerAction<RevokeManager>,
) -> impl IntoView {
    let i18n = use_i18n();
    let managers = Resource::new(
        move || (grant.version().get(), revoke.version().get()),
        |_| market_managers(),
    );
    view! {
        <section class="panel narrow">
            <h2>{t!(i18n, admin.managers_title)}</h2>
            <FormStatus value=revoke.value() />
            <Notice name=notice::MANAGER_REVOKED text=Signal::derive(move || t_string!(i18n, admin.revoked).to_string()) />
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match managers.await {
                        Ok(users) if users.is_empty() => view! { <p>{t!(i18n, admin.no_managers)}</p> }.into_any(),
                        Ok(users) => view! {
                            <ul class="managers">
                                {users.into_iter().map(|u| {
                                    let login = u.phone.as_ref().map(|p| p.as_str().to_string()).or(u.email.clone()).unwrap_or_default();
                                    let market = u.market;
                                    let market_name = move || market.map(|m| m.label(i18n.get_locale())).unwrap_or_default();
                                    let name = u.full_name.clone();
                                    view! {
                                        <li data-manager=login.clone()>
                                            <strong>{u.full_name.clone()}</strong> " · " {login.clone()} " · " {market_name}
                                            <ActionForm action=revoke>
                                                <input type="hidden" name="user_id" value=u.id.to_string() />
                                                <Confirm
                                                    ask=move || t_string!(i18n, admin.revoke)
                                                    warning=move || t_string!(i18n, admin.revoke_warning, name = name.clone(), market = market_name()).to_string()
                                                    yes=move || t_string!(i18n, admin.revoke_yes)
                                                />
                                            </ActionForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Refunds the card processor kept refusing: the shopper's money still has to go back, by hand.
/// Shown only when there are some.
#[component]
fn RefundProblems() -> impl IntoView {
    let i18n = use_i18n();
    let problems = Resource::new(|| (), |_| refund_problems());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match problems.await {
                    Ok(rows) if rows.is_empty() => ().into_any(),
                    Ok(rows) => view! {
                        <section class="panel alert" aria-labelledby="refund-problems">
                            <h2 id="refund-problems">{t!(i18n, admin.refund_problems)}</h2>
                            <p class="hint">{t!(i18n, admin.refund_problems_lead)}</p>
                            <ul class="refund-problems">
                                {rows.into_iter().map(|r| view! {
                                    <li>
                                        <strong>{r.order_code}</strong> " · " {r.amount.to_string()}
                                        " · " {t_string!(i18n, admin.refund_tries, tries = r.attempts).to_string()}
                                        " · " <time datetime=r.gave_up_at.to_rfc3339()>{lao_cai_time(r.gave_up_at)}</time>
                                        <br /><span class="hint">{r.reason}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What went wrong with Stripe's word this week: forged or misconfigured webhooks, payments
/// that did not match, payments whose webhook never came. Shown only when there are some.
#[component]
fn PaymentAlerts() -> impl IntoView {
    let i18n = use_i18n();
    let alerts = Resource::new(|| (), |_| payment_alerts());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match alerts.await {
                    Ok(rows) if rows.is_empty() => ().into_any(),
                    Ok(rows) => view! {
                        <section class="panel alert" aria-labelledby="payment-alerts">
                            <h2 id="payment-alerts">{t!(i18n, admin.payment_alerts)}</h2>
                            <p class="hint">{t!(i18n, admin.payment_alerts_lead)}</p>
                            <ul class="refund-problems">
                                {rows.into_iter().map(|a| view! {
                                    <li>
                                        <strong>{label(a.kind)}</strong>
                                        " · " {t_string!(i18n, admin.alert_times, count = a.count).to_string()}
                                        " · " <time datetime=a.last_at.to_rfc3339()>{lao_cai_time(a.last_at)}</time>
                                        <br /><span class="hint">{a.reference.map(|r| format!("{r} · "))}{a.detail}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// What the platform owes each stall for card payments, with a form under each stall to record
/// a transfer made to it.
#[component]
fn Ledger() -> impl IntoView {
    let i18n = use_i18n();
    let settle = ServerAction::<RecordSettlement>::new();
    let settle_errors = field_errors(settle.value());
    let balances = Resource::new(move || settle.version().get(), |_| stall_balances());
    view! {
        <section class="panel">
            <h2>{t!(i18n, admin.ledger_title)}</h2>
            <p class="hint">{t!(i18n, admin.ledger_lead)}</p>
            <FormStatus value=settle.value() />
            <Notice name=notice::SETTLED text=Signal::derive(move || t_string!(i18n, admin.settled).to_string()) />
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    match balances.await {
                        Ok(rows) if rows.is_empty() => view! { <p>{t!(i18n, admin.ledger_empty)}</p> }.into_any(),
                        // The table scrolls inside its box on a phone, never the page.
                        Ok(rows) => view! {
                            <TableScroll label=Signal::derive(move || t_string!(i18n, admin.ledger_title).to_string())>
                            <table class="ledger">
                                <thead><tr>
                                    <th scope="col">{t!(i18n, admin.stall)}</th><th scope="col">{t!(i18n, admin.earned)}</th>
                                    <th scope="col">{t!(i18n, admin.settled_total)}</th><th scope="col">{t!(i18n, admin.owed)}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|b| {
                                        let stall = b.stall_name.clone();
                                        let amount_id = format!("settle-amount-{}", b.stall_id);
                                        let note_id = format!("settle-note-{}", b.stall_id);
                                        view! {
                                        <tr>
                                            <td>{b.stall_name.clone()}</td><td class="amount">{b.earned.to_string()}</td>
                                            <td class="amount">{b.settled.to_string()}</td><td class="amount">{b.owed.to_string()}</td>
                                        </tr>
                                        // The settlement form under its stall's figures, the width of the
                                        // table: beside them it would push the table past a phone's screen.
                                        // Money moved can't be taken back: the amount is typed inside the
                                        // question, under what recording it does.
                                        <tr class="settle-row">
                                            <td colspan="4">
                                                <ActionForm action=settle>
                                                    <input type="hidden" name="stall_id" value=b.stall_id.to_string() />
                                                    <Confirm
                                                        ask=move || t_string!(i18n, admin.settle)
                                                        warning=move || t_string!(i18n, admin.settle_warning, stall = stall.clone()).to_string()
                                                        yes=move || t_string!(i18n, admin.settle_yes)
                                                    >
                                                        <label for=amount_id.clone()>{t!(i18n, admin.amount)}</label>
                                                        <input id=amount_id name="amount" inputmode="numeric" required value=b.owed.amount().to_string() />
                                                        <label for=note_id.clone()>{t!(i18n, admin.note)}</label>
                                                        <input id=note_id name="note" />
                                                    </Confirm>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }}).collect_view()}
                                </tbody>
                            </table>
                            </TableScroll>
                            <FieldError errors=settle_errors field="amount" />
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
