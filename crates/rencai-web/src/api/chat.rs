//! Chat for the apps and the chat page's script: a WebSocket for live delivery, and the same
//! operations over plain HTTP (with a long-poll for new messages) where a socket cannot stay
//! open.
//!
//! The socket speaks JSON text frames.
//!
//! * client → server: `{"type":"hello","after":ID}` (replay what came after message ID, then
//!   stream), `{"type":"send","conversation":…,"client_id":…,"kind":…,"text":…,"subject":…,
//!   "accept":…}`, `{"type":"read","conversation":…,"seq":N}`, `{"type":"ping"}`.
//! * server → client: `{"type":"message","message":{…}}`, `{"type":"ack","client_id":…,
//!   "message":{…},"duplicate":bool}`, `{"type":"read","conversation":…,"seq":N,"side":…}`,
//!   `{"type":"error","code":…,"message":…,"client_id":…}`, `{"type":"pong"}`.
//!
//! Messages carry their `id`; a client keeps the largest it has seen and sends it in `hello`
//! after reconnecting, and drops a message whose id it already shows (the replay overlaps the
//! last seconds on purpose, because ids of different conversations can commit out of order).
//! A `send` not acknowledged before a disconnect is sent again with the same `client_id`: the
//! server answers with the stored message (`duplicate: true`) instead of storing it twice.

use std::time::Duration;

