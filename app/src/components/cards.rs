//! Lists of stalls and products, light enough for a slow connection: thumbnails, lazily loaded.
use crate::domain::role::StallPlace;
use crate::i18n::*;
use crate::model::{Hit, Stall};
use crate::vocab::{Label, label};
use leptos::prelude::*;
use leptos_router::components::A;

/// Where a stall trades, in the visitor's language.
pub fn place_label(locale: Locale, place: &StallPlace) -> String {
    match place {
        StallPlace::Market { market, stall_no } => {
            let name = market.label(locale);
            match stall_no {
                Some(no) => format!("{name} · {no}"),
                None => name.to_string(),
            }
        }
        StallPlace::Ocop {
            entity_type,
            commune,
            district,
        } => {
            format!(
                "OCOP · {} · {commune}, {district}",
                entity_type.label(locale)
            )
        }
    }
}

#[component]
pub fn Stars(stars: u8) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="stars" title=move || t_string!(i18n, product.ocop_stars, stars = stars).to_string()>
            {"★".repeat(stars.into())} " OCOP"
        </span>
    }
}

#[component]
pub fn HitList(hits: Vec<Hit>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="cards">
            {hits
                .into_iter()
                .map(|hit| {
                    let p = hit.product;
                    let href = format!("/products/{}", p.id);
                    let unit = p.unit;
                    let stars = p.ocop.as_ref().map(|o| o.stars.get());
                    let thumb = p.thumb_url();
                    let price = p.price.to_string();
                    view! {
                        <li class="card">
                            <A href=href>
                                {match thumb {
                                    Some(src) => view! { <img src=src alt="" loading="lazy" width="160" height="120" /> }.into_any(),
                                    None => view! { <span class="no-photo"></span> }.into_any(),
                                }}
                                <span class="name">{p.name}</span>
                            </A>
                            <span class="price">
                                {price} " / " {label(unit)}
                            </span>
                            {stars.map(|s| view! { <Stars stars=s /> })}
                            <span class="where">
                                <A href=format!("/stalls/{}", hit.stall_slug)>{hit.stall_name.clone()}</A>
                                " · "
                                {move || place_label(i18n.get_locale(), &hit.place)}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
pub fn StallList(stalls: Vec<Stall>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="stalls">
            {stalls
                .into_iter()
                .map(|stall| {
                    let place = stall.place.clone();
                    view! {
                        <li class="stall-card">
                            {stall.thumb_url().map(|src| view! { <img src=src alt="" loading="lazy" width="160" height="120" /> })}
                            <A href=format!("/stalls/{}", stall.slug)>{stall.name.clone()}</A>
                            <span class="where">{move || place_label(i18n.get_locale(), &place)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
