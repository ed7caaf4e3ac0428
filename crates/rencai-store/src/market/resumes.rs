//! Resumes, the seeker's block list, and the facts the access policy decides on: who was
//! applied to, who the seeker shared contacts with, who unlocked. Reads for recruiters narrow
//! the candidates in SQL; the decision on each one is the domain's access function's.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rencai_crypto::{FieldContext, Keyring, Sealed};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use super::companies::count;
use super::jobs::wrap_codes;
use crate::changelog::{self, ChangeOp, NewChange};
use crate::{StoreError, StoreResult, raw};

pub const NAME: FieldContext = FieldContext("resumes.name");
pub const EMAIL: FieldContext = FieldContext("resumes.email");

/// A resume as stored: the listing columns plus the sections as JSON.
#[derive(Debug, Clone)]
pub struct ResumeFields {
    pub title: String,
    pub full_name: String,
    pub email: Option<String>,
    pub gender: String,
    pub birth_year: Option<i32>,
    pub education_level: String,
    pub experience_level: String,
    pub district: String,
    pub intent_categories: Vec<String>,
    pub intent_districts: Vec<String>,
    pub salary: (Option<u32>, Option<u32>),
    pub content_json: String,
    pub completeness: u8,
}

#[derive(Debug, Clone, FromQueryResult)]
pub struct ResumeRow {
    pub id: i64,
    pub public_id: String,
    pub station_id: i64,
    pub seeker_id: i64,
    pub title: String,
    pub visibility: String,
    pub shown_to_companies: bool,
    pub name_sealed: String,
    pub email_sealed: Option<String>,
    pub gender: String,
    pub birth_year: Option<i32>,
    pub education_level: String,
    pub experience_level: String,
    pub district: String,
    pub intent_categories: String,
    pub intent_districts: String,
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    pub content_json: String,
    pub completeness: i32,
    pub refreshed_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ResumeRow {
    pub fn name(&self, keys: &Keyring) -> StoreResult<String> {
        Ok(Sealed::<String>::from_stored(self.name_sealed.clone()).open(keys, NAME)?)
    }

    pub fn email(&self, keys: &Keyring) -> StoreResult<Option<String>> {
        Ok(self.email_sealed.clone().map(|e| Sealed::<String>::from_stored(e).open(keys, EMAIL)).transpose()?)
    }
}

const COLUMNS: &str = "r.id, r.public_id, r.station_id, r.seeker_id, r.title, r.visibility, r.shown_to_companies, \
     r.name_sealed, r.email_sealed, r.gender, r.birth_year, r.education_level, r.experience_level, r.district, \
     r.intent_categories, r.intent_districts, r.salary_min, r.salary_max, r.content_json, r.completeness, \
     r.refreshed_at, r.created_at, r.updated_at";

const FIELD_COLUMNS: &str = "title, name_sealed, email_sealed, gender, birth_year, education_level, experience_level, \
     district, intent_categories, intent_districts, salary_min, salary_max, content_json, completeness";

fn field_values(keys: &Keyring, f: &ResumeFields) -> Vec<Value> {
    vec![
        f.title.clone().into(),
        Sealed::seal(keys, NAME, &f.full_name).into_stored().into(),
        f.email.as_ref().map(|e| Sealed::seal(keys, EMAIL, e).into_stored()).into(),
        f.gender.clone().into(),
        f.birth_year.into(),
        f.education_level.clone().into(),
        f.experience_level.clone().into(),
        f.district.clone().into(),
        wrap_codes(&f.intent_categories).into(),
        wrap_codes(&f.intent_districts).into(),
        f.salary.0.map(|v| v as i32).into(),
        f.salary.1.map(|v| v as i32).into(),
        f.content_json.clone().into(),
        (f.completeness as i32).into(),
    ]
}

async fn announce(conn: &impl ConnectionTrait, r: &ResumeRow, op: ChangeOp, now: DateTime<Utc>) -> StoreResult<()> {
    let change = NewChange {
        station_id: r.station_id,
        topic: "resume",
        entity_id: r.public_id.clone(),
        op,
        payload: serde_json::json!({ "visibility": r.visibility }),
    };
    changelog::append(conn, &change, now).await?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
pub async fn create(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    station_id: i64,
    seeker_id: i64,
    fields: &ResumeFields,
    visibility: &str,
    shown_to_companies: bool,
    now: DateTime<Utc>,
) -> StoreResult<ResumeRow> {
    let b = conn.get_database_backend();
    let public_id = uuid::Uuid::now_v7().to_string();
    let sql = format!(
        "INSERT INTO resumes (public_id, station_id, seeker_id, visibility, shown_to_companies, {FIELD_COLUMNS}, \
         refreshed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, {}, ?, ?, ?) RETURNING id",
        vec!["?"; 14].join(", ")
    );
    let mut values: Vec<Value> =
        vec![public_id.into(), station_id.into(), seeker_id.into(), visibility.into(), shown_to_companies.into()];
    values.extend(field_values(keys, fields));
    values.extend([now.into(), now.into(), now.into()]);
    let row = conn.query_one_raw(raw(b, &sql, values)).await?.ok_or(StoreError::NotFound)?;
    let resume = find(conn, row.try_get("", "id")?).await?.ok_or(StoreError::NotFound)?;
    announce(conn, &resume, ChangeOp::Created, now).await?;
    Ok(resume)
}

pub async fn update(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    id: i64,
    fields: &ResumeFields,
    now: DateTime<Utc>,
) -> StoreResult<ResumeRow> {
    let b = conn.get_database_backend();
    let sets = FIELD_COLUMNS.split(", ").map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ");
    let mut values = field_values(keys, fields);
    values.extend([now.into(), id.into()]);
    conn.execute_raw(raw(b, &format!("UPDATE resumes SET {sets}, updated_at = ? WHERE id = ?"), values)).await?;
    let resume = find(conn, id).await?.ok_or(StoreError::NotFound)?;
    announce(conn, &resume, ChangeOp::Updated, now).await?;
    Ok(resume)
}

pub async fn set_visibility(
    conn: &impl ConnectionTrait,
    id: i64,
    visibility: &str,
    shown_to_companies: bool,
    now: DateTime<Utc>,
) -> StoreResult<ResumeRow> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "UPDATE resumes SET visibility = ?, shown_to_companies = ?, updated_at = ? WHERE id = ?",
        [visibility.into(), shown_to_companies.into(), now.into(), id.into()],
    ))
    .await?;
    let resume = find(conn, id).await?.ok_or(StoreError::NotFound)?;
    announce(conn, &resume, ChangeOp::Updated, now).await?;
    Ok(resume)
}

