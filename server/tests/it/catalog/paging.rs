//! Lists that grow with data, read a page at a time: a stall's products, a market's stalls,
//! a stall's orders and the administrators' orders. Every item shows on exactly one page, in
//! one order, a next page is offered only when there is one, and the links keep the filters.
use crate::support::clock::{app_at, lao_cai};
use crate::support::{TestApp, Visitor};
use app::domain::paging::Paged;
use app::domain::sales::SalesSummary;
use app::model::{Order, Product, Stall, StallRef, StallsOfMarket};

/// Page `page` of the stall's products as a shopper reads it.
async fn stall_page(visitor: &Visitor, slug: &str, page: &str) -> Paged<Product> {
    let (_, products): (Stall, Paged<Product>) = visitor
        .call_json("/api/stall_page", &[("slug", slug), ("page", page)])
        .await
        .unwrap();
    products
}

#[tokio::test]
async fn a_stall_shows_its_products_twelve_at_a_time_each_once() {
    let app = TestApp::spawn().await;
    let (vendor, stall) = app.approved_vendor("0912300001", "sa-pa").await;
    let mut names: Vec<String> = (1..=26).map(|n| format!("Chè shan tuyết {n:02}")).collect();
    // Two products with one name: the id orders them, so neither is repeated nor skipped.
    names.push("Chè shan tuyết 05".to_owned());
    for name in &names {
        vendor.add_product(name, "20.000", "5", true).await.unwrap();
    }
    let shopper = app.anonymous();
    let mut seen = Vec::new();
    let mut more = Vec::new();
    for page in ["1", "2", "3"] {
        let found = stall_page(&shopper, &stall.slug, page).await;
        assert_eq!(found.page.get().to_string(), page);
        more.push(found.has_next);
        seen.extend(found.items.into_iter().map(|p| (p.name, p.id)));
    }
    assert_eq!(more, [true, true, false]);
    let mut ids: Vec<_> = seen.iter().map(|(_, id)| *id).collect();
    ids.dedup();
    assert_eq!(ids.len(), names.len(), "each product on exactly one page");
    names.sort();
    let shown: Vec<String> = seen.into_iter().map(|(name, _)| name).collect();
    assert_eq!(shown, names, "by name across the pages");
    assert!(stall_page(&shopper, &stall.slug, "4").await.is_empty());
    for refused in ["0", "501", "x"] {
        let answer = shopper
            .post_form(
                "/api/stall_page",
                &[("slug", &stall.slug), ("page", refused)],
            )
            .await;
        assert!(answer.status().is_client_error(), "page {refused}");
    }

    // The page itself, without JavaScript: links to the pages on either side.
    let html = shopper
        .get(&format!("/stalls/{}?page=2", stall.slug))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Chè shan tuyết 13"), "page 2 holds the 13th");
    assert!(!html.contains("Chè shan tuyết 01"), "not the first page's");
    let prev = format!(r#"href="/stalls/{}" rel="prev""#, stall.slug);
    let next = format!(r#"href="/stalls/{}?page=3" rel="next""#, stall.slug);
    assert!(html.contains(&prev) && html.contains(&next), "{html}");
}

#[tokio::test]
async fn a_market_lists_its_stalls_a_page_at_a_time_and_counts_them_all() {
    let app = TestApp::spawn().await;
    for n in 0..26 {
        app.approved_vendor(&format!("09123010{n:02}"), "bac-ha")
            .await;
    }
    let shopper = app.anonymous();
    let page = |n: &'static str| {
        let shopper = &shopper;
        async move {
            let found: StallsOfMarket = shopper
                .call_json("/api/market_stalls", &[("market", "bac-ha"), ("page", n)])
                .await
                .unwrap();
            found
        }
    };
    let (first, second) = (page("1").await, page("2").await);
    assert_eq!((first.total, second.total), (26, 26));
    assert_eq!((first.cards.items.len(), first.cards.has_next), (24, true));
    assert_eq!(
        (second.cards.items.len(), second.cards.has_next),
        (2, false)
    );
    let mut names: Vec<_> = first
        .cards
        .items
        .iter()
        .chain(&second.cards.items)
        .map(|c| c.stall.name.clone())
        .collect();
    names.dedup();
    assert_eq!(names.len(), 26);
    let html = shopper.get("/markets/bac-ha").await.text().await.unwrap();
    assert!(
        html.contains(r#"href="/markets/bac-ha?page=2" rel="next""#),
        "{html}"
    );
}

/// Places one VietQR order of `product` as a shopper of its own, and returns its code.
async fn order_one(app: &TestApp, product: app::domain::id::ProductId, n: usize) -> String {
    let shopper = app.anonymous();
    shopper.add_to_cart(product, "1").await.unwrap();
    let phone = format!("0912 8{n:05}");
    let token = shopper
        .place_order("vietqr", &[("form[phone]", &phone)])
        .await
        .unwrap();
    shopper.checkout(&token).await.orders[0].code.clone()
}

#[tokio::test]
async fn orders_are_listed_thirty_at_a_time_and_the_month_summary_reads_this_month_only() {
    // The last evening of October in Lào Cai: one order placed and paid.
    let (app, clock) = app_at(lao_cai(1, 0, 0) - chrono::Duration::hours(1)).await;
    let (vendor, stall) = app.approved_vendor("0912302001", "coc-leu").await;
    let product = vendor
        .add_product("Mận hậu", "30.000", "100", true)
        .await
        .unwrap();
    let october = order_one(&app, product, 0).await;
    let paid = vendor.stall_orders().await.remove(0).id;
    vendor.move_order(paid, "confirm_payment").await.unwrap();

    clock.set(lao_cai(1, 0, 30));
    let mut codes = vec![october];
    for n in 1..=31 {
        codes.push(order_one(&app, product, n).await);
    }
    let november = vendor.stall_orders().await.remove(0).id;
    vendor
        .move_order(november, "confirm_payment")
        .await
        .unwrap();

    let read = |page: &'static str, status: &'static str| {
        let vendor = &vendor;
        async move {
            let (orders, summary): (Paged<Order>, SalesSummary) = vendor
                .call_json("/api/stall_orders", &[("page", page), ("status", status)])
                .await
                .unwrap();
            (orders, summary)
        }
    };
    let (first, summary) = read("1", "").await;
    let (second, _) = read("2", "").await;
    assert_eq!((first.items.len(), first.has_next), (30, true));
    assert_eq!((second.items.len(), second.has_next), (2, false));
    let listed: Vec<String> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|o| o.code.clone())
        .collect();
    codes.reverse();
    assert_eq!(listed, codes, "newest first, each once");
    assert_eq!(
        (
            summary.this_month.all.count,
            summary.this_month.all.value.amount()
        ),
        (1, 30_000),
        "October's paid order is not this month's"
    );
    // The status filter is applied before the page is cut.
    let (paid_only, _) = read("1", "paid").await;
    assert_eq!(paid_only.items.len(), 2);
    assert!(!paid_only.has_next);

    // The administrators' list pages the same way, with its filters.
    let admin = app.admin().await;
    let stall_id = stall.id.to_string();
    let (page_two, _): (Paged<Order>, Vec<StallRef>) = admin
        .call_json(
            "/api/admin_orders",
            &[("stall", stall_id.as_str()), ("page", "2")],
        )
        .await
        .unwrap();
    assert_eq!(page_two.items.len(), 2);
    // 30 orders await their transfer: exactly one page, so no link to a second.
    let awaiting = admin
        .get(&format!(
            "/admin/orders?stall={stall_id}&status=awaiting_transfer"
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(!awaiting.contains(r#"rel="next""#));
    let html = admin
        .get(&format!("/admin/orders?stall={stall_id}"))
        .await
        .text()
        .await
        .unwrap();
    let next = format!(r#"href="/admin/orders?stall={stall_id}&amp;page=2" rel="next""#);
    assert!(html.contains(&next), "{html}");
}

#[tokio::test]
async fn the_ocop_collection_shows_most_stars_first_a_page_at_a_time() {
    use app::api::browse::SearchResults;
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912302001", "sa-pa").await;
    let mut expected = Vec::new();
    for n in 1..=26u8 {
        let name = format!("Chè OCOP {n:02}");
        let stars = (n % 3 + 3).to_string();
        let id: app::domain::id::ProductId = vendor
            .call_json(
                "/api/save_product",
                &[
                    ("form[name]", name.as_str()),
                    ("form[description_vi]", "Chè cổ thụ."),
                    ("form[category]", "tea-coffee"),
                    ("form[unit]", "kg"),
                    ("form[price]", "300000"),
                    ("form[ocop_stars]", stars.as_str()),
                    ("form[ocop_certificate]", "LC-2024-17"),
                    ("form[ocop_year]", "2024"),
                    ("form[published]", "on"),
                ],
            )
            .await
            .unwrap();
        expected.push((std::cmp::Reverse(n % 3 + 3), name, id));
    }
    // Not certified: not in the collection.
    vendor
        .add_product("Chè thường", "20.000", "5", true)
        .await
        .unwrap();
    expected.sort();

    let shopper = app.anonymous();
    let mut seen = Vec::new();
    let mut more = Vec::new();
    for page in ["1", "2", "3"] {
        let found: SearchResults = shopper
            .call_json("/api/ocop_products", &[("page", page)])
            .await
            .unwrap();
        assert_eq!(found.hits.page.get().to_string(), page);
        if page != "3" {
            assert_eq!(found.total, 26, "counted in all, page {page}");
        }
        more.push(found.hits.has_next);
        seen.extend(found.hits.items.into_iter().map(|h| h.product.id));
    }
    assert_eq!(more, [true, false, false]);
    let order: Vec<_> = expected.iter().map(|(_, _, id)| *id).collect();
    assert_eq!(seen, order, "most stars first, then by name, each once");

    let html = shopper.get("/ocop?page=2").await.text().await.unwrap();
    assert!(html.contains(&expected[24].1) && !html.contains(&expected[0].1));
    assert!(html.contains(r#"href="/ocop" rel="prev""#), "{html}");
    let first = shopper.get("/ocop").await.text().await.unwrap();
    assert!(
        first.contains(r#"href="/ocop?page=2" rel="next""#),
        "{first}"
    );
}
