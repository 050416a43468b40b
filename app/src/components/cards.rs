//! Lists of stalls and products, light enough for a slow connection: thumbnails, lazily loaded.
use crate::domain::role::StallPlace;
use crate::i18n::*;
use crate::model::{Hit, StallCard, thumb_url};
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

/// Products with their photo, price, OCOP stars and stall. The whole card opens the product;
/// the stall's name within it opens the stall.
#[component]
pub fn HitList(hits: Vec<Hit>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="cards hits">
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
                            <Thumb src=thumb />
                            <A href=href attr:class="name">{p.name}</A>
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

/// A thumbnail (320 × 240 at most, see `server/src/photos.rs`), loaded only when scrolled
/// near, its box sized before it arrives so nothing below it jumps; a grey box when there is
/// no photo. Decorative: the card's link names what it shows.
#[component]
pub fn Thumb(src: Option<String>) -> impl IntoView {
    match src {
        Some(src) => {
            view! { <img src=src alt="" loading="lazy" width="320" height="240" /> }.into_any()
        }
        None => view! { <span class="no-photo"></span> }.into_any(),
    }
}

/// A market's stalls: each card shows the stall's photo, name, place and a few of its
/// products' photos, and opens the stall wherever it is tapped. Its one link is the stall's
/// name, stretched over the card by the style sheet, so a screen reader reads the name alone.
#[component]
pub fn StallList(stalls: Vec<StallCard>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="stalls">
            {stalls
                .into_iter()
                .map(|StallCard { stall, thumbs }| {
                    let place = stall.place.clone();
                    view! {
                        <li class="stall-card">
                            <Thumb src=stall.thumb_url() />
                            <div class="body">
                                <h2 class="name">
                                    <A href=format!("/stalls/{}", stall.slug)>{stall.name.clone()}</A>
                                </h2>
                                <span class="where">{move || place_label(i18n.get_locale(), &place)}</span>
                                {(!thumbs.is_empty()).then(|| view! {
                                    <span class="thumbs">
                                        {thumbs
                                            .iter()
                                            .map(|key| view! { <img src=thumb_url(key) alt="" loading="lazy" width="320" height="240" /> })
                                            .collect_view()}
                                    </span>
                                })}
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
