//! The audit chain (P9): append-only rows, each carrying a keyed hash over its own content and
//! the previous row's hash. The key lives in the key file, so someone with write access to the
//! database alone can neither edit a row nor rewrite the tail from a row on without `verify`
//! noticing. The head row records the last sequence number and hash, which also catches rows
//! cut off the end.
//!
//! Rows name people only by internal id and carry no personal data, so erasing a person
//! (P14) never touches the chain.

use chrono::{DateTime, SubsecRound, Utc};
use hmac_sha256::keyed_hash;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionSession,
    TransactionTrait,
};
use serde::Serialize;

use crate::entity::audit_log;
use crate::raw;

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// `staff`, `account`, `system`.
    pub kind: &'static str,
    pub id: Option<i64>,
}

impl Actor {
    pub const SYSTEM: Actor = Actor { kind: "system", id: None };
    pub fn staff(id: i64) -> Self {
        Self { kind: "staff", id: Some(id) }
    }
    pub fn account(id: i64) -> Self {
        Self { kind: "account", id: Some(id) }
    }
}

/// One audited event.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub actor: Actor,
    /// What was done, e.g. `staff.read_personal`, `auth.login`, `keys.rotate`.
    pub action: &'static str,
    /// To whom or what, by internal id.
    pub subject: Option<(&'static str, i64)>,
    /// Why (a ticket number, a lawful request): required for staff reads of personal data.
    pub reason: Option<String>,
    /// Further facts. Never personal data: ids, counts, field names.
    pub detail: serde_json::Value,
}

/// The exact bytes a row's hash covers.
#[derive(Serialize)]
struct Canonical<'a> {
    seq: i64,
    at: String,
    actor_kind: &'a str,
    actor_id: Option<i64>,
    action: &'a str,
    subject_kind: Option<&'a str>,
    subject_id: Option<i64>,
    reason: Option<&'a str>,
    detail: &'a str,
    prev_hash: &'a str,
}

fn at_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// The chain hash of a row.
pub fn row_hash(key: &[u8; 32], row: &audit_log::Model) -> String {
    let canonical = Canonical {
        seq: row.seq,
        at: at_text(row.at),
        actor_kind: &row.actor_kind,
        actor_id: row.actor_id,
        action: &row.action,
        subject_kind: row.subject_kind.as_deref(),
        subject_id: row.subject_id,
        reason: row.reason.as_deref(),
        detail: &row.detail,
        prev_hash: &row.prev_hash,
    };
    let bytes = serde_json::to_vec(&canonical).expect("canonical row serializes");
    keyed_hash(key, &bytes)
}

mod hmac_sha256 {
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::Sha256;

