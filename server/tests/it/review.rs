//! Stall review: a stall goes public once its own market's manager approves it, and a suspension
//! takes it off; moving an approved stall sends it back to the reviewer of its new place, and
//! the vendor is told before and after; then the refusals: a reviewer making the owner's move,
//! an approval made twice from a stale page, a suspension without a reason.
use crate::support::{TestApp, stall_fields};
use app::api::AppError;

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
    vendor.set_payments(true, false, "0").await;

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
        status_history(&app, stall.id.get()).await,
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
    vendor.set_payments(true, false, "0").await;
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
