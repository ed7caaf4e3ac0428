//! The hiring pipeline's pages (M8): the seeker's applications with their history and
//! interview answers, the recruiter's applications across jobs or per job with bulk actions and
//! interview invitations, and the notification center (M11) with its channel switches (P13).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::market::actor;
use rencai_app::market::applications::{self as apps, Detail, InterviewView, ReceivedFilters, RejectInput, Summary};
use rencai_app::notify::{self, Channel};
use rencai_domain::application::{InterviewInput, REJECT_REASONS, Step};

use super::view::{Pager, ago};
use super::{Pairs, see_other};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::session::{Csrf, CurrentUser};

/// One line of a list, ready for a template.
pub struct Line {
    pub id: String,
    pub job_id: String,
    pub job_title: String,
    pub job_open: bool,
    pub company: String,
    pub company_id: String,
    pub stage: &'static str,
    pub stage_label: &'static str,
    pub applied: String,
    pub changed: String,
}

impl Line {
    fn new(s: &Summary, now: chrono::DateTime<chrono::Utc>) -> Self {
        Line {
            id: s.public_id.clone(),
            job_id: s.job_public_id.clone(),
            job_title: s.job_title.clone(),
            job_open: s.job_open,
            company: s.company_name.clone(),
            company_id: s.company_public_id.clone(),
            stage: s.stage.as_str(),
            stage_label: s.stage.label(),
            applied: apps::beijing(s.applied_at),
            changed: ago(s.changed_at, now),
        }
    }
}

/// A history entry for a template.
pub struct EventLine {
    pub stage: &'static str,
    pub label: &'static str,
    pub at: String,
    pub reason: Option<String>,
}

fn events(d: &Detail) -> Vec<EventLine> {
    d.events
        .iter()
        .map(|e| EventLine {
            stage: e.stage.as_str(),
            label: e.stage.label(),
            at: apps::beijing(e.at),
            reason: e.reason.clone(),
        })
        .collect()
}

// ---- seeker ----

