use crate::startup::AppState;
use axum::{Json, extract::State, http::StatusCode};
use serde_json::{Map, Value, json};

/// How far back payment alerts make the service `degraded`.
const ALERT_WINDOW: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// `GET /healthz`, for load balancers and monitoring:
/// - 200 `ok` when the database answers and nothing went wrong with card payments in the last
///   hour;
/// - 200 `degraded`, with a count by kind under `payments`, when webhooks were refused or not
///   applied, or payments did not match or were found only by reconciliation: the site still
///   serves (a stranger posting forged webhooks must not take it out of rotation), but an
///   operator should look at the administrators' page;
/// - 503 `unavailable` when the database doesn't answer.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    if let Err(err) = state.db.ping().await {
        tracing::warn!(error = %err, "health check: database unavailable");
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "database": "unavailable" })),
        );
    }
    let since = state.ports.clock.now() - ALERT_WINDOW;
    let recorded = match state.ports.alerts.since(since, 1000).await {
        Ok(alerts) => alerts,
        Err(err) => {
            tracing::warn!(error = %err, "health check: payment alerts unreadable");
            Vec::new()
        }
    };
    let mut payments = Map::new();
    for alert in recorded.iter().chain(&state.watch.unwritten()) {
        let count = payments
            .entry(alert.kind.slug())
            .or_insert_with(|| Value::from(0u64));
        *count = Value::from(count.as_u64().unwrap_or_default() + alert.count);
    }
    let status = if payments.is_empty() {
        "ok"
    } else {
        "degraded"
    };
    (
        StatusCode::OK,
        Json(json!({ "status": status, "database": "ok", "payments": payments })),
    )
}
