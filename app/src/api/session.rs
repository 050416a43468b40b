//! Who is asking: the signed-in user behind the session cookie, as a domain [`Actor`], the
//! address they came from, and the cart their session holds. Sessions live in the database
//! (see the server's session store), so any app process behind a load balancer sees the same
//! sign-in.
use super::{AppError, error::unexpected, ports};
use crate::domain::id::{CartId, UserId};
use crate::domain::role::Actor;
use crate::model::User;
use crate::ports::{CartOwner, Ports};
use chrono::Utc;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;
use tower_sessions::Session;

/// The session key of the signed-in user's id.
pub const USER_ID: &str = "user_id";
/// The session key of when the user signed in (unix seconds), for [`ABSOLUTE_LIFETIME_SECS`].
pub const SIGNED_IN_AT: &str = "signed_in_at";
/// When the store last set the session to expire (unix seconds), see [`keep_alive`].
const ACTIVE_UNTIL: &str = "active_until";
/// However active, a sign-in ends after this long; idle expiry is set on the session layer.
pub const ABSOLUTE_LIFETIME_SECS: i64 = 30 * 24 * 3600;
// Sessions are timed by the system's clock, not the application's `Clock`: their expiry is
// written into the browser's cookie and compared by the session store with the real time, so
// a clock set to a past date (the tests' and the demo seed's) must not age them.

/// When a session in use should expire next: `idle` seconds after `now`, but never past its
/// sign-in's absolute end. `None` when the expiry last stored (`stored`) is within a tenth of
/// `idle` of that, so a busy visitor costs a write now and then rather than one per request.
pub fn next_expiry(
    now: i64,
    idle: i64,
    signed_in_at: Option<i64>,
    stored: Option<i64>,
) -> Option<i64> {
    let mut until = now + idle;
    if let Some(at) = signed_in_at {
        until = until.min(at + ABSOLUTE_LIFETIME_SECS);
    }
    match stored {
        Some(stored) if until - stored < (idle / 10).max(1) => None,
        _ => Some(until),
    }
}

/// Moves a live session's expiry on after a request, so it ends `idle` seconds after the
/// visitor's last request (tower-sessions only writes a session, and its expiry, when its data
/// changes). A request without a live session is left alone: an expired cookie stays expired.
pub async fn keep_alive(
    session: &Session,
    idle: i64,
) -> Result<(), tower_sessions::session::Error> {
    if session.id().is_none() {
        return Ok(());
    }
    let signed_in_at = session.get::<i64>(SIGNED_IN_AT).await?;
    // Loading found no live session under the cookie's id.
    if session.id().is_none() {
        return Ok(());
    }
    let stored = session.get::<i64>(ACTIVE_UNTIL).await?;
    let Some(until) = next_expiry(Utc::now().timestamp(), idle, signed_in_at, stored) else {
        return Ok(());
    };
    let at = tower_sessions::cookie::time::OffsetDateTime::from_unix_timestamp(until)
        .unwrap_or_else(|_| tower_sessions::cookie::time::OffsetDateTime::now_utc());
    session.set_expiry(Some(tower_sessions::Expiry::AtDateTime(at)));
    session.insert(ACTIVE_UNTIL, until).await
}

/// The signed-in user as this request first read it. The parts of one page (the header, the
/// cart's count, the page's own data) ask who is signed in at once; without this each answer was
/// a query of its own. The first asker reads, the others wait for its answer. The server
/// provides a fresh one with every request, so it never outlives the request; signing in or out
/// within the request starts it afresh.
#[derive(Clone, Default)]
pub struct RequestUser(Arc<Mutex<Arc<OnceCell<Option<User>>>>>);

impl RequestUser {
    fn cell(&self) -> Arc<OnceCell<Option<User>>> {
        self.0.lock().map(|cell| cell.clone()).unwrap_or_default()
    }

    fn forget() {
        if let Some(this) = leptos::prelude::use_context::<Self>()
            && let Ok(mut cell) = this.0.lock()
        {
            *cell = Arc::default();
        }
    }
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(unexpected)
}

/// Starts a signed-in session under a new id, so an id planted before sign-in is worthless.
pub async fn sign_in(session: &Session, user_id: UserId) -> Result<(), AppError> {
    RequestUser::forget();
    session.cycle_id().await.map_err(unexpected)?;
    session.insert(USER_ID, user_id).await.map_err(unexpected)?;
    merge_visitor_cart(session, user_id).await?;
    session
        .insert(SIGNED_IN_AT, Utc::now().timestamp())
        .await
        .map_err(unexpected)
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    RequestUser::forget();
    session.flush().await.map_err(unexpected)
}

