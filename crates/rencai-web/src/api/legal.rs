use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use rencai_app::AppState;
use rencai_store::legal::LegalKind;
use serde::Serialize;
use utoipa::ToSchema;

use super::Problem;
use super::auth::BearerUser;
use crate::WebError;
use crate::extract::{ApiJson, ClientIp};

#[derive(Debug, Serialize, ToSchema)]
pub struct LegalText {
    /// `privacy` or `terms`.
    pub kind: String,
    pub version: String,
    pub title: String,
    /// Whether accepting this version was required of every user.
    pub material: bool,
    pub effective_at: chrono::DateTime<chrono::Utc>,
    pub published_at: chrono::DateTime<chrono::Utc>,
    /// The text as an HTML fragment.
    pub body_html: String,
    /// What changed since the previous version.
    pub change_summary: Option<String>,
}

/// The privacy policy (`privacy`) or user agreement (`terms`) in force.
#[utoipa::path(get, path = "/api/v1/legal/{kind}", tag = "legal",
    params(("kind" = String, Path, description = "`privacy` or `terms`")),
    responses((status = 200, body = LegalText), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn current(State(state): State<AppState>, Path(kind): Path<String>) -> Result<impl IntoResponse, WebError> {
    let kind = match kind.as_str() {
        "privacy" => LegalKind::Privacy,
        "terms" => LegalKind::Terms,
        _ => {
            return Err(WebError::new(StatusCode::NOT_FOUND, "legal.unknown_kind", "没有这种文本。"));
        }
    };
    let d = rencai_app::legal::current(&state, kind).await?;
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=60")],
        Json(LegalText {
            kind: d.kind,
            version: d.version,
            title: d.title,
            material: d.material,
            effective_at: d.effective_at,
            published_at: d.published_at,
            body_html: d.body_html,
            change_summary: d.change_summary,
        }),
    ))
}

#[derive(Debug, serde::Deserialize, ToSchema)]
pub struct AcceptBody {
    /// The versions the person was shown (from `GET /api/v1/legal/{kind}`).
    pub privacy_version: String,
    pub terms_version: String,
}

/// Accepts the privacy policy and user agreement in force (after a material change, the API
/// answers `403 legal.reaccept_required` until this is done).
#[utoipa::path(post, path = "/api/v1/legal/accept", tag = "legal", request_body = AcceptBody, security(("bearer" = [])),
    responses((status = 204), (status = 409, description = "A newer version took effect meanwhile (`legal.version_changed`)", body = Problem, content_type = "application/problem+json")))]
pub async fn accept(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<AcceptBody>,
) -> Result<impl IntoResponse, WebError> {
    rencai_app::legal::accept(&state, &user.account, (&body.privacy_version, &body.terms_version), ip).await?;
    Ok(StatusCode::NO_CONTENT)
}
