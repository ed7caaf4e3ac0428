//! The statistics aggregates (P19): written by the refresh job, read by `/stats`.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Value};

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

// The aggregates below count in the database: at a million jobs, reading the rows out to count
// them held a gigabyte and half a minute of a core every hour.

/// A timestamp column's day in China (UTC+8 all year) as `YYYY-MM-DD`.
fn china_day(b: DbBackend, column: &str) -> String {
    match b {
        DbBackend::Postgres => format!("to_char({column} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')"),
        _ => format!("date({column}, '+8 hours')"),
    }
}

/// A band index, as text, from ascending lower bounds (below the first counts as the first
/// band).
fn band_of(value: &str, lows: &[i64]) -> String {
    let mut case = String::from("CAST(CASE");
    for (i, low) in lows.iter().enumerate().rev().take(lows.len().saturating_sub(1)) {
        case.push_str(&format!(" WHEN {value} >= {low} THEN {i}"));
    }
    case.push_str(" ELSE 0 END AS TEXT)");
    case
}

/// Rows of one or two text keys (`k1`, `k2`) and a count (`n`).
async fn counted(conn: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> StoreResult<Vec<(Vec<String>, u64)>> {
    let b = conn.get_database_backend();
    let rows = conn.query_all_raw(raw(b, sql, values)).await?;
    rows.iter()
        .map(|r| {
            let keys = ["k1", "k2"].iter().map_while(|k| r.try_get::<String>("", k).ok()).collect();
            Ok((keys, r.try_get::<i64>("", "n")? as u64))
        })
        .collect()
}

/// Jobs published since `since`, counted by (China day, industry).
pub async fn jobs_published_by_day(
    conn: &impl ConnectionTrait,
    station_id: i64,
    since: DateTime<Utc>,
) -> StoreResult<Vec<(String, String, u64)>> {
    let day = china_day(conn.get_database_backend(), "published_at");
    let sql = format!(
        "SELECT {day} AS k1, industry AS k2, COUNT(*) AS n FROM jobs \
         WHERE station_id = ? AND published_at IS NOT NULL AND published_at >= ? GROUP BY 1, 2"
    );
    let rows = counted(conn, &sql, vec![station_id.into(), since.into()]).await?;
    Ok(rows.into_iter().filter_map(|(k, n)| Some((k.first()?.clone(), k.get(1)?.clone(), n))).collect())
}

/// Applications sent since `since`, counted by China day.
pub async fn applications_by_day(
    conn: &impl ConnectionTrait,
    station_id: i64,
    since: DateTime<Utc>,
) -> StoreResult<Vec<(String, u64)>> {
    let day = china_day(conn.get_database_backend(), "created_at");
    let sql = format!(
        "SELECT {day} AS k1, COUNT(*) AS n FROM applications WHERE station_id = ? AND created_at >= ? GROUP BY 1"
    );
    let rows = counted(conn, &sql, vec![station_id.into(), since.into()]).await?;
    Ok(rows.into_iter().filter_map(|(k, n)| Some((k.first()?.clone(), n))).collect())
}

/// What open jobs are counted by.
#[derive(Debug, Clone, Copy)]
pub enum OpenJobsBy<'a> {
    District,
    /// The band (index into these ascending lower bounds) of the pay's bottom, or its top when
    /// only that is given; jobs at 面议 are not counted.
    Pay(&'a [i64]),
    /// The band of how many applications the job has received.
    Applications(&'a [i64]),
}

/// Jobs open at `now` (published, not expired), counted by `by`: (key, count).
pub async fn open_jobs_by(
    conn: &impl ConnectionTrait,
    station_id: i64,
    now: DateTime<Utc>,
    by: OpenJobsBy<'_>,
) -> StoreResult<Vec<(String, u64)>> {
    let (key, extra) = match by {
        OpenJobsBy::District => ("j.district".to_string(), ""),
        OpenJobsBy::Pay(lows) => (
            band_of("COALESCE(j.salary_min, j.salary_max)", lows),
            " AND COALESCE(j.salary_min, j.salary_max) IS NOT NULL",
        ),
        OpenJobsBy::Applications(lows) => {
            (band_of("(SELECT COUNT(*) FROM applications a WHERE a.job_id = j.id)", lows), "")
        }
    };
    let sql = format!(
        "SELECT {key} AS k1, COUNT(*) AS n FROM jobs j \
         WHERE j.station_id = ? AND j.status = 'published' AND j.expires_at > ?{extra} GROUP BY 1"
    );
    let rows = counted(conn, &sql, vec![station_id.into(), now.into()]).await?;
    Ok(rows.into_iter().filter_map(|(k, n)| Some((k.first()?.clone(), n))).collect())
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
