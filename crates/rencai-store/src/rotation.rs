//! Re-sealing after a key rotation: every sealed column is walked in id order, in batches, and
//! each value not under the current key is opened and sealed again. The update is a
//! compare-and-swap on the old envelope, so a concurrent write (which already uses the current
//! key) is never overwritten with stale data; such rows are simply skipped. Passes repeat until
//! a count finds nothing left under an old key.

use rencai_crypto::{FieldContext, Sealed, SharedKeys};
use sea_orm::{ConnectionTrait, TransactionTrait};

use crate::{Db, StoreResult, accounts, market, raw};

/// A column holding sealed envelopes.
#[derive(Debug, Clone, Copy)]
pub struct SealedColumn {
    pub table: &'static str,
    pub column: &'static str,
    pub field: FieldContext,
}

/// Every sealed column in the schema. A test checks this list against the migrations' columns
/// named `*_sealed`, so a new one cannot be forgotten.
pub const SEALED_COLUMNS: &[SealedColumn] = &[
    SealedColumn { table: "accounts", column: "name_sealed", field: accounts::NAME },
    SealedColumn { table: "accounts", column: "phone_sealed", field: accounts::PHONE },
    SealedColumn { table: "accounts", column: "email_sealed", field: accounts::EMAIL },
    SealedColumn { table: "accounts", column: "birth_date_sealed", field: accounts::BIRTH_DATE },
    SealedColumn { table: "accounts", column: "guardian_phone_sealed", field: accounts::GUARDIAN_PHONE },
    SealedColumn { table: "consents", column: "ip_sealed", field: CONSENT_IP },
    SealedColumn { table: "dev_outbox", column: "phone_sealed", field: FieldContext("dev_outbox.phone") },
    SealedColumn { table: "dev_outbox", column: "params_sealed", field: FieldContext("dev_outbox.params") },
    SealedColumn { table: "staff_members", column: "totp_secret_sealed", field: TOTP_SECRET },
    SealedColumn { table: "companies", column: "contact_name_sealed", field: market::companies::CONTACT_NAME },
    SealedColumn { table: "company_members", column: "real_name_sealed", field: market::companies::MEMBER_REAL_NAME },
    SealedColumn { table: "company_members", column: "id_number_sealed", field: market::companies::MEMBER_ID_NUMBER },
    SealedColumn { table: "jobs", column: "contact_name_sealed", field: market::jobs::CONTACT_NAME },
    SealedColumn { table: "jobs", column: "contact_phone_sealed", field: market::jobs::CONTACT_PHONE },
    SealedColumn { table: "resumes", column: "name_sealed", field: market::resumes::NAME },
    SealedColumn { table: "resumes", column: "email_sealed", field: market::resumes::EMAIL },
    SealedColumn { table: "light_posts", column: "contact_phone_sealed", field: market::light::CONTACT_PHONE },
    SealedColumn { table: "application_events", column: "reason_sealed", field: market::applications::EVENT_REASON },
    SealedColumn { table: "interviews", column: "details_sealed", field: market::applications::INTERVIEW_DETAILS },
    SealedColumn { table: "interviews", column: "reply_sealed", field: market::applications::INTERVIEW_REPLY },
    SealedColumn { table: "notifications", column: "params_sealed", field: crate::notifications::PARAMS },
    SealedColumn { table: "chat_messages", column: "body_sealed", field: crate::chat::BODY },
    SealedColumn { table: "chat_reports", column: "note_sealed", field: crate::chat::REPORT_NOTE },
    SealedColumn { table: "dev_mail", column: "to_sealed", field: crate::dev_mail::TO },
    SealedColumn { table: "dev_mail", column: "subject_sealed", field: crate::dev_mail::SUBJECT },
    SealedColumn { table: "dev_mail", column: "text_sealed", field: crate::dev_mail::TEXT },
    SealedColumn { table: "dev_push", column: "title_sealed", field: crate::dev_mail::PUSH_TITLE },
    SealedColumn { table: "dev_push", column: "content_sealed", field: crate::dev_mail::PUSH_CONTENT },
    SealedColumn { table: "files", column: "original_name_sealed", field: crate::files::ORIGINAL_NAME },
    SealedColumn { table: "files", column: "data_key_sealed", field: crate::files::DATA_KEY },
    SealedColumn { table: "privacy_archive", column: "kept_sealed", field: crate::privacy::ARCHIVE },
    SealedColumn { table: "data_exports", column: "data_key_sealed", field: crate::privacy::EXPORT_KEY },
    SealedColumn { table: "tickets", column: "contact_sealed", field: crate::tickets::CONTACT },
    SealedColumn { table: "ticket_messages", column: "body_sealed", field: crate::tickets::BODY },
    SealedColumn { table: "behaviour_events", column: "keyword_sealed", field: crate::behaviour::KEYWORD },
];