/// Refreshes (刷新) the given resumes of one seeker; returns how many.
pub async fn refresh(conn: &impl ConnectionTrait, seeker_id: i64, ids: &[i64], now: DateTime<Utc>) -> StoreResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let b = conn.get_database_backend();
    let marks = vec!["?"; ids.len()].join(", ");
    let mut values: Vec<Value> = vec![now.into(), seeker_id.into()];
    values.extend(ids.iter().map(|i| Value::from(*i)));
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!(
                "UPDATE resumes SET refreshed_at = ? WHERE seeker_id = ? AND id IN ({marks}) \
                 RETURNING station_id, public_id, visibility"
            ),
            values,
        ))
        .await?;
    for r in &rows {
        let change = NewChange {
            station_id: r.try_get("", "station_id")?,
            topic: "resume",
            entity_id: r.try_get("", "public_id")?,
            op: ChangeOp::Updated,
            payload: serde_json::json!({ "visibility": r.try_get::<String>("", "visibility")? }),
        };
        changelog::append(conn, &change, now).await?;
    }
    Ok(rows.len() as u64)
}

pub async fn delete(conn: &impl ConnectionTrait, r: &ResumeRow, now: DateTime<Utc>) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(b, "DELETE FROM resumes WHERE id = ?", [r.id.into()])).await?;
    announce(conn, r, ChangeOp::Deleted, now).await
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> StoreResult<Option<ResumeRow>> {
    one(conn, "r.id = ?", id.into()).await
}

