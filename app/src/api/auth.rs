//! Signing up, in and out. Passwords are hashed with argon2id; repeated failures are limited
//! per account and per client address, counted in the database so every app process agrees.
use super::AppError;
use crate::domain::id::UserId;
use crate::domain::invalid::Invalid;
use crate::domain::market::Market;
use crate::domain::role::Role;
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
    let password_hash = crate::service::accounts::hash_password(password).await?;
    let user = crate::ports::NewUser {
        full_name,
        login,
        password_hash,
        role,
    };
    let user_id = crate::service::accounts::create(&ports, user).await?;
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
    let client = super::session::client_address().await;
    let ports = super::ports()?;
    let user_id =
        crate::service::accounts::verify_login(&ports, &login, &password, &client).await?;
    super::session::sign_in(&super::session::session().await?, user_id).await?;
    let role = ports.accounts.user(user_id).await?.map(|u| u.role);
    leptos_axum::redirect(&after_log_in(next.as_deref(), role));
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
    let admin = crate::authz::Admin::check(super::session::actor().await?)?;
    let login = Login::parse(&login).map_err(|e| AppError::field("login", e))?;
    crate::service::accounts::grant_manager(&super::ports()?, admin, &login, market).await?;
    super::notice::back_to("/admin", super::notice::MANAGER_GRANTED);
    Ok(())
}

/// An administrator takes a market manager's role back, once confirmed.
#[server(endpoint = "revoke_manager")]
pub async fn revoke_manager(user_id: UserId, confirmed: Option<String>) -> Result<(), AppError> {
    use crate::domain::confirm;
    let admin = crate::authz::Admin::check(super::session::actor().await?)?;
    confirm::confirmed(confirmed.as_deref()).map_err(super::error::unconfirmed)?;
    crate::service::accounts::revoke_manager(&super::ports()?, admin, user_id).await?;
    super::notice::back_to("/admin", super::notice::MANAGER_REVOKED);
    Ok(())
}

/// The market managers, for the administrator's page.
#[server(endpoint = "market_managers")]
pub async fn market_managers() -> Result<Vec<User>, AppError> {
    let admin = crate::authz::Admin::check(super::session::actor().await?)?;
    crate::service::accounts::managers(&super::ports()?, admin).await
}

/// Where to go after switching language: only a plain path on this site, else the home page.
pub fn safe_next(next: Option<&str>) -> String {
    local_path(next).unwrap_or("/").to_string()
}

/// Where to go after signing in: back to the page the visitor was on (`next`), or, when there
/// is none (or it is the sign-in or sign-up page, or not a plain path on this site), to where
/// the user's role works: a vendor to their orders, a market manager or an administrator to
/// the stalls awaiting review, a shopper to the home page.
pub fn after_log_in(next: Option<&str>, role: Option<Role>) -> String {
    let account_page = |path: &str| {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        matches!(path, "/login" | "/signup")
    };
    match local_path(next) {
        Some(path) if !account_page(path) => path.to_string(),
        _ => landing(role).to_string(),
    }
}

/// The page a user's role starts its work on.
pub fn landing(role: Option<Role>) -> &'static str {
    match role {
        Some(Role::Vendor) => "/my/orders",
        Some(Role::MarketManager | Role::Admin) => "/review",
        Some(Role::Shopper) | None => "/",
    }
}

/// `next` if it is a plain path on this site, so a crafted link can't send a freshly signed-in
/// vendor to another site. Browsers drop tabs and line breaks from addresses and read `\` as
/// `/`, so `/\t/evil.example` would become `//evil.example`: any whitespace, control character
/// or backslash refuses it, which also keeps the answer's `Location` header valid.
fn local_path(next: Option<&str>) -> Option<&str> {
    let plain_path = |path: &str| {
        let mut chars = path.chars();
        chars.next() == Some('/')
            && !matches!(chars.next(), Some('/' | '\\'))
            && !path
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    };
    next.filter(|path| plain_path(path))
}

#[cfg(test)]
mod tests {
    use super::{Role, after_log_in, safe_next};

    #[test]
    fn signing_in_returns_to_the_page_or_lands_where_the_role_works() {
        let vendor = Some(Role::Vendor);
        assert_eq!(
            after_log_in(Some("/markets/sa-pa"), vendor),
            "/markets/sa-pa"
        );
        assert_eq!(after_log_in(Some("/"), vendor), "/");
        assert_eq!(after_log_in(None, vendor), "/my/orders");
        assert_eq!(after_log_in(None, Some(Role::MarketManager)), "/review");
        assert_eq!(after_log_in(None, Some(Role::Admin)), "/review");
        assert_eq!(after_log_in(None, Some(Role::Shopper)), "/");
        for refused in [
            "https://evil.example/",
            "//evil.example",
            "/login?next=/cart",
            "/signup",
        ] {
            assert_eq!(
                after_log_in(Some(refused), vendor),
                "/my/orders",
                "{refused}"
            );
        }
    }

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
