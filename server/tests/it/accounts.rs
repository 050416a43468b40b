//! Accounts: signing up and in with a phone number however it is spelt, the session cookie and
//! its idle and absolute limits, the sign-in link that returns to the page asked for (or lands each role where
//! its work is), administrators appointing market managers; then what is refused (a login taken, bad fields, with or
//! without JavaScript); then the limit on wrong passwords, one at a time and in a burst.
use crate::support::{self, TestApp};
use app::api::AppError;
use app::domain::invalid::Invalid;

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

/// However active, a sign-in ends after its absolute lifetime. A page whose parts each ask who
/// is signed in (the header's menu, the cart's count, the page's own list) is then the
/// signed-out one throughout, and the session no longer holds the user.
#[tokio::test]
async fn a_sign_in_past_its_absolute_lifetime_gets_the_signed_out_page() {
    use app::api::session::{ABSOLUTE_LIFETIME_SECS, SIGNED_IN_AT, USER_ID};
    let app = TestApp::spawn().await;
    let shopper = app.shopper("0912000062").await;
    let signed_in = shopper.get("/my/purchases").await;
    assert_eq!(signed_in.status(), 200);
    assert!(signed_in.text().await.unwrap().contains(r#"class="who""#));

    app.change_sessions(|data| {
        if data.contains_key(SIGNED_IN_AT) {
            let now = chrono::Utc::now().timestamp();
            let long_ago = now - ABSOLUTE_LIFETIME_SECS - 60;
            data.insert(SIGNED_IN_AT.into(), long_ago.into());
        }
    })
    .await;
    let res = shopper.get("/my/purchases").await;
    assert_eq!(res.status(), 401);
    let page = res.text().await.unwrap();
    assert!(
        !page.contains(r#"class="who""#),
        "the header still names the user"
    );
    assert!(
        page.contains(r#"href="/login?next="#),
        "no way to sign in again"
    );
    assert!(
        app.sessions()
            .await
            .iter()
            .all(|data| !data.contains_key(USER_ID)),
        "a session still holds the user"
    );
    assert!(shopper.who_am_i().await.is_none());
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

/// The header's sign-in link carries the page the visitor is on; signing in (with or without
/// JavaScript) returns there. Without a page to return to, or with one on another site, each
/// role lands where its work is: a vendor on their orders, staff on the review queue.
#[tokio::test]
async fn signing_in_returns_to_the_page_or_lands_where_the_role_works() {
    let app = TestApp::spawn().await;
    app.vendor("0912000082").await;
    app.shopper("0912000083").await;
    app.manager("sa-pa").await;
    app.admin().await;

    let page = app
        .anonymous()
        .get("/markets/sa-pa")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(r#"href="/login?next=/markets/sa-pa""#),
        "{page}"
    );
    let page = app
        .anonymous()
        .get("/login?next=/cart")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"name="next" value="/cart""#), "{page}");
    let page = app.anonymous().get("/login").await.text().await.unwrap();
    assert!(!page.contains(r#"name="next""#), "no page to return to");

    let lands = |login: &'static str, next: Option<&'static str>, javascript: bool| {
        let visitor = app.anonymous();
        async move {
            let mut form = vec![("login", login), ("password", support::PASSWORD)];
            form.extend(next.map(|next| ("next", next)));
            let headers: &[(&str, &str)] = if javascript {
                &[]
            } else {
                &[("accept", "text/html"), ("sec-fetch-site", "same-origin")]
            };
            let res = visitor.post_form_with("/api/log_in", &form, headers).await;
            assert!(visitor.who_am_i().await.is_some(), "{login} signed in");
            res.headers()["location"].to_str().unwrap().to_string()
        }
    };
    for javascript in [true, false] {
        let vendor = "0912000082";
        assert_eq!(
            lands(vendor, Some("/markets/sa-pa"), javascript).await,
            "/markets/sa-pa"
        );
        assert_eq!(
            lands(vendor, Some("/search?q=m%E1%BA%ADt"), javascript).await,
            "/search?q=m%E1%BA%ADt"
        );
        assert_eq!(lands(vendor, None, javascript).await, "/my/orders");
        for foreign in [
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "evil.example",
        ] {
            assert_eq!(
                lands(vendor, Some(foreign), javascript).await,
                "/my/orders",
                "{foreign}"
            );
        }
        assert_eq!(
            lands("quanly.sa-pa@test.vn", None, javascript).await,
            "/review"
        );
        assert_eq!(lands("admin@test.vn", None, javascript).await, "/review");
        assert_eq!(lands("0912000083", None, javascript).await, "/");
        assert_eq!(
            lands("0912000083", Some("/cart"), javascript).await,
            "/cart"
        );
    }
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
            &[("user_id", &appointed.id.to_string()), ("confirmed", "yes")],
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
