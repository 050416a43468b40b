//! The onboarding report: the share of registered vendors onboarded per segment as of a day,
//! its monthly trend, the vendors still missing a stage, and the targets (one form, in
//! [`targets`]); and the tokens of the provincial reporting API ([`tokens`]). Percentages and
//! dates are written as everywhere on the site ([`crate::domain::figures`]).
#[cfg(feature = "ssr")]
pub mod csv;
mod targets;
mod tokens;

pub use tokens::TokensPage;

use crate::api::refused::Refused;
use crate::api::reports::{OnboardingPage, SaveTargets, TARGETS_FORM, onboarding_report};
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::print::PrintButton;
use crate::components::table::TableScroll;
use crate::components::{decimal_sep, english};
use crate::domain::figures::{self, percent, tenths_of};
use crate::domain::onboarding::{Segment, Stage, TrendPoint};
use crate::domain::registry::RegistryKind;
use crate::i18n::*;
use crate::vocab::{self, Label, label};
use chrono::Datelike;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;
use targets::TargetsPanel;

#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let save = ServerAction::<SaveTargets>::new();
    let refused = Refused::<crate::api::reports::TargetsForm>::new(TARGETS_FORM);
    let page = Resource::new(
        move || {
            let q = query.read();
            (q.get("as_of"), q.get("segment"))
        },
        |(as_of, segment)| onboarding_report(as_of, segment),
    );
    view! {
        <PageMeta title=tu_string!(i18n, report.title) description=tu_string!(i18n, report.lead) />
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                let refused = refused.fields().await;
                match page.await {
                    Ok(page) => view! { <Report page save refused /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A share of the report (kept with one decimal) as the reader writes it: `32,8%`.
fn share(percent_value: f64, english: bool) -> String {
    percent(tenths_of(percent_value), decimal_sep(english))
}

#[component]
fn Report(
    page: OnboardingPage,
    save: ServerAction<SaveTargets>,
    refused: Option<crate::api::reports::TargetsForm>,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let as_of = page.report.as_of;
    let segment_key = page.segment.key();
    let csv_href = format!("/admin/report.csv?as_of={as_of}");
    let province = page.scope.is_none();
    let trend_segment = page.segment.clone();
    let segments = page.segments.clone();
    let rows = page.report.segments.clone();
    let ocop = page.report.ocop_products.clone();
    let target = page
        .report
        .segments
        .iter()
        .find(|r| r.segment == segment_key)
        .map(|r| r.target_percent)
        .unwrap_or(50.0);
    let trend_rows = page.trend.clone();
    view! {
        <article class="report">
            <h1>{t!(i18n, report.title)} " " <span class="as-of">{figures::date(as_of)}</span></h1>
            <p class="hint">{t!(i18n, report.lead)}</p>
            <form method="get" action="/admin/report" class="report-controls no-print">
                <label for="as_of">{t!(i18n, report.as_of)}</label>
                <input id="as_of" name="as_of" type="date" value=as_of.to_string() max=page.today.to_string() />
                <label for="segment">{t!(i18n, report.segment)}</label>
                <select id="segment" name="segment">
                    {segments.iter().map(|s| {
                        let key = s.key();
                        let selected = key == segment_key;
                        let s = s.clone();
                        view! { <option value=key selected=selected>{move || vocab::segment(&s, i18n.get_locale())}</option> }
                    }).collect_view()}
                </select>
                <button type="submit">{t!(i18n, report.show)}</button>
                <a href=csv_href rel="external" download="">{t!(i18n, report.csv)}</a>
                <PrintButton label=t_string!(i18n, report.print).to_string() how=t_string!(i18n, print.how).to_string() />
            </form>
            <TableScroll label=Signal::derive(move || t_string!(i18n, report.table_caption).to_string())>
                <table class="report-table">
                    <caption>{t!(i18n, report.table_caption)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, report.segment)}</th>
                        <th scope="col">{t!(i18n, report.registered)}</th>
                        {Stage::ALL.into_iter().filter(|s| *s != Stage::Transacting).map(|s| view! {
                            <th scope="col">{label(s)}</th>
                        }).collect_view()}
                        <th scope="col">{t!(i18n, report.onboarded)}</th>
                        <th scope="col">{label(Stage::Transacting)}</th>
                        <th scope="col">{t!(i18n, report.share)}</th>
                        <th scope="col">{t!(i18n, report.target)}</th>
                        <th scope="col">{t!(i18n, report.gap)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let segment = Segment::parse(&r.segment);
                            let behind = r.share_percent < r.target_percent;
                            view! {
                                <tr data-segment=r.segment.clone() class:behind=behind>
                                    <th scope="row">{move || segment.as_ref().map(|s| vocab::segment(s, i18n.get_locale())).unwrap_or_default()}</th>
                                    <td class="registered">{r.registered}</td>
                                    <td>{r.account}</td>
                                    <td>{r.stall_approved}</td>
                                    <td>{r.listed}</td>
                                    <td>{r.epayment_ready}</td>
                                    <td class="onboarded">{r.onboarded}</td>
                                    <td>{r.transacting}</td>
                                    <td class="share">{move || share(r.share_percent, en.get())} " " <small class="fraction">{format!("({}/{})", r.onboarded, r.registered)}</small></td>
                                    <td class="target">{move || share(r.target_percent, en.get())}</td>
                                    <td class="gap">{r.gap}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableScroll>
            {province.then(|| view! {
                <p class="ocop-coverage" data-online=ocop.online data-registered=ocop.registered>
                    <strong>{t!(i18n, report.ocop_products)}</strong> " "
                    {move || share(ocop.share_percent, en.get())} {format!(" ({}/{})", ocop.online, ocop.registered)} " · "
                    {t!(i18n, report.target)} " " {move || share(ocop.target_percent, en.get())}
                </p>
            })}
            <CashlessTable rows=page.report.segments.clone() from=page.report.sales_from />
            <section class="trend">
                <h2>{t!(i18n, report.trend_title)} " — " {move || vocab::segment(&trend_segment, i18n.get_locale())}</h2>
                <div class="trend-body">
                    <TrendChart points=page.trend.clone() target />
                    <TableScroll label=Signal::derive(move || t_string!(i18n, report.trend_title).to_string())><TrendTable points=trend_rows /></TableScroll>
                </div>
            </section>
            <PendingList page=page.clone() />
            {province.then(|| view! { <TargetsPanel page=page.clone() save refused /> })}
        </article>
    }
}

/// The month's sales per segment, the share paid cashless, and who confirmed the cashless
/// payments: a table of its own, so the onboarding one stays narrow enough for a phone.
#[component]
fn CashlessTable(
    rows: Vec<crate::domain::onboarding::SegmentRow>,
    from: chrono::NaiveDate,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let from = figures::date(from);
    let tally = move |t: crate::domain::sales::Tally| {
        view! {
            <strong>{t.value.to_string()}</strong> <br />
            <small>{move || t_string!(i18n, report.sales_count, n = t.count).to_string()}</small>
        }
    };
    view! {
        <section class="cashless">
            <h2>{t!(i18n, report.cashless_title)}</h2>
            <p class="hint">{move || t_string!(i18n, report.cashless_lead, from = from.clone()).to_string()}</p>
            <TableScroll label=Signal::derive(move || t_string!(i18n, report.cashless_caption).to_string())>
                <table class="report-table cashless-table">
                    <caption>{t!(i18n, report.cashless_caption)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, report.segment)}</th>
                        <th scope="col">{t!(i18n, report.sales_all)}</th>
                        <th scope="col">{t!(i18n, report.sales_cashless)}</th>
                        <th scope="col">{t!(i18n, report.sales_cash)}</th>
                        <th scope="col">{t!(i18n, report.cashless_share)}</th>
                        <th scope="col">{t!(i18n, report.confirmed_bank)}</th>
                        <th scope="col">{t!(i18n, report.confirmed_vendor)}</th>
                        <th scope="col">{t!(i18n, report.confirmed_statement)}</th>
                        <th scope="col">{t!(i18n, report.confirmed_stripe)}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let segment = Segment::parse(&r.segment);
                            let s = r.sales;
                            let c = s.confirmed;
                            view! {
                                <tr data-sales-segment=r.segment.clone()>
                                    <th scope="row">{move || segment.as_ref().map(|s| vocab::segment(s, i18n.get_locale())).unwrap_or_default()}</th>
                                    <td class="all">{tally(s.all)}</td>
                                    <td class="cashless">{tally(s.cashless)}</td>
                                    <td class="cash">{tally(s.cash)}</td>
                                    <td class="cashless-share">{move || s.cashless_share_percent.map(|p| share(p, en.get())).unwrap_or_else(|| "—".into())}</td>
                                    <td class="by-bank">{c.bank}</td>
                                    <td class="by-vendor">{c.vendor}</td>
                                    <td class="by-statement">{c.statement}</td>
                                    <td class="by-stripe">{c.stripe}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableScroll>
        </section>
    }
}

/// The monthly share as an SVG line chart drawn on the server: readable without JavaScript,
/// printable, and described for screen readers by the table beside it.
#[component]
fn TrendChart(points: Vec<TrendPoint>, target: f64) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    const W: f64 = 600.0;
    const H: f64 = 240.0;
    const LEFT: f64 = 40.0;
    const BOTTOM: f64 = 24.0;
    const TOP: f64 = 10.0;
    const RIGHT: f64 = 24.0;
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - BOTTOM - TOP;
    let n = points.len().max(2) as f64 - 1.0;
    let x = move |i: usize| LEFT + plot_w * i as f64 / n;
    let y = move |percent: f64| TOP + plot_h * (1.0 - percent.clamp(0.0, 100.0) / 100.0);
    let line: String = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.share_percent)))
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <svg class="trend-chart" viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby="trend-title">
            <title id="trend-title">{t!(i18n, report.trend_title)}</title>
            {[0.0, 25.0, 50.0, 75.0, 100.0].into_iter().map(|p| view! {
                <line class="grid" x1=LEFT x2=W - RIGHT y1=y(p) y2=y(p) />
                <text class="axis" x=LEFT - 6.0 y=y(p) + 4.0 text-anchor="end">{format!("{p:.0}%")}</text>
            }).collect_view()}
            <line class="target-line" x1=LEFT x2=W - RIGHT y1=y(target) y2=y(target) />
            <polyline class="share-line" points=line fill="none" />
            {points.iter().enumerate().map(|(i, p)| view! {
                <circle class="point" cx=x(i) cy=y(p.share_percent) r="4">
                    <title>{let p = p.clone(); move || format!("{}: {} ({}/{})", figures::date(p.date), share(p.share_percent, en.get()), p.onboarded, p.registered)}</title>
                </circle>
                <text class="axis" x=x(i) y=H - 6.0 text-anchor="middle">{format!("{:02}/{}", p.date.month(), p.date.year() % 100)}</text>
            }).collect_view()}
        </svg>
    }
}

