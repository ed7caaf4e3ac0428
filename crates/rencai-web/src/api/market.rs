//! The marketplace in the JSON API: public job and company lists (the same filters as the
//! pages), a job with its contact details only for applicants, and the recruiters' resume
//! center, masked by the same access policy as the pages.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rencai_app::AppState;
use rencai_app::market::jobs::{self, JobFilters, Listing};
use rencai_app::market::meter::ListMeter;
use rencai_app::market::resumes::{self, CenterFilters, RecruiterResume};
use rencai_app::market::{actor, companies, terms};
use rencai_domain::access::ResumeAccess;
use rencai_domain::resume::ResumeContent;
use rencai_domain::taxonomy::TaxonomyKind;
use rencai_store::market::companies::CompanyRow;
use rencai_store::market::jobs::JobRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::BearerUser;
use super::{Page, Problem};
use crate::WebError;
use crate::extract::{ClientIp, ValidQuery};

/// The bearer user when the request carries a token; a bad token is still an error.
pub struct MaybeBearer(pub Option<rencai_app::auth::sessions::Authenticated>);

impl axum::extract::FromRequestParts<AppState> for MaybeBearer {
    type Rejection = WebError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if parts.headers.get(header::AUTHORIZATION).is_none() {
            return Ok(MaybeBearer(None));
        }
        let BearerUser(u) = BearerUser::from_request_parts(parts, state).await?;
        Ok(MaybeBearer(Some(u)))
    }
}

pub(super) fn page_cap(state: &AppState, ip: std::net::IpAddr, signed_in: bool) -> Result<(), WebError> {
    let now = state.now();
    if signed_in || state.list_meter().admit(ip, now, state.settings().market.anonymous_list_pages_per_hour) {
        return Ok(());
    }
    Err(WebError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "visitor.page_cap",
        "未登录时每小时可浏览的列表页已用完，请登录后继续。",
    )
    .with_retry_after(ListMeter::retry_after(now)))
}

/// A job in lists.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobDto {
    pub id: String,
    pub title: String,
    pub employer: OrgRef,
    /// The HR agency recruiting for the employer (由 … 代招), if any.
    pub agency: Option<String>,
    pub category: String,
    pub industry: String,
    pub district: String,
    /// Monthly salary in CNY; both null: negotiable (面议).
    pub salary_min: Option<u32>,
    pub salary_max: Option<u32>,
    pub salary_label: String,
    pub education: String,
    pub experience: String,
    #[serde(rename = "type")]
    pub job_type: String,
    pub benefits: Vec<String>,
    pub urgent: bool,
    pub campus: bool,
    /// Paid top placement (shown as 置顶).
    pub top: bool,
    pub refreshed_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgRef {
    pub id: String,
    pub name: String,
    pub verified: bool,
}

fn job_dto(j: &JobRow, now: chrono::DateTime<chrono::Utc>) -> JobDto {
    JobDto {
        id: j.public_id.clone(),
        title: j.title.clone(),
        employer: OrgRef {
            id: j.employer_public_id.clone(),
            name: j.employer_name.clone(),
            verified: j.employer_verification == "verified",
        },
        agency: j.agency_name.clone(),
        category: j.category.clone(),
        industry: j.industry.clone(),
        district: j.district.clone(),
        salary_min: j.salary().map(|s| s.0),
        salary_max: j.salary().map(|s| s.1),
        salary_label: crate::pages::view::salary_label(j.salary()),
        education: j.education.clone(),
        experience: j.experience.clone(),
        job_type: j.job_type.clone(),
        benefits: j.benefit_codes(),
        urgent: j.urgent,
        campus: j.campus,
        top: j.top_until.is_some_and(|t| t > now),
        refreshed_at: j.refreshed_at.to_rfc3339(),
    }
}

/// A piece of highlighted text: `hit` marks the words the query matched.
#[derive(Debug, Serialize, ToSchema)]
pub struct TextPiece {
    pub text: String,
    pub hit: bool,
}

pub(super) fn text_pieces(m: &rencai_search::Marked) -> Vec<TextPiece> {
    m.pieces().into_iter().map(|(text, hit)| TextPiece { text: text.to_string(), hit }).collect()
}

/// A job in a search result.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobHitDto {
    #[serde(flatten)]
    pub job: JobDto,
    /// The title with the matched words marked (keyword searches).
    pub title_pieces: Vec<TextPiece>,
    /// The best-matching passage of the description (keyword searches).
    pub passage: Option<Vec<TextPiece>>,
    /// Metres from the given point (nearby searches).
    pub distance_m: Option<u32>,
}

