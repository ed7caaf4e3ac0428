//! Rows of uploaded files. The bytes live in the uploads folder, encrypted; see rencai-app.

use chrono::{DateTime, Utc};
use rencai_crypto::FieldContext;
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::{StoreError, StoreResult, raw};

pub const ORIGINAL_NAME: FieldContext = FieldContext("files.original_name");
pub const DATA_KEY: FieldContext = FieldContext("files.data_key");

#[derive(Debug, Clone, FromQueryResult)]
pub struct FileRow {
    pub id: i64,
    pub public_id: String,
    pub owner_account_id: i64,
    pub purpose: String,
    pub subject_id: i64,
    pub mime: String,
    pub size: i64,
    pub storage_name: String,
    pub original_name_sealed: String,
    pub data_key_sealed: String,
    pub text_redacted: Option<String>,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, public_id, owner_account_id, purpose, subject_id, mime, size, storage_name, \
     original_name_sealed, data_key_sealed, text_redacted, created_at";

/// A file row to insert (names and keys already sealed by the caller).
#[derive(Debug, Clone)]
pub struct NewFile {
    pub public_id: String,
    pub owner_account_id: i64,
    pub purpose: String,
    pub subject_id: i64,
    pub mime: String,
    pub size: i64,
    pub storage_name: String,
    pub original_name_sealed: String,
    pub data_key_sealed: String,
    pub text_redacted: Option<String>,
}

pub async fn insert(conn: &impl ConnectionTrait, f: &NewFile, now: DateTime<Utc>) -> StoreResult<FileRow> {
    let b = conn.get_database_backend();
    let sql = format!(
        "INSERT INTO files (public_id, owner_account_id, purpose, subject_id, mime, size, storage_name, \
         original_name_sealed, data_key_sealed, text_redacted, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         RETURNING {COLUMNS}"
    );
    let row = conn
        .query_one_raw(raw(
            b,
            &sql,
            [
                f.public_id.clone().into(),
                f.owner_account_id.into(),
                f.purpose.clone().into(),
                f.subject_id.into(),
                f.mime.clone().into(),
                f.size.into(),
                f.storage_name.clone().into(),
                f.original_name_sealed.clone().into(),
                f.data_key_sealed.clone().into(),
                f.text_redacted.clone().into(),
                now.into(),
            ],
        ))
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(FileRow::from_query_result(&row, "")?)
}

pub async fn find_public(conn: &impl ConnectionTrait, public_id: &str) -> StoreResult<Option<FileRow>> {
    if !crate::is_public_id(public_id) {
        return Ok(None);
    }
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(b, &format!("SELECT {COLUMNS} FROM files WHERE public_id = ?"), [public_id.into()]))
        .await?;
    Ok(row.map(|r| FileRow::from_query_result(&r, "")).transpose()?)
}

/// The files attached to one subject (a resume, an organisation), oldest first.
pub async fn of_subject(conn: &impl ConnectionTrait, purpose: &str, subject_id: i64) -> StoreResult<Vec<FileRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!("SELECT {COLUMNS} FROM files WHERE purpose = ? AND subject_id = ? ORDER BY id"),
            [purpose.into(), subject_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| FileRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

pub async fn delete(conn: &impl ConnectionTrait, id: i64) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(b, "DELETE FROM files WHERE id = ?", [id.into()])).await?;
    Ok(())
}

/// The files an account uploaded for one purpose.
pub async fn owned_by(conn: &impl ConnectionTrait, account_id: i64, purpose: &str) -> StoreResult<Vec<FileRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!("SELECT {COLUMNS} FROM files WHERE owner_account_id = ? AND purpose = ? ORDER BY id"),
            [account_id.into(), purpose.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| FileRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}
