use crate::api::auth::GrantManager;
use crate::components::forms::{FieldError, FormStatus, field_errors};
use crate::components::meta::PageMeta;
use crate::components::{english, pick};
use crate::domain::market::Market;
use crate::i18n::*;
use leptos::prelude::*;

/// The province administrator's page: make a user the manager of one market.
#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let grant = ServerAction::<GrantManager>::new();
    let errors = field_errors(grant.value());
    view! {
        <PageMeta title=tu_string!(i18n, admin.title) description=tu_string!(i18n, admin.title) />
        <h1>{t!(i18n, admin.title)}</h1>
        <section class="panel narrow">
            <h2>{t!(i18n, admin.grant_title)}</h2>
            <ActionForm action=grant>
                <label for="login">{t!(i18n, account.login)}</label>
                <input id="login" name="login" required />
                <FieldError errors field="login" />
                <label for="market">{t!(i18n, stall_form.market)}</label>
                <select id="market" name="market">
                    {Market::ALL.into_iter().map(|m| view! {
                        <option value=m.slug()>{move || pick(en.get(), m.name_vi(), m.name_en())}</option>
                    }).collect_view()}
                </select>
                <FormStatus value=grant.value() saved=Signal::derive(move || t_string!(i18n, admin.granted).to_string()) />
                <button type="submit">{t!(i18n, admin.grant_button)}</button>
            </ActionForm>
        </section>
    }
}
