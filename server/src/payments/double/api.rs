//! The few Stripe API endpoints the adapter calls, form-encoded and authenticated like Stripe's.
use std::collections::HashMap;

use axum::extract::{OriginalUri, Path, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::error::ApiError;
use super::store::{Line, RefundRequest, SessionRequest, Store};
use super::{DoubleState, unix_now};
use crate::payments::stripe::MAX_CHECKOUT_DONG;

pub(super) fn routes() -> Router<DoubleState> {
    Router::new()
        .route("/checkout/sessions", post(create_session))
        .route("/checkout/sessions/{id}", get(retrieve_session))
        .route("/checkout/sessions/{id}/expire", post(expire_session))
        .route("/refunds", post(create_refund))
        .route_layer(middleware::from_fn(require_test_key))
        .fallback(unrecognized)
}

/// During an outage (`/_double/outage`) every API request fails as Stripe's do when it is down.
pub(super) async fn unless_outage(
    State(state): State<DoubleState>,
    request: Request,
    next: Next,
) -> Response {
    if state.lock().outage {
        return ApiError::outage().into_response();
    }
    next.run(request).await
}

/// An endpoint the double does not speak: Stripe's JSON 404, so the adapter sees a refusal
/// rather than an unparsable body.
async fn unrecognized(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::unrecognized_url(&method, &uri)
}

/// Stripe answers 401 without a key; the double also refuses anything but a test key, so a live
/// key pointed at it by mistake fails loudly.
async fn require_test_key(request: Request, next: Next) -> Response {
    let key = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    match key {
        Some(key) if key.starts_with("sk_test_") || key.starts_with("rk_test_") => {
            next.run(request).await
        }
        Some(_) => ApiError::unauthorized(
            "Invalid API Key provided: the Stripe test double accepts only test keys (sk_test_…).",
        )
        .into_response(),
        None => ApiError::unauthorized(
            "You did not provide an API key. You need to provide your API key in the \
             Authorization header, using Bearer auth (e.g. 'Authorization: Bearer \
             YOUR_SECRET_KEY').",
        )
        .into_response(),
    }
}

/// The parts of Stripe's session parameters the double understands; others are ignored.
#[derive(Deserialize)]
struct SessionForm {
    mode: Option<String>,
    #[serde(default)]
    line_items: Vec<LineItemForm>,
    success_url: Option<String>,
    cancel_url: Option<String>,
    client_reference_id: Option<String>,
    #[serde(default)]
    metadata: HashMap<String, String>,
    expires_at: Option<i64>,
}

#[derive(Deserialize)]
struct LineItemForm {
    price_data: Option<PriceDataForm>,
    quantity: Option<u64>,
}

#[derive(Deserialize)]
struct PriceDataForm {
    currency: Option<String>,
    unit_amount: Option<i64>,
    product_data: Option<ProductDataForm>,
}

#[derive(Deserialize)]
struct ProductDataForm {
    name: Option<String>,
}

impl SessionForm {
    /// Refuses what Stripe would refuse for a one-off VND payment, with Stripe's wording.
    fn validate(self) -> Result<SessionRequest, ApiError> {
        if self.mode.as_deref() != Some("payment") {
            return Err(match self.mode {
                None => ApiError::missing_param("mode"),
                Some(_) => ApiError::invalid(
                    "parameter_invalid",
                    "mode",
                    "The Stripe test double only supports `mode=payment`.",
                ),
            });
        }
        let success_url = self
            .success_url
            .ok_or_else(|| ApiError::missing_param("success_url"))?;
        if self.line_items.is_empty() {
            return Err(ApiError::missing_param("line_items"));
        }
        let lines = self
            .line_items
            .into_iter()
            .enumerate()
            .map(|(i, item)| item.validate(i))
            .collect::<Result<Vec<_>, _>>()?;
        let total = lines.iter().try_fold(0i64, |total, line| {
            total.checked_add(
                line.unit_amount
                    .checked_mul(i64::try_from(line.quantity).ok()?)?,
            )
        });
        if total.is_none_or(|total| total > MAX_CHECKOUT_DONG) {
            return Err(ApiError::invalid(
                "amount_too_large",
                "line_items",
                format!("Amount must be no more than {MAX_CHECKOUT_DONG} ₫"),
            ));
        }
        Ok(SessionRequest {
            lines,
            success_url,
            cancel_url: self.cancel_url,
            client_reference_id: self.client_reference_id,
            metadata: json!(self.metadata),
            expires_at: self.expires_at,
        })
    }
}

impl LineItemForm {
    fn validate(self, i: usize) -> Result<Line, ApiError> {
        let param = |path: &str| format!("line_items[{i}]{path}");
        let price = self
            .price_data
            .ok_or_else(|| ApiError::missing_param(&param("[price_data]")))?;
        if price.currency.as_deref() != Some("vnd") {
            return Err(ApiError::invalid(
                "parameter_invalid",
                param("[price_data][currency]"),
                "The Stripe test double only takes `vnd` line items.",
            ));
        }
        let unit_amount = price
            .unit_amount
            .filter(|amount| *amount >= 0)
            .ok_or_else(|| {
                ApiError::invalid(
                    "parameter_invalid_integer",
                    param("[price_data][unit_amount]"),
                    "Invalid non-negative integer",
                )
            })?;
        let name = price
            .product_data
            .and_then(|product| product.name)
            .filter(|name| !name.trim().is_empty())
            .ok_or_else(|| ApiError::missing_param(&param("[price_data][product_data][name]")))?;
        let quantity = match self.quantity {
            None => return Err(ApiError::missing_param(&param("[quantity]"))),
            Some(0) => {
                return Err(ApiError::invalid(
                    "parameter_invalid_integer",
                    param("[quantity]"),
                    "This value must be greater than or equal to 1.",
                ));
            }
            Some(quantity) => quantity,
        };
        Ok(Line {
            name,
            unit_amount,
            quantity,
        })
    }
}

async fn create_session(
    State(state): State<DoubleState>,
    headers: HeaderMap,
    body: String,
) -> Response {
    idempotent(
        &state,
        &headers,
        format!("POST /v1/checkout/sessions?{body}"),
        |store, now, _key| {
            let request = parse_form::<SessionForm>(&body)?.validate()?;
            let session = store.create_session(request, &state.base_url, now)?;
            Ok((session, Vec::new()))
        },
    )
    .await
}

async fn retrieve_session(State(state): State<DoubleState>, Path(id): Path<String>) -> Response {
    match state.lock().session(&id) {
        Ok(session) => Json(session.object.clone()).into_response(),
        Err(error) => error.into_response(),
    }
}

/// Expires an open session as Stripe does: its page stops taking payments, the expired
/// session is the answer, and `checkout.session.expired` is delivered.
async fn expire_session(
    State(state): State<DoubleState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    idempotent(
        &state,
        &headers,
        format!("POST /v1/checkout/sessions/{id}/expire"),
        |store, now, _key| {
            let event = store.expire(&id, now)?;
            Ok((event["data"]["object"].clone(), vec![event]))
        },
    )
    .await
}

#[derive(Deserialize)]
struct RefundForm {
    payment_intent: Option<String>,
    charge: Option<String>,
    amount: Option<i64>,
}

async fn create_refund(
    State(state): State<DoubleState>,
    headers: HeaderMap,
    body: String,
) -> Response {
    idempotent(
        &state,
        &headers,
        format!("POST /v1/refunds?{body}"),
        |store, now, key| {
            let form = parse_form::<RefundForm>(&body)?;
            let request = RefundRequest {
                payment_intent: form.payment_intent,
                charge: form.charge,
                amount: form.amount,
            };
            let (refund, event) = store.refund(request, key, now)?;
            Ok((refund, vec![event]))
        },
    )
    .await
}

/// Runs a creating request once per `Idempotency-Key`: the same key with the same request gets
/// the first answer again and changes nothing; with another request, an `idempotency_error`.
/// Events the request caused are delivered after the store is unlocked.
async fn idempotent(
    state: &DoubleState,
    headers: &HeaderMap,
    request: String,
    create: impl FnOnce(&mut Store, i64, Option<&str>) -> Result<(Value, Vec<Value>), ApiError>,
) -> Response {
    let key = headers
        .get("idempotency-key")
        .and_then(|value| value.to_str().ok());
    let request = canonical(&request);
    let (answer, events) = {
        let mut store = state.lock();
        match key.and_then(|key| store.remembered(key, &request)) {
            Some(earlier) => (earlier, Vec::new()),
            None => match create(&mut store, unix_now(), key) {
                Ok((object, events)) => {
                    if let Some(key) = key {
                        store.remember(key, &request, &object);
                    }
                    (Ok(object), events)
                }
                Err(error) => (Err(error), Vec::new()),
            },
        }
    };
    state.dispatch(events).await;
    match answer {
        Ok(object) => Json(object).into_response(),
        Err(error) => error.into_response(),
    }
}

/// A request with its form parameters in a fixed order. Stripe compares a repeated key's
/// parameters, not their order, and a client may well send a map's entries (metadata) in
/// another order each time; every parameter names its own index, so sorting loses nothing.
fn canonical(request: &str) -> String {
    let (head, query) = request.split_once('?').unwrap_or((request, ""));
    let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    pairs.sort_unstable();
    format!("{head}?{}", pairs.join("&"))
}

/// Stripe's bracketed form encoding (`line_items[0][price_data][unit_amount]=150000`).
fn parse_form<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    serde_qs::from_str(body).map_err(|error| {
        ApiError::invalid(
            "parameter_invalid",
            "body",
            format!("Invalid request parameters: {error}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn a_repeated_request_is_the_same_whatever_its_parameters_order() {
        let first =
            canonical("POST /v1/checkout/sessions?metadata[a]=1&metadata[b]=2&mode=payment");
        let again =
            canonical("POST /v1/checkout/sessions?mode=payment&metadata[b]=2&metadata[a]=1");
        assert_eq!(first, again);
        let changed =
            canonical("POST /v1/checkout/sessions?metadata[a]=1&metadata[b]=3&mode=payment");
        assert_ne!(first, changed);
    }
}
