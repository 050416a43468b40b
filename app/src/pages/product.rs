use crate::api::browse::product_page;
use crate::api::shop::AddToCart;
use crate::components::cards::{Stars, place_label};
use crate::components::english;
use crate::components::forms::{FieldError, FormStatus, field_errors};
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::domain::id::ProductId;
use crate::domain::quantity::{Quantity, Unit};
use crate::i18n::*;
use crate::model::{photo_url, thumb_url};
use crate::vocab::{counted, label};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProductPage() -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    let params = use_params_map();
    let add = ServerAction::<AddToCart>::new();
    crate::components::layout::CartCount::refresh_after(add);
    // Without JavaScript the form's post comes back here with `?added=1`: say it worked.
    let added_by_post = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("added")
        .is_some();
    let page = Resource::new(
        move || {
            params
                .read()
                .get("id")
                .and_then(|id| id.parse::<ProductId>().ok())
        },
        |id| async move {
            match id {
                Some(id) => product_page(id).await,
                None => Err(crate::api::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(crate::model::ProductView { hit, payable }) => {
                        let p = hit.product.clone();
                        let description = match (&p.description_en, en.get_untracked()) {
                            (Some(text), true) => text.clone(),
                            _ => p.description_vi.clone(),
                        };
                        let unit = p.unit;
                        let place = hit.place.clone();
                        let stock = p.stock;
                        view! {
                            <PageMeta title=p.name.clone() description=description.clone() image=p.photo_url() />
                            <article class="product">
                                {p.photo_url().map(|src| view! { <img class="photo" src=src alt=p.name.clone() width="640" height="480" /> })}
                                <Gallery name=p.name.clone() more=p.photos.iter().skip(1).cloned().collect() />
                                <h1>{p.name.clone()}</h1>
                                <p class="price">
                                    {p.price.to_string()} " / " {label(unit)}
                                </p>
                                {p.ocop.as_ref().map(|o| {
                                    let stars = o.stars.get();
                                    view! {
                                        <p class="ocop"><Stars stars /> " · " {o.certificate_no.clone()} " (" {o.year} ")"</p>
                                    }
                                })}
                                <StockLine stock unit />
                                // A stall that can't be paid now: say why rather than
                                // offer a cart its checkout would refuse.
                                {match (p.sold_out(), payable) {
                                    (true, _) => None,
                                    (false, true) => Some(view! { <AddToCartForm add product_id=p.id unit added_by_post /> }.into_any()),
                                    (false, false) => Some(view! { <p class="notice not-payable" role="status">{t!(i18n, product.not_payable)}</p> }.into_any()),
                                }}
                                <p>{description}</p>
                                <p class="where">
                                    {t!(i18n, product.sold_by)} " "
                                    <A href=format!("/stalls/{}", hit.stall_slug)>{hit.stall_name.clone()}</A>
                                    " · " {move || place_label(i18n.get_locale(), &place)}
                                </p>
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

/// How much of the product is left, in its unit's words.
#[component]
pub fn StockLine(stock: Option<Quantity>, unit: Unit) -> impl IntoView {
    let i18n = use_i18n();
    let en = english();
    view! {
        <p class="stock">
            {move || match stock {
                None => t_string!(i18n, product.in_stock).to_string(),
                Some(q) if q.steps() <= 0 => t_string!(i18n, product.sold_out).to_string(),
                Some(q) => {
                    let sep = crate::components::decimal_sep(en.get());
                    t_string!(i18n, product.stock_left, amount = q.format(unit, sep), unit = counted(unit, q, i18n.get_locale())).to_string()
                }
            }}
        </p>
    }
}

/// The form that adds the product to the cart, in its unit. Without JavaScript its post comes
/// back to the page with `added_by_post`, which then says it worked.
#[component]
fn AddToCartForm(
    add: ServerAction<AddToCart>,
    product_id: ProductId,
    unit: Unit,
    added_by_post: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let add_errors = field_errors(add.value());
    view! {
        <ActionForm action=add attr:class="add-to-cart">
            <input type="hidden" name="product_id" value=product_id.to_string() />
            <label for="quantity">{t!(i18n, product.quantity)} " (" {label(unit)} ")"</label>
            <input id="quantity" name="quantity" inputmode="decimal" value="1" required />
            <FieldError errors=add_errors field="quantity" />
            <FormStatus value=add.value() />
            {move || (added_by_post && add.value().get().is_none()).then(|| view! {
                <p class="form-ok" role="status">{t!(i18n, product.added)}</p>
            })}
            <button type="submit" class="primary">{t!(i18n, product.add_to_cart)}</button>
            " " <a href="/cart">{t!(i18n, nav.cart)}</a>
        </ActionForm>
    }
}

/// A product's further photos as lazy thumbnails, each opening its display size: light on a
/// slow connection, yet every photo the vendor added can be seen.
#[component]
fn Gallery(name: String, more: Vec<String>) -> impl IntoView {
    (!more.is_empty()).then(|| {
        let thumbs = more
            .into_iter()
            .map(|key| {
                view! {
                    <li>
                        <a href=photo_url(&key)>
                            <img src=thumb_url(&key) alt=name.clone() width="160" height="120" loading="lazy" />
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="photo-list">{thumbs}</ul> }
    })
}
