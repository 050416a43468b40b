//! Integration tests: the real application on a random port against a fresh database —
//! SQLite by default, PostgreSQL when `CHOSO_TEST_DATABASE` names a server
//! (`postgres://user:pass@host/db`, a role allowed to create databases).
mod support;

use app::api::AppError;
use app::domain::invalid::Invalid;
use support::{TestApp, Visitor};

#[tokio::test]
async fn health_reports_the_database() {
    let app = TestApp::spawn().await;
    let res = app.anonymous().get("/healthz").await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn an_unknown_address_is_a_real_404_page() {
    let app = TestApp::spawn().await;
    let res = app.anonymous().get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("Không tìm thấy trang"));
}

#[tokio::test]
async fn a_vendor_signs_up_with_one_phone_spelling_and_logs_in_with_another() {
    let app = TestApp::spawn().await;
    let vendor = app.anonymous();
    vendor
        .sign_up("Lù Văn Sáng", "0912 345 678", "vendor")
        .await
        .expect("sign-up");
    let me = vendor.who_am_i().await.expect("signed in after sign-up");
    assert_eq!(me.phone.unwrap().as_str(), "+84912345678");

    let again = app.anonymous();
    again
        .log_in("+84 912.345.678", support::PASSWORD)
        .await
        .expect("log-in with another spelling");
    assert_eq!(again.who_am_i().await.unwrap().full_name, "Lù Văn Sáng");
}

#[tokio::test]
async fn a_login_already_taken_is_a_field_error() {
    let app = TestApp::spawn().await;
    app.anonymous()
        .sign_up("A", "0912345678", "shopper")
        .await
        .unwrap();
    let err = app
        .anonymous()
        .sign_up("B", "+84912345678", "shopper")
        .await
        .unwrap_err();
    assert_eq!(err, AppError::field("login", Invalid::Taken));
}

#[tokio::test]
async fn bad_sign_up_input_reports_every_field_and_creates_nobody() {
    let app = TestApp::spawn().await;
    let visitor = app.anonymous();
    let err = visitor.sign_up("", "12345", "vendor").await.unwrap_err();
    let AppError::Invalid(fields) = err else {
        panic!("expected field errors, got {err:?}")
    };
    assert_eq!(fields.get("full_name"), Some(&Invalid::Required));
    assert_eq!(fields.get("login"), Some(&Invalid::Phone));
    assert!(visitor.who_am_i().await.is_none());
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_account_for_a_while() {
    let app = TestApp::spawn().await;
    app.anonymous()
        .sign_up("Giàng Thị Mỷ", "0987654321", "vendor")
        .await
        .unwrap();
    let attacker = app.anonymous();
    for _ in 0..5 {
        assert_eq!(
            attacker
                .log_in("0987654321", "wrong-password")
                .await
                .unwrap_err(),
            AppError::BadCredentials
        );
    }
    // Even the right password is refused now: the limit counts failures, not guesses in flight.
    assert_eq!(
        attacker
            .log_in("0987654321", support::PASSWORD)
            .await
            .unwrap_err(),
        AppError::TooManyAttempts
    );
}

/// A burst of guesses sent at once must not all be checked before any failure is counted.
#[tokio::test]
async fn wrong_passwords_sent_in_parallel_are_limited_all_the_same() {
    let app = TestApp::spawn().await;
    app.anonymous()
        .sign_up("Giàng Thị Mỷ", "0987654322", "vendor")
        .await
        .unwrap();
    let mut burst = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let attacker = app.anonymous();
        burst.spawn(async move { attacker.log_in("0987654322", "wrong-password").await });
    }
    let answers: Vec<_> = burst.join_all().await;
    let checked = answers
        .iter()
        .filter(|a| **a == Err(AppError::BadCredentials))
        .count();
    assert!(
        answers
            .iter()
            .all(|a| matches!(a, Err(AppError::BadCredentials | AppError::TooManyAttempts))),
        "{answers:?}"
    );
    assert!(checked <= 5, "{checked} guesses were checked");
    assert_eq!(
        app.anonymous()
            .log_in("0987654322", support::PASSWORD)
            .await
            .unwrap_err(),
        AppError::TooManyAttempts
    );
}

