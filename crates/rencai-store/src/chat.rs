//! Chat (M10): conversations between a seeker and a recruiter, their numbered messages, read
//! positions, blocks, contact exchanges and reports.
//!
//! A message's number (`seq`) is taken from its conversation's row in the inserting
//! transaction, so numbers within a conversation are gapless and in commit order on both
//! engines; the table's own `id` orders messages across conversations and is the cursor a
//! reconnecting client resumes from.

use chrono::{DateTime, Utc};
use rencai_crypto::FieldContext;
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::market::companies::count;
use crate::{StoreError, StoreResult, is_public_id, raw};

/// A message's content.
pub const BODY: FieldContext = FieldContext("chat_messages.body");
/// A reporter's words.
pub const REPORT_NOTE: FieldContext = FieldContext("chat_reports.note");

#[derive(Debug, Clone, FromQueryResult)]
pub struct ConversationRow {
    pub id: i64,
    pub public_id: String,
    pub seeker_id: i64,
    pub recruiter_id: i64,
    pub org_id: i64,
    pub job_id: Option<i64>,
    pub started_by: String,
    pub last_seq: i64,
    pub seeker_read_seq: i64,
    pub recruiter_read_seq: i64,
    pub seeker_blocked_at: Option<DateTime<Utc>>,
    pub recruiter_blocked_at: Option<DateTime<Utc>>,
    pub contact_exchanged_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const CONVERSATION: &str = "SELECT id, public_id, seeker_id, recruiter_id, org_id, job_id, started_by, last_seq, \
     seeker_read_seq, recruiter_read_seq, seeker_blocked_at, recruiter_blocked_at, contact_exchanged_at, created_at, \
     updated_at FROM conversations";

/// The conversation of this seeker and recruiter, created if there is none. Returns it and
/// whether it was created now.
#[allow(clippy::too_many_arguments)]
pub async fn open(
    conn: &impl ConnectionTrait,
    station_id: i64,
    seeker_id: i64,
    recruiter_id: i64,
    org_id: i64,
    job_id: Option<i64>,
    started_by: &str,
    now: DateTime<Utc>,
) -> StoreResult<(ConversationRow, bool)> {
    if let Some(c) = find_pair(conn, seeker_id, recruiter_id).await? {
        return Ok((c, false));
    }
    let b = conn.get_database_backend();
    let public_id = uuid::Uuid::now_v7().to_string();
    let inserted = conn
        .execute_raw(raw(
            b,
            "INSERT INTO conversations (public_id, station_id, seeker_id, recruiter_id, org_id, job_id, started_by, \
             last_seq, seeker_read_seq, recruiter_read_seq, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?) ON CONFLICT (seeker_id, recruiter_id) DO NOTHING",
            [
                public_id.into(),
                station_id.into(),
                seeker_id.into(),
                recruiter_id.into(),
                org_id.into(),
                job_id.into(),
                started_by.into(),
                now.into(),
                now.into(),
            ],
        ))
        .await?
        .rows_affected()
        == 1;
    let c = find_pair(conn, seeker_id, recruiter_id)
        .await?
        .ok_or(StoreError::Db(sea_orm::DbErr::RecordNotFound("conversation".into())))?;
    Ok((c, inserted))
}

async fn find_pair(
    conn: &impl ConnectionTrait,
    seeker_id: i64,
    recruiter_id: i64,
) -> StoreResult<Option<ConversationRow>> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            &format!("{CONVERSATION} WHERE seeker_id = ? AND recruiter_id = ?"),
            [seeker_id.into(), recruiter_id.into()],
        ))
        .await?;
    Ok(row.map(|r| ConversationRow::from_query_result(&r, "")).transpose()?)
}

pub async fn find(conn: &impl ConnectionTrait, public_id: &str) -> StoreResult<Option<ConversationRow>> {
    if !is_public_id(public_id) {
        return Ok(None);
    }
    let b = conn.get_database_backend();
    let row = conn.query_one_raw(raw(b, &format!("{CONVERSATION} WHERE public_id = ?"), [public_id.into()])).await?;
    Ok(row.map(|r| ConversationRow::from_query_result(&r, "")).transpose()?)
}

pub async fn find_by_id(conn: &impl ConnectionTrait, id: i64) -> StoreResult<Option<ConversationRow>> {
    let b = conn.get_database_backend();
    let row = conn.query_one_raw(raw(b, &format!("{CONVERSATION} WHERE id = ?"), [id.into()])).await?;
    Ok(row.map(|r| ConversationRow::from_query_result(&r, "")).transpose()?)
}

/// Whose conversations a list shows.
#[derive(Debug, Clone, Copy)]
pub enum Party {
    Seeker(i64),
    Recruiter(i64),
    /// Every conversation of an organisation (its primary account: P17).
    Org(i64),
}

