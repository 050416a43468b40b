//! The bank statements page: a vendor or an administrator uploads their bank's statement, and
//! each line that names an open order's code with its amount pays that order.
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::table::TableScroll;
use crate::domain::figures;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

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
        <TableScroll label=Signal::derive(move || t_string!(i18n, statements.title).to_string())>
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
                                <td class="date">{figures::date(l.booked_on)}</td>
                                <td class="amount">{l.amount.to_string()}</td>
                                <td>{l.description}</td>
                                <td>{order}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
    .into_any()
}