/// A staff member's TOTP secret.
pub const TOTP_SECRET: FieldContext = FieldContext("staff_members.totp_secret");

/// The address a consent was given from (P3).
pub const CONSENT_IP: FieldContext = FieldContext("consents.ip");

/// What a re-sealing run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RotationReport {
    pub resealed: u64,
    /// Rows changed by someone else between our read and our write (already on the new key).
    pub raced: u64,
    pub passes: u32,
    /// Values still under an old key at the end (0 unless writers kept using an old key).
    pub remaining: u64,
}

/// Counts values not sealed under `current_key_id`.
pub async fn count_not_current(conn: &impl ConnectionTrait, current_key_id: &str) -> StoreResult<u64> {
    count_sealed(conn, current_key_id, false).await
}

/// Counts values sealed under `key_id`.
pub async fn count_under_key(conn: &impl ConnectionTrait, key_id: &str) -> StoreResult<u64> {
    count_sealed(conn, key_id, true).await
}

async fn count_sealed(conn: &impl ConnectionTrait, key_id: &str, under: bool) -> StoreResult<u64> {
    let backend = conn.get_database_backend();
    let like = format!("{}%", Sealed::<()>::stored_prefix(key_id));
    let op = if under { "LIKE" } else { "NOT LIKE" };
    let mut total = 0u64;
    for c in SEALED_COLUMNS {
        let sql =
            format!("SELECT COUNT(*) AS n FROM {t} WHERE {c} IS NOT NULL AND {c} {op} ?", t = c.table, c = c.column);
        let row = conn.query_one_raw(raw(backend, &sql, [like.clone().into()])).await?;
        total += row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u64;
    }
    Ok(total)
}

/// Re-seals everything under the current key of `keys`, `batch` rows per transaction.
/// `progress(done, total)` is called after each batch.
pub async fn reseal_all(
    db: &Db,
    keys: &SharedKeys,
    batch: u32,
    mut progress: impl FnMut(u64, u64),
) -> StoreResult<RotationReport> {
    let conn = db.conn();
    let backend = db.backend();
    let mut report = RotationReport::default();
    for pass in 1..=5u32 {
        report.passes = pass;
        let ring = keys.get();
        let total = count_not_current(conn, ring.current_key_id()).await?;
        if total == 0 {
            break;
        }
        let like = format!("{}%", Sealed::<()>::stored_prefix(ring.current_key_id()));
        let mut done = 0u64;
        for col in SEALED_COLUMNS {
            let mut after = 0i64;
            loop {
                let sql = format!(
                    "SELECT id, {c} AS env FROM {t} WHERE {c} IS NOT NULL AND {c} NOT LIKE ? AND id > ? ORDER BY id LIMIT ?",
                    t = col.table,
                    c = col.column
                );
                let rows = conn
                    .query_all_raw(raw(backend, &sql, [like.clone().into(), after.into(), i64::from(batch).into()]))
                    .await?;
                if rows.is_empty() {
                    break;
                }
                let txn = conn.begin().await?;
                for row in &rows {
                    let id: i64 = row.try_get("", "id")?;
                    let env: String = row.try_get("", "env")?;
                    after = id;
                    let sealed = Sealed::<serde_json::Value>::from_stored(env.clone());
                    let Some(fresh) = sealed.reseal(&ring, col.field)? else {
                        continue;
                    };
                    let upd = format!("UPDATE {t} SET {c} = ? WHERE id = ? AND {c} = ?", t = col.table, c = col.column);
                    let res = txn
                        .execute_raw(raw(backend, &upd, [fresh.into_stored().into(), id.into(), env.into()]))
                        .await?;
                    if res.rows_affected() == 1 {
                        report.resealed += 1;
                    } else {
                        report.raced += 1;
                    }
                    done += 1;
                }
                txn.commit().await?;
                progress(done, total);
            }
        }
    }
    report.remaining = count_not_current(conn, keys.get().current_key_id()).await?;
    Ok(report)
}
