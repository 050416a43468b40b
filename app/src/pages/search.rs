use crate::api::browse::{SearchParams, search};
use crate::components::cards::HitList;
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::pager::Pager;
use crate::components::urlencode;
use crate::domain::category::Category;
use crate::domain::market::Market;
use crate::domain::paging::PageNo;
use crate::domain::search::similar_words;
use crate::i18n::*;
use crate::vocab::label;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/search?q=…&market=…&stars=…&category=…`: a plain GET form, so it works without JavaScript.
#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        SearchParams {
            q: q.get("q").unwrap_or_default(),
            market: q.get("market").and_then(|m| m.parse().ok()),
            min_stars: q.get("stars").and_then(|s| s.parse().ok()),
            category: q.get("category").and_then(|c| c.parse().ok()),
            page: PageNo::from_query(q.get("page").as_deref()),
        }
    };
    let results = Resource::new(params, search);
    let selected = move |key: &'static str, value: &'static str| {
        query.read().get(key).as_deref() == Some(value)
    };
    view! {
        <PageMeta title=tu_string!(i18n, search.title) description=tu_string!(i18n, search.placeholder) />
        <h1>{t!(i18n, search.title)}</h1>
        <form class="filters" method="get" action="/search">
            <input name="q" type="search" aria-label=move || t_string!(i18n, search.label) value=move || query.read().get("q").unwrap_or_default() />
            <select name="market" aria-label=move || t_string!(i18n, search.market)>
                <option value="">{t!(i18n, search.any_market)}</option>
                {Market::ALL.into_iter().map(|m| view! {
                    <option value=m.slug() selected=move || selected("market", m.slug())>{label(m)}</option>
                }).collect_view()}
            </select>
            <select name="stars" aria-label=move || t_string!(i18n, search.stars)>
                <option value="">{t!(i18n, search.any_stars)}</option>
                {[("3", "★★★+"), ("4", "★★★★+"), ("5", "★★★★★")].into_iter().map(|(v, label)| view! {
                    <option value=v selected=move || selected("stars", v)>{label} " OCOP"</option>
                }).collect_view()}
            </select>
            <select name="category" aria-label=move || t_string!(i18n, search.category)>
                <option value="">{t!(i18n, search.any_category)}</option>
                {Category::ALL.into_iter().map(|c| view! {
                    <option value=c.slug() selected=move || selected("category", c.slug())>{label(c)}</option>
                }).collect_view()}
            </select>
            <button type="submit">{t!(i18n, search.button)}</button>
        </form>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(found) if found.hits.is_empty() && found.hits.page == PageNo::FIRST => view! { <NoResults q=query.read_untracked().get("q").unwrap_or_default() /> }.into_any(),
                    Ok(found) => {
                        let (page, has_next) = (found.hits.page, found.hits.has_next);
                        view! {
                            {(found.total > 0).then(|| view! { <p class="count">{t!(i18n, search.count, count = found.total)}</p> })}
                            {found.hits.is_empty().then(|| view! { <p class="empty">{t!(i18n, search.past_last)}</p> })}
                            <HitList hits=found.hits.items />
                            <Pager path="/search" query=query.get_untracked() page has_next label=tu_string!(i18n, search.pages) />
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What a search that found nothing offers instead, so it is no dead end: the query's words in
/// the other language, every category and every market, as plain links.
#[component]
fn NoResults(q: String) -> impl IntoView {
    let i18n = use_i18n();
    let similar = similar_words(&q);
    view! {
        <p class="empty">{t!(i18n, search.none)}</p>
        <section class="no-results">
            {(!similar.is_empty()).then(|| view! {
                <h2>{t!(i18n, search.similar)}</h2>
                <ul class="try-list similar">
                    {similar.into_iter().map(|w| view! {
                        <li><a href=format!("/search?q={}", urlencode(w))>{w}</a></li>
                    }).collect_view()}
                </ul>
            })}
            <h2>{t!(i18n, search.by_category)}</h2>
            <ul class="try-list categories">
                {Category::ALL.into_iter().map(|c| view! {
                    <li><a href=format!("/search?category={}", c.slug())>{label(c)}</a></li>
                }).collect_view()}
            </ul>
            <h2>{t!(i18n, search.by_market)}</h2>
            <ul class="try-list markets-list">
                {Market::ALL.into_iter().map(|m| view! {
                    <li><a href=format!("/markets/{}", m.slug())>{label(m)}</a></li>
                }).collect_view()}
            </ul>
        </section>
    }
}
