//! What kind of goods a product is, and its OCOP rating.
use super::invalid::Invalid;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// The shelf a product is browsed under.
    pub enum Category {
        Fruit = "fruit",
        Vegetables = "vegetables",
        Meat = "meat",
        Grains = "grains",
        TeaCoffee = "tea-coffee",
        Honey = "honey",
        Drinks = "drinks",
        HerbsSpices = "herbs-spices",
        DriedGoods = "dried-goods",
        Crafts = "crafts",
    }
}

/// An OCOP ("One Commune One Product") certificate's star rating. Only 3 to 5 stars are
/// certified; lower scores earn no certificate to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct OcopStars(u8);

impl OcopStars {
    pub const MIN: u8 = 3;
    pub const MAX: u8 = 5;

    pub fn new(stars: u8) -> Result<OcopStars, Invalid> {
        if (Self::MIN..=Self::MAX).contains(&stars) {
            Ok(OcopStars(stars))
        } else {
            Err(Invalid::OutOfRange {
                min: Self::MIN.into(),
                max: Self::MAX.into(),
            })
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for OcopStars {
    type Error = Invalid;

    fn try_from(stars: u8) -> Result<OcopStars, Invalid> {
        OcopStars::new(stars)
    }
}

impl From<OcopStars> for u8 {
    fn from(stars: OcopStars) -> u8 {
        stars.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error, U8Deserializer};

    #[test]
    fn categories_have_slugs_for_urls() {
        assert_eq!(Category::TeaCoffee.slug(), "tea-coffee");
    }

    #[test]
    fn ocop_stars_are_three_to_five() {
        for stars in 0..=u8::MAX {
            let expected = (3..=5).contains(&stars);
            assert_eq!(OcopStars::new(stars).is_ok(), expected, "{stars}");
        }
        assert_eq!(
            OcopStars::new(2),
            Err(Invalid::OutOfRange { min: 3, max: 5 })
        );
        assert_eq!(OcopStars::new(4).map(OcopStars::get), Ok(4));
    }

    #[test]
    fn ocop_stars_refuse_to_deserialize_out_of_range() {
        let five: U8Deserializer<Error> = 5u8.into_deserializer();
        assert_eq!(OcopStars::deserialize(five).map(u8::from), Ok(5));
        let six: U8Deserializer<Error> = 6u8.into_deserializer();
        assert!(OcopStars::deserialize(six).is_err());
    }
}
