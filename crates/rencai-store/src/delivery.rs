//! The delivery queue: side effects done once (SMS, e-mail, push, webhooks), enqueued in the
//! same transaction as the change that causes them, claimed by exactly one worker, retried with
//! exponential backoff, and parked as dead letters when they keep failing.
//!
//! A claim is a lease: the row becomes `running` with a random lease token and an expiry, and
//! the attempt is counted at that moment — before the worker sends anything. A worker that
//! dies mid-send leaves a lease that runs out, and the job is claimed again (at most one
//! repeat; the provider's idempotency key, where it has one, removes even that).

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Value};

use crate::raw;

pub const PENDING: &str = "pending";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const DEAD: &str = "dead";

/// A side effect to deliver.
#[derive(Debug, Clone)]
pub struct NewDelivery {
    pub station_id: i64,
    /// What to do, e.g. `sms.verification`, `email.notice`.
    pub kind: String,
    /// Input for the worker. Personal values in it must be sealed envelopes or internal ids.
    pub payload: serde_json::Value,
    /// When set, enqueueing the same key twice delivers once.
    pub dedupe_key: Option<String>,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
}

/// A job a worker holds the lease for.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedJob {
    pub id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    /// Attempts including this one.
    pub attempts: i32,
    pub max_attempts: i32,
    pub lease_token: String,
}

/// What became of a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOutcome {
    RetryAt(DateTime<Utc>),
    Dead,
    /// The lease had been lost (expired and taken by another worker); nothing was changed.
    LeaseLost,
}

/// The wait before attempt `attempt + 1`: 30 s doubling per attempt, at most 6 h, with up to
/// 25 % jitter derived from the job id so retries of many jobs do not arrive together.
pub fn retry_delay(job_id: i64, attempt: i32) -> Duration {
    let base = 30u64.saturating_mul(1u64 << (attempt.clamp(1, 20) - 1) as u32).min(6 * 3600);
    let jitter = (job_id.unsigned_abs().wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) % 26; // 0..=25
    Duration::from_secs(base + base * jitter / 100)
}

/// Enqueues a job. Returns its id, or `None` when a job with the same dedupe key exists.
pub async fn enqueue(conn: &impl ConnectionTrait, job: &NewDelivery, now: DateTime<Utc>) -> Result<Option<i64>, DbErr> {
    let backend = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            backend,
            "INSERT INTO delivery_jobs (station_id, kind, payload, dedupe_key, state, attempts, max_attempts, run_at, created_at, updated_at) \
             VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
            [
                job.station_id.into(),
                job.kind.clone().into(),
                job.payload.clone().into(),
                job.dedupe_key.clone().into(),
                job.max_attempts.max(1).into(),
                job.run_at.into(),
                now.into(),
                now.into(),
            ],
        ))
        .await?;
    row.map(|r| r.try_get("", "id")).transpose()
}

/// Claims the next due job (or one whose lease ran out), if any, for `lease`.
pub async fn claim(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease: Duration,
) -> Result<Option<ClaimedJob>, DbErr> {
    let backend = conn.get_database_backend();
    let token = hex::encode({
        let mut b = [0u8; 16];
        getrandom::fill(&mut b).expect("OS random number generator");
        b
    });
    let until = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::minutes(5));
    let due = "((state = 'pending' AND run_at <= ?) OR (state = 'running' AND lease_until < ?))";
    // PostgreSQL: lock the candidate and skip rows other workers hold, so concurrent claims
    // never wait on each other and never take the same row. SQLite runs one writer at a time.
    let lock = if backend == DbBackend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE delivery_jobs SET state = 'running', attempts = attempts + 1, lease_until = ?, lease_token = ?, updated_at = ? \
         WHERE id = (SELECT id FROM delivery_jobs WHERE {due} ORDER BY run_at, id LIMIT 1{lock}) AND {due} \
         RETURNING id, kind, payload, attempts, max_attempts"
    );
    let values: Vec<Value> =
        vec![until.into(), token.clone().into(), now.into(), now.into(), now.into(), now.into(), now.into()];
    let Some(row) = conn.query_one_raw(raw(backend, &sql, values)).await? else {
        return Ok(None);
    };
    Ok(Some(ClaimedJob {
        id: row.try_get("", "id")?,
        kind: row.try_get("", "kind")?,
        payload: row.try_get("", "payload")?,
        attempts: row.try_get("", "attempts")?,
        max_attempts: row.try_get("", "max_attempts")?,
        lease_token: token,
    }))
}