impl Party {
    fn filter(self) -> (&'static str, i64) {
        match self {
            Party::Seeker(id) => ("seeker_id = ?", id),
            Party::Recruiter(id) => ("recruiter_id = ?", id),
            Party::Org(id) => ("org_id = ?", id),
        }
    }
}

/// A party's conversations, most recent first.
pub async fn list(
    conn: &impl ConnectionTrait,
    party: Party,
    limit: u64,
    offset: u64,
) -> StoreResult<Vec<ConversationRow>> {
    let b = conn.get_database_backend();
    let (filter, id) = party.filter();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!(
                "{CONVERSATION} WHERE {filter} AND last_seq > 0 ORDER BY updated_at DESC, id DESC LIMIT {} OFFSET {offset}",
                limit.clamp(1, 200)
            ),
            [id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| ConversationRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

pub async fn count_for(conn: &impl ConnectionTrait, party: Party) -> StoreResult<u64> {
    let (filter, id) = party.filter();
    count(conn, &format!("SELECT COUNT(*) AS n FROM conversations WHERE {filter} AND last_seq > 0"), vec![id.into()])
        .await
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct MessageRow {
    pub id: i64,
    pub conversation_id: i64,
    pub seq: i64,
    pub sender_id: i64,
    pub kind: String,
    pub body_sealed: String,
    pub client_id: String,
    pub created_at: DateTime<Utc>,
}

const MESSAGE: &str =
    "SELECT id, conversation_id, seq, sender_id, kind, body_sealed, client_id, created_at FROM chat_messages";

/// Stores a message with the next number of its conversation. Call inside a transaction; a
/// client id the sender used before in this conversation is a `Conflict` (roll back and read
/// the stored message).
///
/// The first statement writes: on SQLite a transaction that read first and then writes fails
/// at once when another connection committed in between, instead of waiting its turn.
pub async fn append(
    conn: &impl ConnectionTrait,
    conversation_id: i64,
    sender_id: i64,
    kind: &str,
    body_sealed: String,
    client_id: &str,
    now: DateTime<Utc>,
) -> StoreResult<MessageRow> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "UPDATE conversations SET last_seq = last_seq + 1, updated_at = ? WHERE id = ? RETURNING last_seq",
            [now.into(), conversation_id.into()],
        ))
        .await?
        .ok_or_else(|| StoreError::Db(sea_orm::DbErr::RecordNotFound("conversation".into())))?;
    let seq: i64 = row.try_get("", "last_seq")?;
    let row = conn
        .query_one_raw(raw(
            b,
            "INSERT INTO chat_messages (conversation_id, seq, sender_id, kind, body_sealed, client_id, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                conversation_id.into(),
                seq.into(),
                sender_id.into(),
                kind.into(),
                body_sealed.clone().into(),
                client_id.into(),
                now.into(),
            ],
        ))
        .await
        .map_err(|e| StoreError::from_db(e, &[("client_id", "client_id"), ("ix_chat_messages_client", "client_id")]))?
        .ok_or_else(|| StoreError::Db(sea_orm::DbErr::RecordNotInserted))?;
    let id: i64 = row.try_get("", "id")?;
    Ok(MessageRow {
        id,
        conversation_id,
        seq,
        sender_id,
        kind: kind.into(),
        body_sealed,
        client_id: client_id.into(),
        created_at: now,
    })
}

pub async fn by_client_id(
    conn: &impl ConnectionTrait,
    conversation_id: i64,
    sender_id: i64,
    client_id: &str,
) -> StoreResult<Option<MessageRow>> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            &format!("{MESSAGE} WHERE conversation_id = ? AND sender_id = ? AND client_id = ?"),
            [conversation_id.into(), sender_id.into(), client_id.into()],
        ))
        .await?;
    Ok(row.map(|r| MessageRow::from_query_result(&r, "")).transpose()?)
}

pub async fn message(conn: &impl ConnectionTrait, id: i64) -> StoreResult<Option<MessageRow>> {
    let b = conn.get_database_backend();
    let row = conn.query_one_raw(raw(b, &format!("{MESSAGE} WHERE id = ?"), [id.into()])).await?;
    Ok(row.map(|r| MessageRow::from_query_result(&r, "")).transpose()?)
}

/// A page of a conversation's history: the `limit` messages before `before_seq` (or the
/// latest), oldest first.
pub async fn history(
    conn: &impl ConnectionTrait,
    conversation_id: i64,
    before_seq: Option<i64>,
    limit: u64,
) -> StoreResult<Vec<MessageRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!("{MESSAGE} WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT {}", limit.clamp(1, 200)),
            [conversation_id.into(), before_seq.unwrap_or(i64::MAX).into()],
        ))
        .await?;
    let mut out: Vec<MessageRow> =
        rows.iter().map(|r| MessageRow::from_query_result(r, "")).collect::<Result<_, _>>()?;
    out.reverse();
    Ok(out)
}

