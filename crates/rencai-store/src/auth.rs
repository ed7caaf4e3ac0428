//! Storage for credentials, verification codes, sessions, consents, the dev outbox and CAPTCHA
//! challenges. Only hashes of codes, tokens and answers are kept; phone numbers and addresses
//! appear as blind indexes or sealed envelopes.

use chrono::{DateTime, Utc};
use rencai_domain::sms::SendCounts;
use sea_orm::{ConnectionTrait, DbErr};

use crate::raw;

// ---- credentials -------------------------------------------------------------------------

pub async fn set_password(
    conn: &impl ConnectionTrait,
    account_id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO credentials (account_id, password_hash, changed_at) VALUES (?, ?, ?) \
         ON CONFLICT (account_id) DO UPDATE SET password_hash = excluded.password_hash, changed_at = excluded.changed_at",
        [account_id.into(), hash.into(), now.into()],
    ))
    .await?;
    Ok(())
}

pub async fn password_hash(conn: &impl ConnectionTrait, account_id: i64) -> Result<Option<String>, DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(b, "SELECT password_hash FROM credentials WHERE account_id = ?", [account_id.into()]))
        .await?;
    row.map(|r| r.try_get("", "password_hash")).transpose()
}

// ---- verification codes ------------------------------------------------------------------

/// A code to store (its hash) and count against the limits.
#[derive(Debug, Clone)]
pub struct NewCode<'a> {
    pub phone_blind: &'a str,
    pub purpose: &'a str,
    pub code_hash: &'a str,
    pub ip_bucket: &'a str,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert_code(conn: &impl ConnectionTrait, c: &NewCode<'_>) -> Result<i64, DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "INSERT INTO sms_codes (phone_blind, purpose, code_hash, ip_bucket, wrong_tries, created_at, expires_at) \
             VALUES (?, ?, ?, ?, 0, ?, ?) RETURNING id",
            [
                c.phone_blind.into(),
                c.purpose.into(),
                c.code_hash.into(),
                c.ip_bucket.into(),
                c.created_at.into(),
                c.expires_at.into(),
            ],
        ))
        .await?
        .ok_or_else(|| DbErr::RecordNotInserted)?;
    row.try_get("", "id")
}

async fn count_and_oldest(
    conn: &impl ConnectionTrait,
    filter: &str,
    value: Option<&str>,
    since: DateTime<Utc>,
) -> Result<(u32, Option<DateTime<Utc>>, Option<DateTime<Utc>>), DbErr> {
    let b = conn.get_database_backend();
    let sql = format!(
        "SELECT COUNT(*) AS n, MIN(created_at) AS oldest, MAX(created_at) AS newest FROM sms_codes WHERE {filter} created_at >= ?"
    );
    let mut values: Vec<sea_orm::Value> = Vec::new();
    if let Some(v) = value {
        values.push(v.into());
    }
    values.push(since.into());
    let row = conn.query_one_raw(raw(b, &sql, values)).await?.ok_or(DbErr::RecordNotFound("count".into()))?;
    let n: i64 = row.try_get("", "n")?;
    let oldest: Option<DateTime<Utc>> = row.try_get("", "oldest").ok().flatten();
    let newest: Option<DateTime<Utc>> = row.try_get("", "newest").ok().flatten();
    Ok((n as u32, oldest, newest))
}

/// Counts the sends that the limits look at.
pub async fn send_counts(
    conn: &impl ConnectionTrait,
    phone_blind: &str,
    ip_bucket: &str,
    now: DateTime<Utc>,
    day_start: DateTime<Utc>,
    day_end: DateTime<Utc>,
) -> Result<SendCounts, DbErr> {
    let minute = now - chrono::Duration::minutes(1);
    let hour = now - chrono::Duration::hours(1);
    let age = |t: Option<DateTime<Utc>>| t.map(|t| (now - t).num_seconds().max(0) as u64);
    let (phone_last_minute, _, _) = count_and_oldest(conn, "phone_blind = ? AND", Some(phone_blind), minute).await?;
    let (phone_last_hour, phone_oldest, phone_newest) =
        count_and_oldest(conn, "phone_blind = ? AND", Some(phone_blind), hour).await?;
    let (phone_today, _, _) = count_and_oldest(conn, "phone_blind = ? AND", Some(phone_blind), day_start).await?;
    let (ip_last_hour, ip_oldest, _) = count_and_oldest(conn, "ip_bucket = ? AND", Some(ip_bucket), hour).await?;
    let (global_today, _, _) = count_and_oldest(conn, "", None, day_start).await?;
    Ok(SendCounts {
        phone_last_minute,
        phone_last_hour,
        phone_today,
        ip_last_hour,
        global_today,
        phone_last_send_age_secs: age(phone_newest),
        phone_oldest_in_hour_age_secs: age(phone_oldest),
        ip_oldest_in_hour_age_secs: age(ip_oldest),
        secs_to_midnight: (day_end - now).num_seconds().max(1) as u64,
    })
}

