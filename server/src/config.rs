//! Settings: declared once ([`SettingsArgs`], the README's table, listed by `choso --help`),
//! read once with the command line, then resolved into the [`Settings`] the server runs with.
mod args;
mod database_url;
mod secrets;
pub(crate) mod values;

pub use args::SettingsArgs;
pub use database_url::DatabaseUrl;
pub use secrets::Secrets;

use anyhow::Context;
use clap::{Args, FromArgMatches};
use secrecy::SecretString;
use std::ffi::OsString;
use std::path::PathBuf;

/// What the server logs when `RUST_LOG` does not say: its own news, not every query.
pub const DEFAULT_LOG_FILTER: &str = "info,sqlx=warn,sea_orm=warn";

/// `Debug` shows no secret: the keys and passwords are `SecretString`s and the database address
/// prints with its password masked.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `sqlite://data/choso.db?mode=rwc` by default, or `postgres://…`.
    pub database_url: DatabaseUrl,
    /// Where the embedded database and uploaded photos live.
    pub data_dir: PathBuf,
    /// Seed demo data into an empty database when serving starts (`CHOSO_DEMO=1`).
    pub demo: bool,
    /// Mark the session cookie `Secure`: on whenever the site is served over HTTPS.
    pub secure_cookies: bool,
    /// Sign a visitor out after this long without a request (`CHOSO_SESSION_IDLE_MINUTES`).
    pub session_idle: std::time::Duration,
    /// Requests come through a load balancer that appends the client to `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// The site's public address (`CHOSO_PUBLIC_URL`), where Stripe sends shoppers back;
    /// by default the address the server listens on.
    pub public_url: Option<String>,
    /// Stripe's keys; without them card payments are off, or go to the built-in Stripe
    /// stand-in when `card_stand_in`.
    pub stripe: Option<crate::payments::StripeSettings>,
    /// Without Stripe's keys, take simulated card payments through the built-in stand-in
    /// (`CHOSO_CARD_STAND_IN=1`, implied by the demo).
    pub card_stand_in: bool,
    /// Run the built-in payOS and SePay stand-in (`CHOSO_BANK_STAND_IN=1`, implied by the demo).
    pub bank_stand_in: bool,
    /// Where payOS's and SePay's APIs are reached instead of their own addresses: a stand-in
    /// run apart, as the tests do. `None` (always, outside tests) is the real services.
    pub bank_api_url: Option<String>,
    /// How long orders wait for a card payment or a transfer before they expire.
    pub expiry: app::domain::order::ExpiryPolicy,
    /// The platform's share of card payments (`CHOSO_PLATFORM_FEE_BASIS_POINTS`, 0 by default).
    pub platform_fee: app::domain::order::PlatformFee,
    /// How many unpaid checkouts a shopper may hold at once.
    pub hold_limits: app::domain::order::HoldLimits,
    /// The password `choso admin create` gives the new administrator (`CHOSO_ADMIN_PASSWORD`);
    /// without it the command reads one from standard input.
    pub admin_password: Option<SecretString>,
    /// The key that seals vendors' bank-notification keys (`CHOSO_SECRET_KEY`); without it,
    /// one is generated once into the data folder (see [`crate::sealed`]).
    pub secret_key: Option<SecretString>,
    /// What to log (`RUST_LOG`).
    pub log_filter: String,
    /// How log lines are written (`RUST_LOG_FORMAT`).
    pub log_format: crate::telemetry::LogFormat,
    /// How shoppers' open order pages are kept up to date.
    pub live: crate::live::LiveSettings,
    /// The system clock; tests set their own to walk through past dates.
    pub clock: app::ports::Clock,
}

impl Settings {
    /// The settings from what the command line and the environment gave, and the secrets.
    /// Each value was checked as it was read; what is left is what depends on several.
    pub fn resolve(args: SettingsArgs, secrets: Secrets) -> anyhow::Result<Self> {
        let SettingsArgs {
            database_url,
            data_dir,
            demo,
            card_stand_in,
            bank_stand_in,
            public_url,
            secure_cookies,
            session_idle_minutes,
            trust_proxy,
            card_payment_minutes,
            transfer_payment_minutes,
            platform_fee_basis_points,
            unpaid_per_session,
            unpaid_per_phone,
            unpaid_per_address,
            stripe,
            log,
            log_format,
        } = args;
        let public_url = public_url
            .map(|url| url.trim().trim_end_matches('/').to_owned())
            .filter(|url| !url.is_empty());
        let stripe = crate::payments::StripeSettings::resolve(
            secrets.stripe_secret_key,
            secrets.stripe_webhook_secret,
            stripe,
        )
        .context("Stripe settings")?;
        Ok(Settings {
            database_url: database_url
                .filter(|url| !url.trim().is_empty())
                .unwrap_or_else(|| DatabaseUrl::sqlite_in(&data_dir)),
            data_dir,
            demo,
            secure_cookies: secure_cookies.unwrap_or_else(|| {
                public_url
                    .as_deref()
                    .is_some_and(|url| url.starts_with("https://"))
            }),
            session_idle: std::time::Duration::from_secs(session_idle_minutes * 60),
            trust_proxy,
            public_url,
            stripe,
            card_stand_in: card_stand_in || demo,
            bank_stand_in: bank_stand_in || demo,
            bank_api_url: None,
            expiry: app::domain::order::ExpiryPolicy {
                card_minutes: card_payment_minutes,
                transfer_minutes: transfer_payment_minutes,
            },
            platform_fee: app::domain::order::PlatformFee {
                basis_points: platform_fee_basis_points,
            },
            hold_limits: app::domain::order::HoldLimits {
                per_session: unpaid_per_session,
                per_phone: unpaid_per_phone,
                per_address: unpaid_per_address,
            },
            admin_password: secrets.admin_password,
            secret_key: secrets.secret_key,
            log_filter: log,
            log_format,
            live: crate::live::LiveSettings::default(),
            clock: app::ports::Clock::system(),
        })
    }

