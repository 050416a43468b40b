//! The browser bundle under `/pkg`: the pages name its files under a version drawn from their
//! content, which browsers may keep for good; the files go out compressed as the browser
//! accepts; the plain addresses still answer but must be checked again before reuse.
use crate::support::TestApp;

const CSS: &str = "body { color: #1d6b4f }";
/// Stands in for the release build's brotli copy: the server sends it as it is.
const CSS_BR: &[u8] = b"\x1b\x16\x00brotli-bytes";

/// The bundle a release build leaves in the site root, before the server starts on it.
async fn app_with_bundle() -> TestApp {
    TestApp::spawn_with(|settings| {
        let pkg = settings.data_dir.join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("choso.css"), CSS).unwrap();
        std::fs::write(pkg.join("choso.css.br"), CSS_BR).unwrap();
        std::fs::write(pkg.join("choso.js"), "export default function init() {}").unwrap();
        std::fs::write(pkg.join("choso.wasm"), b"\0asm\x01\0\0\0").unwrap();
    })
    .await
}

fn header(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

/// The version in the page's style sheet address, `/pkg/<version>/choso.css`.
fn version_in(page: &str) -> String {
    let start = page
        .find("href=\"/pkg/")
        .expect("the page links its style sheet under /pkg")
        + "href=\"/pkg/".len();
    let rest = &page[start..];
    let (version, file) = rest.split_once('/').expect("a versioned address");
    assert!(file.starts_with("choso.css\""), "{}", &rest[..40]);
    version.to_owned()
}

#[tokio::test]
async fn the_bundle_is_versioned_kept_for_good_and_sent_compressed() {
    let app = app_with_bundle().await;
    let page = app.anonymous().get("/").await.text().await.unwrap();
    let version = version_in(&page);
    assert_eq!(version.len(), 16, "{version}");
    // The script and wasm the page loads carry the same version (the wasm is `choso_bg.wasm`
    // in a build without cargo-leptos's LEPTOS_OUTPUT_NAME, as these tests are).
    assert!(page.contains(&format!("/pkg/{version}/choso.js")));
    assert!(
        page.contains(&format!("/pkg/{version}/choso.wasm"))
            || page.contains(&format!("/pkg/{version}/choso_bg.wasm"))
    );
    let client = reqwest::Client::new();
    let url = format!("{}/pkg/{version}/choso.css", app.base);

    // A browser that takes brotli gets the build's brotli copy, for a year.
    let res = client
        .get(&url)
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "content-encoding").as_deref(), Some("br"));
    assert_eq!(header(&res, "content-type").as_deref(), Some("text/css"));
    assert_eq!(
        header(&res, "cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(header(&res, "vary").as_deref(), Some("Accept-Encoding"));
    assert_eq!(&res.bytes().await.unwrap()[..], CSS_BR);

    // One that doesn't gets the file itself.
    let res = client.get(&url).send().await.unwrap();
    assert_eq!(header(&res, "content-encoding"), None);
    assert_eq!(
        header(&res, "cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(res.text().await.unwrap(), CSS);

    // The plain address still answers, but its content changes with each build.
    let res = app.anonymous().get("/pkg/choso.css").await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(&res, "cache-control").as_deref(), Some("no-cache"));
    assert_eq!(res.text().await.unwrap(), CSS);

    // Another build's version is not this one's files.
    let res = app.anonymous().get("/pkg/0000000000000000/choso.css").await;
    assert_eq!(res.status(), 404);
    assert_eq!(header(&res, "cache-control"), None);
    let res = app
        .anonymous()
        .get(&format!("/pkg/{version}/none.js"))
        .await;
    assert_eq!(res.status(), 404);
}

/// A server without a bundle (as in the other tests) names the plain addresses.
#[tokio::test]
async fn without_a_bundle_pages_name_the_plain_addresses() {
    let app = TestApp::spawn().await;
    let page = app.anonymous().get("/").await.text().await.unwrap();
    assert!(page.contains("href=\"/pkg/choso.css\""));
    assert!(page.contains("/pkg/choso.js"));
}
