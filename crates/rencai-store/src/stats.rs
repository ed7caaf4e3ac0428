//! The statistics aggregates (P19): written by the refresh job, read by `/stats`.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::{StoreResult, raw};

/// Replaces one metric's cells for one day.
pub async fn replace_day(
    conn: &impl ConnectionTrait,
    station_id: i64,
    day: &str,
    metric: &str,
    cells: &[(String, u64)],
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "DELETE FROM stats_daily WHERE station_id = ? AND metric = ? AND day = ?",
        [station_id.into(), metric.into(), day.into()],
    ))
    .await?;
    for (dimension, value) in cells {
        conn.execute_raw(raw(
            b,
            "INSERT INTO stats_daily (station_id, day, metric, dimension, value) VALUES (?, ?, ?, ?, ?)",
            [station_id.into(), day.into(), metric.into(), dimension.clone().into(), (*value as i64).into()],
        ))
        .await?;
    }
    Ok(())
}

/// (day, dimension, value) of a metric from `from_day` on, in day order.
pub async fn series(
    conn: &impl ConnectionTrait,
    station_id: i64,
    metric: &str,
    from_day: &str,
) -> StoreResult<Vec<(String, String, u64)>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT day, dimension, value FROM stats_daily WHERE station_id = ? AND metric = ? AND day >= ? \
             ORDER BY day, dimension",
            [station_id.into(), metric.into(), from_day.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("", "day")?, r.try_get("", "dimension")?, r.try_get::<i64>("", "value")? as u64)))
        .collect()
}

/// (published_at, industry, district, salary_min, salary_max) of jobs published since `since`.
pub async fn jobs_published_since(
    conn: &impl ConnectionTrait,
    station_id: i64,
    since: DateTime<Utc>,
) -> StoreResult<Vec<(DateTime<Utc>, String, String, Option<i32>, Option<i32>)>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT published_at, industry, district, salary_min, salary_max FROM jobs \
             WHERE station_id = ? AND published_at IS NOT NULL AND published_at >= ?",
            [station_id.into(), since.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("", "published_at")?,
                r.try_get("", "industry")?,
                r.try_get("", "district")?,
                r.try_get("", "salary_min")?,
                r.try_get("", "salary_max")?,
            ))
        })
        .collect()
}

/// (industry, district, salary_min, salary_max, applications) of every job open now.
pub async fn open_jobs(
    conn: &impl ConnectionTrait,
    station_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<Vec<(String, String, Option<i32>, Option<i32>, i64)>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT j.industry, j.district, j.salary_min, j.salary_max, \
             (SELECT COUNT(*) FROM applications a WHERE a.job_id = j.id) AS applications \
             FROM jobs j WHERE j.station_id = ? AND j.status = 'published' AND j.expires_at > ?",
            [station_id.into(), now.into()],
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("", "industry")?,
                r.try_get("", "district")?,
                r.try_get("", "salary_min")?,
                r.try_get("", "salary_max")?,
                r.try_get("", "applications")?,
            ))
        })
        .collect()
}

/// (day in Beijing as `YYYY-MM-DD` is computed by the caller) application times since `since`.
pub async fn applications_since(
    conn: &impl ConnectionTrait,
    station_id: i64,
    since: DateTime<Utc>,
) -> StoreResult<Vec<DateTime<Utc>>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT created_at FROM applications WHERE station_id = ? AND created_at >= ?",
            [station_id.into(), since.into()],
        ))
        .await?;
    rows.iter().map(|r| Ok(r.try_get("", "created_at")?)).collect()
}

/// The back office's operational figures: (key, count), nothing personal.
pub async fn operations(
    conn: &impl ConnectionTrait,
    day_start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<Vec<(&'static str, u64)>> {
    let b = conn.get_database_backend();
    let queries: [(&'static str, &str, Vec<sea_orm::Value>); 9] = [
        ("seekers", "SELECT COUNT(*) AS n FROM accounts WHERE role = 'seeker' AND status = 'active'", vec![]),
        (
            "recruiters",
            "SELECT COUNT(*) AS n FROM accounts WHERE role IN ('company', 'agency') AND status = 'active'",
            vec![],
        ),
        ("awaiting_purge", "SELECT COUNT(*) AS n FROM deletion_log WHERE purged_at IS NULL", vec![]),
        ("jobs_pending", "SELECT COUNT(*) AS n FROM jobs WHERE status = 'pending'", vec![]),
        ("jobs_open", "SELECT COUNT(*) AS n FROM jobs WHERE status = 'published' AND expires_at > ?", vec![now.into()]),
        ("applications_today", "SELECT COUNT(*) AS n FROM applications WHERE created_at >= ?", vec![day_start.into()]),
        ("tickets_open", "SELECT COUNT(*) AS n FROM tickets WHERE status = 'open'", vec![]),
        ("tickets_overdue", "SELECT COUNT(*) AS n FROM tickets WHERE status = 'open' AND due_at < ?", vec![now.into()]),
        ("deliveries_failed", "SELECT COUNT(*) AS n FROM delivery_jobs WHERE state = 'dead'", vec![]),
    ];
    let mut out = Vec::new();
    for (key, sql, vals) in queries {
        let row = conn.query_one_raw(raw(b, sql, vals)).await?;
        out.push((key, row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u64));
    }
    Ok(out)
}
