//! Favourites both ways (M9): seekers keep jobs and companies, recruiters keep candidates.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::{StoreResult, raw};

/// Adds a favourite; adding twice is not an error.
pub async fn add(
    conn: &impl ConnectionTrait,
    account_id: i64,
    kind: &str,
    target_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO favourites (account_id, kind, target_id, created_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (account_id, kind, target_id) DO NOTHING",
        [account_id.into(), kind.into(), target_id.into(), now.into()],
    ))
    .await?;
    Ok(())
}

pub async fn remove(conn: &impl ConnectionTrait, account_id: i64, kind: &str, target_id: i64) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "DELETE FROM favourites WHERE account_id = ? AND kind = ? AND target_id = ?",
        [account_id.into(), kind.into(), target_id.into()],
    ))
    .await?;
    Ok(())
}

/// Target ids of one kind, newest first.
pub async fn list(conn: &impl ConnectionTrait, account_id: i64, kind: &str) -> StoreResult<Vec<i64>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT target_id FROM favourites WHERE account_id = ? AND kind = ? ORDER BY created_at DESC, id DESC",
            [account_id.into(), kind.into()],
        ))
        .await?;
    rows.iter().map(|r| Ok(r.try_get::<i64>("", "target_id")?)).collect()
}

pub async fn contains(conn: &impl ConnectionTrait, account_id: i64, kind: &str, target_id: i64) -> StoreResult<bool> {
    Ok(super::companies::count(
        conn,
        "SELECT COUNT(*) AS n FROM favourites WHERE account_id = ? AND kind = ? AND target_id = ?",
        vec![account_id.into(), kind.into(), target_id.into()],
    )
    .await?
        > 0)
}