/// Marks a claimed job delivered. Returns false if the lease had been lost.
pub async fn complete(conn: &impl ConnectionTrait, job: &ClaimedJob, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let backend = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            backend,
            "UPDATE delivery_jobs SET state = 'done', lease_until = NULL, lease_token = NULL, last_error = NULL, updated_at = ? \
             WHERE id = ? AND state = 'running' AND lease_token = ?",
            [now.into(), job.id.into(), job.lease_token.clone().into()],
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}

/// Records a failed attempt: schedules a retry with backoff, or parks the job as dead.
pub async fn fail(
    conn: &impl ConnectionTrait,
    job: &ClaimedJob,
    error: &str,
    now: DateTime<Utc>,
) -> Result<FailOutcome, DbErr> {
    let backend = conn.get_database_backend();
    // Errors from providers can echo what was sent; keep only a redacted, bounded message.
    let error: String = rencai_domain::redact::redact(error).chars().take(500).collect();
    let outcome = if job.attempts >= job.max_attempts {
        FailOutcome::Dead
    } else {
        FailOutcome::RetryAt(now + chrono::Duration::from_std(retry_delay(job.id, job.attempts)).unwrap_or_default())
    };
    let (state, run_at) = match outcome {
        FailOutcome::RetryAt(at) => (PENDING, at),
        _ => (DEAD, now),
    };
    let res = conn
        .execute_raw(raw(
            backend,
            "UPDATE delivery_jobs SET state = ?, run_at = ?, lease_until = NULL, lease_token = NULL, last_error = ?, updated_at = ? \
             WHERE id = ? AND state = 'running' AND lease_token = ?",
            [state.into(), run_at.into(), error.into(), now.into(), job.id.into(), job.lease_token.clone().into()],
        ))
        .await?;
    Ok(if res.rows_affected() == 1 { outcome } else { FailOutcome::LeaseLost })
}

/// Puts a dead job back in the queue (staff action after fixing the cause).
pub async fn revive(conn: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let backend = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            backend,
            "UPDATE delivery_jobs SET state = 'pending', attempts = 0, run_at = ?, updated_at = ? WHERE id = ? AND state = 'dead'",
            [now.into(), now.into(), id.into()],
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}

/// Number of jobs in each state, for metrics and the back office.
pub async fn counts(conn: &impl ConnectionTrait) -> Result<Vec<(String, i64)>, DbErr> {
    let backend = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(backend, "SELECT state, COUNT(*) AS n FROM delivery_jobs GROUP BY state ORDER BY state", []))
        .await?;
    rows.into_iter().map(|r| Ok((r.try_get("", "state")?, r.try_get("", "n")?))).collect()
}

/// A job's state and attempts, for tests and the back office.
pub async fn state_of(conn: &impl ConnectionTrait, id: i64) -> Result<Option<(String, i32, Option<String>)>, DbErr> {
    let backend = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(backend, "SELECT state, attempts, last_error FROM delivery_jobs WHERE id = ?", [id.into()]))
        .await?;
    row.map(|r| Ok((r.try_get("", "state")?, r.try_get("", "attempts")?, r.try_get("", "last_error")?))).transpose()
}

#[cfg(test)]
mod tests {
    use super::retry_delay;

    #[test]
    fn backoff_doubles_is_capped_and_jitter_is_bounded() {
        for id in [1, 2, 99, 123_456] {
            let d1 = retry_delay(id, 1).as_secs();
            assert!((30..=38).contains(&d1), "{d1}");
            let d3 = retry_delay(id, 3).as_secs();
            assert!((120..=150).contains(&d3), "{d3}");
            assert!(retry_delay(id, 30).as_secs() <= 6 * 3600 * 125 / 100);
        }
    }
}
