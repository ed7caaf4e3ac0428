//! The privacy center for the apps: the same overview, switches, export and deactivation as
//! `/me/privacy`, with the same rules and error codes.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rencai_app::AppState;
use rencai_app::privacy::{center, deactivation, export};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Problem;
use super::auth::BearerUser;
use crate::WebError;
use crate::extract::ApiJson;

#[derive(Debug, Serialize, ToSchema)]
pub struct HoldingDto {
    /// The table's name (stable; the data inventory describes it).
    pub table: String,
    pub label: String,
    pub purpose: String,
    pub rows: u64,
    pub retention: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentDto {
    pub privacy_version: String,
    pub terms_version: String,
    pub accepted_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DisclosureDto {
    pub recipient: String,
    pub kind: String,
    pub detail: String,
    pub at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExportDto {
    pub id: String,
    /// `pending`, `ready`, `downloaded`, `expired` or `failed`.
    pub status: String,
    pub bytes: Option<i64>,
    pub created_at: String,
    pub expires_at: String,
}

fn export_dto(e: &export::ExportInfo) -> ExportDto {
    ExportDto {
        id: e.id.clone(),
        status: e.status.clone(),
        bytes: e.bytes,
        created_at: e.created_at.to_rfc3339(),
        expires_at: e.expires_at.to_rfc3339(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TagDto {
    pub code: String,
    pub name: String,
    /// How many recent page views and searches it rests on.
    pub evidence: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrivacyDto {
    pub holdings: Vec<HoldingDto>,
    pub consents: Vec<ConsentDto>,
    pub disclosures: Vec<DisclosureDto>,
    /// Personalized suggestions (P8); off means the same results as an anonymous visitor.
    pub personalization: bool,
    /// Job categories inferred from recent behaviour (P8): (code, name, evidence).
    pub interest_tags: Vec<TagDto>,
    pub exports: Vec<ExportDto>,
    /// For an organisation's primary account: what the organisation holds across its members.
    pub organisation: Vec<OrgHoldingDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgHoldingDto {
    pub label: String,
    pub rows: u64,
    pub about: String,
}

/// What we hold about the account, why and how long; consents, disclosures and switches.
#[utoipa::path(get, path = "/api/v1/me/privacy", tag = "privacy", security(("bearer" = [])),
    responses((status = 200, body = PrivacyDto), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn overview(State(state): State<AppState>, BearerUser(user): BearerUser) -> Result<Response, WebError> {
    let o = center::overview(&state, &user.account).await?;
    Ok(Json(PrivacyDto {
        holdings: o
            .holdings
            .iter()
            .map(|h| HoldingDto {
                table: h.table.into(),
                label: h.label.into(),
                purpose: h.purpose.into(),
                rows: h.rows,
                retention: h.retention.clone(),
            })
            .collect(),
        consents: o
            .consents
            .iter()
            .map(|c| ConsentDto {
                privacy_version: c.privacy_version.clone(),
                terms_version: c.terms_version.clone(),
                accepted_at: c.accepted_at.to_rfc3339(),
            })
            .collect(),
        disclosures: o
            .disclosures
            .iter()
            .map(|d| DisclosureDto {
                recipient: d.recipient.clone(),
                kind: d.kind.clone(),
                detail: d.detail.clone(),
                at: d.at.to_rfc3339(),
            })
            .collect(),
        personalization: o.personalization,
        interest_tags: o
            .interest_tags
            .iter()
            .map(|t| TagDto { code: t.code.clone(), name: t.name.clone(), evidence: t.evidence })
            .collect(),
        exports: o.exports.iter().map(export_dto).collect(),
        organisation: o
            .organisation
            .iter()
            .map(|(label, rows, about)| OrgHoldingDto { label: (*label).into(), rows: *rows, about: (*about).into() })
            .collect(),
    })
    .into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PersonalizationBody {
    pub on: bool,
}

/// Turns personalized suggestions on or off; effective on the next request.
#[utoipa::path(post, path = "/api/v1/me/privacy/personalization", tag = "privacy", request_body = PersonalizationBody,
    security(("bearer" = [])), responses((status = 204), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn personalization(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ApiJson(body): ApiJson<PersonalizationBody>,
) -> Result<Response, WebError> {
    center::set_personalization(&state, &user.account, body.on).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Starts an export (or returns the one being prepared). Poll `GET /api/v1/me/exports`.
#[utoipa::path(post, path = "/api/v1/me/exports", tag = "privacy", security(("bearer" = [])),
    responses((status = 202, body = ExportDto)))]
pub async fn request_export(State(state): State<AppState>, BearerUser(user): BearerUser) -> Result<Response, WebError> {
    let e = export::request(&state, &user.account).await?;
    Ok((StatusCode::ACCEPTED, Json(export_dto(&e))).into_response())
}

/// The account's exports, newest first.
#[utoipa::path(get, path = "/api/v1/me/exports", tag = "privacy", security(("bearer" = [])),
    responses((status = 200, body = Vec<ExportDto>)))]
pub async fn exports(State(state): State<AppState>, BearerUser(user): BearerUser) -> Result<Response, WebError> {
    let list = export::list(&state, &user.account).await?;
    Ok(Json(list.iter().map(export_dto).collect::<Vec<_>>()).into_response())
}

/// The ZIP of a ready export. Works once; afterwards `409 export.gone`.
#[utoipa::path(get, path = "/api/v1/me/exports/{id}/download", tag = "privacy",
    params(("id" = String, Path, description = "Export id")), security(("bearer" = [])),
    responses((status = 200, content_type = "application/zip", description = "The archive"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`export.pending` or `export.gone`", body = Problem, content_type = "application/problem+json")))]
pub async fn download_export(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let zip = export::take(&state, &user.account, &id).await?;
    Ok(crate::pages::zip_response(&state, zip))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeactivateBody {
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeactivatedDto {
    /// When the personal data will have been erased.
    pub purge_due_at: String,
}

/// Deactivates the account (注销): every token ends at once. Irreversible.
#[utoipa::path(post, path = "/api/v1/me/deactivate", tag = "privacy", request_body = DeactivateBody, security(("bearer" = [])),
    responses((status = 200, body = DeactivatedDto),
        (status = 422, description = "`auth.wrong_password`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`account.primary_has_members`", body = Problem, content_type = "application/problem+json")))]
pub async fn deactivate(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ApiJson(body): ApiJson<DeactivateBody>,
) -> Result<Response, WebError> {
    let done = deactivation::deactivate(&state, &user.account, &body.password).await?;
    Ok(Json(DeactivatedDto { purge_due_at: done.purge_due_at.to_rfc3339() }).into_response())
}
