//! A form's submission token. A form that creates something carries a fresh token, and the
//! store keeps it with what the form created, so the same form posted twice (a second tap
//! while a slow upload is still on its way, a reload that posts again) creates it once.

use super::invalid::Invalid;
use serde::{Deserialize, Serialize};

/// 32 lowercase hexadecimal digits: a random UUID, written without dashes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Submission(String);

impl Submission {
    /// A token no other form was given.
    #[cfg(feature = "ssr")]
    pub fn fresh() -> Self {
        Submission(uuid::Uuid::new_v4().simple().to_string())
    }

    pub fn parse(s: &str) -> Result<Self, Invalid> {
        let valid = s.len() == 32 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        valid
            .then(|| Submission(s.to_string()))
            .ok_or(Invalid::Unknown)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Submission {
    type Error = Invalid;

    fn try_from(s: String) -> Result<Self, Invalid> {
        Submission::parse(&s)
    }
}

impl From<Submission> for String {
    fn from(s: Submission) -> String {
        s.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_generated_token_is_one() {
        let token = "0123456789abcdef0123456789abcdef";
        assert_eq!(Submission::parse(token).unwrap().as_str(), token);
        for bad in [
            "",
            "0123",
            &token.to_uppercase(),
            &format!("{token}0"),
            "../../etc/passwd0123456789abcdef",
        ] {
            assert_eq!(Submission::parse(bad), Err(Invalid::Unknown), "{bad}");
        }
    }
}
