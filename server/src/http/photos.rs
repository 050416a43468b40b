use crate::photos::{remove, render, save, valid_name};
use crate::startup::AppState;
use app::api::AppError;
use app::authz::OwnerOf;
use app::authz::extract::Refusal;
use app::domain::id::ProductId;
use app::domain::photo::MAX_PRODUCT_PHOTOS;
use app::model::Stall;
use app::ports::StoreError;
use axum::body::Body;
use axum::extract::{Form, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// `GET /photos/{key}.jpg`: a stored rendition, cacheable for a long time since keys never
/// change content.
pub async fn serve(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    if !valid_name(&name) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match state.photos.get(&name).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            Body::from(bytes),
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, photo = %name, "reading a photo failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// What an uploaded photo is for.
enum Target {
    Product(ProductId),
    Stall,
}

impl Target {
    /// The page the upload form is on, where the outcome is shown.
    fn page(&self) -> String {
        match self {
            Target::Product(id) => format!("/my/products/{id}"),
            Target::Stall => "/my/stall".to_string(),
        }
    }
}

/// `POST /my/products/{id}/photos` (multipart, field `photo`).
pub async fn upload_product(
    state: State<AppState>,
    owner: Result<OwnerOf, Refusal>,
    Path(id): Path<ProductId>,
    form: Multipart,
) -> Response {
    upload(state, owner, Target::Product(id), form).await
}

/// `POST /my/stall/photo` (multipart, field `photo`).
pub async fn upload_stall(
    state: State<AppState>,
    owner: Result<OwnerOf, Refusal>,
    form: Multipart,
) -> Response {
    upload(state, owner, Target::Stall, form).await
}

/// The signed-in vendor's stall, if `target` is theirs; otherwise the answer to give: a
/// sign-in that leads back to the form's page for a visitor, "not found" for anyone else, who
/// learns nothing about it.
async fn owner_of(
    state: &AppState,
    owner: Result<OwnerOf, Refusal>,
    target: &Target,
) -> Result<Stall, Response> {
    let page = target.page();
    let owner = match owner {
        Ok(owner) => owner,
        Err(refusal) => {
            return Err(match refusal.error {
                AppError::NotSignedIn => refusal.back_to(&page).into_response(),
                AppError::Unexpected(_) => back(&page, "photo_error=failed"),
                _ => StatusCode::NOT_FOUND.into_response(),
            });
        }
    };
    if let Target::Product(id) = target {
        owner
            .owns_product(&state.ports, *id)
            .await
            .map_err(|_| StatusCode::NOT_FOUND.into_response())?;
    }
    Ok(owner.stall)
}

/// Back to the form's page with the outcome in the query.
fn back(page: &str, outcome: &str) -> Response {
    Redirect::to(&format!("{page}?{outcome}")).into_response()
}

/// A plain form post that works without JavaScript; the answer is a redirect back to the
/// form's page with the outcome in the query.
async fn upload(
    State(state): State<AppState>,
    owner: Result<OwnerOf, Refusal>,
    target: Target,
    mut form: Multipart,
) -> Response {
    let page = target.page();
    let stall = match owner_of(&state, owner, &target).await {
        Ok(stall) => stall,
        Err(answer) => return answer,
    };
    if let Target::Product(id) = target {
        let photos = state.ports.catalog.by_id(id).await.ok().flatten();
        if photos.is_some_and(|p| p.photos.len() >= MAX_PRODUCT_PHOTOS) {
            return back(&page, "photo_error=too_many");
        }
    }
    let bytes = match super::upload::file_field(&mut form, "photo").await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return back(&page, "photo_error=not_image"),
        Err(()) => return back(&page, "photo_error=too_large"),
    };
    let renditions = match tokio::task::spawn_blocking(move || render(&bytes)).await {
        Ok(Ok(r)) => r,
        Ok(Err(refused)) => return back(&page, &format!("photo_error={}", refused.slug())),
        Err(err) => {
            tracing::error!(error = %err, "photo rendering panicked");
            return back(&page, "photo_error=failed");
        }
    };
    let stored = async {
        let key = save(state.photos.as_ref(), renditions).await?;
        match target {
            Target::Product(id) => state.ports.catalog.add_photo(id, &key).await,
            Target::Stall => state.ports.stalls.set_photo(stall.id, &key).await,
        }
        .map_err(|e| anyhow::anyhow!(e))
    };
    match stored.await {
        Ok(()) => back(&page, "photo=saved"),
        Err(err) => {
            tracing::error!(error = %err, page = %page, "saving a photo failed");
            back(&page, "photo_error=failed")
        }
    }
}

#[derive(serde::Deserialize)]
pub struct PhotoKey {
    key: String,
    /// The confirmation the page's second button posts (see `app::domain::confirm`).
    confirmed: Option<String>,
}

/// `POST /my/products/{id}/photos/delete` (form fields `key` and `confirmed=yes`): the
/// product's owner removes one of its photos, from the catalogue and then from storage. It
/// can't be undone, so without the confirmation nothing is removed and the page says why.
pub async fn delete_product_photo(
    State(state): State<AppState>,
    owner: Result<OwnerOf, Refusal>,
    Path(id): Path<ProductId>,
    Form(PhotoKey { key, confirmed }): Form<PhotoKey>,
) -> Response {
    let target = Target::Product(id);
    let page = target.page();
    if let Err(answer) = owner_of(&state, owner, &target).await {
        return answer;
    }
    if app::domain::confirm::confirmed(confirmed.as_deref()).is_err() {
        return back(&page, "photo_error=unconfirmed");
    }
    match state.ports.catalog.remove_photo(id, &key).await {
        Ok(()) => {}
        Err(StoreError::NotFound) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, product = %id, "removing a photo failed");
            return back(&page, "photo_error=failed");
        }
    }
    // The catalogue no longer names the files, so a failure here only leaves them unused.
    if let Err(err) = remove(state.photos.as_ref(), &key).await {
        tracing::error!(error = %err, photo = %key, "deleting a photo's files failed");
    }
    back(&page, "photo=deleted")
}

/// `POST /my/products/{id}/photos/cover` (form field `key`): the product's owner chooses the
/// photo shown on its cards and first on its page. A plain form post, so it works without
/// JavaScript; the answer is a redirect back to the product's page.
pub async fn choose_product_cover(
    State(state): State<AppState>,
    owner: Result<OwnerOf, Refusal>,
    Path(id): Path<ProductId>,
    Form(PhotoKey { key, .. }): Form<PhotoKey>,
) -> Response {
    let target = Target::Product(id);
    let page = target.page();
    if let Err(answer) = owner_of(&state, owner, &target).await {
        return answer;
    }
    match state.ports.catalog.set_cover(id, &key).await {
        Ok(()) => back(&page, "photo=cover"),
        Err(StoreError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, product = %id, "choosing a cover failed");
            back(&page, "photo_error=failed")
        }
    }
}
