//! Photos of products and of stalls: every photo of a product shown, and removed by its vendor
//! only; a stall's photo; then what is refused: a file judged by its content to be no picture
//! (a picture is re-encoded), someone else's product, too many pixels.
use crate::support::{self, TestApp};

#[tokio::test]
async fn every_photo_of_a_product_is_shown_and_only_its_vendor_removes_one() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912000035", "sa-pa").await;
    let id = vendor
        .add_product("Táo mèo", "40.000", "", true)
        .await
        .unwrap();
    for _ in 0..2 {
        let res = vendor
            .upload_photo(id, "x.png", support::png(400, 300))
            .await;
        assert!(res.ends_with("photo=saved"), "{res}");
    }
    let photos = vendor.my_product(id).await.photos;
    assert_eq!(photos.len(), 2);
    let (first, second) = (&photos[0], &photos[1]);
    for page in [format!("/products/{id}"), format!("/my/products/{id}")] {
        let html = vendor.get(&page).await.text().await.unwrap();
        for key in &photos {
            assert!(html.contains(key.as_str()), "{page} shows {key}");
        }
    }

    let (other, _) = app.approved_vendor("0912000036", "sa-pa").await;
    let shopper = app.shopper("0912000037").await;
    for someone in [&other, &shopper] {
        assert_eq!(someone.delete_photo(id, first).await.status(), 404);
    }
    assert_eq!(
        app.anonymous().delete_photo(id, first).await.status(),
        303,
        "to the sign-in page"
    );
    // A photo is removed through its own product only, even among the vendor's products.
    let another = vendor.add_product("Mận", "30.000", "", true).await.unwrap();
    assert_eq!(vendor.delete_photo(another, first).await.status(), 404);
    assert_eq!(
        vendor.my_product(id).await.photos.len(),
        2,
        "nothing removed"
    );

    let res = vendor.delete_photo(id, first).await;
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("photo=deleted")
    );
    assert_eq!(vendor.my_product(id).await.photos, vec![second.clone()]);
    for file in [
        format!("/photos/{first}.jpg"),
        format!("/photos/{first}-thumb.jpg"),
    ] {
        assert_eq!(app.anonymous().get(&file).await.status(), 404, "{file}");
    }
}

#[tokio::test]
async fn a_vendor_gives_the_stall_a_photo() {
    let app = TestApp::spawn().await;
    let (vendor, stall) = app.approved_vendor("0912000012", "coc-leu").await;
    assert!(stall.photo.is_none());
    assert_eq!(
        vendor.upload_stall_photo(support::png(1200, 900)).await,
        "/my/stall?photo=saved"
    );
    let stall = vendor.my_stall().await.unwrap().0;
    let page = app
        .anonymous()
        .get(&format!("/stalls/{}", stall.slug))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&stall.photo_url().unwrap()));
    // A shopper has no stall to give a photo to.
    let shopper = app.shopper("0912000013").await;
    assert_eq!(
        shopper
            .upload_stall_photo_status(support::png(10, 10))
            .await,
        404
    );
}

#[tokio::test]
async fn photos_are_judged_by_content_and_re_encoded() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912000003", "sa-pa").await;
    let id = vendor
        .add_product("Táo mèo", "40.000", "", true)
        .await
        .unwrap();
    let res = vendor
        .upload_photo(id, "anh.jpg", b"this is not a picture".to_vec())
        .await;
    assert!(res.ends_with("photo_error=not_image"), "{res}");
    let res = vendor
        .upload_photo(id, "x.png", support::png(800, 600))
        .await;
    assert!(res.ends_with("photo=saved"), "{res}");
    let product = vendor.my_product(id).await;
    let thumb = app.anonymous().get(&product.thumb_url().unwrap()).await;
    assert_eq!(thumb.headers()["content-type"], "image/jpeg");
    let img = image::load_from_memory(&thumb.bytes().await.unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (320, 240));
    // Someone else's product: no upload, and no hint that it exists.
    let (other, _) = app.approved_vendor("0912000004", "sa-pa").await;
    assert_eq!(
        other.upload_photo_status(id, support::png(10, 10)).await,
        404
    );
}

#[tokio::test]
async fn a_photo_of_too_many_pixels_gets_its_own_message() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912000038", "bac-ha").await;
    let id = vendor
        .add_product("Mận tam hoa", "40.000", "", true)
        .await
        .unwrap();
    let res = vendor
        .upload_photo(id, "rong.png", support::png(8001, 2))
        .await;
    assert!(res.ends_with("photo_error=too_many_pixels"), "{res}");
    let page = vendor.get(&res).await.text().await.unwrap();
    assert!(page.contains("Ảnh quá nhiều điểm ảnh"), "translated");
    assert!(vendor.my_product(id).await.photos.is_empty());
}
