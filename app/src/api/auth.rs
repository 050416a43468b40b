//! Signing up, in and out. Passwords are hashed with argon2id; repeated failures are limited
//! per account and per client address, counted in the database so every app process agrees.
use super::AppError;
use crate::domain::invalid::Invalid;
use crate::domain::market::Market;
use crate::model::User;
use leptos::prelude::*;

pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

/// Which kind of account a visitor opens for themselves; staff roles are granted, never chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignUpAs {
    Shopper,
    Vendor,
}

pub fn check_password(password: &str) -> Result<(), Invalid> {
    match password.chars().count() {
        n if n < PASSWORD_MIN => Err(Invalid::TooShort { min: PASSWORD_MIN }),
        n if n > PASSWORD_MAX => Err(Invalid::TooLong { max: PASSWORD_MAX }),
        _ => Ok(()),
    }
}

/// The sign-up form as it comes back when refused: everything but the password, which is
/// never kept.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SignUpFields {
    pub full_name: String,
    pub login: String,
    pub account: Option<SignUpAs>,
}

/// The sign-up form's name for [`super::refused`].
pub const SIGN_UP_FORM: &str = "sign_up";

#[server(endpoint = "sign_up")]
pub async fn sign_up(
    full_name: String,
    login: String,
    password: String,
    account: SignUpAs,
) -> Result<(), AppError> {
    let kept = SignUpFields {
        full_name: full_name.clone(),
        login: login.clone(),
        account: Some(account),
    };
    let created = create_account(full_name, login, password, account);
    super::refused::keeping(SIGN_UP_FORM, &kept, created).await
}

#[cfg(feature = "ssr")]
async fn create_account(
    full_name: String,
    login: String,
    password: String,
    account: SignUpAs,
) -> Result<(), AppError> {
    use crate::domain::email::Login;
    use crate::domain::invalid::{FieldErrors, NAME_MAX, required_text};
    use crate::domain::role::Role;
    let mut errors = FieldErrors::new();
    let full_name = errors.check("full_name", required_text(&full_name, NAME_MAX));
    let login = errors.check("login", Login::parse(&login));
    errors.check("password", check_password(&password));
    errors.into_result()?;
    let (Some(full_name), Some(login)) = (full_name, login) else {
        unreachable!("every field parsed when there are no errors")
    };
    let role = match account {
        SignUpAs::Shopper => Role::Shopper,
        SignUpAs::Vendor => Role::Vendor,
    };
    let ports = super::ports()?;
    let password_hash = server::hash_password(password).await?;
    let user_id = ports
        .accounts
        .create(crate::ports::NewUser {
            full_name,
            login,
            password_hash,
            role,
        })
        .await
        .map_err(|err| match err {
            crate::ports::StoreError::Taken(_) => AppError::field("login", Invalid::Taken),
            other => other.into(),
        })?;
    super::session::sign_in(&super::session::session().await?, user_id).await?;
    leptos_axum::redirect(match role {
        Role::Vendor => "/my/stall",
        _ => "/",
    });
    Ok(())
}

#[server(endpoint = "log_in")]
pub async fn log_in(login: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::domain::email::Login;
    let login = Login::parse(&login).map_err(|_| AppError::BadCredentials)?;
    let user_id = server::verify_login(&login, &password).await?;
    super::session::sign_in(&super::session::session().await?, user_id).await?;
    leptos_axum::redirect(&safe_next(next.as_deref()));
    Ok(())
}

#[server(endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    super::session::sign_out(&super::session::session().await?).await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "who_am_i")]
pub async fn who_am_i() -> Result<Option<User>, AppError> {
    super::session::current_user().await
}

/// An administrator makes a user the manager of one market; not an administrator, nor a
/// vendor who owns a stall (see [`may_become_manager`](crate::domain::role::may_become_manager)).
#[server(endpoint = "grant_manager")]
pub async fn grant_manager(login: String, market: Market) -> Result<(), AppError> {
    use crate::domain::email::Login;
    use crate::domain::role::{Role, may_become_manager};
    server::administrator().await?;
    let login = Login::parse(&login).map_err(|e| AppError::field("login", e))?;
    let ports = super::ports()?;
    let user = ports
        .accounts
        .by_login(&login)
        .await?
        .ok_or_else(|| AppError::field("login", Invalid::Unknown))?;
    let owns_stall = ports.stalls.by_owner(user.id).await?.is_some();
    may_become_manager(user.role, owns_stall).map_err(|e| AppError::field("login", e))?;
    ports
        .accounts
        .set_role(user.id, Role::MarketManager, Some(market))
        .await?;
    Ok(())
}

/// An administrator takes a market manager's role back.
#[server(endpoint = "revoke_manager")]
pub async fn revoke_manager(user_id: i64) -> Result<(), AppError> {
    use crate::domain::role::{Role, role_after_managing};
    server::administrator().await?;
    let ports = super::ports()?;
    let user = ports
        .accounts
        .user(user_id)
        .await?
        .filter(|u| u.role == Role::MarketManager)
        .ok_or(AppError::NotFound)?;
    let owns_stall = ports.stalls.by_owner(user.id).await?.is_some();
    ports
        .accounts
        .set_role(user.id, role_after_managing(owns_stall), None)
        .await?;
    Ok(())
}

