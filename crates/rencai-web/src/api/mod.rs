//! The JSON API, `/api/v1`. Same rules as the pages; errors are problem+json with stable
//! codes. The OpenAPI 3.1 document is generated from these handlers and snapshot-tested, so a
//! change to the contract shows up in review.

mod applications;
mod auth;
mod chat;
mod geo;
mod legal;
mod light;
mod market;
mod privacy;
mod taxonomies;

use axum::Router;
use axum::routing::{get, post};
use rencai_app::AppState;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_swagger_ui::SwaggerUi;

pub use chat::{Credential as ChatCredential, start as chat_socket};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/taxonomies", get(taxonomies::all))
        .route("/taxonomies/{kind}", get(taxonomies::one))
        .route("/geo/district", post(geo::district))
        .route("/legal/accept", post(legal::accept))
        .route("/legal/{kind}", get(legal::current))
        .route("/captcha", post(auth::captcha))
        .route("/auth/codes", post(auth::request_code))
        .route("/auth/token", post(auth::token))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/revoke", post(auth::revoke))
        .route("/me", get(auth::me))
        .route("/jobs", get(market::list_jobs))
        .route("/jobs/nearby", post(market::nearby_jobs))
        .route("/jobs/{id}", get(market::job))
        .route("/jobs/{id}/applications", post(applications::apply))
        .route("/me/privacy", get(privacy::overview))
        .route("/me/privacy/personalization", post(privacy::personalization))
        .route("/me/exports", get(privacy::exports).post(privacy::request_export))
        .route("/me/exports/{id}/download", get(privacy::download_export))
        .route("/me/deactivate", post(privacy::deactivate))
        .route("/me/applications", get(applications::mine))
        .route("/me/applications/{id}", get(applications::seeker_detail))
        .route("/me/applications/{id}/withdraw", post(applications::withdraw))
        .route("/me/interviews/{id}/answer", post(applications::answer))
        .route("/me/notifications", get(applications::notifications))
        .route("/me/notifications/read", post(applications::read))
        .route("/me/notification-channels", post(applications::set_channel))
        .route("/me/saved-searches", get(applications::saved_searches).post(applications::save_search))
        .route("/me/saved-searches/{id}/frequency", post(applications::search_frequency))
        .route("/me/saved-searches/{id}/delete", post(applications::delete_search))
        .route("/company/applications", get(applications::received))
        .route("/company/applications/steps", post(applications::steps))
        .route("/company/applications/invite", post(applications::invite))
        .route("/company/applications/{id}", get(applications::received_detail))
        .route("/chat/ws", get(chat::socket))
        .route("/chat/events", get(chat::events))
        .route("/chat/conversations", get(chat::conversations).post(chat::start_conversation))
        .route("/chat/conversations/{id}", get(chat::conversation))
        .route("/chat/conversations/{id}/messages", post(chat::send))
        .route("/chat/conversations/{id}/read", post(chat::read))
        .route("/chat/conversations/{id}/block", post(chat::block))
        .route("/chat/conversations/{id}/report", post(chat::report))
        .route("/quick", get(light::quick))
        .route("/wanted", get(light::wanted))
        .route("/companies", get(market::list_companies))
        .route("/companies/{id}", get(market::company))
        .route("/resumes", get(market::resume_center))
        .route("/resumes/{id}", get(market::resume))
        .route("/resumes/{id}/unlock", post(market::unlock))
        .fallback(crate::error::not_found)
}

/// `/api/docs` (Swagger UI, bundled) and `/api/v1/openapi.json`.
pub fn docs() -> Router<AppState> {
    SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", ApiDoc::openapi()).into()
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rencai API",
        version = "1",
        description = "人才网开放接口。错误以 application/problem+json 返回，`code` 字段为稳定的错误代码。"
    ),
    paths(taxonomies::all, taxonomies::one, geo::district, legal::current, legal::accept, auth::captcha, auth::request_code, auth::token, auth::refresh, auth::revoke, auth::me, market::list_jobs, market::nearby_jobs, market::job, light::quick, light::wanted, market::list_companies, market::company, market::resume_center, market::resume, market::unlock, applications::apply, applications::mine, applications::seeker_detail, applications::withdraw, applications::answer, applications::received, applications::received_detail, applications::steps, applications::invite, applications::notifications, applications::read, applications::set_channel, applications::saved_searches, applications::save_search, applications::search_frequency, applications::delete_search, chat::socket, chat::events, chat::conversations, chat::start_conversation, chat::conversation, chat::send, chat::read, chat::block, chat::report, privacy::overview, privacy::personalization, privacy::request_export, privacy::exports, privacy::download_export, privacy::deactivate),
    components(schemas(Problem, FieldProblem)),
    modifiers(&BearerScheme),
    tags((name = "taxonomies", description = "分类与区域"), (name = "geo", description = "位置（仅用于本次请求，不保存）"), (name = "legal", description = "隐私政策与用户协议"), (name = "auth", description = "账号：验证码与图形验证码"), (name = "jobs", description = "职位"), (name = "light", description = "速聘与一句话求职"), (name = "companies", description = "招聘企业"), (name = "resumes", description = "简历中心（招聘者）：按隐私规则打码"), (name = "applications", description = "投递与招聘流程"), (name = "notifications", description = "消息中心与通知渠道"), (name = "chat", description = "沟通（WebSocket 与 HTTP 备用）"), (name = "privacy", description = "隐私中心：我的信息、导出、注销"))
)]
pub struct ApiDoc;

/// Declares the `bearer` security scheme the app endpoints use.
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document as served.
pub fn openapi_json() -> String {
    ApiDoc::openapi().to_pretty_json().expect("OpenAPI document serializes")
}

/// A list page, as every list endpoint answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub total: u64,
    pub items: Vec<T>,
    pub page: u32,
}

/// An error (RFC 9457 problem details).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// Stable error code, e.g. `request.invalid_fields`.
    pub code: String,
    /// zh-CN explanation for people.
    pub detail: String,
    pub errors: Option<Vec<FieldProblem>>,
    pub request_id: Option<String>,
}

/// A problem with one field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
    pub message: String,
}
