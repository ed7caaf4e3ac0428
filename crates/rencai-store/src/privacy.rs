//! The personal-data map: for every table, whose data it holds, what a purge after deactivation
//! does to it (P14), and how long its rows live (P8). Export (P15), purge and the retention job
//! all walk this one list, and tests check it against the real schema, so a new table cannot
//! be forgotten by any of them.

use chrono::{DateTime, Utc};
use rencai_crypto::{FieldContext, Keyring, Sealed};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Value};

use crate::rotation::SEALED_COLUMNS;
use crate::{StoreResult, raw};

/// How the rows of one person are found in a table. Every query takes the account id as its
/// only parameter.
#[derive(Debug, Clone, Copy)]
pub enum Subject {
    /// Rows whose `column` holds the account id.
    Column(&'static str),
    /// Rows whose `id` is in this subquery.
    Query(&'static str),
}

/// What the purge after deactivation does to the rows of the deactivated person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnPurge {
    /// Erased (what law makes us keep has been copied into the restricted archive first).
    Delete,
    /// Kept: the row is someone else's record (a company's ledger, a recruiter's job) that
    /// names the person only by internal id.
    Keep,
    /// The account row itself: every personal field is cleared, the row stays so that ids in
    /// audit rows and ledgers keep pointing somewhere that says "deleted".
    Tombstone,
}

/// How old rows are removed regardless of deactivation.
#[derive(Debug, Clone, Copy)]
pub struct Expiry {
    /// The timestamp column the age is measured from.
    pub column: &'static str,
    pub after: Period,
    /// Further SQL condition on the rows (without `AND`), e.g. only finished ones.
    pub only: Option<&'static str>,
}

/// A retention period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(u32),
    /// `privacy.behaviour_days`: behaviour logs kept for personalization (P8).
    Behaviour,
    /// `privacy.security_log_days`: login records and other security logs (at least 6 months, P8).
    Security,
}

/// One table's entry in the map.
#[derive(Debug, Clone, Copy)]
pub struct TableRule {
    pub table: &'static str,
    /// The people whose data the table holds, and what their purge does. Empty: nobody's
    /// personal data (configuration, business records, aggregates).
    pub subjects: &'static [(Subject, OnPurge)],
    pub expiry: Option<Expiry>,
}

const fn nobody(table: &'static str) -> TableRule {
    TableRule { table, subjects: &[], expiry: None }
}

/// A table of one person's own rows, erased by the purge.
macro_rules! person {
    ($table:literal, $column:literal) => {
        TableRule { table: $table, subjects: &[(Subject::Column($column), OnPurge::Delete)], expiry: None }
    };
}

const fn after(column: &'static str, after: Period) -> Option<Expiry> {
    Some(Expiry { column, after, only: None })
}

