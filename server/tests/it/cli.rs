//! The `choso` command line as an operator meets it: help whatever the environment holds, each
//! setting listed with its variable, a wrong value refused with its variable named, and no
//! secret ever printed.
use std::process::{Command, Output};

/// `choso` run with these arguments and these variables alone: nothing from the environment
/// of the machine running the tests takes part.
fn choso(args: &[&str], vars: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_choso"))
        .args(args)
        .env_clear()
        .envs(vars.iter().copied())
        .output()
        .expect("running choso")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every setting wrong at once, or unusable together.
const WRONG: &[(&str, &str)] = &[
    ("CHOSO_CARD_PAYMENT_MINUTES", "abc"),
    ("CHOSO_TRANSFER_PAYMENT_MINUTES", "5"),
    ("CHOSO_SESSION_IDLE_MINUTES", "0"),
    ("CHOSO_PLATFORM_FEE_BASIS_POINTS", "-1"),
    ("CHOSO_TRUST_PROXY", "maybe"),
    ("CHOSO_SECURE_COOKIES", "perhaps"),
    ("STRIPE_SECRET_KEY", "sk_live_no_webhook_secret"),
];

#[test]
fn help_is_printed_whatever_the_settings_hold() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["help"],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["admin", "create", "--help"],
        &["report", "onboarding", "--help"],
    ] {
        let out = choso(args, WRONG);
        assert!(
            out.status.success(),
            "choso {args:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stdout).contains("Usage: choso"),
            "choso {args:?}: {}",
            text(&out.stdout)
        );
    }
}

#[test]
fn a_wrong_setting_is_refused_with_its_variable_named() {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap();
    let out = choso(
        &["migrate"],
        &[
            ("CHOSO_DATA_DIR", data_dir),
            ("CHOSO_CARD_PAYMENT_MINUTES", "abc"),
        ],
    );
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "CHOSO_CARD_PAYMENT_MINUTES must be a whole number of minutes from 30 to 1440"
        ),
        "{stderr}"
    );
    assert!(
        std::fs::read_dir(data.path()).unwrap().next().is_none(),
        "nothing was created"
    );
}

#[test]
fn the_help_lists_every_setting_with_its_variable() {
    let out = choso(&["--help"], &[]);
    let help = text(&out.stdout);
    for flag in [
        "DATABASE_URL",
        "CHOSO_DATA_DIR",
        "CHOSO_DEMO",
        "CHOSO_PUBLIC_URL",
        "CHOSO_SECURE_COOKIES",
        "CHOSO_SESSION_IDLE_MINUTES",
        "CHOSO_TRUST_PROXY",
        "CHOSO_CARD_PAYMENT_MINUTES",
        "CHOSO_TRANSFER_PAYMENT_MINUTES",
        "CHOSO_PLATFORM_FEE_BASIS_POINTS",
        "STRIPE_API_BASE",
        "STRIPE_ALLOW_LIVE_KEY",
        "RUST_LOG",
    ] {
        assert!(help.contains(&format!("[env: {flag}")), "{flag} in {help}");
    }
    for env_only in [
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "CHOSO_ADMIN_PASSWORD",
        "LEPTOS_SITE_ADDR",
    ] {
        assert!(help.contains(env_only), "{env_only} in {help}");
    }
}

#[test]
fn secrets_never_print_and_are_never_flags() {
    let secrets = [
        ("STRIPE_SECRET_KEY", "sk_test_k3y"),
        ("STRIPE_WEBHOOK_SECRET", "whsec_s1gn"),
        ("CHOSO_ADMIN_PASSWORD", "adm1n-pa55"),
        ("DATABASE_URL", "postgres://choso:db-pa55@db.invalid/choso"),
    ];
    let out = choso(&["--help"], &secrets);
    assert!(out.status.success());
    let printed = text(&out.stdout) + &text(&out.stderr);
    for secret in ["sk_test_k3y", "whsec_s1gn", "adm1n-pa55", "db-pa55"] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }
    for flag in [
        "--stripe-secret-key",
        "--stripe-webhook-secret",
        "--admin-password",
    ] {
        let out = choso(&[flag, "x", "migrate"], &[]);
        assert!(!out.status.success(), "{flag} is no flag");
        assert!(text(&out.stderr).contains("unexpected argument"));
    }
}
