//! A new product and its photos, in one form. It is a plain multipart post (to the server's
//! `POST /my/products/new`), the same with or without JavaScript: photos can't travel in a
//! server function's form. A refusal comes back in the address as [`SaveProduct`]'s, so this
//! page reads it through a `ServerAction<SaveProduct>` like the edit form does.
use super::vendor::ProductFields;
use crate::api::products::{NEW_PRODUCT_PAGE, ProductForm, SaveProduct, new_product_form};
use crate::components::forms::{FieldError, FormStatus, field_errors};
use crate::components::meta::{ErrorPanel, PageMeta};
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn NewProductPage() -> impl IntoView {
    let i18n = use_i18n();
    let form = Resource::new(|| (), |_| new_product_form());
    view! {
        <PageMeta title=tu_string!(i18n, product_form.new_title) description=tu_string!(i18n, product_form.new_title) />
        <h1>{t!(i18n, product_form.new_title)}</h1>
        <Suspense fallback=|| view! { <p class="loading">"…"</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => view! { <NewProductForm form /> }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn NewProductForm(form: ProductForm) -> impl IntoView {
    let i18n = use_i18n();
    // Never dispatched: it holds the refusal the address carries back.
    let refused = ServerAction::<SaveProduct>::new();
    let errors = field_errors(refused.value());
    // A slow connection takes a while to carry photos: say that it is on its way.
    let sending = RwSignal::new(false);
    view! {
        <form method="post" action=NEW_PRODUCT_PAGE enctype="multipart/form-data" class="product-form" on:submit=move |_| sending.set(true)>
            <input type="hidden" name="submission" value=form.submission.clone().unwrap_or_default() />
            <ProductFields errors form />
            <label for="photos">{t!(i18n, photo.choose_several)}</label>
            <input id="photos" name="photos" type="file" accept="image/jpeg,image/png,image/webp" multiple aria-describedby="photos-hint" />
            <p class="hint" id="photos-hint">{t!(i18n, photo.hint_several)}</p>
            <FieldError errors field="photos" />
            <FormStatus value=refused.value() />
            <button type="submit" class="primary">{t!(i18n, product_form.save)}</button>
            {move || sending.get().then(|| view! { <p class="hint" role="status">{t!(i18n, photo.sending)}</p> })}
        </form>
    }
}
