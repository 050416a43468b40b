//! Settings, read once from the environment (see the README's table).
use anyhow::Context;
use std::ops::RangeInclusive;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Settings {
    /// `sqlite://data/choso.db?mode=rwc` by default, or `postgres://…`.
    pub database_url: String,
    /// Where the embedded database and uploaded photos live.
    pub data_dir: PathBuf,
    /// Mark the session cookie `Secure`: on whenever the site is served over HTTPS.
    pub secure_cookies: bool,
    /// Sign a visitor out after this long without a request (`CHOSO_SESSION_IDLE_MINUTES`).
    pub session_idle: std::time::Duration,
    /// Requests come through a load balancer that appends the client to `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// The site's public address (`CHOSO_PUBLIC_URL`), where Stripe sends shoppers back;
    /// by default the address the server listens on.
    pub public_url: Option<String>,
    /// Stripe's keys; without them card payments go to the built-in Stripe stand-in.
    pub stripe: Option<crate::payments::StripeSettings>,
    /// How long orders wait for a card payment or a transfer before they expire.
    pub expiry: app::domain::order::ExpiryPolicy,
    /// The platform's share of card payments (`CHOSO_PLATFORM_FEE_BASIS_POINTS`, 0 by default).
    pub platform_fee: app::domain::order::PlatformFee,
    /// The system clock; tests set their own to walk through past dates.
    pub clock: app::ports::Clock,
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Self> {
        let data_dir =
            PathBuf::from(std::env::var("CHOSO_DATA_DIR").unwrap_or_else(|_| "data".into()));
        let database_url = std::env::var("DATABASE_URL")
            .unwrap_or_else(|_| format!("sqlite://{}/choso.db?mode=rwc", data_dir.display()));
        let secure_cookies = match std::env::var("CHOSO_SECURE_COOKIES") {
            Ok(v) => parse_bool(&v).context("CHOSO_SECURE_COOKIES")?,
            Err(_) => std::env::var("CHOSO_PUBLIC_URL").is_ok_and(|u| u.starts_with("https://")),
        };
        let session_idle_minutes: u64 = match std::env::var("CHOSO_SESSION_IDLE_MINUTES") {
            Ok(v) => v.parse().ok().filter(|m| *m > 0).context(
                "CHOSO_SESSION_IDLE_MINUTES must be a whole number of minutes, at least 1",
            )?,
            Err(_) => 7 * 24 * 60,
        };
        let trust_proxy = match std::env::var("CHOSO_TRUST_PROXY") {
            Ok(v) => parse_bool(&v).context("CHOSO_TRUST_PROXY")?,
            Err(_) => false,
        };
        let stripe = crate::payments::StripeSettings::from_env().context("Stripe settings")?;
        // A card order's window is its Checkout Session's life, which Stripe bounds to between
        // 30 minutes and 24 hours; a transfer has no such bound but gets the same floor.
        let minutes =
            |name: &str, default: u32, allowed: RangeInclusive<u32>| match std::env::var(name) {
                Ok(v) => minutes_within(&v, &allowed).with_context(|| {
                    format!(
                        "{name} must be a whole number of minutes from {} to {}",
                        allowed.start(),
                        allowed.end()
                    )
                }),
                Err(_) => Ok(default),
            };
        let defaults = app::domain::order::ExpiryPolicy::default();
        let expiry = app::domain::order::ExpiryPolicy {
            card_minutes: minutes(
                "CHOSO_CARD_PAYMENT_MINUTES",
                defaults.card_minutes,
                30..=1440,
            )?,
            transfer_minutes: minutes(
                "CHOSO_TRANSFER_PAYMENT_MINUTES",
                defaults.transfer_minutes,
                30..=30 * 24 * 60,
            )?,
        };
        Ok(Settings {
            database_url,
            data_dir,
            secure_cookies,
            session_idle: std::time::Duration::from_secs(session_idle_minutes * 60),
            trust_proxy,
            public_url: std::env::var("CHOSO_PUBLIC_URL")
                .ok()
                .map(|u| u.trim_end_matches('/').to_string()),
            stripe,
            expiry,
            clock: app::ports::Clock::system(),
            platform_fee: app::domain::order::PlatformFee {
                basis_points: match std::env::var("CHOSO_PLATFORM_FEE_BASIS_POINTS") {
                    Ok(v) => v
                        .parse()
                        .ok()
                        .filter(|b| *b <= 10_000)
                        .context("CHOSO_PLATFORM_FEE_BASIS_POINTS must be 0 to 10000")?,
                    Err(_) => 0,
                },
            },
        })
    }

    pub fn photo_dir(&self) -> PathBuf {
        self.data_dir.join("photos")
    }
}

/// A whole number of minutes inside `allowed`, or nothing.
fn minutes_within(raw: &str, allowed: &RangeInclusive<u32>) -> Option<u32> {
    raw.trim().parse().ok().filter(|m| allowed.contains(m))
}

fn parse_bool(v: &str) -> anyhow::Result<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => anyhow::bail!("expected true or false, got {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::minutes_within;

    #[test]
    fn a_payment_window_is_whole_minutes_within_its_bounds() {
        let card = 30..=1440;
        assert_eq!(minutes_within(" 45 ", &card), Some(45));
        assert_eq!(minutes_within("1440", &card), Some(1440));
        assert_eq!(minutes_within("29", &card), None);
        assert_eq!(
            minutes_within("1441", &card),
            None,
            "longer than a Checkout Session lives"
        );
        assert_eq!(minutes_within("1.5", &card), None);
    }
}
