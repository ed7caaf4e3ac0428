//! The quota ledger. A grant gives an organisation `amount` of one kind of quota, valid for a
//! period; a use takes one unit from the valid grant that expires first. The take is a single
//! conditional UPDATE (`used < amount`), so concurrent uses can never overdraw a grant and the
//! balance can never go negative, on SQLite and PostgreSQL alike.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::{StoreResult, raw};

#[derive(Debug, Clone, FromQueryResult)]
pub struct GrantRow {
    pub id: i64,
    pub company_id: i64,
    pub kind: String,
    pub amount: i32,
    pub used: i32,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub reason: String,
    pub granted_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

#[allow(clippy::too_many_arguments)]
pub async fn grant(
    conn: &impl ConnectionTrait,
    company_id: i64,
    kind: &str,
    amount: u32,
    valid_from: DateTime<Utc>,
    valid_until: DateTime<Utc>,
    reason: &str,
    granted_by: Option<i64>,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "INSERT INTO quota_grants (company_id, kind, amount, used, valid_from, valid_until, reason, granted_by, \
             created_at) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?) RETURNING id",
            [
                company_id.into(),
                kind.into(),
                (amount as i32).into(),
                valid_from.into(),
                valid_until.into(),
                reason.into(),
                granted_by.into(),
                now.into(),
            ],
        ))
        .await?
        .ok_or(crate::StoreError::NotFound)?;
    Ok(row.try_get("", "id")?)
}

/// Units of `kind` the organisation holds at `now` (granted and valid), and how many of them are used.
pub async fn balance(
    conn: &impl ConnectionTrait,
    company_id: i64,
    kind: &str,
    now: DateTime<Utc>,
) -> StoreResult<(u64, u64)> {
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            "SELECT COALESCE(SUM(amount), 0) AS total, COALESCE(SUM(used), 0) AS used FROM quota_grants \
             WHERE company_id = ? AND kind = ? AND valid_from <= ? AND valid_until > ?",
            [company_id.into(), kind.into(), now.into(), now.into()],
        ))
        .await?;
    let (total, used) = match row {
        Some(r) => (r.try_get::<i64>("", "total")?, r.try_get::<i64>("", "used")?),
        None => (0, 0),
    };
    Ok((total.max(0) as u64, used.max(0) as u64))
}

/// Takes one unit: from the valid grant that expires first and has some left. Returns the
/// grant id, or None when nothing is left. Retries when a concurrent use took the last unit of
/// the grant it picked.
pub async fn take(
    conn: &impl ConnectionTrait,
    company_id: i64,
    kind: &str,
    account_id: Option<i64>,
    subject: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    let b = conn.get_database_backend();
    loop {
        let candidate = conn
            .query_one_raw(raw(
                b,
                "SELECT id FROM quota_grants WHERE company_id = ? AND kind = ? AND valid_from <= ? AND valid_until > ? \
                 AND used < amount ORDER BY valid_until, id LIMIT 1",
                [company_id.into(), kind.into(), now.into(), now.into()],
            ))
            .await?;
        let Some(candidate) = candidate else { return Ok(None) };
        let grant_id: i64 = candidate.try_get("", "id")?;
        let taken = conn
            .execute_raw(raw(
                b,
                "UPDATE quota_grants SET used = used + 1 WHERE id = ? AND used < amount",
                [grant_id.into()],
            ))
            .await?
            .rows_affected()
            == 1;
        if taken {
            conn.execute_raw(raw(
                b,
                "INSERT INTO quota_uses (grant_id, company_id, kind, account_id, subject, created_at) \
                 VALUES (?, ?, ?, ?, ?, ?)",
                [grant_id.into(), company_id.into(), kind.into(), account_id.into(), subject.into(), now.into()],
            ))
            .await?;
            return Ok(Some(grant_id));
        }
    }
}

pub async fn grants(conn: &impl ConnectionTrait, company_id: i64) -> StoreResult<Vec<GrantRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT id, company_id, kind, amount, used, valid_from, valid_until, reason, granted_by, created_at \
             FROM quota_grants WHERE company_id = ? ORDER BY valid_until DESC, id DESC",
            [company_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| GrantRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// Number of recorded uses of a kind by an organisation (the ledger's other side).
pub async fn uses(conn: &impl ConnectionTrait, company_id: i64, kind: &str) -> StoreResult<u64> {
    super::companies::count(
        conn,
        "SELECT COUNT(*) AS n FROM quota_uses WHERE company_id = ? AND kind = ?",
        vec![company_id.into(), kind.into()],
    )
    .await
}
