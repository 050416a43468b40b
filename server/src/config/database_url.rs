//! The database's address, which may carry a password (`postgres://user:pass@host/db`).
use secrecy::{ExposeSecret, SecretString};
use std::fmt;

/// `sqlite://…` or `postgres://…`. It reads as the whole address, which connecting needs, but
/// prints (`{}` and `{:?}`) with any password masked, so a log line or an error can name the
/// database without giving away how to get into it.
#[derive(Clone)]
pub struct DatabaseUrl(SecretString);

impl DatabaseUrl {
    /// The embedded database inside `data_dir`, created when missing.
    pub fn sqlite_in(data_dir: &std::path::Path) -> Self {
        format!("sqlite://{}/choso.db?mode=rwc", data_dir.display()).into()
    }

    /// The address with the password of its user part and any `password=` parameter masked.
    /// A password with an unescaped `/`, `?` or `@` is masked whole too: the user part ends
    /// at the address's last `@`.
    pub fn masked(&self) -> String {
        let url = self.0.expose_secret();
        let shown = match url.split_once("://") {
            Some((scheme, rest)) => match rest.rsplit_once('@') {
                Some((user_info, host)) if user_info.contains(':') => {
                    let user = user_info.split(':').next().unwrap_or_default();
                    format!("{scheme}://{user}:{MASK}@{host}")
                }
                _ => url.to_owned(),
            },
            None => url.to_owned(),
        };
        match shown.split_once('?') {
            Some((address, query)) => {
                let params: Vec<String> = query
                    .split('&')
                    .map(|param| match param.split_once('=') {
                        Some((key, _)) if key.eq_ignore_ascii_case("password") => {
                            format!("{key}={MASK}")
                        }
                        _ => param.to_owned(),
                    })
                    .collect();
                format!("{address}?{}", params.join("&"))
            }
            None => shown,
        }
    }
}

/// What a password is shown as.
const MASK: &str = "***";

impl std::ops::Deref for DatabaseUrl {
    type Target = str;

    fn deref(&self) -> &str {
        self.0.expose_secret()
    }
}

impl From<String> for DatabaseUrl {
    fn from(url: String) -> Self {
        DatabaseUrl(url.into())
    }
}

impl From<&str> for DatabaseUrl {
    fn from(url: &str) -> Self {
        DatabaseUrl(url.into())
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({:?})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::DatabaseUrl;

    #[test]
    fn a_password_never_prints_but_the_address_still_connects() {
        let url =
            DatabaseUrl::from("postgres://choso:s3cr3t@db.example:5432/choso?sslmode=require");
        assert_eq!(
            url.to_string(),
            "postgres://choso:***@db.example:5432/choso?sslmode=require"
        );
        assert!(!format!("{url:?}").contains("s3cr3t"));
        assert_eq!(
            &*url,
            "postgres://choso:s3cr3t@db.example:5432/choso?sslmode=require"
        );
        let in_query = DatabaseUrl::from("postgres://db/choso?user=choso&password=s3cr3t");
        assert_eq!(
            in_query.to_string(),
            "postgres://db/choso?user=choso&password=***"
        );
        let unescaped = DatabaseUrl::from("postgres://choso:a/b?c@d@db/choso");
        assert_eq!(unescaped.to_string(), "postgres://choso:***@db/choso");
    }

    #[test]
    fn an_address_without_a_password_prints_whole() {
        let url = DatabaseUrl::sqlite_in(std::path::Path::new("data"));
        assert_eq!(url.to_string(), "sqlite://data/choso.db?mode=rwc");
        assert_eq!(
            DatabaseUrl::from("postgres://choso@db/choso").to_string(),
            "postgres://choso@db/choso"
        );
    }
}
