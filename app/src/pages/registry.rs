//! The vendor registry: the administrators' upload with its outcome row by row, the entries
//! with their stalls, stalls with no entry; and, on the review page, linking a stall to the
//! entry it most likely is.
use crate::api::reports::{
    ENTRIES_PER_PAGE, ImportOutcome, LinkRegistryEntry, RegistrySearch, RegistryView,
    UnlinkRegistryEntry, registry_overview,
};
use crate::components::forms::{Confirm, invalid_message};
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::table::TableScroll;
use crate::components::{decimal_sep, urlencode};
use crate::domain::figures::CsvDialect;
use crate::domain::id::StallId;
use crate::domain::registry::{FileProblem, ImportSummary, RegistryKind, rejections_csv};
use crate::i18n::*;
use crate::model::StallEntries;
use crate::vocab::Label;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RegistryPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let view_data = Resource::new(
        move || {
            let q = query.read();
            RegistrySearch {
                unlinked: q.get("unlinked"),
                q: q.get("q"),
                page: q.get("page").and_then(|p| p.parse().ok()),
            }
        },
        registry_overview,
    );
    view! {
        <PageMeta title=tu_string!(i18n, registry.title) description=tu_string!(i18n, registry.lead) />
        <h1>{t!(i18n, registry.title)}</h1>
        <p class="hint">{t!(i18n, registry.lead)}</p>
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(data) => {
                        let admin = data.scope.is_none();
                        view! {
                            {admin.then(|| view! { <UploadForm /> })}
                            {data.last_import.clone().map(|outcome| view! { <ImportResult outcome /> })}
                            <EntryList data=data.clone() />
                            <section class="panel">
                                <h2>{t!(i18n, registry.unregistered_title)} " (" {data.unregistered.len()} ")"</h2>
                                <p class="hint">{t!(i18n, registry.unregistered_lead)}</p>
                                <ul class="unregistered">
                                    {data.unregistered.iter().map(|s| view! {
                                        <li><a href=format!("/stalls/{}", s.slug)>{s.name.clone()}</a></li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A plain multipart form: the file goes to `/admin/registry`, which comes back here.
#[component]
fn UploadForm() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="panel narrow" id="import">
            <h2>{t!(i18n, registry.upload_title)}</h2>
            <form method="post" action="/admin/registry" enctype="multipart/form-data">
                <label for="registry-file">{t!(i18n, registry.file)}</label>
                <input id="registry-file" name="registry" type="file" accept=".csv,text/csv" required />
                <label class="check">
                    <input type="checkbox" name="strict" value="on" />
                    " " {t!(i18n, registry.strict)}
                </label>
                <button type="submit" class="primary">{t!(i18n, registry.upload)}</button>
            </form>
            <p class="hint">{t!(i18n, registry.format)} " " <code>"external_id,kind,market,stall_no,name,entity_type,phone,district,ocop_products"</code></p>
        </section>
    }
}

fn file_problem(i18n: I18nContext<Locale>, problem: &FileProblem) -> String {
    match problem {
        FileProblem::NotText => t_string!(i18n, registry.not_text).to_string(),
        FileProblem::NoHeader => t_string!(i18n, registry.no_header).to_string(),
        FileProblem::TooLarge => t_string!(i18n, registry.too_large).to_string(),
        FileProblem::MissingColumns(columns) => {
            t_string!(i18n, registry.missing_columns, columns = columns.join(", ")).to_string()
        }
    }
}

/// The rejected rows as a CSV download in the reader's language, column names included, for
/// that language's spreadsheet ([`CsvDialect`]), behind a byte-order mark so a spreadsheet
/// reads the Vietnamese as UTF-8.
fn rejections_download(i18n: I18nContext<Locale>, summary: &ImportSummary) -> String {
    let header = [
        t_string!(i18n, registry.line),
        // The column of the uploaded file, by the name it has there.
        "external_id",
        t_string!(i18n, registry.column),
        t_string!(i18n, registry.reason),
    ];
    let dialect = CsvDialect::for_decimal(decimal_sep(i18n.get_locale() == Locale::en));
    let csv = rejections_csv(&summary.rejections, header, dialect, |i| {
        invalid_message(i18n, i)
    });
    format!("data:text/csv;charset=utf-8,%EF%BB%BF{}", urlencode(&csv))
}

#[component]
fn ImportResult(outcome: ImportOutcome) -> impl IntoView {
    let i18n = use_i18n();
    match outcome {
        Err(problem) => view! {
            <section class="panel error import-result" role="alert">
                <h2>{t!(i18n, registry.refused)}</h2>
                <p>{move || file_problem(i18n, &problem)}</p>
            </section>
        }
        .into_any(),
        Ok(summary) => {
            let rejected = summary.rejected;
            let listed = summary.rejections.len();
            let applied = summary.applied;
            let download = {
                let summary = summary.clone();
                move || rejections_download(i18n, &summary)
            };
            view! {
                <section class="panel import-result" role="status">
                    <h2>{t!(i18n, registry.result_title)}</h2>
                    {if applied {
                        view! {
                            <p class="summary">{t!(i18n, registry.summary, rows = summary.rows, created = summary.created, updated = summary.updated, unchanged = summary.unchanged, rejected = rejected)}</p>
                        }.into_any()
                    } else {
                        view! { <p class="summary error">{t!(i18n, registry.strict_refused, rejected = rejected)}</p> }.into_any()
                    }}
                    {(listed < rejected).then(|| view! { <p class="hint">{t!(i18n, registry.first_rejections, listed = listed)}</p> })}
                    {(rejected > 0).then(|| view! {
                        <p><a href=download download="rejected-rows.csv" rel="external">{t!(i18n, registry.download_rejections)}</a></p>
                        <table class="rejections">
                            <thead><tr>
                                <th scope="col">{t!(i18n, registry.line)}</th>
                                <th scope="col">"external_id"</th>
                                <th scope="col">{t!(i18n, registry.column)}</th>
                                <th scope="col">{t!(i18n, registry.reason)}</th>
                            </tr></thead>
                            <tbody>
                                {summary.rejections.iter().flat_map(|r| r.errors.0.iter().map(move |e| (r, e))).map(|(r, e)| {
                                    let invalid = e.invalid.clone();
                                    view! {
                                        <tr data-line=r.line>
                                            <td>{r.line}</td>
                                            <td>{r.external_id.clone()}</td>
                                            <td>{e.field.clone()}</td>
                                            <td>{move || invalid_message(i18n, &invalid)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    })}
                </section>
            }
            .into_any()
        }
    }
}

#[component]
fn EntryList(data: RegistryView) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = query.read_untracked().get("q").unwrap_or_default();
    let unlinked = query.read_untracked().get("unlinked").is_some();
    let pages = data.matching.div_ceil(ENTRIES_PER_PAGE).max(1);
    let page_href = move |page: usize| {
        let q = query.read_untracked().get("q").unwrap_or_default();
        let unlinked = if unlinked { "&unlinked=1" } else { "" };
        format!(
            "/admin/registry?q={}&page={page}{unlinked}",
            crate::components::urlencode(&q)
        )
    };
    view! {
        <section class="panel">
            <h2>{t!(i18n, registry.entries_title)} " (" {data.matching} ")"</h2>
            <form method="get" action="/admin/registry" class="report-controls" role="search">
                <label for="registry-q">{t!(i18n, registry.search)}</label>
                <input id="registry-q" name="q" type="search" value=q />
                <label class="check">
                    <input type="checkbox" name="unlinked" value="1" checked=unlinked />
                    " " {t!(i18n, registry.only_unlinked)}
                </label>
                <button type="submit">{t!(i18n, report.show)}</button>
            </form>
            <TableScroll label=Signal::derive(move || t_string!(i18n, registry.entries_title).to_string())>
                <table class="registry">
                    <thead><tr>
                        <th scope="col">"external_id"</th>
                        <th scope="col">{t!(i18n, report.name)}</th>
                        <th scope="col">{t!(i18n, report.place)}</th>
                        <th scope="col">{t!(i18n, registry.stall)}</th>
                    </tr></thead>
                    <tbody>
                        {data.entries.into_iter().map(|e| {
                            let row = e.row.clone();
                            let place = move || match (row.kind, row.market) {
                                (RegistryKind::MarketVendor, Some(m)) => format!("{} {}", m.label(i18n.get_locale()), row.stall_no.clone().unwrap_or_default()),
                                _ => format!("OCOP · {}", row.district),
                            };
                            view! {
                                <tr data-external-id=e.row.external_id.clone()>
                                    <td>{e.row.external_id.clone()}</td>
                                    <td>{e.row.name.clone()}</td>
                                    <td>{place}</td>
                                    <td>{match e.stall {
                                        Some(s) => view! { <a href=format!("/stalls/{}", s.slug)>{s.name}</a> }.into_any(),
                                        None => view! { <span class="hint">{t!(i18n, registry.no_stall)}</span> }.into_any(),
                                    }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableScroll>
            {(pages > 1).then(|| view! {
                <nav class="pages" aria-label=move || t_string!(i18n, registry.pages)>
                    {(1..=pages).map(|p| if p == data.page {
                        view! { <span aria-current="page">{p}</span> }.into_any()
                    } else {
                        view! { <a href=page_href(p)>{p}</a> }.into_any()
                    }).collect_view()}
                </nav>
            })}
        </section>
    }
}

/// On the review page: the registry entry a stall is linked to, or the likely ones to confirm,
/// and a field to link one by its id.
#[component]
pub fn RegistryLinks(
    stall_id: StallId,
    entries: StallEntries,
    link: ServerAction<LinkRegistryEntry>,
    unlink: ServerAction<UnlinkRegistryEntry>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = format!("external-id-{stall_id}");
    if !entries.linked.is_empty() {
        return entries
            .linked
            .into_iter()
            .map(|e| {
                let external_id = e.row.external_id.clone();
                // A <div>, not a <p>: a paragraph can't hold a form (the parser would close it
                // early and hydration would find another tree than the server sent).
                view! {
                    <div class="registry-links linked">
                        {t!(i18n, registry.linked_to)} " " <strong>{e.row.external_id.clone()}</strong> " — " {e.row.name.clone()} " "
                        <ActionForm action=unlink>
                            <input type="hidden" name="stall_id" value=stall_id.to_string() />
                            <input type="hidden" name="entry_id" value=e.id />
                            <Confirm
                                ask=move || t_string!(i18n, registry.unlink)
                                warning=move || t_string!(i18n, registry.unlink_warning, id = external_id.clone()).to_string()
                                yes=move || t_string!(i18n, registry.unlink_yes)
                            />
                        </ActionForm>
                    </div>
                }
            })
            .collect_view()
            .into_any();
    }
    view! {
        <div class="registry-links">
            {(!entries.suggestions.is_empty()).then(|| view! { <p class="hint">{t!(i18n, registry.suggested)}</p> })}
            <ul class="suggestions">
                {entries.suggestions.into_iter().map(|e| view! {
                    <li>
                        <ActionForm action=link attr:class="inline">
                            <input type="hidden" name="stall_id" value=stall_id.to_string() />
                            <input type="hidden" name="external_id" value=e.row.external_id.clone() />
                            <span>{e.row.external_id.clone()} " — " {e.row.name.clone()}</span> " "
                            <button type="submit">{t!(i18n, registry.confirm_link)}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
            <details class="link-by-id">
                <summary>{t!(i18n, registry.link_by_id)}</summary>
                <ActionForm action=link attr:class="inline">
                    <input type="hidden" name="stall_id" value=stall_id.to_string() />
                    <label class="sr-only" for=field.clone()>{t!(i18n, registry.link_by_id)}</label>
                    <input id=field name="external_id" required size="12" placeholder="CL-0001" />
                    <button type="submit">{t!(i18n, registry.link)}</button>
                </ActionForm>
            </details>
        </div>
    }
    .into_any()
}