/// A value of a filter and how many results have it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetDto {
    pub code: String,
    pub count: u64,
}

/// Result counts by filter value (with `facets=true`).
#[derive(Debug, Serialize, ToSchema)]
pub struct JobFacetsDto {
    pub district: Vec<FacetDto>,
    pub industry: Vec<FacetDto>,
    pub category: Vec<FacetDto>,
    pub experience: Vec<FacetDto>,
    pub education: Vec<FacetDto>,
    #[serde(rename = "type")]
    pub job_type: Vec<FacetDto>,
    /// `salary_min` choices: jobs whose top salary reaches each amount.
    pub salary_min: Vec<FacetDto>,
    /// `within` choices: jobs refreshed within each number of days.
    pub within: Vec<FacetDto>,
}

/// A page of jobs.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobListDto {
    pub total: u64,
    /// `total` is a floor (10,000): a one-word `q` without other filters and without
    /// `facets=true` stops counting there.
    pub total_capped: bool,
    pub page: u32,
    pub items: Vec<JobHitDto>,
    /// No job had every word of `q`; these have some of them.
    pub relaxed: bool,
    pub facets: Option<JobFacetsDto>,
}

fn facets_dto(f: &rencai_search::JobFacets) -> JobFacetsDto {
    let list =
        |v: &[rencai_search::Facet]| v.iter().map(|x| FacetDto { code: x.code.clone(), count: x.count }).collect();
    JobFacetsDto {
        district: list(&f.district),
        industry: list(&f.industry),
        category: list(&f.category),
        experience: list(&f.experience),
        education: list(&f.education),
        job_type: list(&f.job_type),
        salary_min: f.salary.iter().map(|(v, n)| FacetDto { code: v.to_string(), count: *n }).collect(),
        within: f.posted_within.iter().map(|(d, n)| FacetDto { code: d.to_string(), count: *n }).collect(),
    }
}

pub(crate) fn job_list_dto(l: &jobs::JobList, now: chrono::DateTime<chrono::Utc>) -> JobListDto {
    JobListDto {
        total: l.page.total,
        total_capped: l.capped,
        page: l.page.page as u32,
        items: l
            .page
            .items
            .iter()
            .map(|x| JobHitDto {
                job: job_dto(&x.job, now),
                title_pieces: text_pieces(&x.title),
                passage: x.passage.as_ref().map(text_pieces),
                distance_m: x.distance_m.map(|d| d.round() as u32),
            })
            .collect(),
        relaxed: l.relaxed,
        facets: l.facets.as_ref().map(facets_dto),
    }
}

/// Filters of `GET /api/v1/jobs`, the same as `/jobs`; codes from `GET /api/v1/taxonomies`.
#[derive(Debug, Deserialize, IntoParams)]
#[allow(dead_code)]
pub struct JobParams {
    /// Words, a sentence or pinyin: matched in titles, company names and descriptions.
    q: Option<String>,
    district: Option<String>,
    industry: Option<String>,
    /// A job category; a parent category matches its children.
    category: Option<String>,
    /// Jobs whose top salary is at least this (CNY a month).
    salary_min: Option<u32>,
    experience: Option<String>,
    education: Option<String>,
    #[serde(rename = "type")]
    #[param(rename = "type")]
    job_type: Option<String>,
    /// Refreshed within this many days: 1, 3, 7 or 30.
    within: Option<u32>,
    /// `relevance` (default; without `q` as `fresh`), `fresh`, `newest` or `salary`.
    sort: Option<String>,
    /// Pages reach at most the first 2,000 results.
    page: Option<u64>,
    /// Up to 50.
    per_page: Option<u64>,
    /// `true`: count the result by each filter's values.
    facets: Option<bool>,
}

