//! Staff's versions of notice wording (minijinja sources), one row per notice kind.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::{StoreResult, raw};

#[derive(Debug, Clone, FromQueryResult)]
pub struct TemplateRow {
    pub kind: String,
    pub title: String,
    pub body: String,
    pub updated_by: i64,
    pub updated_at: DateTime<Utc>,
}

pub async fn all(conn: &impl ConnectionTrait) -> StoreResult<Vec<TemplateRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT kind, title, body, updated_by, updated_at FROM notice_templates ORDER BY kind",
            [],
        ))
        .await?;
    Ok(rows.iter().map(|r| TemplateRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

pub async fn upsert(
    conn: &impl ConnectionTrait,
    kind: &str,
    title: &str,
    body: &str,
    by: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO notice_templates (kind, title, body, updated_by, updated_at) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (kind) DO UPDATE SET title = excluded.title, body = excluded.body, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        [kind.into(), title.into(), body.into(), by.into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// Goes back to the default wording. Returns whether there was a version to remove.
pub async fn remove(conn: &impl ConnectionTrait, kind: &str) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let done = conn.execute_raw(raw(b, "DELETE FROM notice_templates WHERE kind = ?", [kind.into()])).await?;
    Ok(done.rows_affected() == 1)
}
