//! Actions that can't be taken back or that move money are asked twice: the page's second
//! button posts `confirmed=yes`, and without it the server does nothing, whether the form came
//! from the app or from a browser without JavaScript. The daily steps are not asked twice.
use crate::support::registry::{stall_entries, world};
use crate::support::{TestApp, Visitor, png};
use app::api::AppError;
use app::domain::id::OrderId;
use app::domain::invalid::Invalid;
use app::model::ApiToken;

fn unconfirmed() -> AppError {
    AppError::field("confirmed", Invalid::NotConfirmed)
}

/// A stall with a VietQR order awaiting its transfer: the vendor, the shopper, the order's
/// checkout token and id.
async fn awaiting_transfer(app: &TestApp, phone: &str) -> (Visitor, Visitor, String, OrderId) {
    let (vendor, _) = app.approved_vendor(phone, "coc-leu").await;
    vendor.set_payments(true, false, "0").await;
    let product = vendor
        .add_product("Mận hậu", "40.000", "10", true)
        .await
        .unwrap();
    let shopper = app.anonymous();
    shopper.add_to_cart(product, "1").await.unwrap();
    let token = shopper.place_order("vietqr", &[]).await.unwrap();
    let order = shopper.checkout(&token).await.orders[0].id;
    (vendor, shopper, token, order)
}

async fn status_of(shopper: &Visitor, token: &str) -> String {
    shopper.checkout(token).await.orders[0]
        .status
        .slug()
        .to_string()
}