/// Sends from an address within the window (whether a CAPTCHA is due).
pub async fn sends_from(conn: &impl ConnectionTrait, ip_bucket: &str, since: DateTime<Utc>) -> Result<u32, DbErr> {
    Ok(count_and_oldest(conn, "ip_bucket = ? AND", Some(ip_bucket), since).await?.0)
}

/// The newest code of a phone and purpose that is neither used nor expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveCode {
    pub id: i64,
    pub code_hash: String,
    pub wrong_tries: i32,
}

pub async fn latest_active_code(
    conn: &impl ConnectionTrait,
    phone_blind: &str,
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<Option<ActiveCode>, DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "SELECT id, code_hash, wrong_tries FROM sms_codes \
             WHERE phone_blind = ? AND purpose = ? AND consumed_at IS NULL AND expires_at > ? \
             ORDER BY created_at DESC, id DESC LIMIT 1",
            [phone_blind.into(), purpose.into(), now.into()],
        ))
        .await?;
    row.map(|r| {
        Ok(ActiveCode {
            id: r.try_get("", "id")?,
            code_hash: r.try_get("", "code_hash")?,
            wrong_tries: r.try_get("", "wrong_tries")?,
        })
    })
    .transpose()
}

/// Counts a wrong try; once `max` is reached the code is used up. Returns the tries so far.
pub async fn record_wrong_try(
    conn: &impl ConnectionTrait,
    id: i64,
    max: i32,
    now: DateTime<Utc>,
) -> Result<i32, DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "UPDATE sms_codes SET wrong_tries = wrong_tries + 1, \
             consumed_at = CASE WHEN wrong_tries + 1 >= ? THEN ? ELSE consumed_at END \
             WHERE id = ? RETURNING wrong_tries",
            [max.into(), now.into(), id.into()],
        ))
        .await?;
    Ok(row.map(|r| r.try_get("", "wrong_tries")).transpose()?.unwrap_or(max))
}

/// Marks a code used. False if someone used it first: a code works once.
pub async fn consume_code(conn: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let b = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            b,
            "UPDATE sms_codes SET consumed_at = ? WHERE id = ? AND consumed_at IS NULL",
            [now.into(), id.into()],
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}

/// Wrong tries on all codes of a phone since `since`.
pub async fn wrong_tries_since(
    conn: &impl ConnectionTrait,
    phone_blind: &str,
    since: DateTime<Utc>,
) -> Result<u32, DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "SELECT COALESCE(SUM(wrong_tries), 0) AS n FROM sms_codes WHERE phone_blind = ? AND created_at >= ?",
            [phone_blind.into(), since.into()],
        ))
        .await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u32)
}

// ---- sessions ----------------------------------------------------------------------------

/// A session to store. `token_hash` is SHA-256 of the token the client holds.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub public_id: &'a str,
    pub token_hash: &'a str,
    pub account_id: i64,
    pub kind: &'a str,
    pub csrf_token: &'a str,
    pub device: &'a str,
    pub family: Option<&'a str>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub id: i64,
    pub public_id: String,
    pub account_id: i64,
    pub kind: String,
    pub csrf_token: String,
    pub device: String,
    pub family: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

const SESSION_COLS: &str =
    "id, public_id, account_id, kind, csrf_token, device, family, created_at, last_seen_at, expires_at, ended_at";

