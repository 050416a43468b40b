//! The guards as axum extractors, for the routes that are not server functions (uploads and
//! downloads): a handler names the guard it needs among its arguments, and the request never
//! reaches it unless the check passes.
use super::{Admin, Bookkeeper, OwnerOf, ReportReader};
use crate::api::AppError;
use crate::domain::role::Actor;
use crate::ports::Ports;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// Why a route refused a request, answered as a page would be: a visitor who is not signed in
/// is sent to sign in and then back to `next`; anyone else gets the refusal's status.
#[derive(Debug)]
pub struct Refusal {
    pub error: AppError,
    /// Where signing in leads back to: the address asked for, unless the handler names the
    /// form's page ([`Refusal::back_to`]).
    pub next: String,
}

impl Refusal {
    /// Signing in leads back to `page` (the form's page) rather than to the address posted to.
    pub fn back_to(self, page: &str) -> Self {
        Refusal {
            next: page.to_string(),
            ..self
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self.error {
            AppError::NotSignedIn => Redirect::to(&format!(
                "/login?next={}",
                crate::components::urlencode(&self.next)
            ))
            .into_response(),
            error => StatusCode::from_u16(error.status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
                .into_response(),
        }
    }
}

/// The signed-in actor and the ports, or the refusal to answer with.
async fn signed_in<S>(parts: &mut Parts, state: &S) -> Result<(Actor, Ports), Refusal>
where
    S: Send + Sync,
    Ports: FromRef<S>,
{
    let next = parts.uri.path().to_string();
    let refuse = |error| Refusal {
        error,
        next: next.clone(),
    };
    let session = Session::from_request_parts(parts, state)
        .await
        .map_err(|(_, why)| refuse(crate::api::error::unexpected(why)))?;
    let ports = Ports::from_ref(state);
    let user = crate::api::session::user_of(&session, &ports)
        .await
        .map_err(refuse)?
        .ok_or_else(|| refuse(AppError::NotSignedIn))?;
    Ok((user.actor(), ports))
}

/// Runs a guard's check on the signed-in actor, keeping the refusal's way back.
async fn guarded<S, G, F>(parts: &mut Parts, state: &S, check: F) -> Result<G, Refusal>
where
    S: Send + Sync,
    Ports: FromRef<S>,
    F: AsyncFnOnce(&Ports, Actor) -> Result<G, AppError>,
{
    let next = parts.uri.path().to_string();
    let (actor, ports) = signed_in(parts, state).await?;
    check(&ports, actor)
        .await
        .map_err(|error| Refusal { error, next })
}

/// Makes a guard an extractor: the signed-in actor, then the guard's own check.
macro_rules! guard_extractor {
    ($guard:ty, $check:expr) => {
        impl<S> FromRequestParts<S> for $guard
        where
            S: Send + Sync,
            Ports: FromRef<S>,
        {
            type Rejection = Refusal;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Refusal> {
                guarded(parts, state, $check).await
            }
        }
    };
}

guard_extractor!(Admin, async |_: &Ports, actor| Admin::check(actor));
guard_extractor!(ReportReader, async |_: &Ports, actor| ReportReader::check(
    actor
));
guard_extractor!(OwnerOf, OwnerOf::stall_of);
guard_extractor!(Bookkeeper, Bookkeeper::check);
