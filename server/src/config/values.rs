//! How the text of a setting is read. A wrong value is refused with a message that names its
//! environment variable, where deployed installs set it, and says what it must be.
use std::convert::Infallible;
use std::ops::RangeInclusive;

/// A whole number of minutes inside `allowed`.
pub fn minutes_within(
    name: &'static str,
    allowed: RangeInclusive<u32>,
) -> impl Fn(&str) -> Result<u32, String> + Clone + Send + Sync + 'static {
    move |raw| {
        whole_minutes(raw, &allowed).ok_or_else(|| {
            format!(
                "{name} must be a whole number of minutes from {} to {}",
                allowed.start(),
                allowed.end()
            )
        })
    }
}

/// A whole number of minutes inside `allowed`, or nothing.
fn whole_minutes(raw: &str, allowed: &RangeInclusive<u32>) -> Option<u32> {
    raw.trim().parse().ok().filter(|m| allowed.contains(m))
}

/// A whole number of minutes, at least one.
pub fn some_minutes(
    name: &'static str,
) -> impl Fn(&str) -> Result<u64, String> + Clone + Send + Sync + 'static {
    move |raw| {
        raw.trim()
            .parse()
            .ok()
            .filter(|m| *m > 0)
            .ok_or_else(|| format!("{name} must be a whole number of minutes, at least 1"))
    }
}

/// Basis points (1/100 %), 0 to 10000.
pub fn basis_points(
    name: &'static str,
) -> impl Fn(&str) -> Result<u32, String> + Clone + Send + Sync + 'static {
    move |raw| {
        raw.trim()
            .parse()
            .ok()
            .filter(|b| *b <= 10_000)
            .ok_or_else(|| format!("{name} must be 0 to 10000"))
    }
}

/// On or off: `true`, `yes`, `on`, `1` or `false`, `no`, `off`, `0`, in any case.
pub fn on_or_off(
    name: &'static str,
) -> impl Fn(&str) -> Result<bool, String> + Clone + Send + Sync + 'static {
    move |raw| match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        other => Err(format!("{name}: expected true or false, got {other:?}")),
    }
}

/// On only when exactly `1`, the deliberate word of the switches that guard something risky
/// or unusual (a live Stripe key, demo data); anything else leaves them off.
pub fn only_one(raw: &str) -> Result<bool, Infallible> {
    Ok(raw.trim() == "1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payment_window_is_whole_minutes_within_its_bounds() {
        let card = minutes_within("CHOSO_CARD_PAYMENT_MINUTES", 30..=1440);
        assert_eq!(card(" 45 "), Ok(45));
        assert_eq!(card("1440"), Ok(1440));
        let refused = Err(
            "CHOSO_CARD_PAYMENT_MINUTES must be a whole number of minutes from 30 to 1440".into(),
        );
        assert_eq!(card("29"), refused);
        assert_eq!(
            card("1441"),
            refused,
            "longer than a Checkout Session lives"
        );
        assert_eq!(card("1.5"), refused);
        assert_eq!(card("abc"), refused);
    }

    #[test]
    fn a_session_lasts_at_least_a_minute() {
        let idle = some_minutes("CHOSO_SESSION_IDLE_MINUTES");
        assert_eq!(idle("60"), Ok(60));
        assert_eq!(
            idle("0"),
            Err("CHOSO_SESSION_IDLE_MINUTES must be a whole number of minutes, at least 1".into())
        );
    }

    #[test]
    fn a_fee_is_at_most_the_whole_payment() {
        let fee = basis_points("CHOSO_PLATFORM_FEE_BASIS_POINTS");
        assert_eq!(fee("250"), Ok(250));
        assert_eq!(fee("10000"), Ok(10_000));
        assert_eq!(
            fee("10001"),
            Err("CHOSO_PLATFORM_FEE_BASIS_POINTS must be 0 to 10000".into())
        );
    }

    #[test]
    fn a_switch_reads_the_usual_words_and_refuses_others() {
        let switch = on_or_off("CHOSO_TRUST_PROXY");
        assert_eq!(switch("Yes"), Ok(true));
        assert_eq!(switch("off"), Ok(false));
        assert_eq!(
            switch("maybe"),
            Err("CHOSO_TRUST_PROXY: expected true or false, got \"maybe\"".into())
        );
        assert_eq!(only_one("1"), Ok(true));
        assert_eq!(only_one("true"), Ok(false), "only 1 turns it on");
    }
}
