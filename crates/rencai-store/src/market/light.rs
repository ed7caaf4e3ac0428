//! Light posts: 速聘 (`quick`) and 一句话求职 (`wanted`).

use chrono::{DateTime, Utc};
use rencai_crypto::{FieldContext, Keyring, Sealed};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use crate::changelog::{self, ChangeOp, NewChange};
use crate::{StoreError, StoreResult, raw};

pub const CONTACT_PHONE: FieldContext = FieldContext("light_posts.contact_phone");

#[derive(Debug, Clone)]
pub struct LightFields {
    pub title: String,
    pub body: String,
    pub district: String,
    pub category: String,
    pub salary: Option<(u32, u32)>,
    pub contact_phone: Option<String>,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct LightRow {
    pub id: i64,
    pub public_id: String,
    pub station_id: i64,
    pub kind: String,
    pub account_id: i64,
    pub title: String,
    pub body: String,
    pub district: String,
    pub category: String,
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    pub contact_phone_sealed: Option<String>,
    pub status: String,
    pub reject_reason: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl LightRow {
    pub fn contact_phone(&self, keys: &Keyring) -> StoreResult<Option<String>> {
        Ok(self
            .contact_phone_sealed
            .clone()
            .map(|s| Sealed::<String>::from_stored(s).open(keys, CONTACT_PHONE))
            .transpose()?)
    }

    pub fn salary(&self) -> Option<(u32, u32)> {
        match (self.salary_min, self.salary_max) {
            (Some(a), Some(b)) => Some((a.max(0) as u32, b.max(0) as u32)),
            _ => None,
        }
    }
}

const COLUMNS: &str = "id, public_id, station_id, kind, account_id, title, body, district, category, salary_min, \
     salary_max, contact_phone_sealed, status, reject_reason, expires_at, created_at, updated_at";

async fn announce(conn: &impl ConnectionTrait, r: &LightRow, op: ChangeOp, now: DateTime<Utc>) -> StoreResult<()> {
    let change = NewChange {
        station_id: r.station_id,
        topic: "light_post",
        entity_id: r.public_id.clone(),
        op,
        payload: serde_json::json!({ "kind": r.kind, "status": r.status }),
    };
    changelog::append(conn, &change, now).await?;
    Ok(())
}

pub async fn create(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    station_id: i64,
    kind: &str,
    account_id: i64,
    f: &LightFields,
    now: DateTime<Utc>,
) -> StoreResult<LightRow> {
    let b = conn.get_database_backend();
    let sql = format!(
        "INSERT INTO light_posts (public_id, station_id, kind, account_id, title, body, district, category, \
         salary_min, salary_max, contact_phone_sealed, status, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING {COLUMNS}"
    );
    let values: Vec<Value> = vec![
        uuid::Uuid::now_v7().to_string().into(),
        station_id.into(),
        kind.into(),
        account_id.into(),
        f.title.clone().into(),
        f.body.clone().into(),
        f.district.clone().into(),
        f.category.clone().into(),
        f.salary.map(|s| s.0 as i32).into(),
        f.salary.map(|s| s.1 as i32).into(),
        f.contact_phone.as_ref().map(|p| Sealed::seal(keys, CONTACT_PHONE, p).into_stored()).into(),
        now.into(),
        now.into(),
    ];
    let row = conn.query_one_raw(raw(b, &sql, values)).await?.ok_or(StoreError::NotFound)?;
    let post = LightRow::from_query_result(&row, "")?;
    announce(conn, &post, ChangeOp::Created, now).await?;
    Ok(post)
}

/// Moves a post from `from` to `to` (compare-and-swap).
pub async fn transition(
    conn: &impl ConnectionTrait,
    post: &LightRow,
    to: &str,
    reject_reason: Option<&str>,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let ok = conn
        .execute_raw(raw(
            b,
            "UPDATE light_posts SET status = ?, reject_reason = ?, expires_at = COALESCE(?, expires_at), updated_at = ? \
             WHERE id = ? AND status = ?",
            [
                to.into(),
                reject_reason.map(str::to_string).into(),
                expires_at.into(),
                now.into(),
                post.id.into(),
                post.status.clone().into(),
            ],
        ))
        .await?
        .rows_affected()
        == 1;
    if ok && let Some(p) = find_public(conn, &post.public_id).await? {
        announce(conn, &p, ChangeOp::Updated, now).await?;
    }
    Ok(ok)
}

pub async fn find_public(conn: &impl ConnectionTrait, public_id: &str) -> StoreResult<Option<LightRow>> {
    if !crate::is_public_id(public_id) {
        return Ok(None);
    }
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(b, &format!("SELECT {COLUMNS} FROM light_posts WHERE public_id = ?"), [public_id.into()]))
        .await?;
    Ok(row.map(|r| LightRow::from_query_result(&r, "")).transpose()?)
}

/// The newest `limit` posts of a station, of one kind (or both) and status (or any), of one
/// account (or all): an author's own posts and the review queue. Public lists come from the
/// search index.
pub async fn list(
    conn: &impl ConnectionTrait,
    station_id: i64,
    kind: Option<&str>,
    status: &str,
    account_id: Option<i64>,
    limit: u64,
) -> StoreResult<Vec<LightRow>> {
    let b = conn.get_database_backend();
    let mut cond = vec!["station_id = ?".to_string()];
    let mut values: Vec<Value> = vec![station_id.into()];
    if let Some(k) = kind {
        cond.push("kind = ?".into());
        values.push(k.into());
    }
    if !status.is_empty() {
        cond.push("status = ?".into());
        values.push(status.into());
    }
    if let Some(a) = account_id {
        cond.push("account_id = ?".into());
        values.push(a.into());
    }
    let cond = cond.join(" AND ");
    let sql = format!("SELECT {COLUMNS} FROM light_posts WHERE {cond} ORDER BY created_at DESC, id DESC LIMIT {limit}");
    rows(&conn.query_all_raw(raw(b, &sql, values)).await?)
}

/// Expires published posts whose time is up, announcing each (search replicas drop them);
/// returns how many.
pub async fn expire_due(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> StoreResult<u64> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!(
                "UPDATE light_posts SET status = 'expired', updated_at = ? \
                 WHERE status = 'published' AND expires_at <= ? RETURNING {COLUMNS}"
            ),
            [now.into(), now.into()],
        ))
        .await?;
    for r in &rows {
        announce(conn, &LightRow::from_query_result(r, "")?, ChangeOp::Updated, now).await?;
    }
    Ok(rows.len() as u64)
}