#[derive(Template)]
#[template(path = "my_applications.html")]
struct MinePage {
    chrome: Chrome,
    lines: Vec<Line>,
    pager: Pager,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PageQuery {
    #[serde(deserialize_with = "rencai_app::market::empty_as_none")]
    page: Option<u64>,
}

pub async fn mine(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let list = apps::mine(&state, &user.account, q.page).await?;
    let now = state.now();
    let p = MinePage {
        chrome: Chrome::for_user(&state, Section::MyResumes, &user.account).await,
        lines: list.items.iter().map(|s| Line::new(s, now)).collect(),
        pager: Pager::new(&list, "/me/applications", &[]),
    };
    super::respond_form(StatusCode::OK, &csrf, None, &p)
}

#[derive(Template)]
#[template(path = "my_application.html")]
struct SeekerDetailPage {
    chrome: Chrome,
    csrf: String,
    line: Line,
    events: Vec<EventLine>,
    interviews: Vec<InterviewView>,
    can_withdraw: bool,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

async fn render_seeker_detail(
    state: &AppState,
    csrf: &Csrf,
    user: &rencai_app::auth::sessions::Authenticated,
    id: &str,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let d = apps::seeker_detail(state, &user.account, id).await?;
    let p = SeekerDetailPage {
        chrome: Chrome::for_user(state, Section::MyResumes, &user.account).await,
        csrf: csrf.token.clone(),
        line: Line::new(&d.summary, state.now()),
        events: events(&d),
        can_withdraw: !d.summary.stage.is_final(),
        interviews: d.interviews,
        errors,
        error_title: "未能处理：",
        notice: None,
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn seeker_detail(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    render_seeker_detail(&state, &csrf, &user, &id, Vec::new(), StatusCode::OK).await
}

pub async fn withdraw(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    match apps::withdraw(&state, &user.account, &id, &f.get("note")).await {
        Ok(_) => Ok(see_other(&format!("/me/applications/{id}"))),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            render_seeker_detail(&state, &csrf, &user, &id, errors, status).await
        }
    }
}

pub async fn answer(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path((id, interview)): Path<(String, String)>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    match apps::answer(&state, &user.account, &interview, &f.get("answer"), &f.get("reply")).await {
        Ok(()) => Ok(see_other(&format!("/me/applications/{id}"))),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            render_seeker_detail(&state, &csrf, &user, &id, errors, status).await
        }
    }
}

// ---- recruiter ----

/// An application in the recruiter's list.
pub struct ReceivedLine {
    pub line: Line,
    /// The applicant's name as the policy shows it, and the resume title; None when the seeker
    /// has since cut this organisation off.
    pub candidate: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "company_applications.html")]
struct ReceivedPage {
    chrome: Chrome,
    csrf: String,
    lines: Vec<ReceivedLine>,
    /// Stage code, label, count, selected.
    tabs: Vec<(&'static str, &'static str, u64, bool)>,
    all_count: u64,
    job: String,
    job_title: Option<String>,
    stage: String,
    pager: Pager,
    reasons: &'static [(&'static str, &'static str)],
    notice: Option<String>,
    errors: Vec<String>,
    error_title: &'static str,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReceivedQuery {
    job: Option<String>,
    stage: Option<String>,
    #[serde(deserialize_with = "rencai_app::market::empty_as_none")]
    page: Option<u64>,
    moved: Option<u32>,
    refused: Option<u32>,
}

async fn render_received(
    state: &AppState,
    csrf: &Csrf,
    user: &rencai_app::auth::sessions::Authenticated,
    q: ReceivedQuery,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(state, &user.account).await?;
    let f = ReceivedFilters { job: q.job.clone(), stage: q.stage.clone(), page: q.page };
    let (list, counts) = apps::received(state, &rec, &f).await?;
    let now = state.now();
    let stage = q.stage.clone().unwrap_or_default();
    let job = q.job.clone().unwrap_or_default();
    let job_title = list.items.first().filter(|_| !job.is_empty()).map(|r| r.summary.job_title.clone());
    let notice = match (q.moved, q.refused) {
        (Some(m), Some(r)) if r > 0 => Some(format!("已处理 {m} 份，{r} 份因状态不允许未处理。")),
        (Some(m), _) => Some(format!("已处理 {m} 份投递。")),
        _ => None,
    };
    let p = ReceivedPage {
        chrome: Chrome::for_user(state, Section::Company, &user.account).await,
        csrf: csrf.token.clone(),
        lines: list
            .items
            .iter()
            .map(|r| ReceivedLine {
                line: Line::new(&r.summary, now),
                candidate: r.candidate.as_ref().map(|c| (c.display_name.clone(), c.row.title.clone())),
            })
            .collect(),
        all_count: counts.iter().map(|(_, n)| n).sum(),
        tabs: counts.iter().map(|(s, n)| (s.as_str(), s.label(), *n, s.as_str() == stage)).collect(),
        pager: Pager::new(&list, "/company/applications", &[("job", q.job.clone()), ("stage", q.stage.clone())]),
        job,
        job_title,
        stage,
        reasons: REJECT_REASONS,
        notice,
        errors,
        error_title: "未能处理：",
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn received(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Query(q): Query<ReceivedQuery>,
) -> Result<Response, WebError> {
    render_received(&state, &csrf, &user, q, Vec::new(), StatusCode::OK).await
}

/// Bulk step from the list (shortlist, offer, hire, reject) over the ticked applications.
pub async fn bulk(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(&state, &user.account).await?;
    let ids = f.all("id");
    let reject = RejectInput { reason: f.get("reason"), text: f.get("text") };
    let back_query = ReceivedQuery {
        job: Some(f.get("job")).filter(|s| !s.is_empty()),
        stage: Some(f.get("stage")).filter(|s| !s.is_empty()),
        ..Default::default()
    };
    match apps::step_many(&state, &rec, &ids, &f.get("step"), &reject).await {
        Ok(out) => {
            if ids.len() == 1 && f.get("from") == "detail" {
                return Ok(see_other(&format!("/company/applications/{}", ids[0])));
            }
            let mut to = format!("/company/applications?moved={}&refused={}", out.moved.len(), out.refused.len());
            for (k, v) in [("job", &back_query.job), ("stage", &back_query.stage)] {
                if let Some(v) = v {
                    to.push_str(&format!("&{k}={}", form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()));
                }
            }
            Ok(see_other(&to))
        }
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            if ids.len() == 1 && f.get("from") == "detail" {
                return render_received_detail(&state, &csrf, &user, &ids[0], errors, status).await;
            }
            render_received(&state, &csrf, &user, back_query, errors, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "company_application.html")]
struct ReceivedDetailPage {
    chrome: Chrome,
    csrf: String,
    line: Line,
    events: Vec<EventLine>,
    interviews: Vec<InterviewView>,
    /// Name, phone, e-mail, resume title and id — as the policy shows them.
    candidate: Option<(String, String, Option<String>, String, String)>,
    contact_open: bool,
    steps: Vec<(&'static str, &'static str)>,
    can_invite: bool,
    reasons: &'static [(&'static str, &'static str)],
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
    form: InterviewInput,
}

fn step_label(s: Step) -> &'static str {
    match s {
        Step::Shortlist => "初筛通过",
        Step::Offer => "发录用通知",
        Step::Hire => "标记已入职",
        Step::Reject => "不合适",
        Step::Invite => "邀请面试",
        Step::View | Step::Withdraw => "",
    }
}

async fn render_received_detail(
    state: &AppState,
    csrf: &Csrf,
    user: &rencai_app::auth::sessions::Authenticated,
    id: &str,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(state, &user.account).await?;
    let form = apps::invitation_defaults(state, &rec, id).await?;
    render_received_detail_with(state, csrf, user, id, errors, status, form).await
}

async fn render_received_detail_with(
    state: &AppState,
    csrf: &Csrf,
    user: &rencai_app::auth::sessions::Authenticated,
    id: &str,
    errors: Vec<String>,
    status: StatusCode,
    form: InterviewInput,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(state, &user.account).await?;
    let (d, resume) = apps::open(state, &rec, id).await?;
    let steps = apps::next_steps(d.summary.stage);
    let p = ReceivedDetailPage {
        chrome: Chrome::for_user(state, Section::Company, &user.account).await,
        csrf: csrf.token.clone(),
        line: Line::new(&d.summary, state.now()),
        events: events(&d),
        contact_open: apps::contact_open(&resume),
        candidate: resume.map(|r| (r.display_name, r.phone, r.email, r.row.title.clone(), r.row.public_id.clone())),
        can_invite: steps.contains(&Step::Invite),
        steps: steps.into_iter().filter(|s| *s != Step::Invite).map(|s| (s.as_str(), step_label(s))).collect(),
        interviews: d.interviews,
        reasons: REJECT_REASONS,
        errors,
        error_title: "未能处理：",
        notice: None,
        form,
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn received_detail(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    render_received_detail(&state, &csrf, &user, &id, Vec::new(), StatusCode::OK).await
}

/// Interview invitation, for one application (from its page) or several (from the list).
pub async fn invite(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(&state, &user.account).await?;
    let ids = f.all("id");
    let input = InterviewInput {
        starts_at: f.get("starts_at"),
        minutes: f.get("minutes"),
        mode: f.get("mode"),
        place: f.get("place"),
        contact_name: f.get("contact_name"),
        contact_phone: f.get("contact_phone"),
        note: f.get("note"),
    };
    match apps::invite(&state, &rec, &ids, &input).await {
        Ok(out) if ids.len() == 1 && out.refused.is_empty() => {
            Ok(see_other(&format!("/company/applications/{}", ids[0])))
        }
        Ok(out) => {
            Ok(see_other(&format!("/company/applications?moved={}&refused={}", out.moved.len(), out.refused.len())))
        }
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            match ids.as_slice() {
                [one] => render_received_detail_with(&state, &csrf, &user, one, errors, status, input).await,
                _ => render_received(&state, &csrf, &user, ReceivedQuery::default(), errors, status).await,
            }
        }
    }
}

// ---- notifications ----

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    chrome: Chrome,
    csrf: String,
    items: Vec<(notify::Shown, String)>,
    pager: Pager,
    /// Channel code, label, on.
    channels: Vec<(&'static str, &'static str, bool)>,
    unread: u64,
}

pub async fn notifications(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let page = q.page.unwrap_or(1);
    let (items, total) = notify::center(&state, user.account.id, page).await?;
    let prefs = notify::prefs(state.db().conn(), user.account.id).await?;
    let now = state.now();
    let list = rencai_app::market::Page { total, items, page: page.clamp(1, 10_000), per_page: notify::PER_PAGE };
    let p = NotificationsPage {
        chrome: Chrome::for_user(&state, Section::Notifications, &user.account).await,
        csrf: csrf.token.clone(),
        pager: Pager::new(&list, "/me/notifications", &[]),
        unread: notify::unread(&state, user.account.id).await?,
        items: list
            .items
            .into_iter()
            .map(|n| {
                let when = ago(n.created_at, now);
                (n, when)
            })
            .collect(),
        channels: Channel::ALL.iter().map(|c| (c.as_str(), c.label(), prefs.allows(*c))).collect(),
    };
    super::respond_form(StatusCode::OK, &csrf, None, &p)
}

/// Marks one notice read and follows its link, or marks all read.
pub async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let id = f.get("id");
    if id.is_empty() {
        notify::mark_read(&state, user.account.id, None).await?;
        return Ok(see_other("/me/notifications"));
    }
    notify::mark_read(&state, user.account.id, Some(&id)).await?;
    let link = f.get("link");
    let safe = link.starts_with('/') && !link.starts_with("//") && !link.contains('\\');
    Ok(see_other(if safe { &link } else { "/me/notifications" }))
}

/// Turns a channel on or off (P13).
pub async fn channel(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    notify::set_pref(&state, user.account.id, &f.get("channel"), f.get("enabled") == "1").await?;
    Ok(see_other("/me/notifications#channels"))
}
