//! The private reads: every server function that reads someone's own or the staff's data,
//! tried by every role it is not for. Each is also read once by whom it is for, so a refusal
//! here can't be a read that fails for everyone.
use super::Case;
use crate::support::{TestApp, Visitor};

/// Reads that answer anyone the same: public pages, or the caller's own cart and session.
pub const PUBLIC_READS: [&str; 11] = [
    "/api/who_am_i",
    "/api/home_shelves",
    "/api/market_stalls",
    "/api/ocop_products",
    "/api/stall_page",
    "/api/product_page",
    "/api/search",
    "/api/my_cart",
    "/api/cart_count",
    "/api/card_mode",
    // Whoever holds a checkout's unguessable link reads it; a wrong one is not found (below).
    "/api/checkout_page",
];

/// Reads for one role or one owner only; each has its cases in the test below.
pub const PRIVATE_READS: [&str; 23] = [
    "/api/market_managers",
    "/api/admin_orders",
    "/api/stall_balances",
    "/api/api_tokens",
    "/api/registry_overview",
    "/api/onboarding_report",
    "/api/review_queue",
    "/api/review_registry",
    "/api/stall_orders",
    "/api/my_payment_settings",
    "/api/my_placard",
    "/api/statements_page",
    "/api/bank_transfers",
    "/api/my_bank_link",
    "/api/collect_page",
    "/api/collect_screen",
    "/api/my_product",
    "/api/stock_history",
    "/api/my_stall",
    "/api/my_setup",
    "/api/my_purchases",
    "/api/refund_problems",
    "/api/payment_alerts",
];

#[tokio::test]
async fn every_private_read_refuses_everyone_it_is_not_for() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.approved_vendor("0912000015", "coc-leu").await;
    let product = owner
        .add_product("Chè Shan tuyết", "120.000", "10", true)
        .await
        .unwrap();
    let (other_vendor, _) = app.approved_vendor("0912000016", "coc-leu").await;
    let shopper = app.shopper("0912000017").await;
    let manager = app.manager("sa-pa").await;
    let admin = app.admin().await;
    let anonymous = app.anonymous();
    let product_id = product.to_string();
    let nobody_but_staff = || {
        vec![
            ("anonymous", &anonymous),
            ("shopper", &shopper),
            ("vendor", &owner),
        ]
    };
    let nobody_but_admin = || {
        vec![
            ("anonymous", &anonymous),
            ("shopper", &shopper),
            ("vendor", &owner),
            ("manager", &manager),
        ]
    };
    let nobody_but_vendors = || {
        vec![
            ("anonymous", &anonymous),
            ("shopper", &shopper),
            ("manager", &manager),
        ]
    };
    let cases: Vec<Case> = vec![
        ("/api/market_managers", vec![], nobody_but_admin()),
        ("/api/admin_orders", vec![], nobody_but_admin()),
        ("/api/stall_balances", vec![], nobody_but_admin()),
        ("/api/refund_problems", vec![], nobody_but_admin()),
        ("/api/payment_alerts", vec![], nobody_but_admin()),
        ("/api/api_tokens", vec![], nobody_but_admin()),
        ("/api/registry_overview", vec![], nobody_but_staff()),
        ("/api/onboarding_report", vec![], nobody_but_staff()),
        ("/api/review_queue", vec![], nobody_but_staff()),
        ("/api/review_registry", vec![], nobody_but_staff()),
        ("/api/stall_orders", vec![], nobody_but_vendors()),
        ("/api/my_payment_settings", vec![], nobody_but_vendors()),
        ("/api/my_setup", vec![], nobody_but_vendors()),
        ("/api/my_placard", vec![], nobody_but_vendors()),
        ("/api/statements_page", vec![], nobody_but_vendors()),
        ("/api/bank_transfers", vec![], nobody_but_vendors()),
        ("/api/my_bank_link", vec![], nobody_but_vendors()),
        ("/api/collect_page", vec![], nobody_but_vendors()),
        (
            "/api/collect_screen",
            vec![("code", "TQ0001")],
            nobody_but_vendors(),
        ),
        (
            "/api/my_product",
            vec![("product_id", &product_id)],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other vendor", &other_vendor),
                ("manager", &manager),
                ("administrator", &admin),
            ],
        ),
        (
            "/api/stock_history",
            vec![("product_id", &product_id)],
            vec![
                ("anonymous", &anonymous),
                ("shopper", &shopper),
                ("other vendor", &other_vendor),
                ("manager", &manager),
                ("administrator", &admin),
            ],
        ),
        (
            "/api/my_stall",
            vec![],
            vec![
                ("anonymous", &anonymous),
                ("manager", &manager),
                ("administrator", &admin),
            ],
        ),
        ("/api/my_purchases", vec![], vec![("anonymous", &anonymous)]),
        (
            "/api/checkout_page",
            vec![("token", "0123456789abcdef0123456789abcdef")],
            vec![("anonymous", &anonymous), ("shopper", &shopper)],
        ),
    ];
    for read in PRIVATE_READS {
        assert!(
            cases.iter().any(|(path, _, _)| *path == read),
            "{read} has no case in this test"
        );
    }
    super::assert_refused(&cases).await;
    // Each read answers whom it is for.
    let readers: [(&str, &Visitor, &[&str]); 3] = [
        (
            "the administrator",
            &admin,
            &[
                "/api/market_managers",
                "/api/admin_orders",
                "/api/stall_balances",
                "/api/refund_problems",
                "/api/payment_alerts",
                "/api/api_tokens",
                "/api/registry_overview",
                "/api/onboarding_report",
                "/api/review_queue",
                "/api/review_registry",
                "/api/statements_page",
            ],
        ),
        (
            "a manager",
            &manager,
            &[
                "/api/registry_overview",
                "/api/onboarding_report",
                "/api/review_queue",
            ],
        ),
        (
            "the vendor",
            &owner,
            &[
                "/api/stall_orders",
                "/api/my_payment_settings",
                "/api/my_placard",
                "/api/statements_page",
                "/api/bank_transfers",
                "/api/my_bank_link",
                "/api/collect_page",
                "/api/my_stall",
                "/api/my_setup",
                "/api/my_purchases",
            ],
        ),
    ];
    for (who, visitor, paths) in readers {
        for path in paths {
            assert!(visitor.call(path, &[]).await.is_ok(), "{who} reads {path}");
        }
    }
    for read in ["/api/my_product", "/api/stock_history"] {
        assert!(
            owner
                .call(read, &[("product_id", &product_id)])
                .await
                .is_ok(),
            "the owner reads {read}"
        );
    }
    assert!(shopper.call("/api/my_stall", &[]).await.is_ok(), "none yet");
}
