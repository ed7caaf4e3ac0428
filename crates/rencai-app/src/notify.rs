//! Notifications (M11) and the channel switches that govern them (P13).
//!
//! Every notice lands in the in-app center: that is the basic function and cannot be turned
//! off. The optional channels — SMS now; e-mail and app push are the next providers — are sent
//! only when the account's switch for that channel is on, and always through the delivery
//! queue in the same transaction as the change they announce, so a rolled-back change notifies
//! no one and a crash repeats a send at most once.
//!
//! A notice keeps its kind and parameters (sealed) and is worded when read, so a corrected
//! wording applies to the notices already sent too.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rencai_crypto::Sealed;
use rencai_domain::account::Phone;
use rencai_store::accounts;
use rencai_store::notifications as store;
use rencai_store::{ConnectionTrait, TransactionTrait};

use crate::delivery_worker::{self, QueuedSms};
use crate::providers::sms::SmsTemplate;
use crate::{AppError, AppResult, AppState};

/// An optional channel a person can switch off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Sms,
    Email,
    Push,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Sms, Channel::Email, Channel::Push];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
            Channel::Push => "push",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Sms => "短信",
            Channel::Email => "电子邮件",
            Channel::Push => "App 推送",
        }
    }
}

/// An account's channel switches. A channel is on until switched off: people asked for these
/// notices by applying or posting; P13 is that they can stop them at any time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefs {
    pub sms: bool,
    pub email: bool,
    pub push: bool,
}

impl Prefs {
    pub fn allows(self, c: Channel) -> bool {
        match c {
            Channel::Sms => self.sms,
            Channel::Email => self.email,
            Channel::Push => self.push,
        }
    }
}

pub async fn prefs(conn: &impl ConnectionTrait, account_id: i64) -> AppResult<Prefs> {
    let mut p = Prefs { sms: true, email: true, push: true };
    for (channel, enabled) in store::prefs(conn, account_id).await? {
        match Channel::parse(&channel) {
            Some(Channel::Sms) => p.sms = enabled,
            Some(Channel::Email) => p.email = enabled,
            Some(Channel::Push) => p.push = enabled,
            None => {}
        }
    }
    Ok(p)
}

pub async fn set_pref(state: &AppState, account_id: i64, channel: &str, enabled: bool) -> AppResult<Prefs> {
    let c = Channel::parse(channel).ok_or_else(|| AppError::invalid("notify.unknown_channel", "没有这个通知渠道。"))?;
    let conn = state.db().conn();
    store::set_pref(conn, account_id, c.as_str(), enabled, state.now()).await?;
    prefs(conn, account_id).await
}

/// What happened, with what its wording needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// To the recruiter who owns the job: `job`, `resume`.
    ApplicationReceived,
    /// To the seeker: `job`, `company`, `stage`.
    StageChanged,
    /// To the seeker: `job`, `company`, `time`.
    InterviewInvited,
    /// To the recruiter: `job`, `answer`.
    InterviewAnswered,
    /// To the recruiter: `job`.
    ApplicationWithdrawn,
    /// The first unread message of a burst in a conversation; no parameters (the words stay
    /// in the chat, sealed).
    ChatMessage,
    /// A saved search found new jobs: `name`, `count`, `first` (a title).
    JobAlert,
    /// A new version of the privacy policy or user agreement (P3): `document`, `version`,
    /// `effective`, `action`.
    PolicyUpdated,
    /// Staff answered a feedback ticket (P18): `title`.
    TicketAnswered,
    /// A feedback ticket was closed: `title`, `outcome`.
    TicketClosed,
    /// A security-incident notice (P11): `title`. Sent on every channel whatever the switches:
    /// telling people is a duty, not an optional use.
    Incident,
}

