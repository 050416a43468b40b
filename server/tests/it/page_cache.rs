//! The catalog pages kept for visitors without a session: served again without a query, dropped
//! at once by the writes they show (a vendor's edit, an order's stock, an approval, a
//! suspension), never kept for or shown to a signed-in visitor, one per language, and answered
//! `304 Not Modified` to a browser that holds them.
use crate::support::{TestApp, Visitor};
use app::domain::id::ProductId;

/// A page as an anonymous visitor gets it: status, `x-cache`, `ETag` and body.
struct Got {
    status: u16,
    cache: Option<String>,
    etag: Option<String>,
    body: String,
}

async fn get(visitor: &Visitor, path: &str, headers: &[(&'static str, &str)]) -> Got {
    let res = visitor.get_with_headers(path, headers).await;
    let header = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let (status, cache, etag) = (res.status().as_u16(), header("x-cache"), header("etag"));
    assert!(
        res.headers().get("set-cookie").is_none() || cache.is_none(),
        "{path}: a kept page sets no cookie"
    );
    Got {
        status,
        cache,
        etag,
        body: res.text().await.unwrap(),
    }
}

async fn anon(app: &TestApp, path: &str) -> Got {
    get(&app.anonymous(), path, &[]).await
}

/// A product's edit by its vendor, through the same form the page posts.
async fn rename(vendor: &Visitor, id: ProductId, name: &str) {
    let id = id.to_string();
    let _: ProductId = vendor
        .call_json(
            "/api/save_product",
            &[
                ("product_id", id.as_str()),
                ("form[name]", name),
                ("form[description_vi]", "Đặc sản Lào Cai."),
                ("form[category]", "fruit"),
                ("form[unit]", "kg"),
                ("form[price]", "45.000"),
                ("form[stock]", "20"),
                ("form[published]", "on"),
            ],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_kept_page_is_served_again_without_a_query_and_with_the_same_tag() {
    let app = TestApp::spawn().await;
    let (_, plum) = app
        .transfer_vendor("0912700001", "bac-ha", ("Mận tam hoa", "45.000", "20"))
        .await;
    for path in [
        format!("/products/{plum}"),
        "/".to_owned(),
        "/markets/bac-ha".to_owned(),
        "/api/v1/stalls".to_owned(),
    ] {
        let first = anon(&app, &path).await;
        assert_eq!((first.status, first.cache.as_deref()), (200, Some("miss")));
        let before = app.queries.get();
        let again = anon(&app, &path).await;
        assert_eq!(
            app.queries.get(),
            before,
            "{path}: no query for a kept page"
        );
        assert_eq!(again.cache.as_deref(), Some("hit"), "{path}");
        assert_eq!(again.body, first.body, "{path}");
        assert!(again.etag.is_some() && again.etag == first.etag, "{path}");
    }
    assert!(app.pages.hits() >= 4);
}

#[tokio::test]
async fn a_vendors_edit_shows_on_the_next_anonymous_page_of_every_kind() {
    let app = TestApp::spawn().await;
    let (vendor, plum) = app
        .transfer_vendor("0912700002", "bac-ha", ("Mận tam hoa", "45.000", "20"))
        .await;
    let (_, other) = app
        .transfer_vendor("0912700003", "sa-pa", ("Táo mèo", "40.000", ""))
        .await;
    let stall = vendor.my_stall().await.unwrap().0;
    let pages = [
        format!("/products/{plum}"),
        format!("/stalls/{}", stall.slug),
        "/".to_owned(),
    ];
    for path in &pages {
        assert!(
            anon(&app, path).await.body.contains("Mận tam hoa"),
            "{path}"
        );
    }
    let elsewhere = format!("/products/{other}");
    anon(&app, &elsewhere).await;

    rename(&vendor, plum, "Mận hậu Bắc Hà").await;
    for path in &pages {
        let page = anon(&app, path).await;
        assert_eq!(page.cache.as_deref(), Some("miss"), "{path}");
        assert!(page.body.contains("Mận hậu Bắc Hà"), "{path}");
    }
    // Another stall's product page shows nothing of this one: it stays kept.
    assert_eq!(anon(&app, &elsewhere).await.cache.as_deref(), Some("hit"));
}

#[tokio::test]
async fn an_order_taking_stock_drops_the_products_page() {
    let app = TestApp::spawn().await;
    let (_, plum) = app
        .transfer_vendor("0912700004", "bac-ha", ("Mận tam hoa", "45.000", "20"))
        .await;
    let path = format!("/products/{plum}");
    let stock = |app: &TestApp| {
        let catalog = app.ports.catalog.clone();
        async move { catalog.by_id(plum).await.unwrap().unwrap().stock }
    };
    let (before, had) = (anon(&app, &path).await, stock(&app).await);
    assert_eq!(anon(&app, &path).await.cache.as_deref(), Some("hit"));

    let shopper = app.anonymous();
    shopper.add_to_cart(plum, "3").await.unwrap();
    shopper.place_order("vietqr", &[]).await.unwrap();
    let after = anon(&app, &path).await;
    assert_eq!(after.cache.as_deref(), Some("miss"));
    assert_ne!(after.etag, before.etag, "the stock shown moved");
    assert_ne!(stock(&app).await, had);
}

#[tokio::test]
async fn a_suspension_and_an_approval_show_on_the_next_anonymous_page() {
    let app = TestApp::spawn().await;
    let (vendor, plum) = app
        .transfer_vendor("0912700005", "sa-pa", ("Táo mèo", "40.000", ""))
        .await;
    let stall = vendor.my_stall().await.unwrap().0;
    let (stall_page, product_page) = (
        format!("/stalls/{}", stall.slug),
        format!("/products/{plum}"),
    );
    for path in [&stall_page, &product_page, &"/".to_owned()] {
        anon(&app, path).await;
        assert_eq!(anon(&app, path).await.cache.as_deref(), Some("hit"));
    }
    let manager = app.manager_once("sa-pa").await;
    manager
        .call(
            "/api/move_stall",
            &[
                ("stall_id", &stall.id.to_string()),
                ("step", "suspend"),
                ("reason", "Chưa nộp phí"),
                ("confirmed", "yes"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(anon(&app, &stall_page).await.status, 404);
    assert_eq!(anon(&app, &product_page).await.status, 404);
    assert!(!anon(&app, "/").await.body.contains("Táo mèo"));

    // A new stall's approval puts it on the market's page at once.
    anon(&app, "/markets/sa-pa").await;
    let (newcomer, _) = app.approved_vendor("0912700006", "sa-pa").await;
    let listed = newcomer.my_stall().await.unwrap().0;
    let page = anon(&app, "/markets/sa-pa").await;
    assert_eq!(page.cache.as_deref(), Some("miss"));
    assert!(page.body.contains(&listed.name), "{}", listed.name);
}

#[tokio::test]
async fn a_signed_in_visitor_is_never_served_a_kept_page_nor_leaves_one() {
    let app = TestApp::spawn().await;
    let (_, plum) = app
        .transfer_vendor("0912700007", "bac-ha", ("Mận tam hoa", "45.000", "20"))
        .await;
    let shopper = app.shopper("0912700008").await;
    shopper.add_to_cart(plum, "2").await.unwrap();
    let path = format!("/products/{plum}");
    for _ in 0..2 {
        let page = get(&shopper, &path, &[]).await;
        assert_eq!(page.status, 200);
        assert_eq!(page.cache, None, "never from the cache");
        assert!(page.body.contains("Khách"), "their own header");
    }
    let page = anon(&app, &path).await;
    assert_eq!(
        page.cache.as_deref(),
        Some("miss"),
        "nothing was kept for them"
    );
    assert!(!page.body.contains("Khách"));
    assert_eq!(get(&shopper, &path, &[]).await.cache, None);
    // A visitor sending a cookie of their own (a session, or anything else) is not served it.
    let stranger = get(
        &app.anonymous(),
        &path,
        &[("cookie", "choso_session=made-up")],
    )
    .await;
    assert_eq!(stranger.cache, None);
}

#[tokio::test]
async fn each_language_is_kept_apart_whatever_the_browser_sends() {
    let app = TestApp::spawn().await;
    let (_, plum) = app
        .transfer_vendor("0912700009", "bac-ha", ("Mận tam hoa", "45.000", "20"))
        .await;
    let path = format!("/products/{plum}");
    let visitor = app.anonymous();
    let vi = get(&visitor, &path, &[("accept-language", "vi-VN,vi;q=0.9")]).await;
    let en = get(&visitor, &path, &[("accept-language", "en-GB,en;q=0.8")]).await;
    assert_eq!(
        en.cache.as_deref(),
        Some("miss"),
        "English is a page of its own"
    );
    assert_ne!(vi.body, en.body);
    assert!(en.body.contains("lang=\"en\""));
    // Another browser's way of asking for English, or the chosen-language cookie, finds it.
    for headers in [
        [("accept-language", "en-US")],
        [("cookie", "i18n_pref_locale=en")],
    ] {
        let again = get(&visitor, &path, &headers).await;
        assert_eq!(again.cache.as_deref(), Some("hit"), "{headers:?}");
        assert_eq!(again.body, en.body);
    }
    let default = get(&visitor, &path, &[]).await;
    assert_eq!(
        (default.cache.as_deref(), default.body),
        (Some("hit"), vi.body)
    );
}

#[tokio::test]
async fn a_browser_holding_the_page_is_answered_not_modified_until_it_changes() {
    let app = TestApp::spawn().await;
    let (vendor, plum) = app
        .transfer_vendor("0912700010", "bac-ha", ("Mận tam hoa", "45.000", "20"))
        .await;
    let path = format!("/products/{plum}");
    let visitor = app.anonymous();
    let first = get(&visitor, &path, &[]).await;
    let etag = first.etag.clone().expect("a kept page has an ETag");
    let res = visitor
        .get_with_headers(&path, &[("if-none-match", &etag)])
        .await;
    assert_eq!(res.status(), 304);
    assert_eq!(res.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(
        res.headers()["cache-control"].to_str().unwrap(),
        "private, no-cache",
        "the browser asks again next time"
    );
    assert!(res.text().await.unwrap().is_empty());

    rename(&vendor, plum, "Mận hậu").await;
    let changed = get(&visitor, &path, &[("if-none-match", &etag)]).await;
    assert_eq!(changed.status, 200);
    assert_ne!(changed.etag.as_deref(), Some(etag.as_str()));
    assert!(changed.body.contains("Mận hậu"));
}

#[tokio::test]
async fn pages_of_ones_own_and_pages_not_found_are_never_kept() {
    let app = TestApp::spawn().await;
    for path in [
        "/cart",
        "/login",
        "/my/purchases",
        "/admin",
        "/products/999999",
    ] {
        let page = anon(&app, path).await;
        assert_eq!(page.cache, None, "{path}");
        assert_eq!(page.etag, None, "{path}");
    }
}

/// An order moving at one stall drops that stall's pages, whose stock moved, and leaves another
/// stall's kept; the catalog pages stay kept while no product's stock reaches zero or comes back
/// from it, and are dropped when one does.
#[tokio::test]
async fn an_order_moving_drops_its_own_stalls_pages_only_and_the_catalog_when_stock_crosses_zero() {
    let app = TestApp::spawn().await;
    let (plums, plum) = app
        .transfer_vendor("0912700010", "bac-ha", ("Mận tam hoa", "45.000", "20"))
        .await;
    let (apples, apple) = app
        .transfer_vendor("0912700011", "sa-pa", ("Táo mèo", "40.000", "3"))
        .await;
    let shopper = app.anonymous();
    shopper.add_to_cart(plum, "3").await.unwrap();
    shopper.add_to_cart(apple, "3").await.unwrap();
    shopper.place_order("vietqr", &[]).await.unwrap();
    let (plum_page, apple_page) = (format!("/products/{plum}"), format!("/products/{apple}"));
    let kept = |path: &str| {
        let path = path.to_owned();
        let app = &app;
        async move {
            anon(app, &path).await;
            let again = anon(app, &path).await;
            assert_eq!(again.cache.as_deref(), Some("hit"), "{path} kept");
            again
        }
    };
    let (plum_before, apple_before) = (kept(&plum_page).await, kept(&apple_page).await);
    kept("/").await;

    // 17 plums left, 20 once given back: the stall's page shows it, nothing else changed.
    let order = plums.stall_orders().await[0].id;
    plums.move_order(order, "cancel").await.unwrap();
    let plum_after = anon(&app, &plum_page).await;
    assert_eq!(
        plum_after.cache.as_deref(),
        Some("miss"),
        "the stock shown moved"
    );
    assert_ne!(plum_after.etag, plum_before.etag);
    let apple_after = anon(&app, &apple_page).await;
    assert_eq!(
        apple_after.cache.as_deref(),
        Some("hit"),
        "another stall's page"
    );
    assert_eq!(apple_after.etag, apple_before.etag);
    assert_eq!(
        anon(&app, "/").await.cache.as_deref(),
        Some("hit"),
        "no shelf changed"
    );

    // The apples were sold out: given back, they are on the shelves again.
    let order = apples.stall_orders().await[0].id;
    apples.move_order(order, "cancel").await.unwrap();
    assert_eq!(anon(&app, &apple_page).await.cache.as_deref(), Some("miss"));
    assert_eq!(
        anon(&app, "/").await.cache.as_deref(),
        Some("miss"),
        "back in stock"
    );
}