/// Every table of the schema, in the order the migrations create them (purges walk it
/// backwards, so rows that refer to others go first).
pub const TABLES: &[TableRule] = &[
    nobody("stations"),
    nobody("taxonomy_terms"),
    TableRule { table: "accounts", subjects: &[(Subject::Column("id"), OnPurge::Tombstone)], expiry: None },
    nobody("legal_documents"),
    // Entries name rows by id with a non-personal payload; a replica catching up needs them all.
    nobody("change_log"),
    nobody("change_cursors"),
    // Payloads of personal messages are sealed; finished jobs go after a month.
    TableRule {
        table: "delivery_jobs",
        subjects: &[],
        expiry: Some(Expiry { column: "updated_at", after: Period::Days(30), only: Some("state IN ('done', 'dead')") }),
    },
    // Names people by internal id only (DESIGN: erasing a person never breaks the chain).
    nobody("audit_log"),
    nobody("audit_head"),
    person!("credentials", "account_id"),
    TableRule {
        table: "sms_codes",
        subjects: &[(
            Subject::Query(
                "SELECT s.id FROM sms_codes s JOIN accounts a ON a.phone_blind = s.phone_blind WHERE a.id = ?",
            ),
            OnPurge::Delete,
        )],
        // Long enough for the per-day and per-address send limits, which count these rows.
        expiry: after("created_at", Period::Days(2)),
    },
    TableRule {
        table: "sessions",
        subjects: &[(Subject::Column("account_id"), OnPurge::Delete)],
        expiry: after("expires_at", Period::Security),
    },
    // Copied into the restricted archive before the purge deletes them (proof of consent).
    person!("consents", "account_id"),
    TableRule {
        table: "dev_outbox",
        subjects: &[(
            Subject::Query(
                "SELECT o.id FROM dev_outbox o JOIN accounts a ON a.phone_blind = o.phone_blind WHERE a.id = ?",
            ),
            OnPurge::Delete,
        )],
        expiry: after("created_at", Period::Days(7)),
    },
    TableRule { table: "captcha_challenges", subjects: &[], expiry: after("expires_at", Period::Days(1)) },
    TableRule { table: "staff_members", subjects: &[(Subject::Column("account_id"), OnPurge::Keep)], expiry: None },
    // A throttle counter, not the security log (logins are in the audit chain): a day is all
    // the password-failure limits look back.
    TableRule {
        table: "login_failures",
        subjects: &[(
            Subject::Query(
                "SELECT f.id FROM login_failures f JOIN accounts a ON a.phone_blind = f.phone_blind WHERE a.id = ?",
            ),
            OnPurge::Keep,
        )],
        expiry: after("created_at", Period::Days(1)),
    },
    nobody("companies"),
    person!("company_members", "account_id"),
    TableRule { table: "recruiter_invites", subjects: &[], expiry: after("expires_at", Period::Days(30)) },
    nobody("agency_clients"),
    // A company's jobs are its records; a leaving recruiter's jobs pass to the primary account.
    TableRule { table: "jobs", subjects: &[(Subject::Column("owner_account_id"), OnPurge::Keep)], expiry: None },
    person!("resumes", "seeker_id"),
    person!("resume_blocks", "seeker_id"),
    person!("applications", "seeker_id"),
    person!("contact_shares", "seeker_id"),
    TableRule {
        table: "resume_unlocks",
        subjects: &[
            (
                Subject::Query(
                    "SELECT u.id FROM resume_unlocks u JOIN resumes r ON r.id = u.resume_id WHERE r.seeker_id = ?",
                ),
                OnPurge::Delete,
            ),
            (Subject::Column("account_id"), OnPurge::Keep),
        ],
        expiry: None,
    },
    TableRule {
        table: "resume_views",
        subjects: &[(Subject::Column("seeker_id"), OnPurge::Delete), (Subject::Column("account_id"), OnPurge::Keep)],
        expiry: None,
    },
    TableRule {
        table: "disclosures",
        subjects: &[
            (Subject::Column("person_id"), OnPurge::Delete),
            (Subject::Column("actor_account_id"), OnPurge::Keep),
        ],
        expiry: None,
    },
    nobody("quota_grants"),
    TableRule { table: "quota_uses", subjects: &[(Subject::Column("account_id"), OnPurge::Keep)], expiry: None },
    person!("favourites", "account_id"),
    nobody("banned_words"),
    TableRule {
        table: "light_posts",
        subjects: &[(Subject::Column("account_id"), OnPurge::Delete)],
        // An ended post's phone number has no further use.
        expiry: after("expires_at", Period::Days(90)),
    },
    TableRule {
        table: "files",
        subjects: &[
            (
                Subject::Query("SELECT id FROM files WHERE owner_account_id = ? AND purpose = 'resume_attachment'"),
                OnPurge::Delete,
            ),
            // An organisation's licence and photos stay with the organisation.
            (
                Subject::Query("SELECT id FROM files WHERE owner_account_id = ? AND purpose <> 'resume_attachment'"),
                OnPurge::Keep,
            ),
        ],
        expiry: None,
    },
    TableRule {
        table: "application_events",
        subjects: &[
            (
                Subject::Query(
                    "SELECT e.id FROM application_events e JOIN applications p ON p.id = e.application_id WHERE p.seeker_id = ?",
                ),
                OnPurge::Delete,
            ),
            (Subject::Column("actor_account_id"), OnPurge::Keep),
        ],
        expiry: None,
    },
    TableRule {
        table: "interviews",
        subjects: &[
            (
                Subject::Query(
                    "SELECT i.id FROM interviews i JOIN applications p ON p.id = i.application_id WHERE p.seeker_id = ?",
                ),
                OnPurge::Delete,
            ),
            (Subject::Column("created_by"), OnPurge::Keep),
        ],
        expiry: None,
    },
    TableRule {
        table: "notifications",
        subjects: &[(Subject::Column("account_id"), OnPurge::Delete)],
        expiry: after("created_at", Period::Days(365)),
    },
    person!("notification_prefs", "account_id"),
    TableRule {
        table: "conversations",
        subjects: &[(Subject::Column("seeker_id"), OnPurge::Delete), (Subject::Column("recruiter_id"), OnPurge::Keep)],
        expiry: None,
    },
    TableRule {
        table: "chat_messages",
        subjects: &[
            (
                Subject::Query(
                    "SELECT m.id FROM chat_messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.seeker_id = ?",
                ),
                OnPurge::Delete,
            ),
            (
                Subject::Query(
                    "SELECT m.id FROM chat_messages m JOIN conversations c ON c.id = m.conversation_id \
                     WHERE c.recruiter_id = ? AND m.sender_id = c.recruiter_id",
                ),
                OnPurge::Keep,
            ),
        ],
        expiry: None,
    },
    TableRule {
        table: "chat_reports",
        subjects: &[
            (
                Subject::Query(
                    "SELECT r.id FROM chat_reports r JOIN conversations c ON c.id = r.conversation_id WHERE c.seeker_id = ?",
                ),
                OnPurge::Delete,
            ),
            (Subject::Column("reporter_id"), OnPurge::Keep),
        ],
        expiry: None,
    },
    person!("saved_searches", "account_id"),
    TableRule { table: "dev_mail", subjects: &[], expiry: after("created_at", Period::Days(7)) },
    TableRule { table: "dev_push", subjects: &[], expiry: after("created_at", Period::Days(7)) },
    nobody("notice_templates"),
    // Ids and dates only; it must outlive every backup (P14).
    nobody("deletion_log"),
    // Read only on a recorded lawful request; gone when its term ends.
    TableRule { table: "privacy_archive", subjects: &[], expiry: after("retain_until", Period::Days(0)) },
    TableRule {
        table: "data_exports",
        subjects: &[(Subject::Column("account_id"), OnPurge::Delete)],
        expiry: after("expires_at", Period::Days(30)),
    },
    person!("privacy_prefs", "account_id"),
    // A requester's tickets go with them; a closed ticket is kept two years as the record of
    // how a complaint or report was handled.
    TableRule {
        table: "tickets",
        subjects: &[(Subject::Column("account_id"), OnPurge::Delete)],
        expiry: Some(Expiry { column: "closed_at", after: Period::Days(730), only: Some("status = 'closed'") }),
    },
    TableRule {
        table: "ticket_messages",
        subjects: &[(
            Subject::Query(
                "SELECT m.id FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.account_id = ?",
            ),
            OnPurge::Delete,
        )],
        expiry: None,
    },
    // Announcements without personal data; kept as the record of what people were told (P11).
    nobody("incidents"),
    TableRule {
        table: "incident_recipients",
        subjects: &[(Subject::Column("account_id"), OnPurge::Delete)],
        expiry: None,
    },
    // Aggregate counts, suppressed when shown; no one's data: kept as the site's history.
    nobody("stats_daily"),
    // Behaviour kept for personalization (P8), only while it is switched on.
    TableRule {
        table: "behaviour_events",
        subjects: &[(Subject::Column("account_id"), OnPurge::Delete)],
        expiry: after("created_at", Period::Behaviour),
    },
];

