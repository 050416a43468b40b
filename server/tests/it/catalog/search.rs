//! Search: case and accents ignored, exact accents ranked first, terms matching the start of
//! words and not their middle, English words finding Vietnamese products, and a search that
//! finds nothing offering other ways on. (The demo data's searches are in `seed`.)
use crate::support::{TestApp, Visitor};
use app::domain::id::ProductId;

/// Adds a published product of `category`, sold by the bottle, with an English description
/// when `description_en` isn't empty.
async fn add_in(vendor: &Visitor, name: &str, category: &str, description_en: &str) -> ProductId {
    vendor
        .call_json(
            "/api/save_product",
            &[
                ("form[name]", name),
                ("form[description_vi]", "Đặc sản Lào Cai."),
                ("form[description_en]", description_en),
                ("form[category]", category),
                ("form[unit]", "chai"),
                ("form[price]", "150000"),
                ("form[published]", "on"),
            ],
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn english_words_find_vietnamese_products_and_accent_free_vietnamese_still_does() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912000020", "bac-ha").await;
    add_in(
        &vendor,
        "Mật ong bạc hà",
        "honey",
        "Honey from mint flowers.",
    )
    .await;
    add_in(&vendor, "Mật ong rừng Lùng Phình", "honey", "").await;
    add_in(
        &vendor,
        "Bánh dày",
        "grains",
        "Sticky rice cakes, eaten with honey.",
    )
    .await;
    add_in(&vendor, "Thịt trâu gác bếp", "meat", "Smoked buffalo.").await;
    vendor
        .add_product("Mận hậu", "40.000", "", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    assert_eq!(
        shopper.search("honey").await,
        ["Bánh dày", "Mật ong bạc hà", "Mật ong rừng Lùng Phình"],
        "by the English description or the category's English"
    );
    assert_eq!(
        shopper.search("HONEY mint").await,
        ["Mật ong bạc hà"],
        "every word must match"
    );
    assert_eq!(
        shopper.search("mat ong").await,
        ["Mật ong bạc hà", "Mật ong rừng Lùng Phình"]
    );
    assert_eq!(
        shopper.search("plums").await,
        ["Mận hậu"],
        "a Vietnamese name without English is found by the glossary's English"
    );
    assert_eq!(shopper.search("plum").await, ["Mận hậu"]);
    assert_eq!(shopper.search("buffalo").await, ["Thịt trâu gác bếp"]);
}

#[tokio::test]
async fn a_search_that_finds_nothing_offers_other_words_categories_and_markets() {
    let app = TestApp::spawn().await;
    let shopper = app.anonymous();
    let page = shopper
        .get("/search?q=honey%20zzzz")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Không tìm thấy sản phẩm nào"));
    assert!(page.contains("Thử các từ này"));
    assert!(
        page.contains(r#"href="/search?q=m%E1%BA%ADt%20ong""#),
        "the Vietnamese for honey"
    );
    assert!(page.contains(r#"href="/search?category=honey""#));
    assert!(page.contains(r#"href="/search?category=crafts""#));
    for market in ["coc-leu", "sa-pa", "bac-ha"] {
        assert!(page.contains(&format!(r#"href="/markets/{market}""#)));
    }
    let page = shopper.get("/search?q=zzzz").await.text().await.unwrap();
    assert!(
        !page.contains("Thử các từ này"),
        "no other words when none are known"
    );
    assert!(page.contains(r#"href="/search?category=honey""#));
}

#[tokio::test]
async fn search_ignores_case_and_accents_and_ranks_exact_accents_first() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912777888", "bac-ha").await;
    vendor
        .add_product("Mật ong bạc hà", "450.000", "", true)
        .await
        .unwrap();
    vendor
        .add_product("Mát ong thử", "10.000", "", true)
        .await
        .unwrap();
    vendor
        .add_product("Thịt trâu gác bếp", "1.000.000", "", true)
        .await
        .unwrap();
    vendor
        .add_product("Mật ong ẩn", "1.000", "", false)
        .await
        .unwrap();
    let shopper = app.anonymous();
    assert_eq!(shopper.search("thit trau").await, ["Thịt trâu gác bếp"]);
    assert_eq!(
        shopper.search("MAT ONG").await.len(),
        2,
        "the hidden product is not found"
    );
    assert_eq!(shopper.search("mật ong").await[0], "Mật ong bạc hà");
    assert_eq!(
        shopper.search("BAC HA").await.len(),
        3,
        "the market's name finds its stalls' products"
    );
    assert!(shopper.search("hoà").await.is_empty());
}

#[tokio::test]
async fn search_terms_match_the_start_of_words_not_their_middle() {
    let app = TestApp::spawn().await;
    let (sa_pa, _) = app.approved_vendor("0912000010", "sa-pa").await;
    sa_pa
        .add_product_described(
            "Vòng tay bạc Lao Chải",
            "Hàm lượng bạc 90%. Silver bracelet.",
        )
        .await
        .unwrap();
    let (bac_ha, _) = app.approved_vendor("0912000011", "bac-ha").await;
    bac_ha
        .add_product("Mận hậu", "40.000", "", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    assert_eq!(
        shopper.search("BAC HA").await,
        ["Mận hậu"],
        "`ha` must not match inside `chải`"
    );
    assert_eq!(shopper.search("vong").await, ["Vòng tay bạc Lao Chải"]);
    assert!(
        shopper.search("vo").await.is_empty(),
        "a short term matches whole words only"
    );
    assert_eq!(
        shopper.search("bracel").await,
        ["Vòng tay bạc Lao Chải"],
        "a longer term matches a word's start"
    );
}

#[tokio::test]
async fn one_and_two_letter_words_match_whole_words_only() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912000030", "sa-pa").await;
    for name in ["Cà phê Y Tý", "Chè Yên Bái", "Mận Ý Tý"] {
        vendor.add_product(name, "40.000", "", true).await.unwrap();
    }
    let shopper = app.anonymous();
    assert_eq!(shopper.search("y ty").await, ["Cà phê Y Tý", "Mận Ý Tý"]);
    assert_eq!(
        shopper.search("Ý").await,
        ["Mận Ý Tý", "Cà phê Y Tý"],
        "exact accents first"
    );
    assert!(shopper.search("ye").await.is_empty(), "`ye` is not `yên`");
    assert_eq!(shopper.search("yen").await, ["Chè Yên Bái"]);
}

#[tokio::test]
async fn a_renamed_or_deleted_product_is_found_by_what_it_is_now() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912000031", "bac-ha").await;
    let id = vendor
        .add_product("Mận hậu", "40.000", "", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    assert_eq!(shopper.search("man hau").await, ["Mận hậu"]);
    let id_text = id.to_string();
    let _: app::domain::id::ProductId = vendor
        .call_json(
            "/api/save_product",
            &[
                ("product_id", id_text.as_str()),
                ("form[name]", "Đào Sa Pa"),
                ("form[description_vi]", "Đặc sản Lào Cai."),
                ("form[category]", "fruit"),
                ("form[unit]", "kg"),
                ("form[price]", "40.000"),
                ("form[published]", "on"),
            ],
        )
        .await
        .unwrap();
    assert!(
        shopper.search("man hau").await.is_empty(),
        "the old name is gone"
    );
    assert_eq!(shopper.search("dao").await, ["Đào Sa Pa"]);
    vendor
        .call(
            "/api/set_product_published",
            &[("product_id", id_text.as_str()), ("published", "false")],
        )
        .await
        .unwrap();
    assert!(shopper.search("dao").await.is_empty(), "unpublished");

    let gone = vendor
        .add_product("Lê Bắc Hà", "40.000", "", true)
        .await
        .unwrap();
    assert_eq!(shopper.search("le").await, ["Lê Bắc Hà"]);
    let db = server::db::connect(&app.site.settings.database_url)
        .await
        .unwrap();
    use sea_orm::EntityTrait;
    server::db::entities::product::Entity::delete_by_id(gone.get())
        .exec(&db)
        .await
        .unwrap();
    assert!(shopper.search("le").await.is_empty(), "a deleted product");
    assert_eq!(shopper.search("bac ha").await, [] as [&str; 0]);
}

#[tokio::test]
async fn pages_of_results_hold_every_match_once_and_say_how_many() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912000032", "coc-leu").await;
    for n in 0..30 {
        // Equal names in pairs: only the id tells them apart, and still each is shown once.
        let name = format!("Mật ong rừng {}", n / 2);
        vendor.add_product(&name, "40.000", "", true).await.unwrap();
    }
    let shopper = app.anonymous();
    let first = shopper.search_page(&[("params[q]", "mat ong")]).await;
    assert_eq!(
        (first.total, first.hits.items.len(), first.hits.has_next),
        (30, 24, true)
    );
    let second = shopper
        .search_page(&[("params[q]", "mat ong"), ("params[page]", "2")])
        .await;
    assert_eq!(
        (second.total, second.hits.items.len(), second.hits.has_next),
        (30, 6, false)
    );
    let mut ids: Vec<_> = first
        .hits
        .items
        .iter()
        .chain(&second.hits.items)
        .map(|h| h.product.id)
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 30, "no product twice, none left out");
    let past = shopper
        .search_page(&[("params[q]", "mat ong"), ("params[page]", "3")])
        .await;
    assert!(past.hits.items.is_empty() && !past.hits.has_next);
    let html = shopper.get("/search?q=mat+ong").await.text().await.unwrap();
    let count = html
        .split(r#"class="count">"#)
        .nth(1)
        .and_then(|c| c.split("</p>").next());
    assert_eq!(
        count.map(|c| c.replace("<!>", "")),
        Some("Kết quả: 30".to_string()),
        "the count of all pages"
    );
    assert!(
        html.contains(r#"rel="next""#) && html.contains("page=2"),
        "a link to the next page"
    );
}
