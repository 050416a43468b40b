//! The vendor's own list of products: hiding and showing a product from it, by its vendor
//! only, and the photo chosen as a product's cover, the one its cards show.
use crate::support::{self, TestApp, Visitor};
use app::domain::id::ProductId;
use app::domain::paging::Paged;
use app::model::{Product, Stall};

/// The stall's products as a shopper sees them.
async fn public_products(visitor: &Visitor, stall: &Stall) -> Vec<Product> {
    let (_, products): (Stall, Paged<Product>) = visitor
        .call_json("/api/stall_page", &[("slug", stall.slug.as_str())])
        .await
        .unwrap();
    products.items
}

async fn set_published(visitor: &Visitor, id: ProductId, published: bool) -> u16 {
    let id = id.to_string();
    let published = published.to_string();
    let form = [
        ("product_id", id.as_str()),
        ("published", published.as_str()),
    ];
    visitor
        .post_form("/api/set_product_published", &form)
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_vendor_hides_and_shows_their_product_and_no_one_else_can() {
    let app = TestApp::spawn().await;
    let (vendor, stall) = app.approved_vendor("0912000061", "sa-pa").await;
    let id = vendor
        .add_product("Táo mèo", "40.000", "12", true)
        .await
        .unwrap();
    let anonymous = app.anonymous();
    let names = |products: Vec<Product>| products.into_iter().map(|p| p.name).collect::<Vec<_>>();
    assert_eq!(
        names(public_products(&anonymous, &stall).await),
        ["Táo mèo"]
    );

    let (other, _) = app.approved_vendor("0912000062", "sa-pa").await;
    let shopper = app.shopper("0912000063").await;
    for (who, someone) in [
        ("other vendor", &other),
        ("shopper", &shopper),
        ("anonymous", &anonymous),
    ] {
        let status = set_published(someone, id, false).await;
        assert!((400..500).contains(&status), "{who} hides it: {status}");
    }
    assert!(vendor.my_product(id).await.published, "still on sale");
    assert_eq!(
        names(public_products(&anonymous, &stall).await),
        ["Táo mèo"]
    );

    assert_eq!(set_published(&vendor, id, false).await, 200);
    let (_, mine) = vendor.my_stall().await.unwrap();
    let listed = mine
        .iter()
        .find(|p| p.id == id)
        .expect("the vendor still lists it");
    assert!(!listed.published);
    assert!(
        public_products(&anonymous, &stall).await.is_empty(),
        "shoppers no longer see it"
    );

    // Nor can another vendor put it back on sale.
    let status = set_published(&other, id, true).await;
    assert!(
        (400..500).contains(&status),
        "other vendor shows it: {status}"
    );
    assert!(!vendor.my_product(id).await.published);

    assert_eq!(set_published(&vendor, id, true).await, 200);
    assert_eq!(
        names(public_products(&anonymous, &stall).await),
        ["Táo mèo"]
    );
}

/// Asks to make the photo `key` the cover of product `id`; the answer's status and location.
async fn choose_cover(visitor: &Visitor, id: ProductId, key: &str) -> (u16, String) {
    let res = visitor
        .post_form(&format!("/my/products/{id}/photos/cover"), &[("key", key)])
        .await;
    let location = res
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (res.status().as_u16(), location)
}

#[tokio::test]
async fn a_vendor_chooses_which_photo_is_the_cover_and_no_one_else_can() {
    let app = TestApp::spawn().await;
    let (vendor, stall) = app.approved_vendor("0912000064", "sa-pa").await;
    let id = vendor
        .add_product("Mận hậu", "30.000", "", true)
        .await
        .unwrap();
    for _ in 0..3 {
        let res = vendor
            .upload_photo(id, "m.png", support::png(400, 300))
            .await;
        assert!(res.ends_with("photo=saved"), "{res}");
    }
    let photos = vendor.my_product(id).await.photos;
    let [first, second, third] = [&photos[0], &photos[1], &photos[2]].map(String::clone);

    let (other, _) = app.approved_vendor("0912000065", "sa-pa").await;
    let shopper = app.shopper("0912000066").await;
    for someone in [&other, &shopper] {
        assert_eq!(choose_cover(someone, id, &third).await.0, 404);
    }
    let (status, location) = choose_cover(&app.anonymous(), id, &third).await;
    assert_eq!(status, 303, "to the sign-in page: {location}");
    assert_eq!(vendor.my_product(id).await.photos, photos, "nothing moved");
    // A photo of another product, or none at all, is not this product's to choose.
    assert_eq!(choose_cover(&vendor, id, "no-such-photo").await.0, 404);

    let (status, location) = choose_cover(&vendor, id, &third).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/my/products/{id}?photo=cover"));
    // The chosen one first, the others in the order they had.
    let expected = vec![third.clone(), first.clone(), second.clone()];
    assert_eq!(vendor.my_product(id).await.photos, expected);
    let shown = public_products(&app.anonymous(), &stall).await;
    assert_eq!(shown[0].photos, expected, "shoppers' cards show the cover");
    let html = app
        .anonymous()
        .get(&format!("/stalls/{}", stall.slug))
        .await;
    let html = html.text().await.unwrap();
    assert!(
        html.contains(&format!("{third}-thumb")),
        "the stall page's card shows the cover"
    );

    // Choosing the cover again changes nothing; choosing another moves only that one.
    assert_eq!(choose_cover(&vendor, id, &third).await.0, 303);
    assert_eq!(choose_cover(&vendor, id, &second).await.0, 303);
    assert_eq!(
        vendor.my_product(id).await.photos,
        vec![second, third, first]
    );
}
