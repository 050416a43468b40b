//! The browser bundle under `/pkg` (script, wasm, style sheet), addressed by a version drawn
//! from its content: `/pkg/<version>/choso.js`. The pages name the current version, so a
//! browser keeps these files for a year without asking again, and a new build, having new
//! addresses, is fetched at once. On a slow mountain connection that saves the bundle's
//! hundreds of kilobytes, or at least a round trip per file, on every page after the first.
//!
//! Files go out brotli- or gzip-compressed when the release build made those copies and the
//! browser accepts them. The same files at their plain addresses (`/pkg/choso.js`), or under a
//! version that is no longer current, are served for whatever still asks for them, but must be
//! checked again before each reuse: their content changes with each build.
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::LeptosOptions;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// For a file whose address changes with its content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For a file whose address stays while its content changes.
pub const REVALIDATE: &str = "no-cache";

/// The bundle's directory and the version of what it holds.
#[derive(Debug)]
pub struct Bundle {
    dir: PathBuf,
    /// The URL path the bundle is served under, `/pkg`.
    prefix: String,
    /// `None` when there is no bundle (a server built without one, as in tests).
    version: Option<String>,
}

impl Bundle {
    /// Reads the bundle at `site_root/site_pkg_dir` and draws its version.
    pub fn load(options: &LeptosOptions) -> Bundle {
        let dir = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
        // Under `cargo leptos watch` the bundle is rebuilt while the server runs (a style
        // sheet is swapped in without a restart): a version drawn at start would soon name
        // other content.
        let watched = std::env::var("LEPTOS_WATCH").is_ok_and(|w| w == "true");
        let version = if watched { None } else { version_of(&dir) };
        if version.is_none() {
            tracing::info!(dir = %dir.display(), "no browser bundle: pages name its plain addresses");
        }
        Bundle {
            dir,
            prefix: format!("/{}", options.site_pkg_dir.trim_matches('/')),
            version,
        }
    }

    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    /// The route that serves the bundle, versioned or not.
    pub fn route(&self) -> String {
        format!("{}/{{*path}}", self.prefix)
    }

    /// `options` with the bundle's directory named under its version, so that the pages'
    /// script, wasm and style sheet links carry it.
    pub fn addressed(&self, mut options: LeptosOptions) -> LeptosOptions {
        if let Some(version) = &self.version {
            options.site_pkg_dir =
                format!("{}/{version}", self.prefix.trim_start_matches('/')).into();
        }
        options
    }

    /// Which file a request path names, and whether it names it under the current version.
    fn file_of(&self, path: &str) -> Option<(String, bool)> {
        let rest = path.strip_prefix(&self.prefix)?;
        let versioned = self
            .version
            .as_ref()
            .and_then(|v| rest.strip_prefix('/')?.strip_prefix(v.as_str()))
            .filter(|r| r.starts_with('/'));
        Some(match versioned {
            Some(file) => (file.to_owned(), true),
            None => (rest.to_owned(), false),
        })
    }
}

/// The first 16 hex digits of a SHA-256 over the names and contents of the bundle's files (its
/// compressed copies follow from them), in name order; `None` when there are none.
fn version_of(dir: &Path) -> Option<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| !matches!(p.extension().and_then(|e| e.to_str()), Some("br" | "gz")))
        .collect();
    if files.is_empty() {
        return None;
    }
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        let bytes = std::fs::read(&file).ok()?;
        hasher.update(file.file_name()?.as_encoded_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Some(hex::encode(hasher.finalize())[..16].to_owned())
}

/// `GET /pkg/...`: a file of the bundle, compressed as the browser accepts, with the caching its
/// address allows.
pub async fn serve(bundle: Arc<Bundle>, req: Request) -> Response {
    let Some((file, current)) = bundle.file_of(req.uri().path()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (mut parts, body) = req.into_parts();
    parts.uri = match Uri::try_from(file) {
        Ok(uri) => uri,
        Err(_) => return StatusCode::NOT_FOUND.into_response(),
    };
    let served = ServeDir::new(&bundle.dir)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(Request::from_parts(parts, body))
        .await;
    let mut res = match served {
        Ok(res) => res.map(Body::new),
        Err(err) => {
            tracing::error!(error = %err, "serving a bundle file failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let status = res.status();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        let caching = if current { IMMUTABLE } else { REVALIDATE };
        let headers = res.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(caching));
        // A shared cache must not hand the brotli copy to a browser that didn't ask for it.
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(version: Option<&str>) -> Bundle {
        Bundle {
            dir: PathBuf::from("/nowhere"),
            prefix: "/pkg".into(),
            version: version.map(str::to_owned),
        }
    }

    #[test]
    fn only_the_current_version_is_current() {
        let b = bundle(Some("0123abcd"));
        assert_eq!(
            b.file_of("/pkg/0123abcd/choso.js"),
            Some(("/choso.js".into(), true))
        );
        assert_eq!(
            b.file_of("/pkg/choso.js"),
            Some(("/choso.js".into(), false))
        );
        // An earlier build's address names a directory that isn't there: not found.
        assert_eq!(
            b.file_of("/pkg/99999999/choso.js"),
            Some(("/99999999/choso.js".into(), false))
        );
        // A longer version that starts like the current one is another version.
        assert_eq!(
            b.file_of("/pkg/0123abcdef/choso.js"),
            Some(("/0123abcdef/choso.js".into(), false))
        );
        assert_eq!(
            bundle(None).file_of("/pkg/choso.css"),
            Some(("/choso.css".into(), false))
        );
        assert_eq!(b.file_of("/photos/x.jpg"), None);
    }

    #[test]
    fn the_version_follows_the_content_but_not_the_compressed_copies() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(version_of(dir.path()), None);
        std::fs::write(dir.path().join("choso.css"), "body{}").unwrap();
        let first = version_of(dir.path()).unwrap();
        assert_eq!(first.len(), 16);
        std::fs::write(dir.path().join("choso.css.br"), "compressed").unwrap();
        assert_eq!(version_of(dir.path()).as_deref(), Some(first.as_str()));
        std::fs::write(dir.path().join("choso.css"), "body{color:red}").unwrap();
        assert_ne!(version_of(dir.path()).unwrap(), first);
    }
}
