//! Record ids as types of their own, so a stall's id can't be passed where an order's is
//! expected. Each is the database's integer key, sent and shown as that number (serde
//! `transparent`, `Display`, `FromStr`), so URLs, forms and JSON keep their shape.

/// Declares an id type over the database's `i64` key.
macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// The id of the record whose key is `key`.
            pub const fn new(key: i64) -> Self {
                Self(key)
            }

            /// The database key, for the stores and for URLs.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = super::invalid::Invalid;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self).map_err(|_| super::invalid::Invalid::Unknown)
            }
        }
    )+};
}

id_type! {
    /// An account.
    UserId;
    /// A digital stall.
    StallId;
    /// A product of a stall's catalogue.
    ProductId;
    /// One stall's order (a checkout places one per stall).
    OrderId;
    /// A checkout: the orders placed together, reached by the shopper's unguessable link.
    CheckoutId;
    /// A cart, a signed-in user's or a visitor's.
    CartId;
    /// A transfer a stall's bank-notification service reported.
    BankCreditId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_writes_and_serialises_as_its_number() {
        let id = StallId::new(42);
        assert_eq!(id.to_string(), "42");
        assert_eq!("42".parse::<StallId>(), Ok(id));
        assert!("4x".parse::<StallId>().is_err());
        assert_eq!(serde_json::to_string(&id).unwrap(), "42");
        assert_eq!(serde_json::from_str::<StallId>("42").unwrap(), id);
    }
}