impl Kind {
    pub const ALL: [Kind; 11] = [
        Kind::ApplicationReceived,
        Kind::StageChanged,
        Kind::InterviewInvited,
        Kind::InterviewAnswered,
        Kind::ApplicationWithdrawn,
        Kind::ChatMessage,
        Kind::JobAlert,
        Kind::PolicyUpdated,
        Kind::TicketAnswered,
        Kind::TicketClosed,
        Kind::Incident,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::ApplicationReceived => "application.received",
            Kind::StageChanged => "application.stage",
            Kind::InterviewInvited => "interview.invited",
            Kind::InterviewAnswered => "interview.answered",
            Kind::ApplicationWithdrawn => "application.withdrawn",
            Kind::ChatMessage => "chat.message",
            Kind::JobAlert => "job.alert",
            Kind::PolicyUpdated => "legal.updated",
            Kind::TicketAnswered => "ticket.answered",
            Kind::TicketClosed => "ticket.closed",
            Kind::Incident => "incident",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The SMS a notice of this kind also sends, if the account has SMS on. Only what cannot
    /// wait for the next visit goes by SMS: a text costs the operator money and the reader
    /// attention.
    fn sms(self) -> Option<SmsTemplate> {
        match self {
            Kind::InterviewInvited => Some(SmsTemplate::InterviewInvite),
            Kind::Incident => Some(SmsTemplate::IncidentNotice),
            _ => None,
        }
    }
}

/// One notice to record.
#[derive(Debug, Clone)]
pub struct Notice {
    pub kind: Kind,
    pub params: BTreeMap<String, String>,
    /// Where it leads on the site (a path).
    pub link: String,
}

impl Notice {
    pub fn new(kind: Kind, link: impl Into<String>, params: &[(&str, &str)]) -> Self {
        Notice {
            kind,
            link: link.into(),
            params: params.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect(),
        }
    }
}

/// Sends `notice` to every active account, a batch per transaction (P3's notice of a new
/// version, P11's announcements). Returns how many accounts were told.
pub async fn broadcast(state: &AppState, notice: &Notice) -> AppResult<u64> {
    let mut after = 0;
    let mut told = 0;
    loop {
        let ids = accounts::active_ids_after(state.db().conn(), after, 500).await?;
        let Some(last) = ids.last().copied() else { return Ok(told) };
        let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
        for id in &ids {
            send(state, &txn, *id, notice).await?;
        }
        txn.commit().await.map_err(AppError::internal)?;
        told += ids.len() as u64;
        after = last;
    }
}

/// An e-mail address in a queued delivery.
pub const DELIVERY_EMAIL: rencai_crypto::FieldContext = rencai_crypto::FieldContext("delivery.email");
/// A queued e-mail's (or push's) title and text.
pub const DELIVERY_MAIL_TEXT: rencai_crypto::FieldContext = rencai_crypto::FieldContext("delivery.mail_text");
/// The delivery queue's kind for a notice by e-mail.
pub const EMAIL_JOB: &str = "email.notice";
/// The delivery queue's kind for a notice by app push.
pub const PUSH_JOB: &str = "push.notice";

/// Records `notice` for `account_id` in the caller's transaction and queues its optional
/// channels as the account's switches allow: app push and e-mail for every notice (when a
/// provider is configured, and for e-mail an address is on file), SMS for the kinds that
/// cannot wait.
pub async fn send(state: &AppState, conn: &impl ConnectionTrait, account_id: i64, notice: &Notice) -> AppResult<()> {
    let keys = state.keys().get();
    let now = state.now();
    let sealed = Sealed::seal(&keys, store::PARAMS, &notice.params).into_stored();
    let public_id = store::insert(conn, account_id, notice.kind.as_str(), sealed, &notice.link, now).await?;
    let wants_sms = notice.kind.sms().is_some();
    let wants_mail = state.mailer().is_some();
    let wants_push = state.push().is_some();
    if !wants_sms && !wants_mail && !wants_push {
        return Ok(());
    }
    let switches = prefs(conn, account_id).await?;
    let Some(account) = accounts::find_by_id(conn, account_id).await? else { return Ok(()) };
    let reference = format!("n{}", public_id.replace('-', ""));
    let wording = crate::notice_templates::overrides(state).await?;
    let mandatory = notice.kind == Kind::Incident;
    if wants_push && (mandatory || switches.allows(Channel::Push)) {
        let (title, body) = crate::notice_templates::word(&wording, Some(notice.kind), &notice.params);
        let payload = serde_json::json!({
            "alias": crate::providers::push::alias_of(&keys, &account.public_id),
            "text": Sealed::seal(&keys, DELIVERY_MAIL_TEXT, &(title, body)).into_stored(),
            "link": notice.link,
        });
        queue(state, conn, PUSH_JOB, payload, format!("push-{reference}")).await?;
    }
    if wants_mail
        && (mandatory || switches.allows(Channel::Email))
        && let Some(email) = &account.email
    {
        let to: String = email.open(&keys, accounts::EMAIL).map_err(AppError::internal)?;
        let (title, body) = crate::notice_templates::word(&wording, Some(notice.kind), &notice.params);
        let site = &state.settings().site.name;
        let text = format!(
            "{body}\n\n{}\n\n——{site}\n不想再收到邮件提醒？在“消息”页关闭电子邮件通知即可。",
            link_for(state, &notice.link)
        );
        let payload = serde_json::json!({
            "to": Sealed::seal(&keys, DELIVERY_EMAIL, &to).into_stored(),
            "mail": Sealed::seal(&keys, DELIVERY_MAIL_TEXT, &(format!("{title} - {site}"), text)).into_stored(),
            "ref": reference,
        });
        queue(state, conn, EMAIL_JOB, payload, format!("mail-{reference}")).await?;
    }
    let Some(template) = notice.kind.sms() else { return Ok(()) };
    if !mandatory && !switches.allows(Channel::Sms) {
        return Ok(());
    }
    let digits: String = account.phone.open(&keys, accounts::PHONE).map_err(AppError::internal)?;
    let phone = Phone::parse(&digits).map_err(AppError::internal)?;
    delivery_worker::enqueue_sms(
        state,
        conn,
        QueuedSms {
            phone: &phone,
            template,
            params: notice.params.clone(),
            // One notice, one text: a retried delivery reuses the provider reference.
            client_ref: reference.clone(),
            suppress: false,
        },
    )
    .await?;
    // P21: an incident notice to a minor also goes to the guardian, when one was given.
    if mandatory
        && account.age_group == "minor"
        && let Some(g) = &account.guardian_phone
    {
        let digits: String = g.open(&keys, accounts::GUARDIAN_PHONE).map_err(AppError::internal)?;
        let guardian = Phone::parse(&digits).map_err(AppError::internal)?;
        let q = QueuedSms {
            phone: &guardian,
            template,
            params: notice.params.clone(),
            client_ref: format!("{reference}g"),
            suppress: false,
        };
        delivery_worker::enqueue_sms(state, conn, q).await?;
    }
    Ok(())
}

/// Queues one channel's delivery of a notice, once per notice and channel (`dedupe`).
async fn queue(
    state: &AppState,
    conn: &impl ConnectionTrait,
    kind: &str,
    payload: serde_json::Value,
    dedupe: String,
) -> AppResult<()> {
    let now = state.now();
    let job = rencai_store::delivery::NewDelivery {
        station_id: state.station().id,
        kind: kind.into(),
        payload,
        dedupe_key: Some(dedupe),
        max_attempts: 5,
        run_at: now,
    };
    rencai_store::delivery::enqueue(conn, &job, now).await.map_err(AppError::internal)?;
    Ok(())
}

/// A site path as a full address for an e-mail (the configured public URL, if any).
fn link_for(state: &AppState, path: &str) -> String {
    match state.settings().server.public_url.as_deref() {
        Some(base) => format!("{}{path}", base.trim_end_matches('/')),
        None => path.to_string(),
    }
}

/// A notice as its reader sees it.
#[derive(Debug, Clone)]
pub struct Shown {
    pub public_id: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// Number of notices per page of the center.
pub const PER_PAGE: u64 = 20;

/// A page of the account's notices, newest first, and the total.
pub async fn center(state: &AppState, account_id: i64, page: u64) -> AppResult<(Vec<Shown>, u64)> {
    let conn = state.db().conn();
    let page = page.clamp(1, 10_000);
    let rows = store::list(conn, account_id, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let total = store::count_all(conn, account_id).await?;
    let keys = state.keys().get();
    let wording = crate::notice_templates::overrides(state).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let params: BTreeMap<String, String> =
            Sealed::from_stored(r.params_sealed).open(&keys, store::PARAMS).map_err(AppError::internal)?;
        let (title, body) = crate::notice_templates::word(&wording, Kind::parse(&r.kind), &params);
        out.push(Shown {
            public_id: r.public_id,
            title,
            body,
            link: r.link,
            created_at: r.created_at,
            read: r.read_at.is_some(),
        });
    }
    Ok((out, total))
}

pub async fn unread(state: &AppState, account_id: i64) -> AppResult<u64> {
    Ok(store::unread(state.db().conn(), account_id).await?)
}

/// Marks one notice (or all) read; returns how many changed.
pub async fn mark_read(state: &AppState, account_id: i64, public_id: Option<&str>) -> AppResult<u64> {
    Ok(store::mark_read(state.db().conn(), account_id, public_id, state.now()).await?)
}
