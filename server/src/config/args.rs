//! The settings as the command line or the environment give them: one declaration each, with
//! its flag, its variable, its default and how its value is read. `choso --help` lists them.
use super::DatabaseUrl;
use super::values::{basis_points, minutes_within, on_or_off, only_one, some_minutes};
use crate::payments::StripeArgs;
use app::domain::order::{ExpiryPolicy, HoldLimits, PlatformFee};
use clap::ArgAction;
use std::path::PathBuf;

/// Read once with the command line; [`super::Settings::resolve`] turns them into the settings
/// the server runs with.
#[derive(clap::Args, Clone, Debug)]
#[command(next_help_heading = "Settings (each flag's environment variable sets it too)")]
pub struct SettingsArgs {
    /// sqlite://… (embedded, WAL mode) or postgres://user:pass@host/db; prefer the variable when
    /// it holds a password [default: sqlite://DIR/choso.db?mode=rwc in --data-dir]
    #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<DatabaseUrl>,

    /// Where the embedded database and uploaded photos live
    #[arg(
        long,
        env = "CHOSO_DATA_DIR",
        value_name = "DIR",
        default_value = "data"
    )]
    pub data_dir: PathBuf,

    /// 1: seed demo data into an empty database at start
    #[arg(
        long,
        env = "CHOSO_DEMO",
        value_name = "1",
        action = ArgAction::Set,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "1",
        default_value = "0",
        value_parser = only_one,
    )]
    pub demo: bool,

    /// 1: without Stripe keys, send card payments to the built-in Stripe stand-in (no money
    /// moves; the pages say so). Implied by --demo. Otherwise card payments are off until
    /// STRIPE_SECRET_KEY is set
    #[arg(
        long,
        env = "CHOSO_CARD_STAND_IN",
        value_name = "1",
        action = ArgAction::Set,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "1",
        default_value = "0",
        value_parser = only_one,
    )]
    pub card_stand_in: bool,

    /// 1: run the built-in payOS and SePay stand-in: each stall linked to a service gets an
    /// account there, and order pages link to its bank page to make a test transfer (no money
    /// moves). Implied by --demo
    #[arg(
        long,
        env = "CHOSO_BANK_STAND_IN",
        value_name = "1",
        action = ArgAction::Set,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "1",
        default_value = "0",
        value_parser = only_one,
    )]
    pub bank_stand_in: bool,

    /// The site's public address: where Stripe sends shoppers back and the base of the Open
    /// Graph addresses (else the request's host); an https:// one makes the session cookie
    /// Secure
    #[arg(long, env = "CHOSO_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,

    /// Force the session cookie's Secure flag on or off [default: on with an https:// public
    /// URL]
    #[arg(
        long,
        env = "CHOSO_SECURE_COOKIES",
        value_name = "BOOL",
        action = ArgAction::Set,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        value_parser = on_or_off("CHOSO_SECURE_COOKIES"),
    )]
    pub secure_cookies: Option<bool>,

    /// Sign out after this long without a request (a sign-in also ends after 30 days however
    /// active)
    #[arg(
        long,
        env = "CHOSO_SESSION_IDLE_MINUTES",
        value_name = "MINUTES",
        default_value_t = 7 * 24 * 60,
        value_parser = some_minutes("CHOSO_SESSION_IDLE_MINUTES"),
    )]
    pub session_idle_minutes: u64,

    /// Behind a load balancer: the failed-sign-in limit per address then uses the address the
    /// balancer appends to X-Forwarded-For (never trusted otherwise)
    #[arg(
        long,
        env = "CHOSO_TRUST_PROXY",
        value_name = "BOOL",
        action = ArgAction::Set,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        default_value = "false",
        value_parser = on_or_off("CHOSO_TRUST_PROXY"),
    )]
    pub trust_proxy: bool,

    /// How long a card order waits for its payment before it expires and frees its stock (30
    /// to 1440: its Checkout Session closes with it, and Stripe keeps one open 24 hours at most)
    #[arg(
        long,
        env = "CHOSO_CARD_PAYMENT_MINUTES",
        value_name = "MINUTES",
        default_value_t = ExpiryPolicy::default().card_minutes,
        value_parser = minutes_within("CHOSO_CARD_PAYMENT_MINUTES", CARD_MINUTES),
    )]
    pub card_payment_minutes: u32,

    /// The same for a VietQR transfer (30 minutes to 30 days)
    #[arg(
        long,
        env = "CHOSO_TRANSFER_PAYMENT_MINUTES",
        value_name = "MINUTES",
        default_value_t = ExpiryPolicy::default().transfer_minutes,
        value_parser = minutes_within("CHOSO_TRANSFER_PAYMENT_MINUTES", TRANSFER_MINUTES),
    )]
    pub transfer_payment_minutes: u32,

    /// The platform's share of card payments, in 1/100 % (250 = 2.5 %), kept from what the
    /// ledger owes the stall
    #[arg(
        long,
        env = "CHOSO_PLATFORM_FEE_BASIS_POINTS",
        value_name = "BASIS_POINTS",
        default_value_t = PlatformFee::default().basis_points,
        value_parser = basis_points("CHOSO_PLATFORM_FEE_BASIS_POINTS"),
    )]
    pub platform_fee_basis_points: u32,

    /// The most unpaid checkouts one visitor session holds at once (each holds stock)
    #[arg(
        long,
        env = "CHOSO_UNPAID_PER_SESSION",
        value_name = "COUNT",
        default_value_t = HoldLimits::default().per_session,
        value_parser = clap::value_parser!(u32).range(1..=1000),
    )]
    pub unpaid_per_session: u32,

    /// The most unpaid checkouts one phone number holds at once
    #[arg(
        long,
        env = "CHOSO_UNPAID_PER_PHONE",
        value_name = "COUNT",
        default_value_t = HoldLimits::default().per_phone,
        value_parser = clap::value_parser!(u32).range(1..=1000),
    )]
    pub unpaid_per_phone: u32,

    /// The most unpaid checkouts placed from one network address at once (a hotel's or a
    /// market's Wi-Fi is one address for many shoppers)
    #[arg(
        long,
        env = "CHOSO_UNPAID_PER_ADDRESS",
        value_name = "COUNT",
        default_value_t = HoldLimits::default().per_address,
        value_parser = clap::value_parser!(u32).range(1..=100_000),
    )]
    pub unpaid_per_address: u32,

    #[command(flatten)]
    pub stripe: StripeArgs,

    /// What to log (tracing's filter syntax)
    #[arg(
        long,
        env = "RUST_LOG",
        value_name = "FILTER",
        default_value = super::DEFAULT_LOG_FILTER
    )]
    pub log: String,

    /// How log lines are written: `text` for people, `json` (one object per line) for a log
    /// collector
    #[arg(long, env = "RUST_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: crate::telemetry::LogFormat,
}

/// A card order's window is its Checkout Session's life, which Stripe bounds to between 30
/// minutes and 24 hours.
const CARD_MINUTES: std::ops::RangeInclusive<u32> = 30..=24 * 60;
/// A transfer has no such bound but gets the same floor, and at most 30 days.
const TRANSFER_MINUTES: std::ops::RangeInclusive<u32> = 30..=30 * 24 * 60;
