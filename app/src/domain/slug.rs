//! The readable name of a stall in its URL: `/s/man-tam-hoa-bac-ha`.
use super::invalid::Invalid;
use super::search::fold;
use serde::{Deserialize, Serialize};

const MIN_LEN: usize = 3;
const MAX_LEN: usize = 60;
/// "stall": pads names too short to be a slug, and stands in for names with no Latin letters.
const FILLER: &str = "gian-hang";

/// Lowercase ASCII letters and digits in words joined by single hyphens, 3 to 60 characters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    /// A slug typed or taken from a URL; surrounding spaces are ignored, nothing else is fixed.
    pub fn parse(s: &str) -> Result<Slug, Invalid> {
        let s = s.trim();
        let valid = (MIN_LEN..=MAX_LEN).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if valid {
            Ok(Slug(s.to_owned()))
        } else {
            Err(Invalid::Slug)
        }
    }

    /// A slug made from a stall's name: `Mận Tam Hoa Bắc Hà` → `man-tam-hoa-bac-ha`.
    ///
    /// Always valid, but not necessarily free: see [`Slug::with_suffix`].
    pub fn from_name(name: &str) -> Slug {
        let joined = fold(name)
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let slug = truncate(&joined, MAX_LEN);
        Slug(match slug.len() {
            0 => FILLER.to_owned(),
            n if n < MIN_LEN => format!("{slug}-{FILLER}"),
            _ => slug.to_owned(),
        })
    }

    /// The same slug numbered, for when it is taken: `tra-sen` → `tra-sen-2`.
    pub fn with_suffix(&self, n: u32) -> Slug {
        let suffix = format!("-{n}");
        Slug(format!(
            "{}{suffix}",
            truncate(&self.0, MAX_LEN - suffix.len())
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// At most `max` bytes of a hyphenated ASCII slug, cut after a whole word when that leaves at
/// least `MIN_LEN`, so a long name loses words rather than ending in half of one.
fn truncate(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    let cut = &slug[..max];
    if slug.as_bytes()[max] == b'-' {
        return cut;
    }
    match cut.rfind('-') {
        Some(end) if end >= MIN_LEN => &cut[..end],
        _ => cut,
    }
}

impl TryFrom<String> for Slug {
    type Error = Invalid;

    fn try_from(s: String) -> Result<Slug, Invalid> {
        Slug::parse(&s)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> String {
        slug.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_name(name: &str) -> String {
        Slug::from_name(name).as_str().to_owned()
    }

    #[test]
    fn well_formed_slugs_parse() {
        for s in [
            "tra-sen",
            "man-tam-hoa-bac-ha",
            "abc",
            "ocop-5-sao",
            &"a".repeat(60),
        ] {
            assert_eq!(Slug::parse(s).map(String::from), Ok(s.to_owned()));
        }
    }

    #[test]
    fn malformed_slugs_are_refused() {
        for s in [
            "",
            "ab",
            "-tra",
            "tra-",
            "tra--sen",
            "Tra-sen",
            "trà-sen",
            "tra sen",
            "tra_sen",
            &"a".repeat(61),
        ] {
            assert_eq!(Slug::parse(s), Err(Invalid::Slug), "{s:?}");
        }
    }

    #[test]
    fn a_slug_from_a_vietnamese_name_drops_accents() {
        assert_eq!(from_name("Mận Tam Hoa Bắc Hà"), "man-tam-hoa-bac-ha");
        assert_eq!(from_name("Đặc sản"), "dac-san");
        assert_eq!(from_name("  Chè & Cà phê — Y Tý!! "), "che-ca-phe-y-ty");
    }

    #[test]
    fn a_short_name_is_padded_into_a_valid_slug() {
        assert_eq!(from_name("Bé"), "be-gian-hang");
        assert_eq!(from_name("A"), "a-gian-hang");
        assert_eq!(from_name("蜂蜜"), "gian-hang");
        assert_eq!(from_name(""), "gian-hang");
    }

    #[test]
    fn a_long_name_is_cut_at_a_word_boundary() {
        let name = "Hợp tác xã nông nghiệp và dịch vụ chè Shan tuyết cổ thụ Y Tý Bát Xát Lào Cai";
        let slug = from_name(name);
        assert_eq!(
            slug,
            "hop-tac-xa-nong-nghiep-va-dich-vu-che-shan-tuyet-co-thu-y-ty"
        );
        assert!(Slug::parse(&slug).is_ok());
    }

    #[test]
    fn a_long_single_word_is_cut_hard() {
        assert_eq!(from_name(&"a".repeat(70)), "a".repeat(60));
    }

    #[test]
    fn every_slug_made_from_a_name_is_valid() {
        for name in [
            "x",
            "-- a b --",
            "Thổ cẩm H'Mông",
            &"ab ".repeat(40),
            &"ab-".repeat(40),
        ] {
            assert!(
                Slug::parse(Slug::from_name(name).as_str()).is_ok(),
                "{name:?}"
            );
        }
    }

    #[test]
    fn a_numbered_slug_stays_within_sixty_characters() {
        let tra = Slug::parse("tra-sen").unwrap();
        assert_eq!(tra.with_suffix(2).as_str(), "tra-sen-2");
        let long = Slug::parse(&format!("{}-bac-ha", "a".repeat(53))).unwrap();
        let numbered = long.with_suffix(12);
        assert_eq!(numbered.as_str(), format!("{}-bac-12", "a".repeat(53)));
        let widest = long.with_suffix(u32::MAX);
        assert!(Slug::parse(widest.as_str()).is_ok());
        assert!(widest.as_str().ends_with("-4294967295"));
    }
}
