//! Who is asking: the signed-in user behind the session cookie, as a domain [`Actor`].
//! Sessions live in the database (see the server's session store), so any app process behind a
//! load balancer sees the same sign-in.
use super::{AppError, error::unexpected, ports};
use crate::domain::role::Actor;
use crate::model::User;
use crate::ports::Ports;
use chrono::Utc;
use tower_sessions::Session;

const USER_ID: &str = "user_id";
const SIGNED_IN_AT: &str = "signed_in_at";
/// However active, a sign-in ends after this long; idle expiry is set on the session layer.
pub const ABSOLUTE_LIFETIME_SECS: i64 = 30 * 24 * 3600;

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(unexpected)
}

/// Starts a signed-in session under a new id, so an id planted before sign-in is worthless.
pub async fn sign_in(session: &Session, user_id: i64) -> Result<(), AppError> {
    session.cycle_id().await.map_err(unexpected)?;
    session.insert(USER_ID, user_id).await.map_err(unexpected)?;
    crate::api::shop::server::merge_visitor_cart(session, user_id).await?;
    session
        .insert(SIGNED_IN_AT, Utc::now().timestamp())
        .await
        .map_err(unexpected)
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(unexpected)
}

/// The signed-in user of a session, if the sign-in is still within its absolute lifetime.
pub async fn user_of(session: &Session, ports: &Ports) -> Result<Option<User>, AppError> {
    let Some(user_id) = session.get::<i64>(USER_ID).await.map_err(unexpected)? else {
        return Ok(None);
    };
    let signed_in_at = session
        .get::<i64>(SIGNED_IN_AT)
        .await
        .map_err(unexpected)?
        .unwrap_or(0);
    if Utc::now().timestamp() - signed_in_at > ABSOLUTE_LIFETIME_SECS {
        sign_out(session).await?;
        return Ok(None);
    }
    Ok(ports.accounts.user(user_id).await?)
}

pub async fn current_user() -> Result<Option<User>, AppError> {
    user_of(&session().await?, &ports()?).await
}

/// The signed-in actor, or [`AppError::NotSignedIn`].
pub async fn actor() -> Result<Actor, AppError> {
    let user = current_user().await?.ok_or(AppError::NotSignedIn)?;
    Ok(user.actor())
}
