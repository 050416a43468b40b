//! Keeps a visitor's session alive while they use the site: idle expiry counts from the last
//! request, not from sign-in.
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tower_sessions::Session;

/// After each request, moves its live session's expiry to `idle` from now (within the
/// sign-in's absolute limit), and drops a new API token that waited too long for its page;
/// the session layer then writes it with the answer.
pub async fn keep_alive(
    idle: std::time::Duration,
    session: Session,
    req: Request,
    next: Next,
) -> Response {
    let res = next.run(req).await;
    let idle = i64::try_from(idle.as_secs()).unwrap_or(i64::MAX / 2);
    if let Err(err) = app::api::session::keep_alive(&session, idle).await {
        tracing::warn!(error = %err, "could not extend the session");
    }
    if let Err(err) = app::api::reports::drop_stale_api_token(&session).await {
        tracing::warn!(error = %err, "could not drop a stale API token from the session");
    }
    res
}
