use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use rencai_app::AppState;
use rencai_store::legal::LegalKind;
use serde::Serialize;
use utoipa::ToSchema;

use super::Problem;
use crate::WebError;

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
        }),
    ))
}
