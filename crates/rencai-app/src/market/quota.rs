//! Quota: job slots, resume unlocks, refreshes and top-placement days. Granted by staff for now
//! (orders come with the value-added services), spent by use cases, never below zero.

use chrono::{DateTime, Duration, Utc};
use rencai_domain::staff::Permission;
use rencai_store::ConnectionTrait;
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::market::companies as org_store;
use rencai_store::market::quota::{self as store, GrantRow};

use crate::auth::staff::StaffUser;
use crate::{AppError, AppResult, AppState};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotaKind {
    JobSlot,
    ResumeUnlock,
    Refresh,
    TopDay,
}

impl QuotaKind {
    pub const ALL: [QuotaKind; 4] = [Self::JobSlot, Self::ResumeUnlock, Self::Refresh, Self::TopDay];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::JobSlot => "job_slot",
            Self::ResumeUnlock => "resume_unlock",
            Self::Refresh => "refresh",
            Self::TopDay => "top_day",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::JobSlot => "职位数",
            Self::ResumeUnlock => "简历下载数",
            Self::Refresh => "刷新次数",
            Self::TopDay => "置顶天数",
        }
    }
}

/// (granted and valid, used) units of a kind at `now`.
pub async fn balance(
    conn: &impl ConnectionTrait,
    org: i64,
    kind: QuotaKind,
    now: DateTime<Utc>,
) -> AppResult<(u64, u64)> {
    Ok(store::balance(conn, org, kind.as_str(), now).await?)
}

/// Spends one unit, or refuses with a clear error when none is left.
pub async fn spend(
    conn: &impl ConnectionTrait,
    org: i64,
    kind: QuotaKind,
    account: Option<i64>,
    subject: &str,
    now: DateTime<Utc>,
) -> AppResult<i64> {
    store::take(conn, org, kind.as_str(), account, subject, now).await?.ok_or_else(|| AppError::Conflict {
        code: "quota.exhausted",
        message: format!("{}已用完，请联系客服购买或增加。", kind.label()),
        field: "quota",
    })
}

/// The free quota every new organisation gets, recorded as a grant like any other.
pub(crate) async fn grant_free(
    state: &AppState,
    conn: &impl ConnectionTrait,
    org: i64,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let m = &state.settings().market;
    let until = now + Duration::days(i64::from(m.free_grant_days));
    for (kind, amount) in [
        (QuotaKind::JobSlot, m.free_job_slots),
        (QuotaKind::Refresh, m.free_refreshes),
        (QuotaKind::ResumeUnlock, m.free_resume_unlocks),
    ] {
        if amount > 0 {
            store::grant(conn, org, kind.as_str(), amount, now, until, "注册赠送", None, now).await?;
        }
    }
    Ok(())
}

/// A staff grant of quota to an organisation (until orders exist).
pub async fn grant(
    state: &AppState,
    staff: &StaffUser,
    org_public_id: &str,
    kind: QuotaKind,
    amount: u32,
    days: u32,
    reason: &str,
) -> AppResult<i64> {
    staff.require(state, Permission::ManageOrders).await?;
    if amount == 0 || amount > 100_000 {
        return Err(AppError::invalid_field("quota.amount", "amount", "数量应在1到100000之间。"));
    }
    if days == 0 || days > 3660 {
        return Err(AppError::invalid_field("quota.days", "days", "有效天数应在1到3660之间。"));
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(AppError::invalid_field("quota.reason", "reason", "请填写发放原因（200字以内）。"));
    }
    let conn = state.db().conn();
    let org = org_store::find_public(conn, org_public_id)
        .await?
        .ok_or(AppError::NotFound { code: "company.not_found", what: "该单位" })?;
    let now = state.now();
    let id = store::grant(
        conn,
        org.id,
        kind.as_str(),
        amount,
        now,
        now + Duration::days(i64::from(days)),
        reason,
        Some(staff.auth.account.id),
        now,
    )
    .await?;
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::staff(staff.auth.account.id),
            action: "quota.granted",
            subject: Some(("company", org.id)),
            reason: Some(reason.to_string()),
            detail: serde_json::json!({ "kind": kind.as_str(), "amount": amount, "days": days, "grant": id }),
        },
    )
    .await?;
    Ok(id)
}

/// Every grant of an organisation, newest validity first.
pub async fn grants(state: &AppState, org: i64) -> AppResult<Vec<GrantRow>> {
    Ok(store::grants(state.db().conn(), org).await?)
}

/// Balances of every kind for the company center: (kind, granted and valid, in use). Job slots
/// are held by open jobs rather than spent, so their use is the number of open jobs.
pub async fn summary(state: &AppState, org: i64) -> AppResult<Vec<(QuotaKind, u64, u64)>> {
    let now = state.now();
    let conn = state.db().conn();
    let mut out = Vec::new();
    for k in QuotaKind::ALL {
        let (granted, used) = balance(conn, org, k, now).await?;
        let used =
            if k == QuotaKind::JobSlot { rencai_store::market::jobs::slots_in_use(conn, org).await? } else { used };
        out.push((k, granted, used));
    }
    Ok(out)
}
