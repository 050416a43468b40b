//! The routes that are not server functions — new products, photo uploads and removals, bank statements, the
//! registry import, the report's CSV, the reporting API and a checkout's live events — tried by
//! every role they are not for. A visitor who is not signed in is sent to sign in; anyone else learns nothing.
use crate::support::{TestApp, Visitor, png};

/// Whether an answer refuses: sent to sign in, or a 401, 403 or 404.
fn refused(res: &reqwest::Response) -> bool {
    let to_sign_in = res.status() == 303
        && res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/login?next="));
    to_sign_in || [401, 403, 404].contains(&res.status().as_u16())
}

const REGISTRY: &str = "external_id,kind,market,stall_no,name,entity_type,phone,district,ocop_products\n\
    CL-9,market_vendor,coc-leu,B-9,Hộ bà Lan,household,0912000099,Lào Cai,\n";

const STATEMENT: &str = "date,amount,description\n2026-11-20,50000,CK tien hang\n";

#[tokio::test]
async fn every_route_refuses_everyone_it_is_not_for() {
    let app = TestApp::spawn().await;
    let (owner, _) = app.approved_vendor("0912000025", "coc-leu").await;
    let product = owner
        .add_product("Mật ong bạc hà", "250.000", "5", true)
        .await
        .unwrap();
    let (other_vendor, _) = app.approved_vendor("0912000026", "coc-leu").await;
    let shopper = app.shopper("0912000027").await;
    let manager = app.manager_once("coc-leu").await;
    let anonymous = app.anonymous();
    let strangers: [(&str, &Visitor); 4] = [
        ("anonymous", &anonymous),
        ("shopper", &shopper),
        ("other vendor", &other_vendor),
        ("manager", &manager),
    ];
    for (who, visitor) in strangers {
        let res = visitor.post_photo(product, "p.png", png(40, 30)).await;
        assert!(refused(&res), "{who} adds a photo: {}", res.status());
        let res = visitor.delete_photo(product, "nothing").await;
        assert!(refused(&res), "{who} removes a photo: {}", res.status());
        let res = visitor.upload_registry(REGISTRY, false).await;
        assert!(refused(&res), "{who} imports a registry: {}", res.status());
        // Only the checkout's unguessable link opens its events, whoever is signed in.
        let res = visitor
            .get("/checkout/0123456789abcdef0123456789abcdef/events")
            .await;
        assert_eq!(res.status(), 404, "{who} watches a checkout not theirs");
    }
    for (who, visitor) in [
        ("anonymous", &anonymous),
        ("shopper", &shopper),
        ("manager", &manager),
    ] {
        let res = visitor.post_stall_photo(png(40, 30)).await;
        assert!(refused(&res), "{who} sets a stall photo: {}", res.status());
        let res = visitor.post_statement(STATEMENT).await;
        assert!(refused(&res), "{who} imports a statement: {}", res.status());
        let form = [("form[name]", "Mật ong"), ("form[price]", "1000")];
        let res = visitor
            .post_new_product(&form, &[("p.png", png(40, 30))])
            .await;
        assert!(refused(&res), "{who} adds a product: {}", res.status());
    }
    for (who, visitor) in [
        ("anonymous", &anonymous),
        ("shopper", &shopper),
        ("vendor", &owner),
    ] {
        let res = visitor.get("/admin/report.csv").await;
        assert!(
            refused(&res),
            "{who} downloads the report: {}",
            res.status()
        );
    }
    for (who, visitor) in [("anonymous", &anonymous), ("manager", &manager)] {
        let res = visitor.get("/api/v1/reports/onboarding").await;
        assert_eq!(
            res.status(),
            401,
            "{who} reads the reporting API without a token"
        );
    }
    // Nothing was taken: no photo, no registry entry, no statement line.
    assert!(owner.my_product(product).await.photos.is_empty());
    assert!(owner.my_stall().await.unwrap().0.photo.is_none());
    let admin = app.admin().await;
    assert!(admin.registry().await.entries.is_empty());
    let lines: app::api::sales::StatementsView =
        admin.call_json("/api/statements_page", &[]).await.unwrap();
    assert!(lines.lines.is_empty());
    // And each route answers whom it is for.
    assert_eq!(manager.get("/admin/report.csv").await.status(), 200);
    assert_eq!(admin.upload_registry(REGISTRY, false).await.status(), 303);
    assert_eq!(admin.registry().await.entries.len(), 1);
}
