//! Why a value was refused. These cross the wire from server to browser and the interface
//! translates them with its own keys, so the `Display` text is for developers only.
//!
//! A reason carries the figures and names its message needs as typed values (an amount of
//! đồng, a quantity with its unit, a stall's name and days), never as text: the interface
//! writes them in the visitor's language and number style, so `0,1 kg` and `20.000 ₫` reach
//! a Vietnamese visitor as they would be written by hand.
use super::market::TradingDays;
use super::money::Dong;
use super::quantity::{Quantity, Unit};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// Longest name of a person, stall or product, in characters.
pub const NAME_MAX: usize = 120;
/// Longest free-text description, in characters.
pub const DESCRIPTION_MAX: usize = 4000;

/// One reason a single input was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Invalid {
    #[error("required")]
    Required,
    #[error("longer than {max} characters")]
    TooLong { max: usize },
    #[error("shorter than {min} characters")]
    TooShort { min: usize },
    #[error("not a number")]
    NotANumber,
    /// A plain number (a year, a count of stars, a percentage) outside its bounds.
    #[error("outside {min}..={max}")]
    OutOfRange { min: i64, max: i64 },
    /// An amount of money outside its bounds, shown as money (`20.000 ₫`).
    #[error("outside {min}..={max}")]
    AmountOutOfRange { min: Dong, max: Dong },
    /// A quantity outside its bounds, shown in the unit the visitor typed (`0,1 kg`), not in
    /// the steps it is stored in.
    #[error("outside {min:?}..={max:?} of {unit}")]
    QuantityOutOfRange {
        min: Quantity,
        max: Quantity,
        unit: Unit,
    },
    #[error("more than {max} decimals")]
    TooManyDecimals { max: u32 },
    /// A fraction of a unit that is only sold whole (bottles, bunches).
    #[error("only whole {unit}")]
    WholeUnitsOnly { unit: Unit },
    /// A quantity that is not a whole number of the unit's steps.
    #[error("not a multiple of the unit's step")]
    NotAStep,
    /// The shopper already holds `limit` unpaid checkouts (by their session or phone number).
    #[error("already {limit} unpaid checkouts")]
    TooManyUnpaid { limit: u32 },
    /// `limit` unpaid checkouts already come from the shopper's network address.
    #[error("already {limit} unpaid checkouts from this address")]
    TooManyUnpaidHere { limit: u32 },
    /// A stock change that no longer fits: the stock is now `now` (`None`: unlimited), after
    /// sales while the form was open, or less than the vendor tried to take away.
    #[error("the stock is now {now:?}")]
    StockMoved { now: Option<Quantity>, unit: Unit },
    #[error("not a Vietnamese phone number")]
    Phone,
    #[error("not an email address")]
    Email,
    #[error("not a slug")]
    Slug,
    /// Not one of the allowed values.
    #[error("not one of the allowed values")]
    Unknown,
    /// Already belongs to another record (a phone, an email, a slug); found by the store, not
    /// by parsing, but reported through the same field errors.
    #[error("already taken")]
    Taken,
    /// A market's stall number that another stall already has.
    #[error("another stall has this number")]
    PitchTaken,
    /// A province administrator, who can't be given a narrower role such as a market's manager.
    #[error("an administrator")]
    Administrator,
    /// A vendor who owns a stall, who can't also review stalls (their own among them).
    #[error("owns a stall")]
    OwnsStall,
    /// The choice exists but the named stall (or stalls, comma-separated) doesn't offer it
    /// yet: a payment method a stall in the cart hasn't set up.
    #[error("not offered by {stall}")]
    NotAccepted { stall: String },
    /// Card payments are not set up on this site (no Stripe keys yet).
    #[error("card payments are off")]
    CardsOff,
    /// A stall that takes no payment method yet (no bank account for VietQR, no cards): it
    /// can't be approved, since none of its goods could be paid for.
    #[error("takes no payment method")]
    NoPaymentMethod,
    /// A code that names none of the stall's orders or counter sales.
    #[error("no order or sale of the stall has this code")]
    NoSuchCode,
    /// A reported transfer the vendor already assigned to an order (or that paid one).
    #[error("already assigned")]
    AlreadyAssigned,
    /// A transfer asked of a stall that has no bank account for its VietQR code yet.
    #[error("no bank account")]
    NoBankAccount,
    /// The named stall takes no payment method at the moment, so its goods can't go into a
    /// cart or be ordered.
    #[error("{stall} takes no payment now")]
    NotPayable { stall: String },
    /// The cart changed after its page was shown (a line, a price, or how a stall is paid):
    /// the shopper looks again before ordering.
    #[error("the cart changed")]
    CartChanged,
    /// A delivery address outside Lào Cai province, where the vendors deliver.
    #[error("outside the delivery area")]
    OutsideDeliveryArea,
    /// A pickup day on which the named stall does not trade; `days` are the days it does.
    #[error("{stall} does not trade that day")]
    NotTradingDay { stall: String, days: TradingDays },
    /// A pickup date on which the named stall trades, but not one it can be collected on now:
    /// past, or later than the dates from `first` to `last` that the checkout offers.
    #[error("{stall} takes pickups from {first} to {last}")]
    PickupNotOffered {
        stall: String,
        first: chrono::NaiveDate,
        last: chrono::NaiveDate,
    },
    /// A checkout of an empty cart.
    #[error("the cart is empty")]
    EmptyCart,
    /// A registry column that the row's kind doesn't have (a market for an OCOP producer).
    #[error("not for this kind of entry")]
    NotForKind,
    /// Not a calendar date written `YYYY-MM-DD`.
    #[error("not a date (YYYY-MM-DD)")]
    Date,
    /// A second row with the same id in one file.
    #[error("repeats an earlier row")]
    Duplicate,
    /// An action asked twice (see [`super::confirm`]) posted without its confirmation:
    /// nothing was done.
    #[error("not confirmed")]
    NotConfirmed,
    /// A photo refused for `problem`; `file` is its name on the vendor's phone, so that one
    /// of several chosen together can be told apart.
    #[error("{file}: {problem}")]
    Photo {
        problem: super::photo::PhotoProblem,
        file: String,
    },
    /// The form was refused for its other fields, so the `photos` chosen with it were not
    /// kept: a browser never fills a file field again, and the vendor chooses them anew.
    #[error("{photos} photos to choose again")]
    ChooseAgain { photos: usize },
    /// Keys the bank-notification service itself refused when asked with them.
    #[error("refused by the service")]
    KeysRefused,
    /// The bank-notification service could not be reached to check the keys: nothing was
    /// saved, try again shortly.
    #[error("the service could not be reached")]
    ServiceUnreachable,
    /// More of a product than its stall has left.
    #[error("only {left:?} {unit} of {item} left")]
    NotEnoughStock {
        item: String,
        left: super::quantity::Quantity,
        unit: super::quantity::Unit,
    },
}

