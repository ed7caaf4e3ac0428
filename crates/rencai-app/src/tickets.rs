//! Feedback tickets (P18, M13): people and visitors ask, complain and report; staff with
//! `HandleTickets` answer against a deadline, and closing a report as upheld takes the item
//! down — a job closes, an organisation's jobs close and its verification is withdrawn, a
//! user's account is suspended, a conversation is blocked.

use rencai_crypto::Sealed;
use rencai_domain::staff::Permission;
use rencai_domain::ticket::{self, Author, Outcome, SubjectKind, TicketKind, TicketStatus};
use rencai_store::accounts::AccountRecord;
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::tickets::{self as store, BODY, CONTACT, NewTicket, Queue, TicketRow};
use rencai_store::{ConnectionTrait, TransactionTrait};

use crate::auth::staff::StaffUser;
use crate::{AppError, AppResult, AppState};

/// What a person fills in.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct OpenInput {
    pub kind: String,
    /// For a report: the public id of the job, organisation, or resume (a user) reported.
    pub subject: String,
    pub title: String,
    pub body: String,
    /// A visitor's phone number or e-mail address for the answer.
    pub contact: String,
}

/// One message as shown.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShownMessage {
    pub from_staff: bool,
    pub body: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A ticket as its requester or staff see it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Shown {
    pub id: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub subject: Option<(String, String)>,
    pub title: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub outcome: Option<&'static str>,
    pub due_at: chrono::DateTime<chrono::Utc>,
    pub overdue: bool,
    pub assigned: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub messages: Vec<ShownMessage>,
    /// Staff only: the visitor's contact, opened (audited).
    pub contact: Option<String>,
}

fn not_found() -> AppError {
    AppError::NotFound { code: "ticket.not_found", what: "该工单" }
}

/// Opens a ticket. Visitors leave a contact and pass the CAPTCHA (`captcha_ok`).
pub async fn open(
    state: &AppState,
    requester: Option<&AccountRecord>,
    input: &OpenInput,
    captcha_ok: bool,
) -> AppResult<String> {
    let Some(kind) = TicketKind::parse(&input.kind).filter(|k| k.from_form()) else {
        return Err(AppError::invalid_field("ticket.kind", "kind", "请选择反馈类型。"));
    };
    if requester.is_none() && !captcha_ok {
        return Err(AppError::invalid_field("captcha.wrong", "captcha_answer", "图形验证码不正确，请重新输入。"));
    }
    let mut issues = rencai_domain::validate::Issues::default();
    let title = issues.text("title", "标题", &input.title, 60);
    let body = issues.text("body", "详细描述", &input.body, 2000);
    let contact = requester.is_none().then(|| issues.text("contact", "联系方式", &input.contact, 60));
    issues.finish(()).map_err(|i| crate::market::invalid("ticket.invalid", "请检查填写的内容。", i))?;
    let subject = match kind.subject() {
        Some(s) => Some((s, resolve_subject(state, s, input.subject.trim()).await?)),
        None => None,
    };
    let keys = state.keys().get();
    let now = state.now();
    let public_id = uuid::Uuid::now_v7().to_string();
    let t = NewTicket {
        public_id: &public_id,
        station_id: state.station().id,
        account_id: requester.map(|a| a.id),
        contact_sealed: contact.map(|c| Sealed::seal(&keys, CONTACT, &c).into_stored()),
        kind: kind.as_str(),
        subject: subject.as_ref().map(|(k, id)| (k.as_str(), id.as_str())),
        title: &title,
        due_at: now + kind.response_time(),
    };
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    let id = store::insert(&txn, &t, now).await?;
    let sealed = Sealed::seal(&keys, BODY, &body).into_stored();
    store::add_message(&txn, id, "requester", requester.map(|a| a.id), &sealed, now).await?;
    txn.commit().await.map_err(AppError::internal)?;
    Ok(public_id)
}

/// The public id of a reported object, checked to exist.
async fn resolve_subject(state: &AppState, kind: SubjectKind, id: &str) -> AppResult<String> {
    let conn = state.db().conn();
    let exists = match kind {
        SubjectKind::Job => rencai_store::market::jobs::find_public(conn, id).await?.is_some(),
        SubjectKind::Company => rencai_store::market::companies::find_public(conn, id).await?.is_some(),
        SubjectKind::User => rencai_store::market::resumes::find_public(conn, id).await?.is_some(),
        SubjectKind::Conversation => rencai_store::chat::find(conn, id).await?.is_some(),
    };
    if exists {
        Ok(id.to_owned())
    } else {
        Err(AppError::invalid_field("ticket.subject", "subject", "找不到被举报的对象，请从它的页面点击“举报”。"))
    }
}

