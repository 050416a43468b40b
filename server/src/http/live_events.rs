//! `GET /checkout/{token}/events`: a checkout's changes as server-sent events, so the
//! shopper's open order page turns "paid" when the money arrives. The unguessable token is
//! the only key, as for the page itself: an unknown one is the same 404 as a missing page.
//!
//! The stream first sends the checkout as it is now, then again on every change (`changed`,
//! its data a [`app::model::CheckoutState`]); keep-alive comments every 15 seconds hold
//! proxies open. It ends after [`LiveSettings::longest`](crate::live::LiveSettings) and the
//! browser opens another. Each client address, and everyone together, may hold only so many
//! streams at once: beyond that the answer is 429 and the page asks now and then instead.
use crate::live::{Hub, StreamLimits, StreamSlot, Watched, Watcher};
use crate::startup::AppState;
use app::api::session::ClientAddr;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// What the event stream needs: the hub the stores tell of their changes, and the limits.
#[derive(Clone)]
pub struct Live {
    pub hub: Hub,
    pub limits: Arc<StreamLimits>,
    pub longest: Duration,
}

/// How long the browser waits before opening a stream again after it ended.
const RECONNECT: Duration = Duration::from_secs(3);

pub async fn checkout_events(
    State(state): State<AppState>,
    Extension(ClientAddr(client)): Extension<ClientAddr>,
    Path(token): Path<String>,
) -> Response {
    let live = &state.live;
    let Some(slot) = live.limits.open(client) else {
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    };
    let checkout = match crate::live::checkout_of(&state.db, &token).await {
        Ok(Some(checkout)) => checkout,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(error = %err, "finding a watched checkout failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut watcher = live.hub.watch(Watched::Checkout(checkout));
    // The state as it is now goes first, even when others already watch it.
    watcher.mark_changed();
    let stream = Stream {
        watcher,
        until: Instant::now() + live.longest,
        first: true,
        _slot: slot,
    };
    let events = futures_util::stream::unfold(stream, Stream::next);
    (
        [
            (header::CACHE_CONTROL, "no-cache"),
            // nginx buffers answers unless told not to; a buffered stream arrives at the end.
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))),
    )
        .into_response()
}

/// One open stream: the watched checkout, when the stream ends, and its counted slot.
struct Stream {
    watcher: Watcher,
    until: Instant,
    first: bool,
    _slot: StreamSlot,
}

impl Stream {
    /// The next event: the state once first read, then each change; `None` ends the stream.
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Stream)> {
        loop {
            let changed = tokio::select! {
                changed = self.watcher.changed() => changed,
                () = tokio::time::sleep_until(self.until) => return None,
            };
            // The hub's task ended: this process is shutting down.
            changed.ok()?;
            // Not read yet: the first reading is a change too.
            let Some(data) = self
                .watcher
                .borrow_and_update()
                .as_ref()
                .map(|s| s.data.clone())
            else {
                continue;
            };
            let mut event = Event::default().event("changed").data(data);
            if std::mem::take(&mut self.first) {
                event = event.retry(RECONNECT);
            }
            return Some((Ok(event), self));
        }
    }
}
