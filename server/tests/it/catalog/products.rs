//! Products: priced in whole đồng and stocked in steps of their unit; a hidden product is seen by
//! its own vendor only; a refused product form comes back as it was typed.
use crate::support::TestApp;
use app::api::AppError;
use app::domain::invalid::Invalid;

#[tokio::test]
async fn products_are_priced_in_whole_dong_and_stocked_in_unit_steps() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912555666", "bac-ha").await;
    let id = vendor
        .add_product("Mận tam hoa Bắc Hà", "125.000", "12,5", true)
        .await
        .unwrap();
    let p = vendor.my_product(id).await;
    assert_eq!(p.price.amount(), 125_000);
    assert_eq!(
        p.stock.unwrap().steps(),
        125,
        "12.5 kg is 125 steps of 0.1 kg"
    );

    let err = vendor
        .add_product("Mận", "0", "1.25", true)
        .await
        .unwrap_err();
    let AppError::Invalid(fields) = err else {
        panic!("{err:?}")
    };
    assert!(matches!(
        fields.get("price"),
        Some(Invalid::AmountOutOfRange { .. })
    ));
    assert_eq!(
        fields.get("stock"),
        Some(&Invalid::TooManyDecimals { max: 1 })
    );
    let err = vendor
        .add_product("Mận", "1000000001", "", true)
        .await
        .unwrap_err();
    assert!(
        matches!(err, AppError::Invalid(f) if matches!(f.get("price"), Some(Invalid::AmountOutOfRange { .. })))
    );
}

#[tokio::test]
async fn a_vendor_never_sees_or_changes_another_vendors_hidden_product() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.approved_vendor("0912000001", "coc-leu").await;
    let hidden = owner
        .add_product("Măng khô", "90.000", "5", false)
        .await
        .unwrap();
    let (other, _) = app.approved_vendor("0912000002", "coc-leu").await;
    assert_eq!(
        other
            .call_json::<app::model::Product>(
                "/api/my_product",
                &[("product_id", &hidden.to_string())]
            )
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    assert_eq!(
        other.get(&format!("/products/{hidden}")).await.status(),
        404
    );
    assert_eq!(
        app.anonymous()
            .get(&format!("/products/{hidden}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        owner.get(&format!("/products/{hidden}")).await.status(),
        200,
        "the owner previews it"
    );
}

/// The same for a new product's form: what was typed comes back with the price's error.
#[tokio::test]
async fn a_refused_product_form_without_javascript_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912000076", "sa-pa").await;
    let form_page = format!("{}/my/products/new", app.base);
    let res = vendor
        .post_form_with(
            "/api/save_product",
            &[
                ("form[name]", "Mật ong bạc hà"),
                ("form[description_vi]", "Mật ong rừng Đồng Văn."),
                ("form[category]", "honey"),
                ("form[unit]", "kg"),
                ("form[price]", "nhiều tiền"),
            ],
            &[
                ("accept", "text/html"),
                ("sec-fetch-site", "same-origin"),
                ("referer", &form_page),
            ],
        )
        .await;
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.contains("__err"), "{back}");
    let page = vendor
        .get(back.trim_start_matches(&app.base))
        .await
        .text()
        .await
        .unwrap();
    for typed in [
        r#"value="Mật ong bạc hà""#,
        "Mật ong rừng Đồng Văn.",
        r#"value="nhiều tiền""#,
    ] {
        assert!(page.contains(typed), "{typed} in {page}");
    }
    assert!(page.contains(r#"id="price-error""#), "the price's error");
    assert!(
        vendor.my_stall().await.unwrap().1.is_empty(),
        "nothing saved"
    );
}

/// A vendor reaches every product's edit page from their own stall page, hidden ones too:
/// each card links there and says whether shoppers see it and what is left.
#[tokio::test]
async fn the_vendors_page_opens_each_product_for_editing() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912300077", "sa-pa").await;
    let shown = vendor
        .add_product("Mận hậu", "50.000", "12", true)
        .await
        .unwrap();
    let hidden = vendor
        .add_product("Đào Sa Pa", "40.000", "", false)
        .await
        .unwrap();
    let page = vendor.get("/my/stall").await.text().await.unwrap();
    for id in [shown, hidden] {
        assert!(
            page.contains(&format!("href=\"/my/products/{id}\"")),
            "{page}"
        );
    }
    assert!(
        !page.contains(&format!("href=\"/products/{shown}\"")),
        "not the public page"
    );
    assert!(page.contains("Còn 12 kg"), "what is left");
    assert!(page.contains("Đang ẩn"), "the hidden one says so");
}
