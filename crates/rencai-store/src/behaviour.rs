//! Behaviour events for personalization (P8).

use chrono::{DateTime, Utc};
use rencai_crypto::FieldContext;
use sea_orm::ConnectionTrait;

use crate::{StoreResult, raw};

/// A search's words.
pub const KEYWORD: FieldContext = FieldContext("behaviour_events.keyword");

pub async fn record(
    conn: &impl ConnectionTrait,
    account_id: i64,
    kind: &str,
    category: Option<&str>,
    keyword_sealed: Option<String>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO behaviour_events (account_id, kind, category, keyword_sealed, created_at) VALUES (?, ?, ?, ?, ?)",
        [account_id.into(), kind.into(), category.map(str::to_owned).into(), keyword_sealed.into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// (category, events) of an account since `since`, most first.
pub async fn categories(
    conn: &impl ConnectionTrait,
    account_id: i64,
    since: DateTime<Utc>,
) -> StoreResult<Vec<(String, u64)>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT category, COUNT(*) AS n FROM behaviour_events WHERE account_id = ? AND category IS NOT NULL \
             AND created_at >= ? GROUP BY category ORDER BY n DESC, category",
            [account_id.into(), since.into()],
        ))
        .await?;
    rows.iter().map(|r| Ok((r.try_get("", "category")?, r.try_get::<i64>("", "n")? as u64))).collect()
}

/// Forgets the events behind one inferred tag.
pub async fn forget_category(conn: &impl ConnectionTrait, account_id: i64, category: &str) -> StoreResult<u64> {
    let b = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            b,
            "DELETE FROM behaviour_events WHERE account_id = ? AND category = ?",
            [account_id.into(), category.into()],
        ))
        .await?;
    Ok(res.rows_affected())
}

/// Forgets everything (personalization switched off).
pub async fn forget_all(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<u64> {
    let b = conn.get_database_backend();
    let res =
        conn.execute_raw(raw(b, "DELETE FROM behaviour_events WHERE account_id = ?", [account_id.into()])).await?;
    Ok(res.rows_affected())
}
