//! Accounts: passwords hashed with argon2id, signing in within the limits on failed attempts,
//! and appointing market managers.
use crate::api::AppError;
use crate::api::error::unexpected;
use crate::authz::Admin;
use crate::domain::email::Login;
use crate::domain::id::UserId;
use crate::domain::invalid::Invalid;
use crate::domain::market::Market;
use crate::domain::role::{Role, may_become_manager, role_after_managing};
use crate::model::User;
use crate::ports::{NewUser, Ports, StoreError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::Duration;

/// Failures allowed per account, and per client address, within [`WINDOW_MINUTES`].
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: u64 = 30;
pub const WINDOW_MINUTES: i64 = 15;

/// Argon2id with the crate's defaults (19 MiB, 2 passes), off the async threads.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    PASSWORD_WORK
        .run(move || {
            let salt = SaltString::generate(&mut rand::rngs::OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
        })
        .await?
        .map_err(unexpected)
}

async fn password_matches(password: String, hash: String) -> Result<bool, AppError> {
    PASSWORD_WORK
        .run(move || {
            let parsed = PasswordHash::new(&hash).map_err(unexpected)?;
            Ok(Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok())
        })
        .await?
}

/// Password hashing at most one per core at a time. Each takes 19 MiB and a core for tens of
/// milliseconds, and sign-ins and sign-ups come from strangers: a burst from many addresses (the
/// per-address limit counts each alone) would otherwise run them all at once, each on a thread
/// of its own, and take the server's memory. The rest wait their turn.
static PASSWORD_WORK: std::sync::LazyLock<BlockingWork> = std::sync::LazyLock::new(|| {
    BlockingWork::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
});

/// CPU-bound work run off the async threads, at most `permits` at once.
pub struct BlockingWork(tokio::sync::Semaphore);

impl BlockingWork {
    pub fn new(permits: usize) -> Self {
        Self(tokio::sync::Semaphore::new(permits))
    }

    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let _permit = self.0.acquire().await.map_err(unexpected)?;
        tokio::task::spawn_blocking(work).await.map_err(unexpected)
    }
}

/// A hash of nothing in particular, verified when the login is unknown so that an unknown
/// login takes as long to refuse as a wrong password.
const DECOY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Wq0c0VrJ7XDrAIBa3HrENCpK6ZJEW1ccT3YOWs1i7lk";

/// Opens an account; a login already in use is refused under the `login` field.
#[tracing::instrument(skip_all)]
pub async fn create(ports: &Ports, user: NewUser) -> Result<UserId, AppError> {
    ports.accounts.create(user).await.map_err(|err| match err {
        StoreError::Taken(_) => AppError::field("login", Invalid::Taken),
        other => other.into(),
    })
}

/// Checks a password, at most [`MAX_FAILURES_PER_ACCOUNT`] times per account (and
/// [`MAX_FAILURES_PER_ADDRESS`] per `client_address`) within the window. The attempt is
/// counted before the password is checked: each guess of a parallel burst then sees the
/// others, so no more than the limit are ever checked. A right password takes its own count
/// back. Returns the user's id.
#[tracing::instrument(skip_all)]
pub async fn verify_login(
    ports: &Ports,
    login: &Login,
    password: &str,
    client_address: &str,
) -> Result<UserId, AppError> {
    let account_key = format!("login:{}", login.as_str());
    let address_key = format!("addr:{client_address}");
    let now = ports.clock.now();
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

/// An administrator makes the user signing in with `login` the manager of `market`; not an
/// administrator, nor a vendor who owns a stall (see [`may_become_manager`]).
#[tracing::instrument(skip_all)]
pub async fn grant_manager(
    ports: &Ports,
    _by: Admin,
    login: &Login,
    market: Market,
) -> Result<(), AppError> {
    let user = ports
        .accounts
        .by_login(login)
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

/// An administrator takes a market manager's role back: they become a vendor again if they
/// kept a stall, else a shopper.
#[tracing::instrument(skip_all, fields(user = %user_id))]
pub async fn revoke_manager(ports: &Ports, _by: Admin, user_id: UserId) -> Result<(), AppError> {
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
#[tracing::instrument(skip_all)]
pub async fn managers(ports: &Ports, _by: Admin) -> Result<Vec<User>, AppError> {
    Ok(ports.accounts.with_role(Role::MarketManager).await?)
}

#[cfg(test)]
mod tests {
    use super::BlockingWork;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn blocking_work_runs_no_more_than_its_permits_at_once() {
        let work = Arc::new(BlockingWork::new(2));
        let (running, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let tasks: Vec<_> = (0..12)
            .map(|_| {
                let (work, running, most) = (work.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    work.run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }
}
