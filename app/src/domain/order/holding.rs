//! How many unpaid checkouts one shopper may hold at once. An unpaid order holds its stall's
//! stock until it is paid or expires (a transfer waits a day), and shoppers need no account,
//! so without a limit anyone could empty a stall's shelf without paying.
use serde::{Deserialize, Serialize};

/// The most unpaid checkouts held at once by one visitor session, one phone number, and one
/// network address (which a hotel's or a market's Wi-Fi shares among many shoppers, hence its
/// larger default).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldLimits {
    pub per_session: u32,
    pub per_phone: u32,
    pub per_address: u32,
}

impl Default for HoldLimits {
    fn default() -> Self {
        HoldLimits {
            per_session: 3,
            per_phone: 3,
            per_address: 20,
        }
    }
}

/// Unpaid checkouts held now by the session, the phone number and the address of a new one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Held {
    pub session: u64,
    pub phone: u64,
    pub address: u64,
}

/// The limit a new unpaid checkout would break, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HoldLimit {
    /// The shopper's own: their session or their phone number.
    Shopper(u32),
    /// Their network address's, shared with others.
    Address(u32),
}

/// Whether one more unpaid checkout stays within `limits`, given what is `held`.
pub fn check_hold(limits: HoldLimits, held: Held) -> Result<(), HoldLimit> {
    if held.session >= u64::from(limits.per_session) {
        return Err(HoldLimit::Shopper(limits.per_session));
    }
    if held.phone >= u64::from(limits.per_phone) {
        return Err(HoldLimit::Shopper(limits.per_phone));
    }
    if held.address >= u64::from(limits.per_address) {
        return Err(HoldLimit::Address(limits.per_address));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_is_held_to_its_own_limit() {
        let limits = HoldLimits::default();
        let held = |session, phone, address| Held {
            session,
            phone,
            address,
        };
        assert_eq!(check_hold(limits, held(2, 2, 19)), Ok(()));
        assert_eq!(
            check_hold(limits, held(3, 0, 0)),
            Err(HoldLimit::Shopper(3))
        );
        assert_eq!(
            check_hold(limits, held(0, 3, 0)),
            Err(HoldLimit::Shopper(3))
        );
        assert_eq!(
            check_hold(limits, held(0, 0, 20)),
            Err(HoldLimit::Address(20))
        );
    }
}
