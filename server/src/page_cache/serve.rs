//! The middleware that answers from the kept pages, keeps new ones, and answers a browser that
//! already holds the page (`If-None-Match`) with `304 Not Modified`.
use super::{Key, Page, PageCache, is_catalog};
use crate::http::lang::{LANG_COOKIE, locale_of};
use crate::http::page_cache::SESSION_COOKIE;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

/// Says whether an answer came from the kept pages (`hit`) or was rendered and kept (`miss`).
pub const CACHE_HEADER: &str = "x-cache";

/// Answers a kept catalog page, or renders and keeps it; anything else passes through.
pub async fn serve(cache: PageCache, req: Request, next: Next) -> Response {
    let Some(key) = key_of(&req) else {
        return next.run(req).await;
    };
    let head = req.method() == Method::HEAD;
    let held = req.headers().get(header::IF_NONE_MATCH).cloned();
    if let Some(page) = cache.fresh(&key) {
        return answer(&page, held.as_ref(), head, "hit");
    }
    // A HEAD's body is dropped on the way: there is nothing to keep.
    if head {
        return next.run(req).await;
    }
    let _turn = cache.turn(&key).await;
    if let Some(page) = cache.fresh(&key) {
        return answer(&page, held.as_ref(), head, "hit");
    }
    let Some(tag) = cache.tag_of(req.uri().path()).await else {
        return next.run(req).await;
    };
    let stamp = cache.stamp(tag);
    let res = next.run(req).await;
    if !keepable(&res) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(body) => body,
        Err(err) => {
            tracing::warn!(error = %err, "reading a page to keep failed");
            return Response::from_parts(parts, Body::empty());
        }
    };
    let page = Page {
        etag: etag_of(&body),
        headers: parts.headers,
        body,
        tag,
        stamp,
    };
    let page = cache.keep(key, page);
    answer(&page, held.as_ref(), head, "miss")
}

/// The key of a request that may be answered from the kept pages: a `GET` or `HEAD` of a
/// catalog page, from a visitor with no session and no cookie but the language's, asking for
/// no one's own data (no `Authorization`).
fn key_of(req: &Request) -> Option<Key> {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return None;
    }
    let headers = req.headers();
    if !is_catalog(req.uri().path()) || headers.contains_key(header::AUTHORIZATION) {
        return None;
    }
    if !only_language_cookie(headers) {
        return None;
    }
    let lang = match locale_of(headers) {
        app::i18n::Locale::vi => "vi",
        app::i18n::Locale::en => "en",
    };
    let uri = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_owned(), |pq| pq.as_str().to_owned());
    Some(Key { uri, lang })
}

/// Whether every cookie the request sends is the language's: the session cookie, or any other
/// one, may change what the page shows.
fn only_language_cookie(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap_or(SESSION_COOKIE))
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .all(|c| {
            c.split_once('=')
                .is_some_and(|(name, _)| name == LANG_COOKIE)
        })
}

/// Whether a rendered answer may be kept: a full `200` page or JSON, setting no cookie.
fn keepable(res: &Response) -> bool {
    let kind = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    res.status() == StatusCode::OK
        && !res.headers().contains_key(header::SET_COOKIE)
        && (kind.starts_with("text/html") || kind.starts_with("application/json"))
}

/// A strong entity tag: the first 128 bits of the body's SHA-256.
fn etag_of(body: &Bytes) -> HeaderValue {
    let digest = Sha256::digest(body);
    let tag = format!("\"{}\"", hex::encode(&digest[..16]));
    HeaderValue::from_str(&tag).expect("hex in quotes is a valid header value")
}

/// Whether `If-None-Match` names `etag` (or is `*`); a weak form of it matches too, as the
/// comparison for `If-None-Match` is the weak one.
fn matches(held: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(held) = held.to_str() else {
        return false;
    };
    let etag = etag.to_str().unwrap_or_default();
    held.split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.trim_start_matches("W/") == etag)
}

/// The kept page as an answer: `304` with no body when the browser holds it already.
fn answer(page: &Page, held: Option<&HeaderValue>, head: bool, how: &'static str) -> Response {
    let not_modified = held.is_some_and(|h| matches(h, &page.etag));
    let mut res = if not_modified || head {
        Response::new(Body::empty())
    } else {
        Response::new(Body::from(page.body.clone()))
    };
    if not_modified {
        *res.status_mut() = StatusCode::NOT_MODIFIED;
        // A 304 carries the validators and the caching rules, not the representation's
        // other fields.
        for name in [header::CACHE_CONTROL, header::VARY] {
            if let Some(v) = page.headers.get(&name) {
                res.headers_mut().insert(name, v.clone());
            }
        }
    } else {
        *res.headers_mut() = page.headers.clone();
        if head {
            res.headers_mut().remove(header::CONTENT_LENGTH);
        }
    }
    let headers = res.headers_mut();
    headers.insert(header::ETAG, page.etag.clone());
    headers.insert(CACHE_HEADER, HeaderValue::from_static(how));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_names_the_tag_in_a_list_weak_or_not() {
        let etag = HeaderValue::from_static("\"abc\"");
        let held = |v: &'static str| HeaderValue::from_static(v);
        assert!(matches(&held("\"abc\""), &etag));
        assert!(matches(&held("\"x\", W/\"abc\""), &etag));
        assert!(matches(&held("*"), &etag));
        assert!(!matches(&held("\"abd\""), &etag));
    }

    #[test]
    fn only_the_language_cookie_lets_a_page_be_kept() {
        let with = |cookie: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::COOKIE, HeaderValue::from_static(cookie));
            only_language_cookie(&h)
        };
        assert!(only_language_cookie(&HeaderMap::new()));
        assert!(with("i18n_pref_locale=en"));
        assert!(!with("i18n_pref_locale=en; choso_session=x"));
        assert!(!with("other=1"));
    }
}