use axum::Json;
use axum::extract::ws::{Message as Frame, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rencai_app::AppState;
use rencai_app::auth::sessions::Authenticated;
use rencai_app::chat::{self, Event, Outgoing};
use rencai_app::market::actor;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;
use utoipa::{IntoParams, ToSchema};

use super::Problem;
use super::auth::BearerUser;
use crate::WebError;
use crate::extract::{ApiJson, ValidQuery};

/// How often a socket checks that its session still stands (logout, deactivation, expiry end it).
const SESSION_CHECK: Duration = Duration::from_secs(60);
/// Messages replayed per batch on `hello`.
const REPLAY_BATCH: u64 = 500;

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ClientFrame {
    Hello {
        #[serde(default)]
        after: i64,
    },
    Send {
        conversation: String,
        #[serde(flatten)]
        out: Outgoing,
    },
    Read {
        conversation: String,
        seq: i64,
    },
    Ping,
}

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ServerFrame<'a> {
    Message { message: &'a chat::Message },
    Ack { client_id: &'a str, message: &'a chat::Message, duplicate: bool },
    Read { conversation: String, seq: i64, side: chat::Side },
    Error { code: &'a str, message: String, client_id: Option<&'a str> },
    Pong,
}

/// How a socket's owner proves who they are again later.
pub enum Credential {
    Bearer(String),
    Session(String),
}

impl Credential {
    async fn still_valid(&self, state: &AppState) -> bool {
        match self {
            Credential::Bearer(t) => rencai_app::auth::tokens::authenticate(state, t).await.is_ok(),
            Credential::Session(t) => {
                matches!(
                    rencai_app::auth::sessions::authenticate(state, t, rencai_app::auth::sessions::SessionKind::Web)
                        .await,
                    Ok(Some(_))
                )
            }
        }
    }
}

/// The apps' socket: `GET /api/v1/chat/ws` with the bearer token.
#[utoipa::path(get, path = "/api/v1/chat/ws", tag = "chat", security(("bearer" = [])),
    responses((status = 101, description = "WebSocket; see the module documentation for the frames"),
        (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn socket(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    headers: axum::http::HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, WebError> {
    let token = bearer(&headers).unwrap_or_default();
    start(state, user, Credential::Bearer(token), ws).await
}

fn bearer(h: &axum::http::HeaderMap) -> Option<String> {
    h.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

/// Starts a socket for `user` (the pages' socket calls this after its own checks).
pub async fn start(
    state: AppState,
    user: Authenticated,
    cred: Credential,
    ws: WebSocketUpgrade,
) -> Result<Response, WebError> {
    // Refuse accounts that cannot chat before upgrading, with a proper error.
    chat::unread_total(&state, &user.account).await?;
    if !matches!(user.account.role, rencai_domain::account::Role::Seeker) {
        actor::require_recruiter(&state, &user.account).await?;
    }
    Ok(ws.max_message_size(16 * 1024).on_upgrade(move |s| run(state, user, cred, s)))
}

async fn emit(socket: &mut WebSocket, f: &ServerFrame<'_>) -> bool {
    let text = serde_json::to_string(f).expect("frames serialize");
    socket.send(Frame::Text(text.into())).await.is_ok()
}

async fn run(state: AppState, user: Authenticated, cred: Credential, mut socket: WebSocket) {
    let account = user.account;
    // Subscribe first: anything committed from here on arrives live; the replay covers before.
    let mut events = state.chat_hub().subscribe(account.id);
    let mut stream = Stream::default();
    // Who reads, resolved once (and again at each session check): not per message.
    let Ok(mut reader) = chat::reader(&state, &account).await else { return };
    let mut check = tokio::time::interval(SESSION_CHECK);
    check.tick().await;
    loop {
        let ok = tokio::select! {
            frame = socket.recv() => match frame {
                Some(Ok(Frame::Text(t))) => on_frame(&state, &account, &mut socket, &mut stream, t.as_str()).await,
                Some(Ok(Frame::Close(_))) | None | Some(Err(_)) => false,
                Some(Ok(_)) => true,
            },
            event = events.recv() => on_event(&state, &account, &reader, &mut socket, &mut stream, event).await,
            _ = check.tick() => {
                let valid = cred.still_valid(&state).await;
                match chat::reader(&state, &account).await {
                    Ok(r) if valid => reader = r,
                    _ => {}
                }
                if !valid {
                    let gone = ServerFrame::Error { code: "auth.required", message: "登录已失效，请重新登录。".into(), client_id: None };
                    emit(&mut socket, &gone).await;
                }
                valid
            }
        };
        if !ok {
            break;
        }
    }
    let _ = socket.send(Frame::Close(None)).await;
}

/// What a connection has streamed.
#[derive(Default)]
struct Stream {
    /// The largest message id sent; `None` until `hello` says where the client stands
    /// (nothing is streamed before).
    after: Option<i64>,
    /// Ids sent on this connection: a message replayed from the database and announced live
    /// as well goes out once. Ids are not compared by size, because messages of different
    /// conversations can commit out of id order.
    sent: std::collections::HashSet<i64>,
}

impl Stream {
    /// Whether `id` still has to go out (and records that it now does).
    fn first_time(&mut self, id: i64) -> bool {
        if self.sent.len() > 50_000 {
            // A long-lived connection: forget the oldest half (ids only grow).
            let cut = self.after.unwrap_or(0) - 25_000;
            self.sent.retain(|i| *i > cut);
        }
        self.after = Some(self.after.unwrap_or(0).max(id));
        self.sent.insert(id)
    }
}

/// Tells the client why a request failed.
async fn refuse(socket: &mut WebSocket, e: rencai_app::AppError, client_id: Option<&str>) -> bool {
    let web = WebError::from(e);
    emit(socket, &ServerFrame::Error { code: web.info.code, message: web.info.message.clone(), client_id }).await
}

/// Handles one frame from the client; false ends the connection.
async fn on_frame(
    state: &AppState,
    account: &rencai_store::accounts::AccountRecord,
    socket: &mut WebSocket,
    stream: &mut Stream,
    text: &str,
) -> bool {
    match serde_json::from_str::<ClientFrame>(text) {
        Err(_) => {
            let e = ServerFrame::Error {
                code: "chat.frame", message: "无法识别的消息格式。".into(), client_id: None
            };
            emit(socket, &e).await
        }
        Ok(ClientFrame::Ping) => emit(socket, &ServerFrame::Pong).await,
        Ok(ClientFrame::Hello { after }) => {
            stream.after = Some(after.max(0));
            replay(state, account, socket, stream).await
        }
        Ok(ClientFrame::Send { conversation, out }) => match chat::send(state, account, &conversation, &out).await {
            Ok(ack) => {
                // The acknowledgement carries the message: its live announcement need not follow.
                stream.sent.insert(ack.message.id);
                let f = ServerFrame::Ack { client_id: &out.client_id, message: &ack.message, duplicate: ack.duplicate };
                emit(socket, &f).await
            }
            Err(e) => refuse(socket, e, Some(&out.client_id)).await,
        },
        Ok(ClientFrame::Read { conversation, seq }) => match chat::read(state, account, &conversation, seq).await {
            Ok(()) => true,
            Err(e) => refuse(socket, e, None).await,
        },
    }
}

/// Passes one hub event on to the client; false ends the connection.
async fn on_event(
    state: &AppState,
    account: &rencai_store::accounts::AccountRecord,
    reader: &chat::Reader,
    socket: &mut WebSocket,
    stream: &mut Stream,
    event: Result<Event, RecvError>,
) -> bool {
    if stream.after.is_none() {
        return !matches!(event, Err(RecvError::Closed));
    }
    match event {
        Ok(Event::Message { id, .. }) if !stream.sent.contains(&id) => {
            match chat::message_for(state, reader, id).await {
                Ok(Some(m)) => {
                    stream.first_time(m.id);
                    emit(socket, &ServerFrame::Message { message: &m }).await
                }
                Ok(None) => true,
                Err(e) => {
                    tracing::warn!(error = %e, "chat: live message");
                    true
                }
            }
        }
        Ok(Event::Message { .. }) => true,
        Ok(Event::Read { conversation, seq, seeker_side, .. }) => {
            match chat::conversation_public_id(state, account, conversation).await {
                Ok(Some(public_id)) => {
                    let side = if seeker_side { chat::Side::Seeker } else { chat::Side::Recruiter };
                    emit(socket, &ServerFrame::Read { conversation: public_id, seq, side }).await
                }
                _ => true,
            }
        }
        // Fell behind the hub's buffer: read what was missed from the database.
        Err(RecvError::Lagged(_)) => replay(state, account, socket, stream).await,
        Err(RecvError::Closed) => false,
    }
}

/// Sends everything after the stream's position (and the last seconds' messages, which may
/// have committed late), each id once per connection.
async fn replay(
    state: &AppState,
    account: &rencai_store::accounts::AccountRecord,
    socket: &mut WebSocket,
    stream: &mut Stream,
) -> bool {
    loop {
        let from = stream.after.unwrap_or(0);
        let batch = match chat::since(state, account, from, REPLAY_BATCH).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "chat: replay");
                return true;
            }
        };
        let full = batch.len() as u64 == REPLAY_BATCH;
        for m in &batch {
            if stream.first_time(m.id) && !emit(socket, &ServerFrame::Message { message: m }).await {
                return false;
            }
        }
        if !full || stream.after == Some(from) {
            return true;
        }
    }
}

// ---- plain HTTP ----

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct StartBody {
    /// Seekers: a published job's id (the conversation is with its recruiter).
    pub job: Option<String>,
    /// Recruiters: a resume's id the access rules let them see.
    pub resume: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Started {
    pub id: String,
}

/// Opens (or returns) a conversation.
#[utoipa::path(post, path = "/api/v1/chat/conversations", tag = "chat", request_body = StartBody, security(("bearer" = [])),
    responses((status = 200, body = Started), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn start_conversation(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ApiJson(b): ApiJson<StartBody>,
) -> Result<Response, WebError> {
    let id = match (b.job, b.resume) {
        (Some(job), None) => chat::start_with_job(&state, &user.account, &job).await?,
        (None, Some(resume)) => {
            let rec = actor::require_recruiter(&state, &user.account).await?;
            chat::start_with_resume(&state, &rec, &resume).await?
        }
        _ => {
            return Err(
                rencai_app::AppError::invalid("chat.start", "请指定职位（求职者）或简历（招聘者）之一。").into()
            );
        }
    };
    Ok(Json(Started { id }).into_response())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct ListParams {
    #[serde(deserialize_with = "rencai_app::market::empty_as_none")]
    page: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationsDto {
    pub total: u64,
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<chat::Summary>,
}

/// The account's conversations, newest first (a primary account: its organisation's).
#[utoipa::path(get, path = "/api/v1/chat/conversations", tag = "chat", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = ConversationsDto)))]
pub async fn conversations(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ValidQuery(p): ValidQuery<ListParams>,
) -> Result<Response, WebError> {
    let (items, total) = chat::list(&state, &user.account, p.page.unwrap_or(1)).await?;
    Ok(Json(ConversationsDto { total, items }).into_response())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct HistoryParams {
    /// Messages before this number (older history); the latest without it.
    #[serde(deserialize_with = "rencai_app::market::empty_as_none")]
    before: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationDto {
    #[schema(value_type = Object)]
    pub conversation: chat::Summary,
    /// Oldest first.
    #[schema(value_type = Vec<Object>)]
    pub messages: Vec<chat::Message>,
    #[schema(value_type = Object)]
    pub contact: chat::Contact,
}

/// A conversation with a page of its history.
#[utoipa::path(get, path = "/api/v1/chat/conversations/{id}", tag = "chat", params(("id" = String, Path, description = "Conversation id"), HistoryParams),
    security(("bearer" = [])), responses((status = 200, body = ConversationDto), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn conversation(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
    ValidQuery(p): ValidQuery<HistoryParams>,
) -> Result<Response, WebError> {
    let (conversation, messages, contact) = chat::open(&state, &user.account, &id, p.before).await?;
    Ok(Json(ConversationDto { conversation, messages, contact }).into_response())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
#[allow(dead_code)]
pub struct SendBody {
    pub client_id: String,
    /// `text`, `job`, `resume`, `interview`, `contact_request` or `contact_reply`.
    pub kind: String,
    pub text: String,
    pub subject: String,
    pub accept: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AckDto {
    #[schema(value_type = Object)]
    pub message: chat::Message,
    /// This client id had been sent before: the message as stored then.
    pub duplicate: bool,
}

/// Sends a message (resending a `client_id` returns the stored message).
#[utoipa::path(post, path = "/api/v1/chat/conversations/{id}/messages", tag = "chat", request_body = SendBody,
    params(("id" = String, Path, description = "Conversation id")), security(("bearer" = [])),
    responses((status = 200, body = AckDto), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Blocked (`chat.closed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn send(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
    ApiJson(out): ApiJson<Outgoing>,
) -> Result<Response, WebError> {
    let ack = chat::send(&state, &user.account, &id, &out).await?;
    Ok(Json(AckDto { message: ack.message, duplicate: ack.duplicate }).into_response())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReadBody {
    pub seq: i64,
}

/// Marks the conversation read up to `seq` (the other side sees the receipt).
#[utoipa::path(post, path = "/api/v1/chat/conversations/{id}/read", tag = "chat", request_body = ReadBody,
    params(("id" = String, Path, description = "Conversation id")), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn read(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReadBody>,
) -> Result<Response, WebError> {
    chat::read(&state, &user.account, &id, b.seq).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct BlockBody {
    /// `false` lifts the block.
    pub on: Option<bool>,
}

/// Blocks the other party (or lifts the block).
#[utoipa::path(post, path = "/api/v1/chat/conversations/{id}/block", tag = "chat", request_body = BlockBody,
    params(("id" = String, Path, description = "Conversation id")), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn block(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<BlockBody>,
) -> Result<Response, WebError> {
    chat::block(&state, &user.account, &id, b.on.unwrap_or(true)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReportBody {
    /// `fraud`, `fee`, `harassment`, `privacy` or `other`.
    pub reason: String,
    pub note: String,
}

/// Reports the conversation to staff.
#[utoipa::path(post, path = "/api/v1/chat/conversations/{id}/report", tag = "chat", request_body = ReportBody,
    params(("id" = String, Path, description = "Conversation id")), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn report(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ReportBody>,
) -> Result<Response, WebError> {
    chat::report(&state, &user.account, &id, &b.reason, &b.note).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct EventsParams {
    /// The largest message id the client has.
    after: i64,
    /// Seconds to wait for something new (0–25).
    wait: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventsDto {
    /// Oldest first; may repeat the last seconds' messages (drop ids already shown).
    #[schema(value_type = Vec<Object>)]
    pub messages: Vec<chat::Message>,
}

/// Long-poll fallback: messages after `after`, waiting up to `wait` seconds for one.
#[utoipa::path(get, path = "/api/v1/chat/events", tag = "chat", params(EventsParams), security(("bearer" = [])),
    responses((status = 200, body = EventsDto)))]
pub async fn events(
    State(state): State<AppState>,
    BearerUser(user): BearerUser,
    ValidQuery(p): ValidQuery<EventsParams>,
) -> Result<Response, WebError> {
    let mut rx = state.chat_hub().subscribe(user.account.id);
    let mut messages = chat::since(&state, &user.account, p.after, REPLAY_BATCH).await?;
    if messages.iter().all(|m| m.id <= p.after) && p.wait > 0 {
        let wait = Duration::from_secs(p.wait.min(25));
        let _ = tokio::time::timeout(wait, async {
            while let Ok(e) = rx.recv().await {
                if matches!(e, Event::Message { .. }) {
                    break;
                }
            }
        })
        .await;
        messages = chat::since(&state, &user.account, p.after, REPLAY_BATCH).await?;
    }
    Ok(Json(EventsDto { messages }).into_response())
}
