//! A new stall's set-up, and the dead end it closes: a stall nobody can pay. The vendor's
//! checklist follows each step as it is done; the reviewer sees the same checklist with the
//! stall's owner and products, and can't approve (or reinstate) a stall that takes no payment
//! method; a stall that loses its last method afterwards takes no more goods into carts, its
//! product page says why, and a cart already holding them is refused at checkout naming it.
use crate::support::{TestApp, png};
use app::api::AppError;
use app::api::shop::method_field;
use app::domain::invalid::Invalid;
use app::domain::setup::{SetupChecklist, SetupPlace, SetupStep};
use app::model::StallReview;

/// Each step's `(done, place)`, in order.
fn steps(list: &SetupChecklist) -> Vec<(SetupStep, bool, Option<SetupPlace>)> {
    list.items
        .iter()
        .map(|i| (i.step, i.done, i.place))
        .collect()
}

fn no_payment_method() -> AppError {
    AppError::field("step", Invalid::NoPaymentMethod)
}

#[tokio::test]
async fn the_checklist_follows_a_new_stall_to_approval_which_waits_for_a_way_to_be_paid() {
    use SetupPlace as P;
    use SetupStep as S;
    let app = TestApp::spawn().await;
    let vendor = app.vendor("0912700001").await;
    let stall = vendor.open_market_stall("Mận Bắc Hà", "bac-ha").await;
    let list: SetupChecklist = vendor.call_json("/api/my_setup", &[]).await.unwrap();
    assert_eq!(
        steps(&list),
        [
            (S::Details, false, Some(P::StallPhoto)),
            (S::Product, false, Some(P::NewProduct)),
            (S::Payment, false, Some(P::Payments)),
            (S::Submitted, false, Some(P::Submit)),
            (S::Approved, false, None),
        ]
    );

    // A product without a photo isn't enough: the step leads to that product to add one.
    let plums = vendor
        .add_product("Mận hậu", "40.000", "", true)
        .await
        .unwrap();
    let list: SetupChecklist = vendor.call_json("/api/my_setup", &[]).await.unwrap();
    assert_eq!(
        steps(&list)[1],
        (S::Product, false, Some(P::Product(plums)))
    );
    vendor.upload_photo(plums, "man.png", png(40, 30)).await;
    vendor.upload_stall_photo(png(40, 30)).await;
    vendor.call("/api/submit_stall", &[]).await.unwrap();
    let list: SetupChecklist = vendor.call_json("/api/my_setup", &[]).await.unwrap();
    assert_eq!(list.done_count(), 3, "{:?}", steps(&list));
    assert!(!list.is_done(S::Payment));

    // The reviewer sees the same checklist, the owner, the phone and the products.
    let manager = app.manager("bac-ha").await;
    let queue: Vec<StallReview> = manager.call_json("/api/review_queue", &[]).await.unwrap();
    let details = queue
        .iter()
        .find(|r| r.stall.id == stall.id)
        .and_then(|r| r.details.clone())
        .expect("a submitted stall comes with its details");
    assert_eq!(details.checklist, list);
    assert_eq!(details.owner_name, "Tiểu thương");
    assert_eq!(
        details.owner_phone.map(|p| p.national()),
        Some("0912 700 001".to_string())
    );
    let names: Vec<&str> = details.products.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Mận hậu"]);
    let page = manager.get("/review").await.text().await.unwrap();
    assert!(page.contains("Chưa duyệt được: gian hàng chưa có cách nhận tiền"));
    assert!(page.contains("Cách nhận tiền (VietQR hoặc thẻ)"));
    assert!(page.contains("0912 700 001"));

    // Approving is refused, whatever the page showed, and the stall stays out of sight.
    assert_eq!(
        manager.move_stall(stall.id, "approve").await,
        Err(no_payment_method())
    );
    assert_eq!(
        vendor.my_stall().await.unwrap().0.status.slug(),
        "submitted"
    );
    assert_eq!(
        app.anonymous()
            .get(&format!("/stalls/{}", stall.slug))
            .await
            .status(),
        404
    );

    // Cards are a way to be paid too (the stand-in takes them here).
    vendor.set_payments(false, true, "0").await;
    manager.move_stall(stall.id, "approve").await.unwrap();
    let list: SetupChecklist = vendor.call_json("/api/my_setup", &[]).await.unwrap();
    assert!(list.is_complete(), "{:?}", steps(&list));
    let page = vendor.get("/my/stall").await.text().await.unwrap();
    assert!(page.contains("Gian hàng đã sẵn sàng bán"), "{page}");
}

