//! The deadline of an order waiting for its payment: a card's is short, a transfer's long.
use super::status::PaymentMethod;
use serde::{Deserialize, Serialize};

/// How long an unpaid order keeps its stock before the clock expires it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiryPolicy {
    pub card_minutes: u32,
    pub transfer_minutes: u32,
}

impl Default for ExpiryPolicy {
    /// 30 minutes for a card: a Stripe Checkout Session cannot expire sooner, and the Session
    /// should be created to expire with the order so Stripe stops taking money at the same
    /// time. 24 hours for a transfer: people pay from their bank app when they can, and a
    /// statement import or the vendor needs time to see it.
    fn default() -> Self {
        ExpiryPolicy {
            card_minutes: 30,
            transfer_minutes: 24 * 60,
        }
    }
}

impl ExpiryPolicy {
    /// How long an order paid by `method` waits for its payment.
    pub fn minutes_for(&self, method: PaymentMethod) -> u32 {
        match method {
            PaymentMethod::Card => self.card_minutes,
            PaymentMethod::VietQr => self.transfer_minutes,
        }
    }

    /// When an order paid by `method` and placed at `placed_at` stops waiting for its payment.
    pub fn deadline(
        &self,
        method: PaymentMethod,
        placed_at: chrono::DateTime<chrono::Utc>,
    ) -> chrono::DateTime<chrono::Utc> {
        placed_at + chrono::Duration::minutes(self.minutes_for(method).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentMethod as P;

    #[test]
    fn a_card_reservation_lasts_thirty_minutes_and_a_transfer_a_day_unless_configured() {
        let policy = ExpiryPolicy::default();
        assert_eq!(policy.minutes_for(P::Card), 30);
        assert_eq!(policy.minutes_for(P::VietQr), 1440);
        let configured = ExpiryPolicy {
            card_minutes: 45,
            transfer_minutes: 120,
        };
        assert_eq!(configured.minutes_for(P::Card), 45);
        assert_eq!(configured.minutes_for(P::VietQr), 120);
    }
}
