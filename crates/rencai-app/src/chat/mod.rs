//! Chat (M10): one conversation per seeker and recruiter.
//!
//! * Who may talk: a seeker starts from a published job (with the recruiter who owns it); a
//!   recruiter starts from a resume the access policy lets them see. Every send checks again:
//!   a block on either side, or a resume hidden or organisation blocked since, ends it.
//! * What unmasks (P6): a seeker who starts a chat shares their contact with that organisation;
//!   a recruiter's message alone shares nothing; agreeing to a recruiter's request to exchange
//!   contact details does.
//! * Reliability: a client names each message (`client_id`); sending it again after a lost
//!   acknowledgement returns the stored message instead of a second one. Messages carry their
//!   id, and a client that reconnects asks for everything after the last id it saw.
//! * Offline parties get one notice per burst: a message that is the only unread one in its
//!   conversation notifies; the ones that follow it before the reader catches up do not.
//!
//! The primary account of an organisation reads its recruiters' conversations (P17) but sends
//! only in its own.

pub mod hub;

use chrono::{DateTime, Utc};
use rencai_crypto::Sealed;
use rencai_domain::access::ResumeAccess;
use rencai_domain::account::Role;
use rencai_domain::resume::ResumeVisibility;
use rencai_store::TransactionTrait;
use rencai_store::accounts::AccountRecord;
use rencai_store::chat::{self as store, BODY, ConversationRow, MessageRow, Party, REPORT_NOTE};
use rencai_store::market::applications as app_store;
use rencai_store::market::companies as org_store;
use rencai_store::market::jobs as job_store;
use rencai_store::market::resumes as resume_store;
use serde::{Deserialize, Serialize};

pub use hub::{Event, Hub};

use crate::market::actor::{self, Recruiter};
use crate::market::resumes;
use crate::notify::{self, Kind as NoticeKind, Notice};
use crate::{AppError, AppResult, AppState};

/// Longest text message, in characters.
pub const MAX_TEXT: usize = 1000;
/// Messages per history page.
pub const PAGE: u64 = 30;
/// How far back a catch-up re-sends messages the client may already have (see [`since`]).
pub const REPLAY_OVERLAP_SECS: i64 = 10;

fn not_found() -> AppError {
    AppError::NotFound { code: "chat.not_found", what: "该会话" }
}

/// Which side of a conversation an account is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Seeker,
    Recruiter,
}

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    /// A job card (recruiters send their organisation's jobs).
    Job,
    /// A resume card (seekers send their own resumes).
    Resume,
    /// An interview invitation card (recruiters, for the seeker's application).
    Interview,
    /// The recruiter asks to exchange phone numbers (交换电话).
    ContactRequest,
    /// The seeker's answer to it.
    ContactReply,
}

impl Kind {
    const ALL: [Kind; 6] =
        [Kind::Text, Kind::Job, Kind::Resume, Kind::Interview, Kind::ContactRequest, Kind::ContactReply];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Job => "job",
            Kind::Resume => "resume",
            Kind::Interview => "interview",
            Kind::ContactRequest => "contact_request",
            Kind::ContactReply => "contact_reply",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A message as sealed: the text or the id of what a card shows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Body {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    accepted: Option<bool>,
}

/// A message to send.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Outgoing {
    /// The sender's id for this message (1–64 letters, digits, `-` or `_`).
    pub client_id: String,
    /// `text` unless given.
    pub kind: String,
    pub text: String,
    /// For a card: the job's, resume's or interview's public id.
    pub subject: String,
    /// For `contact_reply`.
    pub accept: Option<bool>,
}

/// A card a message shows, read when the message is read.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Card {
    Job {
        id: String,
        title: String,
        company: String,
    },
    Resume {
        id: String,
        title: String,
    },
    Interview {
        id: String,
        when: String,
        mode: String,
        place: String,
    },
    /// What a card pointed to is gone or no longer visible to the reader.
    Gone,
}

/// A message as its reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: i64,
    pub conversation: String,
    pub seq: i64,
    pub mine: bool,
    pub from: Side,
    pub kind: Kind,
    pub text: Option<String>,
    pub card: Option<Card>,
    pub accepted: Option<bool>,
    pub client_id: String,
    pub at: DateTime<Utc>,
}

/// Who is reading or writing.
struct Me {
    account: AccountRecord,
    rec: Option<Recruiter>,
}