/// A chat report (from the conversation) also opens a ticket, so staff see it in the queue.
pub async fn open_for_chat_report(
    state: &AppState,
    conn: &impl ConnectionTrait,
    reporter: &AccountRecord,
    conversation_public_id: &str,
    reason_label: &str,
    note: Option<&str>,
) -> AppResult<()> {
    let keys = state.keys().get();
    let now = state.now();
    let public_id = uuid::Uuid::now_v7().to_string();
    let title = format!("举报聊天：{reason_label}");
    let t = NewTicket {
        public_id: &public_id,
        station_id: state.station().id,
        account_id: Some(reporter.id),
        contact_sealed: None,
        kind: TicketKind::ReportChat.as_str(),
        subject: Some((SubjectKind::Conversation.as_str(), conversation_public_id)),
        title: &title,
        due_at: now + TicketKind::ReportChat.response_time(),
    };
    let id = store::insert(conn, &t, now).await?;
    let body = note.unwrap_or("（未填写补充说明）").to_string();
    store::add_message(conn, id, "requester", Some(reporter.id), &Sealed::seal(&keys, BODY, &body).into_stored(), now)
        .await?;
    Ok(())
}

/// A system alert for staff (the day's SMS budget ran out): a security ticket in the queue, with
/// its 24-hour deadline. The delivery queue's dedupe key makes it once per alert and day.
pub async fn open_system_alert(state: &AppState, alert: &str, day: &str) -> AppResult<()> {
    let (title, body) = match alert {
        "sms.budget_exhausted" => (
            "系统告警：今日短信发送预算已用完".to_string(),
            format!(
                "{day}（北京时间）全站短信发送达到每日预算（auth.sms_limits.global_per_day），新的验证码请求被拒绝，直到次日。\n\
                 请核查是否遭到短信轰炸（查看发送来源地址），必要时调整预算。"
            ),
        ),
        other => (format!("系统告警：{other}"), format!("{day}（北京时间）系统发出告警 {other}。")),
    };
    let keys = state.keys().get();
    let now = state.now();
    let public_id = uuid::Uuid::now_v7().to_string();
    let t = NewTicket {
        public_id: &public_id,
        station_id: state.station().id,
        account_id: None,
        contact_sealed: None,
        kind: TicketKind::Security.as_str(),
        subject: None,
        title: &title,
        due_at: now + TicketKind::Security.response_time(),
    };
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    let id = store::insert(&txn, &t, now).await?;
    store::add_message(&txn, id, "requester", None, &Sealed::seal(&keys, BODY, &body).into_stored(), now).await?;
    txn.commit().await.map_err(AppError::internal)?;
    Ok(())
}

async fn shown(state: &AppState, t: &TicketRow, with_contact: bool) -> AppResult<Shown> {
    let keys = state.keys().get();
    let kind = TicketKind::parse(&t.kind).ok_or_else(not_found)?;
    let status = TicketStatus::parse(&t.status).ok_or_else(not_found)?;
    let mut messages = Vec::new();
    for m in store::messages(state.db().conn(), t.id).await? {
        messages.push(ShownMessage {
            from_staff: m.author_kind == "staff",
            body: Sealed::<String>::from_stored(m.body_sealed).open(&keys, BODY)?,
            at: m.created_at,
        });
    }
    let contact = match (&t.contact_sealed, with_contact) {
        (Some(c), true) => Some(Sealed::<String>::from_stored(c.clone()).open(&keys, CONTACT)?),
        _ => None,
    };
    Ok(Shown {
        id: t.public_id.clone(),
        kind: kind.as_str(),
        kind_label: kind.label(),
        subject: t.subject_kind.clone().zip(t.subject_id.clone()),
        title: t.title.clone(),
        status: status.as_str(),
        status_label: status.label(),
        outcome: t.outcome.as_deref().and_then(Outcome::parse).map(Outcome::label),
        due_at: t.due_at,
        overdue: ticket::overdue(status, t.due_at, state.now()),
        assigned: t.assignee_id.is_some(),
        created_at: t.created_at,
        messages,
        contact,
    })
}

