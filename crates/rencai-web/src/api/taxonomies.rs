use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use rencai_app::AppState;
use rencai_domain::taxonomy::TaxonomyKind;
use rencai_store::taxonomy::Term;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Page, Problem};
use crate::WebError;

/// A taxonomy term. Filter parameters take `code`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TermDto {
    /// Stable code.
    pub code: String,
    pub name: String,
    /// Parent's code (job categories have two levels).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Centre point of a district (WGS-84).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lng: Option<f64>,
}

impl From<Term> for TermDto {
    fn from(t: Term) -> Self {
        Self { code: t.code, name: t.name, parent: t.parent, lat: t.lat, lng: t.lng }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StationDto {
    pub code: String,
    pub name: String,
}

/// Every taxonomy of the station.
#[derive(Debug, Serialize, ToSchema)]
pub struct Taxonomies {
    pub station: StationDto,
    pub districts: Vec<TermDto>,
    pub industries: Vec<TermDto>,
    pub job_categories: Vec<TermDto>,
    pub education_levels: Vec<TermDto>,
    pub experience_levels: Vec<TermDto>,
    pub job_types: Vec<TermDto>,
    pub salary_bands: Vec<TermDto>,
    pub benefits: Vec<TermDto>,
}

/// All taxonomies: districts with coordinates, industries, job categories, education and
/// experience levels, job types, salary bands and benefit tags.
#[utoipa::path(get, path = "/api/v1/taxonomies", tag = "taxonomies",
    responses((status = 200, body = Taxonomies)))]
pub async fn all(State(state): State<AppState>) -> Result<impl IntoResponse, WebError> {
    let mut lists =
        rencai_app::taxonomy::all(&state).await?.into_iter().map(|(_, v)| v.into_iter().map(TermDto::from).collect());
    let mut next = || lists.next().unwrap_or_default();
    // The order of TaxonomyKind::ALL.
    let body = Taxonomies {
        station: StationDto { code: state.station().code.clone(), name: state.station().name.clone() },
        districts: next(),
        industries: next(),
        job_categories: next(),
        education_levels: next(),
        experience_levels: next(),
        job_types: next(),
        salary_bands: next(),
        benefits: next(),
    };
    Ok(([(header::CACHE_CONTROL, "public, max-age=300")], Json(body)))
}

/// One taxonomy by kind: `district`, `industry`, `job_category`, `education`, `experience`,
/// `job_type`, `salary_band`, `benefit`.
#[utoipa::path(get, path = "/api/v1/taxonomies/{kind}", tag = "taxonomies",
    params(("kind" = String, Path, description = "taxonomy kind")),
    responses((status = 200, body = Page<TermDto>), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn one(State(state): State<AppState>, Path(kind): Path<String>) -> Result<impl IntoResponse, WebError> {
    let kind = TaxonomyKind::parse(&kind)
        .ok_or_else(|| WebError::new(StatusCode::NOT_FOUND, "taxonomy.unknown_kind", "没有这种分类。"))?;
    let items: Vec<TermDto> = rencai_app::taxonomy::list(&state, kind).await?.into_iter().map(TermDto::from).collect();
    Ok(([(header::CACHE_CONTROL, "public, max-age=300")], Json(Page { total: items.len() as u64, items, page: 1 })))
}
