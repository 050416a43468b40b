//! Sales made at the stall itself, face to face: the vendor types the amount and either shows a
//! VietQR code for it (*Thu tiền*), which the bank's notification then confirms, or takes cash
//! (*Tiền mặt*) and records it in one tap. They count in the stall's sales beside its online
//! orders, so its cashless share is measured against everything it sold.
//!
//! Each sale has a short code (`TQ0042`, *tại quầy*: at the counter), numbered per stall, which
//! leads the transfer's purpose as an order code does, and is shown in large digits so the
//! shopper can read it out. The printed placard's code names [`SaleCode::PLACARD`]: a transfer
//! made through it becomes a sale of its own when it lands.
use super::invalid::Invalid;
use super::money::Dong;
use super::order::OrderStatus;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `TQ`, for tại quầy (at the counter).
const PREFIX: &str = "TQ";
/// Digits of the per-stall sequence in a code, at least.
const SEQ_WIDTH: usize = 4;

/// How long a counter sale's payOS payment link lasts: the shopper is at the stall, and a link
/// nobody paid in a day is for a sale long over (its vendor can still confirm it by hand).
pub const LINK_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::days(1);

/// A counter sale's code: its stall's sequence number, written `TQ0042`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SaleCode(u32);

impl SaleCode {
    /// The placard's code, `TQ0000`: no sale has it; a transfer naming it is a new sale.
    pub const PLACARD: SaleCode = SaleCode(0);

    /// The code of the stall's `seq`th counter sale, from 1.
    pub fn new(seq: u32) -> SaleCode {
        SaleCode(seq)
    }

    pub fn seq(self) -> u32 {
        self.0
    }

    /// A code as [`Display`](std::fmt::Display) writes it, `TQ` in either case; one padding
    /// only, so each sale has one code.
    pub fn parse(s: &str) -> Result<SaleCode, Invalid> {
        let digits = s
            .get(..PREFIX.len())
            .filter(|prefix| prefix.eq_ignore_ascii_case(PREFIX))
            .and_then(|_| s.get(PREFIX.len()..))
            .ok_or(Invalid::Unknown)?;
        if digits.len() < SEQ_WIDTH || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Invalid::Unknown);
        }
        let code = SaleCode(digits.parse().map_err(|_| Invalid::Unknown)?);
        let canonical = code.to_string();
        (canonical[PREFIX.len()..] == *digits)
            .then_some(code)
            .ok_or(Invalid::Unknown)
    }

    /// Every sale code in a transfer's purpose, once each, in order of appearance, found as
    /// order codes are ([`super::order::find_order_codes`]): wherever `TQ` is followed by its
    /// digits, in either case, even glued to the word before.
    pub fn find_in(text: &str) -> Vec<SaleCode> {
        let bytes = text.as_bytes();
        let mut codes = Vec::new();
        let mut i = 0;
        while i + PREFIX.len() <= bytes.len() {
            if bytes[i..i + PREFIX.len()].eq_ignore_ascii_case(PREFIX.as_bytes()) {
                let digits = bytes[i + PREFIX.len()..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let end = i + PREFIX.len() + digits;
                if let Ok(code) = SaleCode::parse(&text[i..end]) {
                    if !codes.contains(&code) {
                        codes.push(code);
                    }
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        codes
    }
}

impl std::fmt::Display for SaleCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{PREFIX}{:0SEQ_WIDTH$}", self.0)
    }
}

impl std::str::FromStr for SaleCode {
    type Err = Invalid;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SaleCode::parse(s)
    }
}

impl TryFrom<String> for SaleCode {
    type Error = Invalid;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        SaleCode::parse(&s)
    }
}

impl From<SaleCode> for String {
    fn from(code: SaleCode) -> String {
        code.to_string()
    }
}

slug_enum! {
    /// How a counter sale is paid.
    pub enum SaleWay {
        /// Cash in hand: recorded paid at once, on the vendor's word.
        Cash = "cash",
        /// A VietQR transfer of the amount, confirmed by the bank's notification (or by the
        /// vendor, for a stall without a service).
        Transfer = "transfer",
    }
}

slug_enum! {
    /// Where a counter sale is.
    pub enum SaleStatus {
        /// Its code is on the vendor's screen; the transfer has not been seen.
        AwaitingTransfer = "awaiting_transfer",
        Paid = "paid",
        /// Given up by the vendor: money that comes for it after is to be given back.
        Cancelled = "cancelled",
    }
}

impl SaleStatus {
    /// The order status a transfer's matching reads it as ([`super::bank_notice::credit_outcome`]):
    /// a counter sale is paid, given back or waited for just as an order is.
    pub fn as_order_status(self) -> OrderStatus {
        match self {
            SaleStatus::AwaitingTransfer => OrderStatus::AwaitingTransfer,
            SaleStatus::Paid => OrderStatus::Paid,
            SaleStatus::Cancelled => OrderStatus::Cancelled,
        }
    }
}

/// A counter sale as the stall keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterSale {
    pub code: SaleCode,
    pub way: SaleWay,
    pub status: SaleStatus,
    pub amount: Dong,
    /// What transfers the bank reported have paid towards it so far, part payments included.
    pub received: Dong,
    pub created_at: DateTime<Utc>,
    pub paid_at: Option<DateTime<Utc>>,
}

impl CounterSale {
    /// What is still to pay: the amount, less what the bank reported received.
    pub fn due(&self) -> Dong {
        Dong::new((self.amount.amount() - self.received.amount()).max(0))
    }
}

/// The amount a vendor types for a counter sale: a price as [`Dong::parse_price`] reads it.
pub fn parse_amount(s: &str) -> Result<Dong, Invalid> {
    Dong::parse_price(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_tq_and_a_four_digit_sequence_written_one_way() {
        assert_eq!(SaleCode::new(42).to_string(), "TQ0042");
        assert_eq!(SaleCode::new(12_345).to_string(), "TQ12345");
        assert_eq!(SaleCode::PLACARD.to_string(), "TQ0000");
        assert_eq!(SaleCode::parse("tq0042"), Ok(SaleCode::new(42)));
        for bad in ["TQ42", "TQ00042", "DH0042", "TQ", "TQ00x2", "T"] {
            assert_eq!(SaleCode::parse(bad), Err(Invalid::Unknown), "{bad}");
        }
    }

    #[test]
    fn codes_are_found_in_a_mangled_purpose_once_each() {
        assert_eq!(
            SaleCode::find_in("CT tu VCB: tq0042 mua man TQ0042 TQ0007."),
            vec![SaleCode::new(42), SaleCode::new(7)]
        );
        assert_eq!(
            SaleCode::find_in("MBVCB.123.TQ0000.CHO SO"),
            vec![SaleCode::PLACARD]
        );
        // "TT" (thanh toán) and too few digits are not codes.
        assert!(SaleCode::find_in("TT 45000 TQ12 DH2026000001").is_empty());
    }

    #[test]
    fn a_code_travels_as_its_text() {
        let code = SaleCode::new(9);
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, "\"TQ0009\"");
        assert_eq!(serde_json::from_str::<SaleCode>(&json).unwrap(), code);
        assert!(serde_json::from_str::<SaleCode>("\"TQ9\"").is_err());
    }
}
