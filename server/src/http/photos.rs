use crate::photos::{MAX_UPLOAD_BYTES, PhotoError, render, save, valid_name};
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

/// `POST /my/products/{id}/photos` (multipart, field `photo`): a plain form post that works
/// without JavaScript; the answer is a redirect back to the product's page with the outcome.
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Response {
    let back =
        |outcome: &str| Redirect::to(&format!("/my/products/{id}?{outcome}")).into_response();
    let user = match app::api::session::user_of(&session, &state.ports).await {
        Ok(Some(user)) => user,
        Ok(None) => return Redirect::to(&format!("/login?next=/my/products/{id}")).into_response(),
        Err(_) => return back("photo_error=failed"),
    };
    // Only the vendor who owns the product; anyone else learns nothing about it.
    let owned = async {
        let product = state.ports.catalog.by_id(id).await.ok().flatten()?;
        let stall = state
            .ports
            .stalls
            .by_id(product.stall_id)
            .await
            .ok()
            .flatten()?;
        (user.role == Role::Vendor && stall.owner_id == user.id).then_some(())
    };
    if owned.await.is_none() {
        return StatusCode::NOT_FOUND.into_response();
    }
    let bytes = loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("photo") => match field.bytes().await {
                Ok(bytes) => break bytes,
                Err(_) => return back("photo_error=too_large"),
            },
            Ok(Some(_)) => continue,
            Ok(None) => return back("photo_error=not_image"),
            Err(_) => return back("photo_error=too_large"),
        }
    };
    if bytes.len() > MAX_UPLOAD_BYTES {
        return back("photo_error=too_large");
    }
    let rendered = tokio::task::spawn_blocking(move || render(&bytes)).await;
    let renditions = match rendered {
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
        state
            .ports
            .catalog
            .add_photo(id, &key)
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
        anyhow::Ok(())
    };
    match stored.await {
        Ok(()) => back("photo=saved"),
        Err(err) => {
            tracing::error!(error = %err, product = id, "saving a photo failed");
            back("photo_error=failed")
        }
    }
}
