//! The customer-service desk: staff look an account up by phone number to help with a ticket or
//! answer a lawful request (P9, P10), and lift a suspension. Every lookup needs
//! `ReadPersonalData` and a reason, and is audited; the account of a 16–17-year-old needs
//! `ReadMinorData` as well, and that read is audited as such (P21).

use rencai_domain::account::Phone;
use rencai_domain::staff::Permission;
use rencai_store::accounts::{self, AccountRecord};
use rencai_store::audit::{Actor, AuditEntry};

use crate::auth::staff::StaffUser;
use crate::{AppError, AppResult, AppState};

/// What the desk shows about an account.
#[derive(Debug, Clone)]
pub struct AccountFacts {
    pub public_id: String,
    pub role_label: &'static str,
    pub status: String,
    pub status_label: &'static str,
    pub minor: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub name: Option<String>,
    pub phone: String,
    pub email: Option<String>,
    pub resumes: usize,
    pub open_sessions: usize,
    pub purge_due_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub fn status_label(status: &str) -> &'static str {
    match status {
        accounts::ACTIVE => "正常",
        accounts::DEACTIVATED => "已注销，待清除",
        accounts::PURGED => "已清除",
        crate::tickets::SUSPENDED => "因举报被暂停",
        _ => "未知",
    }
}

fn reason_of(reason: &str) -> AppResult<String> {
    let r = reason.trim();
    if r.chars().count() < 4 || r.chars().count() > 200 {
        return Err(AppError::invalid_field(
            "support.reason",
            "reason",
            "请写明查询原因（例如工单编号或依法调取的文书号），4–200 字。",
        ));
    }
    Ok(r.to_string())
}

/// Looks an account up by its phone number.
pub async fn lookup(state: &AppState, staff: &StaffUser, phone: &str, reason: &str) -> AppResult<AccountFacts> {
    staff.require(state, Permission::ReadPersonalData).await?;
    let reason = reason_of(reason)?;
    let phone =
        Phone::parse(phone).map_err(|_| AppError::invalid_field("support.phone", "phone", "请输入 11 位手机号。"))?;
    let keys = state.keys().get();
    let conn = state.db().conn();
    let account = accounts::find_by_phone(conn, &keys, &phone)
        .await?
        .filter(|a| a.role != rencai_domain::account::Role::Staff)
        .ok_or(AppError::NotFound { code: "account.not_found", what: "该手机号的账号" })?;
    let minor = account.age_group == "minor";
    if minor {
        // P21: a minor's data needs the extra permission; a refusal is audited by `require`.
        staff.require(state, Permission::ReadMinorData).await?;
    }
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::staff(staff.auth.account.id),
            action: if minor { "staff.read_minor" } else { "staff.read_personal" },
            subject: Some(("account", account.id)),
            reason: Some(reason),
            detail: serde_json::json!({ "surface": "support.lookup" }),
        },
    )
    .await?;
    facts(state, &account).await
}

async fn facts(state: &AppState, a: &AccountRecord) -> AppResult<AccountFacts> {
    let keys = state.keys().get();
    let conn = state.db().conn();
    Ok(AccountFacts {
        public_id: a.public_id.clone(),
        role_label: a.role.label(),
        status: a.status.clone(),
        status_label: status_label(&a.status),
        minor: a.age_group == "minor",
        created_at: a.created_at,
        name: a.name.as_ref().map(|n| n.open(&keys, accounts::NAME)).transpose()?,
        phone: a.phone.open(&keys, accounts::PHONE)?,
        email: a.email.as_ref().map(|e| e.open(&keys, accounts::EMAIL)).transpose()?,
        resumes: rencai_store::market::resumes::of_seeker(conn, a.id).await?.len(),
        open_sessions: crate::auth::sessions::list(state, a.id).await?.len(),
        purge_due_at: rencai_store::privacy::deletion_of(conn, a.id).await?.map(|d| d.purge_due_at),
    })
}

/// Lifts the suspension an upheld report put on an account (its resumes stay hidden until the
/// person shows them again).
pub async fn reinstate(state: &AppState, staff: &StaffUser, public_id: &str, reason: &str) -> AppResult<()> {
    staff.require(state, Permission::HandleTickets).await?;
    let reason = reason_of(reason)?;
    let conn = state.db().conn();
    let account = accounts::find_by_public_id(conn, public_id)
        .await?
        .ok_or(AppError::NotFound { code: "account.not_found", what: "该账号" })?;
    if !accounts::change_status(conn, account.id, crate::tickets::SUSPENDED, accounts::ACTIVE, state.now()).await? {
        return Err(AppError::Conflict {
            code: "account.not_suspended",
            message: "该账号没有被暂停。".into(),
            field: "reason",
        });
    }
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::staff(staff.auth.account.id),
            action: "account.reinstated",
            subject: Some(("account", account.id)),
            reason: Some(reason),
            detail: serde_json::json!({}),
        },
    )
    .await?;
    Ok(())
}