/// Published jobs. Visitors without a token get a capped number of list pages per hour.
#[utoipa::path(get, path = "/api/v1/jobs", tag = "jobs", params(JobParams),
    responses((status = 200, body = JobListDto),
        (status = 422, description = "Unknown filter code", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Page cap for visitors", body = Problem, content_type = "application/problem+json")))]
pub async fn list_jobs(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    MaybeBearer(user): MaybeBearer,
    ValidQuery(f): ValidQuery<JobFilters>,
) -> Result<Response, WebError> {
    page_cap(&state, ip, user.is_some())?;
    let list = jobs::public_list(&state, &f, Listing::All).await?;
    if let Some(u) = &user {
        // An app's searches count for personalization as the site's do (only while it is on).
        rencai_app::behaviour::searched(&state, &u.account, f.q.as_deref(), f.category.as_deref()).await;
    }
    Ok(Json(job_list_dto(&list, state.now())).into_response())
}

/// A nearby search: the point of the moment (WGS-84) and the same filters as `GET /api/v1/jobs`.
/// The point is used for this request only — never stored or logged (P7).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NearbyBody {
    pub lat: f64,
    pub lng: f64,
    /// Up to 50; default 5.
    pub radius_km: Option<f64>,
    pub q: Option<String>,
    pub district: Option<String>,
    pub industry: Option<String>,
    pub category: Option<String>,
    pub salary_min: Option<u32>,
    pub experience: Option<String>,
    pub education: Option<String>,
    #[serde(rename = "type")]
    pub job_type: Option<String>,
    pub within: Option<u32>,
    /// `distance` (default without `q`), `relevance` (default with `q`), `fresh`, `newest` or `salary`.
    pub sort: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    pub facets: Option<bool>,
}

/// Published jobs near a point, each with `distance_m`. The point travels in the body, never
/// in a URL.
#[utoipa::path(post, path = "/api/v1/jobs/nearby", tag = "jobs", request_body = NearbyBody,
    responses((status = 200, body = JobListDto),
        (status = 422, description = "Bad point, radius or filter", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Page cap for visitors", body = Problem, content_type = "application/problem+json")))]
pub async fn nearby_jobs(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    MaybeBearer(user): MaybeBearer,
    crate::extract::ApiJson(b): crate::extract::ApiJson<NearbyBody>,
) -> Result<Response, WebError> {
    page_cap(&state, ip, user.is_some())?;
    let f = JobFilters {
        q: b.q,
        district: b.district,
        industry: b.industry,
        category: b.category,
        salary_min: b.salary_min,
        experience: b.experience,
        education: b.education,
        job_type: b.job_type,
        within: b.within,
        sort: b.sort,
        page: b.page,
        per_page: b.per_page,
        facets: b.facets,
    };
    let here = jobs::Here { lat: b.lat, lng: b.lng, radius_km: b.radius_km };
    let list = jobs::nearby(&state, &f, here).await?;
    Ok(Json(job_list_dto(&list, state.now())).into_response())
}

/// A job with its description. `contact` is present only for seekers who applied and for the
/// posting organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobDetail {
    #[serde(flatten)]
    pub job: JobDto,
    pub description: String,
    pub address: String,
    pub headcount: i32,
    pub published_at: Option<String>,
    pub expires_at: Option<String>,
    pub applied: bool,
    pub contact: Option<Contact>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Contact {
    pub name: String,
    pub phone: String,
}

#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "jobs", params(("id" = String, Path, description = "Job id")),
    responses((status = 200, body = JobDetail), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn job(
    State(state): State<AppState>,
    MaybeBearer(user): MaybeBearer,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let account = user.as_ref().map(|u| &u.account);
    let (viewer, rec) = actor::resolve(&state, account).await?;
    let v = jobs::view(&state, &viewer, rec.as_ref(), &id).await?;
    if let Some(a) = account {
        rencai_app::behaviour::viewed_job(&state, a, &id).await;
    }
    Ok(Json(JobDetail {
        job: job_dto(&v.job, state.now()),
        description: v.job.description.clone(),
        address: v.job.address.clone(),
        headcount: v.job.headcount,
        published_at: v.job.published_at.map(|t| t.to_rfc3339()),
        expires_at: v.job.expires_at.map(|t| t.to_rfc3339()),
        applied: v.applied,
        contact: v.contact.map(|(name, phone)| Contact { name, phone }),
    })
    .into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyDto {
    pub id: String,
    pub name: String,
    pub industry: String,
    pub size: String,
    pub ownership: String,
    pub district: String,
    pub address: String,
    pub intro: String,
    pub verified: bool,
}

fn company_dto(c: &CompanyRow) -> CompanyDto {
    CompanyDto {
        id: c.public_id.clone(),
        name: c.name.clone(),
        industry: c.industry.clone(),
        size: c.size.clone(),
        ownership: c.ownership.clone(),
        district: c.district.clone(),
        address: c.address.clone(),
        intro: c.intro.clone(),
        verified: c.verification == "verified",
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CompanyParams {
    /// Part of the name.
    q: Option<String>,
    industry: Option<String>,
    district: Option<String>,
    page: Option<u64>,
}

/// Verified employers.
#[utoipa::path(get, path = "/api/v1/companies", tag = "companies", params(CompanyParams),
    responses((status = 200, body = Page<CompanyDto>), (status = 429, body = Problem, content_type = "application/problem+json")))]
pub async fn list_companies(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    MaybeBearer(user): MaybeBearer,
    ValidQuery(q): ValidQuery<CompanyParams>,
) -> Result<Response, WebError> {
    page_cap(&state, ip, user.is_some())?;
    let t = terms::get(&state).await?;
    for (kind, field, v) in
        [(TaxonomyKind::Industry, "industry", &q.industry), (TaxonomyKind::District, "district", &q.district)]
    {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty() && !t.known(kind, v)) {
            let _ = v;
            return Err(rencai_app::AppError::invalid_field("filter.unknown_code", field, "没有这个筛选项。").into());
        }
    }
    let page =
        companies::directory(&state, q.industry.as_deref(), q.district.as_deref(), q.q.as_deref(), q.page).await?;
    Ok(Json(Page { total: page.total, items: page.items.iter().map(company_dto).collect(), page: page.page as u32 })
        .into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompanyDetail {
    #[serde(flatten)]
    pub company: CompanyDto,
    pub jobs: Vec<JobDto>,
}

#[utoipa::path(get, path = "/api/v1/companies/{id}", tag = "companies", params(("id" = String, Path, description = "Company id")),
    responses((status = 200, body = CompanyDetail), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn company(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, WebError> {
    let (org, jobs) = companies::public_page(&state, &id).await?;
    Ok(Json(CompanyDetail { company: company_dto(&org), jobs: jobs.iter().map(|j| job_dto(j, state.now())).collect() })
        .into_response())
}

/// A resume as a recruiter sees it. `access` is `masked` (name as surname + 先生/女士, phone and
/// e-mail masked) or `full`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResumeDto {
    pub id: String,
    pub access: String,
    pub name: String,
    /// Empty in lists.
    pub phone: String,
    pub email: Option<String>,
    pub completeness: i32,
    pub refreshed_at: String,
    #[schema(value_type = Object)]
    pub content: ResumeContent,
}

pub(super) fn resume_dto(r: RecruiterResume) -> ResumeDto {
    ResumeDto {
        id: r.row.public_id.clone(),
        access: if r.access == ResumeAccess::Full { "full".into() } else { "masked".into() },
        name: r.display_name,
        phone: r.phone,
        email: r.email,
        completeness: r.row.completeness,
        refreshed_at: r.row.refreshed_at.to_rfc3339(),
        content: r.content,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[allow(dead_code)]
pub struct CenterParams {
    /// Words: resume title, skills, certificates, job titles held, majors.
    q: Option<String>,
    category: Option<String>,
    industry: Option<String>,
    district: Option<String>,
    education: Option<String>,
    experience: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// The resume center (recruiters only).
#[utoipa::path(get, path = "/api/v1/resumes", tag = "resumes", params(CenterParams), security(("bearer" = [])),
    responses((status = 200, body = Page<ResumeDto>), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn resume_center(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ValidQuery(f): ValidQuery<CenterFilters>,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(&state, &user.account).await?;
    let page = resumes::center(&state, &rec, &f).await?;
    let total = page.total;
    let p = page.page as u32;
    Ok(Json(Page { total, items: page.items.into_iter().map(resume_dto).collect(), page: p }).into_response())
}

/// One resume; each view is shown to the seeker.
#[utoipa::path(get, path = "/api/v1/resumes/{id}", tag = "resumes", params(("id" = String, Path, description = "Resume id")), security(("bearer" = [])),
    responses((status = 200, body = ResumeDto), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn resume(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(&state, &user.account).await?;
    Ok(Json(resume_dto(resumes::view(&state, &rec, &id).await?)).into_response())
}

/// Unlocks (下载) a masked resume for the whole organisation, spending one resume unlock; the
/// seeker sees it in their disclosure log.
#[utoipa::path(post, path = "/api/v1/resumes/{id}/unlock", tag = "resumes", params(("id" = String, Path, description = "Resume id")), security(("bearer" = [])),
    responses((status = 200, body = ResumeDto), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No unlocks left (`quota.exhausted`)", body = Problem, content_type = "application/problem+json")))]
pub async fn unlock(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(&state, &user.account).await?;
    Ok(Json(resume_dto(resumes::unlock(&state, &rec, &id).await?)).into_response())
}
