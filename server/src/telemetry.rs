//! Logs: one subscriber for the whole process, and a request id on every request.
//!
//! Each request gets a short id of its own (an id sent by the client is replaced, so nobody
//! can make their requests look like someone else's). The id is the `request` span's field on
//! every log line written while the request is served, it is answered in the `X-Request-Id`
//! header, and an unexpected failure shows it to the visitor as the incident number
//! ([`app::api::error::unexpected`]): whoever reads that number out can find the request's
//! whole log, the failure's cause chain included.
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

pub use app::api::error::REQUEST_ID_HEADER;

/// How log lines are written: for people (the default) or one JSON object per line for a log
/// collector (`RUST_LOG_FORMAT=json`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Installs the process's subscriber: what `filter` lets through (`RUST_LOG`; one that does
/// not parse leaves the default, as tracing itself would), written in `format`.
pub fn init(filter: &str, format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(crate::config::DEFAULT_LOG_FILTER));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

/// Gives the request its id (in its headers, where the app's pages and server functions read
/// it), serves it inside a `request` span carrying the id, method and path, and answers with
/// the id in `X-Request-Id`. The query string is left out of the log: it may hold a checkout's
/// token.
pub async fn request_id(mut req: Request, next: Next) -> Response {
    let id = app::api::error::new_request_id();
    let header = HeaderValue::from_str(&id).unwrap_or(HeaderValue::from_static("unknown"));
    req.headers_mut().insert(REQUEST_ID_HEADER, header.clone());
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %req.method(),
        path = %req.uri().path(),
    );
    let mut res = next.run(req).instrument(span).await;
    res.headers_mut().insert(REQUEST_ID_HEADER, header);
    res
}
