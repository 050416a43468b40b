//! *Thu tiền*: collecting money at the stall, one-handed on the vendor's phone. The vendor
//! types the amount and taps *Thu bằng QR*, which fills the screen with a VietQR code for it,
//! the sale's short code and the amount in large digits, and turns green (with a vibration and
//! a tone where the phone allows) when the bank reports the money; or taps *Tiền mặt* to
//! record a cash sale. Today's sales at the stall are listed below.
use crate::api::collect::{
    RecordCounterSale, SettleCounterSale, collect_page, collect_screen, screen_address,
};
use crate::components::forms::{Confirm, FieldError, FormStatus, field_errors};
use crate::components::lao_cai_time;
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::domain::counter_sale::{CounterSale, SaleStatus, SaleWay};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

#[component]
pub fn CollectPage() -> impl IntoView {
    let i18n = use_i18n();
    let record = ServerAction::<RecordCounterSale>::new();
    let desk = Resource::new(move || record.version().get(), |_| collect_page());
    let errors = field_errors(record.value());
    // With JavaScript, go where the sale leads: its screen, or this page with the cash notice.
    Effect::new(move || {
        if let Some(Ok(next)) = record.value().get() {
            use_navigate()(&next, Default::default());
        }
    });
    let query = use_query_map();
    let cash = move || query.read().get("cash");
    view! {
        <PageMeta title=tu_string!(i18n, collect.title) description=tu_string!(i18n, collect.lead) />
        <h1>{t!(i18n, collect.title)}</h1>
        {move || cash().map(|code| view! {
            <p class="form-ok" role="status">{t_string!(i18n, collect.cash_recorded, code = code).to_string()}</p>
        })}
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match desk.await {
                    Ok(desk) => view! {
                        <ActionForm action=record attr:class="collect-form">
                            <input type="hidden" name="submission" value=desk.submission.as_str().to_string() />
                            <label for="amount">{t!(i18n, collect.amount)}</label>
                            <input id="amount" name="amount" inputmode="numeric" autocomplete="off" required
                                placeholder="45.000" aria-describedby="amount-error" />
                            <FieldError errors field="amount" />
                            <div class="collect-ways">
                                {desk.takes_transfers.then(|| view! {
                                    <button type="submit" name="way" value=SaleWay::Transfer.slug() class="primary">{t!(i18n, collect.by_qr)}</button>
                                })}
                                <button type="submit" name="way" value=SaleWay::Cash.slug() class="cash">{t!(i18n, collect.cash)}</button>
                            </div>
                            {(!desk.takes_transfers).then(|| view! { <p class="hint">{t!(i18n, collect.no_bank)}</p> })}
                            <FormStatus value=record.value() />
                        </ActionForm>
                        <Today sales=desk.today />
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Today's sales at the stall, each opening its screen.
#[component]
fn Today(sales: Vec<CounterSale>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="counter-today">
            <h2>{t!(i18n, collect.today)}</h2>
            {sales.is_empty().then(|| view! { <p class="hint">{t!(i18n, collect.none_today)}</p> })}
            <ul class="counter-sales">
                {sales.into_iter().map(|sale| {
                    let href = screen_address(&sale);
                    let status = sale.status;
                    let way = sale.way;
                    view! {
                        <li class=format!("counter-sale {}", status.slug())>
                            <a href=href>
                                <strong>{sale.amount.to_string()}</strong> " · " {sale.code.to_string()}
                                " · " {move || way_label(i18n, way, status)}
                            </a>
                            " " <time datetime=sale.created_at.to_rfc3339()>{lao_cai_time(sale.created_at)}</time>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

fn way_label(i18n: leptos_i18n::I18nContext<Locale>, way: SaleWay, status: SaleStatus) -> String {
    match (way, status) {
        (SaleWay::Cash, _) => t_string!(i18n, collect.way_cash).to_string(),
        (SaleWay::Transfer, SaleStatus::Paid) => t_string!(i18n, collect.way_paid).to_string(),
        (SaleWay::Transfer, SaleStatus::AwaitingTransfer) => {
            t_string!(i18n, collect.way_waiting).to_string()
        }
        (SaleWay::Transfer, SaleStatus::Cancelled) => {
            t_string!(i18n, collect.way_cancelled).to_string()
        }
    }
}

/// How often the screen asks whether the money arrived, while it waits.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// One sale's screen, filling the phone: turned to the shopper while it waits, green once paid.
#[component]
pub fn CollectScreenPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let settle = ServerAction::<SettleCounterSale>::new();
    let screen = Resource::new(
        move || {
            (
                params.read().get("code").unwrap_or_default(),
                settle.version().get(),
            )
        },
        |(code, _)| collect_screen(code),
    );
    view! {
        <PageMeta title=tu_string!(i18n, collect.title) description=tu_string!(i18n, collect.lead) />
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match screen.await {
                    Ok(s) => {
                        let waiting = s.sale.status == SaleStatus::AwaitingTransfer;
                        view! {
                            <SaleScreenView screen=s settle />
                            {waiting.then(|| view! { <CollectWatch /> })}
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The screen of a sale waiting for its transfer, read again every few seconds until the
/// money lands (green, with a vibration and a tone) or the sale is given up. An island with
/// nothing to show: the screen itself is the server's.
#[island]
fn CollectWatch() -> impl IntoView {
    Effect::new(move || {
        #[cfg(feature = "hydrate")]
        if let Ok(handle) = set_interval_with_handle(check_screen, CHECK_EVERY) {
            on_cleanup(move || handle.clear());
            WATCH.with(|w| w.set(Some(handle)));
        }
    });
}

#[cfg(feature = "hydrate")]
thread_local! {
    static WATCH: std::cell::Cell<Option<IntervalHandle>> = const { std::cell::Cell::new(None) };
}

/// Reads the screen again; once the sale no longer waits, celebrates money that landed and
/// stops asking.
#[cfg(feature = "hydrate")]
fn check_screen() {
    leptos::task::spawn_local(async move {
        let Some(part) = crate::components::region::reread(SCREEN_PART).await else {
            return;
        };
        let class = part.get_attribute("class").unwrap_or_default();
        if class
            .split(' ')
            .any(|c| c == SaleStatus::AwaitingTransfer.slug())
        {
            return;
        }
        if class.split(' ').any(|c| c == SaleStatus::Paid.slug()) {
            celebrate();
        }
        if let Some(handle) = WATCH.with(|w| w.take()) {
            handle.clear();
        }
    });
}

/// The part of a sale's page that is its screen.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const SCREEN_PART: &str = "section.collect-screen";

#[component]
fn SaleScreenView(
    screen: crate::api::collect::SaleScreen,
    settle: ServerAction<SettleCounterSale>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sale = screen.sale.clone();
    let status = sale.status;
    let code = sale.code.to_string();
    let part_paid = sale.received.amount() > 0 && status == SaleStatus::AwaitingTransfer;
    view! {
        <section class=format!("collect-screen {}", status.slug()) aria-live="polite"
            data-state=format!("{}:{}", status.slug(), sale.received.amount())>
            {(status == SaleStatus::AwaitingTransfer).then(|| {
                // Without JavaScript nothing asks again: the page reloads itself, and says
                // how to. Written whole, so hydration never walks into it.
                let reload = t_string!(i18n, collect.reload).to_string();
                let html = format!(r#"<meta http-equiv="refresh" content="5"><p><a href="/my/collect/{code}">{reload}</a></p>"#);
                view! { <noscript inner_html=html></noscript> }
            })}
            <p class="collect-code">{code.clone()}</p>
            <p class="collect-amount">{sale.amount.to_string()}</p>
            {match status {
                SaleStatus::Paid => view! {
                    <p class="collect-state" role="status">{t!(i18n, collect.paid)}</p>
                }.into_any(),
                SaleStatus::Cancelled => view! {
                    <p class="collect-state" role="status">{t!(i18n, collect.cancelled)}</p>
                }.into_any(),
                SaleStatus::AwaitingTransfer => view! {
                    {part_paid.then(|| view! {
                        <p class="collect-part" role="status">{t_string!(i18n, collect.part_paid, received = sale.received.to_string(), due = sale.due().to_string()).to_string()}</p>
                    })}
                    {screen.qr_svg.clone().map(|svg| view! { <div class="qr collect-qr" inner_html=svg></div> })}
                    <p class="collect-bank">{screen.bank_name.clone()}</p>
                    <p class="collect-state">{match (screen.linked.is_some(), screen.link_pending) {
                        (true, _) => t_string!(i18n, collect.waiting).to_string(),
                        (false, true) => t_string!(i18n, collect.waiting_payos_pending).to_string(),
                        (false, false) => t_string!(i18n, collect.waiting_no_service).to_string(),
                    }}</p>
                    {screen.test_bank.clone().map(|href| view! {
                        <p><a href=href target="_blank" rel="noopener">{t!(i18n, checkout.test_bank)}</a></p>
                    })}
                }.into_any(),
            }}
            <p class="collect-next"><a href="/my/collect" class="button primary">{t!(i18n, collect.next)}</a></p>
            {(status == SaleStatus::AwaitingTransfer).then(|| view! {
                <SettleForms code=code.clone() settle linked=screen.linked.is_some() />
            })}
        </section>
    }
}

/// A waiting sale's way out by hand: the vendor saw the money in their bank app (offered only
/// without a service, whose notification does it), or gives the sale up.
#[component]
fn SettleForms(
    code: String,
    settle: ServerAction<SettleCounterSale>,
    linked: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let paid_code = code.clone();
    view! {
        {(!linked).then(|| view! {
            <ActionForm action=settle>
                <input type="hidden" name="code" value=paid_code.clone() />
                <input type="hidden" name="paid" value="yes" />
                <Confirm
                    ask=move || t_string!(i18n, collect.confirm_paid)
                    warning=move || t_string!(i18n, collect.confirm_paid_warning)
                    yes=move || t_string!(i18n, collect.confirm_paid_yes)
                />
            </ActionForm>
        })}
        <ActionForm action=settle>
            <input type="hidden" name="code" value=code />
            <input type="hidden" name="paid" value="no" />
            <Confirm
                ask=move || t_string!(i18n, collect.give_up)
                warning=move || t_string!(i18n, collect.give_up_warning)
                yes=move || t_string!(i18n, collect.give_up_yes)
            />
        </ActionForm>
        <FormStatus value=settle.value() />
    }
}

/// A vibration and a short tone as the money lands, where the phone allows either: the vendor
/// may be looking at the shopper, not the screen.
#[cfg(feature = "hydrate")]
fn celebrate() {
    {
        if let Some(window) = web_sys::window() {
            let _ = window.navigator().vibrate_with_duration(300);
        }
        if let Ok(audio) = web_sys::AudioContext::new()
            && let Ok(tone) = audio.create_oscillator()
        {
            tone.frequency().set_value(880.0);
            let _ = tone.connect_with_audio_node(&audio.destination());
            let _ = tone.start();
            let _ = tone.stop_with_when(audio.current_time() + 0.25);
        }
    }
}