fn session_row(r: &sea_orm::QueryResult) -> Result<SessionRow, DbErr> {
    Ok(SessionRow {
        id: r.try_get("", "id")?,
        public_id: r.try_get("", "public_id")?,
        account_id: r.try_get("", "account_id")?,
        kind: r.try_get("", "kind")?,
        csrf_token: r.try_get("", "csrf_token")?,
        device: r.try_get("", "device")?,
        family: r.try_get("", "family")?,
        created_at: r.try_get("", "created_at")?,
        last_seen_at: r.try_get("", "last_seen_at")?,
        expires_at: r.try_get("", "expires_at")?,
        ended_at: r.try_get("", "ended_at")?,
    })
}

pub async fn create_session(conn: &impl ConnectionTrait, s: &NewSession<'_>) -> Result<i64, DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "INSERT INTO sessions (public_id, token_hash, account_id, kind, csrf_token, device, family, created_at, last_seen_at, expires_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                s.public_id.into(),
                s.token_hash.into(),
                s.account_id.into(),
                s.kind.into(),
                s.csrf_token.into(),
                s.device.into(),
                s.family.into(),
                s.created_at.into(),
                s.created_at.into(),
                s.expires_at.into(),
            ],
        ))
        .await?
        .ok_or(DbErr::RecordNotInserted)?;
    row.try_get("", "id")
}

pub async fn session_by_token_hash(conn: &impl ConnectionTrait, token_hash: &str) -> Result<Option<SessionRow>, DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            &format!("SELECT {SESSION_COLS} FROM sessions WHERE token_hash = ?"),
            [token_hash.into()],
        ))
        .await?;
    row.as_ref().map(session_row).transpose()
}

pub async fn touch_session(conn: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<(), DbErr> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "UPDATE sessions SET last_seen_at = ? WHERE id = ? AND ended_at IS NULL",
        [now.into(), id.into()],
    ))
    .await?;
    Ok(())
}

/// Ends one session of an account. False if it was not that account's or already ended.
pub async fn end_session(
    conn: &impl ConnectionTrait,
    account_id: i64,
    public_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let b = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            b,
            "UPDATE sessions SET ended_at = ? WHERE account_id = ? AND public_id = ? AND ended_at IS NULL",
            [now.into(), account_id.into(), public_id.into()],
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}

/// Ends every token of a family (a reused refresh token, an app logout).
pub async fn end_family(conn: &impl ConnectionTrait, family: &str, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let b = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            b,
            "UPDATE sessions SET ended_at = ? WHERE family = ? AND ended_at IS NULL",
            [now.into(), family.into()],
        ))
        .await?;
    Ok(res.rows_affected())
}

/// Ends every session of an account (deactivation, password change).
pub async fn end_all_sessions(conn: &impl ConnectionTrait, account_id: i64, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let b = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            b,
            "UPDATE sessions SET ended_at = ? WHERE account_id = ? AND ended_at IS NULL",
            [now.into(), account_id.into()],
        ))
        .await?;
    Ok(res.rows_affected())
}

/// The account's sessions still open at `now`, newest first.
pub async fn open_sessions(
    conn: &impl ConnectionTrait,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<SessionRow>, DbErr> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!("SELECT {SESSION_COLS} FROM sessions WHERE account_id = ? AND ended_at IS NULL AND expires_at > ? ORDER BY last_seen_at DESC"),
            [account_id.into(), now.into()],
        ))
        .await?;
    rows.iter().map(session_row).collect()
}

// ---- consents ----------------------------------------------------------------------------

pub async fn record_consent(
    conn: &impl ConnectionTrait,
    account_id: i64,
    privacy_version: &str,
    terms_version: &str,
    ip_sealed: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO consents (account_id, privacy_version, terms_version, accepted_at, ip_sealed) VALUES (?, ?, ?, ?, ?)",
        [account_id.into(), privacy_version.into(), terms_version.into(), now.into(), ip_sealed.into()],
    ))
    .await?;
    Ok(())
}

/// (privacy version, terms version, accepted at, sealed address), newest first.
pub async fn consents(
    conn: &impl ConnectionTrait,
    account_id: i64,
) -> Result<Vec<(String, String, DateTime<Utc>, String)>, DbErr> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT privacy_version, terms_version, accepted_at, ip_sealed FROM consents WHERE account_id = ? ORDER BY accepted_at DESC, id DESC",
            [account_id.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("", "privacy_version")?,
                r.try_get("", "terms_version")?,
                r.try_get("", "accepted_at")?,
                r.try_get("", "ip_sealed")?,
            ))
        })
        .collect()
}