pub async fn find_public(conn: &impl ConnectionTrait, public_id: &str) -> StoreResult<Option<ResumeRow>> {
    if !crate::is_public_id(public_id) {
        return Ok(None);
    }
    one(conn, "r.public_id = ?", public_id.into()).await
}

async fn one(conn: &impl ConnectionTrait, cond: &str, v: Value) -> StoreResult<Option<ResumeRow>> {
    let b = conn.get_database_backend();
    let row = conn.query_one_raw(raw(b, &format!("SELECT {COLUMNS} FROM resumes r WHERE {cond}"), [v])).await?;
    Ok(row.map(|r| ResumeRow::from_query_result(&r, "")).transpose()?)
}

pub async fn of_seeker(conn: &impl ConnectionTrait, seeker_id: i64) -> StoreResult<Vec<ResumeRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!("SELECT {COLUMNS} FROM resumes r WHERE r.seeker_id = ? ORDER BY r.id"),
            [seeker_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| ResumeRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// The facts about one seeker and their resumes that the access policy decides on.
#[derive(Debug, Clone, Default)]
pub struct SeekerFacts {
    pub blocked: Vec<i64>,
    pub applied_to: Vec<i64>,
    pub contact_shared_with: Vec<i64>,
    /// Per resume id: the organisations that unlocked it.
    pub unlocked_by: HashMap<i64, Vec<i64>>,
}

/// Loads [`SeekerFacts`] for several seekers at once (a list page is one query per kind).
pub async fn facts(
    conn: &impl ConnectionTrait,
    seekers: &[i64],
    resume_ids: &[i64],
) -> StoreResult<HashMap<i64, SeekerFacts>> {
    let mut out: HashMap<i64, SeekerFacts> = seekers.iter().map(|s| (*s, SeekerFacts::default())).collect();
    if seekers.is_empty() {
        return Ok(out);
    }
    let b = conn.get_database_backend();
    let marks = vec!["?"; seekers.len()].join(", ");
    let sv = || seekers.iter().map(|s| Value::from(*s)).collect::<Vec<_>>();
    let pairs = |sql: String, vals: Vec<Value>| async move {
        let rows = conn.query_all_raw(raw(b, &sql, vals)).await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<i64>("", "k")?, r.try_get::<i64>("", "v")?)))
            .collect::<StoreResult<Vec<(i64, i64)>>>()
    };
    for (k, v) in
        pairs(format!("SELECT seeker_id AS k, company_id AS v FROM resume_blocks WHERE seeker_id IN ({marks})"), sv())
            .await?
    {
        out.entry(k).or_default().blocked.push(v);
    }
    // For a job an agency posts for a client, both organisations received the application.
    for (k, v) in pairs(
        format!(
            "SELECT seeker_id AS k, employer_id AS v FROM applications WHERE seeker_id IN ({marks}) \
             UNION SELECT seeker_id AS k, agency_id AS v FROM applications WHERE seeker_id IN ({marks}) AND agency_id IS NOT NULL"
        ),
        [sv(), sv()].concat(),
    )
    .await?
    {
        out.entry(k).or_default().applied_to.push(v);
    }
    for (k, v) in
        pairs(format!("SELECT seeker_id AS k, company_id AS v FROM contact_shares WHERE seeker_id IN ({marks})"), sv())
            .await?
    {
        out.entry(k).or_default().contact_shared_with.push(v);
    }
    if !resume_ids.is_empty() {
        let rmarks = vec!["?"; resume_ids.len()].join(", ");
        let sql = format!(
            "SELECT u.resume_id AS k, u.company_id AS v, r.seeker_id AS s FROM resume_unlocks u \
             JOIN resumes r ON r.id = u.resume_id WHERE u.resume_id IN ({rmarks})"
        );
        let rows = conn.query_all_raw(raw(b, &sql, resume_ids.iter().map(|i| Value::from(*i)))).await?;
        for r in rows {
            let (k, v, s): (i64, i64, i64) = (r.try_get("", "k")?, r.try_get("", "v")?, r.try_get("", "s")?);
            out.entry(s).or_default().unlocked_by.entry(k).or_default().push(v);
        }
    }
    Ok(out)
}

