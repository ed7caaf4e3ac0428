//! Deactivation (注销, P14). At once: the account stops working, every session and token ends,
//! resumes leave every recruiter surface (they are hidden, which the access policy and the
//! search index already honour), light posts close, a recruiter's jobs pass to the primary
//! account. After `privacy.purge_after_days` the purge erases or anonymizes the personal data,
//! first copying what law makes us keep into the sealed restricted archive.
//!
//! A deletion log records every deactivation twice: in the database, and in an append-only file
//! in the data folder that no restore overwrites. [`replay`] applies the log to whatever
//! database is in place — after `rencai restore`, and at every start — so a restored backup
//! never brings a deleted account back.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use rencai_domain::account::Role;
use rencai_store::accounts::{self, ACTIVE, AccountRecord, DEACTIVATED};
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::privacy::{self as store, Deletion};
use rencai_store::{ConnectionTrait, TransactionTrait};

use crate::{AppError, AppResult, AppState};

/// What a deactivation did, for the confirmation page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deactivated {
    pub purge_due_at: DateTime<Utc>,
    pub resumes_hidden: usize,
}

/// The deletion log file in the data folder: one JSON [`Deletion`] per line.
pub const LOG_FILE: &str = "deletion-log.jsonl";

pub fn log_file(state: &AppState) -> PathBuf {
    state.settings().data_dir.join(LOG_FILE)
}

fn append_to_file(state: &AppState, d: &Deletion) -> AppResult<()> {
    let path = log_file(state);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(AppError::internal)?;
    }
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&path).map_err(AppError::internal)?;
    let mut line = serde_json::to_vec(d).map_err(AppError::internal)?;
    line.push(b'\n');
    f.write_all(&line).map_err(AppError::internal)?;
    f.sync_all().map_err(AppError::internal)
}

/// The entries of the log file; a torn last line (a crash mid-append) is skipped.
pub fn read_file(path: &std::path::Path) -> AppResult<Vec<Deletion>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(AppError::internal(e)),
    };
    Ok(text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect())
}

/// Deactivates the account after checking its password. Ends every session of it.
pub async fn deactivate(state: &AppState, account: &AccountRecord, password: &str) -> AppResult<Deactivated> {
    let conn = state.db().conn();
    let hash = rencai_store::auth::password_hash(conn, account.id).await.map_err(AppError::internal)?;
    if !state.passwords().verify(password, hash).await {
        return Err(AppError::invalid_field("auth.wrong_password", "password", "密码不正确。"));
    }
    let org = rencai_store::market::companies::membership(conn, account.id).await?;
    if let Some(m) = &org
        && m.is_primary
        && rencai_store::market::companies::members(conn, m.company_id).await?.len() > 1
    {
        return Err(AppError::Conflict {
            code: "account.primary_has_members",
            message: "单位主账号下还有子账号：请先移除子账号，或联系客服转交主账号后再注销。".into(),
            field: "password",
        });
    }
    let now = state.now();
    let due = now + chrono::Duration::days(i64::from(state.settings().privacy.purge_after_days));
    let entry = Deletion {
        account_id: account.id,
        account_public_id: account.public_id.clone(),
        deactivated_at: now,
        purge_due_at: due,
        purged_at: None,
    };
    let txn = conn.begin().await.map_err(AppError::internal)?;
    // Write first (SQLite): the status flip is the compare-and-swap that makes a second click harmless.
    if !accounts::change_status(&txn, account.id, ACTIVE, DEACTIVATED, now).await? {
        return Err(AppError::Conflict {
            code: "account.not_active",
            message: "该账号已注销。".into(),
            field: "password",
        });
    }
    let hidden = withdraw_everywhere(&txn, account, now).await?;
    store::log_deactivation(&txn, &entry).await?;
    rencai_store::audit::append(
        &txn,
        state.keys().get().audit_key(),
        &AuditEntry {
            actor: Actor::account(account.id),
            action: "account.deactivated",
            subject: Some(("account", account.id)),
            reason: None,
            detail: serde_json::json!({ "purge_due_at": due, "resumes_hidden": hidden }),
        },
        now,
    )
    .await
    .map_err(AppError::internal)?;
    txn.commit().await.map_err(AppError::internal)?;
    append_to_file(state, &entry)?;
    Ok(Deactivated { purge_due_at: due, resumes_hidden: hidden })
}

