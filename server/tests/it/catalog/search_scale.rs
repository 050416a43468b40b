//! Search at the province's size: 50,000 products, read page by page, give exactly what the
//! domain's ranking gives over the whole catalogue (every match found, exact accents first,
//! then by name and id), on SQLite and PostgreSQL alike; and the index follows each write.
use crate::support::{TestApp, Visitor};
use app::domain::category::Category;
use app::domain::search::{Query, rank};
use app::model::{Stall, search_document};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, TransactionTrait};
use server::db::entities::product;

/// Names as vendors write them: coffee with and without its accents, in capitals, as `cafe`
/// and `café`; honey, and its misspelling `mát ong`; and the rest of the market.
const COFFEE: &[&str] = &[
    "Cà phê", "Cà Phê", "CÀ PHÊ", "Cà phe", "Ca phê", "Ca phe", "Cafe", "Café",
];
const HONEY: &[&str] = &["Mật ong", "MẬT ONG", "Mát ong", "Mat ong"];
const OTHER: &[&str] = &[
    "Mận tam hoa",
    "Chè Shan tuyết",
    "Thịt trâu gác bếp",
    "Rượu ngô",
    "Gạo nếp nương",
    "Cá suối nướng",
    "Thổ cẩm",
    "Nấm hương rừng",
    "Đào Sa Pa",
    "Lạp xưởng hun khói",
];
const PLACES: &[&str] = &[
    "Y Tý",
    "Bắc Hà",
    "Sa Pa",
    "rừng",
    "rang xay",
    "nguyên chất",
    "hữu cơ",
    "Lùng Phình",
];
const SIZES: &[&str] = &["250g", "500 g", "1 kg", "chai 500ml", "hộp quà"];

/// The `i`-th product's name, description and category: 4 in 100 are coffee, 3 honey, 1 a
/// biscuit whose description, not its name, says coffee; the rest other goods.
fn product_of(i: usize) -> (String, &'static str, Category) {
    let place = PLACES[(i / 100) % PLACES.len()];
    let size = SIZES[(i / 800) % SIZES.len()];
    let plain = "Đặc sản Lào Cai.";
    match i % 100 {
        0..=3 => {
            let base = COFFEE[(i / 100 + i) % COFFEE.len()];
            (format!("{base} {place} {size}"), plain, Category::TeaCoffee)
        }
        4..=6 => {
            let base = HONEY[(i / 100 + i) % HONEY.len()];
            (format!("{base} {place} {size}"), plain, Category::Honey)
        }
        7 => (
            format!("Bánh quy {size}"),
            "Ăn kèm cà phê sáng.",
            Category::Grains,
        ),
        _ => {
            let base = OTHER[(i / 100 + i) % OTHER.len()];
            (format!("{base} {place} {size}"), plain, Category::Fruit)
        }
    }
}

/// A product as the catalogue would write it, without the history a vendor's save records.
fn row(i: usize, stall: &Stall, published: bool) -> (product::ActiveModel, Expected) {
    let (name, description, category) = product_of(i);
    let document = search_document(
        &name,
        description,
        None,
        category,
        &stall.name,
        &stall.place,
    );
    let now = chrono::Utc::now();
    let stars = i.is_multiple_of(7).then_some(3 + (i % 3) as i16);
    let model = product::ActiveModel {
        stall_id: Set(stall.id.get()),
        name: Set(name.clone()),
        description_vi: Set(description.to_string()),
        description_en: Set(None),
        category: Set(category.slug().to_string()),
        unit: Set("kg".to_string()),
        price: Set(10_000 + (i as i64 % 50) * 1_000),
        stock: Set(None),
        ocop_stars: Set(stars),
        ocop_certificate: Set(stars.map(|_| format!("{i}/QĐ-UBND"))),
        ocop_year: Set(stars.map(|_| 2023)),
        published: Set(published),
        search_text: Set(document.clone()),
        name_words: Set(app::domain::search::name_words(&name)),
        name_accents: Set(app::domain::search::name_accents(&name)),
        submission: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let expected = Expected {
        id: 0,
        name,
        document,
        market: stall.market().map(|m| m.slug()),
        category,
        stars,
        shown: published,
    };
    (model, expected)
}

/// What the test knows of a product to rank it as the domain does.
struct Expected {
    id: i64,
    name: String,
    document: String,
    market: Option<&'static str>,
    category: Category,
    stars: Option<i16>,
    shown: bool,
}

const PRODUCTS: usize = 50_000;

/// Adds `PRODUCTS` products in batches, most at the approved stalls, a few unpublished, and
/// some at a stall nobody approved; returns what each is, by id.
async fn grow(app: &TestApp, approved: &[Stall], hidden: &Stall) -> Vec<Expected> {
    let db = server::db::connect(&app.site.settings.database_url)
        .await
        .unwrap();
    let mut all = Vec::with_capacity(PRODUCTS);
    let txn = db.begin().await.unwrap();
    for start in (0..PRODUCTS).step_by(500) {
        let mut batch = Vec::new();
        for i in start..start + 500 {
            let (model, mut expected) = match i % 50 {
                49 => row(i, hidden, true),
                _ => row(i, &approved[i % approved.len()], i % 53 != 0),
            };
            expected.shown &= i % 50 != 49;
            batch.push(model);
            all.push(expected);
        }
        product::Entity::insert_many(batch)
            .exec(&txn)
            .await
            .unwrap();
    }
    txn.commit().await.unwrap();
    let ids = db
        .query_all_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM products ORDER BY id",
        ))
        .await
        .unwrap();
    for (expected, id) in all.iter_mut().zip(ids) {
        expected.id = id.try_get_by_index(0).unwrap();
    }
    all
}

