//! What a reviewer weighs before making a stall public: who keeps it and how to call them, its
//! photo, its products with their thumbnails, and the set-up checklist its vendor sees.
use crate::components::checklist::{SetupProgress, SetupSteps};
use crate::i18n::*;
use crate::model::{Product, ReviewDetails, Stall};
use crate::vocab::label;
use leptos::prelude::*;

#[component]
pub fn StallFacts(stall: Stall, details: ReviewDetails) -> impl IntoView {
    let i18n = use_i18n();
    let photo = match (stall.thumb_url(), stall.photo_url()) {
        (Some(thumb), Some(full)) => view! {
            <a href=full class="stall-photo">
                <img src=thumb alt=stall.name.clone() width="160" height="120" loading="lazy" />
            </a>
        }
        .into_any(),
        _ => view! { <p class="hint">{t!(i18n, review.no_photo)}</p> }.into_any(),
    };
    let owner_phone = details.owner_phone.map(|phone| {
        view! {
            <dt>{t!(i18n, review.owner_phone)}</dt>
            <dd><a href=format!("tel:{}", phone.as_str())>{phone.national()}</a></dd>
        }
    });
    let count = details.products.len();
    view! {
        <div class="review-facts">
            {photo}
            <dl class="facts">
                <dt>{t!(i18n, review.owner)}</dt>
                <dd>{details.owner_name}</dd>
                {owner_phone}
                <dt>{t!(i18n, review.stall_phone)}</dt>
                <dd><a href=format!("tel:{}", stall.phone.as_str())>{stall.phone.national()}</a></dd>
            </dl>
            <h3>{t!(i18n, setup.title)}</h3>
            <SetupProgress checklist=details.checklist.clone() />
            <SetupSteps checklist=details.checklist />
            <h3>{move || t_string!(i18n, review.products, count = count).to_string()}</h3>
            <ReviewProducts products=details.products />
        </div>
    }
}

/// The stall's products, hidden ones marked, each opening its page.
#[component]
fn ReviewProducts(products: Vec<Product>) -> impl IntoView {
    let i18n = use_i18n();
    if products.is_empty() {
        return view! { <p class="hint">{t!(i18n, review.no_products)}</p> }.into_any();
    }
    view! {
        <ul class="review-products">
            {products.into_iter().map(|p| {
                let thumb = p.thumb_url();
                view! {
                    <li>
                        <a href=format!("/products/{}", p.id)>
                            {match thumb {
                                Some(src) => view! { <img src=src alt="" width="160" height="120" loading="lazy" /> }.into_any(),
                                None => view! { <span class="no-photo"></span> }.into_any(),
                            }}
                            <span class="name">{p.name}</span>
                            <span class="price">{p.price.to_string()} " / " {label(p.unit)}</span>
                            {(!p.published).then(|| view! { <span class="badge hidden">{t!(i18n, product_form.is_hidden)}</span> })}
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