fn rows(found: &[sea_orm::QueryResult]) -> StoreResult<Vec<LightRow>> {
    Ok(found.iter().map(|r| LightRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// Posts by public id (what a change-log entry names), in no particular order.
pub async fn find_many_public(conn: &impl ConnectionTrait, public_ids: &[String]) -> StoreResult<Vec<LightRow>> {
    let ids: Vec<&String> = public_ids.iter().filter(|p| crate::is_public_id(p)).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let b = conn.get_database_backend();
    let sql = format!("SELECT {COLUMNS} FROM light_posts WHERE public_id IN ({})", vec!["?"; ids.len()].join(", "));
    rows(&conn.query_all_raw(raw(b, &sql, ids.into_iter().map(|p| Value::from(p.clone())))).await?)
}

/// Posts by database id, in the order given (a page of search hits).
pub async fn find_many(conn: &impl ConnectionTrait, ids: &[i64]) -> StoreResult<Vec<LightRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let b = conn.get_database_backend();
    let sql = format!("SELECT {COLUMNS} FROM light_posts WHERE id IN ({})", vec!["?"; ids.len()].join(", "));
    let mut by_id: std::collections::HashMap<i64, LightRow> =
        rows(&conn.query_all_raw(raw(b, &sql, ids.iter().map(|i| Value::from(*i)))).await?)?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
    Ok(ids.iter().filter_map(|i| by_id.remove(i)).collect())
}

/// Published posts of every station with an id above `after_id` (a search rebuild).
pub async fn published_after(conn: &impl ConnectionTrait, after_id: i64, limit: u64) -> StoreResult<Vec<LightRow>> {
    let b = conn.get_database_backend();
    let sql =
        format!("SELECT {COLUMNS} FROM light_posts WHERE status = 'published' AND id > ? ORDER BY id LIMIT {limit}");
    rows(&conn.query_all_raw(raw(b, &sql, [after_id.into()])).await?)
}

/// Every post of an account, whatever its status.
pub async fn of_account(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<Vec<LightRow>> {
    let b = conn.get_database_backend();
    let sql = format!("SELECT {COLUMNS} FROM light_posts WHERE account_id = ? ORDER BY id");
    rows(&conn.query_all_raw(raw(b, &sql, [account_id.into()])).await?)
}
