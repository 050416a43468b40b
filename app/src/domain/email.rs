//! Email addresses, and the login field that takes either a phone number or an email.
use super::invalid::Invalid;
use super::phone::Phone;
use serde::{Deserialize, Serialize};

/// Longest address that fits in SMTP's path limit.
const MAX_LEN: usize = 254;

/// A plausible email address, trimmed and lowercased so that one mailbox is one account.
///
/// Deliberately loose: the only real check of an address is a message arriving there.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// One `@`, a non-empty local part, a domain with an inner dot, no spaces, ≤ 254 bytes.
    pub fn parse(s: &str) -> Result<Email, Invalid> {
        let email = s.trim().to_lowercase();
        let well_formed = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            }
            None => false,
        };
        if well_formed && email.len() <= MAX_LEN && !email.contains(char::is_whitespace) {
            Ok(Email(email))
        } else {
            Err(Invalid::Email)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = Invalid;

    fn try_from(s: String) -> Result<Email, Invalid> {
        Email::parse(&s)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> String {
        email.0
    }
}

/// What a person signs in with.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Login {
    Phone(Phone),
    Email(Email),
}

impl Login {
    /// An email when the text has an `@`, otherwise a phone number; the error names the kind
    /// that was attempted, so the form can say which one looks wrong.
    pub fn parse(s: &str) -> Result<Login, Invalid> {
        if s.contains('@') {
            Email::parse(s).map(Login::Email)
        } else {
            Phone::parse(s).map(Login::Phone)
        }
    }

    /// The canonical text: E.164 for a phone, the lowercased address for an email.
    pub fn as_str(&self) -> &str {
        match self {
            Login::Phone(phone) => phone.as_str(),
            Login::Email(email) => email.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Lan.Nguyen@Gmail.COM ").unwrap().as_str(),
            "lan.nguyen@gmail.com"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for s in [
            "",
            "lan",
            "@gmail.com",
            "lan@",
            "lan@localhost",
            "lan@@gmail.com",
            "lan@gmail@com.vn",
            "lan nguyen@gmail.com",
            "lan@.com",
            "lan@gmail.",
        ] {
            assert_eq!(Email::parse(s), Err(Invalid::Email), "{s:?}");
        }
    }

    #[test]
    fn an_email_longer_than_254_bytes_is_refused() {
        let domain = "@example.vn";
        let fits = format!("{}{domain}", "a".repeat(254 - domain.len()));
        assert!(Email::parse(&fits).is_ok());
        assert_eq!(Email::parse(&format!("a{fits}")), Err(Invalid::Email));
    }

    #[test]
    fn a_login_with_an_at_sign_is_an_email() {
        assert_eq!(
            Login::parse("Shop@OCOP.vn"),
            Ok(Login::Email(Email::parse("shop@ocop.vn").unwrap()))
        );
        assert_eq!(Login::parse("shop@"), Err(Invalid::Email));
    }

    #[test]
    fn a_login_without_an_at_sign_is_a_phone() {
        let login = Login::parse("0912 345 678").unwrap();
        assert_eq!(login, Login::Phone(Phone::parse("+84912345678").unwrap()));
        assert_eq!(login.as_str(), "+84912345678");
        assert_eq!(Login::parse("shop.ocop.vn"), Err(Invalid::Phone));
    }
}
