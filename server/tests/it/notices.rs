//! What a page says after one of its forms went through, posted by the browser itself (the
//! pages run no JavaScript of their own): the post is answered with a redirect back to the
//! page, which says what was done; a new API token is shown on that page, once.
use crate::support::{TestApp, Visitor};

/// The headers of a form posted by the browser without JavaScript.
const PLAIN: [(&str, &str); 2] = [("accept", "text/html"), ("sec-fetch-site", "same-origin")];

fn location(res: &reqwest::Response) -> String {
    assert!(res.status().is_redirection(), "{}", res.status());
    res.headers()["location"].to_str().unwrap().to_string()
}

/// The new token a tokens page shows, if it shows one.
fn token_on(page: &str) -> Option<String> {
    let (_, rest) = page.split_once(r#"<code class="token">"#)?;
    rest.split_once('<').map(|(token, _)| token.to_string())
}

/// An administrator creates an API token with the tokens page's form, without JavaScript.
async fn create_token_with_form(admin: &Visitor) -> reqwest::Response {
    admin
        .post_form_with(
            "/api/create_api_token",
            &[("name", "Cổng báo cáo tỉnh")],
            &PLAIN,
        )
        .await
}

async fn page(visitor: &Visitor, path: &str) -> String {
    visitor.get(path).await.text().await.unwrap()
}

/// The page the post comes back to says `notice`; the same page opened afresh doesn't.
async fn says_once(visitor: &Visitor, back: &str, notice: &str) {
    assert!(
        page(visitor, back).await.contains(notice),
        "{back}: {notice}"
    );
    let (afresh, _) = back.split_once('?').unwrap();
    assert!(!page(visitor, afresh).await.contains(notice), "{afresh}");
}

#[tokio::test]
async fn a_token_created_with_the_form_is_shown_once_and_never_in_an_address() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let res = create_token_with_form(&admin).await;
    let back = location(&res);
    assert_eq!(back, "/admin/tokens");
    let answer = res.text().await.unwrap();

    let token = token_on(&page(&admin, &back).await).expect("the new token is shown");
    assert!(token.len() >= 32, "{token}");
    assert!(
        !answer.contains(&token),
        "the post's own answer holds no secret"
    );
    let api = app.anonymous();
    let report = "/api/v1/reports/onboarding?as_of=2026-04-30";
    assert_ne!(
        api.get_with_token(report, Some(&token)).await.status(),
        401,
        "the token shown is the one that opens the API"
    );
    // Taken out of the session as it was shown: a second view, or another of the
    // administrator's pages, doesn't show it again.
    assert_eq!(token_on(&page(&admin, "/admin").await), None);
    assert_eq!(token_on(&page(&admin, &back).await), None);
    // Made by the app (JSON), the token is the answer itself, and waits nowhere.
    let other: String = admin
        .call_json("/api/create_api_token", &[("name", "Hệ thống khác")])
        .await
        .unwrap();
    assert!(other.len() >= 32);
    assert_eq!(token_on(&page(&admin, &back).await), None);
}

#[tokio::test]
async fn a_form_that_went_through_comes_back_saying_so() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.shopper("0912000081").await;

    let res = admin
        .post_form_with(
            "/api/grant_manager",
            &[("login", "0912000081"), ("market", "sa-pa")],
            &PLAIN,
        )
        .await;
    let back = location(&res);
    assert_eq!(back, "/admin?done=manager-granted");
    says_once(&admin, &back, "Đã giao quyền quản lý chợ.").await;

    // Posted from the report of a given day, it comes back to that day's report; an earlier
    // refusal in the address is dropped.
    let from = format!(
        "{}/admin/report?as_of=2026-04-30&__path=/api/save_targets&__err=x",
        app.base
    );
    let mut headers = PLAIN.to_vec();
    headers.push(("referer", &from));
    let res = admin
        .post_form_with(
            "/api/save_targets",
            &[("form[year]", "2026"), ("form[targets][province]", "50")],
            &headers,
        )
        .await;
    let back = location(&res);
    assert_eq!(back, "/admin/report?as_of=2026-04-30&done=targets-saved");
    assert!(page(&admin, &back).await.contains("Đã lưu các chỉ tiêu."));

    admin
        .call_json::<String>("/api/create_api_token", &[("name", "Cổng báo cáo tỉnh")])
        .await
        .unwrap();
    let tokens: Vec<app::model::ApiToken> = admin.call_json("/api/api_tokens", &[]).await.unwrap();
    let id = tokens[0].id.to_string();
    let res = admin
        .post_form_with(
            "/api/revoke_api_token",
            &[("id", &id), ("confirmed", "yes")],
            &PLAIN,
        )
        .await;
    let back = location(&res);
    assert_eq!(back, "/admin/tokens?done=token-revoked");
    says_once(&admin, &back, "Đã thu hồi khoá.").await;
}

/// A new token whose page never came doesn't stay in the session: once it waited longer than
/// a few minutes, the tokens page no longer shows it, and any other request takes it out of the
/// session's row.
#[tokio::test]
async fn a_token_left_waiting_too_long_is_never_shown_and_leaves_the_session() {
    use app::api::reports::{NEW_API_TOKEN, NEW_API_TOKEN_WAIT_SECS};
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let waiting = async || {
        app.sessions()
            .await
            .iter()
            .filter(|data| data.contains_key(NEW_API_TOKEN))
            .count()
    };
    let age = async || {
        app.change_sessions(|data| {
            if let Some(created_at) = data
                .get_mut(NEW_API_TOKEN)
                .and_then(|waiting| waiting.get_mut("created_at"))
            {
                let now = chrono::Utc::now().timestamp();
                *created_at = (now - NEW_API_TOKEN_WAIT_SECS - 1).into();
            }
        })
        .await;
    };
    let create = async || {
        let res = create_token_with_form(&admin).await;
        assert_eq!(location(&res), "/admin/tokens");
    };

    create().await;
    // Another page first: the token still waits for its own.
    assert_eq!(token_on(&page(&admin, "/admin").await), None);
    assert_eq!(waiting().await, 1);
    age().await;
    assert_eq!(
        token_on(&page(&admin, "/admin/tokens").await),
        None,
        "shown after it waited too long"
    );
    assert_eq!(waiting().await, 0);

    // Never opened, its page: the administrator's next request takes it out.
    create().await;
    age().await;
    assert_eq!(waiting().await, 1);
    page(&admin, "/admin").await;
    assert_eq!(waiting().await, 0, "still in the session's row");
}
