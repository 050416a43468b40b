//! Who may call what: every mutating server function tried by every role it is not for (the list
//! is checked against the registered server functions), every private read ([`reads`]) and
//! every route outside the server functions ([`routes`]) likewise; each refusal answered with
//! its own status; and no form taken when posted from another site.
mod reads;
mod routes;

use crate::support::{TestApp, Visitor};
use app::api::AppError;

/// A server function, its form, and who (named) must be refused it.
type Case<'a> = (
    &'a str,
    Vec<(&'a str, &'a str)>,
    Vec<(&'a str, &'a Visitor)>,
);

/// Calls each case's server function as each visitor who must be refused it, and checks that
/// they were: not signed in, forbidden, or not found. A conflict is not a refusal: it would mean
/// the call was allowed and only the record's state stood in the way.
async fn assert_refused(cases: &[Case<'_>]) {
    for (path, form, refused) in cases {
        for (who, visitor) in refused {
            let res = visitor.call(path, form).await;
            assert!(
                matches!(
                    res,
                    Err(AppError::NotSignedIn | AppError::Forbidden | AppError::NotFound)
                ),
                "{who} must be refused {path}, got {res:?}"
            );
        }
    }
}

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
            "/api/adjust_stock",
            vec![
                ("product_id", &product_id),
                ("reason", "spoiled"),
                ("amount", "1"),
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
                ("confirmed", "yes"),
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
            vec![("user_id", &manager_id), ("confirmed", "yes")],
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
            vec![
                ("order_id", &order_id),
                ("step", "confirm_payment"),
                ("confirmed", "yes"),
            ],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other vendor", &other_vendor),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/record_settlement",
            vec![
                ("stall_id", &stall_id),
                ("amount", "1000"),
                ("confirmed", "yes"),
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
            "/api/save_payment_settings",
            vec![("form[delivery_fee]", "1000")],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/link_bank_service",
            vec![
                ("service", "sepay"),
                ("keys[webhook_secret]", "a-secret-of-16-chars"),
            ],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/unlink_bank_service",
            vec![("confirmed", "yes")],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/assign_transfer",
            vec![("transfer", "1"), ("code", "DH2026000001")],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/record_counter_sale",
            vec![
                ("amount", "45.000"),
                ("way", "cash"),
                ("submission", "0123456789abcdef0123456789abcdef"),
            ],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/settle_counter_sale",
            vec![("code", "TQ0001"), ("paid", "yes"), ("confirmed", "yes")],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other manager", &other_manager),
            ],
        ),
        (
            "/api/save_targets",
            vec![("form[year]", "2026"), ("form[targets][province]", "10")],
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
            vec![
                ("stall_id", &stall_id),
                ("entry_id", "1"),
                ("confirmed", "yes"),
            ],
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
            vec![("id", "1"), ("confirmed", "yes")],
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
        // The same, for the new-product form, with a fresh submission token (a random value).
        "/api/new_product_form",
    ];
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        assert!(
            cases.iter().any(|(p, _, _)| *p == path)
                || open_to_all.contains(&path)
                || reads::PUBLIC_READS.contains(&path)
                || reads::PRIVATE_READS.contains(&path),
            "server function {path} is in no list of the authorization test"
        );
    }
    assert_refused(&cases).await;
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