/// The market managers, for the administrator's page.
#[server(endpoint = "market_managers")]
pub async fn market_managers() -> Result<Vec<User>, AppError> {
    server::administrator().await?;
    Ok(super::ports()?
        .accounts
        .with_role(crate::domain::role::Role::MarketManager)
        .await?)
}

/// Where to go after signing in (or switching language): only a plain path on this site, so a
/// crafted link can't send a freshly signed-in vendor to another site. Browsers drop tabs and
/// line breaks from addresses and read `\` as `/`, so `/\t/evil.example` would become
/// `//evil.example`: any whitespace, control character or backslash falls back to the home page,
/// which also keeps the answer's `Location` header valid.
pub fn safe_next(next: Option<&str>) -> String {
    let plain_path = |path: &str| {
        let mut chars = path.chars();
        chars.next() == Some('/')
            && !matches!(chars.next(), Some('/' | '\\'))
            && !path
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    };
    match next {
        Some(path) if plain_path(path) => path.to_string(),
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn a_plain_path_on_this_site_is_kept() {
        for path in [
            "/",
            "/my/stall",
            "/search?q=m%E1%BA%ADt+ong",
            "/products/3#photos",
        ] {
            assert_eq!(safe_next(Some(path)), path);
        }
    }

    #[test]
    fn anything_a_browser_could_read_as_another_site_goes_home() {
        for next in [
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example/phish",
            "/\n/evil.example",
            "/ /evil.example",
            "/%0a\r\nSet-Cookie: x=1",
            "/ok\r\nLocation: https://evil.example",
            "/a\\b",
            "/a\u{0}b",
            "/a\u{a0}b",
            "https://evil.example",
            "evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(next)), "/", "{next:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::AppError;
    use crate::api::error::unexpected;
    use crate::domain::email::Login;
    use argon2::Argon2;
    use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
    use chrono::{Duration, Utc};

    /// Failures allowed per account, and per client address, within [`WINDOW_MINUTES`].
    pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
    pub const MAX_FAILURES_PER_ADDRESS: u64 = 30;
    pub const WINDOW_MINUTES: i64 = 15;

    /// Argon2id with the crate's defaults (19 MiB, 2 passes), off the async threads.
    pub async fn hash_password(password: String) -> Result<String, AppError> {
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut rand::rngs::OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
        })
        .await
        .map_err(unexpected)?
        .map_err(unexpected)
    }

    async fn password_matches(password: String, hash: String) -> Result<bool, AppError> {
        tokio::task::spawn_blocking(move || {
            let parsed = PasswordHash::new(&hash).map_err(unexpected)?;
            Ok(Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok())
        })
        .await
        .map_err(unexpected)?
    }

    /// A hash of nothing in particular, verified when the login is unknown so that an unknown
    /// login takes as long to refuse as a wrong password.
    const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Wq0c0VrJ7XDrAIBa3HrENCpK6ZJEW1ccT3YOWs1i7lk";

    /// Checks a password, at most [`MAX_FAILURES_PER_ACCOUNT`] times per account (and
    /// [`MAX_FAILURES_PER_ADDRESS`] per address) within the window. The attempt is counted
    /// before the password is checked: each guess of a parallel burst then sees the others, so
    /// no more than the limit are ever checked. A right password takes its own count back.
    pub async fn verify_login(login: &Login, password: &str) -> Result<i64, AppError> {
        let ports = crate::api::ports()?;
        let account_key = format!("login:{}", login.as_str());
        let address_key = format!("addr:{}", client_address().await);
        let now = Utc::now();
        let since = now - Duration::minutes(WINDOW_MINUTES);
        ports.accounts.record_failure(&account_key, now).await?;
        let address_attempt = ports.accounts.record_failure(&address_key, now).await?;
        if ports.accounts.failures_since(&account_key, since).await? > MAX_FAILURES_PER_ACCOUNT
            || ports.accounts.failures_since(&address_key, since).await? > MAX_FAILURES_PER_ADDRESS
        {
            return Err(AppError::TooManyAttempts);
        }
        let credentials = ports.accounts.credentials(login).await?;
        let hash = credentials
            .as_ref()
            .map_or(DECOY_HASH.to_string(), |c| c.password_hash.clone());
        let matches = password_matches(password.to_string(), hash).await?;
        match credentials {
            Some(c) if matches => {
                ports.accounts.clear_failures(&account_key).await?;
                ports.accounts.forget_failure(address_attempt).await?;
                Ok(c.user_id)
            }
            _ => Err(AppError::BadCredentials),
        }
    }

    /// The signed-in province administrator, or why not.
    pub async fn administrator() -> Result<crate::domain::role::Actor, AppError> {
        let actor = crate::api::session::actor().await?;
        if actor.role != crate::domain::role::Role::Admin {
            return Err(AppError::Forbidden);
        }
        Ok(actor)
    }

    /// The address a request came from, as the server decided it (the connection's peer, or
    /// behind a trusted proxy the address that proxy reports), put on each request.
    #[derive(Clone, Copy, Debug)]
    pub struct ClientAddr(pub std::net::IpAddr);

    async fn client_address() -> String {
        leptos_axum::extract::<axum::Extension<ClientAddr>>()
            .await
            .map(|axum::Extension(ClientAddr(ip))| ip.to_string())
            .unwrap_or_else(|_| "unknown".to_string())
    }
}
