//! `/api/v1`: JSON for integrators (the province's systems, payment apps).
use crate::startup::AppState;
use app::domain::id::StallId;
use app::domain::market::Market;
use app::domain::money::Dong;
use app::domain::stall::StallStatus;
use app::domain::vietqr;
use app::ports::StallFilter;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

/// A refusal with a message an integrator can act on; nothing internal is revealed.
fn refuse(status: StatusCode, message: &str) -> Response {
    let body = ApiError {
        error: message.to_string(),
    };
    (status, Json(body)).into_response()
}

fn failed(err: impl std::fmt::Display) -> Response {
    tracing::error!(error = %err, "api/v1 request failed");
    refuse(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}

#[derive(Deserialize, IntoParams)]
pub struct StallsQuery {
    /// `coc-leu`, `sa-pa` or `bac-ha`; every approved stall when left out.
    market: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StallSummary {
    slug: String,
    name: String,
    /// The market's slug, or `null` for an OCOP producer.
    #[schema(value_type = Option<String>, example = "coc-leu")]
    market: Option<Market>,
    ocop: bool,
    /// Whether the stall takes VietQR bank transfers.
    vietqr: bool,
}

/// An error's message, the only thing a refusal says.
#[derive(Serialize, ToSchema)]
pub struct ApiError {
    error: String,
}

/// Approved stalls, optionally of one market.
#[utoipa::path(
    get,
    path = "/api/v1/stalls",
    params(StallsQuery),
    responses(
        (status = 200, description = "Approved stalls", body = [StallSummary]),
        (status = 400, description = "Unknown market", body = ApiError),
    )
)]
pub async fn stalls(State(state): State<AppState>, Query(q): Query<StallsQuery>) -> Response {
    let market = match q.market.as_deref().filter(|m| !m.is_empty()) {
        Some(m) => match m.parse::<Market>() {
            Ok(m) => Some(m),
            Err(_) => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "market must be coc-leu, sa-pa or bac-ha",
                );
            }
        },
        None => None,
    };
    let filter = StallFilter {
        status: Some(StallStatus::Approved),
        market,
        ocop: false,
    };
    let list = match state.ports.stalls.list(&filter).await {
        Ok(list) => list,
        Err(err) => return failed(err),
    };
    let ids: Vec<StallId> = list.iter().map(|s| s.id).collect();
    let payments = match state.ports.stalls.payment_settings_of(&ids).await {
        Ok(payments) => payments,
        Err(err) => return failed(err),
    };
    let out: Vec<StallSummary> = list
        .into_iter()
        .map(|stall| StallSummary {
            market: stall.market(),
            ocop: stall.market().is_none(),
            vietqr: payments.get(&stall.id).is_some_and(|p| p.bank.is_some()),
            slug: stall.slug,
            name: stall.name,
        })
        .collect();
    Json(out).into_response()
}

#[derive(Deserialize, IntoParams)]
pub struct QrQuery {
    /// Whole đồng, at least 1; a static code (the payer types the amount) without it.
    amount: Option<String>,
    /// The transfer's purpose, folded to ASCII.
    memo: Option<String>,
}

/// A stall's VietQR payload (NAPAS EMVCo), to render as a QR code.
#[derive(Serialize, ToSchema)]
pub struct PaymentQr {
    stall: String,
    payload: String,
    amount: Option<i64>,
    bank_bin: String,
    account_number: String,
    account_holder: String,
}

