use app::api::auth::safe_next;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The cookie the i18n library reads to pick the interface language.
pub const LANG_COOKIE: &str = "i18n_pref_locale";

#[derive(Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// The language a request is answered in, as its pages would be: the cookie, else the
/// browser's `Accept-Language`, else Vietnamese.
pub fn locale_of(headers: &HeaderMap) -> app::i18n::Locale {
    let chosen = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .map(|(_, value)| value);
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    app::vocab::request_locale(chosen, accept)
}

/// `GET /lang/{vi|en}?next=/path`: keeps the choice in a cookie and returns to the page, so the
/// switch works without JavaScript.
pub async fn switch(Path(code): Path<String>, Query(q): Query<Next>) -> Response {
    if !matches!(code.as_str(), "vi" | "en") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let cookie = format!("{LANG_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax");
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, safe_next(q.next.as_deref())),
        ],
    )
        .into_response()
}
