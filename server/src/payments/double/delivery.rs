//! Webhook delivery as Stripe does it: a JSON POST signed in `Stripe-Signature` at sending time.
//! One attempt per delivery and no automatic retries, so a test decides exactly what arrives
//! (`/_double/events/{id}/redeliver` sends an event again, with the same id).
use std::time::Duration;

use axum::body::Bytes;
use axum::http::header::{CONTENT_TYPE, USER_AGENT};
use axum::http::{HeaderValue, Request};
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Serialize;
use serde_json::Value;

use super::unix_now;
use crate::payments::signature;

/// Stripe gives an endpoint a few seconds to answer 2xx; so does the double.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// What happened to one delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub event_id: String,
    pub event_type: String,
    /// The endpoint's HTTP status, if it answered.
    pub status: Option<u16>,
    /// Why it did not answer.
    pub error: Option<String>,
}

pub(super) struct Deliverer {
    client: Client<HttpConnector, Full<Bytes>>,
    url: String,
    secret: String,
}

impl Deliverer {
    pub fn new(url: String, secret: String) -> Self {
        Deliverer {
            client: Client::builder(TokioExecutor::new()).build_http(),
            url,
            secret,
        }
    }

    pub async fn deliver(&self, event: &Value) -> Delivery {
        let outcome = self.send(event).await;
        Delivery {
            event_id: event["id"].as_str().unwrap_or_default().to_owned(),
            event_type: event["type"].as_str().unwrap_or_default().to_owned(),
            status: outcome.as_ref().ok().copied(),
            error: outcome.err(),
        }
    }

    async fn send(&self, event: &Value) -> Result<u16, String> {
        // Pretty-printed like Stripe's deliveries: the signature covers these exact bytes.
        let body = serde_json::to_vec_pretty(event).map_err(|e| e.to_string())?;
        let signature = signature::sign(&body, &self.secret, unix_now());
        let request = Request::post(self.url.as_str())
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            )
            .header(
                USER_AGENT,
                HeaderValue::from_static("Stripe/1.0 (+https://stripe.com/docs/webhooks)"),
            )
            .header("Stripe-Signature", signature)
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        match tokio::time::timeout(DELIVERY_TIMEOUT, self.client.request(request)).await {
            Ok(Ok(response)) => Ok(response.status().as_u16()),
            Ok(Err(error)) => Err(error.to_string()),
            Err(_) => Err("the endpoint did not answer in time".into()),
        }
    }
}
