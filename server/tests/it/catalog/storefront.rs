//! The storefront shoppers land on: the home page's shelves (a few products of each market and
//! of OCOP, the ones with a photo first) and a market's stalls in Vietnamese alphabetical order,
//! each card with a few of its products' photos; then what stays off them: other markets,
//! stalls not approved, products hidden or sold out.
use crate::support::{self, TestApp, Visitor};
use app::domain::id::ProductId;
use app::model::{Shelf, StallsOfMarket};

/// A vendor whose stall `name` at `market`, paid by VietQR, its manager approved.
async fn approved_stall(app: &TestApp, phone: &str, name: &str, market: &str) -> Visitor {
    let vendor = app.vendor(phone).await;
    let stall = vendor.open_market_stall(name, market).await;
    // Approval asks for a way to be paid.
    vendor.set_payments(true, false, "0").await;
    vendor.call("/api/submit_stall", &[]).await.unwrap();
    app.manager_once(market)
        .await
        .move_stall(stall.id, "approve")
        .await
        .unwrap();
    vendor
}

/// Adds a published product, with a photo when `photo`, and returns its id and photo key.
async fn listed(
    vendor: &Visitor,
    name: &str,
    stock: &str,
    photo: bool,
) -> (ProductId, Option<String>) {
    let id = vendor
        .add_product(name, "50.000", stock, true)
        .await
        .unwrap();
    if photo {
        vendor.upload_photo(id, "p.png", support::png(64, 48)).await;
    }
    (id, vendor.my_product(id).await.photos.first().cloned())
}

#[tokio::test]
async fn a_market_lists_its_stalls_in_vietnamese_order_with_a_few_product_photos() {
    let app = TestApp::spawn().await;
    // By code point, `Đ` (U+0110) and `Ẩ` (U+1EA8) would follow `T`.
    let mut vendors = Vec::new();
    for (i, name) in [
        "Thổ cẩm Sa Pa",
        "Đặc sản Tây Bắc",
        "Dao đỏ thảo dược",
        "Ẩm thực Mông",
        "Bánh ngô",
    ]
    .into_iter()
    .enumerate()
    {
        vendors.push(approved_stall(&app, &format!("091200091{i}"), name, "sa-pa").await);
    }
    // Not on Sa Pa's page: a stall of another market, and one still a draft.
    approved_stall(&app, "0912000920", "Chè Bắc Hà", "bac-ha").await;
    app.vendor("0912000921")
        .await
        .open_market_stall("Áo chàm chưa duyệt", "sa-pa")
        .await;

    // "Bánh ngô" has four products with a photo and one without: its card shows the three
    // newest photos. "Thổ cẩm" has only a product without a photo: its card shows none.
    let banh = &vendors[4];
    let mut photos = Vec::new();
    for name in ["Bánh 1", "Bánh 2", "Bánh 3", "Bánh 4"] {
        photos.push(listed(banh, name, "", true).await.1.unwrap());
    }
    listed(banh, "Bánh không ảnh", "", false).await;
    listed(&vendors[0], "Khăn thổ cẩm", "", false).await;

    let found: StallsOfMarket = app
        .anonymous()
        .call_json("/api/market_stalls", &[("market", "sa-pa")])
        .await
        .unwrap();
    let cards = found.cards.items;
    let names: Vec<&str> = cards.iter().map(|c| c.stall.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Ẩm thực Mông",
            "Bánh ngô",
            "Dao đỏ thảo dược",
            "Đặc sản Tây Bắc",
            "Thổ cẩm Sa Pa"
        ]
    );
    let newest_first: Vec<String> = photos.iter().rev().take(3).cloned().collect();
    assert_eq!(cards[1].thumbs, newest_first);
    assert!(cards[4].thumbs.is_empty(), "no photo, no thumbnail");

    // The page: the same order, one link per card (its name), light thumbnails.
    let html = app
        .anonymous()
        .get("/markets/sa-pa")
        .await
        .text()
        .await
        .unwrap();
    let at = |name: &str| html.find(name).unwrap_or_else(|| panic!("{name} shown"));
    assert!(at("Ẩm thực Mông") < at("Bánh ngô"));
    assert!(at("Dao đỏ thảo dược") < at("Đặc sản Tây Bắc"));
    assert!(at("Đặc sản Tây Bắc") < at("Thổ cẩm Sa Pa"));
    assert!(!html.contains("Chè Bắc Hà") && !html.contains("Áo chàm chưa duyệt"));
    for card in &cards {
        let link = format!(r#"href="/stalls/{}""#, card.stall.slug);
        assert_eq!(html.matches(&link).count(), 1, "one link for {link}");
    }
    for key in &newest_first {
        let img = format!(
            r#"<img src="/photos/{key}-thumb.jpg" alt="" loading="lazy" width="320" height="240""#
        );
        assert!(html.contains(&img), "{img}");
    }
}

