use crate::api::browse::{market_stalls, ocop_products};
use crate::components::cards::{HitList, StallList};
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::components::pager::Pager;
use crate::domain::market::Market;
use crate::domain::paging::PageNo;
use crate::i18n::*;
use crate::vocab::{self, Label, label, town};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A market's approved stalls, in Vietnamese alphabetical order, as cards with photos.
#[component]
pub fn MarketPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let market = move || {
        params
            .read()
            .get("market")
            .and_then(|m| m.parse::<Market>().ok())
    };
    let page = move || PageNo::from_query(query.read().get_str("page"));
    let stalls = Resource::new(
        move || (market(), page()),
        |(m, page)| async move {
            match m {
                Some(m) => market_stalls(m, Some(page)).await,
                None => Err(crate::api::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match (market(), stalls.await) {
                    (Some(m), Ok(found)) => {
                        let days = m.market_days().days();
                        let (shown, has_next) = (found.cards.page, found.cards.has_next);
                        let stalls = found.cards.items;
                        view! {
                            <PageMeta title=m.label(i18n.get_locale_untracked()) description=description(m, found.total, i18n.get_locale_untracked()) />
                            <h1>{label(m)}</h1>
                            <p class="lead">
                                {move || town(m, i18n.get_locale())} " · " {t!(i18n, market.days)} ": "
                                {move || vocab::list(days.iter().copied(), i18n.get_locale())}
                            </p>
                            {if stalls.is_empty() {
                                view! { <p>{t!(i18n, market.empty)}</p> }.into_any()
                            } else {
                                view! { <StallList stalls /> }.into_any()
                            }}
                            <Pager path=format!("/markets/{}", m.slug()) query=query.get_untracked() page=shown has_next label=m.label(i18n.get_locale_untracked()).to_owned() />
                        }
                        .into_any()
                    }
                    (_, Err(error)) => view! { <ErrorPanel error /> }.into_any(),
                    (None, _) => view! { <ErrorPanel error=crate::api::AppError::NotFound /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What a search result or a shared link says of a market: its town, its days and its stalls.
fn description(market: Market, stalls: usize, locale: Locale) -> String {
    let stalls = match stalls {
        0 => td_string!(locale, market.no_stalls_yet).to_string(),
        1 => td_string!(locale, market.one_stall).to_string(),
        count => td_string!(locale, market.stalls, count = count).to_string(),
    };
    let days = vocab::list(market.market_days().days().iter().copied(), locale);
    td_string!(
        locale,
        market.description,
        market = market.label(locale),
        town = town(market, locale),
        days = days,
        stalls = stalls
    )
    .to_string()
}

/// The OCOP collection: certified products, best rated first.
#[component]
pub fn OcopPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = move || PageNo::from_query(query.read().get_str("page"));
    let hits = Resource::new(page, |page| ocop_products(Some(page)));
    view! {
        <PageMeta title=tu_string!(i18n, ocop.title) description=tu_string!(i18n, ocop.lead) />
        <h1>{t!(i18n, ocop.title)}</h1>
        <p class="lead">{t!(i18n, ocop.lead)}</p>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match hits.await {
                    Ok(found) => {
                        let (shown, has_next) = (found.hits.page, found.hits.has_next);
                        view! {
                            <HitList hits=found.hits.items />
                            <Pager path="/ocop" query=query.get_untracked() page=shown has_next label=tu_string!(i18n, ocop.title) />
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