/// Signing in rightly takes its own attempt back: staff behind one address aren't locked out
/// by their own successful sign-ins.
#[tokio::test]
async fn successful_sign_ins_do_not_count_against_the_address() {
    let app = TestApp::spawn().await;
    app.anonymous()
        .sign_up("Lò Văn Pao", "0987654323", "shopper")
        .await
        .unwrap();
    for _ in 0..31 {
        app.anonymous()
            .log_in("0987654323", support::PASSWORD)
            .await
            .expect("a right password is never limited");
    }
}

#[tokio::test]
async fn the_session_cookie_is_http_only_lax_and_renewed_at_log_in() {
    let app = TestApp::spawn().await;
    app.anonymous()
        .sign_up("Tẩn Láo Mẩy", "0971234567", "shopper")
        .await
        .unwrap();
    let visitor = app.anonymous();
    // A session exists before log-in (e.g. a planted one); log-in must not keep its id.
    let before = visitor
        .post_form(
            "/api/log_in",
            &[("login", "0971234567"), ("password", "nope-nope")],
        )
        .await;
    let planted = support::session_cookie(&before);
    let res = visitor
        .post_form(
            "/api/log_in",
            &[("login", "0971234567"), ("password", support::PASSWORD)],
        )
        .await;
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("choso_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert_ne!(Some(cookie.split(';').next().unwrap().to_string()), planted);
}

#[tokio::test]
async fn a_cross_site_form_post_is_refused() {
    let app = TestApp::spawn().await;
    let res = app
        .anonymous()
        .post_form_with(
            "/api/sign_up",
            &[
                ("full_name", "X"),
                ("login", "0912000111"),
                ("password", "password1"),
                ("account", "shopper"),
            ],
            &[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert!(
        app.anonymous()
            .log_in("0912000111", "password1")
            .await
            .is_err(),
        "nothing was created"
    );
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

#[tokio::test]
async fn a_stall_goes_public_only_once_its_own_market_manager_approves_it() {
    let app = TestApp::spawn().await;
    let vendor = app.vendor("0912333444").await;
    let stall = vendor.open_market_stall("Rau sạch Sa Pa", "sa-pa").await;
    assert_eq!(
        app.anonymous()
            .get(&format!("/stalls/{}", stall.slug))
            .await
            .status(),
        404,
        "a draft is not public"
    );
    vendor.call("/api/submit_stall", &[]).await.unwrap();

    let other_manager = app.manager("coc-leu").await;
    assert_eq!(
        other_manager
            .move_stall(stall.id, "approve")
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    let manager = app.manager("sa-pa").await;
    manager.move_stall(stall.id, "approve").await.unwrap();
    let page = app
        .anonymous()
        .get(&format!("/stalls/{}", stall.slug))
        .await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Rau sạch Sa Pa"));

    // Suspension needs a reason, and takes the stall off the site.
    assert!(matches!(
        manager.move_stall(stall.id, "suspend").await.unwrap_err(),
        AppError::Invalid(_)
    ));
    manager
        .call(
            "/api/move_stall",
            &[
                ("stall_id", &stall.id.to_string()),
                ("step", "suspend"),
                ("reason", "Chưa nộp phí"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        app.anonymous()
            .get(&format!("/stalls/{}", stall.slug))
            .await
            .status(),
        404
    );
}

/// The stall form with every field, at `place` (form fields without the `form[…]` wrapping).
fn stall_fields<'a>(name: &'a str, place: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", name),
        ("description_vi", "Hàng nhà làm."),
        ("phone", "0912 000 999"),
        ("sun", "on"),
    ];
    fields.extend_from_slice(place);
    fields
}

/// The statuses a stall was moved to, in order, as the onboarding history reads them.
async fn status_history(app: &TestApp, stall_id: i64) -> Vec<String> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    use server::db::entities::stall_event;
    let db = server::db::connect(&app.settings.database_url)
        .await
        .unwrap();
    stall_event::Entity::find()
        .filter(stall_event::Column::StallId.eq(stall_id))
        .order_by_asc(stall_event::Column::Id)
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.to_status)
        .collect()
}

#[tokio::test]
async fn moving_an_approved_stall_sends_it_back_to_the_reviewer_of_its_new_place() {
    let app = TestApp::spawn().await;
    let (vendor, stall) = app.approved_vendor("0912000030", "sa-pa").await;
    let stall_no = stall.place.flatten().stall_no.unwrap();
    let at_sa_pa = [
        ("place_kind", "market"),
        ("market", "sa-pa"),
        ("stall_no", stall_no.as_str()),
    ];

    // A new name, description or trading days keep the approval.
    vendor
        .save_stall(&stall_fields("Rau rừng Sa Pa", &at_sa_pa))
        .await
        .unwrap();
    let (kept, _) = vendor.my_stall().await.unwrap();
    assert_eq!(kept.status.slug(), "approved");
    assert_eq!(kept.name, "Rau rừng Sa Pa");

    // Becoming an OCOP producer is a new place: only an administrator approves it.
    let as_ocop = [
        ("place_kind", "ocop"),
        ("entity_type", "business"),
        ("commune", "Tả Van"),
        ("district", "Sa Pa"),
    ];
    vendor
        .save_stall(&stall_fields("Rau rừng Sa Pa", &as_ocop))
        .await
        .unwrap();
    let (moved, _) = vendor.my_stall().await.unwrap();
    assert_eq!(moved.status.slug(), "submitted");
    assert_eq!(
        app.anonymous()
            .get(&format!("/stalls/{}", moved.slug))
            .await
            .status(),
        404,
        "no longer public"
    );
    assert_eq!(
        status_history(&app, stall.id).await,
        ["submitted", "approved", "submitted"],
        "the approval ended when the stall moved"
    );
    assert_eq!(
        app.manager_once("sa-pa")
            .await
            .move_stall(stall.id, "approve")
            .await,
        Err(AppError::Forbidden),
        "the old market's manager no longer reviews it"
    );
    let admin = app.admin().await;
    admin.move_stall(stall.id, "approve").await.unwrap();

    // A suspended stall moving market goes to the new market's manager too.
    admin
        .call(
            "/api/move_stall",
            &[
                ("stall_id", &stall.id.to_string()),
                ("step", "suspend"),
                ("reason", "Chưa nộp phí"),
            ],
        )
        .await
        .unwrap();
    vendor
        .save_stall(&stall_fields(
            "Rau rừng Sa Pa",
            &[("place_kind", "market"), ("market", "bac-ha")],
        ))
        .await
        .unwrap();
    assert_eq!(
        vendor.my_stall().await.unwrap().0.status.slug(),
        "submitted"
    );
    app.manager("bac-ha")
        .await
        .move_stall(stall.id, "approve")
        .await
        .unwrap();
}

#[tokio::test]
async fn the_vendor_is_told_before_and_after_a_move_sends_the_stall_back_for_review() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912000031", "coc-leu").await;
    let page = vendor.get("/my/stall").await.text().await.unwrap();
    assert!(
        page.contains("phải được duyệt lại"),
        "the form warns before saving"
    );
    let res = vendor
        .post_form_with(
            "/api/save_stall",
            &[
                ("form[name]", "Gian mới"),
                ("form[place_kind]", "market"),
                ("form[market]", "bac-ha"),
                ("form[description_vi]", "x"),
                ("form[phone]", "0912000031"),
                ("form[sun]", "on"),
            ],
            &[("accept", "text/html"), ("sec-fetch-site", "same-origin")],
        )
        .await;
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.ends_with("/my/stall?saved=1&review=again"), "{back}");
    let page = vendor.get(&back).await.text().await.unwrap();
    assert!(page.contains("chờ duyệt lại"), "and after");
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
async fn the_demo_data_answers_the_searches_the_province_expects() {
    let app = TestApp::spawn().await;
    app.seed_demo().await;
    let shopper = app.anonymous();
    for (query, name_start) in [
        ("ca phe", "Cà phê"),
        ("mat ong", "Mật ong bạc hà"),
        ("thit trau", "Thịt trâu gác bếp"),
    ] {
        let found = shopper.search(query).await;
        assert!(
            found.iter().any(|n| n.starts_with(name_start)),
            "{query:?} found {found:?}"
        );
    }
    // Every product of a stall at Bắc Hà market is found by the market's name without accents
    // (alongside products whose own words say "bạc hà", mint, which folds the same way).
    let found = shopper.search("BAC HA").await;
    let at_bac_ha: Vec<app::model::Hit> = shopper
        .call_json(
            "/api/search",
            &[("params[q]", ""), ("params[market]", "bac-ha")],
        )
        .await
        .unwrap();
    assert!(at_bac_ha.len() >= 5, "the demo has products at Bắc Hà");
    for hit in at_bac_ha {
        assert!(
            found.contains(&hit.product.name),
            "{} missing from BAC HA",
            hit.product.name
        );
    }
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

/// A server function, its form, and who (named) must be refused it.
type Case<'a> = (
    &'a str,
    Vec<(&'a str, &'a str)>,
    Vec<(&'a str, &'a Visitor)>,
);

/// Every mutating server function, tried by every role that must not use it. The list is
/// checked against the registered server functions, so a new one can't be forgotten.
#[tokio::test]
async fn every_mutation_refuses_everyone_it_is_not_for() {
    let app = TestApp::spawn().await;
    let (owner, stall) = app.approved_vendor("0912000005", "coc-leu").await;
    let product = owner
        .add_product("Gạo Séng Cù", "35.000", "100", true)
        .await
        .unwrap();
    let (other_vendor, _) = app.approved_vendor("0912000006", "coc-leu").await;
    let shopper = app.shopper("0912000007").await;
    let other_manager = app.manager("sa-pa").await;
    let anonymous = app.anonymous();

    let stall_id = stall.id.to_string();
    let product_id = product.to_string();
    let manager_id = other_manager.who_am_i().await.unwrap().id.to_string();
    owner.set_payments(true, false, "0").await;
    let buyer = app.anonymous();
    buyer.add_to_cart(product, "1").await.unwrap();
    let token = buyer.place_order("vietqr", &[]).await.unwrap();
    let order_id = buyer.checkout(&token).await.orders[0].id.to_string();
    // (endpoint, form, who must be refused)
    let cases: Vec<Case> = vec![
        (
            "/api/save_product",
            vec![
                ("product_id", &product_id),
                ("form[name]", "Đổi tên"),
                ("form[description_vi]", "x"),
                ("form[category]", "grains"),
                ("form[unit]", "kg"),
                ("form[price]", "1000"),
            ],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other vendor", &other_vendor),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/set_product_published",
            vec![("product_id", &product_id), ("published", "false")],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other vendor", &other_vendor),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/move_stall",
            vec![
                ("stall_id", &stall_id),
                ("step", "suspend"),
                ("reason", "thử"),
            ],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other vendor", &other_vendor),
                ("owner", &owner),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/grant_manager",
            vec![("login", "0912000007"), ("market", "coc-leu")],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other vendor", &other_vendor),
                ("owner", &owner),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/revoke_manager",
            vec![("user_id", &manager_id)],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other vendor", &other_vendor),
                ("owner", &owner),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/save_stall",
            vec![
                ("form[name]", "Chiếm gian"),
                ("form[place_kind]", "market"),
                ("form[market]", "coc-leu"),
                ("form[description_vi]", "x"),
                ("form[phone]", "0912000009"),
                ("form[mon]", "on"),
            ],
            // A shopper may open a stall (and so becomes a vendor): see its own test.
            vec![("anonymous", &anonymous), ("other manager", &other_manager)],
        ),
        (
            "/api/submit_stall",
            vec![],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/move_order",
            vec![("order_id", &order_id), ("step", "confirm_payment")],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other vendor", &other_vendor),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/record_settlement",
            vec![("stall_id", &stall_id), ("amount", "1000")],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other vendor", &other_vendor),
                ("owner", &owner),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/save_payment_settings",
            vec![("form[delivery_fee]", "1000")],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/save_target",
            vec![("segment", "province"), ("year", "2026"), ("percent", "10")],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("owner", &owner),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/link_registry_entry",
            vec![("stall_id", &stall_id), ("external_id", "CL-1")],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("owner", &owner),
                ("other vendor", &other_vendor),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/unlink_registry_entry",
            vec![("stall_id", &stall_id), ("entry_id", "1")],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("owner", &owner),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/create_api_token",
            vec![("name", "Cổng báo cáo")],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("owner", &owner),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/revoke_api_token",
            vec![("id", "1")],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("owner", &owner),
                ("other manager", &other_manager),
            ],
        ),
    ];
    // Mutations anyone may call: they act only on the caller's own account or cart.
    let open_to_all = [
        "/api/sign_up",
        "/api/log_in",
        "/api/log_out",
        "/api/add_to_cart",
        "/api/update_cart",
        "/api/place_order",
        // Whoever holds a checkout's unguessable link may pay it.
        "/api/pay_by_card",
        "/api/cancel_order",
        // Puts a cancelled or expired order of that checkout back in the caller's own cart.
        "/api/restore_order",
        // Hands the caller back, once, what their own session kept of a refused form.
        "/api/refused_form",
    ];
    let read_only = [
        "/api/who_am_i",
        "/api/market_managers",
        "/api/my_stall",
        "/api/my_product",
        "/api/review_queue",
        "/api/market_stalls",
        "/api/ocop_products",
        "/api/stall_page",
        "/api/product_page",
        "/api/search",
        "/api/my_cart",
        // The caller's own cart's line count, and the checkouts their account placed.
        "/api/cart_count",
        "/api/my_purchases",
        "/api/checkout_page",
        "/api/stall_orders",
        "/api/my_payment_settings",
        "/api/cards_simulated",
        "/api/statements_page",
        "/api/admin_orders",
        "/api/my_placard",
        "/api/stall_balances",
        "/api/onboarding_report",
        "/api/registry_overview",
        "/api/review_registry",
        "/api/api_tokens",
    ];
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        assert!(
            cases.iter().any(|(p, _, _)| *p == path)
                || open_to_all.contains(&path)
                || read_only.contains(&path),
            "server function {path} is in no list of the authorization test"
        );
    }
    for (path, form, refused) in &cases {
        for (who, visitor) in refused {
            let res = visitor.call(path, form).await;
            assert!(
                matches!(
                    res,
                    Err(AppError::NotSignedIn
                        | AppError::Forbidden
                        | AppError::NotFound
                        | AppError::Conflict)
                ),
                "{who} must be refused {path}, got {res:?}"
            );
        }
    }
    // Nothing changed: the product is as the owner left it, the stall still approved.
    let p = owner.my_product(product).await;
    assert_eq!(p.name, "Gạo Séng Cù");
    assert!(p.published);
    assert_eq!(owner.my_stall().await.unwrap().0.status.slug(), "approved");
    assert_eq!(shopper.who_am_i().await.unwrap().role.slug(), "shopper");
    assert_eq!(
        other_manager.who_am_i().await.unwrap().role.slug(),
        "market_manager"
    );
    assert_eq!(
        buyer.checkout(&token).await.orders[0].status.slug(),
        "awaiting_transfer"
    );
}

