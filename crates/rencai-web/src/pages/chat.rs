//! Chat pages (M10): the list of conversations and one conversation. Everything works with
//! plain forms; `static/chat.js` adds live delivery over the page socket (`/chat/ws`), which
//! authenticates with the session cookie and accepts only this site's pages as its origin.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::chat::{self, Card, Kind, Message, Outgoing, Side, Summary};
use rencai_app::market::actor;

use super::view::ago;
use super::{Pairs, see_other};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::session::{Csrf, CurrentUser, MaybeUser};

#[derive(Template)]
#[template(path = "chat_list.html")]
struct ListPage {
    chrome: Chrome,
    items: Vec<(Summary, String, String)>,
}

/// A one-line preview of a message.
fn preview(m: &Message) -> String {
    match (&m.kind, &m.text, &m.card) {
        (Kind::Text, Some(t), _) => t.chars().take(40).collect(),
        (Kind::Job, _, _) => "[职位]".into(),
        (Kind::Resume, _, _) => "[简历]".into(),
        (Kind::Interview, _, _) => "[面试邀请]".into(),
        (Kind::ContactRequest, _, _) => "[请求交换电话]".into(),
        (Kind::ContactReply, _, _) => {
            if m.accepted == Some(true) {
                "[已同意交换电话]".into()
            } else {
                "[已拒绝交换电话]".into()
            }
        }
        _ => String::new(),
    }
}