/// The stall's VietQR payload: static without an amount, dynamic with one.
#[utoipa::path(
    get,
    path = "/api/v1/stalls/{slug}/payment-qr",
    params(("slug" = String, Path, description = "The stall's slug"), QrQuery),
    responses(
        (status = 200, description = "The payload and the account it pays into", body = PaymentQr),
        (status = 400, description = "A bad amount", body = ApiError),
        (status = 404, description = "No such stall, or it takes no transfers", body = ApiError),
    )
)]
pub async fn payment_qr(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<QrQuery>,
) -> Response {
    let stall = match state.ports.stalls.by_slug(&slug).await {
        Ok(Some(stall)) if stall.status.is_public() => stall,
        Ok(_) => return refuse(StatusCode::NOT_FOUND, "no such stall"),
        Err(err) => return failed(err),
    };
    let Some(bank) = (match state.ports.stalls.payment_settings(stall.id).await {
        Ok(s) => s.bank,
        Err(err) => return failed(err),
    }) else {
        return refuse(StatusCode::NOT_FOUND, "this stall takes no bank transfers");
    };
    let amount = match q.amount.as_deref().filter(|a| !a.is_empty()) {
        Some(a) => match a.parse::<i64>().ok().filter(|n| *n >= 1) {
            Some(n) => Some(Dong::new(n)),
            None => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "amount must be a whole number of đồng, at least 1",
                );
            }
        },
        None => None,
    };
    let memo = q.memo.as_deref().map(vietqr::ascii_fold);
    match vietqr::payload(
        &bank,
        amount,
        None,
        memo.as_deref().filter(|m| !m.is_empty()),
    ) {
        Ok(payload) => Json(PaymentQr {
            stall: stall.slug,
            payload,
            amount: amount.map(|a| a.amount()),
            bank_bin: bank.bin,
            account_number: bank.number,
            account_holder: bank.holder,
        })
        .into_response(),
        Err(err) => refuse(StatusCode::BAD_REQUEST, &err.to_string()),
    }
}

#[derive(Deserialize, IntoParams)]
pub struct ReportQuery {
    /// The day to report on, `YYYY-MM-DD` (Lào Cai time); today when left out.
    as_of: Option<String>,
}

/// The share of vendors onboarded, per segment, as of a day, and the month's sales up to that
/// day (online and at the stall, cash included) with their cashless share and who confirmed
/// each cashless payment, per segment and per stall: for the provincial reporting system,
/// with a token an administrator created.
#[utoipa::path(
    get,
    path = "/api/v1/reports/onboarding",
    params(ReportQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The report", body = app::domain::onboarding::Report),
        (status = 400, description = "A malformed date", body = ApiError),
        (status = 401, description = "No token, or a wrong or revoked one", body = ApiError),
    )
)]
pub async fn onboarding_report(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Query(q): Query<ReportQuery>,
) -> Response {
    let authorization = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    match app::authz::ApiClient::bearer(&state.ports, authorization).await {
        Ok(app::authz::ApiClient) => {}
        Err(app::api::AppError::NotSignedIn) => {
            let mut response = refuse(StatusCode::UNAUTHORIZED, "a valid API token is required");
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
            return response;
        }
        Err(err) => return failed(format!("{err:?}")),
    }
    let today = state.ports.clock.today();
    let Ok(as_of) = app::service::reports::as_of(q.as_of.as_deref(), today) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "as_of must be a date written YYYY-MM-DD",
        );
    };
    match app::service::reports::report_for(state.ports.registry.as_ref(), None, as_of).await {
        Ok(scoped) => Json(scoped.report).into_response(),
        Err(err) => failed(format!("{err:?}")),
    }
}

/// The OpenAPI 3 description of `/api/v1`, derived from the handlers above.
#[derive(OpenApi)]
#[openapi(
    info(title = "Chợ Số API", version = "1", description = "Stalls, VietQR payment codes and the onboarding report of Chợ Số, the digital market of Lào Cai."),
    paths(stalls, payment_qr, onboarding_report),
    components(schemas(
        StallSummary,
        PaymentQr,
        ApiError,
        app::domain::onboarding::Report,
        app::domain::onboarding::SegmentRow,
        app::domain::onboarding::OcopCoverage,
        app::domain::onboarding::MonthSales,
        app::domain::onboarding::Confirmations,
        app::domain::onboarding::StallSales,
        app::domain::sales::Tally
    )),
    modifiers(&BearerToken)
)]
pub struct ApiDoc;

struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// `GET /api/v1/openapi.json`
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