impl Me {
    async fn of(state: &AppState, account: &AccountRecord) -> AppResult<Me> {
        let rec = match account.role {
            Role::Seeker => None,
            Role::Company | Role::Agency => Some(actor::require_recruiter(state, account).await?),
            _ => {
                return Err(AppError::Forbidden {
                    code: "chat.wrong_role",
                    message: "只有求职者和招聘者可以使用沟通。".into(),
                });
            }
        };
        Ok(Me { account: account.clone(), rec })
    }

    /// Which side of `c` this account is on, and whether it may write there; `None` when the
    /// conversation is not its to see.
    fn side_in(&self, c: &ConversationRow) -> Option<(Side, bool)> {
        if c.seeker_id == self.account.id {
            return Some((Side::Seeker, true));
        }
        let rec = self.rec.as_ref()?;
        if c.recruiter_id == rec.account_id {
            Some((Side::Recruiter, true))
        } else if rec.primary && c.org_id == rec.org.id {
            Some((Side::Recruiter, false))
        } else {
            None
        }
    }
}

async fn conversation(state: &AppState, me: &Me, public_id: &str) -> AppResult<(ConversationRow, Side, bool)> {
    let c = store::find(state.db().conn(), public_id).await?.ok_or_else(not_found)?;
    let (side, writes) = me.side_in(&c).ok_or_else(not_found)?;
    Ok((c, side, writes))
}

/// A seeker opens (or returns to) the conversation with the recruiter who owns a published job.
pub async fn start_with_job(state: &AppState, seeker: &AccountRecord, job_public_id: &str) -> AppResult<String> {
    actor::require_seeker(seeker)?;
    let conn = state.db().conn();
    let job = job_store::find_public(conn, job_public_id)
        .await?
        .filter(|j| j.status == "published")
        .ok_or(AppError::NotFound { code: "job.not_found", what: "该职位" })?;
    let blocked = resume_store::blocked_ids(conn, &[seeker.id]).await?.remove(&seeker.id).unwrap_or_default();
    if blocked.contains(&job.poster_id()) || blocked.contains(&job.employer_id) {
        return Err(AppError::invalid("chat.blocked_company", "你已屏蔽该单位，如需沟通请先解除屏蔽。"));
    }
    let (c, _) = store::open(
        conn,
        state.station().id,
        seeker.id,
        job.owner_account_id,
        job.poster_id(),
        Some(job.id),
        "seeker",
        state.now(),
    )
    .await?;
    Ok(c.public_id)
}

/// A recruiter opens (or returns to) the conversation with the seeker of a resume the policy
/// lets them see.
pub async fn start_with_resume(state: &AppState, rec: &Recruiter, resume_public_id: &str) -> AppResult<String> {
    let seen = resumes::peek(state, rec, resume_public_id).await?;
    let (c, _) = store::open(
        state.db().conn(),
        state.station().id,
        seen.row.seeker_id,
        rec.account_id,
        rec.org.id,
        None,
        "recruiter",
        state.now(),
    )
    .await?;
    Ok(c.public_id)
}

/// Why a conversation takes no more messages from this side, if it does not.
async fn closed_reason(state: &AppState, me: &Me, c: &ConversationRow, side: Side) -> AppResult<Option<&'static str>> {
    let mine = match side {
        Side::Seeker => c.seeker_blocked_at,
        Side::Recruiter => c.recruiter_blocked_at,
    };
    if mine.is_some() {
        return Ok(Some("你已屏蔽对方，解除屏蔽后才能发送消息。"));
    }
    let theirs = match side {
        Side::Seeker => c.recruiter_blocked_at,
        Side::Recruiter => c.seeker_blocked_at,
    };
    if theirs.is_some() {
        return Ok(Some("对方已不再接收你的消息。"));
    }
    if side == Side::Recruiter {
        // A block of the organisation ends every conversation with it. A conversation the
        // recruiter began also ends when the access policy no longer shows the recruiter any of
        // the seeker's resumes: it rested on one. One the seeker began stays open to replies.
        let conn = state.db().conn();
        let blocked = resume_store::blocked_ids(conn, &[c.seeker_id]).await?.remove(&c.seeker_id).unwrap_or_default();
        if blocked.contains(&c.org_id) {
            return Ok(Some("对方已不再接收你的消息。"));
        }
        if c.started_by == "recruiter" && seeker_as_seen(state, me, c).await?.is_empty() {
            return Ok(Some("对方已不再接收你的消息。"));
        }
    }
    Ok(None)
}

