//! Every answer carries its request's id, and an unexpected failure shows the visitor that
//! same id as its incident number, so the number they read out finds the request in the log.
use crate::support::TestApp;
use app::api::AppError;
use sea_orm::ConnectionTrait;

const HEADER: &str = "x-request-id";

#[tokio::test]
async fn each_request_has_an_id_of_its_own_that_a_client_cannot_choose() {
    let app = TestApp::spawn().await;
    let visitor = app.anonymous();
    let first = visitor.get("/healthz").await;
    let second = visitor.get("/").await;
    let id = |res: &reqwest::Response| res.headers()[HEADER].to_str().unwrap().to_string();
    assert_eq!(id(&first).len(), 10);
    assert_ne!(id(&first), id(&second));
    let chosen = visitor
        .post_form_with("/api/who_am_i", &[], &[(HEADER, "CHOSEN-BY-ME")])
        .await;
    assert_ne!(id(&chosen), "CHOSEN-BY-ME");
    assert_eq!(id(&chosen).len(), 10);
}

#[tokio::test]
async fn an_unexpected_failure_shows_its_request_id_as_the_incident_number() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    // The tokens' table gone: reading them fails in a way no visitor caused.
    let db = server::db::connect(&app.settings.database_url)
        .await
        .unwrap();
    db.execute_unprepared("DROP TABLE api_tokens")
        .await
        .unwrap();
    let res = admin.post_form("/api/api_tokens", &[]).await;
    assert_eq!(res.status(), 500);
    let request_id = res.headers()[HEADER].to_str().unwrap().to_string();
    let error: AppError = serde_json::from_str(&res.text().await.unwrap()).unwrap();
    assert_eq!(error, AppError::Unexpected(request_id));
}
