//! Applications, the hiring pipeline and notifications for the apps: the same use cases as the
//! pages, the same rules and error codes.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rencai_app::AppState;
use rencai_app::market::actor;
use rencai_app::market::applications::{self as apps, BulkOutcome, Detail, ReceivedFilters, RejectInput, Summary};
use rencai_app::notify;
use rencai_domain::application::InterviewInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::BearerUser;
use super::{Page, Problem};
use crate::WebError;
use crate::extract::{ApiJson, ValidQuery};

/// An application as both sides list it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDto {
    pub id: String,
    pub job_id: String,
    pub job_title: String,
    /// Whether the job still takes applications.
    pub job_open: bool,
    pub company_id: String,
    pub company_name: String,
    /// `new`, `viewed`, `shortlisted`, `interview`, `offered`, `hired`, `rejected`, `withdrawn`.
    pub stage: String,
    pub stage_label: String,
    pub applied_at: String,
    pub changed_at: String,
}

fn dto(s: &Summary) -> ApplicationDto {
    ApplicationDto {
        id: s.public_id.clone(),
        job_id: s.job_public_id.clone(),
        job_title: s.job_title.clone(),
        job_open: s.job_open,
        company_id: s.company_public_id.clone(),
        company_name: s.company_name.clone(),
        stage: s.stage.as_str().into(),
        stage_label: s.stage.label().into(),
        applied_at: s.applied_at.to_rfc3339(),
        changed_at: s.changed_at.to_rfc3339(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventDto {
    pub stage: String,
    pub at: String,
    /// A rejection's reason or a withdrawal's note.
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InterviewDto {
    pub id: String,
    pub starts_at: String,
    pub minutes: i32,
    /// `onsite` or `video`.
    pub mode: String,
    /// Address or meeting link.
    pub place: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub note: Option<String>,
    /// `invited`, `accepted`, `declined`, `reschedule`, `superseded`.
    pub state: String,
    pub reply: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDetailDto {
    #[serde(flatten)]
    pub application: ApplicationDto,
    pub resume_id: String,
    pub events: Vec<EventDto>,
    /// Newest first.
    pub interviews: Vec<InterviewDto>,
}

fn detail_dto(d: Detail) -> ApplicationDetailDto {
    ApplicationDetailDto {
        application: dto(&d.summary),
        resume_id: d.resume_public_id,
        events: d
            .events
            .into_iter()
            .map(|e| EventDto { stage: e.stage.as_str().into(), at: e.at.to_rfc3339(), reason: e.reason })
            .collect(),
        interviews: d
            .interviews
            .into_iter()
            .map(|i| InterviewDto {
                id: i.public_id,
                starts_at: i.starts_at.to_rfc3339(),
                minutes: i.minutes,
                mode: i.mode.as_str().into(),
                place: i.details.place,
                contact_name: i.details.contact_name,
                contact_phone: i.details.contact_phone,
                note: i.details.note,
                state: i.state,
                reply: i.reply,
            })
            .collect(),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplyBody {
    /// The resume to send (one of the seeker's own, complete enough).
    pub resume: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

/// Applies to a job.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/applications", tag = "applications", request_body = ApplyBody,
    params(("id" = String, Path, description = "Job id")), security(("bearer" = [])),
    responses((status = 201, body = Created),
        (status = 409, description = "Applied before (`application.exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`resume.incomplete`, `resume.hidden`, `application.blocked_company`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The day's limit (`application.daily_limit`)", body = Problem, content_type = "application/problem+json")))]
pub async fn apply(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ApplyBody>,
) -> Result<Response, WebError> {
    let id = apps::apply(&state, &user.account, &id, &body.resume).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

#[derive(Debug, Deserialize, IntoParams)]
#[allow(dead_code)]
pub struct PageParams {
    page: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    #[serde(deserialize_with = "rencai_app::market::empty_as_none")]
    page: Option<u64>,
}

/// The seeker's applications, most recently changed first.
#[utoipa::path(get, path = "/api/v1/me/applications", tag = "applications", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = Page<ApplicationDto>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn mine(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ValidQuery(q): ValidQuery<PageQuery>,
) -> Result<Response, WebError> {
    let p = apps::mine(&state, &user.account, q.page).await?;
    Ok(Json(Page { total: p.total, items: p.items.iter().map(dto).collect(), page: p.page as u32 }).into_response())
}

/// One of the seeker's applications with its history and interview invitations.
#[utoipa::path(get, path = "/api/v1/me/applications/{id}", tag = "applications", params(("id" = String, Path, description = "Application id")), security(("bearer" = [])),
    responses((status = 200, body = ApplicationDetailDto), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn seeker_detail(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    Ok(Json(detail_dto(apps::seeker_detail(&state, &user.account, &id).await?)).into_response())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct WithdrawBody {
    pub note: String,
}

/// Withdraws an open application.
#[utoipa::path(post, path = "/api/v1/me/applications/{id}/withdraw", tag = "applications", request_body = WithdrawBody,
    params(("id" = String, Path, description = "Application id")), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already closed (`application.step_refused`)", body = Problem, content_type = "application/problem+json")))]
pub async fn withdraw(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<WithdrawBody>,
) -> Result<Response, WebError> {
    apps::withdraw(&state, &user.account, &id, &body.note).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AnswerBody {
    /// `accept`, `decline` or `reschedule`.
    pub answer: String,
    /// Required for `reschedule`: times that suit.
    pub reply: String,
}

/// Answers an interview invitation.
#[utoipa::path(post, path = "/api/v1/me/interviews/{id}/answer", tag = "applications", request_body = AnswerBody,
    params(("id" = String, Path, description = "Interview id")), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Answered before or replaced (`interview.closed`)", body = Problem, content_type = "application/problem+json")))]
pub async fn answer(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> Result<Response, WebError> {
    apps::answer(&state, &user.account, &id, &body.answer, &body.reply).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// An application in a recruiter's list, with the applicant as the privacy rules show them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivedDto {
    #[serde(flatten)]
    pub application: ApplicationDto,
    /// Absent when the seeker has since hidden the resume or blocked the organisation.
    pub candidate: Option<super::market::ResumeDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivedPageDto {
    #[serde(flatten)]
    pub page: Page<ReceivedDto>,
    /// Applications at each stage, under the same job filter.
    pub stages: Vec<StageCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StageCount {
    pub stage: String,
    pub count: u64,
}

#[derive(Debug, Deserialize, IntoParams)]
#[allow(dead_code)]
pub struct ReceivedParams {
    /// A job id.
    job: Option<String>,
    stage: Option<String>,
    page: Option<u64>,
}

/// Applications the recruiter manages (the primary account: all of the organisation's).
#[utoipa::path(get, path = "/api/v1/company/applications", tag = "applications", params(ReceivedParams), security(("bearer" = [])),
    responses((status = 200, body = ReceivedPageDto), (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn received(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ValidQuery(f): ValidQuery<ReceivedFilters>,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(&state, &user.account).await?;
    let (p, counts) = apps::received(&state, &rec, &f).await?;
    let items = p
        .items
        .into_iter()
        .map(|r| ReceivedDto { application: dto(&r.summary), candidate: r.candidate.map(super::market::resume_dto) })
        .collect();
    Ok(Json(ReceivedPageDto {
        page: Page { total: p.total, items, page: p.page as u32 },
        stages: counts.into_iter().map(|(s, n)| StageCount { stage: s.as_str().into(), count: n }).collect(),
    })
    .into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivedDetailDto {
    #[serde(flatten)]
    pub detail: ApplicationDetailDto,
    pub candidate: Option<super::market::ResumeDto>,
    /// Steps that can be taken next.
    pub next_steps: Vec<String>,
}

/// Opens an application (a new one becomes `viewed`, and the seeker is told).
#[utoipa::path(get, path = "/api/v1/company/applications/{id}", tag = "applications", params(("id" = String, Path, description = "Application id")), security(("bearer" = [])),
    responses((status = 200, body = ReceivedDetailDto), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn received_detail(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(&state, &user.account).await?;
    let (d, resume) = apps::open(&state, &rec, &id).await?;
    let next_steps = apps::next_steps(d.summary.stage).into_iter().map(|s| s.as_str().to_string()).collect();
    Ok(Json(ReceivedDetailDto { detail: detail_dto(d), candidate: resume.map(super::market::resume_dto), next_steps })
        .into_response())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct StepBody {
    /// Application ids (at most 100).
    pub ids: Vec<String>,
    /// `shortlist`, `offer`, `hire` or `reject`.
    pub step: String,
    /// For `reject`: a reason code (`experience`, `skills`, `filled`, `location`, `salary`, `other`).
    pub reason: String,
    /// For `reject`: words for the seeker (no contact details).
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BulkDto {
    pub moved: Vec<String>,
    pub refused: Vec<RefusedDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RefusedDto {
    pub id: String,
    pub reason: String,
}

fn bulk_dto(o: BulkOutcome) -> BulkDto {
    BulkDto { moved: o.moved, refused: o.refused.into_iter().map(|(id, reason)| RefusedDto { id, reason }).collect() }
}

/// Takes one step on several applications; each is moved or refused with its reason.
#[utoipa::path(post, path = "/api/v1/company/applications/steps", tag = "applications", request_body = StepBody, security(("bearer" = [])),
    responses((status = 200, body = BulkDto), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn steps(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ApiJson(body): ApiJson<StepBody>,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(&state, &user.account).await?;
    let reject = RejectInput { reason: body.reason, text: body.text };
    Ok(Json(bulk_dto(apps::step_many(&state, &rec, &body.ids, &body.step, &reject).await?)).into_response())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct InviteBody {
    pub ids: Vec<String>,
    /// RFC 3339, or `YYYY-MM-DDTHH:MM` in Beijing time.
    pub starts_at: String,
    pub minutes: Option<u32>,
    /// `onsite` or `video`.
    pub mode: String,
    pub place: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub note: String,
}

/// Invites to an interview (several ids: one group interview).
#[utoipa::path(post, path = "/api/v1/company/applications/invite", tag = "applications", request_body = InviteBody, security(("bearer" = [])),
    responses((status = 200, body = BulkDto), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn invite(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ApiJson(b): ApiJson<InviteBody>,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(&state, &user.account).await?;
    let input = InterviewInput {
        starts_at: b.starts_at,
        minutes: b.minutes.map(|m| m.to_string()).unwrap_or_default(),
        mode: b.mode,
        place: b.place,
        contact_name: b.contact_name,
        contact_phone: b.contact_phone,
        note: b.note,
    };
    Ok(Json(bulk_dto(apps::invite(&state, &rec, &b.ids, &input).await?)).into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationDto {
    pub id: String,
    pub title: String,
    pub body: String,
    /// A site path to open.
    pub link: String,
    pub created_at: String,
    pub read: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationsDto {
    #[serde(flatten)]
    pub page: Page<NotificationDto>,
    pub unread: u64,
}

/// The notification center, newest first.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "notifications", params(PageParams), security(("bearer" = [])),
    responses((status = 200, body = NotificationsDto)))]
pub async fn notifications(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ValidQuery(q): ValidQuery<PageQuery>,
) -> Result<Response, WebError> {
    let page = q.page.unwrap_or(1).clamp(1, 10_000);
    let (items, total) = notify::center(&state, user.account.id, page).await?;
    let items = items
        .into_iter()
        .map(|n| NotificationDto {
            id: n.public_id,
            title: n.title,
            body: n.body,
            link: n.link,
            created_at: n.created_at.to_rfc3339(),
            read: n.read,
        })
        .collect();
    let unread = notify::unread(&state, user.account.id).await?;
    Ok(Json(NotificationsDto { page: Page { total, items, page: page as u32 }, unread }).into_response())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReadBody {
    /// One notification; without it, all are marked read.
    pub id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReadDto {
    pub marked: u64,
    pub unread: u64,
}

/// Marks one notification, or all, read.
#[utoipa::path(post, path = "/api/v1/me/notifications/read", tag = "notifications", request_body = ReadBody, security(("bearer" = [])),
    responses((status = 200, body = ReadDto)))]
pub async fn read(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ApiJson(body): ApiJson<ReadBody>,
) -> Result<Response, WebError> {
    let marked = notify::mark_read(&state, user.account.id, body.id.as_deref()).await?;
    let unread = notify::unread(&state, user.account.id).await?;
    Ok(Json(ReadDto { marked, unread }).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChannelBody {
    /// `sms`, `email` or `push`.
    pub channel: String,
    pub enabled: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelsDto {
    pub sms: bool,
    pub email: bool,
    pub push: bool,
}

/// Switches a notification channel on or off (in-app notices always stay).
#[utoipa::path(post, path = "/api/v1/me/notification-channels", tag = "notifications", request_body = ChannelBody, security(("bearer" = [])),
    responses((status = 200, body = ChannelsDto), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_channel(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ApiJson(body): ApiJson<ChannelBody>,
) -> Result<Response, WebError> {
    let p = notify::set_pref(&state, user.account.id, &body.channel, body.enabled).await?;
    Ok(Json(ChannelsDto { sms: p.sms, email: p.email, push: p.push }).into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavedSearchDto {
    pub id: String,
    pub name: String,
    /// The job list with this search (a site path; the same filters work on `GET /api/v1/jobs`).
    pub link: String,
    /// `instant`, `daily` or `off`.
    pub frequency: String,
    pub created_at: String,
}

fn saved_dto(s: rencai_app::market::alerts::Saved) -> SavedSearchDto {
    SavedSearchDto {
        id: s.public_id,
        name: s.name,
        link: s.link,
        frequency: s.frequency.as_str().into(),
        created_at: s.created_at.to_rfc3339(),
    }
}

/// The seeker's saved searches (job alerts).
#[utoipa::path(get, path = "/api/v1/me/saved-searches", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Vec<SavedSearchDto>), (status = 403, body = Problem, content_type = "application/problem+json")))]
pub async fn saved_searches(State(state): State<AppState>, BearerUser(user): BearerUser) -> Result<Response, WebError> {
    let list = rencai_app::market::alerts::list(&state, &user.account).await?;
    Ok(Json(list.into_iter().map(saved_dto).collect::<Vec<_>>()).into_response())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct SaveSearchBody {
    pub name: String,
    /// `instant`, `daily` or `off`.
    pub frequency: String,
    /// The job list's filters (`q`, `district`, `industry`, `category`, `salary_min`,
    /// `experience`, `education`, `type`).
    #[schema(value_type = Object)]
    pub filters: rencai_app::market::jobs::JobFilters,
}

/// Saves a search with its alert frequency.
#[utoipa::path(post, path = "/api/v1/me/saved-searches", tag = "notifications", request_body = SaveSearchBody, security(("bearer" = [])),
    responses((status = 201, body = SavedSearchDto), (status = 409, description = "`alert.exists`, `alert.too_many`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn save_search(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ApiJson(b): ApiJson<SaveSearchBody>,
) -> Result<Response, WebError> {
    let s = rencai_app::market::alerts::save(&state, &user.account, &b.filters, &b.name, &b.frequency).await?;
    Ok((StatusCode::CREATED, Json(saved_dto(s))).into_response())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct FrequencyBody {
    pub frequency: String,
}

/// Changes how often a saved search alerts.
#[utoipa::path(post, path = "/api/v1/me/saved-searches/{id}/frequency", tag = "notifications", request_body = FrequencyBody,
    params(("id" = String, Path, description = "Saved search id")), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn search_frequency(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<FrequencyBody>,
) -> Result<Response, WebError> {
    rencai_app::market::alerts::set_frequency(&state, &user.account, &id, &b.frequency).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Deletes a saved search.
#[utoipa::path(post, path = "/api/v1/me/saved-searches/{id}/delete", tag = "notifications",
    params(("id" = String, Path, description = "Saved search id")), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn delete_search(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    rencai_app::market::alerts::delete(&state, &user.account, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
