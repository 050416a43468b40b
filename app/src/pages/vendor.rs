//! The vendor's workspace: their stall, its products, photos and publishing.
use super::stock::StockPanel;
use crate::api::AppError;
use crate::api::products::{
    AdjustStock, PRODUCT_FORM, ProductForm, SaveProduct, SetProductPublished, my_product,
};
use crate::api::refused::Refused;
use crate::api::stalls::{STALL_FORM, SaveStall, StallForm, SubmitStall, my_setup, my_stall};
use crate::components::cards::place_label;
use crate::components::checklist::VendorSetup;
use crate::components::forms::{Confirm, FieldError, FormStatus, field_errors};
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::domain::category::Category;
use crate::domain::id::ProductId;
use crate::domain::invalid::FieldErrors;
use crate::domain::market::{DISTRICTS, EntityType, Market, Weekday};
use crate::domain::quantity::Unit;
use crate::domain::role::Role;
use crate::domain::stall::{StallStatus, after_moving};
use crate::i18n::*;
use crate::model::{Product, thumb_url};
use crate::vocab::{Label, label};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn MyStallPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveStall>::new();
    let submit = ServerAction::<SubmitStall>::new();
    let publish = ServerAction::<SetProductPublished>::new();
    let auth = crate::app::use_auth();
    // Opening a stall makes a shopper a vendor: the menu then shows the vendor's pages.
    auth.reload_after(save);
    let query = use_query_map();
    let back_in_review = move || query.read().get("review").as_deref() == Some("again");
    // Anything saved, submitted, hidden or shown changes the stall, its list and its checklist.
    let changed = move || {
        let versions = [save.version(), submit.version(), publish.version()];
        versions.map(|v| v.get())
    };
    let mine = Resource::new(changed, |_| my_stall());
    // What is left before shoppers can buy; only a vendor with a stall has one.
    let setup = Resource::new(changed, |_| my_setup());
    let refused = Refused::<StallForm>::new(STALL_FORM);
    view! {
        <PageMeta title=tu_string!(i18n, vendor.title) description=tu_string!(i18n, vendor.title) />
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                let refused = refused.fields().await;
                let checklist = setup.await.ok();
                match mine.await {
                    Ok(None) => {
                        let shopper = auth.user.await.is_some_and(|u| u.role == Role::Shopper);
                        view! {
                            <h1>{t!(i18n, vendor.open_title)}</h1>
                            <p>{t!(i18n, vendor.open_lead)}</p>
                            {shopper.then(|| view! { <p class="hint">{t!(i18n, vendor.open_as_shopper)}</p> })}
                            <StallFormView action=save form=refused.unwrap_or_else(|| StallForm { place_kind: "market".into(), ..Default::default() }) moving_needs_review=false />
                        }.into_any()
                    }
                    // Staff review stalls and never keep one: say so rather than offer a form
                    // that would only be refused.
                    Err(AppError::Forbidden) => view! {
                        <h1>{t!(i18n, vendor.open_title)}</h1>
                        <p class="notice">{t!(i18n, vendor.staff_no_stall)}</p>
                    }.into_any(),
                    Ok(Some((stall, products))) => {
                        let status = stall.status;
                        let place = stall.place.clone();
                        let moving_needs_review = after_moving(status) != status;
                        let refused_again = refused.is_some();
                        view! {
                            <h1>{stall.name.clone()}</h1>
                            <p class="where">{move || place_label(i18n.get_locale(), &place)}</p>
                            <p class=format!("status {}", status.slug())>
                                {t!(i18n, vendor.status)} ": " <strong>{label(status)}</strong>
                                {stall.status_reason.clone().map(|r| view! { " — " {r} })}
                            </p>
                            <SavedNotice action=save />
                            {(back_in_review() && status == StallStatus::Submitted).then(|| view! {
                                <p class="notice" role="status">{t!(i18n, vendor.back_in_review)}</p>
                            })}
                            {checklist.map(|checklist| view! { <VendorSetup checklist /> })}
                            {(status == StallStatus::Draft).then(|| view! {
                                <ActionForm action=submit attr:id="submit-stall">
                                    <p class="hint">{t!(i18n, vendor.submit_hint)}</p>
                                    <button type="submit" class="primary">{t!(i18n, vendor.submit)}</button>
                                </ActionForm>
                            })}
                            <FormStatus value=submit.value() />
                            <p><A href=format!("/stalls/{}", stall.slug)>{t!(i18n, vendor.view_public)}</A>
                                " · " <A href="/my/placard">{t!(i18n, placard.title)}</A></p>
                            <div id="stall-photo">
                                <PhotoUpload action="/my/stall/photo".to_string() title=tu_string!(i18n, photo.stall_title).to_string() photos=stall.photo.clone().into_iter().collect() />
                            </div>
                            <h2>{t!(i18n, vendor.products)}</h2>
                            <p><A href="/my/products/new" attr:class="button">{t!(i18n, vendor.add_product)}</A></p>
                            <MyProductList products publish />
                            // Open when it comes back refused, to show what was wrong.
                            <details open=refused_again>
                                <summary>{t!(i18n, vendor.edit_stall)}</summary>
                                <StallFormView action=save form=refused.unwrap_or_else(|| StallForm::from_stall(&stall)) moving_needs_review />
                            </details>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The vendor's own products, hidden ones too: each whole card opens the product's page for
/// editing (details, stock, photos), and says its price, what is left, and whether shoppers
/// see it; under it, a button hides or shows it without leaving the list.
#[component]
fn MyProductList(
    products: Vec<Product>,
    publish: ServerAction<SetProductPublished>,
) -> impl IntoView {
    let i18n = use_i18n();
    if products.is_empty() {
        return view! { <p class="empty">{t!(i18n, vendor.no_products)}</p> }.into_any();
    }
    view! {
        <ul class="cards my-products">
            {products.into_iter().map(|p| {
                let unit = p.unit;
                let thumb = p.thumb_url();
                let (id, published) = (p.id, p.published);
                view! {
                    <li class="card">
                        <A href=format!("/my/products/{}", p.id)>
                            {match thumb {
                                Some(src) => view! { <img src=src alt="" loading="lazy" width="160" height="120" /> }.into_any(),
                                None => view! { <span class="no-photo"></span> }.into_any(),
                            }}
                            <span class="name">{p.name}</span>
                            <span class="price">{p.price.to_string()} " / " {label(unit)}</span>
                            <super::product::StockLine stock=p.stock unit />
                            {(!p.published).then(|| view! { <span class="badge hidden">{t!(i18n, product_form.is_hidden)}</span> })}
                            <span class="edit">{t!(i18n, vendor.edit_product)}</span>
                        </A>
                        <PublishToggle id published publish />
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Hides a product on sale, or puts a hidden one back on sale: a plain form, so it works
/// without JavaScript too; the server checks the product is the vendor's own.
#[component]
fn PublishToggle(
    id: ProductId,
    published: bool,
    publish: ServerAction<SetProductPublished>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ActionForm action=publish attr:class="publish-toggle">
            <input type="hidden" name="product_id" value=id.to_string() />
            <input type="hidden" name="published" value=(!published).to_string() />
            <button type="submit" class=if published { "hide" } else { "show" }>
                {move || if published { t_string!(i18n, product_form.hide) } else { t_string!(i18n, product_form.publish) }}
            </button>
        </ActionForm>
    }
}

/// A labelled text input bound to one field of a form struct posted as `form[field]`.
#[component]
fn TextField(
    errors: Signal<FieldErrors>,
    field: &'static str,
    label: String,
    #[prop(optional)] value: Option<String>,
    #[prop(optional)] required: bool,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional, into)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let name = format!("form[{field}]");
    let described = format!("{field}-error");
    view! {
        <label for=field>{label}</label>
        {if multiline {
            view! { <textarea id=field name=name required=required rows="4" aria-describedby=described>{value.unwrap_or_default()}</textarea> }.into_any()
        } else {
            view! { <input id=field name=name value=value.unwrap_or_default() required=required inputmode=inputmode aria-describedby=described /> }.into_any()
        }}
        {hint.map(|h| view! { <p class="hint">{h}</p> })}
        <FieldError errors field=field />
    }
}

/// "Saved", on the page a form was saved from: the server sends the visitor back to it with
/// [`SAVED`](crate::api::stalls::SAVED), with or without JavaScript. A later attempt that fails
/// hides it, so it never stands beside that attempt's error.
#[component]
fn SavedNotice<A>(action: ServerAction<A>) -> impl IntoView
where
    A: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    A::Output: Clone + Send + Sync + 'static,
    A::Error: Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let query = use_query_map();
    let saved = crate::api::stalls::SAVED
        .split_once('=')
        .map_or("", |(key, _)| key);
    move || {
        let failed = action.value().with(|v| matches!(v, Some(Err(_))));
        (query.read().get(saved).is_some() && !failed)
            .then(|| view! { <p class="form-ok" role="status">{t!(i18n, vendor.saved)}</p> })
    }
}

/// The stall form. With `moving_needs_review` (the stall is approved or suspended), it warns
/// before saving that a change of place sends the stall back for review.
#[component]
fn StallFormView(
    action: ServerAction<SaveStall>,
    form: StallForm,
    moving_needs_review: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let errors = field_errors(action.value());
    let place_kind = RwSignal::new(form.place_kind.clone());
    let day_boxes = Weekday::ALL.into_iter().map(|day| {
        let checked = match day {
            Weekday::Mon => form.mon.is_some(),
            Weekday::Tue => form.tue.is_some(),
            Weekday::Wed => form.wed.is_some(),
            Weekday::Thu => form.thu.is_some(),
            Weekday::Fri => form.fri.is_some(),
            Weekday::Sat => form.sat.is_some(),
            Weekday::Sun => form.sun.is_some(),
        };
        view! {
            <label class="day"><input type="checkbox" name=format!("form[{}]", day.slug()) checked=checked />{day.label(locale)}</label>
        }
    }).collect_view();
    let market = form.market.clone().unwrap_or_default();
    let entity = form.entity_type.clone().unwrap_or_default();
    let district = form.district.clone().unwrap_or_default();
    view! {
        <ActionForm action attr:class="stall-form">
            <TextField errors field="name" label=tu_string!(i18n, stall_form.name).to_string() value=form.name.clone() required=true />
            <fieldset class="choice">
                <legend>{t!(i18n, stall_form.place)}</legend>
                {moving_needs_review.then(|| view! { <p class="hint">{t!(i18n, stall_form.moving_needs_review)}</p> })}
                <label><input type="radio" name="form[place_kind]" value="market" checked=form.place_kind == "market" on:change=move |_| place_kind.set("market".into()) /> {t!(i18n, stall_form.at_market)}</label>
                <label><input type="radio" name="form[place_kind]" value="ocop" checked=form.place_kind == "ocop" on:change=move |_| place_kind.set("ocop".into()) /> {t!(i18n, stall_form.ocop_producer)}</label>
                <FieldError errors field="place_kind" />
            </fieldset>
            <fieldset class="market-fields">
                <legend>{t!(i18n, stall_form.at_market)}</legend>
                <label for="market">{t!(i18n, stall_form.market)}</label>
                <select id="market" name="form[market]">
                    <option value="">"—"</option>
                    {Market::ALL.into_iter().map(|m| view! {
                        <option value=m.slug() selected=market == m.slug()>{m.label(locale)}</option>
                    }).collect_view()}
                </select>
                <FieldError errors field="market" />
                <TextField errors field="stall_no" label=tu_string!(i18n, stall_form.stall_no).to_string() value=form.stall_no.clone().unwrap_or_default() />
            </fieldset>
            <fieldset class="ocop-fields">
                <legend>{t!(i18n, stall_form.ocop_producer)}</legend>
                <label for="entity_type">{t!(i18n, stall_form.entity_type)}</label>
                <select id="entity_type" name="form[entity_type]">
                    <option value="">"—"</option>
                    {EntityType::ALL.into_iter().map(|e| view! {
                        <option value=e.slug() selected=entity == e.slug()>{e.label(locale)}</option>
                    }).collect_view()}
                </select>
                <FieldError errors field="entity_type" />
                <TextField errors field="commune" label=tu_string!(i18n, stall_form.commune).to_string() value=form.commune.clone().unwrap_or_default() />
                <label for="district">{t!(i18n, stall_form.district)}</label>
                <select id="district" name="form[district]">
                    <option value="">"—"</option>
                    {DISTRICTS.into_iter().map(|d| view! { <option value=d selected=district == d>{d}</option> }).collect_view()}
                </select>
                <FieldError errors field="district" />
            </fieldset>
            <TextField errors field="description_vi" label=tu_string!(i18n, stall_form.description_vi).to_string() value=form.description_vi.clone() required=true multiline=true />
            <TextField errors field="description_en" label=tu_string!(i18n, stall_form.description_en).to_string() value=form.description_en.clone().unwrap_or_default() multiline=true />
            <TextField errors field="phone" label=tu_string!(i18n, stall_form.phone).to_string() value=form.phone.clone() required=true inputmode="tel" hint=tu_string!(i18n, stall_form.phone_hint).to_string() />
            <fieldset class="days">
                <legend>{t!(i18n, stall_form.days)}</legend>
                {day_boxes}
                <FieldError errors field="days" />
            </fieldset>
            <FormStatus value=action.value() />
            <button type="submit" class="primary">{t!(i18n, stall_form.save)}</button>
        </ActionForm>
    }
}

#[component]
pub fn EditProductPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let save = ServerAction::<SaveProduct>::new();
    let publish = ServerAction::<SetProductPublished>::new();
    let adjust = ServerAction::<AdjustStock>::new();
    let refused = Refused::<ProductForm>::new(PRODUCT_FORM);
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<ProductId>().ok())
    };
    let product = Resource::new(
        move || {
            let versions = [
                save.version().get(),
                publish.version().get(),
                adjust.version().get(),
            ];
            (id(), versions)
        },
        |(id, _)| async move {
            match id {
                Some(id) => my_product(id).await,
                None => Err(crate::api::AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                let refused = refused.fields().await;
                match product.await {
                    Ok(p) => {
                        let id = p.id;
                        let published = p.published;
                        view! {
                            <PageMeta title=p.name.clone() description=p.name.clone() />
                            <h1>{p.name.clone()}</h1>
                            <SavedNotice action=save />
                            <p>
                                <A href=format!("/products/{id}")>{t!(i18n, product_form.view_public)}</A>
                                " · " <A href="/my/stall">{t!(i18n, vendor.back)}</A>
                            </p>
                            <p class="status">{move || if published { t_string!(i18n, product_form.is_published) } else { t_string!(i18n, product_form.is_hidden) }}</p>
                            <PublishToggle id published publish />
                            <PhotoUpload
                                action=format!("/my/products/{id}/photos")
                                title=tu_string!(i18n, photo.title).to_string()
                                photos=p.photos.clone()
                                delete=format!("/my/products/{id}/photos/delete")
                                cover=format!("/my/products/{id}/photos/cover")
                            />
                            <StockPanel product=p.clone() adjust save />
                            <h2>{t!(i18n, product_form.details)}</h2>
                            <ProductFormView action=save product_id=Some(id) form=refused.unwrap_or_else(|| ProductForm::from_product(&p)) />
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProductFormView(
    action: ServerAction<SaveProduct>,
    product_id: Option<ProductId>,
    form: ProductForm,
) -> impl IntoView {
    let i18n = use_i18n();
    let errors = field_errors(action.value());
    view! {
        <ActionForm action attr:class="product-form">
            {product_id.map(|id| view! { <input type="hidden" name="product_id" value=id.to_string() /> })}
            <ProductFields errors form />
            <FormStatus value=action.value() />
            <button type="submit" class="primary">{t!(i18n, product_form.save)}</button>
        </ActionForm>
    }
}

/// The product's own fields, as the new-product form and the edit form both post them
/// (`form[name]`, …).
#[component]
pub(super) fn ProductFields(errors: Signal<FieldErrors>, form: ProductForm) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let category = form.category.clone();
    let unit = form.unit.clone();
    view! {
        <TextField errors field="name" label=tu_string!(i18n, product_form.name).to_string() value=form.name.clone() required=true />
        <TextField errors field="description_vi" label=tu_string!(i18n, product_form.description_vi).to_string() value=form.description_vi.clone() required=true multiline=true />
        <TextField errors field="description_en" label=tu_string!(i18n, product_form.description_en).to_string() value=form.description_en.clone().unwrap_or_default() multiline=true />
        <label for="category">{t!(i18n, product_form.category)}</label>
        <select id="category" name="form[category]" required>
            <option value="">"—"</option>
            {Category::ALL.into_iter().map(|c| view! {
                <option value=c.slug() selected=category == c.slug()>{c.label(locale)}</option>
            }).collect_view()}
        </select>
        <FieldError errors field="category" />
        <label for="unit">{t!(i18n, product_form.unit)}</label>
        <select id="unit" name="form[unit]">
            {Unit::ALL.into_iter().map(|u| view! {
                <option value=u.slug() selected=unit == u.slug()>{u.label(locale)}</option>
            }).collect_view()}
        </select>
        <FieldError errors field="unit" />
        <TextField errors field="price" label=tu_string!(i18n, product_form.price).to_string() value=form.price.clone() required=true inputmode="numeric" hint=tu_string!(i18n, product_form.price_hint).to_string() />
        {form.stock_shown.clone().map(|shown| view! { <input type="hidden" name="form[stock_shown]" value=shown /> })}
        <TextField errors field="stock" label=tu_string!(i18n, product_form.stock).to_string() value=form.stock.clone().unwrap_or_default() inputmode="decimal" hint=tu_string!(i18n, product_form.stock_hint).to_string() />
        <fieldset>
            <legend>{t!(i18n, product_form.ocop)}</legend>
            <label for="ocop_stars">{t!(i18n, product_form.ocop_stars)}</label>
            <select id="ocop_stars" name="form[ocop_stars]">
                <option value="">{t!(i18n, product_form.no_ocop)}</option>
                {["3", "4", "5"].into_iter().map(|s| view! {
                    <option value=s selected=form.ocop_stars.as_deref() == Some(s)>{"★".repeat(s.parse().unwrap_or(3))}</option>
                }).collect_view()}
            </select>
            <FieldError errors field="ocop_stars" />
            <TextField errors field="ocop_certificate" label=tu_string!(i18n, product_form.ocop_certificate).to_string() value=form.ocop_certificate.clone().unwrap_or_default() />
            <TextField errors field="ocop_year" label=tu_string!(i18n, product_form.ocop_year).to_string() value=form.ocop_year.clone().unwrap_or_default() inputmode="numeric" />
        </fieldset>
        <label class="check"><input type="checkbox" name="form[published]" checked=form.published.is_some() /> {t!(i18n, product_form.published)}</label>
    }
}

/// A photo upload form that works without JavaScript: the server redirects back here with the
/// outcome in the query (`photo=saved`, `photo=deleted` or `photo_error=…`). Shows the current
/// `photos` (storage keys), each with a button that posts to `delete` when given. With
/// `cover`, the first photo is marked as the cover (the one cards show) and each other one
/// has a button that posts to `cover` to make it so.
#[component]
fn PhotoUpload(
    action: String,
    title: String,
    photos: Vec<String>,
    #[prop(optional)] delete: Option<String>,
    #[prop(optional)] cover: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let message = move || {
        let q = query.read();
        match (q.get("photo").as_deref(), q.get("photo_error").as_deref()) {
            (Some("saved"), _) => Some(("form-ok", t_string!(i18n, photo.saved))),
            (Some("deleted"), _) => Some(("form-ok", t_string!(i18n, photo.deleted))),
            (Some("cover"), _) => Some(("form-ok", t_string!(i18n, photo.cover_saved))),
            (_, Some("too_large")) => Some(("form-error", t_string!(i18n, photo.too_large))),
            (_, Some("too_many_pixels")) => {
                Some(("form-error", t_string!(i18n, photo.too_many_pixels)))
            }
            (_, Some("too_many")) => Some(("form-error", t_string!(i18n, photo.too_many))),
            (_, Some("not_image")) => Some(("form-error", t_string!(i18n, photo.not_image))),
            (_, Some("unconfirmed")) => Some(("form-error", t_string!(i18n, errors.not_confirmed))),
            (_, Some(_)) => Some(("form-error", t_string!(i18n, photo.failed))),
            _ => None,
        }
    };
    let shown = photos
        .into_iter()
        .enumerate()
        .map(|(at, key)| {
            // Deleting can't be undone: asked twice, and the server wants the second answer.
            let choose = cover.clone().map(|cover| match at {
                0 => view! { <p class="cover">{t!(i18n, photo.cover)}</p> }.into_any(),
                _ => view! {
                    <form method="post" action=cover>
                        <input type="hidden" name="key" value=key.clone() />
                        <button type="submit" class="make-cover">{t!(i18n, photo.make_cover)}</button>
                    </form>
                }
                .into_any(),
            });
            let remove = delete.clone().map(|delete| {
                view! {
                    <form method="post" action=delete>
                        <input type="hidden" name="key" value=key.clone() />
                        <Confirm
                            ask=move || t_string!(i18n, photo.delete)
                            warning=move || t_string!(i18n, photo.delete_warning)
                            yes=move || t_string!(i18n, photo.delete_yes)
                        />
                    </form>
                }
            });
            view! {
                <li>
                    <img src=thumb_url(&key) alt="" width="160" height="120" />
                    {choose}
                    {remove}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="photos">
            <h2>{title}</h2>
            <ul class="photo-list">{shown}</ul>
            {move || message().map(|(class, text)| view! { <p class=class role="status">{text}</p> })}
            <form method="post" enctype="multipart/form-data" action=action>
                <label for="photo">{t!(i18n, photo.choose)}</label>
                <input id="photo" name="photo" type="file" accept="image/jpeg,image/png,image/webp" required />
                <p class="hint">{t!(i18n, photo.hint)}</p>
                <button type="submit">{t!(i18n, photo.upload)}</button>
            </form>
        </section>
    }
}
