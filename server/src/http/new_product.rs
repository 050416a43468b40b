//! `POST /my/products/new`: a new product and its photos in one multipart form post, which
//! works the same with or without JavaScript. All or nothing: every photo is judged before
//! anything is stored, and the product and its photos are added in one transaction, so a
//! refused form leaves no product and no files behind.
//!
//! A refusal goes back to the form the way leptos answers a refused server function posted
//! without JavaScript: the fields kept in the session, the reason in the address under
//! [`SaveProduct`]'s path, so the page shows it beside each field.
use crate::photos::{Renditions, remove, render, save};
use crate::startup::AppState;
use app::api::products::{NEW_PRODUCT_PAGE, PRODUCT_FORM, ProductForm, SaveProduct};
use app::api::refused::{keep, refusal_address};
use app::api::{AppError, stalls::SAVED};
use app::authz::OwnerOf;
use app::authz::extract::Refusal;
use app::domain::invalid::{FieldErrors, Invalid};
use app::domain::photo::{MAX_PRODUCT_PHOTOS, PhotoProblem};
use app::domain::submission::Submission;
use app::ports::{Created, NewProduct};
use app::service::catalog::add_product;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use tower_sessions::Session;

/// The form's page, where it posts.
pub const PAGE: &str = NEW_PRODUCT_PAGE;
/// The form's file field; it may hold several photos.
const PHOTOS: &str = "photos";

/// What the form posted.
#[derive(Default)]
struct Posted {
    form: ProductForm,
    /// Each chosen photo's file name and bytes, in the order chosen.
    photos: Vec<(String, Bytes)>,
    /// More photos than a product may have were chosen.
    too_many: bool,
    /// The body could not be read whole (most often: larger than the route allows); the
    /// fields before that point are kept.
    cut_short: bool,
}

pub async fn create(
    State(state): State<AppState>,
    owner: Result<OwnerOf, Refusal>,
    session: Session,
    multipart: Multipart,
) -> Response {
    let owner = match owner {
        Ok(owner) => owner,
        Err(refusal) => return refusal.back_to(PAGE).into_response(),
    };
    let posted = read(multipart).await;
    let form = posted.form.clone();
    let refuse = async |error: AppError| {
        keep(&session, PRODUCT_FORM, &form).await;
        Redirect::to(&refusal_address::<SaveProduct>(PAGE, error)).into_response()
    };
    match created(&state, &owner, posted).await {
        Ok(id) => Redirect::to(&format!("/my/products/{id}?{SAVED}")).into_response(),
        Err(error) => refuse(error).await,
    }
}

/// Judges the form and its photos, stores the photos and adds the product; the product's id.
async fn created(
    state: &AppState,
    owner: &OwnerOf,
    posted: Posted,
) -> Result<app::domain::id::ProductId, AppError> {
    let this_year = state.ports.clock.now().year();
    let draft = posted.form.parse(this_year);
    let submission = match posted.form.submission.as_deref() {
        None | Some("") => None,
        Some(token) => Some(Submission::parse(token).map_err(|_| AppError::BadRequest)?),
    };
    let renditions = judge_photos(&posted).await;
    let (draft, renditions) = match (draft, renditions) {
        (Ok(draft), Ok(renditions)) => (draft, renditions),
        (draft, renditions) => {
            let mut errors = draft.err().unwrap_or_default();
            match renditions {
                Err(photos) => errors.0.extend(photos.0),
                Ok(r) if !r.is_empty() => {
                    errors.push(PHOTOS, Invalid::ChooseAgain { photos: r.len() })
                }
                Ok(_) => {}
            }
            return Err(AppError::Invalid(errors));
        }
    };
    let keys = store(state, renditions).await?;
    let product = NewProduct {
        draft: &draft,
        photos: &keys,
        submission: submission.as_ref(),
    };
    let outcome = add_product(&state.ports, owner, product).await;
    match outcome {
        Ok(Created::New(product)) => Ok(product.id),
        Ok(Created::Repeated(id)) => {
            forget(state, &keys).await;
            Ok(id)
        }
        Err(err) => {
            forget(state, &keys).await;
            Err(err)
        }
    }
}

/// Reads the form: its text fields (`form[name]`, `submission`) and its photos.
async fn read(mut multipart: Multipart) -> Posted {
    let mut posted = Posted::default();
    let mut fields = serde_json::Map::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                posted.cut_short = true;
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let file = field.file_name().map(str::to_string);
        let Ok(bytes) = field.bytes().await else {
            posted.cut_short = true;
            break;
        };
        match file {
            // A file field left empty still sends a part, with no name and no bytes.
            Some(file) if name == PHOTOS && !(file.is_empty() && bytes.is_empty()) => {
                if posted.photos.len() < MAX_PRODUCT_PHOTOS {
                    posted.photos.push((file, bytes));
                } else {
                    posted.too_many = true;
                }
            }
            Some(_) => {}
            None => {
                let key = name
                    .strip_prefix("form[")
                    .and_then(|k| k.strip_suffix(']'))
                    .unwrap_or(&name);
                let value = String::from_utf8_lossy(&bytes).into_owned();
                fields.insert(key.to_string(), serde_json::Value::String(value));
            }
        }
    }
    posted.form = serde_json::from_value(serde_json::Value::Object(fields)).unwrap_or_default();
    posted
}

/// Each photo rendered, in order; or why each refused one was refused.
async fn judge_photos(posted: &Posted) -> Result<Vec<Renditions>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let problem = |problem, file: &str| Invalid::Photo {
        problem,
        file: file.to_string(),
    };
    if posted.too_many {
        errors.push(PHOTOS, problem(PhotoProblem::TooMany, ""));
    }
    if posted.cut_short {
        errors.push(PHOTOS, problem(PhotoProblem::TooLarge, ""));
    }
    let mut renditions = Vec::new();
    for (file, bytes) in &posted.photos {
        let bytes = bytes.clone();
        match tokio::task::spawn_blocking(move || render(&bytes)).await {
            Ok(Ok(r)) => renditions.push(r),
            Ok(Err(refused)) => errors.push(PHOTOS, problem(refused, file)),
            Err(err) => {
                tracing::error!(error = %err, "photo rendering panicked");
                errors.push(PHOTOS, problem(PhotoProblem::NotAnImage, file));
            }
        }
    }
    errors.into_result().map(|()| renditions)
}

/// Stores every rendition; on a failure, removes those stored before it.
async fn store(state: &AppState, renditions: Vec<Renditions>) -> Result<Vec<String>, AppError> {
    let mut keys = Vec::new();
    for r in renditions {
        match save(state.photos.as_ref(), r).await {
            Ok(key) => keys.push(key),
            Err(err) => {
                forget(state, &keys).await;
                return Err(app::api::error::unexpected(err));
            }
        }
    }
    Ok(keys)
}

/// Removes stored photos that no product names.
async fn forget(state: &AppState, keys: &[String]) {
    for key in keys {
        if let Err(err) = remove(state.photos.as_ref(), key).await {
            tracing::error!(error = %err, photo = %key, "removing an unused photo failed");
        }
    }
}