/// Everything that must stop at once, in the caller's transaction: sessions and tokens, the
/// seeker's resumes and light posts, a recruiter's jobs. Returns the number of resumes hidden.
pub(crate) async fn withdraw_everywhere(
    conn: &impl ConnectionTrait,
    account: &AccountRecord,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    rencai_store::auth::end_all_sessions(conn, account.id, now).await.map_err(AppError::internal)?;
    let mut hidden = 0;
    for r in rencai_store::market::resumes::of_seeker(conn, account.id).await? {
        rencai_store::market::resumes::set_visibility(conn, r.id, "hidden", false, now).await?;
        hidden += 1;
    }
    for post in rencai_store::market::light::of_account(conn, account.id).await? {
        if matches!(post.status.as_str(), "pending" | "published") {
            rencai_store::market::light::transition(conn, &post, "closed", None, None, now).await?;
        }
    }
    if matches!(account.role, Role::Company | Role::Agency)
        && let Some(m) = rencai_store::market::companies::membership(conn, account.id).await?
    {
        let primary = rencai_store::market::companies::members(conn, m.company_id)
            .await?
            .into_iter()
            .find(|p| p.is_primary && p.account_id != account.id);
        for job in rencai_store::market::jobs::owned_by(conn, account.id).await? {
            match &primary {
                // P17: the organisation's jobs stay the organisation's.
                Some(p) => rencai_store::market::jobs::reassign(conn, &job, p.account_id, now).await?,
                None if matches!(job.status.as_str(), "pending" | "published") => {
                    let t = rencai_store::market::jobs::Transition { reject_reason: None, published: None };
                    rencai_store::market::jobs::transition(conn, &job, "closed", t, now).await?;
                }
                None => {}
            }
        }
    }
    Ok(hidden)
}

/// Applies a deletion log to the database in place: accounts it names that are active again
/// (a restored backup) are deactivated anew, and every entry is in the database's log, so the
/// purge runs when due (at once, if its date has passed). Returns how many accounts were
/// deactivated again.
pub async fn replay(state: &AppState, entries: &[Deletion]) -> AppResult<u64> {
    let conn = state.db().conn();
    let now = state.now();
    let mut revived = 0;
    for e in entries {
        let Some(account) = accounts::find_by_id(conn, e.account_id).await? else { continue };
        if account.public_id != e.account_public_id {
            continue;
        }
        let txn = conn.begin().await.map_err(AppError::internal)?;
        if accounts::change_status(&txn, account.id, ACTIVE, DEACTIVATED, now).await? {
            withdraw_everywhere(&txn, &account, now).await?;
            revived += 1;
        }
        // The database's own entry may be missing (restored from before it) or may say
        // "purged" for data that came back: the purge must run again.
        store::forget_purge(&txn, e.account_id).await?;
        store::log_deactivation(&txn, &Deletion { purged_at: None, ..e.clone() }).await?;
        txn.commit().await.map_err(AppError::internal)?;
    }
    Ok(revived)
}

/// Replays the log file at start.
pub async fn replay_file(state: &AppState) -> AppResult<u64> {
    let entries = read_file(&log_file(state))?;
    let mut missing = Vec::new();
    for e in entries {
        let conn = state.db().conn();
        let known = store::deletion_of(conn, e.account_id).await?;
        let account = accounts::find_by_id(conn, e.account_id).await?;
        // Only what the database does not already reflect: a purged tombstone is final.
        let settled = known.is_some() && account.as_ref().is_none_or(|a| a.status != ACTIVE);
        let data_back = account.as_ref().is_some_and(|a| a.status == DEACTIVATED)
            && known.as_ref().is_some_and(|k| k.purged_at.is_some());
        if !settled || data_back {
            missing.push(e);
        }
    }
    replay(state, &missing).await
}

/// What a purge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurgeReport {
    pub accounts: u64,
    pub rows: u64,
    pub files: u64,
}

/// Purges every account whose time has come.
pub async fn purge_due(state: &AppState) -> AppResult<PurgeReport> {
    let mut report = PurgeReport::default();
    loop {
        let due = store::due_purges(state.db().conn(), state.now(), 50).await?;
        if due.is_empty() {
            return Ok(report);
        }
        for d in &due {
            let (rows, files) = purge_one(state, d).await?;
            report.accounts += 1;
            report.rows += rows;
            report.files += files;
        }
    }
}

