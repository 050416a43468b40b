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
    /// The request itself could not be read (a missing or malformed argument): not a form a
    /// page of this site sends, so there is no field to mark.
    #[error("malformed request")]
    BadRequest,
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The server could not read the arguments themselves.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            // On the server, a body that doesn't decode is the request's fault; in the browser,
            // it is an answer that didn't arrive whole.
            ServerFnErrorErr::Deserialization(_) if cfg!(feature = "ssr") => AppError::BadRequest,
            _ => AppError::Transport,
        }
    }

    /// Every server function's error passes here on its way out, so this is where its HTTP
    /// status is set.
    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        answer_status(self);
        <JsonEncoding as leptos::server_fn::Encodes<AppError>>::encode(self)
            .unwrap_or_else(|_| leptos::server_fn::Bytes::from_static(br#""Transport""#))
    }
}

impl AppError {
    /// The HTTP status that answers this error, for a server function and for a page.
    pub fn status(&self) -> u16 {
        match self {
            AppError::BadRequest => 400,
            AppError::Invalid(_) => 422,
            AppError::NotSignedIn | AppError::BadCredentials => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Conflict | AppError::OutOfStock(_) => 409,
            AppError::TooManyAttempts => 429,
            AppError::PaymentUnavailable => 503,
            AppError::Unexpected(_) | AppError::Transport => 500,
        }
    }

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

/// The refusal of an action asked twice (see [`crate::domain::confirm`]) that came without
/// its confirmation: the form's error under the confirmation's own field.
#[cfg(feature = "ssr")]
pub fn unconfirmed(invalid: crate::domain::invalid::Invalid) -> AppError {
    AppError::field(crate::domain::confirm::FIELD, invalid)
}

/// Sets the answer's status to the error's. A visitor's mistake or a refusal is logged at
/// DEBUG; an unexpected failure was logged at ERROR with its cause by [`unexpected`]. A form
/// posted without JavaScript is answered with a redirect back to its page, which carries the
/// error, so its status stays the redirect's.
#[cfg(feature = "ssr")]
fn answer_status(error: &AppError) {
    use leptos::prelude::use_context;
    let status = error.status();
    if status < 500 {
        tracing::debug!(status, error = %error, "server function refused the request");
    }
    if let (false, Some(response)) = (
        plain_form_post(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        response.set_status(
            http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        );
    }
}

/// Whether this server function was called by a form posted without JavaScript (which asks
/// for HTML), rather than by the app in the browser.
#[cfg(feature = "ssr")]
pub fn plain_form_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|request| {
        request
            .headers
            .get(http::header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// The header the server puts each request's id in (see the server's `telemetry`).
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The incident number of a failure: the request's id, which every log line of the request
/// carries, so the number a visitor reads out finds the whole request in the log. Outside a
/// request (a job, the command line), a number of its own.
#[cfg(feature = "ssr")]
fn incident_id() -> String {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|request| {
            request
                .headers
                .get(REQUEST_ID_HEADER)
                .and_then(|id| id.to_str().ok())
                .map(str::to_string)
        })
        .unwrap_or_else(new_request_id)
}

/// A new request (or incident) id: ten characters of Crockford's base 32 (50 random bits),
/// short enough to read out over the phone, unique enough for a province's traffic.
#[cfg(feature = "ssr")]
pub fn new_request_id() -> String {
    use rand::Rng;
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut rng = rand::thread_rng();
    (0..10)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

/// Logs an unexpected failure under the request's incident number and returns the error a
/// visitor may see.
///
/// The cause is a message or an error; an error is logged with each of its sources in turn
/// ([`Chain`]), so the log shows what failed underneath as well as what was being done.
#[cfg(feature = "ssr")]
pub fn unexpected(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> AppError {
    let cause = cause.into();
    let incident = incident_id();
    tracing::error!(incident = %incident, error = %Chain(&*cause), "unexpected error");
    AppError::Unexpected(incident)
}

/// An error followed by each of its sources, `outer: inner: innermost`. Many errors already
/// print their source in their own message, so a source whose text is already shown is not
/// repeated.
#[cfg(feature = "ssr")]
pub struct Chain<'a>(pub &'a (dyn std::error::Error + 'static));

#[cfg(feature = "ssr")]
impl std::fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut shown = self.0.to_string();
        f.write_str(&shown)?;
        let mut source = self.0.source();
        while let Some(err) = source {
            let text = err.to_string();
            if !shown.contains(&text) {
                write!(f, ": {text}")?;
                shown.push_str(&text);
            }
            source = err.source();
        }
        Ok(())
    }
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
            // Callers that can say which stock and in which unit map it to a field error.
            StoreError::StockMoved(_) => AppError::Conflict,
            StoreError::MoreThanOwed(owed) => AppError::field(
                "amount",
                crate::domain::invalid::Invalid::AmountOutOfRange {
                    min: crate::domain::money::Dong::new(1),
                    max: owed,
                },
            ),
            StoreError::Backend(_) => unexpected(err),
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::Chain;
    use crate::ports::StoreError;

    /// An error that, like many, names only what it was doing and leaves the why to its source.
    #[derive(Debug, thiserror::Error)]
    #[error("reading the orders failed")]
    struct Query(#[source] std::io::Error);

    /// An error that prints its source in its own message as well as returning it.
    #[derive(Debug, thiserror::Error)]
    #[error("execution error: {0}")]
    struct Exec(#[source] std::io::Error);

    #[test]
    fn a_request_id_is_ten_unambiguous_characters() {
        let id = super::new_request_id();
        assert_eq!(id.len(), 10);
        assert!(
            id.chars()
                .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !"ILOU".contains(c))),
            "{id}"
        );
        assert_ne!(super::new_request_id(), id);
    }

    #[test]
    fn a_backend_error_is_logged_with_every_cause_down_to_the_innermost() {
        let disk = std::io::Error::other("disk I/O error");
        let err = StoreError::Backend(Box::new(Query(disk)));
        assert_eq!(
            Chain(&err).to_string(),
            "storage failed: reading the orders failed: disk I/O error"
        );
    }

    #[test]
    fn a_cause_already_in_its_outer_message_is_not_repeated() {
        let locked = std::io::Error::other("database is locked");
        let err = StoreError::Backend(Box::new(Exec(locked)));
        assert_eq!(
            Chain(&err).to_string(),
            "storage failed: execution error: database is locked"
        );
    }
}
