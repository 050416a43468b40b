//! A vendor's stall: opening one (a shopper who does becomes its vendor; staff keep none) and
//! saving it, with or without JavaScript; then the refusals: bad fields named one by one, a
//! refused form given back as it was typed, one market stall number for one stall.
use crate::support::{TestApp, stall_fields};
use app::api::AppError;
use app::domain::invalid::Invalid;

#[tokio::test]
async fn a_shopper_who_opens_a_stall_becomes_its_vendor_and_staff_keep_none() {
    let app = TestApp::spawn().await;
    let shopper = app.shopper("0912000034").await;
    assert!(shopper.my_stall().await.is_none());
    shopper
        .save_stall(&stall_fields(
            "Gian của khách",
            &[("place_kind", "market"), ("market", "bac-ha")],
        ))
        .await
        .unwrap();
    assert_eq!(shopper.who_am_i().await.unwrap().role.slug(), "vendor");
    assert!(shopper.my_stall().await.is_some());

    for staff in [app.manager("bac-ha").await, app.admin().await] {
        assert_eq!(
            staff
                .call_json::<Option<(app::model::Stall, Vec<app::model::Product>)>>(
                    "/api/my_stall",
                    &[]
                )
                .await,
            Err(AppError::Forbidden)
        );
        let page = staff.get("/my/stall").await.text().await.unwrap();
        assert!(page.contains("không mở gian hàng được"), "{page}");
        assert!(!page.contains(r#"name="form[place_kind]""#), "no form");
        assert_eq!(
            staff
                .save_stall(&stall_fields(
                    "Gian quản lý",
                    &[("place_kind", "market"), ("market", "bac-ha")],
                ))
                .await,
            Err(AppError::Forbidden)
        );
    }
}

/// Saving the stall or a product, with or without JavaScript, comes back to a page that says it
/// was saved; the same page opened afresh doesn't.
#[tokio::test]
async fn a_saved_stall_or_product_says_so() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912000073", "sa-pa").await;
    let plain_form = [("accept", "text/html"), ("sec-fetch-site", "same-origin")];
    let edit = [
        ("form[name]", "Gian đã sửa"),
        ("form[place_kind]", "market"),
        ("form[market]", "sa-pa"),
        ("form[stall_no]", "S-73"),
        ("form[description_vi]", "Hàng nhà trồng."),
        ("form[phone]", "0912000073"),
        ("form[sun]", "on"),
    ];
    let product = [
        ("form[name]", "Mận hậu"),
        ("form[description_vi]", "Mận Bắc Hà."),
        ("form[category]", "fruit"),
        ("form[unit]", "kg"),
        ("form[price]", "40000"),
    ];
    for (path, form) in [
        ("/api/save_stall", &edit[..]),
        ("/api/save_product", &product),
    ] {
        for headers in [&plain_form[..], &[]] {
            let res = vendor.post_form_with(path, form, headers).await;
            let back = res.headers()["location"].to_str().unwrap().to_string();
            assert!(back.contains("?saved=1"), "{path}: {back}");
            let page = vendor.get(&back).await.text().await.unwrap();
            assert!(page.contains("Đã lưu."), "{path}: {back}");
            let (afresh, _) = back.split_once('?').unwrap();
            let page = vendor.get(afresh).await.text().await.unwrap();
            assert!(!page.contains("Đã lưu."), "{afresh}");
        }
    }
}

#[tokio::test]
async fn a_stall_form_with_bad_fields_saves_nothing_and_names_each_field() {
    let app = TestApp::spawn().await;
    let vendor = app.vendor("0912111222").await;
    let err = vendor
        .save_stall(&[
            ("name", ""),
            ("place_kind", "market"),
            ("market", "ha-noi"),
            ("description_vi", "x"),
            ("phone", "123"),
        ])
        .await
        .unwrap_err();
    let AppError::Invalid(fields) = err else {
        panic!("{err:?}")
    };
    assert_eq!(fields.get("name"), Some(&Invalid::Required));
    assert_eq!(fields.get("market"), Some(&Invalid::Unknown));
    assert_eq!(fields.get("phone"), Some(&Invalid::Phone));
    assert_eq!(fields.get("days"), Some(&Invalid::Required));
    assert!(vendor.my_stall().await.is_none());
}

/// Without JavaScript, a refused stall form comes back filled in as it was sent, with the
/// wrong field's message, whether opening a stall or editing one; only once.
#[tokio::test]
async fn a_refused_stall_form_without_javascript_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let opening = app.vendor("0912000074").await;
    let (editing, _) = app.approved_vendor("0912000075", "sa-pa").await;
    for vendor in [&opening, &editing] {
        let form_page = format!("{}/my/stall", app.base);
        let res = vendor
            .post_form_with(
                "/api/save_stall",
                &[
                    ("form[name]", "Gian Thổ Cẩm Lụa"),
                    ("form[place_kind]", "market"),
                    ("form[market]", "bac-ha"),
                    ("form[stall_no]", "B-74"),
                    ("form[description_vi]", "Khăn dệt tay của người Mông."),
                    ("form[phone]", "12"),
                    ("form[sat]", "on"),
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
            r#"value="Gian Thổ Cẩm Lụa""#,
            r#"value="B-74""#,
            "Khăn dệt tay của người Mông.",
            r#"value="12""#,
            r#"value="bac-ha" selected"#,
            r#"name="form[sat]" checked"#,
        ] {
            assert!(page.contains(typed), "{typed} in {page}");
        }
        assert!(
            page.contains("Số điện thoại chưa đúng"),
            "the phone's error"
        );
        let again = vendor.get("/my/stall").await.text().await.unwrap();
        assert!(!again.contains("Gian Thổ Cẩm Lụa"), "shown once");
    }
}

#[tokio::test]
async fn one_market_stall_number_belongs_to_one_stall() {
    let app = TestApp::spawn().await;
    let first = app.vendor("0912000032").await;
    let pitch = |market: &'static str, no: &'static str| {
        [
            ("place_kind", "market"),
            ("market", market),
            ("stall_no", no),
        ]
    };
    first
        .save_stall(&stall_fields("Gian chị Hoa", &pitch("coc-leu", "b-12")))
        .await
        .unwrap();
    // Saving again under its own number is no clash.
    first
        .save_stall(&stall_fields("Gian chị Hoa", &pitch("coc-leu", "B-12")))
        .await
        .unwrap();
    let second = app.vendor("0912000033").await;
    let taken = Err(AppError::field("stall_no", Invalid::PitchTaken));
    assert_eq!(
        second
            .save_stall(&stall_fields("Gian anh Tú", &pitch("coc-leu", " B-12 ")))
            .await,
        taken
    );
    assert!(second.my_stall().await.is_none(), "nothing was saved");
    // The same number at another market is another pitch; moving onto a taken one is refused.
    second
        .save_stall(&stall_fields("Gian anh Tú", &pitch("sa-pa", "B-12")))
        .await
        .unwrap();
    assert_eq!(
        second
            .save_stall(&stall_fields("Gian anh Tú", &pitch("coc-leu", "B-12")))
            .await,
        taken
    );
    let (kept, _) = second.my_stall().await.unwrap();
    assert_eq!(kept.market().map(|m| m.slug()), Some("sa-pa"));
}