pub async fn block(
    conn: &impl ConnectionTrait,
    seeker_id: i64,
    company_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    // Blocking twice is not an error; ON CONFLICT keeps a transaction usable on PostgreSQL.
    conn.execute_raw(raw(
        b,
        "INSERT INTO resume_blocks (seeker_id, company_id, created_at) VALUES (?, ?, ?) \
         ON CONFLICT (seeker_id, company_id) DO NOTHING",
        [seeker_id.into(), company_id.into(), now.into()],
    ))
    .await?;
    announce_all_of(conn, seeker_id, now).await
}

pub async fn unblock(
    conn: &impl ConnectionTrait,
    seeker_id: i64,
    company_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "DELETE FROM resume_blocks WHERE seeker_id = ? AND company_id = ?",
        [seeker_id.into(), company_id.into()],
    ))
    .await?;
    announce_all_of(conn, seeker_id, now).await
}

/// Announces every resume of a seeker: the block list is part of what search excludes.
async fn announce_all_of(conn: &impl ConnectionTrait, seeker_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    for r in of_seeker(conn, seeker_id).await? {
        announce(conn, &r, ChangeOp::Updated, now).await?;
    }
    Ok(())
}

/// Resumes by public id (any visibility, any station), for the search index.
pub async fn find_many_public(conn: &impl ConnectionTrait, public_ids: &[String]) -> StoreResult<Vec<ResumeRow>> {
    let ids: Vec<&String> = public_ids.iter().filter(|p| crate::is_public_id(p)).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let b = conn.get_database_backend();
    let sql = format!("SELECT {COLUMNS} FROM resumes r WHERE r.public_id IN ({})", vec!["?"; ids.len()].join(", "));
    let rows = conn.query_all_raw(raw(b, &sql, ids.into_iter().map(|p| Value::from(p.clone())))).await?;
    Ok(rows.iter().map(|r| ResumeRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// Resumes by database id, in the order given.
pub async fn find_many(conn: &impl ConnectionTrait, ids: &[i64]) -> StoreResult<Vec<ResumeRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let b = conn.get_database_backend();
    let sql = format!("SELECT {COLUMNS} FROM resumes r WHERE r.id IN ({})", vec!["?"; ids.len()].join(", "));
    let rows = conn.query_all_raw(raw(b, &sql, ids.iter().map(|i| Value::from(*i)))).await?;
    let mut by_id: HashMap<i64, ResumeRow> =
        rows.iter().map(|r| ResumeRow::from_query_result(r, "").map(|x| (x.id, x))).collect::<Result<_, _>>()?;
    Ok(ids.iter().filter_map(|i| by_id.remove(i)).collect())
}

/// Resumes that are not hidden, of every station, with an id above `after_id` (a rebuild).
pub async fn searchable_after(conn: &impl ConnectionTrait, after_id: i64, limit: u64) -> StoreResult<Vec<ResumeRow>> {
    let b = conn.get_database_backend();
    let sql = format!(
        "SELECT {COLUMNS} FROM resumes r WHERE r.visibility <> 'hidden' AND r.id > ? ORDER BY r.id LIMIT {limit}"
    );
    let rows = conn.query_all_raw(raw(b, &sql, [after_id.into()])).await?;
    Ok(rows.iter().map(|r| ResumeRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// The organisations a seeker blocked (ids), for the search index.
pub async fn blocked_ids(conn: &impl ConnectionTrait, seeker_ids: &[i64]) -> StoreResult<HashMap<i64, Vec<i64>>> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    if seeker_ids.is_empty() {
        return Ok(out);
    }
    let b = conn.get_database_backend();
    let sql = format!(
        "SELECT seeker_id, company_id FROM resume_blocks WHERE seeker_id IN ({})",
        vec!["?"; seeker_ids.len()].join(", ")
    );
    for r in conn.query_all_raw(raw(b, &sql, seeker_ids.iter().map(|i| Value::from(*i)))).await? {
        out.entry(r.try_get("", "seeker_id")?).or_default().push(r.try_get("", "company_id")?);
    }
    Ok(out)
}

/// Seekers who applied to or shared their contact with an organisation: their resumes reach it
/// even when not shown to companies in general.
pub async fn reached_seekers(conn: &impl ConnectionTrait, org: i64) -> StoreResult<Vec<i64>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT seeker_id FROM applications WHERE employer_id = ? OR agency_id = ? \
             UNION SELECT seeker_id FROM contact_shares WHERE company_id = ?",
            [org.into(), org.into(), org.into()],
        ))
        .await?;
    rows.iter().map(|r| Ok(r.try_get("", "seeker_id")?)).collect()
}

/// Blocked organisations with their names, for the seeker's settings page.
pub async fn blocked(conn: &impl ConnectionTrait, seeker_id: i64) -> StoreResult<Vec<(i64, String, String)>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT c.id, c.public_id, c.name FROM resume_blocks rb JOIN companies c ON c.id = rb.company_id \
             WHERE rb.seeker_id = ? ORDER BY rb.id",
            [seeker_id.into()],
        ))
        .await?;
    rows.iter().map(|r| Ok((r.try_get("", "id")?, r.try_get("", "public_id")?, r.try_get("", "name")?))).collect()
}