/// Columns never exported or shown: secrets and lookup keys, which tell a person nothing
/// about themselves and would help an attacker.
pub fn is_secret_column(column: &str) -> bool {
    column.ends_with("_hash")
        || column.ends_with("_blind")
        || matches!(column, "data_key_sealed" | "totp_secret_sealed" | "csrf_token" | "storage_name" | "lease_token")
}

/// The rule for `table`, if the map has one.
pub fn rule(table: &str) -> Option<&'static TableRule> {
    TABLES.iter().find(|r| r.table == table)
}

/// The columns of a table, in schema order, read from the database itself.
pub async fn columns_of(conn: &impl ConnectionTrait, table: &str) -> StoreResult<Vec<String>> {
    let b = conn.get_database_backend();
    let sql = match b {
        DbBackend::Sqlite => "SELECT name AS c FROM pragma_table_info(?) ORDER BY cid",
        _ => {
            "SELECT column_name::text AS c FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position"
        }
    };
    let rows = conn.query_all_raw(raw(b, sql, [table.into()])).await?;
    Ok(rows.iter().map(|r| r.try_get::<String>("", "c")).collect::<Result<_, _>>()?)
}

/// Every table of the schema (the migrations' bookkeeping table excluded).
pub async fn tables(conn: &impl ConnectionTrait) -> StoreResult<Vec<String>> {
    let b = conn.get_database_backend();
    let sql = match b {
        DbBackend::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> 'seaql_migrations' ORDER BY name"
        }
        _ => {
            "SELECT table_name::text AS t FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_type = 'BASE TABLE' AND table_name <> 'seaql_migrations' ORDER BY table_name"
        }
    };
    let rows = conn.query_all_raw(raw(b, sql, [])).await?;
    Ok(rows.iter().map(|r| r.try_get::<String>("", "t")).collect::<Result<_, _>>()?)
}

