//! The in-app notification center (M11) and channel preferences (P13). A notification keeps its
//! kind and sealed parameters; the wording is rendered when it is read, so a corrected template
//! corrects old notices too.

use chrono::{DateTime, Utc};
use rencai_crypto::FieldContext;
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::market::companies::count;
use crate::{StoreResult, raw};

/// The parameters a notification's wording is rendered with (company, job title, stage…).
pub const PARAMS: FieldContext = FieldContext("notifications.params");

#[derive(Debug, Clone, FromQueryResult)]
pub struct NotificationRow {
    pub id: i64,
    pub public_id: String,
    pub kind: String,
    pub params_sealed: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

pub async fn insert(
    conn: &impl ConnectionTrait,
    account_id: i64,
    kind: &str,
    params_sealed: String,
    link: &str,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    let b = conn.get_database_backend();
    let public_id = uuid::Uuid::now_v7().to_string();
    conn.execute_raw(raw(
        b,
        "INSERT INTO notifications (public_id, account_id, kind, params_sealed, link, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
        [public_id.clone().into(), account_id.into(), kind.into(), params_sealed.into(), link.into(), now.into()],
    ))
    .await?;
    Ok(public_id)
}

/// A page of an account's notifications, newest first.
pub async fn list(
    conn: &impl ConnectionTrait,
    account_id: i64,
    limit: u64,
    offset: u64,
) -> StoreResult<Vec<NotificationRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!(
                "SELECT id, public_id, kind, params_sealed, link, created_at, read_at FROM notifications \
                 WHERE account_id = ? ORDER BY id DESC LIMIT {} OFFSET {offset}",
                limit.clamp(1, 200)
            ),
            [account_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| NotificationRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

pub async fn count_all(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<u64> {
    count(conn, "SELECT COUNT(*) AS n FROM notifications WHERE account_id = ?", vec![account_id.into()]).await
}

pub async fn unread(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<u64> {
    count(
        conn,
        "SELECT COUNT(*) AS n FROM notifications WHERE account_id = ? AND read_at IS NULL",
        vec![account_id.into()],
    )
    .await
}

/// Marks one notification (or, without an id, all of them) of the account read. Someone else's
/// notification id changes nothing.
pub async fn mark_read(
    conn: &impl ConnectionTrait,
    account_id: i64,
    public_id: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let b = conn.get_database_backend();
    let done = match public_id {
        Some(id) => {
            conn.execute_raw(raw(
                b,
                "UPDATE notifications SET read_at = ? WHERE account_id = ? AND public_id = ? AND read_at IS NULL",
                [now.into(), account_id.into(), id.into()],
            ))
            .await?
        }
        None => {
            conn.execute_raw(raw(
                b,
                "UPDATE notifications SET read_at = ? WHERE account_id = ? AND read_at IS NULL",
                [now.into(), account_id.into()],
            ))
            .await?
        }
    };
    Ok(done.rows_affected())
}

/// The channel switches an account has turned; channels not listed keep their default.
pub async fn prefs(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<Vec<(String, bool)>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT channel, enabled FROM notification_prefs WHERE account_id = ?",
            [account_id.into()],
        ))
        .await?;
    rows.iter().map(|r| Ok((r.try_get::<String>("", "channel")?, r.try_get::<bool>("", "enabled")?))).collect()
}

pub async fn set_pref(
    conn: &impl ConnectionTrait,
    account_id: i64,
    channel: &str,
    enabled: bool,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO notification_prefs (account_id, channel, enabled, updated_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (account_id, channel) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at",
        [account_id.into(), channel.into(), enabled.into(), now.into()],
    ))
    .await?;
    Ok(())
}
