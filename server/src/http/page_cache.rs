//! Caching rules for the server-rendered pages. A page's language follows Accept-Language and
//! the language cookie, and its header (and more) follows the session cookie, so no shared cache
//! may hand one visitor's page to another. Assets under /pkg and photos are not pages: they keep
//! their own long-lived caching.
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "choso_session";

/// Marks each HTML answer as private and varying with the language and the cookies.
pub async fn private_pages(req: Request, next: Next) -> Response {
    let had_session = carries_session(req.headers(), header::COOKIE);
    let mut res = next.run(req).await;
    if !is_html(res.headers()) {
        return res;
    }
    let has_session = had_session || carries_session(res.headers(), header::SET_COOKIE);
    let headers = res.headers_mut();
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Language, Cookie"),
    );
    headers.insert(header::CACHE_CONTROL, cache_control(has_session));
    res
}

/// A visitor with a session may see their name, their cart, their orders or their stall's
/// figures: such a page is not stored at all, not even in the browser's own cache, where the
/// next person on a shared phone or an internet café's computer could find it. A page for a
/// visitor without a session shows nothing of theirs; the browser may keep it but must ask
/// again before reusing it, since stalls, stock and prices change.
fn cache_control(has_session: bool) -> HeaderValue {
    HeaderValue::from_static(if has_session {
        "private, no-store"
    } else {
        "private, no-cache"
    })
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// Whether the request's `Cookie` (or the answer's `Set-Cookie`) names the session cookie.
fn carries_session(headers: &HeaderMap, name: header::HeaderName) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .any(|(name, _)| name == SESSION_COOKIE)
}
