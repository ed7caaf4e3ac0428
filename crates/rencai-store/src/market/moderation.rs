//! Staff-kept lists used by the posting rules: banned words.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::{StoreError, StoreResult, raw};

pub async fn banned_words(conn: &impl ConnectionTrait, station_id: i64) -> StoreResult<Vec<String>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(b, "SELECT word FROM banned_words WHERE station_id = ? ORDER BY word", [station_id.into()]))
        .await?;
    rows.iter().map(|r| Ok(r.try_get::<String>("", "word")?)).collect()
}

pub async fn add_banned_word(
    conn: &impl ConnectionTrait,
    station_id: i64,
    word: &str,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO banned_words (station_id, word, created_by, created_at) VALUES (?, ?, ?, ?)",
        [station_id.into(), word.into(), by.into(), now.into()],
    ))
    .await
    .map_err(|e| StoreError::from_db(e, &[("word", "word")]))?;
    Ok(())
}

pub async fn remove_banned_word(conn: &impl ConnectionTrait, station_id: i64, word: &str) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let n = conn
        .execute_raw(raw(
            b,
            "DELETE FROM banned_words WHERE station_id = ? AND word = ?",
            [station_id.into(), word.into()],
        ))
        .await?
        .rows_affected();
    Ok(n > 0)
}