/// The ids the domain's ranking lists for `q`, best first, among the products `keep` lets
/// through.
fn ranked(all: &[Expected], q: &str, keep: impl Fn(&Expected) -> bool) -> Vec<i64> {
    let query = Query::parse(q);
    let mut found: Vec<(u8, &str, i64)> = all
        .iter()
        .filter(|e| e.shown && keep(e))
        .filter_map(|e| {
            let r = rank(&query, &e.name, &e.document)?;
            Some((r, e.name.as_str(), e.id))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, _, id)| id).collect()
}

async fn ids(shopper: &Visitor, fields: &[(&str, &str)]) -> Vec<i64> {
    shopper
        .search_all(fields)
        .await
        .into_iter()
        .map(|h| h.product.id.get())
        .collect()
}

#[tokio::test]
async fn fifty_thousand_products_are_all_found_page_by_page_best_first() {
    let app = TestApp::spawn().await;
    let mut approved = Vec::new();
    for (phone, market) in [("0912500001", "bac-ha"), ("0912500002", "sa-pa")] {
        approved.push(app.approved_vendor(phone, market).await.1);
    }
    let hidden = app
        .vendor("0912500003")
        .await
        .open_market_stall("Cà phê chưa duyệt", "coc-leu")
        .await;
    let all = grow(&app, &approved, &hidden).await;
    let shopper = app.anonymous();

    let coffee = ids(&shopper, &[("params[q]", "cà phê")]).await;
    let expected = ranked(&all, "cà phê", |_| true);
    assert!(expected.len() > 1_500, "{} coffees", expected.len());
    assert_eq!(coffee.len(), expected.len(), "every coffee is found");
    assert_eq!(coffee, expected, "in the ranking's order");
    let first = &all.iter().find(|e| e.id == coffee[0]).unwrap().name;
    assert!(first.to_lowercase().starts_with("cà phê"), "{first}");

    let page = shopper.search_page(&[("params[q]", "ca phe")]).await;
    assert_eq!(page.total as usize, ranked(&all, "ca phe", |_| true).len());
    assert_eq!(page.hits.items.len(), 24);

    for q in ["mật ong", "cafe", "y ty"] {
        let found = ids(&shopper, &[("params[q]", q)]).await;
        assert_eq!(found, ranked(&all, q, |_| true), "{q}");
    }
    let filtered = ids(
        &shopper,
        &[
            ("params[q]", "mat ong"),
            ("params[market]", "bac-ha"),
            ("params[min_stars]", "4"),
            ("params[category]", "honey"),
        ],
    )
    .await;
    assert!(!filtered.is_empty());
    let expected = ranked(&all, "mat ong", |e| {
        e.market == Some("bac-ha")
            && e.category == Category::Honey
            && e.stars.is_some_and(|s| s >= 4)
    });
    assert_eq!(filtered, expected, "market and stars narrow the honey");
}