#[component]
fn TrendTable(points: Vec<TrendPoint>) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    view! {
        <table class="trend-table">
            <caption>{t!(i18n, report.trend_table)}</caption>
            <thead><tr>
                <th scope="col">{t!(i18n, report.month_end)}</th>
                <th scope="col">{t!(i18n, report.registered)}</th>
                <th scope="col">{t!(i18n, report.onboarded)}</th>
                <th scope="col">{t!(i18n, report.share)}</th>
            </tr></thead>
            <tbody>
                {points.into_iter().map(|p| view! {
                    <tr>
                        <th scope="row">{figures::date(p.date)}</th>
                        <td>{p.registered}</td>
                        <td>{p.onboarded}</td>
                        <td>{move || share(p.share_percent, en.get())}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// What a registry entry still lacks, as the vendor list says it.
fn lack_label(i18n: I18nContext<Locale>, stage: Stage) -> &'static str {
    match stage {
        Stage::Account => t_string!(i18n, report.lacks_account),
        Stage::StallApproved => t_string!(i18n, report.lacks_approval),
        Stage::Listed => t_string!(i18n, report.lacks_product),
        Stage::EpaymentReady => t_string!(i18n, report.lacks_payment),
        Stage::Transacting => t_string!(i18n, report.lacks_payment),
    }
}

#[component]
fn PendingList(page: OnboardingPage) -> impl IntoView {
    let i18n = use_i18n();
    let count = page.pending.len();
    view! {
        <section class="pending">
            <h2>{t!(i18n, report.pending_title)} " (" {count} ")"</h2>
            {(count == 0).then(|| view! { <p>{t!(i18n, report.pending_none)}</p> })}
            {(count > 0).then(|| view! {
                <TableScroll label=Signal::derive(move || t_string!(i18n, report.pending_title).to_string())>
                    <table class="pending-table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, report.external_id)}</th>
                            <th scope="col">{t!(i18n, report.name)}</th>
                            <th scope="col">{t!(i18n, report.place)}</th>
                            <th scope="col">{t!(i18n, report.lacks)}</th>
                        </tr></thead>
                        <tbody>
                            {page.pending.iter().map(|p| {
                                let place = match (p.kind, p.market) {
                                    (RegistryKind::MarketVendor, Some(m)) => {
                                        let no = p.stall_no.clone().unwrap_or_default();
                                        Signal::derive(move || format!("{} {no}", m.label(i18n.get_locale())))
                                    }
                                    _ => {
                                        let district = p.district.clone();
                                        Signal::derive(move || format!("OCOP · {district}"))
                                    }
                                };
                                let lacks = p.lacks.clone();
                                view! {
                                    <tr data-external-id=p.external_id.clone()>
                                        <td>{p.external_id.clone()}</td>
                                        <td>{p.name.clone()}</td>
                                        <td>{place}</td>
                                        <td class="lacks">{move || lacks.iter().map(|s| lack_label(i18n, *s)).collect::<Vec<_>>().join(", ")}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableScroll>
            })}
        </section>
    }
}