#[tokio::test]
async fn money_received_is_recorded_only_once_confirmed() {
    let app = TestApp::spawn().await;
    let (vendor, shopper, token, order) = awaiting_transfer(&app, "0912400001").await;
    let id = order.to_string();
    let first_tap = [("order_id", id.as_str()), ("step", "confirm_payment")];
    assert_eq!(
        vendor.call("/api/move_order", &first_tap).await,
        Err(unconfirmed())
    );
    assert_eq!(status_of(&shopper, &token).await, "awaiting_transfer");
    // Without JavaScript the form's post comes back to the page, and nothing is done either.
    let orders_page = format!("{}/my/orders", app.base);
    let res = vendor
        .post_form_with(
            "/api/move_order",
            &first_tap,
            &[("accept", "text/html"), ("referer", &orders_page)],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(status_of(&shopper, &token).await, "awaiting_transfer");
    // The second button says it was confirmed.
    vendor.move_order(order, "confirm_payment").await.unwrap();
    assert_eq!(status_of(&shopper, &token).await, "paid");
    // Accepting the order is a daily step: one tap.
    vendor
        .call("/api/move_order", &[("order_id", &id), ("step", "accept")])
        .await
        .unwrap();
    assert_eq!(status_of(&shopper, &token).await, "accepted");
}

#[tokio::test]
async fn an_order_is_cancelled_only_once_confirmed_by_its_vendor_or_its_shopper() {
    let app = TestApp::spawn().await;
    let (vendor, shopper, token, order) = awaiting_transfer(&app, "0912400002").await;
    let id = order.to_string();
    assert_eq!(
        vendor
            .call("/api/move_order", &[("order_id", &id), ("step", "cancel")])
            .await,
        Err(unconfirmed())
    );
    assert_eq!(
        shopper
            .call("/api/cancel_order", &[("token", &token), ("order_id", &id)])
            .await,
        Err(unconfirmed())
    );
    assert_eq!(status_of(&shopper, &token).await, "awaiting_transfer");
    shopper
        .call(
            "/api/cancel_order",
            &[("token", &token), ("order_id", &id), ("confirmed", "yes")],
        )
        .await
        .unwrap();
    assert_eq!(status_of(&shopper, &token).await, "cancelled");

    let (vendor, shopper, token, order) = awaiting_transfer(&app, "0912400003").await;
    vendor.move_order(order, "cancel").await.unwrap();
    assert_eq!(status_of(&shopper, &token).await, "cancelled");
}

#[tokio::test]
async fn a_photo_is_deleted_only_once_confirmed() {
    let app = TestApp::spawn().await;
    let (vendor, _) = app.approved_vendor("0912400004", "sa-pa").await;
    let product = vendor
        .add_product("Đào Sa Pa", "50.000", "5", true)
        .await
        .unwrap();
    vendor.upload_photo(product, "dao.png", png(64, 48)).await;
    let key = vendor.my_product(product).await.photos[0].clone();
    // The first tap only opens the question; a post without the answer deletes nothing and
    // comes back to the page saying so.
    let res = vendor
        .post_form(
            &format!("/my/products/{product}/photos/delete"),
            &[("key", &key)],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"],
        format!("/my/products/{product}?photo_error=unconfirmed")
    );
    assert_eq!(vendor.my_product(product).await.photos, vec![key.clone()]);
    assert_eq!(
        app.anonymous()
            .get(&format!("/photos/{key}-thumb.jpg"))
            .await
            .status(),
        200,
        "the files are kept too"
    );
    let res = vendor.delete_photo(product, &key).await;
    assert_eq!(
        res.headers()["location"],
        format!("/my/products/{product}?photo=deleted")
    );
    assert!(vendor.my_product(product).await.photos.is_empty());
}

#[tokio::test]
async fn a_stall_is_suspended_only_once_confirmed_and_approved_in_one_tap() {
    let app = TestApp::spawn().await;
    let vendor = app.vendor("0912400005").await;
    let stall = vendor.open_market_stall("Rau Bắc Hà", "bac-ha").await;
    // Approval asks for a way to be paid.
    vendor.set_payments(true, false, "0").await;
    vendor.call("/api/submit_stall", &[]).await.unwrap();
    let manager = app.manager("bac-ha").await;
    let id = stall.id.to_string();
    manager
        .call("/api/move_stall", &[("stall_id", &id), ("step", "approve")])
        .await
        .unwrap();
    let suspend = [
        ("stall_id", id.as_str()),
        ("step", "suspend"),
        ("reason", "Chưa nộp phí"),
    ];
    assert_eq!(
        manager.call("/api/move_stall", &suspend).await,
        Err(unconfirmed())
    );
    assert_eq!(vendor.my_stall().await.unwrap().0.status.slug(), "approved");
    let mut confirmed = suspend.to_vec();
    confirmed.push(("confirmed", "yes"));
    manager.call("/api/move_stall", &confirmed).await.unwrap();
    assert_eq!(
        vendor.my_stall().await.unwrap().0.status.slug(),
        "suspended"
    );
}

#[tokio::test]
async fn a_token_is_revoked_and_a_manager_demoted_only_once_confirmed() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    admin
        .call_json::<String>("/api/create_api_token", &[("name", "Cổng báo cáo tỉnh")])
        .await
        .unwrap();
    let tokens: Vec<ApiToken> = admin.call_json("/api/api_tokens", &[]).await.unwrap();
    let id = tokens[0].id.to_string();
    assert_eq!(
        admin.call("/api/revoke_api_token", &[("id", &id)]).await,
        Err(unconfirmed())
    );
    let tokens: Vec<ApiToken> = admin.call_json("/api/api_tokens", &[]).await.unwrap();
    assert!(tokens[0].revoked_at.is_none());
    admin
        .call(
            "/api/revoke_api_token",
            &[("id", &id), ("confirmed", "yes")],
        )
        .await
        .unwrap();
    let tokens: Vec<ApiToken> = admin.call_json("/api/api_tokens", &[]).await.unwrap();
    assert!(tokens[0].revoked_at.is_some());

    let manager = app.manager("sa-pa").await;
    let user = manager.who_am_i().await.unwrap().id.to_string();
    assert_eq!(
        admin
            .call("/api/revoke_manager", &[("user_id", &user)])
            .await,
        Err(unconfirmed())
    );
    assert_eq!(
        manager.who_am_i().await.unwrap().role.slug(),
        "market_manager"
    );
    admin
        .call(
            "/api/revoke_manager",
            &[("user_id", &user), ("confirmed", "yes")],
        )
        .await
        .unwrap();
    assert_ne!(
        manager.who_am_i().await.unwrap().role.slug(),
        "market_manager"
    );
}

#[tokio::test]
async fn a_registry_link_is_undone_only_once_confirmed() {
    let w = world().await;
    let entries = w.admin.registry().await.entries;
    let binh = entries
        .iter()
        .find(|e| e.row.external_id == "CL-2")
        .unwrap();
    let stall = binh.stall.as_ref().unwrap().id;
    let form = [
        ("stall_id", stall.to_string()),
        ("entry_id", binh.id.to_string()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        w.coc_leu.call("/api/unlink_registry_entry", &form).await,
        Err(unconfirmed())
    );
    let still = stall_entries(&w.coc_leu, stall).await;
    assert_eq!(still.linked[0].row.external_id, "CL-2");
}

#[tokio::test]
async fn the_pages_ask_before_acting_and_post_the_confirmation_with_the_second_button() {
    let app = TestApp::spawn().await;
    let (vendor, _, _, _) = awaiting_transfer(&app, "0912400006").await;
    let html = vendor.get("/my/orders").await.text().await.unwrap();
    // The first tap opens a box that says what will happen; its only button confirms.
    let question = html
        .find("Đã nhận tiền…")
        .expect("money received is a question first");
    let body = &html[question..];
    let button = body
        .find(r#"name="confirmed" value="yes""#)
        .expect("the second button confirms");
    assert!(body[..button].contains("không đổi lại được"), "{body}");
}
