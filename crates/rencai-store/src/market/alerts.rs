//! Saved searches and their alerts (M7, M11).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult};

use super::companies::count;
use crate::{StoreResult, raw};

#[derive(Debug, Clone, FromQueryResult)]
pub struct SavedSearchRow {
    pub id: i64,
    pub public_id: String,
    pub account_id: i64,
    pub name: String,
    pub query: String,
    pub frequency: String,
    pub checked_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str =
    "SELECT id, public_id, account_id, name, query, frequency, checked_at, created_at FROM saved_searches";

pub async fn insert(
    conn: &impl ConnectionTrait,
    account_id: i64,
    name: &str,
    query: &str,
    frequency: &str,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let b = conn.get_database_backend();
    let public_id = uuid::Uuid::now_v7().to_string();
    conn.execute_raw(raw(
        b,
        "INSERT INTO saved_searches (public_id, account_id, name, query, frequency, checked_at, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            public_id.clone().into(),
            account_id.into(),
            name.into(),
            query.into(),
            frequency.into(),
            now.into(),
            now.into(),
        ],
    ))
    .await?;
    Ok(public_id)
}

pub async fn of_account(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<Vec<SavedSearchRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(b, &format!("{SELECT} WHERE account_id = ? ORDER BY id DESC"), [account_id.into()]))
        .await?;
    Ok(rows.iter().map(|r| SavedSearchRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

pub async fn count_of(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<u64> {
    count(conn, "SELECT COUNT(*) AS n FROM saved_searches WHERE account_id = ?", vec![account_id.into()]).await
}

/// Deletes one of the account's saved searches; someone else's id changes nothing.
pub async fn delete(conn: &impl ConnectionTrait, account_id: i64, public_id: &str) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let done = conn
        .execute_raw(raw(
            b,
            "DELETE FROM saved_searches WHERE account_id = ? AND public_id = ?",
            [account_id.into(), public_id.into()],
        ))
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_frequency(
    conn: &impl ConnectionTrait,
    account_id: i64,
    public_id: &str,
    frequency: &str,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    // Switching alerts on starts from now: no flood of what was published while they were off.
    let done = conn
        .execute_raw(raw(
            b,
            "UPDATE saved_searches SET frequency = ?, checked_at = ? WHERE account_id = ? AND public_id = ?",
            [frequency.into(), now.into(), account_id.into(), public_id.into()],
        ))
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Searches of `frequency` last checked before `before`, oldest first.
pub async fn due(
    conn: &impl ConnectionTrait,
    frequency: &str,
    before: DateTime<Utc>,
    limit: u64,
) -> StoreResult<Vec<SavedSearchRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!("{SELECT} WHERE frequency = ? AND checked_at < ? ORDER BY checked_at, id LIMIT {limit}"),
            [frequency.into(), before.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| SavedSearchRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// Moves a search's check time from `from` to `to`; false when another node checked it first.
pub async fn mark_checked(
    conn: &impl ConnectionTrait,
    id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let done = conn
        .execute_raw(raw(
            b,
            "UPDATE saved_searches SET checked_at = ? WHERE id = ? AND checked_at = ?",
            [to.into(), id.into(), from.into()],
        ))
        .await?;
    Ok(done.rows_affected() == 1)
}
