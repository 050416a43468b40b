//! Errors in Stripe's shape, `{"error": {"type": …, "code": …, "message": …, "param": …}}`,
//! so async-stripe turns them into the same `StripeError::Stripe` real Stripe would cause.
use axum::Json;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ApiError {
    pub status: StatusCode,
    /// `invalid_request_error`, `idempotency_error`, …
    pub kind: &'static str,
    /// `parameter_missing`, `resource_missing`, `amount_too_large`, …
    pub code: Option<&'static str>,
    pub param: Option<String>,
    pub message: String,
}

impl ApiError {
    /// A 400 `invalid_request_error` about one parameter.
    pub fn invalid(
        code: &'static str,
        param: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            kind: "invalid_request_error",
            code: Some(code),
            param: Some(param.into()),
            message: message.into(),
        }
    }

    pub fn missing_param(param: &str) -> Self {
        Self::invalid(
            "parameter_missing",
            param,
            format!("Missing required param: {param}."),
        )
    }

    /// A 404 for an id the double does not know, worded like Stripe's.
    pub fn no_such(resource: &str, param: &str, id: &str) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            ..Self::invalid(
                "resource_missing",
                param,
                format!("No such {resource}: '{id}'"),
            )
        }
    }

    pub fn unrecognized_url(method: &Method, uri: &Uri) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            kind: "invalid_request_error",
            code: None,
            param: None,
            message: format!("Unrecognized request URL ({method}: {uri})."),
        }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            kind: "invalid_request_error",
            code: None,
            param: None,
            message: message.into(),
        }
    }

    /// What Stripe answers when it is having trouble: the request may be tried again.
    pub fn outage() -> Self {
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            kind: "api_error",
            code: None,
            param: None,
            message: "An unknown error occurred (the double is in an outage).".into(),
        }
    }

    pub fn idempotency_mismatch(key: &str) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            kind: "idempotency_error",
            code: None,
            param: None,
            message: format!(
                "Keys for idempotent requests can only be used with the same parameters they \
                 were first used with. Try using a key other than '{key}' if you meant to \
                 execute a different request."
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {
            "type": self.kind,
            "code": self.code,
            "param": self.param,
            "message": self.message,
        }});
        (self.status, Json(body)).into_response()
    }
}
