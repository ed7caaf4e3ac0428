//! Storage of staff members.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use crate::raw;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    pub id: i64,
    pub account_id: i64,
    pub role: String,
    pub totp_secret_sealed: String,
    pub totp_last_step: Option<i64>,
    pub failed_logins: i32,
    pub locked_until: Option<DateTime<Utc>>,
}

pub async fn insert(
    conn: &impl ConnectionTrait,
    account_id: i64,
    role: &str,
    totp_secret_sealed: &str,
    created_by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO staff_members (account_id, role, totp_secret_sealed, failed_logins, created_by, created_at) VALUES (?, ?, ?, 0, ?, ?)",
        [account_id.into(), role.into(), totp_secret_sealed.into(), created_by.into(), now.into()],
    ))
    .await?;
    Ok(())
}

pub async fn by_account(conn: &impl ConnectionTrait, account_id: i64) -> Result<Option<StaffRow>, DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "SELECT id, account_id, role, totp_secret_sealed, totp_last_step, failed_logins, locked_until FROM staff_members WHERE account_id = ?",
            [account_id.into()],
        ))
        .await?;
    row.map(|r| {
        Ok(StaffRow {
            id: r.try_get("", "id")?,
            account_id: r.try_get("", "account_id")?,
            role: r.try_get("", "role")?,
            totp_secret_sealed: r.try_get("", "totp_secret_sealed")?,
            totp_last_step: r.try_get("", "totp_last_step")?,
            failed_logins: r.try_get("", "failed_logins")?,
            locked_until: r.try_get("", "locked_until")?,
        })
    })
    .transpose()
}

/// Counts a failed login; at `max` failures the account locks until `lock_until`.
pub async fn record_failure(
    conn: &impl ConnectionTrait,
    id: i64,
    max: i32,
    lock_until: DateTime<Utc>,
) -> Result<(), DbErr> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "UPDATE staff_members SET \
         locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END, \
         failed_logins = CASE WHEN failed_logins + 1 >= ? THEN 0 ELSE failed_logins + 1 END \
         WHERE id = ?",
        [max.into(), lock_until.into(), max.into(), id.into()],
    ))
    .await?;
    Ok(())
}

/// A successful login: failures forgotten, the TOTP step remembered. False if another login
/// used the same or a later step first (a replayed code).
pub async fn record_success(conn: &impl ConnectionTrait, id: i64, step: i64) -> Result<bool, DbErr> {
    let b = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            b,
            "UPDATE staff_members SET failed_logins = 0, locked_until = NULL, totp_last_step = ? \
             WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)",
            [step.into(), id.into(), step.into()],
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn count_with_role(conn: &impl ConnectionTrait, role: &str) -> Result<u64, DbErr> {
    let b = conn.get_database_backend();
    let row =
        conn.query_one_raw(raw(b, "SELECT COUNT(*) AS n FROM staff_members WHERE role = ?", [role.into()])).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u64)
}
