//! Per-page title, description and Open Graph tags, and the HTTP status of error pages.
use crate::api::AppError;
use crate::components::forms::error_message;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The site's public address (`CHOSO_PUBLIC_URL`, without a trailing slash), which the server
/// puts into every page's context; `None` when unset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicUrl(pub Option<String>);

/// The page's title, description and Open Graph tags; `image` is the path of the page's photo.
/// Every page sets its head here, so names typed by vendors reach the head only through it.
#[component]
pub fn PageMeta(
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    #[prop(default = None)] image: Option<String>,
) -> impl IntoView {
    let full = format!("{title} · Chợ Số");
    let url = absolute(
        &leptos_router::hooks::use_location()
            .pathname
            .get_untracked(),
    );
    view! {
        <Title text=title_text(&full) />
        <Meta name="description" content=description.clone() />
        <Meta property="og:title" content=full />
        <Meta property="og:description" content=description />
        <Meta property="og:type" content="website" />
        <Meta property="og:url" content=url />
        {image.map(|path| view! { <Meta property="og:image" content=absolute(&path) /> })}
    }
}

/// The title as `<Title>` needs it. On the server leptos_meta 0.8 writes the text into the
/// page's `<title>` as it is, so a product named `</title><script>…` would end the title and
/// run its script: the server escapes it. The browser sets `document.title`, which is plain
/// text, so there it stays as typed. (Attributes, as of the `<Meta>` tags, are escaped by
/// Leptos itself.)
fn title_text(text: &str) -> String {
    #[cfg(feature = "ssr")]
    return escape_html_text(text);
    #[cfg(not(feature = "ssr"))]
    return text.to_string();
}

/// Text made safe to place between HTML tags.
#[cfg(feature = "ssr")]
fn escape_html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// A path of this site as an absolute address, as Open Graph wants its `og:url` and
/// `og:image`: under `CHOSO_PUBLIC_URL` when it is set, else under the host the request named.
fn absolute(path: &str) -> String {
    format!("{}{path}", origin())
}

/// The site's origin (scheme, host and port, no trailing slash): `CHOSO_PUBLIC_URL` when it is
/// set, else the host the request named.
#[cfg(feature = "ssr")]
pub fn origin() -> String {
    if let Some(PublicUrl(Some(url))) = use_context::<PublicUrl>() {
        return url;
    }
    use_context::<http::request::Parts>()
        .and_then(|request| {
            let host = request.headers.get(http::header::HOST)?.to_str().ok()?;
            Some(format!("http://{host}"))
        })
        .unwrap_or_default()
}

/// In the browser the tags are only written on client-side navigation (hydration keeps the
/// server's), so the page's own origin serves.
#[cfg(not(feature = "ssr"))]
pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// Sets the response's status during server rendering (no-op in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(
            http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// What a page shows when loading its data failed, with the matching HTTP status, a title and
/// a way home.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    set_status(error.status());
    let message = untrack(|| error_message(i18n, &error));
    let sign_in = matches!(error, AppError::NotSignedIn);
    // Back to this page once signed in.
    let here = super::layout::use_current_path();
    let login_href = move || format!("/login?next={}", super::urlencode(&here()));
    view! {
        <PageMeta title=message.clone() description=message />
        <section class="panel error">
            <h1>{move || error_message(i18n, &error)}</h1>
            {sign_in.then(|| view! { <p><a href=login_href>{t!(i18n, nav.login)}</a></p> })}
            <p><a href="/">{t!(i18n, not_found.home)}</a></p>
        </section>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::escape_html_text;

    #[test]
    fn markup_in_a_title_stays_text() {
        assert_eq!(
            escape_html_text("x</title><script>alert(1)</script> & co"),
            "x&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"
        );
        assert_eq!(escape_html_text("Mật ong bạc hà"), "Mật ong bạc hà");
    }
}