/// The signed-in user of a session, if the sign-in is still within its absolute lifetime.
pub async fn user_of(session: &Session, ports: &Ports) -> Result<Option<User>, AppError> {
    let Some(user_id) = session.get::<UserId>(USER_ID).await.map_err(unexpected)? else {
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
    let read = async || user_of(&session().await?, &ports()?).await;
    match leptos::prelude::use_context::<RequestUser>() {
        Some(memo) => memo.cell().get_or_try_init(read).await.cloned(),
        None => read().await,
    }
}

/// The signed-in actor, or [`AppError::NotSignedIn`].
pub async fn actor() -> Result<Actor, AppError> {
    let user = current_user().await?.ok_or(AppError::NotSignedIn)?;
    Ok(user.actor())
}

/// The session key of a visitor's cart: a random key of its own, until they sign in.
const VISITOR_CART: &str = "visitor_cart";

/// Whose cart this request uses: the signed-in user's, or this browser session's (given a key
/// of its own when `create`).
pub async fn cart_owner(create: bool) -> Result<Option<CartOwner>, AppError> {
    if let Some(user) = current_user().await? {
        return Ok(Some(CartOwner::User(user.id)));
    }
    let session = session().await?;
    match session
        .get::<String>(VISITOR_CART)
        .await
        .map_err(unexpected)?
    {
        Some(key) => Ok(Some(CartOwner::Visitor(key))),
        None if create => {
            let key = uuid::Uuid::new_v4().simple().to_string();
            session
                .insert(VISITOR_CART, &key)
                .await
                .map_err(unexpected)?;
            Ok(Some(CartOwner::Visitor(key)))
        }
        None => Ok(None),
    }
}

/// The cart of the signed-in user, or of this browser's session.
pub async fn cart_id(create: bool) -> Result<Option<CartId>, AppError> {
    match cart_owner(create).await? {
        Some(owner) => Ok(ports()?.carts.cart(&owner, create).await?),
        None => Ok(None),
    }
}

/// At sign-in, what the visitor put in the cart joins the account's cart.
async fn merge_visitor_cart(session: &Session, user_id: UserId) -> Result<(), AppError> {
    if let Some(key) = session
        .remove::<String>(VISITOR_CART)
        .await
        .map_err(unexpected)?
    {
        ports()?.carts.merge(&key, user_id).await?;
    }
    Ok(())
}

/// The address a request came from, as the server decided it (the connection's peer, or
/// behind a trusted proxy the address that proxy reports), put on each request.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddr(pub std::net::IpAddr);

/// This request's client address, for the limits on failed sign-ins.
pub async fn client_address() -> String {
    leptos_axum::extract::<axum::Extension<ClientAddr>>()
        .await
        .map(|axum::Extension(ClientAddr(ip))| ip.to_string())
        .unwrap_or_else(|_| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::{ABSOLUTE_LIFETIME_SECS, next_expiry};

    const IDLE: i64 = 600;

    #[test]
    fn each_request_moves_the_end_to_idle_after_it() {
        assert_eq!(next_expiry(1_000, IDLE, Some(900), None), Some(1_600));
        assert_eq!(
            next_expiry(2_000, IDLE, Some(900), Some(1_600)),
            Some(2_600)
        );
    }

    #[test]
    fn a_request_soon_after_the_last_write_writes_nothing() {
        assert_eq!(next_expiry(1_030, IDLE, Some(900), Some(1_600)), None);
        assert_eq!(
            next_expiry(1_060, IDLE, Some(900), Some(1_600)),
            Some(1_660)
        );
    }

    #[test]
    fn activity_never_carries_a_sign_in_past_its_absolute_end() {
        let end = 900 + ABSOLUTE_LIFETIME_SECS;
        assert_eq!(next_expiry(end - 100, IDLE, Some(900), None), Some(end));
        assert_eq!(next_expiry(end - 10, IDLE, Some(900), Some(end)), None);
    }

    #[test]
    fn a_visitors_session_without_a_sign_in_only_has_the_idle_limit() {
        assert_eq!(
            next_expiry(5_000_000_000, IDLE, None, None),
            Some(5_000_000_600)
        );
    }
}
