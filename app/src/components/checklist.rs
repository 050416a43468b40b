//! A stall's set-up checklist, as its vendor and its reviewer see it: each step with "done" or
//! "not done" written out (never told by colour alone). The vendor's steps still to do link to
//! where they are done, with a word on why they matter; the reviewer reads the same steps.
use crate::domain::setup::{SetupChecklist, SetupItem, SetupPlace, SetupStep};
use crate::i18n::*;
use crate::vocab::label;
use leptos::prelude::*;

/// Where the vendor does a step, as a link of their own site.
pub fn place_href(place: SetupPlace) -> String {
    match place {
        SetupPlace::StallPhoto => "/my/stall#stall-photo".to_string(),
        SetupPlace::NewProduct => "/my/products/new".to_string(),
        SetupPlace::Product(id) => format!("/my/products/{id}"),
        SetupPlace::Payments => "/my/payments".to_string(),
        SetupPlace::Submit => "/my/stall#submit-stall".to_string(),
    }
}

/// "3 of 5 steps done", in the visitor's language.
#[component]
pub fn SetupProgress(checklist: SetupChecklist) -> impl IntoView {
    let i18n = use_i18n();
    let done = checklist.done_count();
    let total = checklist.items.len();
    view! { <p class="setup-progress">{move || t_string!(i18n, setup.progress, done = done, total = total).to_string()}</p> }
}

/// The steps of a checklist. With `links` (the vendor's own), each step still to do links to
/// where it is done and says why it matters.
#[component]
pub fn SetupSteps(checklist: SetupChecklist, #[prop(optional)] links: bool) -> impl IntoView {
    view! {
        <ol class="setup-steps">
            {checklist.items.into_iter().map(|item| view! { <Step item links /> }).collect_view()}
        </ol>
    }
}

#[component]
fn Step(item: SetupItem, links: bool) -> impl IntoView {
    let i18n = use_i18n();
    let state = move || {
        if item.done {
            t_string!(i18n, setup.done)
        } else {
            t_string!(i18n, setup.todo)
        }
    };
    let what = view! {
        <span class="mark" aria-hidden="true">{if item.done { "✓" } else { "○" }}</span>
        <span class="what">{label(item.step)}</span>
        <span class="state">{state}</span>
    };
    let class = if item.done { "done" } else { "todo" };
    let shown = match (links, item.place) {
        (true, Some(place)) => view! { <a href=place_href(place)>{what}</a> }.into_any(),
        _ => view! { <span class="step">{what}</span> }.into_any(),
    };
    let why = (links && !item.done)
        .then(|| view! { <p class="hint">{move || hint(i18n, item.step)}</p> });
    view! {
        <li class=class data-step=item.step.slug()>
            {shown}
            {why}
        </li>
    }
}

fn hint(i18n: leptos_i18n::I18nContext<Locale>, step: SetupStep) -> &'static str {
    match step {
        SetupStep::Details => t_string!(i18n, setup.hint_details),
        SetupStep::Product => t_string!(i18n, setup.hint_product),
        SetupStep::Payment => t_string!(i18n, setup.hint_payment),
        SetupStep::Submitted => t_string!(i18n, setup.hint_submitted),
        SetupStep::Approved => t_string!(i18n, setup.hint_approved),
    }
}

/// The vendor's checklist on their dashboard: open while something is left to do, folded away
/// under "ready to sell" once everything is done.
#[component]
pub fn VendorSetup(checklist: SetupChecklist) -> impl IntoView {
    let i18n = use_i18n();
    let complete = checklist.is_complete();
    view! {
        <details class="setup panel" open=!complete>
            <summary>
                <h2>{move || if complete { t_string!(i18n, setup.ready) } else { t_string!(i18n, setup.title) }}</h2>
            </summary>
            <SetupProgress checklist=checklist.clone() />
            <SetupSteps checklist links=true />
        </details>
    }
}
