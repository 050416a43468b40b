//! The one error type that crosses the wire. Inside the server, errors carry their full cause;
//! what reaches a visitor is one of these variants, translated by the interface, and an
//! unexpected failure shows only an incident id that the server log also holds.
use crate::domain::invalid::FieldErrors;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("some fields are invalid")]
    Invalid(FieldErrors),
    #[error("sign-in required")]
    NotSignedIn,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("wrong login or password")]
    BadCredentials,
    #[error("too many failed attempts")]
    TooManyAttempts,
    /// The record was changed by someone else between reading and writing it.
    #[error("changed meanwhile")]
    Conflict,
    /// The card processor can't be reached; nothing was charged, try again.
    #[error("card payments unavailable")]
    PaymentUnavailable,
    /// Not enough of the named product is left.
    #[error("not enough stock")]
    OutOfStock(String),
    /// Something failed on the server; the id is logged with the full cause.
    #[error("unexpected error, incident {0}")]
    Unexpected(String),
    /// The request did not reach the server or its answer could not be read.
    #[error("request failed")]
    Transport,
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The server rejected the arguments themselves: a form field of the wrong type.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::Invalid(FieldErrors::default())
            }
            _ => AppError::Transport,
        }
    }
}

impl AppError {
    /// One field's error, for rules checked after parsing (a taken slug, a wrong state).
    pub fn field(field: &str, invalid: crate::domain::invalid::Invalid) -> Self {
        let mut errors = FieldErrors::new();
        errors.push(field, invalid);
        AppError::Invalid(errors)
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        AppError::Invalid(errors)
    }
}

/// Logs an unexpected failure with a short incident id and returns the error a visitor may see.
#[cfg(feature = "ssr")]
pub fn unexpected(cause: impl std::fmt::Display) -> AppError {
    let incident = uuid::Uuid::new_v4().simple().to_string()[..8].to_uppercase();
    tracing::error!(incident = %incident, error = %cause, "unexpected error");
    AppError::Unexpected(incident)
}

#[cfg(feature = "ssr")]
impl From<crate::ports::StoreError> for AppError {
    fn from(err: crate::ports::StoreError) -> Self {
        use crate::ports::StoreError;
        match err {
            StoreError::Taken(field) => {
                AppError::field(field, crate::domain::invalid::Invalid::Taken)
            }
            StoreError::NotFound => AppError::NotFound,
            StoreError::Stale => AppError::Conflict,
            StoreError::OutOfStock(name) => AppError::OutOfStock(name),
            StoreError::Backend(cause) => unexpected(format!("{cause:#}")),
        }
    }
}
