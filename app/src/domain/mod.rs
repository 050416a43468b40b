//! The rules of the market: plain Rust with no I/O, compiled into both the server and the
//! browser so that a form is checked by the same code on each side.
//!
//! Modules refer to each other through `super::` so these files also build as a crate of their
//! own, which lets them be tested without compiling the whole application.

/// Declares a fieldless enum stored and sent as a stable lowercase slug, from one table.
///
/// Generates `ALL`, `slug`, `from_slug`, `FromStr` (error `Invalid::Unknown`), `Display` (the
/// slug) and serde renames. Variant order is the order of `ALL` and of `Ord`. What people read
/// for a value is in the locale files (`crate::vocab`), not here.
macro_rules! slug_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = $slug:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $slug)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [Self; [$($slug),+].len()] = [$(Self::$variant),+];

            /// The stable name used in URLs, forms and the database.
            pub fn slug(self) -> &'static str {
                match self { $(Self::$variant => $slug),+ }
            }

            /// The value whose slug is exactly `slug`.
            pub fn from_slug(slug: &str) -> Option<Self> {
                match slug {
                    $($slug => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = super::invalid::Invalid;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::from_slug(s).ok_or(super::invalid::Invalid::Unknown)
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.slug())
            }
        }
    };
}

pub mod bank;
pub mod bank_keys;
pub mod bank_notice;
pub mod category;
#[cfg(feature = "ssr")]
pub mod collation;
pub mod confirm;
pub mod counter_sale;
pub mod email;
pub mod figures;
pub mod id;
pub mod invalid;
pub mod market;
pub mod money;
pub mod onboarding;
pub mod order;
pub mod paging;
pub mod payment_alert;
pub mod phone;
pub mod photo;
pub mod quantity;
pub mod registry;
pub mod role;
pub mod sales;
pub mod search;
pub mod setup;
pub mod slug;
pub mod stall;
pub mod stock;
pub mod submission;
pub mod vietqr;

#[cfg(test)]
mod tests {
    use super::invalid::Invalid;
    use serde::de::DeserializeOwned;
    use serde::de::value::{Error, StrDeserializer};
    use std::fmt::{Debug, Display};
    use std::str::FromStr;

    fn assert_round_trips<T>(
        all: &[T],
        slug: fn(T) -> &'static str,
        from_slug: fn(&str) -> Option<T>,
    ) where
        T: Copy + Debug + PartialEq + Display + FromStr<Err = Invalid> + DeserializeOwned,
    {
        for &value in all {
            let s = slug(value);
            assert_eq!(from_slug(s), Some(value));
            assert_eq!(s.parse::<T>(), Ok(value));
            assert_eq!(value.to_string(), s);
            assert_eq!(T::deserialize(StrDeserializer::<Error>::new(s)), Ok(value));
        }
        assert_eq!(from_slug("no-such-value"), None);
        assert_eq!("no-such-value".parse::<T>(), Err(Invalid::Unknown));
    }

    #[test]
    fn every_slug_enum_round_trips_through_its_slug_display_and_serde() {
        use super::{category::*, market::*, quantity::*, role::*, stall::*};
        assert_round_trips(&Unit::ALL, Unit::slug, Unit::from_slug);
        assert_round_trips(&Market::ALL, Market::slug, Market::from_slug);
        assert_round_trips(&EntityType::ALL, EntityType::slug, EntityType::from_slug);
        assert_round_trips(&Weekday::ALL, Weekday::slug, Weekday::from_slug);
        assert_round_trips(&Category::ALL, Category::slug, Category::from_slug);
        assert_round_trips(&Role::ALL, Role::slug, Role::from_slug);
        assert_round_trips(&StallStatus::ALL, StallStatus::slug, StallStatus::from_slug);
        assert_round_trips(&StallMove::ALL, StallMove::slug, StallMove::from_slug);
        assert_round_trips(&Mover::ALL, Mover::slug, Mover::from_slug);
        use super::stock::StockReason;
        assert_round_trips(&StockReason::ALL, StockReason::slug, StockReason::from_slug);
        use super::payment_alert::AlertKind;
        assert_round_trips(&AlertKind::ALL, AlertKind::slug, AlertKind::from_slug);
        use super::{onboarding::Stage, registry::RegistryKind};
        assert_round_trips(&Stage::ALL, Stage::slug, Stage::from_slug);
        use super::bank_notice::BankService;
        assert_round_trips(&BankService::ALL, BankService::slug, BankService::from_slug);
        use super::counter_sale::{SaleStatus, SaleWay};
        assert_round_trips(&SaleWay::ALL, SaleWay::slug, SaleWay::from_slug);
        assert_round_trips(&SaleStatus::ALL, SaleStatus::slug, SaleStatus::from_slug);
        use super::bank_notice::CreditKind;
        assert_round_trips(&CreditKind::ALL, CreditKind::slug, CreditKind::from_slug);
        use super::photo::PhotoProblem;
        assert_round_trips(
            &PhotoProblem::ALL,
            PhotoProblem::slug,
            PhotoProblem::from_slug,
        );
        use super::setup::SetupStep;
        assert_round_trips(&SetupStep::ALL, SetupStep::slug, SetupStep::from_slug);
        assert_round_trips(
            &RegistryKind::ALL,
            RegistryKind::slug,
            RegistryKind::from_slug,
        );
    }

    #[test]
    fn a_slug_must_match_exactly_without_trimming_or_case_folding() {
        use super::quantity::Unit;
        assert_eq!(Unit::from_slug("KG"), None);
        assert_eq!(Unit::from_slug(" kg"), None);
    }
}