/// The answer to a send: the message as stored, and whether it had been stored before.
#[derive(Debug, Clone, Serialize)]
pub struct Ack {
    pub message: Message,
    pub duplicate: bool,
}

fn valid_client_id(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Sends a message.
pub async fn send(state: &AppState, account: &AccountRecord, conversation_id: &str, out: &Outgoing) -> AppResult<Ack> {
    let me = Me::of(state, account).await?;
    let (c, side, writes) = conversation(state, &me, conversation_id).await?;
    if !writes {
        return Err(AppError::Forbidden {
            code: "chat.read_only",
            message: "这是同事的会话，你可以查看，但不能代为发送。".into(),
        });
    }
    if !valid_client_id(&out.client_id) {
        return Err(AppError::invalid_field("chat.client_id", "client_id", "消息编号不正确。"));
    }
    let conn = state.db().conn();
    // A resend of a stored message is answered before anything else: it must succeed even if
    // the conversation closed in the meantime.
    if let Some(m) = store::by_client_id(conn, c.id, account.id, &out.client_id).await? {
        return Ok(Ack { message: present(state, &me, &c, m).await?, duplicate: true });
    }
    if let Some(why) = closed_reason(state, &me, &c, side).await? {
        return Err(AppError::Conflict { code: "chat.closed", message: why.into(), field: "conversation" });
    }
    let kind = if out.kind.trim().is_empty() { Some(Kind::Text) } else { Kind::parse(out.kind.trim()) }
        .ok_or_else(|| AppError::invalid("chat.kind", "不支持这种消息。"))?;
    let body = body_for(state, &me, &c, side, kind, out).await?;
    let keys = state.keys().get();
    let sealed = Sealed::seal(&keys, BODY, &body).into_stored();
    let now = state.now();
    let txn = conn.begin().await.map_err(AppError::internal)?;
    let m = match store::append(&txn, c.id, account.id, kind.as_str(), sealed, &out.client_id, now).await {
        Ok(m) => m,
        // The same client id raced in from another connection: the other one stored it.
        Err(rencai_store::StoreError::Conflict { .. }) => {
            drop(txn);
            let m = store::by_client_id(conn, c.id, account.id, &out.client_id).await?.ok_or_else(not_found)?;
            return Ok(Ack { message: present(state, &me, &c, m).await?, duplicate: true });
        }
        Err(e) => return Err(e.into()),
    };
    let pending = {
        // P6: a seeker who starts a chat shares their contact with the organisation; replying
        // to a recruiter's first message does not.
        if side == Side::Seeker && c.started_by == "seeker" {
            store::share_contact(&txn, c.seeker_id, c.org_id, "chat_started", now).await?;
        }
        // Sending a resume is the seeker's choice to show it to this organisation.
        if kind == Kind::Resume {
            store::share_contact(&txn, c.seeker_id, c.org_id, "chat_resume", now).await?;
        }
        if kind == Kind::ContactReply && body.accepted == Some(true) {
            store::exchange_contact(&txn, &c, now).await?;
        }
        let (recipient, read_seq) = match side {
            Side::Seeker => (c.recruiter_id, c.recruiter_read_seq),
            Side::Recruiter => (c.seeker_id, c.seeker_read_seq),
        };
        if store::unread_in(&txn, c.id, recipient, read_seq).await? == 1 {
            let link = format!("/chat/{}", c.public_id);
            notify::send(state, &txn, recipient, &Notice::new(NoticeKind::ChatMessage, link, &[])).await?;
        }
        hub::announce(&txn, Event::Message { id: m.id, to: [c.seeker_id, c.recruiter_id] }).await?
    };
    txn.commit().await.map_err(AppError::internal)?;
    hub::after_commit(state, pending);
    Ok(Ack { message: present(state, &me, &c, m).await?, duplicate: false })
}

/// Checks what a message of `kind` carries and seals it.
async fn body_for(
    state: &AppState,
    me: &Me,
    c: &ConversationRow,
    side: Side,
    kind: Kind,
    out: &Outgoing,
) -> AppResult<Body> {
    let wrong = |who: &str| AppError::Forbidden {
        code: "chat.kind_not_yours",
        message: format!("只有{who}可以发送这种消息。"),
    };
    let conn = state.db().conn();
    let subject = out.subject.trim().to_string();
    match kind {
        Kind::Text => {
            let mut issues = rencai_domain::validate::Issues::default();
            let text = issues.text("text", "消息", &out.text, MAX_TEXT);
            issues.finish(()).map_err(|i| crate::market::invalid("chat.text", "消息填写有误。", i))?;
            Ok(Body { text: Some(text), ..Default::default() })
        }
        Kind::Job => {
            let rec = me.rec.as_ref().filter(|_| side == Side::Recruiter).ok_or_else(|| wrong("招聘者"))?;
            job_store::find_public(conn, &subject)
                .await?
                .filter(|j| j.status == "published" && j.poster_id() == rec.org.id)
                .ok_or(AppError::NotFound { code: "job.not_found", what: "该职位" })?;
            Ok(Body { subject: Some(subject), ..Default::default() })
        }
        Kind::Resume => {
            if side != Side::Seeker {
                return Err(wrong("求职者"));
            }
            let r = resumes::own(state, &me.account, &subject).await?;
            if resumes::visibility_of(&r) == ResumeVisibility::Hidden {
                return Err(AppError::invalid("resume.hidden", "这份简历已隐藏，请先公开后再发送。"));
            }
            Ok(Body { subject: Some(subject), ..Default::default() })
        }
        Kind::Interview => {
            let rec = me.rec.as_ref().filter(|_| side == Side::Recruiter).ok_or_else(|| wrong("招聘者"))?;
            let i = app_store::find_interview(conn, &subject).await?.ok_or_else(not_found)?;
            let a = app_store::find_by_id(conn, i.application_id).await?.ok_or_else(not_found)?;
            if a.seeker_id != c.seeker_id || a.poster_id() != rec.org.id {
                return Err(AppError::NotFound { code: "interview.not_found", what: "该面试邀请" });
            }
            Ok(Body { subject: Some(subject), ..Default::default() })
        }
        Kind::ContactRequest => {
            if side != Side::Recruiter {
                return Err(wrong("招聘者"));
            }
            if c.contact_exchanged_at.is_some() {
                return Err(AppError::Conflict {
                    code: "chat.contact_exchanged",
                    message: "你们已经交换过联系方式。".into(),
                    field: "kind",
                });
            }
            Ok(Body::default())
        }
        Kind::ContactReply => {
            if side != Side::Seeker {
                return Err(wrong("求职者"));
            }
            let accepted =
                out.accept.ok_or_else(|| AppError::invalid_field("chat.accept", "accept", "请选择同意或拒绝。"))?;
            Ok(Body { accepted: Some(accepted), ..Default::default() })
        }
    }
}

/// A stored message as `me` reads it in `c`; cards are looked up now, through the same rules
/// as their pages (a resume card through the access policy).
async fn present(state: &AppState, me: &Me, c: &ConversationRow, m: MessageRow) -> AppResult<Message> {
    let keys = state.keys().get();
    let body: Body = Sealed::from_stored(m.body_sealed.clone()).open(&keys, BODY).map_err(AppError::internal)?;
    let kind = Kind::parse(&m.kind).unwrap_or(Kind::Text);
    let conn = state.db().conn();
    let subject = body.subject.as_deref().unwrap_or("");
    let card = match kind {
        Kind::Job => Some(match job_store::find_public(conn, subject).await? {
            Some(j) if j.status == "published" => {
                Card::Job { id: j.public_id.clone(), title: j.title.clone(), company: j.employer_name.clone() }
            }
            _ => Card::Gone,
        }),
        Kind::Resume => Some(match &me.rec {
            Some(rec) => match resumes::peek(state, rec, subject).await {
                Ok(r) => Card::Resume { id: r.row.public_id.clone(), title: r.row.title.clone() },
                Err(AppError::NotFound { .. } | AppError::Forbidden { .. }) => Card::Gone,
                Err(e) => return Err(e),
            },
            None => match resume_store::find_public(conn, subject).await? {
                Some(r) if r.seeker_id == me.account.id => Card::Resume { id: r.public_id, title: r.title },
                _ => Card::Gone,
            },
        }),
        Kind::Interview => Some(match app_store::find_interview(conn, subject).await? {
            Some(i) => {
                let details: rencai_domain::application::InterviewDetails = Sealed::from_stored(i.details_sealed)
                    .open(&keys, app_store::INTERVIEW_DETAILS)
                    .map_err(AppError::internal)?;
                Card::Interview {
                    id: i.public_id,
                    when: crate::market::applications::beijing(i.starts_at),
                    mode: i.mode,
                    place: details.place,
                }
            }
            None => Card::Gone,
        }),
        _ => None,
    };
    let from = if m.sender_id == c.seeker_id { Side::Seeker } else { Side::Recruiter };
    Ok(Message {
        id: m.id,
        conversation: c.public_id.clone(),
        seq: m.seq,
        mine: m.sender_id == me.account.id,
        from,
        kind,
        text: body.text,
        card,
        accepted: body.accepted,
        client_id: m.client_id,
        at: m.created_at,
    })
}

/// One conversation as its list shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: String,
    /// The other party: the seeker as the access policy shows them to the recruiter, or the
    /// organisation to the seeker.
    pub with: String,
    pub job_title: Option<String>,
    pub unread: u64,
    pub last: Option<Message>,
    pub blocked_by_me: bool,
    pub blocked_by_them: bool,
    pub contact_exchanged: bool,
    /// Read-only: a colleague's conversation the primary account looks at.
    pub read_only: bool,
    pub updated_at: DateTime<Utc>,
}

