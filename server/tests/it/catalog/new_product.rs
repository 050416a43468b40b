//! A new product and its photos in one form post: added whole, or refused whole with every
//! reason shown and nothing stored; the same form posted twice adds it once.
use crate::support::{TestApp, Visitor, png};
use app::domain::id::StallId;

const TOKEN: &str = "00112233445566778899aabbccddeeff";

/// The form as a vendor fills it in, with the page's submission token.
fn fields<'a>(name: &'a str, price: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("submission", TOKEN),
        ("form[name]", name),
        ("form[description_vi]", "Mật ong rừng Bắc Hà."),
        ("form[category]", "honey"),
        ("form[unit]", "chai"),
        ("form[price]", price),
        ("form[stock]", "12"),
        ("form[published]", "on"),
    ]
}

fn location(res: &reqwest::Response) -> String {
    assert_eq!(res.status(), 303, "{res:?}");
    res.headers()["location"].to_str().unwrap().to_string()
}

async fn products(app: &TestApp, stall: StallId) -> Vec<app::model::Product> {
    app.ports.catalog.of_stall(stall, false).await.unwrap()
}

/// The page a refusal leads to, as the vendor sees it.
async fn refused_page(vendor: &Visitor, res: &reqwest::Response) -> String {
    let back = location(res);
    assert!(
        back.starts_with("/my/products/new?__path=%2Fapi%2Fsave_product&__err="),
        "{back}"
    );
    vendor.get(&back).await.text().await.unwrap()
}

#[tokio::test]
async fn a_product_is_added_with_its_photos_in_their_order() {
    let app = TestApp::spawn().await;
    let (vendor, stall) = app.approved_vendor("0912000041", "bac-ha").await;
    let photos = [("mat-ong.png", png(640, 480)), ("nhan.png", png(300, 300))];
    let res = vendor
        .post_new_product(&fields("Mật ong", "250000"), &photos)
        .await;
    let added = products(&app, stall.id).await;
    assert_eq!(added.len(), 1);
    let product = &added[0];
    assert_eq!(
        location(&res),
        format!("/my/products/{}?saved=1", product.id)
    );
    assert_eq!(product.name, "Mật ong");
    assert_eq!(product.photos.len(), 2, "both photos, the first as cover");
    assert_eq!(app.stored_photo_files(), 4);
    let cover = app.anonymous().get(&product.thumb_url().unwrap()).await;
    let cover = image::load_from_memory(&cover.bytes().await.unwrap()).unwrap();
    assert_eq!(
        (cover.width(), cover.height()),
        (320, 240),
        "the first photo chosen"
    );

    // Without photos, a product is added just the same.
    let mut plain = fields("Mận hậu", "40000");
    plain[0].1 = "ffeeddccbbaa99887766554433221100";
    vendor.post_new_product(&plain, &[]).await;
    assert_eq!(products(&app, stall.id).await.len(), 2);
    assert_eq!(app.stored_photo_files(), 4);
}

#[tokio::test]
async fn a_bad_photo_refuses_the_whole_form_names_the_file_and_keeps_the_fields() {
    let app = TestApp::spawn().await;
    let (vendor, stall) = app.approved_vendor("0912000042", "bac-ha").await;
    let photos = [
        ("mat-ong.png", png(640, 480)),
        ("ghi-chu.jpg", b"not a picture at all".to_vec()),
    ];
    let res = vendor
        .post_new_product(&fields("Mật ong", "250000"), &photos)
        .await;
    assert!(products(&app, stall.id).await.is_empty(), "no product");
    assert_eq!(app.stored_photo_files(), 0, "no photo stored");
    let page = refused_page(&vendor, &res).await;
    assert!(
        page.contains("ghi-chu.jpg: Tệp này không phải ảnh JPEG, PNG hay WebP."),
        "{page}"
    );
    assert!(page.contains(r#"value="Mật ong""#), "the name is kept");
    assert!(
        page.contains(&format!(r#"value="{TOKEN}""#)),
        "the same submission"
    );

    // Mistakes in the fields: the photos, though good, must be chosen again, and it says so.
    let res = vendor
        .post_new_product(&fields("", "abc"), &photos[..1])
        .await;
    let page = refused_page(&vendor, &res).await;
    assert!(page.contains("1 ảnh bạn chọn chưa được lưu"), "{page}");
    assert!(products(&app, stall.id).await.is_empty());
    assert_eq!(app.stored_photo_files(), 0);
}

#[tokio::test]
async fn one_photo_too_many_is_refused_as_such() {
    let app = TestApp::spawn().await;
    let (vendor, stall) = app.approved_vendor("0912000043", "bac-ha").await;
    let photos: Vec<_> = (0..9).map(|_| ("anh.png", png(40, 30))).collect();
    let res = vendor
        .post_new_product(&fields("Mật ong", "250000"), &photos)
        .await;
    let page = refused_page(&vendor, &res).await;
    assert!(
        page.contains("Mỗi sản phẩm có tối đa 8 ảnh: hãy chọn ít ảnh hơn."),
        "{page}"
    );
    assert!(products(&app, stall.id).await.is_empty());
    assert_eq!(app.stored_photo_files(), 0);
}

#[tokio::test]
async fn the_same_form_posted_twice_adds_one_product() {
    let app = TestApp::spawn().await;
    let (vendor, stall) = app.approved_vendor("0912000044", "bac-ha").await;
    let form = fields("Mật ong", "250000");
    let photos = [("mat-ong.png", png(640, 480))];
    // A second tap while the first post is still on its way, then a reload that posts again.
    let (first, second) = tokio::join!(
        vendor.post_new_product(&form, &photos),
        vendor.post_new_product(&form, &photos)
    );
    let third = vendor.post_new_product(&form, &photos).await;
    let added = products(&app, stall.id).await;
    assert_eq!(added.len(), 1, "one product");
    let page = format!("/my/products/{}?saved=1", added[0].id);
    for res in [&first, &second, &third] {
        assert_eq!(location(res), page);
    }
    assert_eq!(added[0].photos.len(), 1);
    assert_eq!(
        app.stored_photo_files(),
        2,
        "the repeated posts' photos removed"
    );

    // The token is the stall's: another vendor's form with the same one adds their own.
    let (other, other_stall) = app.approved_vendor("0912000045", "bac-ha").await;
    other.post_new_product(&form, &[]).await;
    assert_eq!(products(&app, other_stall.id).await.len(), 1);
    assert_eq!(products(&app, stall.id).await.len(), 1);
}

#[tokio::test]
async fn only_a_vendor_adds_a_product_to_their_stall() {
    let app = TestApp::spawn().await;
    let form = fields("Mật ong", "250000");
    let photos = [("mat-ong.png", png(64, 48))];
    let res = app.anonymous().post_new_product(&form, &photos).await;
    assert_eq!(location(&res), "/login?next=/my/products/new");
    let shopper = app.shopper("0912000046").await;
    let res = shopper.post_new_product(&form, &photos).await;
    assert_eq!(res.status(), 403, "a shopper has no stall to add it to");
    assert_eq!(app.stored_photo_files(), 0);
    // A token that no form was given is refused.
    let (vendor, stall) = app.approved_vendor("0912000047", "bac-ha").await;
    let mut forged = form.clone();
    forged[0].1 = "../photos/x";
    let res = vendor.post_new_product(&forged, &photos).await;
    assert_eq!(res.status(), 303);
    assert!(products(&app, stall.id).await.is_empty());
}
