//! The administrators' targets for the report's year: one form for every segment and OCOP
//! products, saved with one button; a refused form comes back as it was typed, each wrong
//! target marked, with or without JavaScript.
use crate::api::reports::{OnboardingPage, SaveTargets, TargetsForm};
use crate::components::forms::{FieldError, FormStatus, Notice, field_errors};
use crate::components::{decimal_sep, english};
use crate::domain::figures::format_tenths;
use crate::domain::onboarding::{OCOP_PRODUCTS_KEY, Segment, target_field};
use crate::i18n::*;
use crate::vocab;
use chrono::Datelike;
use leptos::prelude::*;

#[component]
pub fn TargetsPanel(
    page: OnboardingPage,
    save: ServerAction<SaveTargets>,
    /// What the form was last refused with, posted without JavaScript.
    refused: Option<TargetsForm>,
) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let year = page.report.as_of.year();
    let errors = field_errors(save.value());
    let refused = refused.filter(|form| form.year == year);
    let mut keys: Vec<(String, Option<Segment>)> = page
        .segments
        .iter()
        .map(|s| (s.key(), Some(s.clone())))
        .collect();
    keys.push((OCOP_PRODUCTS_KEY.to_string(), None));
    let rows = keys
        .into_iter()
        .map(|(key, segment)| {
            let field = target_field(&key);
            // As typed when refused, else the stored target written the reader's way.
            let typed = refused.as_ref().and_then(|f| f.targets.get(&key).cloned());
            let tenths = u32::from(page.targets.get(&key, year));
            let value =
                typed.unwrap_or_else(|| format_tenths(tenths, decimal_sep(en.get_untracked())));
            let label = move || match &segment {
                Some(s) => vocab::segment(s, i18n.get_locale()),
                None => t_string!(i18n, report.ocop_products_row).to_string(),
            };
            view! {
                <li>
                    <label for=field.clone()>{label}</label>
                    <span class="percent-input">
                        <input id=field.clone() name=format!("form[targets][{key}]") inputmode="decimal" size="5"
                            value=value aria-describedby=format!("{field}-error") />
                        "%"
                    </span>
                    <FieldError errors field=field />
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="targets no-print">
            <h2>{t!(i18n, report.targets_title)} " " {year}</h2>
            <ActionForm action=save attr:class="targets-form">
                <input type="hidden" name="form[year]" value=year />
                <ul class="targets-list">{rows}</ul>
                <FieldError errors field="year" />
                <FormStatus value=save.value() />
                <Notice name=crate::api::notice::TARGETS_SAVED text=Signal::derive(move || t_string!(i18n, report.target_saved).to_string()) />
                <button type="submit" class="primary">{t!(i18n, report.save_targets)}</button>
            </ActionForm>
        </section>
    }
}
