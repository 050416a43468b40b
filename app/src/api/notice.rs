//! What a page says after one of its forms went through. Forms are posted by the browser
//! itself (the pages are rendered on the server, only a few islands run in the browser), and
//! the post is answered with a redirect back to the page: whatever the form's answer said is
//! lost. So the server function redirects to the page with the notice's name in the query
//! (`?done=<name>`), and the page shows it ([`crate::components::forms::Notice`]). A redirect
//! carries it, so it works the same with and without JavaScript, and the page opened afresh
//! says nothing.

/// The query key a page's notice is named in.
pub const KEY: &str = "done";

/// An administrator gave a user a market to manage (`/admin`).
pub const MANAGER_GRANTED: &str = "manager-granted";
/// An administrator took a manager's role back (`/admin`).
pub const MANAGER_REVOKED: &str = "manager-revoked";
/// An administrator recorded a transfer made to a stall (`/admin`).
pub const SETTLED: &str = "settled";
/// An administrator saved the report's targets (`/admin/report`).
pub const TARGETS_SAVED: &str = "targets-saved";
/// An administrator revoked a reporting API token (`/admin/tokens`).
pub const TOKEN_REVOKED: &str = "token-revoked";
/// A vendor linked their bank-notification service (`/my/payments`).
pub const BANK_LINKED: &str = "bank-linked";
/// A vendor assigned a transfer to one of their orders or counter sales (`/my/transfers`).
pub const TRANSFER_ASSIGNED: &str = "transfer-assigned";

/// Answers the request with a redirect to `page` saying `notice`. When the form was posted
/// from `page` itself, the page's own query (the report's day, a search) is kept; a refusal
/// of an earlier try (leptos' `__path`/`__err`) and an earlier notice are dropped.
#[cfg(feature = "ssr")]
pub fn back_to(page: &str, notice: &str) {
    let referer = leptos::prelude::use_context::<http::request::Parts>().and_then(|request| {
        request
            .headers
            .get(http::header::REFERER)
            .and_then(|r| r.to_str().ok())
            .and_then(|r| r.parse::<http::Uri>().ok())
    });
    let kept = referer
        .filter(|uri| uri.path() == page)
        .and_then(|uri| uri.query().map(str::to_string))
        .unwrap_or_default();
    leptos_axum::redirect(&address(page, &kept, notice));
}

/// `page` with the `kept` query's parameters, but for a refusal or notice, and `notice`.
pub fn address(page: &str, kept: &str, notice: &str) -> String {
    let dropped = ["__path", "__err", KEY];
    let mut pairs: Vec<&str> = kept
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| !dropped.contains(&pair.split('=').next().unwrap_or("")))
        .collect();
    let marker = format!("{KEY}={notice}");
    pairs.push(&marker);
    format!("{page}?{}", pairs.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_goes_after_the_pages_own_query() {
        assert_eq!(address("/admin", "", SETTLED), "/admin?done=settled");
        assert_eq!(
            address("/admin/report", "as_of=2026-04-30", TARGETS_SAVED),
            "/admin/report?as_of=2026-04-30&done=targets-saved"
        );
    }

    #[test]
    fn an_earlier_refusal_or_notice_is_dropped() {
        assert_eq!(
            address(
                "/admin/report",
                "as_of=2026-04-30&__path=/api/save_targets&__err=x&done=old",
                TARGETS_SAVED
            ),
            "/admin/report?as_of=2026-04-30&done=targets-saved"
        );
    }
}