/// The seeker's resumes of `c` as the access policy shows them to the recruiter `me` (denied
/// ones left out; nothing for a seeker).
async fn seeker_as_seen(state: &AppState, me: &Me, c: &ConversationRow) -> AppResult<Vec<resumes::RecruiterResume>> {
    let Some(rec) = &me.rec else { return Ok(Vec::new()) };
    let ids: Vec<i64> = resume_store::of_seeker(state.db().conn(), c.seeker_id).await?.iter().map(|r| r.id).collect();
    resumes::cards(state, rec, &ids).await
}

/// The name a recruiter sees for the seeker of `c`: from the seeker's resumes the policy lets
/// them see (masked or not), or a neutral word; "已注销用户" once the seeker deactivated (P14).
async fn seeker_label(state: &AppState, me: &Me, c: &ConversationRow) -> AppResult<String> {
    let seeker = rencai_store::accounts::find_by_id(state.db().conn(), c.seeker_id).await?;
    if seeker.is_none_or(|a| a.status != rencai_store::accounts::ACTIVE) {
        return Ok(DEACTIVATED_PARTY.into());
    }
    Ok(seeker_as_seen(state, me, c)
        .await?
        .iter()
        .max_by_key(|r| r.access == ResumeAccess::Full)
        .map(|r| r.display_name.clone())
        .unwrap_or_else(|| "求职者".into()))
}

