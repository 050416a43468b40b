use crate::photos::{PhotoError, render, save, valid_name};
use crate::startup::AppState;
use app::domain::role::Role;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

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
    Product(i64),
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
    session: Session,
    Path(id): Path<i64>,
    form: Multipart,
) -> Response {
    upload(state, session, Target::Product(id), form).await
}

/// `POST /my/stall/photo` (multipart, field `photo`).
pub async fn upload_stall(state: State<AppState>, session: Session, form: Multipart) -> Response {
    upload(state, session, Target::Stall, form).await
}

/// A plain form post that works without JavaScript; the answer is a redirect back to the
/// form's page with the outcome in the query.
async fn upload(
    State(state): State<AppState>,
    session: Session,
    target: Target,
    mut form: Multipart,
) -> Response {
    let page = target.page();
    let back = |outcome: &str| Redirect::to(&format!("{page}?{outcome}")).into_response();
    let user = match app::api::session::user_of(&session, &state.ports).await {
        Ok(Some(user)) if user.role == Role::Vendor => user,
        Ok(Some(_)) => return StatusCode::NOT_FOUND.into_response(),
        Ok(None) => return Redirect::to(&format!("/login?next={page}")).into_response(),
        Err(_) => return back("photo_error=failed"),
    };
    // Only the vendor's own stall or product; anyone else learns nothing about it.
    let Some(stall) = state.ports.stalls.by_owner(user.id).await.ok().flatten() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if let Target::Product(id) = target {
        let product = state.ports.catalog.by_id(id).await.ok().flatten();
        if product.is_none_or(|p| p.stall_id != stall.id) {
            return StatusCode::NOT_FOUND.into_response();
        }
    }
    let bytes = match super::upload::file_field(&mut form, "photo").await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return back("photo_error=not_image"),
        Err(()) => return back("photo_error=too_large"),
    };
    let renditions = match tokio::task::spawn_blocking(move || render(&bytes)).await {
        Ok(Ok(r)) => r,
        Ok(Err(PhotoError::TooLarge)) => return back("photo_error=too_large"),
        Ok(Err(PhotoError::NotAnImage)) => return back("photo_error=not_image"),
        Err(err) => {
            tracing::error!(error = %err, "photo rendering panicked");
            return back("photo_error=failed");
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
        Ok(()) => back("photo=saved"),
        Err(err) => {
            tracing::error!(error = %err, page = %page, "saving a photo failed");
            back("photo_error=failed")
        }
    }
}
