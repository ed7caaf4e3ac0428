//! The disclosure log (P16): every time a person's information went to a third party.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::{StoreResult, raw};

#[derive(Debug, Clone, FromQueryResult)]
pub struct DisclosureRow {
    pub id: i64,
    pub person_id: i64,
    pub recipient_company_id: Option<i64>,
    pub recipient_name: Option<String>,
    pub kind: String,
    pub detail: String,
    pub created_at: DateTime<Utc>,
}

pub async fn record(
    conn: &impl ConnectionTrait,
    person_id: i64,
    recipient_company_id: Option<i64>,
    kind: &str,
    detail: &str,
    actor_account_id: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO disclosures (person_id, recipient_company_id, kind, detail, actor_account_id, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
        [
            person_id.into(),
            recipient_company_id.into(),
            kind.into(),
            detail.into(),
            actor_account_id.into(),
            now.into(),
        ],
    ))
    .await?;
    Ok(())
}

pub async fn of_person(conn: &impl ConnectionTrait, person_id: i64) -> StoreResult<Vec<DisclosureRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT d.id, d.person_id, d.recipient_company_id, c.name AS recipient_name, d.kind, d.detail, d.created_at \
             FROM disclosures d LEFT JOIN companies c ON c.id = d.recipient_company_id WHERE d.person_id = ? \
             ORDER BY d.created_at DESC, d.id DESC",
            [person_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| DisclosureRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}
