//! Feedback tickets and their messages (P18). Texts and a visitor's contact are sealed.

use chrono::{DateTime, Utc};
use rencai_crypto::FieldContext;
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use crate::{StoreResult, raw};

/// A message's words.
pub const BODY: FieldContext = FieldContext("ticket_messages.body");
/// A visitor's phone number or e-mail address for the answer.
pub const CONTACT: FieldContext = FieldContext("tickets.contact");

#[derive(Debug, Clone, FromQueryResult)]
pub struct TicketRow {
    pub id: i64,
    pub public_id: String,
    pub station_id: i64,
    pub account_id: Option<i64>,
    pub contact_sealed: Option<String>,
    pub kind: String,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub title: String,
    pub status: String,
    pub assignee_id: Option<i64>,
    pub due_at: DateTime<Utc>,
    pub outcome: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, public_id, station_id, account_id, contact_sealed, kind, subject_kind, subject_id, title, \
     status, assignee_id, due_at, outcome, created_at, updated_at, closed_at";

#[derive(Debug, Clone, FromQueryResult)]
pub struct MessageRow {
    pub id: i64,
    pub ticket_id: i64,
    pub author_kind: String,
    pub author_id: Option<i64>,
    pub body_sealed: String,
    pub created_at: DateTime<Utc>,
}

/// A ticket to open.
#[derive(Debug, Clone)]
pub struct NewTicket<'a> {
    pub public_id: &'a str,
    pub station_id: i64,
    pub account_id: Option<i64>,
    pub contact_sealed: Option<String>,
    pub kind: &'a str,
    pub subject: Option<(&'a str, &'a str)>,
    pub title: &'a str,
    pub due_at: DateTime<Utc>,
}

pub async fn insert(conn: &impl ConnectionTrait, t: &NewTicket<'_>, now: DateTime<Utc>) -> StoreResult<i64> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "INSERT INTO tickets (public_id, station_id, account_id, contact_sealed, kind, subject_kind, subject_id, title, \
             status, due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id",
            [
                t.public_id.into(),
                t.station_id.into(),
                t.account_id.into(),
                t.contact_sealed.clone().into(),
                t.kind.into(),
                t.subject.map(|(k, _)| k.to_string()).into(),
                t.subject.map(|(_, id)| id.to_string()).into(),
                t.title.into(),
                t.due_at.into(),
                now.into(),
                now.into(),
            ],
        ))
        .await?
        .ok_or(crate::StoreError::NotFound)?;
    Ok(row.try_get("", "id")?)
}

pub async fn add_message(
    conn: &impl ConnectionTrait,
    ticket_id: i64,
    author_kind: &str,
    author_id: Option<i64>,
    body_sealed: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO ticket_messages (ticket_id, author_kind, author_id, body_sealed, created_at) VALUES (?, ?, ?, ?, ?)",
        [ticket_id.into(), author_kind.into(), author_id.into(), body_sealed.into(), now.into()],
    ))
    .await?;
    Ok(())
}

pub async fn find(conn: &impl ConnectionTrait, public_id: &str) -> StoreResult<Option<TicketRow>> {
    if !crate::is_public_id(public_id) {
        return Ok(None);
    }
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(b, &format!("SELECT {COLUMNS} FROM tickets WHERE public_id = ?"), [public_id.into()]))
        .await?;
    Ok(row.map(|r| TicketRow::from_query_result(&r, "")).transpose()?)
}

pub async fn messages(conn: &impl ConnectionTrait, ticket_id: i64) -> StoreResult<Vec<MessageRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT id, ticket_id, author_kind, author_id, body_sealed, created_at FROM ticket_messages \
             WHERE ticket_id = ? ORDER BY id",
            [ticket_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| MessageRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// A requester's tickets, newest first.
pub async fn of_account(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<Vec<TicketRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!("SELECT {COLUMNS} FROM tickets WHERE account_id = ? ORDER BY id DESC LIMIT 100"),
            [account_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| TicketRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// Which tickets the staff queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Waiting for staff, soonest deadline first.
    Open,
    /// Waiting for staff past the deadline.
    Overdue,
    /// Assigned to this staff account and not closed.
    Mine(i64),
    /// Closed, newest first.
    Closed,
}

pub async fn queue(
    conn: &impl ConnectionTrait,
    q: Queue,
    now: DateTime<Utc>,
    limit: u64,
) -> StoreResult<Vec<TicketRow>> {
    let b = conn.get_database_backend();
    let (cond, order, vals): (&str, &str, Vec<Value>) = match q {
        Queue::Open => ("status = 'open'", "due_at, id", vec![]),
        Queue::Overdue => ("status = 'open' AND due_at < ?", "due_at, id", vec![now.into()]),
        Queue::Mine(staff) => ("status <> 'closed' AND assignee_id = ?", "due_at, id", vec![staff.into()]),
        Queue::Closed => ("status = 'closed'", "closed_at DESC, id DESC", vec![]),
    };
    let sql = format!("SELECT {COLUMNS} FROM tickets WHERE {cond} ORDER BY {order} LIMIT {limit}");
    let rows = conn.query_all_raw(raw(b, &sql, vals)).await?;
    Ok(rows.iter().map(|r| TicketRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// (open, overdue) counts for the back office.
pub async fn counts(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> StoreResult<(u64, u64)> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "SELECT COUNT(*) AS open, COALESCE(SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END), 0) AS overdue \
             FROM tickets WHERE status = 'open'",
            [now.into()],
        ))
        .await?;
    let Some(r) = row else { return Ok((0, 0)) };
    Ok((r.try_get::<i64>("", "open")? as u64, r.try_get::<i64>("", "overdue")? as u64))
}

/// Moves a ticket from `from` (compare-and-swap) to `to`, with a new deadline when it waits
/// for staff again. False when someone else moved it first.
pub async fn set_status(
    conn: &impl ConnectionTrait,
    id: i64,
    from: &str,
    to: &str,
    due_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            b,
            "UPDATE tickets SET status = ?, due_at = COALESCE(?, due_at), updated_at = ? WHERE id = ? AND status = ?",
            [to.into(), due_at.into(), now.into(), id.into(), from.into()],
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn assign(conn: &impl ConnectionTrait, id: i64, staff: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            b,
            "UPDATE tickets SET assignee_id = ?, updated_at = ? WHERE id = ? AND status <> 'closed'",
            [staff.into(), now.into(), id.into()],
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}

pub async fn close(conn: &impl ConnectionTrait, id: i64, outcome: &str, now: DateTime<Utc>) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            b,
            "UPDATE tickets SET status = 'closed', outcome = ?, closed_at = ?, updated_at = ? WHERE id = ? AND status <> 'closed'",
            [outcome.into(), now.into(), now.into(), id.into()],
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}