/// How a party that deactivated its account appears in conversations.
pub const DEACTIVATED_PARTY: &str = "已注销用户";

async fn summary(state: &AppState, me: &Me, c: ConversationRow) -> AppResult<Summary> {
    let conn = state.db().conn();
    let (side, writes) = me.side_in(&c).ok_or_else(not_found)?;
    let with = match side {
        Side::Recruiter => seeker_label(state, me, &c).await?,
        Side::Seeker => org_store::find(conn, c.org_id).await?.map(|o| o.name).unwrap_or_default(),
    };
    let job_title = match c.job_id {
        Some(id) => job_store::find(conn, id).await?.map(|j| j.title),
        None => None,
    };
    let (reader, read_seq) = match side {
        Side::Seeker => (c.seeker_id, c.seeker_read_seq),
        Side::Recruiter => (c.recruiter_id, c.recruiter_read_seq),
    };
    let unread = if writes { store::unread_in(conn, c.id, reader, read_seq).await? } else { 0 };
    let last = match store::history(conn, c.id, None, 1).await?.pop() {
        Some(m) => Some(present(state, me, &c, m).await?),
        None => None,
    };
    let (mine, theirs) = match side {
        Side::Seeker => (c.seeker_blocked_at, c.recruiter_blocked_at),
        Side::Recruiter => (c.recruiter_blocked_at, c.seeker_blocked_at),
    };
    Ok(Summary {
        id: c.public_id.clone(),
        with,
        job_title,
        unread,
        last,
        blocked_by_me: mine.is_some(),
        blocked_by_them: theirs.is_some(),
        contact_exchanged: c.contact_exchanged_at.is_some(),
        read_only: !writes,
        updated_at: c.updated_at,
    })
}