/// Records that an organisation unlocked a resume; false when it already had.
pub async fn record_unlock(
    conn: &impl ConnectionTrait,
    resume_id: i64,
    company_id: i64,
    account_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    // A concurrent unlock by another recruiter of the same organisation inserts nothing here
    // (ON CONFLICT keeps the transaction usable on PostgreSQL, where an error would abort it).
    let n = conn
        .execute_raw(raw(
            b,
            "INSERT INTO resume_unlocks (resume_id, company_id, account_id, created_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (resume_id, company_id) DO NOTHING",
            [resume_id.into(), company_id.into(), account_id.into(), now.into()],
        ))
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// One line of "who viewed / downloaded my resume".
#[derive(Debug, Clone, FromQueryResult)]
pub struct ViewRow {
    pub resume_public_id: String,
    pub resume_title: String,
    pub company_public_id: String,
    pub company_name: String,
    pub kind: String,
    pub created_at: DateTime<Utc>,
}

pub async fn record_view(
    conn: &impl ConnectionTrait,
    r: &ResumeRow,
    company_id: i64,
    account_id: i64,
    kind: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO resume_views (resume_id, seeker_id, company_id, account_id, kind, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
        [r.id.into(), r.seeker_id.into(), company_id.into(), account_id.into(), kind.into(), now.into()],
    ))
    .await?;
    Ok(())
}

pub async fn views(conn: &impl ConnectionTrait, seeker_id: i64, limit: u64) -> StoreResult<Vec<ViewRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!(
                "SELECT r.public_id AS resume_public_id, r.title AS resume_title, c.public_id AS company_public_id, \
                 c.name AS company_name, v.kind, v.created_at FROM resume_views v JOIN resumes r ON r.id = v.resume_id \
                 JOIN companies c ON c.id = v.company_id WHERE v.seeker_id = ? ORDER BY v.created_at DESC, v.id DESC \
                 LIMIT {limit}"
            ),
            [seeker_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| ViewRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

pub async fn count_all(conn: &impl ConnectionTrait) -> StoreResult<u64> {
    count(conn, "SELECT COUNT(*) AS n FROM resumes", vec![]).await
}
