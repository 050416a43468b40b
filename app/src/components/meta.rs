//! Per-page title, description and Open Graph tags, and the HTTP status of error pages.
use crate::api::AppError;
use crate::components::forms::error_message;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn PageMeta(#[prop(into)] title: String, #[prop(into)] description: String) -> impl IntoView {
    let full = format!("{title} · Chợ Số");
    view! {
        <Title text=full.clone() />
        <Meta name="description" content=description.clone() />
        <Meta property="og:title" content=full />
        <Meta property="og:description" content=description />
        <Meta property="og:type" content="website" />
    }
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

/// What a page shows when loading its data failed, with the matching HTTP status.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    set_status(match error {
        AppError::NotFound => 404,
        AppError::NotSignedIn => 401,
        AppError::Forbidden => 403,
        AppError::Invalid(_) => 400,
        _ => 500,
    });
    let sign_in = matches!(error, AppError::NotSignedIn);
    view! {
        <section class="panel error">
            <h1>{move || error_message(i18n, &error)}</h1>
            {sign_in.then(|| view! { <p><a href="/login">{t!(i18n, nav.login)}</a></p> })}
        </section>
    }
}
