use crate::components::meta::{PageMeta, set_status};
use crate::i18n::*;
use leptos::prelude::*;

/// An unknown address: a real 404, in the visitor's language, with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    set_status(404);
    view! {
        <PageMeta title=tu_string!(i18n, not_found.title) description=tu_string!(i18n, not_found.title) />
        <section class="panel">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p>{t!(i18n, not_found.text)}</p>
            <p><a href="/">{t!(i18n, not_found.home)}</a></p>
        </section>
    }
}
