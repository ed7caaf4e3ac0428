//! Security-incident notices (P11) and whom each was addressed to.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::{StoreResult, raw};

#[derive(Debug, Clone, FromQueryResult, serde::Serialize)]
pub struct IncidentRow {
    #[serde(skip)]
    pub id: i64,
    pub public_id: String,
    #[serde(skip)]
    pub station_id: i64,
    pub title: String,
    pub situation: String,
    pub impact: String,
    pub measures: String,
    pub advice: String,
    pub remedies: String,
    pub contact: String,
    pub audience: String,
    #[serde(skip)]
    pub created_by: i64,
    pub published_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, public_id, station_id, title, situation, impact, measures, advice, remedies, contact, audience, \
     created_by, published_at";

/// The texts of a notice.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct IncidentText {
    pub title: String,
    pub situation: String,
    pub impact: String,
    pub measures: String,
    pub advice: String,
    pub remedies: String,
    pub contact: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    conn: &impl ConnectionTrait,
    public_id: &str,
    station_id: i64,
    t: &IncidentText,
    audience: &str,
    created_by: i64,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "INSERT INTO incidents (public_id, station_id, title, situation, impact, measures, advice, remedies, contact, \
             audience, created_by, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                public_id.into(),
                station_id.into(),
                t.title.clone().into(),
                t.situation.clone().into(),
                t.impact.clone().into(),
                t.measures.clone().into(),
                t.advice.clone().into(),
                t.remedies.clone().into(),
                t.contact.clone().into(),
                audience.into(),
                created_by.into(),
                now.into(),
            ],
        ))
        .await?
        .ok_or(crate::StoreError::NotFound)?;
    Ok(row.try_get("", "id")?)
}

pub async fn add_recipient(conn: &impl ConnectionTrait, incident_id: i64, account_id: i64) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO incident_recipients (incident_id, account_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [incident_id.into(), account_id.into()],
    ))
    .await?;
    Ok(())
}

pub async fn find(conn: &impl ConnectionTrait, public_id: &str) -> StoreResult<Option<IncidentRow>> {
    if !crate::is_public_id(public_id) {
        return Ok(None);
    }
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(b, &format!("SELECT {COLUMNS} FROM incidents WHERE public_id = ?"), [public_id.into()]))
        .await?;
    Ok(row.map(|r| IncidentRow::from_query_result(&r, "")).transpose()?)
}

/// Every notice, newest first (staff).
pub async fn all(conn: &impl ConnectionTrait) -> StoreResult<Vec<IncidentRow>> {
    let b = conn.get_database_backend();
    let rows =
        conn.query_all_raw(raw(b, &format!("SELECT {COLUMNS} FROM incidents ORDER BY id DESC LIMIT 200"), [])).await?;
    Ok(rows.iter().map(|r| IncidentRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// The notices an account was told of: those to everyone published while it existed, and those
/// addressed to it. Newest first.
pub async fn for_account(
    conn: &impl ConnectionTrait,
    account_id: i64,
    since: DateTime<Utc>,
) -> StoreResult<Vec<IncidentRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!(
                "SELECT {COLUMNS} FROM incidents WHERE (audience = 'everyone' AND published_at >= ?) \
                 OR id IN (SELECT incident_id FROM incident_recipients WHERE account_id = ?) ORDER BY id DESC"
            ),
            [since.into(), account_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| IncidentRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// How many accounts a targeted notice reached.
pub async fn recipients(conn: &impl ConnectionTrait, incident_id: i64) -> StoreResult<u64> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "SELECT COUNT(*) AS n FROM incident_recipients WHERE incident_id = ?",
            [incident_id.into()],
        ))
        .await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0) as u64)
}

/// Whether a targeted notice was addressed to this account.
pub async fn is_recipient(conn: &impl ConnectionTrait, incident_id: i64, account_id: i64) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "SELECT 1 AS hit FROM incident_recipients WHERE incident_id = ? AND account_id = ?",
            [incident_id.into(), account_id.into()],
        ))
        .await?;
    Ok(row.is_some())
}
