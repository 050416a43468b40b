//! The integrators' API under `/api/v1`: the approved stalls and their VietQR payloads, the
//! onboarding report for a good token only, and the OpenAPI document describing every route.
use crate::support::TestApp;
use crate::support::registry::world;

#[tokio::test]
async fn integrators_list_approved_stalls_and_get_their_vietqr_payloads() {
    let app = TestApp::spawn().await;
    let (with_bank, stall) = app.approved_vendor("0912200004", "sa-pa").await;
    with_bank.set_payments(true, false, "0").await;
    let (without_bank, other) = app.approved_vendor("0912200005", "bac-ha").await;
    without_bank.set_payments(false, true, "0").await;
    let http = app.anonymous();
    let all: serde_json::Value = http
        .get("/api/v1/stalls?market=sa-pa")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(all[0]["slug"], stall.slug.as_str());
    assert_eq!(all[0]["vietqr"], true);
    let every: serde_json::Value = http.get("/api/v1/stalls").await.json().await.unwrap();
    let without = every
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == other.slug.as_str())
        .expect("the Bắc Hà stall is listed");
    assert_eq!(without["vietqr"], false, "cards only, no VietQR");
    assert_eq!(every.as_array().unwrap().len(), 2);
    assert_eq!(http.get("/api/v1/stalls?market=ha-noi").await.status(), 400);

    let qr: serde_json::Value = http
        .get(&format!(
            "/api/v1/stalls/{}/payment-qr?amount=150000&memo=Trả tiền mận",
            stall.slug
        ))
        .await
        .json()
        .await
        .unwrap();
    let payload = qr["payload"].as_str().unwrap();
    assert!(app::domain::vietqr::verify(payload));
    assert!(
        payload.contains("5406150000"),
        "the amount in whole đồng: {payload}"
    );
    assert!(
        payload.contains("Tra tien man"),
        "the memo folded to ASCII: {payload}"
    );
    let fixed: serde_json::Value = http
        .get(&format!("/api/v1/stalls/{}/payment-qr", stall.slug))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        fixed["payload"]
            .as_str()
            .unwrap()
            .starts_with("000201010211"),
        "static without an amount"
    );
    assert_eq!(
        http.get(&format!(
            "/api/v1/stalls/{}/payment-qr?amount=-5",
            stall.slug
        ))
        .await
        .status(),
        400
    );
    assert_eq!(
        http.get(&format!("/api/v1/stalls/{}/payment-qr", other.slug))
            .await
            .status(),
        404,
        "no bank account"
    );
}

#[tokio::test]
async fn the_reporting_api_answers_a_good_token_only() {
    let w = world().await;
    let token: String = w
        .admin
        .call_json(
            "/api/create_api_token",
            &[("name", "Hệ thống báo cáo tỉnh")],
        )
        .await
        .unwrap();
    let api = w.app.anonymous();
    let path = "/api/v1/reports/onboarding?as_of=2026-04-30";
    let res = api.get_with_token(path, Some(&token)).await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["as_of"], "2026-04-30");
    let coc_leu = body["segments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["segment"] == "market:coc-leu")
        .unwrap();
    assert_eq!(coc_leu["registered"], 3);
    assert_eq!(coc_leu["onboarded"], 1);
    assert_eq!(coc_leu["share_percent"], 33.3);
    assert_eq!(coc_leu["target_percent"], 50.0);
    assert_eq!(body["ocop_products"]["registered"], 2);

    let bad_date = api
        .get_with_token("/api/v1/reports/onboarding?as_of=2026-13-01", Some(&token))
        .await;
    assert_eq!(bad_date.status(), 400);
    let message: serde_json::Value = bad_date.json().await.unwrap();
    assert!(message["error"].as_str().unwrap().contains("YYYY-MM-DD"));

    for wrong in [None, Some("choso_0000"), Some(&token[..token.len() - 1])] {
        let res = api.get_with_token(path, wrong).await;
        assert_eq!(res.status(), 401, "{wrong:?}");
        assert_eq!(res.headers()["www-authenticate"], "Bearer");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            body,
            serde_json::json!({"error": "a valid API token is required"})
        );
    }

    let tokens: Vec<app::model::ApiToken> =
        w.admin.call_json("/api/api_tokens", &[]).await.unwrap();
    assert!(tokens[0].last_used_at.is_some());
    w.admin
        .call(
            "/api/revoke_api_token",
            &[("id", &tokens[0].id.to_string())],
        )
        .await
        .unwrap();
    assert_eq!(api.get_with_token(path, Some(&token)).await.status(), 401);
}

#[tokio::test]
async fn the_openapi_document_describes_every_v1_route() {
    let app = TestApp::spawn().await;
    let doc: serde_json::Value = app
        .anonymous()
        .get("/api/v1/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "/api/v1/reports/onboarding",
            "/api/v1/stalls",
            "/api/v1/stalls/{slug}/payment-qr"
        ]
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let segment = &doc["components"]["schemas"]["SegmentRow"]["properties"];
    for field in [
        "segment",
        "registered",
        "onboarded",
        "share_percent",
        "target_percent",
    ] {
        assert!(segment.get(field).is_some(), "{field}");
    }
}
