//! Webhook delivery as each service does it: a JSON POST of the stored notification to the
//! account's `webhook_url`. payOS's signature is inside the body; SePay's is in
//! `X-SePay-Timestamp` and `X-SePay-Signature`, signed at sending time (a redelivery carries a
//! fresh timestamp over the same bytes, as a retry does). One attempt per delivery and no
//! automatic retries, so a test decides exactly what arrives.
use std::time::Duration;

use axum::body::Bytes;
use axum::http::Request;
use axum::http::header::{CONTENT_TYPE, USER_AGENT};
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Serialize;

use super::store::{Account, Service};
use super::unix_now;
use crate::payments::bank::sepay;

/// SePay expects an answer within about 5 s; the double waits a little longer.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// What happened to one delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub transfer_id: u64,
    /// The endpoint's HTTP status, if it answered.
    pub status: Option<u16>,
    /// Why it did not answer, or why nothing was sent.
    pub error: Option<String>,
}

impl Delivery {
    /// A transfer its service does not report (payOS, when it names no order).
    pub fn not_sent(transfer_id: u64) -> Self {
        Delivery {
            transfer_id,
            status: None,
            error: Some("payOS reports only payments of an order: none was named".into()),
        }
    }

    /// A notification kept back until `POST /_double/deliver`.
    pub fn held(transfer_id: u64) -> Self {
        Delivery {
            transfer_id,
            status: None,
            error: Some("held until POST /_double/deliver".into()),
        }
    }
}

pub(super) struct Deliverer {
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Deliverer {
    pub fn new() -> Self {
        Deliverer {
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    pub async fn deliver(&self, account: &Account, transfer_id: u64, body: Vec<u8>) -> Delivery {
        let outcome = self.send(account, body).await;
        Delivery {
            transfer_id,
            status: outcome.as_ref().ok().copied(),
            error: outcome.err(),
        }
    }

    async fn send(&self, account: &Account, body: Vec<u8>) -> Result<u16, String> {
        let mut request = Request::post(account.webhook_url.as_str())
            .header(CONTENT_TYPE, "application/json")
            .header(USER_AGENT, user_agent(account.service));
        if account.service == Service::SePay {
            let (timestamp, signature) = sepay::signed_headers(&account.secret, &body, unix_now());
            request = request
                .header("X-SePay-Timestamp", timestamp)
                .header("X-SePay-Signature", signature);
        }
        let request = request
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        match tokio::time::timeout(DELIVERY_TIMEOUT, self.client.request(request)).await {
            Ok(Ok(response)) => Ok(response.status().as_u16()),
            Ok(Err(error)) => Err(error.to_string()),
            Err(_) => Err("the endpoint did not answer in time".into()),
        }
    }
}

fn user_agent(service: Service) -> &'static str {
    match service {
        Service::PayOs => "payOS-webhook (test double)",
        Service::SePay => "SePay-webhook (test double)",
    }
}
