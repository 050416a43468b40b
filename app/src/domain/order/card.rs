//! Card payments through Stripe Checkout: the amounts Stripe can charge, how long a Checkout
//! Session made for waiting orders stays open, and whether a card attempt can still serve.
use super::invalid::Invalid;
use super::money::Dong;

slug_enum! {
    /// Where card payments go: nowhere until Stripe's keys are set, to the built-in Stripe
    /// stand-in when asked (the demo, the tests), or to Stripe.
    pub enum CardMode {
        Off = "off",
        /// No money moves; the pages say so.
        Simulated = "simulated",
        Stripe = "stripe",
    }
}

/// Smallest card payment, in đồng. Stripe refuses a charge worth less than its minimum in the
/// platform's settlement currency: USD 0.50 is about 13 000 ₫ and EUR 0.50 or CHF 0.50 up to
/// about 17 000 ₫, so 10 000 ₫ (under USD 0.40) would be refused. 20 000 ₫ stays above all of
/// them with room for the exchange rate to move; smaller checkouts can pay by transfer.
///
/// An `i64` like [`super::money::MIN_PRICE`], because a `Dong` cannot be built in a constant.
pub const CARD_MIN: i64 = 20_000;
/// Largest card payment, in đồng: Stripe takes at most eight digits of a currency's unit.
pub const CARD_MAX: i64 = 99_999_999;

/// Whether Stripe can charge `total` đồng (sent as is: VND has no minor unit to multiply by).
pub fn check_card_amount(total: Dong) -> Result<(), Invalid> {
    if (CARD_MIN..=CARD_MAX).contains(&total.amount()) {
        Ok(())
    } else {
        Err(Invalid::AmountOutOfRange {
            min: Dong::new(CARD_MIN),
            max: Dong::new(CARD_MAX),
        })
    }
}

/// Stripe keeps a Checkout Session open 30 minutes to 24 hours after making it; a minute's
/// margin either side leaves room for Stripe's clock and the server's to disagree.
const CARD_SESSION_SHORTEST: chrono::TimeDelta = chrono::TimeDelta::minutes(31);
const CARD_SESSION_LONGEST: chrono::TimeDelta = chrono::TimeDelta::minutes(24 * 60 - 1);
/// A session closer than this to its end is not worth sending a shopper to.
const CARD_SESSION_TIME_TO_PAY: chrono::TimeDelta = chrono::TimeDelta::minutes(3);
/// Stripe's own shortest session, with half a minute for the clocks to disagree.
const CARD_SESSION_STILL_CREATABLE: chrono::TimeDelta = chrono::TimeDelta::seconds(30 * 60 + 30);

/// When a Checkout Session made at `now` for orders waiting for their payment until
/// `orders_expire_at` should stop taking payments: with the orders, as far as Stripe's bounds
/// allow. A session that outlives its orders is expired by the sweep that expires them.
pub fn card_session_expiry(
    orders_expire_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> chrono::DateTime<chrono::Utc> {
    let at = orders_expire_at.clamp(now + CARD_SESSION_SHORTEST, now + CARD_SESSION_LONGEST);
    // Stripe counts whole seconds; a repeated request must send the very same value.
    chrono::DateTime::from_timestamp(at.timestamp(), 0).unwrap_or(at)
}

/// Whether a card attempt whose session stops taking payments at `expires_at` can still serve
/// at `now`. A session already made can while it leaves the shopper time to pay. One the
/// processor has not answered for yet is asked for again with the very same parameters, which
/// Stripe takes only while `expires_at` is still far enough ahead of a session made now.
pub fn card_attempt_usable(
    expires_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
    session_made: bool,
) -> bool {
    let needed = if session_made {
        CARD_SESSION_TIME_TO_PAY
    } else {
        CARD_SESSION_STILL_CREATABLE
    };
    expires_at - now > needed
}

/// How many times a refund is tried before an administrator is asked to look.
pub const REFUND_TRIES: u32 = 6;

/// When to try a refund again after its try number `attempt` failed, or `None` to give up.
/// Waits double from a minute (1, 2, 4, 8, 16 minutes): a short outage of the processor passes
/// unnoticed, a refusal that stands reaches an administrator within the hour, and every retry
/// falls well inside the 24 hours Stripe keeps an idempotency key, so a retry of a refund whose
/// answer was lost is recognised and never refunds twice.
pub fn refund_retry_after(attempt: u32) -> Option<chrono::TimeDelta> {
    (attempt < REFUND_TRIES).then(|| chrono::TimeDelta::minutes(1 << (attempt.max(1) - 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refund_is_retried_with_doubling_waits_then_left_to_an_administrator() {
        let waits: Vec<_> = (1..=REFUND_TRIES)
            .map(|n| refund_retry_after(n).map(|d| d.num_minutes()))
            .collect();
        assert_eq!(waits, [Some(1), Some(2), Some(4), Some(8), Some(16), None]);
    }
    use chrono::{TimeDelta, TimeZone, Utc};

    #[test]
    fn stripe_charges_from_twenty_thousand_dong_to_eight_digits() {
        let out = Err(Invalid::AmountOutOfRange {
            min: Dong::new(CARD_MIN),
            max: Dong::new(CARD_MAX),
        });
        assert_eq!(check_card_amount(Dong::new(19_999)), out);
        assert_eq!(check_card_amount(Dong::new(20_000)), Ok(()));
        assert_eq!(check_card_amount(Dong::new(99_999_999)), Ok(()));
        assert_eq!(check_card_amount(Dong::new(100_000_000)), out);
        assert_eq!(check_card_amount(Dong::ZERO), out);
    }

    #[test]
    fn a_card_session_ends_with_its_orders_within_stripes_bounds() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 8, 0, 0).unwrap();
        let in_minutes = |m| now + TimeDelta::minutes(m);
        assert_eq!(card_session_expiry(in_minutes(45), now), in_minutes(45));
        assert_eq!(
            card_session_expiry(in_minutes(12), now),
            in_minutes(31),
            "never sooner than Stripe allows"
        );
        assert_eq!(
            card_session_expiry(in_minutes(3 * 24 * 60), now),
            in_minutes(24 * 60 - 1),
            "never later than Stripe allows"
        );
        let odd = now + TimeDelta::milliseconds(45 * 60_000 + 400);
        assert_eq!(
            card_session_expiry(odd, now),
            in_minutes(45),
            "whole seconds"
        );
        assert!(card_attempt_usable(in_minutes(10), now, true));
        assert!(!card_attempt_usable(in_minutes(2), now, true));
        assert!(
            card_attempt_usable(in_minutes(31), now, false),
            "a retry at once repeats the attempt"
        );
        assert!(
            !card_attempt_usable(in_minutes(10), now, false),
            "Stripe would refuse to make that session now"
        );
    }
}