/// Without JavaScript a form posts straight to the server function; the answer sends the
/// browser back to the form, which shows each field's error in the visitor's language.
#[tokio::test]
async fn a_form_posted_without_javascript_comes_back_with_translated_field_errors() {
    let app = TestApp::spawn().await;
    let browser = app.anonymous();
    let form_page = format!("{}/signup", app.base);
    let res = browser
        .post_form_with(
            "/api/sign_up",
            &[
                ("full_name", ""),
                ("login", "12345"),
                ("password", "short"),
                ("account", "vendor"),
            ],
            &[
                ("accept", "text/html"),
                ("sec-fetch-site", "same-origin"),
                ("referer", &form_page),
            ],
        )
        .await;
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.starts_with(&form_page), "{back}");
    let page = browser
        .get(back.trim_start_matches(&app.base))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Vui lòng điền mục này."), "name required");
    assert!(page.contains("Số điện thoại chưa đúng"), "phone invalid");
    assert!(page.contains("ít nhất 8 ký tự"), "password too short");
    // What was typed comes back, but never the password.
    assert!(page.contains(r#"value="12345""#), "the login typed");
    assert!(!page.contains("short"), "no password");
    assert!(browser.who_am_i().await.is_none(), "nobody was signed up");
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
async fn a_reviewer_makes_only_a_reviewers_moves_and_a_stale_one_is_a_conflict() {
    let app = TestApp::spawn().await;
    let vendor = app.vendor("0912000020").await;
    let stall = vendor.open_market_stall("Chè shan tuyết", "sa-pa").await;
    let manager = app.manager("sa-pa").await;
    assert_eq!(
        manager.move_stall(stall.id, "submit").await,
        Err(AppError::Forbidden),
        "submitting is the owner's move"
    );
    assert_eq!(vendor.my_stall().await.unwrap().0.status.slug(), "draft");

    vendor.call("/api/submit_stall", &[]).await.unwrap();
    manager.move_stall(stall.id, "approve").await.unwrap();
    // The same button again, from a page loaded before the first approval.
    assert_eq!(
        manager.move_stall(stall.id, "approve").await,
        Err(AppError::Conflict)
    );
    assert_eq!(vendor.my_stall().await.unwrap().0.status.slug(), "approved");
}

/// Without JavaScript, a suspension without a reason comes back to the review page with the
/// reason's own message, not only "see the marked fields" with nothing marked.
#[tokio::test]
async fn a_suspension_without_a_reason_names_the_reason_on_the_review_page() {
    let app = TestApp::spawn().await;
    let manager = app.manager("bac-ha").await;
    let (_, stall) = app.approved_vendor("0912000021", "bac-ha").await;
    let review_page = format!("{}/review", app.base);
    let res = manager
        .post_form_with(
            "/api/move_stall",
            &[
                ("stall_id", &stall.id.to_string()),
                ("step", "suspend"),
                ("reason", " "),
            ],
            &[
                ("accept", "text/html"),
                ("sec-fetch-site", "same-origin"),
                ("referer", &review_page),
            ],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = res.headers()["location"].to_str().unwrap().to_string();
    assert!(back.starts_with(&review_page), "{back}");
    let page = manager
        .get(back.trim_start_matches(&app.base))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"id="reason-error""#), "{page}");
    assert!(page.contains("Vui lòng điền mục này."));
}

/// The page's head from a rendered page.
fn head(page: &str) -> &str {
    &page[..page.find("</head>").expect("a head")]
}

#[tokio::test]
async fn markup_in_a_name_is_shown_as_text_in_the_page_and_its_head() {
    let app = TestApp::spawn().await;
    let evil = "x</title><script>alert(1)</script>";
    let vendor = app.vendor("0912000030").await;
    let stall = vendor.open_market_stall(evil, "coc-leu").await;
    vendor.call("/api/submit_stall", &[]).await.unwrap();
    app.manager("coc-leu")
        .await
        .move_stall(stall.id, "approve")
        .await
        .unwrap();
    let product = vendor
        .add_product(evil, "35.000", "100", true)
        .await
        .unwrap();
    let page = app
        .anonymous()
        .get(&format!("/products/{product}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("<script>alert(1)"), "{page}");
    assert!(
        head(&page).contains(
            "<title>x&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; · Chợ Số</title>"
        ),
        "{}",
        head(&page)
    );
    assert!(
        head(&page)
            .contains(r#"content="x&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; · Chợ Số""#),
        "og:title is escaped too: {}",
        head(&page)
    );
    let page = app
        .anonymous()
        .get(&format!("/stalls/{}", stall.slug))
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("<script>alert(1)"), "{page}");
    assert!(
        head(&page).contains("<title>x&lt;/title&gt;"),
        "{}",
        head(&page)
    );
}

#[tokio::test]
async fn open_graph_addresses_are_absolute_and_a_stall_shows_its_photo() {
    let app = TestApp::spawn_with(|s| s.public_url = Some("https://cho.example".into())).await;
    let (vendor, _) = app.approved_vendor("0912000031", "sa-pa").await;
    vendor.upload_stall_photo(support::png(800, 600)).await;
    let stall = vendor.my_stall().await.unwrap().0;
    let page = app
        .anonymous()
        .get(&format!("/stalls/{}", stall.slug))
        .await
        .text()
        .await
        .unwrap();
    let stall_head = head(&page);
    assert!(
        stall_head.contains(&format!(
            r#"<meta property="og:url" content="https://cho.example/stalls/{}">"#,
            stall.slug
        )),
        "{stall_head}"
    );
    assert!(
        stall_head.contains(&format!(
            r#"<meta property="og:image" content="https://cho.example{}">"#,
            stall.photo_url().unwrap()
        )),
        "{stall_head}"
    );

    // Without a public address, the host the request named.
    let app = TestApp::spawn().await;
    let page = app.anonymous().get("/ocop").await.text().await.unwrap();
    assert!(
        head(&page).contains(&format!(
            r#"<meta property="og:url" content="{}/ocop">"#,
            app.base
        )),
        "{}",
        head(&page)
    );
}

#[tokio::test]
async fn an_unknown_address_shows_a_signed_in_visitor_as_signed_in() {
    let app = TestApp::spawn().await;
    let shopper = app.shopper("0912000032").await;
    let res = shopper.get("/no/such/page").await;
    assert_eq!(res.status(), 404);
    let page = res.text().await.unwrap();
    assert!(page.contains(r#"<span class="who">Khách"#), "{page}");

    // An unknown stall: a 404 with a title and a way home.
    let res = shopper.get("/stalls/khong-co").await;
    assert_eq!(res.status(), 404);
    let page = res.text().await.unwrap();
    assert!(head(&page).contains("<title>"), "{}", head(&page));
    assert!(page.contains(r#"<a href="/">"#), "{page}");
}

#[tokio::test]
async fn an_administrator_appoints_and_revokes_managers_but_not_themselves_or_a_stall_owner() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let (vendor, _) = app.approved_vendor("0912000040", "bac-ha").await;
    let shopper = app.shopper("0912000041").await;
    let grant = |login: &'static str| {
        let admin = &admin;
        async move {
            admin
                .call(
                    "/api/grant_manager",
                    &[("login", login), ("market", "bac-ha")],
                )
                .await
        }
    };
    assert_eq!(
        grant("admin@test.vn").await,
        Err(AppError::field("login", Invalid::Administrator))
    );
    assert_eq!(admin.who_am_i().await.unwrap().role.slug(), "admin");
    assert_eq!(
        grant("0912000040").await,
        Err(AppError::field("login", Invalid::OwnsStall))
    );
    assert_eq!(vendor.who_am_i().await.unwrap().role.slug(), "vendor");

    grant("0912000041").await.unwrap();
    let managers: Vec<app::model::User> =
        admin.call_json("/api/market_managers", &[]).await.unwrap();
    let appointed = managers.iter().find(|u| u.full_name == "Khách").unwrap();
    assert_eq!(
        shopper.who_am_i().await.unwrap().role.slug(),
        "market_manager"
    );

    admin
        .call(
            "/api/revoke_manager",
            &[("user_id", &appointed.id.to_string())],
        )
        .await
        .unwrap();
    assert_eq!(shopper.who_am_i().await.unwrap().role.slug(), "shopper");
    let managers: Vec<app::model::User> =
        admin.call_json("/api/market_managers", &[]).await.unwrap();
    assert!(managers.iter().all(|u| u.id != appointed.id));
    assert_eq!(
        shopper
            .call_json::<Vec<app::model::User>>("/api/market_managers", &[])
            .await,
        Err(AppError::Forbidden)
    );
}

async fn status(who: &Visitor, path: &str, form: &[(&str, &str)]) -> u16 {
    who.post_form(path, form).await.status().as_u16()
}

/// Each refusal answers with its own status; only the unexpected is a 500.
#[tokio::test]
async fn server_function_errors_answer_with_their_own_status() {
    let app = TestApp::spawn().await;
    let (_, stall) = app.approved_vendor("0912000050", "coc-leu").await;
    let shopper = app.shopper("0912000051").await;
    let admin = app.admin().await;
    let id = stall.id.to_string();
    let approve: &[(&str, &str)] = &[("stall_id", &id), ("step", "approve")];
    let unknown: &[(&str, &str)] = &[("stall_id", "9999"), ("step", "approve")];
    assert_eq!(
        status(&app.anonymous(), "/api/move_stall", approve).await,
        401
    );
    assert_eq!(status(&shopper, "/api/move_stall", approve).await, 403);
    assert_eq!(status(&admin, "/api/move_stall", unknown).await, 404);
    assert_eq!(status(&admin, "/api/move_stall", approve).await, 409);
    let wrong = [("login", "0912000051"), ("password", "wrong-password")];
    assert_eq!(status(&app.anonymous(), "/api/log_in", &wrong).await, 401);
    let bad_sign_up = [
        ("full_name", ""),
        ("login", "1"),
        ("password", "x"),
        ("account", "shopper"),
    ];
    assert_eq!(
        status(&app.anonymous(), "/api/sign_up", &bad_sign_up).await,
        422
    );
    // A request no page of the site sends: a clear error, not an empty list of fields.
    let res = admin
        .post_form("/api/move_stall", &[("stall_id", "not-a-number")])
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<AppError>().await.unwrap(), AppError::BadRequest);
}

/// Idle expiry counts from the last request: a visitor active more often than the idle limit
/// stays signed in past it, and is signed out once idle for longer.
#[tokio::test]
async fn activity_keeps_a_session_alive_and_idleness_ends_it() {
    let idle = std::time::Duration::from_secs(4);
    let app = TestApp::spawn_with(|s| s.session_idle = idle).await;
    let shopper = app.shopper("0912000060").await;
    for _ in 0..8 {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        assert!(
            shopper.who_am_i().await.is_some(),
            "signed out while active"
        );
    }
    tokio::time::sleep(idle + std::time::Duration::from_secs(2)).await;
    assert!(
        shopper.who_am_i().await.is_none(),
        "still signed in after idling"
    );
}

fn header(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

/// A page depends on the visitor's language and cookies, so no shared cache may keep it; a
/// signed-in visitor's page isn't stored at all. Photos keep their long-lived caching.
#[tokio::test]
async fn pages_are_private_to_their_visitor_and_photos_stay_cacheable() {
    let app = TestApp::spawn().await;
    let page_vary = Some("Accept-Language, Cookie".to_string());
    for path in ["/", "/markets/sa-pa", "/login", "/no-such-page"] {
        let res = app.anonymous().get(path).await;
        assert_eq!(header(&res, "vary"), page_vary, "{path}");
        assert_eq!(
            header(&res, "cache-control").as_deref(),
            Some("private, no-cache"),
            "{path}"
        );
    }
    let (vendor, _) = app.approved_vendor("0912000070", "sa-pa").await;
    for path in ["/", "/my/stall"] {
        let res = vendor.get(path).await;
        assert_eq!(header(&res, "vary"), page_vary, "{path}");
        assert_eq!(
            header(&res, "cache-control").as_deref(),
            Some("private, no-store"),
            "{path}"
        );
    }
    let id = vendor
        .add_product("Táo mèo", "40.000", "", true)
        .await
        .unwrap();
    vendor
        .upload_photo(id, "x.png", support::png(400, 300))
        .await;
    let key = vendor.my_product(id).await.photos[0].clone();
    let res = app.anonymous().get(&format!("/photos/{key}.jpg")).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(&res, "cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert_eq!(header(&res, "vary"), None);
    assert_eq!(header(&app.anonymous().get("/healthz").await, "vary"), None);
}

/// The sign-in link of the "please sign in" page brings the visitor back to where they were.
#[tokio::test]
async fn the_sign_in_page_link_returns_to_the_page_asked_for() {
    let app = TestApp::spawn().await;
    let res = app.anonymous().get("/my/stall").await;
    assert_eq!(res.status(), 401);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"href="/login?next=/my/stall""#), "{html}");
}

fn meta_description(html: &str) -> &str {
    let start = html
        .find(r#"<meta name="description" content=""#)
        .expect("a description")
        + r#"<meta name="description" content=""#.len();
    let len = html[start..].find('"').unwrap();
    &html[start..start + len]
}

/// A market's description says where and when it is held and how many stalls it has; the
/// sign-in and sign-up pages say what an account is for.
#[tokio::test]
async fn pages_describe_themselves_for_search_and_sharing() {
    let app = TestApp::spawn().await;
    let visitor = app.anonymous();
    let html = visitor.get("/markets/bac-ha").await.text().await.unwrap();
    let empty = meta_description(&html);
    assert!(
        empty.contains("Bắc Hà") && empty.contains("Chủ nhật"),
        "{empty}"
    );
    assert!(empty.contains("sẽ sớm có mặt"), "{empty}");
    app.approved_vendor("0912000071", "bac-ha").await;
    app.approved_vendor("0912000072", "bac-ha").await;
    let html = visitor.get("/markets/bac-ha").await.text().await.unwrap();
    assert!(meta_description(&html).contains("2 gian hàng"), "{html}");
    for path in ["/login", "/signup"] {
        let html = visitor.get(path).await.text().await.unwrap();
        assert!(
            meta_description(&html).contains("gian hàng"),
            "{path}: {}",
            meta_description(&html)
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