// ---- dev outbox --------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub phone_sealed: String,
    pub template: String,
    pub params_sealed: String,
    pub created_at: DateTime<Utc>,
}

pub async fn outbox_push(
    conn: &impl ConnectionTrait,
    phone_blind: &str,
    phone_sealed: &str,
    template: &str,
    params_sealed: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "INSERT INTO dev_outbox (phone_blind, phone_sealed, template, params_sealed, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            [phone_blind.into(), phone_sealed.into(), template.into(), params_sealed.into(), now.into()],
        ))
        .await?
        .ok_or(DbErr::RecordNotInserted)?;
    row.try_get("", "id")
}

/// The newest messages, optionally only those to one phone (by blind index).
pub async fn outbox_list(
    conn: &impl ConnectionTrait,
    phone_blind: Option<&str>,
    limit: u32,
) -> Result<Vec<OutboxRow>, DbErr> {
    let b = conn.get_database_backend();
    let (filter, mut values): (&str, Vec<sea_orm::Value>) = match phone_blind {
        Some(p) => ("WHERE phone_blind = ?", vec![p.into()]),
        None => ("", vec![]),
    };
    values.push(i64::from(limit).into());
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!("SELECT id, phone_sealed, template, params_sealed, created_at FROM dev_outbox {filter} ORDER BY id DESC LIMIT ?"),
            values,
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(OutboxRow {
                id: r.try_get("", "id")?,
                phone_sealed: r.try_get("", "phone_sealed")?,
                template: r.try_get("", "template")?,
                params_sealed: r.try_get("", "params_sealed")?,
                created_at: r.try_get("", "created_at")?,
            })
        })
        .collect()
}

// ---- CAPTCHA -----------------------------------------------------------------------------

pub async fn captcha_create(
    conn: &impl ConnectionTrait,
    public_id: &str,
    answer_hash: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO captcha_challenges (public_id, answer_hash, expires_at) VALUES (?, ?, ?)",
        [public_id.into(), answer_hash.into(), expires_at.into()],
    ))
    .await?;
    Ok(())
}

/// Takes a challenge for one answer: marks it used and returns its answer hash, or None if it
/// is unknown, expired or already used. A challenge is good for one try only.
pub async fn captcha_take(
    conn: &impl ConnectionTrait,
    public_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>, DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "UPDATE captcha_challenges SET used_at = ? WHERE public_id = ? AND used_at IS NULL AND expires_at > ? RETURNING answer_hash",
            [now.into(), public_id.into(), now.into()],
        ))
        .await?;
    row.map(|r| r.try_get("", "answer_hash")).transpose()
}

// ---- failed password logins --------------------------------------------------------------

/// Records a failed password login for a phone (by blind index). The retention job forgets
/// failures after a day (`privacy::TABLES`).
pub async fn record_login_failure(
    conn: &impl ConnectionTrait,
    phone_blind: &str,
    ip_blind: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO login_failures (phone_blind, ip_blind, created_at) VALUES (?, ?, ?)",
        [phone_blind.into(), ip_blind.into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// Failed password logins from an address bucket since `since`, and the oldest of them.
pub async fn login_failures_from(
    conn: &impl ConnectionTrait,
    ip_blind: &str,
    since: DateTime<Utc>,
) -> Result<(u32, Option<DateTime<Utc>>), DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM login_failures WHERE ip_blind = ? AND created_at >= ?",
            [ip_blind.into(), since.into()],
        ))
        .await?
        .ok_or(DbErr::RecordNotFound("count".into()))?;
    let n: i64 = row.try_get("", "n")?;
    Ok((n as u32, row.try_get("", "oldest").ok().flatten()))
}

/// Failed password logins for a phone since `since`, and the oldest of them.
pub async fn login_failures_since(
    conn: &impl ConnectionTrait,
    phone_blind: &str,
    since: DateTime<Utc>,
) -> Result<(u32, Option<DateTime<Utc>>), DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM login_failures WHERE phone_blind = ? AND created_at >= ?",
            [phone_blind.into(), since.into()],
        ))
        .await?
        .ok_or(DbErr::RecordNotFound("count".into()))?;
    let n: i64 = row.try_get("", "n")?;
    Ok((n as u32, row.try_get("", "oldest").ok().flatten()))
}