pub async fn list(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> Result<Response, WebError> {
    let (items, _) = chat::list(&state, &user.account, 1).await?;
    let now = state.now();
    let p = ListPage {
        chrome: Chrome::for_user(&state, Section::Chat, &user.account).await,
        items: items
            .into_iter()
            .map(|s| {
                let last = s.last.as_ref().map(preview).unwrap_or_default();
                let when = ago(s.updated_at, now);
                (s, last, when)
            })
            .collect(),
    };
    super::render(&p, false)
}

/// A message for the template.
pub struct Line {
    pub id: i64,
    pub seq: i64,
    pub mine: bool,
    pub text: String,
    /// Label and link of a card.
    pub card: Option<(String, String)>,
    pub ask_contact: bool,
    pub at: String,
}

fn line(m: &Message, viewer: Side) -> Line {
    let card = match &m.card {
        Some(Card::Job { id, title, company }) => Some((format!("职位：{title} · {company}"), format!("/jobs/{id}"))),
        Some(Card::Resume { id, title }) => Some((
            format!("简历：{title}"),
            if viewer == Side::Seeker { "/me/resumes".to_string() } else { format!("/resumes/{id}") },
        )),
        Some(Card::Interview { when, place, .. }) => Some((format!("面试邀请：{when} · {place}"), String::new())),
        Some(Card::Gone) => Some(("（内容已不可见）".into(), String::new())),
        None => None,
    };
    let text = match m.kind {
        Kind::ContactRequest => "对方请求与你交换电话".into(),
        Kind::ContactReply if m.accepted == Some(true) => "已同意交换电话".into(),
        Kind::ContactReply => "已拒绝交换电话".into(),
        _ => m.text.clone().unwrap_or_default(),
    };
    Line {
        id: m.id,
        seq: m.seq,
        mine: m.mine,
        text: if m.mine && m.kind == Kind::ContactRequest { "你请求交换电话".into() } else { text },
        card,
        ask_contact: m.kind == Kind::ContactRequest && !m.mine,
        at: rencai_app::market::applications::beijing(m.at),
    }
}

#[derive(Template)]
#[template(path = "chat.html")]
struct ConversationPage {
    chrome: Chrome,
    csrf: String,
    s: Summary,
    lines: Vec<Line>,
    side_recruiter: bool,
    phone: Option<String>,
    last_id: i64,
    last_seq: i64,
    older: Option<i64>,
    reasons: &'static [(&'static str, &'static str)],
    /// What the viewer can send as a card: the seeker's visible resumes, or the recruiter's
    /// organisation's published jobs (id, title).
    cards: Vec<(String, String)>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
    chat_js: &'static str,
}

impl ConversationPage {
    /// A fresh client id for a form: a double submit of the same page stores one message.
    fn client_id(&self) -> String {
        rencai_crypto::random_token(16)
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct HistoryQuery {
    #[serde(deserialize_with = "rencai_app::market::empty_as_none")]
    before: Option<i64>,
    reported: Option<u8>,
}

async fn render_conversation(
    state: &AppState,
    csrf: &Csrf,
    user: &rencai_app::auth::sessions::Authenticated,
    id: &str,
    q: HistoryQuery,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (s, messages, contact) = chat::open(state, &user.account, id, q.before).await?;
    let rec = actor::recruiter(state, &user.account).await?;
    let viewer = if rec.is_some() { Side::Recruiter } else { Side::Seeker };
    let cards: Vec<(String, String)> = match &rec {
        Some(rec) => rencai_app::market::jobs::own_list(state, rec, Some("published"), None)
            .await?
            .items
            .into_iter()
            .map(|j| (j.public_id, j.title))
            .collect(),
        None => rencai_app::market::resumes::list_own(state, &user.account)
            .await?
            .into_iter()
            .filter(|r| r.visibility != "hidden")
            .map(|r| (r.public_id, r.title))
            .collect(),
    };
    // Opening the page shows the latest messages: they count as read.
    if q.before.is_none()
        && let Some(last) = messages.last()
        && !s.read_only
    {
        chat::read(state, &user.account, id, last.seq).await?;
    }
    let p = ConversationPage {
        chrome: Chrome::for_user(state, Section::Chat, &user.account).await,
        csrf: csrf.token.clone(),
        side_recruiter: viewer == Side::Recruiter,
        phone: contact.phone,
        last_id: messages.iter().map(|m| m.id).max().unwrap_or(0),
        last_seq: messages.last().map(|m| m.seq).unwrap_or(0),
        older: messages.first().filter(|m| m.seq > 1).map(|m| m.seq),
        lines: messages.iter().map(|m| line(m, viewer)).collect(),
        s,
        reasons: chat::REPORT_REASONS,
        cards,
        errors,
        error_title: "未能发送：",
        notice: q.reported.map(|_| "举报已提交，工作人员会尽快处理。".to_string()),
        chat_js: crate::assets::chat_js_href(),
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn show(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Query(q): Query<HistoryQuery>,
) -> Result<Response, WebError> {
    render_conversation(&state, &csrf, &user, &id, q, Vec::new(), StatusCode::OK).await
}

/// Starts (or returns to) a conversation from a job page (seekers) or a resume page (recruiters).
pub async fn start(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let id = match actor::recruiter(&state, &user.account).await? {
        Some(rec) => chat::start_with_resume(&state, &rec, &f.get("resume")).await?,
        None => chat::start_with_job(&state, &user.account, &f.get("job")).await?,
    };
    Ok(see_other(&format!("/chat/{id}")))
}

/// A message from the page's form (without the script). The form carries a client id made when
/// the page was drawn, so a double submit stores one message.
pub async fn send(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let accept = match f.get("accept").as_str() {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    };
    let out = Outgoing {
        client_id: f.get("client_id"),
        kind: f.get("kind"),
        text: f.get("text"),
        subject: f.get("subject"),
        accept,
    };
    match chat::send(&state, &user.account, &id, &out).await {
        Ok(_) => Ok(see_other(&format!("/chat/{id}#latest"))),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            render_conversation(&state, &csrf, &user, &id, HistoryQuery::default(), errors, status).await
        }
    }
}

pub async fn block(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    chat::block(&state, &user.account, &id, f.get("on") != "0").await?;
    Ok(see_other(&format!("/chat/{id}")))
}

pub async fn report(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    match chat::report(&state, &user.account, &id, &f.get("reason"), &f.get("note")).await {
        Ok(()) => Ok(see_other(&format!("/chat/{id}?reported=1"))),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            render_conversation(&state, &csrf, &user, &id, HistoryQuery::default(), errors, status).await
        }
    }
}

/// The page socket: the session cookie, and only from this site's own pages (a socket is not
/// covered by the forms' CSRF token, so the Origin header stands in for it).
pub async fn socket(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, WebError> {
    let Some(user) = user else {
        return Err(WebError::new(StatusCode::UNAUTHORIZED, "auth.required", "请先登录。"));
    };
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()).unwrap_or("");
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let same_site = !host.is_empty() && (origin == format!("http://{host}") || origin == format!("https://{host}"));
    if !same_site {
        return Err(WebError::new(StatusCode::FORBIDDEN, "chat.origin", "请从本站页面打开沟通。"));
    }
    let token = crate::session::session_token(&state, &headers).unwrap_or_default();
    crate::api::chat_socket(state, user, crate::api::ChatCredential::Session(token), ws).await
}