    pub fn keyed_hash(key: &[u8; 32], bytes: &[u8]) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
        mac.update(bytes);
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Appends an entry. Runs in its own transaction (a savepoint when `db` is a transaction), so
/// concurrent appends serialize on the head row and the chain never forks.
pub async fn append<C>(db: &C, key: &[u8; 32], entry: &AuditEntry, at: DateTime<Utc>) -> Result<i64, DbErr>
where
    C: TransactionTrait,
{
    let txn = db.begin().await?;
    let backend = txn.get_database_backend();
    // Taking the next number is the first write: it locks the head row on PostgreSQL and takes
    // SQLite's write lock, before anything is read.
    let head = txn
        .query_one_raw(raw(backend, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash", []))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;
    let seq: i64 = head.try_get("", "seq")?;
    let prev_hash: String = head.try_get("", "hash")?;
    let mut row = audit_log::Model {
        id: 0,
        seq,
        at: at.trunc_subsecs(6),
        actor_kind: entry.actor.kind.to_string(),
        actor_id: entry.actor.id,
        action: entry.action.to_string(),
        subject_kind: entry.subject.map(|(k, _)| k.to_string()),
        subject_id: entry.subject.map(|(_, id)| id),
        reason: entry.reason.clone(),
        detail: entry.detail.to_string(),
        prev_hash,
        hash: String::new(),
    };
    row.hash = row_hash(key, &row);
    txn.execute_raw(raw(
        backend,
        "INSERT INTO audit_log (seq, at, actor_kind, actor_id, action, subject_kind, subject_id, reason, detail, prev_hash, hash) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            row.seq.into(),
            row.at.into(),
            row.actor_kind.clone().into(),
            row.actor_id.into(),
            row.action.clone().into(),
            row.subject_kind.clone().into(),
            row.subject_id.into(),
            row.reason.clone().into(),
            row.detail.clone().into(),
            row.prev_hash.clone().into(),
            row.hash.clone().into(),
        ],
    ))
    .await?;
    txn.execute_raw(raw(backend, "UPDATE audit_head SET hash = ? WHERE id = 1", [row.hash.clone().into()])).await?;
    txn.commit().await?;
    Ok(seq)
}

/// What is wrong with the chain, at the first row where something is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditProblem {
    /// A row's content does not match its hash: edited, or the tail rewritten from here.
    Altered { seq: i64 },
    /// The row with this number is missing (deleted).
    Missing { seq: i64 },
    /// A row does not point at its predecessor's hash (rows swapped or re-linked).
    BrokenLink { seq: i64 },
    /// Rows after this one were removed from the end (the head remembers more).
    Truncated { last_seq: i64, head_seq: i64 },
}

impl std::fmt::Display for AuditProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditProblem::Altered { seq } => {
                write!(f, "row {seq} was altered (its content does not match its keyed hash)")
            }
            AuditProblem::Missing { seq } => write!(f, "row {seq} is missing (deleted)"),
            AuditProblem::BrokenLink { seq } => {
                write!(f, "row {seq} does not link to the row before it")
            }
            AuditProblem::Truncated { last_seq, head_seq } => {
                write!(f, "rows after {last_seq} were removed (the chain head records {head_seq})")
            }
        }
    }
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    pub rows_checked: u64,
    pub problem: Option<AuditProblem>,
}

/// Total number of audit rows (for progress bars).
pub async fn count(conn: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let backend = conn.get_database_backend();
    let row = conn.query_one_raw(raw(backend, "SELECT COUNT(*) AS n FROM audit_log", [])).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u64)
}

/// Walks the chain in order and reports the first bad row. `progress` is called with the
/// number of rows checked so far.
pub async fn verify(
    conn: &impl ConnectionTrait,
    key: &[u8; 32],
    mut progress: impl FnMut(u64),
) -> Result<AuditReport, DbErr> {
    const BATCH: u64 = 1000;
    let mut expected_seq = 1i64;
    let mut prev = GENESIS.to_string();
    let mut checked = 0u64;
    loop {
        let rows = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.gte(expected_seq))
            .order_by_asc(audit_log::Column::Seq)
            .limit(BATCH)
            .all(conn)
            .await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            if row.seq != expected_seq {
                return Ok(AuditReport {
                    rows_checked: checked,
                    problem: Some(AuditProblem::Missing { seq: expected_seq }),
                });
            }
            if row.prev_hash != prev {
                return Ok(AuditReport {
                    rows_checked: checked,
                    problem: Some(AuditProblem::BrokenLink { seq: row.seq }),
                });
            }
            if row_hash(key, row) != row.hash {
                return Ok(AuditReport {
                    rows_checked: checked,
                    problem: Some(AuditProblem::Altered { seq: row.seq }),
                });
            }
            prev = row.hash.clone();
            expected_seq += 1;
            checked += 1;
        }
        progress(checked);
    }
    let backend = conn.get_database_backend();
    let head = conn
        .query_one_raw(raw(backend, "SELECT seq, hash FROM audit_head WHERE id = 1", []))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_head".into()))?;
    let head_seq: i64 = head.try_get("", "seq")?;
    let head_hash: String = head.try_get("", "hash")?;
    let last_seq = expected_seq - 1;
    if head_seq != last_seq || head_hash != prev {
        return Ok(AuditReport {
            rows_checked: checked,
            problem: Some(AuditProblem::Truncated { last_seq, head_seq }),
        });
    }
    Ok(AuditReport { rows_checked: checked, problem: None })
}

/// How many times `actor` did `action` since `since` (for limits on costly actions the audit
/// chain already records, such as paid real-name checks).
pub async fn count_actions_since(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    since: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "SELECT COUNT(*) AS n FROM audit_log WHERE actor_kind = ? AND actor_id = ? AND action = ? AND at >= ?",
            [actor.kind.into(), actor.id.into(), action.into(), since.into()],
        ))
        .await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0).max(0) as u64)
}