/// Messages after `after_id` in any of the account's conversations, and those stored since
/// `recent` whatever their id, in id order (a reconnecting client's catch-up).
pub async fn since(
    conn: &impl ConnectionTrait,
    account_id: i64,
    after_id: i64,
    recent: DateTime<Utc>,
    limit: u64,
) -> StoreResult<Vec<MessageRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!(
                "SELECT m.id, m.conversation_id, m.seq, m.sender_id, m.kind, m.body_sealed, m.client_id, m.created_at \
                 FROM chat_messages m JOIN conversations c ON c.id = m.conversation_id \
                 WHERE (c.seeker_id = ? OR c.recruiter_id = ?) AND (m.id > ? OR m.created_at > ?) \
                 ORDER BY m.id LIMIT {}",
                limit.clamp(1, 1000)
            ),
            [account_id.into(), account_id.into(), after_id.into(), recent.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| MessageRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// Messages from the other side after `read_seq`.
pub async fn unread_in(
    conn: &impl ConnectionTrait,
    conversation_id: i64,
    reader_id: i64,
    read_seq: i64,
) -> StoreResult<u64> {
    count(
        conn,
        "SELECT COUNT(*) AS n FROM chat_messages WHERE conversation_id = ? AND sender_id <> ? AND seq > ?",
        vec![conversation_id.into(), reader_id.into(), read_seq.into()],
    )
    .await
}

/// Moves a side's read position forward (never back). Returns whether it moved.
pub async fn mark_read(
    conn: &impl ConnectionTrait,
    conversation_id: i64,
    seeker_side: bool,
    seq: i64,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let col = if seeker_side { "seeker_read_seq" } else { "recruiter_read_seq" };
    let done = conn
        .execute_raw(raw(
            b,
            &format!("UPDATE conversations SET {col} = ? WHERE id = ? AND {col} < ? AND last_seq >= ?"),
            [seq.into(), conversation_id.into(), seq.into(), seq.into()],
        ))
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets or clears a side's block.
pub async fn set_block(
    conn: &impl ConnectionTrait,
    conversation_id: i64,
    seeker_side: bool,
    at: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    let col = if seeker_side { "seeker_blocked_at" } else { "recruiter_blocked_at" };
    conn.execute_raw(raw(
        b,
        &format!("UPDATE conversations SET {col} = ? WHERE id = ?"),
        [at.into(), conversation_id.into()],
    ))
    .await?;
    Ok(())
}

/// Records that the seeker agreed to exchange contact details, and shares their contact with
/// the organisation (P6). Returns whether this is the first agreement.
pub async fn exchange_contact(
    conn: &impl ConnectionTrait,
    c: &ConversationRow,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let first = conn
        .execute_raw(raw(
            b,
            "UPDATE conversations SET contact_exchanged_at = ? WHERE id = ? AND contact_exchanged_at IS NULL",
            [now.into(), c.id.into()],
        ))
        .await?
        .rows_affected()
        == 1;
    share_contact(conn, c.seeker_id, c.org_id, "chat_exchange", now).await?;
    Ok(first)
}

/// The seeker's contact is shared with an organisation: they started a chat with it or agreed
/// to exchange contact details (P6). Sharing twice is not an error.
pub async fn share_contact(
    conn: &impl ConnectionTrait,
    seeker_id: i64,
    company_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO contact_shares (seeker_id, company_id, reason, created_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (seeker_id, company_id) DO NOTHING",
        [seeker_id.into(), company_id.into(), reason.into(), now.into()],
    ))
    .await?;
    Ok(())
}

pub async fn report(
    conn: &impl ConnectionTrait,
    c: &ConversationRow,
    reporter_id: i64,
    reason: &str,
    note_sealed: Option<String>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO chat_reports (conversation_id, reporter_id, reason, note_sealed, up_to_seq, status, created_at) \
         VALUES (?, ?, ?, ?, ?, 'open', ?)",
        [c.id.into(), reporter_id.into(), reason.into(), note_sealed.into(), c.last_seq.into(), now.into()],
    ))
    .await?;
    Ok(())
}

pub async fn count_reports(conn: &impl ConnectionTrait, conversation_id: i64) -> StoreResult<u64> {
    count(conn, "SELECT COUNT(*) AS n FROM chat_reports WHERE conversation_id = ?", vec![conversation_id.into()]).await
}

/// Unread messages across all of an account's conversations, on whichever side it is.
pub async fn unread_total(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<u64> {
    count(
        conn,
        "SELECT COUNT(*) AS n FROM chat_messages m JOIN conversations c ON c.id = m.conversation_id \
         WHERE m.sender_id <> ? AND ((c.seeker_id = ? AND m.seq > c.seeker_read_seq) \
         OR (c.recruiter_id = ? AND m.seq > c.recruiter_read_seq))",
        vec![account_id.into(), account_id.into(), account_id.into()],
    )
    .await
}