/// Archives, erases and tombstones one account. Idempotent: the log entry is the lock.
async fn purge_one(state: &AppState, d: &Deletion) -> AppResult<(u64, u64)> {
    let keys = state.keys().get();
    let conn = state.db().conn();
    let now = state.now();
    let Some(account) = accounts::find_by_id(conn, d.account_id).await? else {
        store::mark_purged(conn, d.account_id, now).await?;
        return Ok((0, 0));
    };
    let kept = kept_by_law(state, &account).await?;
    let attachments = rencai_store::files::owned_by(conn, account.id, "resume_attachment").await?;
    let exports = super::export::files_of(state, account.id).await?;
    let txn = conn.begin().await.map_err(AppError::internal)?;
    if !store::mark_purged(&txn, d.account_id, now).await? {
        return Ok((0, 0));
    }
    let until = now + chrono::Duration::days(365 * i64::from(state.settings().privacy.archive_years));
    let phone: String = account.phone.open(&keys, accounts::PHONE)?;
    let phone_blind = rencai_domain::account::Phone::parse(&phone)
        .map(|p| accounts::phone_index(&keys, &p).into_string())
        .unwrap_or_default();
    store::archive(&txn, &keys, &account.public_id, &phone_blind, account.role.as_str(), &kept, now, until).await?;
    let rows = store::erase_person(&txn, account.id).await?;
    if account.status == DEACTIVATED {
        accounts::tombstone(&txn, &keys, account.id, now).await?;
    }
    rencai_store::audit::append(
        &txn,
        keys.audit_key(),
        &AuditEntry {
            actor: Actor::SYSTEM,
            action: "account.purged",
            subject: Some(("account", account.id)),
            reason: Some("deactivation".into()),
            detail: serde_json::json!({ "rows": rows, "archive_until": until }),
        },
        now,
    )
    .await
    .map_err(AppError::internal)?;
    txn.commit().await.map_err(AppError::internal)?;
    let mut files = 0;
    for f in &attachments {
        if tokio::fs::remove_file(crate::market::attachments::path_of(state, &f.storage_name)).await.is_ok() {
            files += 1;
        }
    }
    for p in exports {
        if tokio::fs::remove_file(p).await.is_ok() {
            files += 1;
        }
    }
    Ok((rows, files))
}

/// Tables whose rows of a person law makes us keep after a purge: identity and consent
/// records, recruitment records (applications and their history, 3 years), disclosures and
/// the real-name record of a recruiter.
pub const KEPT_BY_LAW: &[&str] =
    &["accounts", "consents", "company_members", "applications", "application_events", "disclosures"];

async fn kept_by_law(state: &AppState, account: &AccountRecord) -> AppResult<serde_json::Value> {
    let keys = state.keys().get();
    let mut doc = serde_json::Map::new();
    for table in KEPT_BY_LAW {
        let rule = store::rule(table)
            .ok_or_else(|| AppError::internal(std::io::Error::other(format!("no privacy rule for {table}"))))?;
        let rows = store::rows_of(state.db().conn(), &keys, rule, account.id).await?;
        doc.insert((*table).to_owned(), rows.into_iter().map(serde_json::Value::Object).collect());
    }
    Ok(serde_json::Value::Object(doc))
}

/// What the person is told before deactivating, and in the center afterwards: what is erased,
/// what is kept and for how long.
pub fn what_is_kept(state: &AppState) -> Vec<(&'static str, String)> {
    let p = &state.settings().privacy;
    vec![
        ("注销后立即", "账号无法登录，所有登录会话和 App 令牌失效；简历从企业搜索、推荐和简历库中消失；速聘信息关闭；聊天对方看到“已注销用户”。".into()),
        ("注销后删除", format!("{} 天内删除或匿名化：姓名、手机号、邮箱、出生日期、简历与附件、投递、聊天、收藏、订阅、通知、登录记录。", p.purge_after_days)),
        ("依法保留", format!("账号身份信息、同意记录、投递记录与对外提供记录移入加密的受限存档，保存 {} 年，仅在有合法依据的调取时打开，期满删除。", p.archive_years)),
        ("不含个人信息的记录", "审计日志只记录内部编号，不含个人信息，保留以保证可追溯。".into()),
    ]
}
