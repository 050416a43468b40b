//! How many statements each main page costs, counted on the app's own connection: each page
//! within a budget, and lists costing the same whatever their length, so a query per listed row
//! (an N+1) fails here rather than at the market on a Sunday.
use crate::support::{TestApp, Visitor};

/// The statements one request costs. A session's keep-alive write counts: it is part of the
/// page's cost. Anonymous pages are asked with a language of their own (`x-budget` in the
/// query), so they are rendered rather than served from the kept pages.
async fn cost(app: &TestApp, visitor: &Visitor, path: &str) -> u64 {
    let before = app.queries.get();
    let res = visitor.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    assert_ne!(
        res.headers().get("x-cache").map(|v| v.as_bytes()),
        Some(&b"hit"[..]),
        "{path} was rendered"
    );
    res.text().await.unwrap();
    app.queries.get() - before
}

/// A path asked afresh each time: the kept pages are keyed by the query too.
fn fresh(path: &str, n: u32) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}budget={n}")
}

async fn add_products(vendor: &Visitor, from: usize, to: usize) {
    for i in from..to {
        vendor
            .add_product(&format!("Mận số {i}"), "45.000", "20", true)
            .await
            .unwrap();
    }
}

async fn buy(shopper: &Visitor, product: app::domain::id::ProductId) {
    shopper.add_to_cart(product, "1").await.unwrap();
    shopper.place_order("vietqr", &[]).await.unwrap();
}

#[tokio::test]
async fn every_main_page_stays_within_its_query_budget_however_long_its_lists() {
    // One shopper holds several unpaid checkouts here.
    let app = TestApp::spawn_with(|s| {
        s.hold_limits.per_session = 100;
        s.hold_limits.per_phone = 100;
    })
    .await;
    let (vendor, first) = app
        .transfer_vendor("0912800001", "bac-ha", ("Mận tam hoa", "45.000", "200"))
        .await;
    let stall = vendor.my_stall().await.unwrap().0;
    let shopper = app.shopper("0912800002").await;
    buy(&shopper, first).await;
    let anon = app.anonymous();
    let pages = |n: u32| {
        [
            (&anon, fresh("/", n), 6),
            (&anon, fresh("/markets/bac-ha", n), 4),
            (&anon, fresh(&format!("/stalls/{}", stall.slug), n), 6),
            (&anon, fresh(&format!("/products/{first}"), n), 7),
            (&anon, fresh("/ocop", n), 3),
            (&anon, fresh("/search?q=m%E1%BA%ADn", n), 5),
            // Signed in, the same pages are rendered for every request: the session and who is
            // signed in are read once each, however many parts of the page ask.
            (&shopper, fresh("/", n), 7),
            (&shopper, fresh(&format!("/stalls/{}", stall.slug), n), 6),
            (&shopper, fresh(&format!("/products/{first}"), n), 7),
            (&vendor, "/my/stall".to_owned(), 16),
            // This month's orders for the summary, then one page of the list: each a bounded
            // read whatever the stall's history.
            (&vendor, "/my/orders".to_owned(), 19),
            (&shopper, "/my/purchases".to_owned(), 14),
        ]
    };
    let mut small = Vec::new();
    for (visitor, path, budget) in pages(1) {
        let queries = cost(&app, visitor, &path).await;
        assert!(
            queries <= budget,
            "{path}: {queries} queries, budget {budget}"
        );
        small.push(queries);
    }

    // Forty products, a second stall at the market, and four more checkouts.
    add_products(&vendor, 1, 40).await;
    let (_, other) = app
        .transfer_vendor("0912800003", "bac-ha", ("Táo mèo", "40.000", ""))
        .await;
    for product in [first, other, first, other] {
        buy(&shopper, product).await;
    }
    for ((visitor, path, budget), before) in pages(2).into_iter().zip(small) {
        let queries = cost(&app, visitor, &path).await;
        assert!(
            queries <= budget,
            "{path}: {queries} queries, budget {budget}"
        );
        assert!(
            queries <= before + 1,
            "{path}: {before} queries with short lists, {queries} with long ones"
        );
    }
}

/// What every visitor sees alike (the shelves, a market's list of products) is read once for
/// signed-in pages too and kept until the catalog changes: asked again, the page costs at least
/// two statements fewer (more than a session's keep-alive write could account for), and a
/// vendor's change shows on the next page. Typed words are one visitor's, read every time.
#[tokio::test]
async fn signed_in_pages_reuse_the_catalog_reads_until_the_catalog_changes() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app
        .transfer_vendor("0912800011", "bac-ha", ("Mận tam hoa", "45.000", "20"))
        .await;
    let shopper = app.shopper("0912800012").await;
    let search = "/search?market=bac-ha";
    for path in ["/", search] {
        let first = cost(&app, &shopper, path).await;
        let again = cost(&app, &shopper, path).await;
        assert!(
            again + 2 <= first,
            "{path}: {first} statements, then {again}"
        );
    }
    let page = async |shopper: &Visitor| shopper.get(search).await.text().await.unwrap();
    assert!(!page(&shopper).await.contains("Mận hậu"));
    vendor
        .add_product("Mận hậu", "50.000", "10", true)
        .await
        .unwrap();
    let first = cost(&app, &shopper, search).await;
    assert!(page(&shopper).await.contains("Mận hậu"), "shown at once");
    assert!(
        first >= cost(&app, &shopper, search).await + 2,
        "read again once"
    );
    let words = "/search?q=m%E1%BA%ADn";
    let first = cost(&app, &shopper, words).await;
    let again = cost(&app, &shopper, words).await;
    assert!(
        again + 1 >= first,
        "words: read again, {first} then {again}"
    );
}