/// The account's conversations (a primary account: its organisation's), newest first.
pub async fn list(state: &AppState, account: &AccountRecord, page: u64) -> AppResult<(Vec<Summary>, u64)> {
    let me = Me::of(state, account).await?;
    let party = match &me.rec {
        None => Party::Seeker(account.id),
        Some(rec) if rec.primary => Party::Org(rec.org.id),
        Some(rec) => Party::Recruiter(rec.account_id),
    };
    let conn = state.db().conn();
    let page = page.clamp(1, 10_000);
    let rows = store::list(conn, party, 20, (page - 1) * 20).await?;
    let total = store::count_for(conn, party).await?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        out.push(summary(state, &me, c).await?);
    }
    Ok((out, total))
}

/// A conversation with a page of its history (before `before_seq`, or the latest), oldest
/// first. Reading does not mark anything read: the client says what it showed.
pub async fn open(
    state: &AppState,
    account: &AccountRecord,
    conversation_id: &str,
    before_seq: Option<i64>,
) -> AppResult<(Summary, Vec<Message>, Contact)> {
    let me = Me::of(state, account).await?;
    let (c, side, _) = conversation(state, &me, conversation_id).await?;
    let mut messages = Vec::new();
    for m in store::history(state.db().conn(), c.id, before_seq, PAGE).await? {
        messages.push(present(state, &me, &c, m).await?);
    }
    let contact = contact(state, &me, &c, side).await?;
    Ok((summary(state, &me, c).await?, messages, contact))
}

/// The other party's phone, once the seeker agreed to exchange contact details.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Contact {
    pub phone: Option<String>,
}

async fn contact(state: &AppState, me: &Me, c: &ConversationRow, side: Side) -> AppResult<Contact> {
    if c.contact_exchanged_at.is_none() {
        return Ok(Contact::default());
    }
    let other = match side {
        Side::Seeker => c.recruiter_id,
        Side::Recruiter => c.seeker_id,
    };
    // The recruiter gets the seeker's number only while the access policy shows one of their
    // resumes in full (the exchange is a contact share it counts; a block since closes it).
    if side == Side::Recruiter && !seeker_as_seen(state, me, c).await?.iter().any(|r| r.access == ResumeAccess::Full) {
        return Ok(Contact::default());
    }
    let Some(acc) = rencai_store::accounts::find_by_id(state.db().conn(), other).await? else {
        return Ok(Contact::default());
    };
    let phone: String =
        acc.phone.open(&state.keys().get(), rencai_store::accounts::PHONE).map_err(AppError::internal)?;
    Ok(Contact { phone: Some(phone) })
}

/// Messages after `after_id` in all the account's conversations, oldest first: what a
/// reconnecting client missed. At most `limit`; ask again from the last id for more.
pub async fn since(state: &AppState, account: &AccountRecord, after_id: i64, limit: u64) -> AppResult<Vec<Message>> {
    let me = Me::of(state, account).await?;
    let conn = state.db().conn();
    let mut out = Vec::new();
    let mut conversations: std::collections::HashMap<i64, ConversationRow> = std::collections::HashMap::new();
    // Ids of different conversations can commit out of order: the last seconds are replayed
    // too, and the client drops ids it already has.
    let recent = state.now() - chrono::Duration::seconds(REPLAY_OVERLAP_SECS);
    for m in store::since(conn, account.id, after_id, recent, limit).await? {
        if !conversations.contains_key(&m.conversation_id) {
            let Some(c) = store::find_by_id(conn, m.conversation_id).await? else { continue };
            conversations.insert(c.id, c);
        }
        let c = &conversations[&m.conversation_id];
        out.push(present(state, &me, c, m).await?);
    }
    Ok(out)
}

/// The public id of conversation `id` if the account is a party to it (for read receipts).
pub async fn conversation_public_id(state: &AppState, account: &AccountRecord, id: i64) -> AppResult<Option<String>> {
    Ok(store::find_by_id(state.db().conn(), id)
        .await?
        .filter(|c| c.seeker_id == account.id || c.recruiter_id == account.id)
        .map(|c| c.public_id))
}

