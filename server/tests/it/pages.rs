//! What every page does: the health check; a real 404 page, showing who is signed in; what a page
//! says of itself to search engines and link previews, with absolute addresses and names shown
//! as text, never as markup; and caching that keeps each visitor's page their own.
use crate::support::{self, TestApp};

#[tokio::test]
async fn health_reports_the_database() {
    let app = TestApp::spawn().await;
    let res = app.anonymous().get("/healthz").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn an_unknown_address_is_a_real_404_page() {
    let app = TestApp::spawn().await;
    let res = app.anonymous().get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("Không tìm thấy trang"));
}

#[tokio::test]
async fn an_unknown_address_shows_a_signed_in_visitor_as_signed_in() {
    let app = TestApp::spawn().await;
    let shopper = app.shopper("0912000032").await;
    let res = shopper.get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    let page = res.text().await.unwrap();
    assert!(page.contains(r#"<span class="who">Khách"#), "{page}");

    // An unknown stall: a 404 with a title and a way home.
    let res = shopper.get("/stalls/khong-co").await;
    assert_eq!(res.status(), 404);
    let page = res.text().await.unwrap();
    assert!(head(&page).contains("<title>"), "{}", head(&page));
    assert!(page.contains(r#"<a href="/">"#), "{page}");
}

/// A market's description says where and when it is held and how many stalls it has; the
/// sign-in and sign-up pages say what an account is for.
#[tokio::test]
async fn pages_describe_themselves_for_search_and_sharing() {
    let app = TestApp::spawn().await;
    let visitor = app.anonymous();
    let html = visitor.get("/markets/bac-ha").await.text().await.unwrap();
    let empty = meta_description(&html);
    assert!(
        empty.contains("Bắc Hà") && empty.contains("Chủ nhật"),
        "{empty}"
    );
    assert!(empty.contains("sẽ sớm có mặt"), "{empty}");
    app.approved_vendor("0912000071", "bac-ha").await;
    app.approved_vendor("0912000072", "bac-ha").await;
    let html = visitor.get("/markets/bac-ha").await.text().await.unwrap();
    assert!(meta_description(&html).contains("2 gian hàng"), "{html}");
    for path in ["/login", "/signup"] {
        let html = visitor.get(path).await.text().await.unwrap();
        assert!(
            meta_description(&html).contains("gian hàng"),
            "{path}: {}",
            meta_description(&html)
        );
    }
}

fn meta_description(html: &str) -> &str {
    let start = html
        .find(r#"<meta name="description" content=""#)
        .expect("a description")
        + r#"<meta name="description" content=""#.len();
    let len = html[start..].find('"').unwrap();
    &html[start..start + len]
}

/// The page's head from a rendered page.
fn head(page: &str) -> &str {
    &page[..page.find("</head>").expect("a head")]
}

#[tokio::test]
async fn open_graph_addresses_are_absolute_and_a_stall_shows_its_photo() {
    let app = TestApp::spawn_with(|s| s.public_url = Some("https://cho.example".into())).await;
    let (vendor, _) = app.approved_vendor("0912000031", "sa-pa").await;
    vendor.upload_stall_photo(support::png(800, 600)).await;
    let stall = vendor.my_stall().await.unwrap().0;
    let page = app
        .anonymous()
        .get(&format!("/stalls/{}", stall.slug))
        .await
        .text()
        .await
        .unwrap();
    let stall_head = head(&page);
    assert!(
        stall_head.contains(&format!(
            r#"<meta property="og:url" content="https://cho.example/stalls/{}">"#,
            stall.slug
        )),
        "{stall_head}"
    );
    assert!(
        stall_head.contains(&format!(
            r#"<meta property="og:image" content="https://cho.example{}">"#,
            stall.photo_url().unwrap()
        )),
        "{stall_head}"
    );

    // Without a public address, the host the request named.
    let app = TestApp::spawn().await;
    let page = app.anonymous().get("/ocop").await.text().await.unwrap();
    assert!(
        head(&page).contains(&format!(
            r#"<meta property="og:url" content="{}/ocop">"#,
            app.base
        )),
        "{}",
        head(&page)
    );
}

#[tokio::test]
async fn markup_in_a_name_is_shown_as_text_in_the_page_and_its_head() {
    let app = TestApp::spawn().await;
    let evil = "x</title><script>alert(1)</script>";
    let vendor = app.vendor("0912000030").await;
    let stall = vendor.open_market_stall(evil, "coc-leu").await;
    vendor.call("/api/submit_stall", &[]).await.unwrap();
    vendor.set_payments(true, false, "0").await;
    app.manager("coc-leu")
        .await
        .move_stall(stall.id, "approve")
        .await
        .unwrap();
    let product = vendor
        .add_product(evil, "35.000", "100", true)
        .await
        .unwrap();
    let page = app
        .anonymous()
        .get(&format!("/products/{product}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("<script>alert(1)"), "{page}");
    assert!(
        head(&page).contains(
            "<title>x&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; · Chợ Số</title>"
        ),
        "{}",
        head(&page)
    );
    assert!(
        head(&page)
            .contains(r#"content="x&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; · Chợ Số""#),
        "og:title is escaped too: {}",
        head(&page)
    );
    let page = app
        .anonymous()
        .get(&format!("/stalls/{}", stall.slug))
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("<script>alert(1)"), "{page}");
    assert!(
        head(&page).contains("<title>x&lt;/title&gt;"),
        "{}",
        head(&page)
    );
}

fn header(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

/// A page depends on the visitor's language and cookies, so no shared cache may keep it; a
/// signed-in visitor's page isn't stored at all. Photos keep their long-lived caching.
#[tokio::test]
async fn pages_are_private_to_their_visitor_and_photos_stay_cacheable() {
    let app = TestApp::spawn().await;
    let page_vary = Some("Accept-Language, Cookie".to_string());
    for path in ["/", "/markets/sa-pa", "/login", "/no-such-page"] {
        let res = app.anonymous().get(path).await;
        assert_eq!(header(&res, "vary"), page_vary, "{path}");
        assert_eq!(
            header(&res, "cache-control").as_deref(),
            Some("private, no-cache"),
            "{path}"
        );
    }
    let (vendor, _) = app.approved_vendor("0912000070", "sa-pa").await;
    for path in ["/", "/my/stall"] {
        let res = vendor.get(path).await;
        assert_eq!(header(&res, "vary"), page_vary, "{path}");
        assert_eq!(
            header(&res, "cache-control").as_deref(),
            Some("private, no-store"),
            "{path}"
        );
    }
    let id = vendor
        .add_product("Táo mèo", "40.000", "", true)
        .await
        .unwrap();
    vendor
        .upload_photo(id, "x.png", support::png(400, 300))
        .await;
    let key = vendor.my_product(id).await.photos[0].clone();
    let res = app.anonymous().get(&format!("/photos/{key}.jpg")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(&res, "cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(header(&res, "vary"), None);
    assert_eq!(header(&app.anonymous().get("/healthz").await, "vary"), None);
}
