//! Security-incident notices (P11). Staff (with `ViewAudit`, the data-protection officer's and
//! administrator's) write what happened and its possible impact, the measures taken, advice on
//! protecting oneself, the remedies and a contact; the notice goes to the affected accounts, or
//! to everyone as a public announcement, in-app and by e-mail, app push and SMS. Informing
//! people of an incident is a duty, not an optional use: the channel switches (P13) do not
//! hold it back.

use rencai_domain::account::Phone;
use rencai_domain::staff::Permission;
use rencai_store::TransactionTrait;
use rencai_store::accounts::AccountRecord;
use rencai_store::incidents::{self as store, IncidentRow, IncidentText};

use crate::auth::staff::StaffUser;
use crate::notify::{Kind, Notice};
use crate::{AppError, AppResult, AppState};

/// Who is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every account, and a public announcement.
    Everyone,
    /// The accounts listed by phone number.
    Affected,
}

impl Audience {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "everyone" => Some(Audience::Everyone),
            "affected" => Some(Audience::Affected),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Everyone => "everyone",
            Audience::Affected => "affected",
        }
    }
}

/// What staff fill in.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PublishInput {
    #[serde(flatten)]
    pub text: IncidentText,
    pub audience: String,
    /// For `affected`: the phone numbers of the affected accounts, one per line.
    pub phones: String,
}

/// What publishing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub public_id: String,
    /// Accounts told now (for `everyone`, the broadcast runs in the background: 0 here).
    pub recipients: u64,
    /// Listed numbers that belong to no account.
    pub unknown_phones: u64,
}

fn link(public_id: &str) -> String {
    format!("/notices/{public_id}")
}

pub async fn publish(state: &AppState, staff: &StaffUser, input: &PublishInput) -> AppResult<Published> {
    staff.require(state, Permission::ViewAudit).await?;
    let mut issues = rencai_domain::validate::Issues::default();
    let t = &input.text;
    let text = IncidentText {
        title: issues.text("title", "标题", &t.title, 40),
        situation: issues.text("situation", "事件的基本情况", &t.situation, 2000),
        impact: issues.text("impact", "可能的影响", &t.impact, 2000),
        measures: issues.text("measures", "已采取的措施", &t.measures, 2000),
        advice: issues.text("advice", "自我防范建议", &t.advice, 2000),
        remedies: issues.text("remedies", "补救措施", &t.remedies, 2000),
        contact: issues.text("contact", "联系方式", &t.contact, 200),
    };
    let audience = Audience::parse(&input.audience);
    if audience.is_none() {
        issues.push("audience", "incident.audience", "请选择通知对象。");
    }
    let mut phones = Vec::new();
    let mut bad_lines = 0;
    if audience == Some(Audience::Affected) {
        for line in input.phones.split(['\n', ',', '，', ' ']).map(str::trim).filter(|l| !l.is_empty()) {
            match Phone::parse(line) {
                Ok(p) => phones.push(p),
                Err(_) => bad_lines += 1,
            }
        }
        if phones.is_empty() || bad_lines > 0 {
            issues.push("phones", "incident.phones", "请每行填写一个受影响用户的手机号（11 位）。");
        }
    }
    issues.finish(()).map_err(|i| crate::market::invalid("incident.invalid", "请检查填写的内容。", i))?;
    let audience = audience.expect("checked");
    let conn = state.db().conn();
    let keys = state.keys().get();
    let mut targets: Vec<AccountRecord> = Vec::new();
    let mut unknown_phones = 0;
    for p in &phones {
        match rencai_store::accounts::find_by_phone(conn, &keys, p).await? {
            Some(a) if !targets.iter().any(|t| t.id == a.id) => targets.push(a),
            Some(_) => {}
            None => unknown_phones += 1,
        }
    }
    if audience == Audience::Affected && targets.is_empty() {
        return Err(AppError::invalid_field("incident.no_accounts", "phones", "列出的手机号都没有对应的账号。"));
    }
    let now = state.now();
    let public_id = uuid::Uuid::now_v7().to_string();
    let notice = Notice::new(Kind::Incident, link(&public_id), &[("title", &text.title)]);
    let txn = conn.begin().await.map_err(AppError::internal)?;
    let id = store::insert(&txn, &public_id, state.station().id, &text, audience.as_str(), staff.auth.account.id, now)
        .await?;
    for a in &targets {
        store::add_recipient(&txn, id, a.id).await?;
        crate::notify::send(state, &txn, a.id, &notice).await?;
    }
    rencai_store::audit::append(
        &txn,
        keys.audit_key(),
        &rencai_store::audit::AuditEntry {
            actor: rencai_store::audit::Actor::staff(staff.auth.account.id),
            action: "incident.published",
            subject: Some(("incident", id)),
            reason: None,
            detail: serde_json::json!({ "audience": audience.as_str(), "recipients": targets.len() }),
        },
        now,
    )
    .await
    .map_err(AppError::internal)?;
    txn.commit().await.map_err(AppError::internal)?;
    if audience == Audience::Everyone {
        let s = state.clone();
        tokio::spawn(async move {
            if let Err(e) = crate::notify::broadcast(&s, &notice).await {
                tracing::error!(error = %e, "an incident notice did not reach every account");
            }
        });
    }
    Ok(Published { public_id, recipients: targets.len() as u64, unknown_phones })
}

/// Every notice (staff), newest first, with how many accounts a targeted one reached.
pub async fn list(state: &AppState, staff: &StaffUser) -> AppResult<Vec<(IncidentRow, u64)>> {
    staff.require(state, Permission::ViewAudit).await?;
    let conn = state.db().conn();
    let mut out = Vec::new();
    for i in store::all(conn).await? {
        let n = store::recipients(conn, i.id).await?;
        out.push((i, n));
    }
    Ok(out)
}

/// A notice as a reader may see it: an announcement to everyone is public; a targeted one only
/// for the accounts it was addressed to (anyone else: not found).
pub async fn read(state: &AppState, reader: Option<&AccountRecord>, public_id: &str) -> AppResult<IncidentRow> {
    let not_found = || AppError::NotFound { code: "incident.not_found", what: "该通知" };
    let i = store::find(state.db().conn(), public_id).await?.ok_or_else(not_found)?;
    if i.audience == Audience::Everyone.as_str() {
        return Ok(i);
    }
    match reader {
        Some(r) if store::is_recipient(state.db().conn(), i.id, r.id).await? => Ok(i),
        _ => Err(not_found()),
    }
}

/// The notices an account was told of (the privacy center).
pub async fn for_account(state: &AppState, account: &AccountRecord) -> AppResult<Vec<IncidentRow>> {
    Ok(store::for_account(state.db().conn(), account.id, account.created_at).await?)
}
