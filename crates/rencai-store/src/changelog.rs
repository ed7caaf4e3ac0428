//! The change log: an append-only feed of "this thing changed", written in the same
//! transaction as the change itself, read by every replica (search index, caches) with its own
//! cursor.
//!
//! Entries are notifications, not state: a consumer re-reads the current row. On PostgreSQL,
//! sequence values are taken at insert but become visible at commit, so a naive reader that
//! remembers "last id seen" skips a row whose transaction commits late. Each row therefore
//! carries its writer's transaction id, and a reader only takes rows of transactions older than
//! the oldest one still running (`pg_snapshot_xmin`): those are all finished, and no new row
//! can ever appear below that line. The cursor is the pair (transaction id, row id). On SQLite
//! one writer runs at a time and ids become visible in order, so the row id alone is exact.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr};
use serde::{Deserialize, Serialize};

use crate::raw;

/// What happened to the entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    Created,
    Updated,
    Deleted,
}

impl ChangeOp {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeOp::Created => "created",
            ChangeOp::Updated => "updated",
            ChangeOp::Deleted => "deleted",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "created" => ChangeOp::Created,
            "deleted" => ChangeOp::Deleted,
            _ => ChangeOp::Updated,
        }
    }
}

/// A change to announce. `payload` carries hints for consumers, never personal data.
#[derive(Debug, Clone)]
pub struct NewChange {
    pub station_id: i64,
    pub topic: &'static str,
    pub entity_id: String,
    pub op: ChangeOp,
    pub payload: serde_json::Value,
}

/// A change as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRecord {
    pub id: i64,
    pub tx_id: i64,
    pub station_id: i64,
    pub topic: String,
    pub entity_id: String,
    pub op: ChangeOp,
    pub payload: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// Where a reader is in the log. `Cursor::default()` is the beginning.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Cursor {
    pub tx_id: i64,
    pub id: i64,
}

/// Changes appended by this process. A replica in this process compares it with the count it
/// last caught up to, so a reader sees its own node's writes without polling the database on
/// every read (changes from other nodes arrive by polling).
static LOCAL_APPENDS: AtomicU64 = AtomicU64::new(0);

/// How many changes this process has appended (see [`LOCAL_APPENDS`]).
pub fn local_appends() -> u64 {
    LOCAL_APPENDS.load(Ordering::Acquire)
}

