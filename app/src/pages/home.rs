use crate::components::meta::PageMeta;
use crate::domain::market::Market;
use crate::i18n::*;
use crate::vocab::{label, town};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageMeta title=tu_string!(i18n, home.title) description=tu_string!(i18n, home.lead) />
        <section class="hero">
            <h1>{t!(i18n, home.title)}</h1>
            <p>{t!(i18n, home.lead)}</p>
        </section>
        <ul class="markets">
            {Market::ALL
                .into_iter()
                .map(|m| {
                    view! {
                        <li class=format!("market {}", m.slug())>
                            <A href=format!("/markets/{}", m.slug())>
                                <strong>{label(m)}</strong>
                                <span>{move || town(m, i18n.get_locale())}</span>
                            </A>
                        </li>
                    }
                })
                .collect_view()}
            <li class="market ocop">
                <A href="/ocop">
                    <strong>{t!(i18n, ocop.title)}</strong>
                    <span>{t!(i18n, ocop.short)}</span>
                </A>
            </li>
        </ul>
    }
}