/// The requester's own tickets, newest first.
pub async fn mine(state: &AppState, account: &AccountRecord) -> AppResult<Vec<Shown>> {
    let mut out = Vec::new();
    for t in store::of_account(state.db().conn(), account.id).await? {
        out.push(shown(state, &t, false).await?);
    }
    Ok(out)
}

async fn own(state: &AppState, account: &AccountRecord, id: &str) -> AppResult<TicketRow> {
    store::find(state.db().conn(), id).await?.filter(|t| t.account_id == Some(account.id)).ok_or_else(not_found)
}

pub async fn mine_one(state: &AppState, account: &AccountRecord, id: &str) -> AppResult<Shown> {
    shown(state, &own(state, account, id).await?, false).await
}

/// Writes on a ticket: the requester (back to staff, with a new deadline) or staff (answered;
/// the requester is told).
async fn write(state: &AppState, t: &TicketRow, author: Author, author_id: i64, body: &str) -> AppResult<()> {
    let mut issues = rencai_domain::validate::Issues::default();
    let body = issues.text("body", "内容", body, 2000);
    issues.finish(()).map_err(|i| crate::market::invalid("ticket.invalid", "请填写内容。", i))?;
    let from = TicketStatus::parse(&t.status).ok_or_else(not_found)?;
    let Some(to) = ticket::after_message(from, author) else {
        return Err(AppError::Conflict {
            code: "ticket.closed",
            message: "该工单已关闭；如有新问题，请提交新的反馈。".into(),
            field: "body",
        });
    };
    let now = state.now();
    let kind = TicketKind::parse(&t.kind).ok_or_else(not_found)?;
    let due = (author == Author::Requester).then(|| now + kind.response_time());
    let keys = state.keys().get();
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    if !store::set_status(&txn, t.id, from.as_str(), to.as_str(), due, now).await? {
        return Err(AppError::Conflict {
            code: "ticket.changed",
            message: "工单刚被更新，请刷新后再试。".into(),
            field: "body",
        });
    }
    let (kind_str, who) = match author {
        Author::Requester => ("requester", Some(author_id)),
        Author::Staff => ("staff", Some(author_id)),
    };
    store::add_message(&txn, t.id, kind_str, who, &Sealed::seal(&keys, BODY, &body).into_stored(), now).await?;
    if author == Author::Staff
        && let Some(requester) = t.account_id
    {
        let notice = crate::notify::Notice::new(
            crate::notify::Kind::TicketAnswered,
            format!("/me/feedback/{}", t.public_id),
            &[("title", &t.title)],
        );
        crate::notify::send(state, &txn, requester, &notice).await?;
    }
    txn.commit().await.map_err(AppError::internal)?;
    Ok(())
}

pub async fn reply_as_requester(state: &AppState, account: &AccountRecord, id: &str, body: &str) -> AppResult<()> {
    let t = own(state, account, id).await?;
    write(state, &t, Author::Requester, account.id, body).await
}

// ---- staff ------------------------------------------------------------------------------

/// (open, overdue) for the back-office home.
pub async fn counts(state: &AppState, staff: &StaffUser) -> AppResult<(u64, u64)> {
    staff.require(state, Permission::HandleTickets).await?;
    Ok(store::counts(state.db().conn(), state.now()).await?)
}

pub async fn queue(state: &AppState, staff: &StaffUser, which: &str) -> AppResult<Vec<Shown>> {
    staff.require(state, Permission::HandleTickets).await?;
    let q = match which {
        "overdue" => Queue::Overdue,
        "mine" => Queue::Mine(staff.auth.account.id),
        "closed" => Queue::Closed,
        _ => Queue::Open,
    };
    let mut out = Vec::new();
    for t in store::queue(state.db().conn(), q, state.now(), 200).await? {
        out.push(shown(state, &t, false).await?);
    }
    Ok(out)
}

async fn staff_ticket(state: &AppState, staff: &StaffUser, id: &str) -> AppResult<TicketRow> {
    staff.require(state, Permission::HandleTickets).await?;
    store::find(state.db().conn(), id).await?.ok_or_else(not_found)
}

/// One ticket for staff, with a visitor's contact opened — an audited read of personal data.
pub async fn staff_view(state: &AppState, staff: &StaffUser, id: &str) -> AppResult<Shown> {
    let t = staff_ticket(state, staff, id).await?;
    crate::audit::staff_read(state, staff.auth.account.id, "ticket", &format!("ticket {}", t.public_id), &[t.id])
        .await?;
    shown(state, &t, true).await
}