/// The refused fields of one form, in the order they were checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

/// One refused field, named as in the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub invalid: Invalid,
}

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, field: &str, invalid: Invalid) {
        self.0.push(FieldError {
            field: field.to_owned(),
            invalid,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first error recorded for `field`.
    pub fn get(&self, field: &str) -> Option<&Invalid> {
        self.0.iter().find(|e| e.field == field).map(|e| &e.invalid)
    }

    /// Runs a parser, records its error under `field`, and returns the value if it parsed.
    ///
    /// Lets a form check every field before giving up, so the person sees all mistakes at once.
    pub fn check<T>(&mut self, field: &str, r: Result<T, Invalid>) -> Option<T> {
        match r {
            Ok(value) => Some(value),
            Err(invalid) => {
                self.push(field, invalid);
                None
            }
        }
    }

    /// `Ok` when nothing was refused.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

/// Trimmed text of 1..=`max` characters (not bytes), in NFC.
///
/// NFC because phones and Macs may send Vietnamese decomposed; storing one form keeps equal
/// names equal and makes the character count match what the person sees.
pub fn required_text(s: &str, max: usize) -> Result<String, Invalid> {
    optional_text(s, max)?.ok_or(Invalid::Required)
}

/// Like [`required_text`], but empty text is `None` rather than an error.
pub fn optional_text(s: &str, max: usize) -> Result<Option<String>, Invalid> {
    let text: String = s.trim().nfc().collect();
    match text.chars().count() {
        0 => Ok(None),
        n if n > max => Err(Invalid::TooLong { max }),
        _ => Ok(Some(text)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_is_trimmed() {
        assert_eq!(
            required_text("  Mận Bắc Hà \n", 20),
            Ok("Mận Bắc Hà".to_owned())
        );
    }

    #[test]
    fn blank_required_text_is_required() {
        assert_eq!(required_text(" \t ", 20), Err(Invalid::Required));
    }

    #[test]
    fn text_length_counts_characters_not_bytes() {
        // 7 characters, 12 bytes in UTF-8.
        assert_eq!(required_text("Đặc sản", 7), Ok("Đặc sản".to_owned()));
        assert_eq!(
            required_text("Đặc sản", 6),
            Err(Invalid::TooLong { max: 6 })
        );
    }

    #[test]
    fn decomposed_text_is_stored_composed() {
        let decomposed = "Me\u{323}\u{302}t"; // "Mệt" typed as base letters plus marks
        assert_eq!(required_text(decomposed, 3), Ok("Mệt".to_owned()));
    }

    #[test]
    fn blank_optional_text_is_none() {
        assert_eq!(optional_text("   ", 10), Ok(None));
        assert_eq!(optional_text(" chè ", 10), Ok(Some("chè".to_owned())));
        assert_eq!(optional_text("abcdef", 5), Err(Invalid::TooLong { max: 5 }));
    }

    #[test]
    fn field_errors_collect_every_failed_check_and_keep_the_values_that_parsed() {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", required_text("Chè Shan tuyết", NAME_MAX));
        let description = errors.check("description", required_text("", DESCRIPTION_MAX));
        assert_eq!(name.as_deref(), Some("Chè Shan tuyết"));
        assert_eq!(description, None);
        assert_eq!(errors.get("description"), Some(&Invalid::Required));
        assert_eq!(errors.get("name"), None);
        assert_eq!(errors.into_result().unwrap_err().0.len(), 1);
    }

    #[test]
    fn no_field_errors_is_ok() {
        assert!(FieldErrors::new().is_empty());
        assert_eq!(FieldErrors::new().into_result(), Ok(()));
    }

    #[test]
    fn invalid_displays_short_developer_text() {
        assert_eq!(
            Invalid::OutOfRange { min: 1, max: 5 }.to_string(),
            "outside 1..=5"
        );
    }
}
