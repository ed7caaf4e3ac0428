//! The dev outboxes' tables: e-mail (`rencai_app::providers::email::Mailer::Outbox`) and app
//! push (`rencai_app::providers::push::PushOutbox`).

use chrono::{DateTime, Utc};
use rencai_crypto::FieldContext;
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult};

use crate::raw;

pub const TO: FieldContext = FieldContext("dev_mail.to");
pub const SUBJECT: FieldContext = FieldContext("dev_mail.subject");
pub const TEXT: FieldContext = FieldContext("dev_mail.text");
pub const PUSH_TITLE: FieldContext = FieldContext("dev_push.title");
pub const PUSH_CONTENT: FieldContext = FieldContext("dev_push.content");

#[derive(Debug, Clone, FromQueryResult)]
pub struct MailRow {
    pub id: i64,
    pub to_sealed: String,
    pub subject_sealed: String,
    pub text_sealed: String,
    pub message_id: String,
    pub created_at: DateTime<Utc>,
}

#[allow(clippy::too_many_arguments)]
pub async fn push(
    conn: &impl ConnectionTrait,
    to_blind: &str,
    to_sealed: &str,
    subject_sealed: &str,
    text_sealed: &str,
    message_id: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "INSERT INTO dev_mail (to_blind, to_sealed, subject_sealed, text_sealed, message_id, created_at) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            [
                to_blind.into(),
                to_sealed.into(),
                subject_sealed.into(),
                text_sealed.into(),
                message_id.into(),
                now.into(),
            ],
        ))
        .await?
        .ok_or(DbErr::RecordNotInserted)?;
    row.try_get("", "id")
}

/// The newest messages, optionally only those to one address (by blind index).
pub async fn list(conn: &impl ConnectionTrait, to_blind: Option<&str>, limit: u32) -> Result<Vec<MailRow>, DbErr> {
    let b = conn.get_database_backend();
    let (filter, mut values): (&str, Vec<sea_orm::Value>) = match to_blind {
        Some(t) => ("WHERE to_blind = ?", vec![t.into()]),
        None => ("", vec![]),
    };
    values.push(i64::from(limit).into());
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!(
                "SELECT id, to_sealed, subject_sealed, text_sealed, message_id, created_at FROM dev_mail {filter} \
                 ORDER BY id DESC LIMIT ?"
            ),
            values,
        ))
        .await?;
    rows.iter().map(|r| MailRow::from_query_result(r, "")).collect()
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct PushRow {
    pub id: i64,
    pub alias: String,
    pub title_sealed: String,
    pub content_sealed: String,
    pub link: String,
    pub created_at: DateTime<Utc>,
}

pub async fn push_notification(
    conn: &impl ConnectionTrait,
    alias: &str,
    title_sealed: &str,
    content_sealed: &str,
    link: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbErr> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "INSERT INTO dev_push (alias, title_sealed, content_sealed, link, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            [alias.into(), title_sealed.into(), content_sealed.into(), link.into(), now.into()],
        ))
        .await?
        .ok_or(DbErr::RecordNotInserted)?;
    row.try_get("", "id")
}

/// The newest pushes, optionally only those to one alias.
pub async fn list_notifications(
    conn: &impl ConnectionTrait,
    alias: Option<&str>,
    limit: u32,
) -> Result<Vec<PushRow>, DbErr> {
    let b = conn.get_database_backend();
    let (filter, mut values): (&str, Vec<sea_orm::Value>) = match alias {
        Some(a) => ("WHERE alias = ?", vec![a.into()]),
        None => ("", vec![]),
    };
    values.push(i64::from(limit).into());
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!("SELECT id, alias, title_sealed, content_sealed, link, created_at FROM dev_push {filter} ORDER BY id DESC LIMIT ?"),
            values,
        ))
        .await?;
    rows.iter().map(|r| PushRow::from_query_result(r, "")).collect()
}