/// Who reads a live connection's messages, resolved once for the connection (and again when
/// its session is re-checked) instead of for every message.
pub struct Reader(Me);

pub async fn reader(state: &AppState, account: &AccountRecord) -> AppResult<Reader> {
    Ok(Reader(Me::of(state, account).await?))
}

/// One message by id, if the reader is a party to its conversation (for live delivery).
pub async fn message_for(state: &AppState, reader: &Reader, id: i64) -> AppResult<Option<Message>> {
    let me = &reader.0;
    let conn = state.db().conn();
    let Some(m) = store::message(conn, id).await? else { return Ok(None) };
    let Some(c) = store::find_by_id(conn, m.conversation_id).await? else { return Ok(None) };
    if c.seeker_id != me.account.id && c.recruiter_id != me.account.id {
        return Ok(None);
    }
    Ok(Some(present(state, me, &c, m).await?))
}

/// Marks the conversation read up to `seq`; the other side is told (read receipt).
pub async fn read(state: &AppState, account: &AccountRecord, conversation_id: &str, seq: i64) -> AppResult<()> {
    let me = Me::of(state, account).await?;
    let (c, side, writes) = conversation(state, &me, conversation_id).await?;
    if !writes {
        return Ok(());
    }
    let seeker_side = side == Side::Seeker;
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    let mut pending = None;
    if store::mark_read(&txn, c.id, seeker_side, seq).await? {
        pending = hub::announce(
            &txn,
            Event::Read { conversation: c.id, seq, seeker_side, to: [c.seeker_id, c.recruiter_id] },
        )
        .await?;
    }
    txn.commit().await.map_err(AppError::internal)?;
    hub::after_commit(state, pending);
    Ok(())
}

/// Blocks (or unblocks) the other party in this conversation.
pub async fn block(state: &AppState, account: &AccountRecord, conversation_id: &str, on: bool) -> AppResult<()> {
    let me = Me::of(state, account).await?;
    let (c, side, writes) = conversation(state, &me, conversation_id).await?;
    if !writes {
        return Err(AppError::Forbidden {
            code: "chat.read_only", message: "这是同事的会话，你不能代为屏蔽。".into()
        });
    }
    store::set_block(state.db().conn(), c.id, side == Side::Seeker, on.then(|| state.now())).await?;
    Ok(())
}

/// Reasons a conversation can be reported for.
pub const REPORT_REASONS: &[(&str, &str)] = &[
    ("fraud", "虚假招聘或诈骗"),
    ("fee", "索要费用"),
    ("harassment", "骚扰、辱骂"),
    ("privacy", "泄露或索要隐私"),
    ("other", "其他"),
];

/// Reports the conversation to staff; they read it up to this moment.
pub async fn report(
    state: &AppState,
    account: &AccountRecord,
    conversation_id: &str,
    reason: &str,
    note: &str,
) -> AppResult<()> {
    let me = Me::of(state, account).await?;
    let (c, _, _) = conversation(state, &me, conversation_id).await?;
    if !REPORT_REASONS.iter().any(|(code, _)| *code == reason) {
        return Err(AppError::invalid_field("chat.reason", "reason", "请选择举报原因。"));
    }
    let mut issues = rencai_domain::validate::Issues::default();
    let note = issues.optional_text("note", "补充说明", note, 500);
    issues.finish(()).map_err(|i| crate::market::invalid("chat.note", "补充说明有误。", i))?;
    let keys = state.keys().get();
    let sealed = note.as_ref().map(|n| Sealed::seal(&keys, REPORT_NOTE, n).into_stored());
    let label = REPORT_REASONS.iter().find(|(code, _)| *code == reason).map_or("其他", |(_, l)| *l);
    // The report is also a ticket in the staff queue (P18), with a deadline.
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    store::report(&txn, &c, account.id, reason, sealed, state.now()).await?;
    crate::tickets::open_for_chat_report(state, &txn, account, &c.public_id, label, note.as_deref()).await?;
    txn.commit().await.map_err(AppError::internal)?;
    Ok(())
}

/// Unread messages across the account's own conversations (for the badge).
pub async fn unread_total(state: &AppState, account: &AccountRecord) -> AppResult<u64> {
    Ok(rencai_store::chat::unread_total(state.db().conn(), account.id).await?)
}