/// Appends `change` using `conn`, which should be the transaction making the change.
pub async fn append(conn: &impl ConnectionTrait, change: &NewChange, now: DateTime<Utc>) -> Result<(), DbErr> {
    LOCAL_APPENDS.fetch_add(1, Ordering::AcqRel);
    let backend = conn.get_database_backend();
    conn.execute_raw(raw(
        backend,
        "INSERT INTO change_log (station_id, topic, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [
            change.station_id.into(),
            change.topic.into(),
            change.entity_id.clone().into(),
            change.op.as_str().into(),
            change.payload.clone().into(),
            now.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Reads up to `limit` changes after `cursor`, in order, and the cursor to continue from.
/// Never returns a change before one that a still-running transaction may yet commit.
pub async fn read_after(
    conn: &impl ConnectionTrait,
    cursor: Cursor,
    limit: u32,
) -> Result<(Vec<ChangeRecord>, Cursor), DbErr> {
    read(conn, cursor, limit, true).await
}

/// Reads up to `limit` committed changes after `cursor`, including those a slower
/// transaction may still commit below (on PostgreSQL). A replica applies these to show
/// writes at once, but must not advance its saved cursor past them: the changes that commit
/// late in between would be skipped. Applying a change twice is harmless.
pub async fn read_committed_after(
    conn: &impl ConnectionTrait,
    cursor: Cursor,
    limit: u32,
) -> Result<Vec<ChangeRecord>, DbErr> {
    Ok(read(conn, cursor, limit, false).await?.0)
}

async fn read(
    conn: &impl ConnectionTrait,
    cursor: Cursor,
    limit: u32,
    settled_only: bool,
) -> Result<(Vec<ChangeRecord>, Cursor), DbErr> {
    let backend = conn.get_database_backend();
    let cols = "id, tx_id, station_id, topic, entity_id, op, payload, created_at";
    let settled = if settled_only { "AND tx_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint" } else { "" };
    let stmt = match backend {
        DbBackend::Postgres => raw(
            backend,
            &format!(
                "SELECT {cols} FROM change_log \
                 WHERE (tx_id > ? OR (tx_id = ? AND id > ?)) {settled} \
                 ORDER BY tx_id, id LIMIT ?"
            ),
            [cursor.tx_id.into(), cursor.tx_id.into(), cursor.id.into(), i64::from(limit).into()],
        ),
        _ => raw(
            backend,
            &format!("SELECT {cols} FROM change_log WHERE id > ? ORDER BY id LIMIT ?"),
            [cursor.id.into(), i64::from(limit).into()],
        ),
    };
    let rows = conn.query_all_raw(stmt).await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut next = cursor;
    for row in rows {
        let rec = ChangeRecord {
            id: row.try_get("", "id")?,
            tx_id: row.try_get("", "tx_id")?,
            station_id: row.try_get("", "station_id")?,
            topic: row.try_get("", "topic")?,
            entity_id: row.try_get("", "entity_id")?,
            op: ChangeOp::parse(&row.try_get::<String>("", "op")?),
            payload: row.try_get("", "payload")?,
            created_at: row.try_get("", "created_at")?,
        };
        next = Cursor { tx_id: rec.tx_id, id: rec.id };
        out.push(rec);
    }
    Ok((out, next))
}

/// The position of the newest change a reader may take now: a replica rebuilt from the tables
/// starts here (re-applying a few changes it already holds is harmless; missing one is not, so
/// this errs early).
pub async fn head(conn: &impl ConnectionTrait) -> Result<Cursor, DbErr> {
    let backend = conn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT tx_id, id FROM change_log WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint \
             ORDER BY tx_id DESC, id DESC LIMIT 1"
        }
        _ => "SELECT tx_id, id FROM change_log ORDER BY id DESC LIMIT 1",
    };
    let row = conn.query_one_raw(raw(backend, sql, [])).await?;
    Ok(match row {
        Some(r) => Cursor { tx_id: r.try_get("", "tx_id")?, id: r.try_get("", "id")? },
        None => Cursor::default(),
    })
}

/// The saved cursor of a named consumer (`search-node-a`), or the beginning.
pub async fn load_cursor(conn: &impl ConnectionTrait, consumer: &str) -> Result<Cursor, DbErr> {
    let backend = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(backend, "SELECT tx_id, last_id FROM change_cursors WHERE consumer = ?", [consumer.into()]))
        .await?;
    match row {
        Some(r) => Ok(Cursor { tx_id: r.try_get("", "tx_id")?, id: r.try_get("", "last_id")? }),
        None => Ok(Cursor::default()),
    }
}

/// Saves a consumer's cursor. Cursors only move forward: a stale writer cannot move one back.
pub async fn save_cursor(
    conn: &impl ConnectionTrait,
    consumer: &str,
    cursor: Cursor,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let backend = conn.get_database_backend();
    conn.execute_raw(raw(
        backend,
        "INSERT INTO change_cursors (consumer, tx_id, last_id, updated_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (consumer) DO UPDATE SET tx_id = excluded.tx_id, last_id = excluded.last_id, updated_at = excluded.updated_at \
         WHERE change_cursors.tx_id < excluded.tx_id OR (change_cursors.tx_id = excluded.tx_id AND change_cursors.last_id < excluded.last_id)",
        [consumer.into(), cursor.tx_id.into(), cursor.id.into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// The number of rows in the log, committed or not yet readable (for tests and metrics).
pub async fn count(conn: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let backend = conn.get_database_backend();
    let row = conn.query_one_raw(raw(backend, "SELECT COUNT(*) AS n FROM change_log", [])).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u64)
}
