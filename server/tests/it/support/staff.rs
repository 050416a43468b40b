//! What province staff do through the site in tests: the registry upload, the onboarding
//! report, linking a stall to its entry, and calls with an API token.
use super::Visitor;
use app::api::AppError;
use app::domain::id::StallId;

impl Visitor {
    /// Posts a registry CSV to the administrators' upload, as the registry page's form does.
    pub async fn upload_registry(&self, csv: &str, strict: bool) -> reqwest::Response {
        let mut form = reqwest::multipart::Form::new().part(
            "registry",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("registry.csv"),
        );
        if strict {
            form = form.text("strict", "on");
        }
        self.http
            .post(format!("{}/admin/registry", self.base))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// The onboarding report page's data as of `as_of`, for `segment` (the default when empty).
    pub async fn report(
        &self,
        as_of: &str,
        segment: &str,
    ) -> Result<app::api::reports::OnboardingPage, AppError> {
        self.call_json(
            "/api/onboarding_report",
            &[("as_of", as_of), ("segment", segment)],
        )
        .await
    }

    pub async fn registry(&self) -> app::api::reports::RegistryView {
        self.call_json("/api/registry_overview", &[]).await.unwrap()
    }

    pub async fn link_entry(&self, stall_id: StallId, external_id: &str) -> Result<(), AppError> {
        self.call(
            "/api/link_registry_entry",
            &[
                ("stall_id", &stall_id.to_string()),
                ("external_id", external_id),
            ],
        )
        .await
    }

    /// A GET with a bearer token (or none).
    pub async fn get_with_token(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send().await.unwrap()
    }
}