pub async fn assign_to_me(state: &AppState, staff: &StaffUser, id: &str) -> AppResult<()> {
    let t = staff_ticket(state, staff, id).await?;
    store::assign(state.db().conn(), t.id, staff.auth.account.id, state.now()).await?;
    Ok(())
}

pub async fn reply_as_staff(state: &AppState, staff: &StaffUser, id: &str, body: &str) -> AppResult<()> {
    let t = staff_ticket(state, staff, id).await?;
    write(state, &t, Author::Staff, staff.auth.account.id, body).await
}

/// Closes a ticket. An upheld report takes its item down in the same transaction.
pub async fn close(state: &AppState, staff: &StaffUser, id: &str, outcome: &str) -> AppResult<()> {
    let t = staff_ticket(state, staff, id).await?;
    let kind = TicketKind::parse(&t.kind).ok_or_else(not_found)?;
    let Some(outcome) = Outcome::parse(outcome).filter(|o| o.fits(kind)) else {
        return Err(AppError::invalid_field("ticket.outcome", "outcome", "请选择处理结果。"));
    };
    let now = state.now();
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    if !store::close(&txn, t.id, outcome.as_str(), now).await? {
        return Err(AppError::Conflict {
            code: "ticket.closed", message: "该工单已关闭。".into(), field: "outcome"
        });
    }
    if outcome == Outcome::Upheld
        && let (Some(kind), Some(subject)) = (t.subject_kind.as_deref().and_then(SubjectKind::parse), &t.subject_id)
    {
        take_down(state, &txn, kind, subject).await?;
    }
    rencai_store::audit::append(
        &txn,
        state.keys().get().audit_key(),
        &AuditEntry {
            actor: Actor::staff(staff.auth.account.id),
            action: "ticket.closed",
            subject: Some(("ticket", t.id)),
            reason: None,
            detail: serde_json::json!({ "outcome": outcome.as_str(), "subject_kind": t.subject_kind }),
        },
        now,
    )
    .await
    .map_err(AppError::internal)?;
    if let Some(requester) = t.account_id {
        let notice = crate::notify::Notice::new(
            crate::notify::Kind::TicketClosed,
            format!("/me/feedback/{}", t.public_id),
            &[("title", &t.title), ("outcome", outcome.label())],
        );
        crate::notify::send(state, &txn, requester, &notice).await?;
    }
    txn.commit().await.map_err(AppError::internal)?;
    Ok(())
}

/// M13: a confirmed report takes the job, organisation, user or conversation down.
async fn take_down(state: &AppState, conn: &impl ConnectionTrait, kind: SubjectKind, id: &str) -> AppResult<()> {
    use rencai_store::market::{companies, jobs, resumes};
    let now = state.now();
    let close_job = |job: jobs::JobRow| async move {
        if matches!(job.status.as_str(), "pending" | "published") {
            let t = jobs::Transition { reject_reason: Some("经举报核实，已下架"), published: None };
            jobs::transition(conn, &job, "rejected", t, now).await?;
        }
        AppResult::Ok(())
    };
    match kind {
        SubjectKind::Job => {
            if let Some(job) = jobs::find_public(conn, id).await? {
                close_job(job).await?;
            }
        }
        SubjectKind::Company => {
            if let Some(org) = companies::find_public(conn, id).await? {
                for public_id in jobs::public_ids_of_org(conn, id).await? {
                    if let Some(job) = jobs::find_public(conn, &public_id).await? {
                        close_job(job).await?;
                    }
                }
                let from = [org.verification.as_str()];
                companies::set_verification(conn, org.id, &from, "rejected", Some("经举报核实，暂停招聘"), now).await?;
            }
        }
        SubjectKind::User => {
            if let Some(r) = resumes::find_public(conn, id).await?
                && let Some(account) = rencai_store::accounts::find_by_id(conn, r.seeker_id).await?
                && rencai_store::accounts::change_status(
                    conn,
                    account.id,
                    rencai_store::accounts::ACTIVE,
                    SUSPENDED,
                    now,
                )
                .await?
            {
                crate::privacy::deactivation::withdraw_everywhere(conn, &account, now).await?;
            }
        }
        SubjectKind::Conversation => {
            if let Some(c) = rencai_store::chat::find(conn, id).await? {
                // Blocked from the seeker's side: the recruiter can no longer write.
                rencai_store::chat::set_block(conn, c.id, true, Some(now)).await?;
            }
        }
    }
    Ok(())
}

/// An account suspended after an upheld report: it cannot log in; staff may restore it.
pub const SUSPENDED: &str = "suspended";
