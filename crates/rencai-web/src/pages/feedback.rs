//! `/feedback` (P18): ask, complain, report — signed in or as a visitor — and the requester's
//! own tickets; `/admin/tickets`, the staff queue with deadlines.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::auth::challenge;
use rencai_app::tickets::{self, OpenInput, Shown};
use rencai_domain::ticket::TicketKind;
use rencai_domain::time::beijing;

use super::auth::CaptchaView;
use super::see_other;
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::session::{Csrf, CurrentStaff, CurrentUser, MaybeUser};

#[derive(Template)]
#[template(path = "feedback.html")]
struct FeedbackPage {
    chrome: Chrome,
    csrf: String,
    kinds: Vec<(&'static str, &'static str)>,
    form: OpenInput,
    subject_label: String,
    signed_in: bool,
    captcha: Option<CaptchaView>,
    mine: Vec<Shown>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Prefill {
    kind: String,
    subject: String,
    title: String,
    sent: String,
}

async fn render(
    state: &AppState,
    csrf: &Csrf,
    user: Option<&rencai_app::auth::sessions::Authenticated>,
    form: OpenInput,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let captcha = match user {
        Some(_) => None,
        None => Some(CaptchaView::issue(state).await?),
    };
    let mine = match user {
        Some(u) => tickets::mine(state, &u.account).await?,
        None => Vec::new(),
    };
    let subject_label = match TicketKind::parse(&form.kind).and_then(TicketKind::subject) {
        Some(_) => format!(
            "{}（编号 {}）",
            TicketKind::parse(&form.kind).map(TicketKind::label).unwrap_or_default(),
            form.subject
        ),
        None => String::new(),
    };
    let chrome = match user {
        Some(u) => Chrome::for_user(state, Section::None, &u.account).await,
        None => Chrome::new(state, Section::None).for_account(None),
    };
    let page = FeedbackPage {
        chrome,
        csrf: csrf.token.clone(),
        kinds: TicketKind::ALL.into_iter().filter(|k| k.from_form()).map(|k| (k.as_str(), k.label())).collect(),
        form,
        subject_label,
        signed_in: user.is_some(),
        captcha,
        mine,
        errors,
        error_title: "未能提交：",
        notice,
    };
    super::respond_form(status, csrf, None, &page)
}

pub async fn form(
    State(state): State<AppState>,
    csrf: Csrf,
    MaybeUser(user): MaybeUser,
    Query(q): Query<Prefill>,
) -> Result<Response, WebError> {
    let notice = (!q.sent.is_empty()).then(|| "已提交，我们会在答复期限前处理。".to_string());
    let form = OpenInput {
        kind: if q.kind.is_empty() { "question".into() } else { q.kind },
        subject: q.subject,
        title: q.title,
        ..Default::default()
    };
    render(&state, &csrf, user.as_ref(), form, Vec::new(), notice, StatusCode::OK).await
}

pub async fn submit(
    State(state): State<AppState>,
    csrf: Csrf,
    MaybeUser(user): MaybeUser,
    Form(f): Form<super::Pairs>,
) -> Result<Response, WebError> {
    let input = OpenInput {
        kind: f.get("kind"),
        subject: f.get("subject"),
        title: f.get("title"),
        body: f.get("body"),
        contact: f.get("contact"),
    };
    let captcha_ok = match user {
        Some(_) => true,
        None => challenge::check(&state, &f.get("captcha_id"), &f.get("captcha_answer")).await?,
    };
    match tickets::open(&state, user.as_ref().map(|u| &u.account), &input, captcha_ok).await {
        Ok(_) => Ok(see_other("/feedback?sent=1")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            render(&state, &csrf, user.as_ref(), input, errors, None, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "feedback_ticket.html")]
struct TicketPage {
    chrome: Chrome,
    csrf: String,
    t: Shown,
    created: String,
    due: String,
    staff: bool,
    back: &'static str,
    back_label: &'static str,
    reply_action: String,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

impl TicketPage {
    fn at(&self, m: &tickets::ShownMessage) -> String {
        beijing(m.at)
    }
}

fn ticket_page(chrome: Chrome, csrf: &Csrf, t: Shown, staff: bool, errors: Vec<String>) -> TicketPage {
    let reply_action = if staff { format!("/admin/tickets/{}/reply", t.id) } else { format!("/me/feedback/{}", t.id) };
    TicketPage {
        chrome,
        csrf: csrf.token.clone(),
        created: beijing(t.created_at),
        due: beijing(t.due_at),
        t,
        staff,
        back: if staff { "/admin/tickets" } else { "/feedback" },
        back_label: if staff { "反馈工单" } else { "意见反馈" },
        reply_action,
        errors,
        error_title: "未能发送：",
        notice: None,
    }
}

pub async fn mine_one(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let t = tickets::mine_one(&state, &user.account, &id).await?;
    let chrome = Chrome::for_user(&state, Section::None, &user.account).await;
    super::respond_form(StatusCode::OK, &csrf, None, &ticket_page(chrome, &csrf, t, false, vec![]))
}

pub async fn reply(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<super::Pairs>,
) -> Result<Response, WebError> {
    match tickets::reply_as_requester(&state, &user.account, &id, &f.get("body")).await {
        Ok(()) => Ok(see_other(&format!("/me/feedback/{id}"))),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            let t = tickets::mine_one(&state, &user.account, &id).await?;
            let chrome = Chrome::for_user(&state, Section::None, &user.account).await;
            super::respond_form(status, &csrf, None, &ticket_page(chrome, &csrf, t, false, errors))
        }
    }
}

// ---- staff --------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin_tickets.html")]
struct QueuePage {
    chrome: Chrome,
    tabs: [(&'static str, &'static str); 4],
    queue: String,
    open: u64,
    overdue: u64,
    items: Vec<Shown>,
}

impl QueuePage {
    fn due(&self, t: &Shown) -> String {
        beijing(t.due_at)
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    queue: String,
}

pub async fn queue(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Query(q): Query<QueueQuery>,
) -> Result<Response, WebError> {
    let (open, overdue) = tickets::counts(&state, &staff.0).await?;
    let queue = if ["open", "overdue", "mine", "closed"].contains(&q.queue.as_str()) { q.queue } else { "open".into() };
    let page = QueuePage {
        chrome: Chrome::new(&state, Section::None),
        tabs: [("open", "待处理"), ("overdue", "已超期"), ("mine", "我处理的"), ("closed", "已关闭")],
        items: tickets::queue(&state, &staff.0, &queue).await?,
        queue,
        open,
        overdue,
    };
    super::render(&page, false)
}

async fn staff_page(
    state: &AppState,
    csrf: &Csrf,
    staff: &CurrentStaff,
    id: &str,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let t = tickets::staff_view(state, &staff.0, id).await?;
    super::respond_form(status, csrf, None, &ticket_page(Chrome::new(state, Section::None), csrf, t, true, errors))
}

pub async fn staff_show(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    staff_page(&state, &csrf, &staff, &id, vec![], StatusCode::OK).await
}

pub async fn staff_assign(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    tickets::assign_to_me(&state, &staff.0, &id).await?;
    Ok(see_other(&format!("/admin/tickets/{id}")))
}

pub async fn staff_reply(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<super::Pairs>,
) -> Result<Response, WebError> {
    match tickets::reply_as_staff(&state, &staff.0, &id, &f.get("body")).await {
        Ok(()) => Ok(see_other(&format!("/admin/tickets/{id}"))),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            staff_page(&state, &csrf, &staff, &id, errors, status).await
        }
    }
}

pub async fn staff_close(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<super::Pairs>,
) -> Result<Response, WebError> {
    match tickets::close(&state, &staff.0, &id, &f.get("outcome")).await {
        Ok(()) => Ok(see_other(&format!("/admin/tickets/{id}"))),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            staff_page(&state, &csrf, &staff, &id, errors, status).await
        }
    }
}