/// Without JavaScript a refused approval comes back to the review page with the reason.
#[tokio::test]
async fn a_refused_approval_says_why_on_the_review_page_without_javascript() {
    let app = TestApp::spawn().await;
    let vendor = app.vendor("0912700002").await;
    let stall = vendor.open_market_stall("Chè Tả Phìn", "sa-pa").await;
    vendor.call("/api/submit_stall", &[]).await.unwrap();
    let manager = app.manager("sa-pa").await;
    let review_page = format!("{}/review", app.base);
    let res = manager
        .post_form_with(
            "/api/move_stall",
            &[("stall_id", &stall.id.to_string()), ("step", "approve")],
            &[
                ("accept", "text/html"),
                ("sec-fetch-site", "same-origin"),
                ("referer", &review_page),
            ],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = res.headers()["location"].to_str().unwrap().to_string();
    let page = manager
        .get(back.trim_start_matches(&app.base))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"id="step-error""#), "{page}");
    assert!(page.contains(
        "Gian hàng chưa có cách nhận tiền (tài khoản VietQR hoặc thẻ) nên chưa duyệt được."
    ));
}

#[tokio::test]
async fn a_suspended_stall_that_lost_its_last_method_is_not_reinstated_until_it_has_one() {
    let app = TestApp::spawn().await;
    let (vendor, stall) = app.approved_vendor("0912700003", "coc-leu").await;
    let admin = app.admin().await;
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
    vendor.set_payments(false, false, "0").await;
    assert_eq!(
        admin.move_stall(stall.id, "reinstate").await,
        Err(no_payment_method())
    );
    assert_eq!(
        vendor.my_stall().await.unwrap().0.status.slug(),
        "suspended"
    );
    vendor.set_payments(true, false, "0").await;
    admin.move_stall(stall.id, "reinstate").await.unwrap();
}

/// With card payments off (no Stripe keys), a stall that takes only cards can't be paid.
#[tokio::test]
async fn a_stall_taking_only_cards_is_not_approved_while_card_payments_are_off() {
    let app = TestApp::spawn_with(|settings| settings.card_stand_in = false).await;
    let vendor = app.vendor("0912700004").await;
    let stall = vendor.open_market_stall("Cá hồi Sa Pa", "sa-pa").await;
    vendor.call("/api/submit_stall", &[]).await.unwrap();
    vendor.set_payments(false, true, "0").await;
    let manager = app.manager("sa-pa").await;
    assert_eq!(
        manager.move_stall(stall.id, "approve").await,
        Err(no_payment_method())
    );
    vendor.set_payments(true, true, "0").await;
    manager.move_stall(stall.id, "approve").await.unwrap();
}

#[tokio::test]
async fn a_stall_that_loses_its_last_payment_method_takes_no_more_goods_into_carts() {
    let app = TestApp::spawn().await;
    let (vendor, honey) = app
        .transfer_vendor("0912700005", "bac-ha", ("Mật ong bạc hà", "250.000", ""))
        .await;
    let shopper = app.anonymous();
    shopper.add_to_cart(honey, "1").await.unwrap();

    vendor.set_payments(false, false, "0").await;
    let page = vendor.get("/my/payments").await.text().await.unwrap();
    assert!(
        page.contains("Gian hàng chưa có cách nhận tiền nào"),
        "{page}"
    );
    let not_payable = Invalid::NotPayable {
        stall: "Gian 0912700005".into(),
    };
    assert_eq!(
        shopper.add_to_cart(honey, "1").await,
        Err(AppError::field("quantity", not_payable.clone()))
    );
    // The product page says why instead of offering the cart.
    let page = app
        .anonymous()
        .get(&format!("/products/{honey}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("tạm thời chưa nhận thanh toán qua Chợ Số"),
        "{page}"
    );
    assert!(!page.contains("Thêm vào giỏ"), "{page}");

    // The line already in the cart stays there, and the checkout names its stall.
    let stalls = shopper.cart().await.stalls;
    assert_eq!(stalls.len(), 1);
    let stall = stalls[0].stall_id;
    for method in ["vietqr", "card"] {
        assert_eq!(
            shopper.place_order(method, &[]).await,
            Err(AppError::field(&method_field(stall), not_payable.clone()))
        );
    }
    assert!(vendor.stall_orders().await.is_empty(), "nothing placed");

    // Back with a method, the same cart checks out.
    vendor.set_payments(true, false, "0").await;
    let page = app
        .anonymous()
        .get(&format!("/products/{honey}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Thêm vào giỏ"));
    shopper.place_order("vietqr", &[]).await.unwrap();
}
