//! Vietnamese phone numbers, the usual way vendors and shoppers identify themselves.
use super::invalid::Invalid;
use serde::{Deserialize, Serialize};

/// A Vietnamese mobile or landline number, kept in E.164 (`+84912345678`) so that every
/// spelling of the same number is one value and one database key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Accepts the spellings people use: `0912 345 678`, `0912.345.678`, `0912-345-678`,
    /// `+84912345678`, `(+84) 912 345 678`, `84912345678`, `0084912345678`, and a trunk `0`
    /// kept after the country code (`+84 0912…`).
    ///
    /// Valid national numbers: mobiles have 10 digits starting 03, 05, 07, 08 or 09;
    /// landlines 11 digits starting 02 (Lào Cai: `0214 3840 123`).
    pub fn parse(s: &str) -> Result<Phone, Invalid> {
        let compact: String = s
            .chars()
            .filter(|c| !(c.is_whitespace() || matches!(c, '.' | '-' | '(' | ')')))
            .collect();
        let subscriber = if let Some(rest) = compact
            .strip_prefix("+84")
            .or_else(|| compact.strip_prefix("0084"))
        {
            rest.strip_prefix('0').unwrap_or(rest)
        } else if let Some(rest) = compact.strip_prefix('0') {
            rest
        } else {
            // No national number starts with 8, so a leading 84 can only be the country code.
            compact.strip_prefix("84").ok_or(Invalid::Phone)?
        };
        let digits_ok = subscriber.bytes().all(|b| b.is_ascii_digit());
        let shape_ok = matches!(
            (subscriber.len(), subscriber.as_bytes().first()),
            (9, Some(b'3' | b'5' | b'7' | b'8' | b'9')) | (10, Some(b'2'))
        );
        if digits_ok && shape_ok {
            Ok(Phone(format!("+84{subscriber}")))
        } else {
            Err(Invalid::Phone)
        }
    }

    /// E.164: `+84912345678`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As written in Vietnam: `0912 345 678` for mobiles, `0214 3840 123` for landlines.
    pub fn national(&self) -> String {
        let national = format!("0{}", &self.0[3..]);
        let (first, second) = if national.len() == 10 { (4, 7) } else { (4, 8) };
        format!(
            "{} {} {}",
            &national[..first],
            &national[first..second],
            &national[second..]
        )
    }
}

impl TryFrom<String> for Phone {
    type Error = Invalid;

    fn try_from(s: String) -> Result<Phone, Invalid> {
        Phone::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error, StringDeserializer};

    #[test]
    fn a_mobile_number_parses_in_every_common_spelling() {
        for s in [
            "0912 345 678",
            "0912.345.678",
            "0912-345-678",
            "0912345678",
            "+84912345678",
            "+84 912 345 678",
            "84912345678",
            "(+84) 912 345 678",
            "0084912345678",
            "+84 0912 345 678",
            " 0912\u{a0}345\u{a0}678 ",
        ] {
            assert_eq!(
                Phone::parse(s).map(|p| p.as_str().to_owned()),
                Ok("+84912345678".to_owned()),
                "{s:?}"
            );
        }
    }

    #[test]
    fn every_mobile_prefix_is_accepted() {
        for prefix in ["03", "05", "07", "08", "09"] {
            assert!(
                Phone::parse(&format!("{prefix}12345678")).is_ok(),
                "{prefix}"
            );
        }
    }

    #[test]
    fn a_lao_cai_landline_is_accepted() {
        let phone = Phone::parse("0214 3840 123").unwrap();
        assert_eq!(phone.as_str(), "+842143840123");
        assert_eq!(phone.national(), "0214 3840 123");
    }

    #[test]
    fn a_mobile_number_is_shown_grouped_four_three_three() {
        assert_eq!(
            Phone::parse("+84912345678").unwrap().national(),
            "0912 345 678"
        );
    }

    #[test]
    fn numbers_of_the_wrong_shape_are_refused() {
        for s in [
            "",
            "091234567",    // too short
            "09123456789",  // too long for a mobile
            "0112345678",   // no such prefix
            "0612345678",   // no such prefix
            "021438401234", // too long for a landline
            "912345678",    // missing the trunk 0
            "+1 912 345 678",
            "0912 345 67a",
            "0912/345/678",
            "+84+912345678",
        ] {
            assert_eq!(Phone::parse(s), Err(Invalid::Phone), "{s:?}");
        }
    }

    #[test]
    fn a_phone_deserializes_from_any_spelling_and_serializes_as_e164() {
        let de: StringDeserializer<Error> = "0912 345 678".to_owned().into_deserializer();
        let phone = Phone::deserialize(de).unwrap();
        assert_eq!(String::from(phone), "+84912345678");
        let bad: StringDeserializer<Error> = "12".to_owned().into_deserializer();
        assert!(Phone::deserialize(bad).is_err());
    }
}