/// The `WHERE` condition selecting a subject's rows (one `?`, the account id).
fn condition(subject: Subject) -> String {
    match subject {
        Subject::Column(c) => format!("{c} = ?"),
        Subject::Query(q) => format!("id IN ({q})"),
    }
}

/// The rows one person has in one table, for an export: every column as text (or null), sealed
/// columns opened, secret columns left out.
pub async fn rows_of(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    rule: &TableRule,
    account_id: i64,
) -> StoreResult<Vec<serde_json::Map<String, serde_json::Value>>> {
    let b = conn.get_database_backend();
    let all = columns_of(conn, rule.table).await?;
    // `id`, or the account id for the tables keyed by it: tells rows reached twice apart.
    let Some(key) = all.first().cloned() else { return Ok(Vec::new()) };
    let columns: Vec<String> = all.into_iter().filter(|c| !is_secret_column(c)).collect();
    let select = columns.iter().map(|c| format!("CAST(\"{c}\" AS TEXT) AS \"{c}\"")).collect::<Vec<_>>().join(", ");
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (subject, _) in rule.subjects {
        let sql =
            format!("SELECT {key} AS row_key, {select} FROM {} WHERE {} ORDER BY 1", rule.table, condition(*subject));
        for r in conn.query_all_raw(raw(b, &sql, [account_id.into()])).await? {
            let key: i64 = r.try_get("", "row_key")?;
            if !seen.insert(key) {
                continue;
            }
            let mut row = serde_json::Map::new();
            for c in &columns {
                let v: Option<String> = r.try_get("", c)?;
                // Sealed values are JSON inside (a string, or a structure such as an
                // interview's details): they are exported as what they are.
                let v = match (v, SEALED_COLUMNS.iter().find(|s| s.table == rule.table && s.column == c)) {
                    (Some(text), Some(sealed)) => {
                        Sealed::<serde_json::Value>::from_stored(text).open(keys, sealed.field)?
                    }
                    (Some(text), None) => serde_json::Value::String(text),
                    (None, _) => serde_json::Value::Null,
                };
                row.insert(c.trim_end_matches("_sealed").to_owned(), v);
            }
            out.push(row);
        }
    }
    Ok(out)
}

