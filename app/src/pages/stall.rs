use crate::api::browse::stall_page;
use crate::components::cards::{HitList, place_label};
use crate::components::english;
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::pager::Pager;
use crate::domain::paging::PageNo;
use crate::i18n::*;
use crate::model::Hit;
use crate::vocab::{self, label};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn StallPage() -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let slug = params.read().get("slug").unwrap_or_default();
            (slug, PageNo::from_query(query.read().get_str("page")))
        },
        |(slug, page)| stall_page(slug, Some(page)),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok((stall, products)) => {
                        let english_now = en.get_untracked();
                        let description = match (&stall.description_en, english_now) {
                            (Some(en_text), true) => en_text.clone(),
                            _ => stall.description_vi.clone(),
                        };
                        let (shown, has_next) = (products.page, products.has_next);
                        let path = format!("/stalls/{}", stall.slug);
                        let hits: Vec<Hit> = products
                            .items
                            .into_iter()
                            .map(|product| Hit {
                                product,
                                stall_slug: stall.slug.clone(),
                                stall_name: stall.name.clone(),
                                place: stall.place.clone(),
                            })
                            .collect();
                        let place = stall.place.clone();
                        let days = stall.trading_days.days();
                        let public = stall.status.is_public();
                        let status = stall.status;
                        view! {
                            <PageMeta title=stall.name.clone() description=description.clone() image=stall.photo_url() />
                            <article class="stall">
                                {stall.photo_url().map(|src| view! { <img class="photo" src=src alt=stall.name.clone() width="640" height="480" /> })}
                                <h1>{stall.name.clone()}</h1>
                                {(!public).then(|| view! {
                                    <p class="notice">{label(status)}</p>
                                })}
                                <p class="where">{move || place_label(i18n.get_locale(), &place)}</p>
                                <p>{description}</p>
                                <dl class="facts">
                                    <dt>{t!(i18n, stall.days)}</dt>
                                    <dd>{move || vocab::list(days.iter().copied(), i18n.get_locale())}</dd>
                                    <dt>{t!(i18n, stall.phone)}</dt>
                                    <dd><a href=format!("tel:{}", stall.phone.as_str())>{stall.phone.national()}</a></dd>
                                </dl>
                                <h2>{t!(i18n, stall.products)}</h2>
                                <HitList hits />
                                <Pager path query=query.get_untracked() page=shown has_next label=tu_string!(i18n, stall.products) />
                            </article>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
