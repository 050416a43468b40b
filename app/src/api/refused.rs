//! A refused form, filled in again as the visitor left it. Without JavaScript a form's post is
//! answered with a redirect back to its page; leptos carries the error in that address but not
//! what was typed, so the page would show an empty form. The server function keeps the posted
//! fields in the session instead (never a password), and the page reads them back once.
use super::AppError;
use leptos::prelude::*;
use leptos::server;
use serde::de::DeserializeOwned;
use std::marker::PhantomData;

/// The session key a form's refused fields are kept under.
#[cfg(feature = "ssr")]
fn key(form: &str) -> String {
    format!("refused_form.{form}")
}

/// Runs a form's server function; when it refuses a form posted without JavaScript, keeps
/// `fields` for the next view of `form`'s page.
#[cfg(feature = "ssr")]
pub async fn keeping<F: serde::Serialize, T>(
    form: &str,
    fields: &F,
    result: impl Future<Output = Result<T, AppError>>,
) -> Result<T, AppError> {
    let result = result.await;
    if result.is_err() && super::error::plain_form_post() {
        match super::session::session().await {
            Ok(session) => keep(&session, form, fields).await,
            Err(err) => tracing::warn!(error = %err, form, "could not keep a refused form"),
        }
    }
    result
}

/// Keeps `fields` for the next view of `form`'s page: for a form handled outside a server
/// function (a multipart upload), which answers with [`refusal_address`].
#[cfg(feature = "ssr")]
pub async fn keep<F: serde::Serialize>(session: &tower_sessions::Session, form: &str, fields: &F) {
    if let Err(err) = session.insert(&key(form), fields).await {
        tracing::warn!(error = %err, form, "could not keep a refused form");
    }
}

/// `page` with `error` in its address, as leptos writes the refusal of the server function
/// `S` posted without JavaScript: the page's `ServerAction<S>` shows it as its own.
#[cfg(feature = "ssr")]
pub fn refusal_address<S: leptos::server_fn::ServerFn>(page: &str, error: AppError) -> String {
    use leptos::server_fn::error::ServerFnUrlError;
    let url = ServerFnUrlError::new(S::PATH, error).to_url(&format!("http://localhost{page}"));
    match url {
        Ok(url) => format!("{}?{}", url.path(), url.query().unwrap_or_default()),
        Err(_) => page.to_string(),
    }
}

/// The fields of `form` kept by [`keeping`] (as JSON), removed as they are read.
#[server(endpoint = "refused_form")]
pub async fn refused_form(form: String) -> Result<Option<String>, AppError> {
    let session = super::session::session().await?;
    let fields = session
        .remove::<serde_json::Value>(&key(&form))
        .await
        .map_err(super::error::unexpected)?;
    Ok(fields.map(|fields| fields.to_string()))
}

/// On a form's page: the fields it was refused with just before, if this view follows a
/// refusal.
pub struct Refused<T> {
    fields: Resource<Result<Option<String>, AppError>>,
    form: PhantomData<fn() -> T>,
}

impl<T> Clone for Refused<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Refused<T> {}

impl<T: DeserializeOwned> Refused<T> {
    pub fn new(form: &'static str) -> Self {
        Refused {
            fields: Resource::new(|| (), move |_| refused_form(form.to_string())),
            form: PhantomData,
        }
    }

    pub async fn fields(self) -> Option<T> {
        let json = self.fields.await.ok().flatten()?;
        serde_json::from_str(&json).ok()
    }
}