/// Deletes (or keeps) one person's rows in every table, children first. The account row and
/// the blobs of deleted files are the caller's: it tombstones the one and removes the others
/// after commit. Returns the number of rows deleted.
pub async fn erase_person(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<u64> {
    let b = conn.get_database_backend();
    let mut deleted = 0;
    for rule in TABLES.iter().rev() {
        for (subject, on_purge) in rule.subjects {
            if *on_purge != OnPurge::Delete {
                continue;
            }
            let sql = format!("DELETE FROM {} WHERE {}", rule.table, condition(*subject));
            deleted += conn.execute_raw(raw(b, &sql, [account_id.into()])).await?.rows_affected();
        }
    }
    Ok(deleted)
}

/// The cut-off before which rows of `expiry` are old enough to go.
pub fn cutoff(expiry: &Expiry, now: DateTime<Utc>, behaviour_days: u32, security_days: u32) -> DateTime<Utc> {
    let days = match expiry.after {
        Period::Days(d) => d,
        Period::Behaviour => behaviour_days,
        Period::Security => security_days,
    };
    now - chrono::Duration::days(i64::from(days))
}

/// Deletes one table's rows older than the cut-off; returns how many went.
pub async fn expire(conn: &impl ConnectionTrait, rule: &TableRule, cutoff: DateTime<Utc>) -> StoreResult<u64> {
    let Some(e) = rule.expiry else { return Ok(0) };
    let b = conn.get_database_backend();
    let extra = e.only.map(|c| format!(" AND {c}")).unwrap_or_default();
    let sql = format!("DELETE FROM {} WHERE {} < ?{extra}", rule.table, e.column);
    Ok(conn.execute_raw(raw(b, &sql, [Value::from(cutoff)])).await?.rows_affected())
}

// ---- deletion log and restricted archive (P14) -------------------------------------------

/// The restricted archive's documents.
pub const ARCHIVE: FieldContext = FieldContext("privacy_archive.kept");
/// The data key of an export archive on disk.
pub const EXPORT_KEY: FieldContext = FieldContext("data_exports.data_key");

/// One deactivated account in the deletion log.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult, serde::Serialize, serde::Deserialize)]
pub struct Deletion {
    pub account_id: i64,
    pub account_public_id: String,
    pub deactivated_at: DateTime<Utc>,
    pub purge_due_at: DateTime<Utc>,
    pub purged_at: Option<DateTime<Utc>>,
}

const DELETION_COLS: &str = "account_id, account_public_id, deactivated_at, purge_due_at, purged_at";

/// Records a deactivation. A second call for the same account keeps the first entry.
pub async fn log_deactivation(conn: &impl ConnectionTrait, d: &Deletion) -> StoreResult<()> {
    let b = conn.get_database_backend();
    let on_conflict = "ON CONFLICT (account_id) DO NOTHING";
    conn.execute_raw(raw(
        b,
        &format!("INSERT INTO deletion_log ({DELETION_COLS}) VALUES (?, ?, ?, ?, ?) {on_conflict}"),
        [
            d.account_id.into(),
            d.account_public_id.clone().into(),
            d.deactivated_at.into(),
            d.purge_due_at.into(),
            d.purged_at.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// The whole log, oldest first.
pub async fn deletions(conn: &impl ConnectionTrait) -> StoreResult<Vec<Deletion>> {
    let b = conn.get_database_backend();
    let rows = conn.query_all_raw(raw(b, &format!("SELECT {DELETION_COLS} FROM deletion_log ORDER BY id"), [])).await?;
    Ok(rows.iter().map(|r| Deletion::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// One account's entry.
pub async fn deletion_of(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<Option<Deletion>> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            &format!("SELECT {DELETION_COLS} FROM deletion_log WHERE account_id = ?"),
            [account_id.into()],
        ))
        .await?;
    Ok(row.map(|r| Deletion::from_query_result(&r, "")).transpose()?)
}

/// Entries whose purge is due and not done.
pub async fn due_purges(conn: &impl ConnectionTrait, now: DateTime<Utc>, limit: u64) -> StoreResult<Vec<Deletion>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!(
                "SELECT {DELETION_COLS} FROM deletion_log WHERE purged_at IS NULL AND purge_due_at <= ? \
                 ORDER BY purge_due_at LIMIT {limit}"
            ),
            [now.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| Deletion::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// Marks a purge done; false when another node got there first.
pub async fn mark_purged(conn: &impl ConnectionTrait, account_id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let res = conn
        .execute_raw(raw(
            b,
            "UPDATE deletion_log SET purged_at = ? WHERE account_id = ? AND purged_at IS NULL",
            [now.into(), account_id.into()],
        ))
        .await?;
    Ok(res.rows_affected() == 1)
}

/// Stores what law makes us keep of a purged account.
#[allow(clippy::too_many_arguments)]
pub async fn archive(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    account_public_id: &str,
    phone_blind: &str,
    role: &str,
    kept: &serde_json::Value,
    now: DateTime<Utc>,
    retain_until: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO privacy_archive (account_public_id, phone_blind, role, kept_sealed, created_at, retain_until) \
         VALUES (?, ?, ?, ?, ?, ?)",
        [
            account_public_id.into(),
            phone_blind.into(),
            role.into(),
            Sealed::seal(keys, ARCHIVE, kept).into_stored().into(),
            now.into(),
            retain_until.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// (role, retain until) of the archive entries of an account: what the person is told is kept.
pub async fn archived(
    conn: &impl ConnectionTrait,
    account_public_id: &str,
) -> StoreResult<Vec<(String, DateTime<Utc>)>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT role, retain_until FROM privacy_archive WHERE account_public_id = ? ORDER BY id",
            [account_public_id.into()],
        ))
        .await?;
    rows.iter().map(|r| Ok((r.try_get("", "role")?, r.try_get("", "retain_until")?))).collect()
}

/// An archived document, still sealed.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ArchivedRow {
    pub id: i64,
    pub account_public_id: String,
    pub role: String,
    pub kept_sealed: String,
    pub created_at: DateTime<Utc>,
    pub retain_until: DateTime<Utc>,
}

/// The archive documents of a phone number (by its blind index).
pub async fn archived_by_phone(conn: &impl ConnectionTrait, phone_blind: &str) -> StoreResult<Vec<ArchivedRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT id, account_public_id, role, kept_sealed, created_at, retain_until FROM privacy_archive \
             WHERE phone_blind = ? ORDER BY id",
            [phone_blind.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| ArchivedRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

// ---- personalization switch (P8, P13) -----------------------------------------------------

/// Whether personalized suggestions are on (the default) for an account.
pub async fn personalization(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(b, "SELECT personalization FROM privacy_prefs WHERE account_id = ?", [account_id.into()]))
        .await?;
    Ok(row.map(|r| r.try_get::<bool>("", "personalization")).transpose()?.unwrap_or(true))
}

pub async fn set_personalization(
    conn: &impl ConnectionTrait,
    account_id: i64,
    on: bool,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO privacy_prefs (account_id, personalization, updated_at) VALUES (?, ?, ?) \
         ON CONFLICT (account_id) DO UPDATE SET personalization = excluded.personalization, updated_at = excluded.updated_at",
        [account_id.into(), on.into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// Clears an entry's "purged" mark: the data came back with a restored backup.
pub async fn forget_purge(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(b, "UPDATE deletion_log SET purged_at = NULL WHERE account_id = ?", [account_id.into()]))
        .await?;
    Ok(())
}

// ---- data exports (P15) -------------------------------------------------------------------

#[derive(Debug, Clone, FromQueryResult)]
pub struct ExportRow {
    pub id: i64,
    pub public_id: String,
    pub account_id: i64,
    pub status: String,
    pub file_name: Option<String>,
    pub bytes: Option<i64>,
    pub data_key_sealed: Option<String>,
    pub created_at: DateTime<Utc>,
    pub ready_at: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
    pub downloaded_at: Option<DateTime<Utc>>,
}

const EXPORT_COLS: &str = "id, public_id, account_id, status, file_name, bytes, data_key_sealed, created_at, ready_at, expires_at, downloaded_at";

pub async fn insert_export(
    conn: &impl ConnectionTrait,
    public_id: &str,
    account_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO data_exports (public_id, account_id, status, created_at, expires_at) VALUES (?, ?, 'pending', ?, ?)",
        [public_id.into(), account_id.into(), now.into(), expires_at.into()],
    ))
    .await?;
    Ok(())
}

/// An account's exports, newest first.
pub async fn exports_of(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<Vec<ExportRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!("SELECT {EXPORT_COLS} FROM data_exports WHERE account_id = ? ORDER BY id DESC"),
            [account_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| ExportRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

pub async fn find_export(conn: &impl ConnectionTrait, public_id: &str) -> StoreResult<Option<ExportRow>> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            &format!("SELECT {EXPORT_COLS} FROM data_exports WHERE public_id = ?"),
            [public_id.into()],
        ))
        .await?;
    Ok(row.map(|r| ExportRow::from_query_result(&r, "")).transpose()?)
}

/// Pending exports created before `before` (a build that a crash interrupted).
pub async fn pending_exports(conn: &impl ConnectionTrait, before: DateTime<Utc>) -> StoreResult<Vec<ExportRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!("SELECT {EXPORT_COLS} FROM data_exports WHERE status = 'pending' AND created_at < ? ORDER BY id"),
            [before.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| ExportRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// `pending → ready`, with the archive written; false when another node finished it first.
pub async fn export_ready(
    conn: &impl ConnectionTrait,
    id: i64,
    file_name: &str,
    bytes: i64,
    data_key_sealed: &str,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let sql = "UPDATE data_exports SET status = 'ready', file_name = ?, bytes = ?, data_key_sealed = ?, ready_at = ? \
               WHERE id = ? AND status = 'pending'";
    let vals: [Value; 5] = [file_name.into(), bytes.into(), data_key_sealed.into(), now.into(), id.into()];
    Ok(conn.execute_raw(raw(b, sql, vals)).await?.rows_affected() == 1)
}

/// `ready → downloaded`: the one download. False when it was already taken or has expired.
pub async fn export_taken(conn: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let sql = "UPDATE data_exports SET status = 'downloaded', downloaded_at = ?, data_key_sealed = NULL \
               WHERE id = ? AND status = 'ready' AND expires_at > ?";
    Ok(conn.execute_raw(raw(b, sql, [now.into(), id.into(), now.into()])).await?.rows_affected() == 1)
}

/// `from → to` for the ends without a file: `ready → expired`, `pending → failed`. The data
/// key goes with the file.
pub async fn export_ended(conn: &impl ConnectionTrait, id: i64, from: &str, to: &str) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let sql = "UPDATE data_exports SET status = ?, data_key_sealed = NULL WHERE id = ? AND status = ?";
    Ok(conn.execute_raw(raw(b, sql, [to.into(), id.into(), from.into()])).await?.rows_affected() == 1)
}

/// Ready exports past their expiry.
pub async fn expired_exports(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> StoreResult<Vec<ExportRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!("SELECT {EXPORT_COLS} FROM data_exports WHERE status = 'ready' AND expires_at <= ? ORDER BY id"),
            [now.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| ExportRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// How many rows one person has in one table (the privacy center's overview).
pub async fn count_of(conn: &impl ConnectionTrait, rule: &TableRule, account_id: i64) -> StoreResult<u64> {
    let b = conn.get_database_backend();
    let mut n = 0;
    for (subject, _) in rule.subjects {
        let sql = format!("SELECT COUNT(*) AS n FROM {} WHERE {}", rule.table, condition(*subject));
        let row = conn.query_one_raw(raw(b, &sql, [account_id.into()])).await?;
        n += row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u64;
    }
    Ok(n)
}

/// What an organisation holds on the site, for its primary account's privacy center: (key,
/// rows). Business records and what it received about people, never the people's data itself.
pub async fn organisation_counts(
    conn: &impl ConnectionTrait,
    company_id: i64,
) -> StoreResult<Vec<(&'static str, u64)>> {
    let b = conn.get_database_backend();
    let queries: [(&'static str, &str); 8] = [
        ("companies", "SELECT COUNT(*) AS n FROM companies WHERE id = ?"),
        ("company_members", "SELECT COUNT(*) AS n FROM company_members WHERE company_id = ?"),
        ("jobs", "SELECT COUNT(*) AS n FROM jobs WHERE COALESCE(agency_id, employer_id) = ?"),
        ("applications", "SELECT COUNT(*) AS n FROM applications WHERE COALESCE(agency_id, employer_id) = ?"),
        ("conversations", "SELECT COUNT(*) AS n FROM conversations WHERE org_id = ?"),
        ("resume_unlocks", "SELECT COUNT(*) AS n FROM resume_unlocks WHERE company_id = ?"),
        ("quota_uses", "SELECT COUNT(*) AS n FROM quota_uses WHERE company_id = ?"),
        ("files", "SELECT COUNT(*) AS n FROM files WHERE purpose <> 'resume_attachment' AND subject_id = ?"),
    ];
    let mut out = Vec::new();
    for (key, sql) in queries {
        let row = conn.query_one_raw(raw(b, sql, [company_id.into()])).await?;
        let n = row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u64;
        if n > 0 {
            out.push((key, n));
        }
    }
    Ok(out)
}
