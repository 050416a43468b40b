use crate::api::browse::home_shelves;
use crate::components::cards::HitList;
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::i18n::*;
use crate::model::Shelf;
use crate::vocab::{label, town};
use leptos::prelude::*;
use leptos_router::components::A;

/// The storefront: a few products of each market and of OCOP, each shelf's heading opening
/// the whole collection.
#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let shelves = Resource::new(|| (), |_| home_shelves());
    view! {
        <PageMeta title=tu_string!(i18n, home.title) description=tu_string!(i18n, home.lead) />
        <section class="hero">
            <h1>{t!(i18n, home.title)}</h1>
            <p>{t!(i18n, home.lead)}</p>
        </section>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match shelves.await {
                    Ok(shelves) => shelves
                        .into_iter()
                        .map(|shelf| view! { <ShelfSection shelf /> })
                        .collect_view()
                        .into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ShelfSection(shelf: Shelf) -> impl IntoView {
    let i18n = use_i18n();
    let Shelf { market, hits } = shelf;
    let (href, id, title, subtitle) = match market {
        Some(m) => (
            format!("/markets/{}", m.slug()),
            format!("shelf-{}", m.slug()),
            label(m).into_any(),
            Signal::derive(move || town(m, i18n.get_locale())).into_any(),
        ),
        None => (
            "/ocop".to_string(),
            "shelf-ocop".to_string(),
            t!(i18n, ocop.title).into_any(),
            t!(i18n, ocop.short).into_any(),
        ),
    };
    let kind = if market.is_some() {
        "shelf"
    } else {
        "shelf ocop"
    };
    view! {
        <section class=kind aria-labelledby=id.clone()>
            <div class="shelf-head">
                <h2 id=id.clone()>
                    <A href=href>{title} <span aria-hidden="true">" ›"</span></A>
                </h2>
                <span class="where">{subtitle}</span>
            </div>
            {if hits.is_empty() {
                view! { <p class="hint">{t!(i18n, home.shelf_empty)}</p> }.into_any()
            } else {
                view! { <HitList hits /> }.into_any()
            }}
        </section>
    }
}