    /// Every setting at its default and no secret, whatever the environment holds: what the
    /// tests start from before changing what they need.
    pub fn defaults() -> Self {
        let args = args_alone::<SettingsArgs>([""; 0]).expect("the defaults are valid settings");
        Self::resolve(args, Secrets::default()).expect("the defaults need no secret")
    }

    pub fn photo_dir(&self) -> PathBuf {
        self.data_dir.join("photos")
    }
}

/// Parses `words` as a command line of these arguments alone, with every environment variable
/// ignored: settings read this way do not depend on the machine the tests run on.
pub fn args_alone<A: Args + FromArgMatches>(
    words: impl IntoIterator<Item = impl Into<OsString>>,
) -> Result<A, clap::Error> {
    let command =
        A::augment_args(clap::Command::new("choso")).mut_args(|arg| arg.env(None::<&'static str>));
    let words = std::iter::once(OsString::from("choso")).chain(words.into_iter().map(Into::into));
    let matches = command.try_get_matches_from(words)?;
    A::from_arg_matches(&matches)
}

/// The end of `choso --help`: the variables that are not flags.
pub fn help_on_other_variables() -> String {
    format!(
        "{}\n\nLeptos reads its own settings from LEPTOS_SITE_ADDR (the address and port to \
         serve on), LEPTOS_SITE_ROOT (the built browser bundle and static files) and the other \
         LEPTOS_* variables.",
        Secrets::help()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn settings(words: &[&str], secrets: Secrets) -> anyhow::Result<Settings> {
        Settings::resolve(args_alone(words.iter().copied())?, secrets)
    }

    #[test]
    fn the_defaults_are_the_readmes() {
        let settings = Settings::defaults();
        assert_eq!(&*settings.database_url, "sqlite://data/choso.db?mode=rwc");
        assert_eq!(settings.data_dir, PathBuf::from("data"));
        assert!(!settings.demo && !settings.secure_cookies && !settings.trust_proxy);
        assert_eq!(settings.session_idle.as_secs(), 7 * 24 * 60 * 60);
        assert_eq!(settings.public_url, None);
        assert!(settings.stripe.is_none() && settings.admin_password.is_none());
        assert!(!settings.card_stand_in, "no stand-in unless asked for");
        assert_eq!(settings.expiry, Default::default());
        assert_eq!(settings.expiry.card_minutes, 30);
        assert_eq!(settings.expiry.transfer_minutes, 1440);
        assert_eq!(settings.platform_fee.basis_points, 0);
        assert_eq!(settings.log_filter, DEFAULT_LOG_FILTER);
    }

    #[test]
    fn the_database_follows_the_data_folder_and_https_makes_cookies_secure() {
        let settings = settings(
            &[
                "--data-dir",
                "/srv/choso",
                "--public-url",
                "https://cho.example/",
                "--trust-proxy",
                "--demo",
                "--card-payment-minutes",
                "45",
            ],
            Secrets::default(),
        )
        .unwrap();
        assert_eq!(
            &*settings.database_url,
            "sqlite:///srv/choso/choso.db?mode=rwc"
        );
        assert_eq!(settings.public_url.as_deref(), Some("https://cho.example"));
        assert!(settings.secure_cookies && settings.trust_proxy && settings.demo);
        assert!(
            settings.card_stand_in,
            "the demo takes simulated card payments"
        );
        assert_eq!(settings.expiry.card_minutes, 45);
        let forced_off = settings_with(&["--public-url=https://x", "--secure-cookies=off"]);
        assert!(!forced_off.secure_cookies);
    }

    fn settings_with(words: &[&str]) -> Settings {
        settings(words, Secrets::default()).unwrap()
    }

    #[test]
    fn a_wrong_value_is_refused_with_its_variable_named() {
        let error = settings(&["--card-payment-minutes", "abc"], Secrets::default())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(
                "CHOSO_CARD_PAYMENT_MINUTES must be a whole number of minutes from 30 to 1440"
            ),
            "{error}"
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        let secrets = Secrets {
            stripe_secret_key: Some("sk_test_k3y".into()),
            stripe_webhook_secret: Some("whsec_s1gn".into()),
            admin_password: Some("p4ssw0rd-admin".into()),
            secret_key: Some("5ea1".repeat(16).into()),
        };
        let settings = settings(
            &["--database-url", "postgres://choso:db-pa55@db/choso"],
            secrets,
        )
        .unwrap();
        assert_eq!(
            settings.stripe.as_ref().unwrap().secret_key.expose_secret(),
            "sk_test_k3y"
        );
        let debug = format!("{settings:?}");
        for secret in [
            "sk_test_k3y",
            "whsec_s1gn",
            "p4ssw0rd-admin",
            "db-pa55",
            "5ea15ea1",
        ] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
        assert!(debug.contains("postgres://choso:***@db/choso"), "{debug}");
    }
}