#[tokio::test]
async fn the_home_page_shows_a_few_products_of_each_market_and_of_ocop() {
    let app = TestApp::spawn().await;
    let coc_leu = approved_stall(&app, "0912000930", "Gian Cốc Lếu", "coc-leu").await;
    let sa_pa = approved_stall(&app, "0912000931", "Gian Sa Pa", "sa-pa").await;
    let other = approved_stall(&app, "0912000932", "Gian Cốc Lếu khác", "coc-leu").await;
    let (ginger, _) = listed(&other, "Gừng", "", true).await;
    let mut with_photo = Vec::new();
    for name in ["Mận 1", "Mận 2", "Mận 3"] {
        with_photo.push(listed(&coc_leu, name, "", true).await.0);
    }
    listed(&coc_leu, "Mận không ảnh", "5", false).await;
    listed(&coc_leu, "Mận hết hàng", "0", true).await;
    coc_leu
        .add_product("Mận ẩn", "50.000", "", false)
        .await
        .unwrap();
    listed(&sa_pa, "Táo mèo", "", false).await;
    let ocop: ProductId = sa_pa
        .call_json(
            "/api/save_product",
            &[
                ("form[name]", "Chè Shan tuyết OCOP"),
                ("form[description_vi]", "Chè cổ thụ."),
                ("form[category]", "tea-coffee"),
                ("form[unit]", "kg"),
                ("form[price]", "300000"),
                ("form[ocop_stars]", "4"),
                ("form[ocop_certificate]", "LC-2024-17"),
                ("form[ocop_year]", "2024"),
                ("form[published]", "on"),
            ],
        )
        .await
        .unwrap();

    let shelves: Vec<Shelf> = app
        .anonymous()
        .call_json("/api/home_shelves", &[])
        .await
        .unwrap();
    let markets: Vec<_> = shelves.iter().map(|s| s.market.map(|m| m.slug())).collect();
    assert_eq!(
        markets,
        [Some("coc-leu"), Some("sa-pa"), Some("bac-ha"), None]
    );
    let ids = |shelf: &Shelf| shelf.hits.iter().map(|h| h.product.id).collect::<Vec<_>>();
    // Four at most, those with a photo first: the newest of each stall, then the next of each
    // (newest first); never a hidden or sold-out product.
    let [first, second, third] = with_photo[..] else {
        unreachable!()
    };
    assert_eq!(ids(&shelves[0]), [third, ginger, second, first]);
    assert_eq!(
        shelves[1]
            .hits
            .iter()
            .map(|h| h.product.name.as_str())
            .collect::<Vec<_>>(),
        ["Chè Shan tuyết OCOP", "Táo mèo"]
    );
    assert!(shelves[2].hits.is_empty());
    assert_eq!(ids(&shelves[3]), [ocop]);

    let html = app.anonymous().get("/").await.text().await.unwrap();
    for shown in [
        "Mận 1",
        "Táo mèo",
        "Chè Shan tuyết OCOP",
        "/markets/bac-ha",
        "/ocop",
    ] {
        assert!(html.contains(shown), "{shown}");
    }
    for hidden in ["Mận ẩn", "Mận hết hàng", "Mận không ảnh"] {
        assert!(!html.contains(hidden), "{hidden}");
    }
    assert!(
        html.contains("Chưa có sản phẩm nào."),
        "Bắc Hà's empty shelf"
    );
    assert!(html.contains(r#"loading="lazy" width="320" height="240""#));
}

/// The shelves read only a stall's first few products in their order: those must be the ones
/// a shelf could show. A stall's newest products are hidden, sold out or without a photo, and
/// its oldest has one: that one still leads its market's shelf, then the newest without a
/// photo; once its photo is removed it has none to put it first.
#[tokio::test]
async fn a_shelf_reads_past_a_stalls_newest_products_to_the_ones_it_shows() {
    let app = TestApp::spawn().await;
    let vendor = approved_stall(&app, "0912000940", "Gian Bắc Hà", "bac-ha").await;
    let (old, key) = listed(&vendor, "Cũ có ảnh", "", true).await;
    let mut plain = Vec::new();
    for name in ["Mới 1", "Mới 2", "Mới 3", "Mới 4"] {
        plain.push(listed(&vendor, name, "", false).await.0);
    }
    listed(&vendor, "Hết hàng có ảnh", "0", true).await;
    for name in ["Ẩn có ảnh 1", "Ẩn có ảnh 2"] {
        let hidden = vendor.add_product(name, "50.000", "", false).await.unwrap();
        vendor
            .upload_photo(hidden, "p.png", support::png(64, 48))
            .await;
    }
    let bac_ha = || async {
        let shelves: Vec<Shelf> = app
            .anonymous()
            .call_json("/api/home_shelves", &[])
            .await
            .unwrap();
        shelves[2]
            .hits
            .iter()
            .map(|h| h.product.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(bac_ha().await, [old, plain[3], plain[2], plain[1]]);

    let res = vendor.delete_photo(old, &key.unwrap()).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(bac_ha().await, [plain[3], plain[2], plain[1], plain[0]]);
}

/// However many markets, stalls and products there are, the shelves are read in a fixed number
/// of queries (the ranked products, their stalls, their photos): never one per stall or product.
#[tokio::test]
async fn shelves_are_read_in_a_fixed_number_of_queries() {
    use app::ports::{Catalog, Shelves, StallFilter};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let app = TestApp::spawn().await;
    for (i, market) in ["coc-leu", "sa-pa", "bac-ha", "sa-pa", "coc-leu"]
        .into_iter()
        .enumerate()
    {
        let vendor =
            approved_stall(&app, &format!("09120009{i}0"), &format!("Gian {i}"), market).await;
        for n in 0..3 {
            listed(&vendor, &format!("Hàng {i}.{n}"), "", n != 2).await;
        }
    }
    let approved = StallFilter {
        status: Some(app::domain::stall::StallStatus::Approved),
        market: None,
        ocop: false,
    };
    let ids: Vec<_> = app
        .ports
        .stalls
        .list(&approved)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();

    let queries = Arc::new(AtomicUsize::new(0));
    let mut db = server::db::connect(&app.site.settings.database_url)
        .await
        .unwrap();
    let counter = queries.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let catalog =
        server::db::catalog::CatalogStore::new(db, app.ports.clock.clone(), Default::default());
    for (shelves, expected) in [(Shelves::Markets, 11), (Shelves::Stalls(&ids), 10)] {
        queries.store(0, Ordering::SeqCst);
        let found = catalog.shelves(shelves, 4).await.unwrap();
        assert_eq!(found.len(), expected, "{shelves:?}");
        let count = queries.load(Ordering::SeqCst);
        assert!((1..=3).contains(&count), "{shelves:?} took {count} queries");
    }
}
