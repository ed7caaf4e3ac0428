//! Jobs. The state machine lives in the domain; here every transition is a compare-and-swap on
//! the status the caller saw, so two reviewers (or a reviewer and an editor) cannot both win.

use chrono::{DateTime, Utc};
use rencai_crypto::{FieldContext, Keyring, Sealed};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use super::companies::count;
use crate::changelog::{self, ChangeOp, NewChange};
use crate::{StoreError, StoreResult, raw};

pub const CONTACT_NAME: FieldContext = FieldContext("jobs.contact_name");
pub const CONTACT_PHONE: FieldContext = FieldContext("jobs.contact_phone");

/// A job's content as stored (checked by the domain before it gets here).
#[derive(Debug, Clone)]
pub struct JobFields {
    pub title: String,
    pub category: String,
    pub industry: String,
    pub district: String,
    pub address: String,
    pub point: Option<(f64, f64)>,
    /// None: 面议.
    pub salary: Option<(u32, u32)>,
    pub education: String,
    pub experience: String,
    pub job_type: String,
    pub headcount: u32,
    pub benefits: Vec<String>,
    pub description: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub campus: bool,
    pub urgent: bool,
}

#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct JobRow {
    pub id: i64,
    pub public_id: String,
    pub station_id: i64,
    pub employer_id: i64,
    pub agency_id: Option<i64>,
    pub owner_account_id: i64,
    pub title: String,
    pub category: String,
    pub industry: String,
    pub district: String,
    pub address: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub salary_min: Option<i32>,
    pub salary_max: Option<i32>,
    pub education: String,
    pub experience: String,
    pub job_type: String,
    pub headcount: i32,
    pub benefits: String,
    pub description: String,
    pub contact_name_sealed: String,
    pub contact_phone_sealed: String,
    pub campus: bool,
    pub urgent: bool,
    pub status: String,
    pub reject_reason: Option<String>,
    pub top_until: Option<DateTime<Utc>>,
    pub refreshed_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Joined: the employer's name and verification, and the posting agency's name.
    pub employer_name: String,
    pub employer_public_id: String,
    pub employer_verification: String,
    pub agency_name: Option<String>,
}

impl JobRow {
    pub fn benefit_codes(&self) -> Vec<String> {
        self.benefits.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect()
    }

    pub fn salary(&self) -> Option<(u32, u32)> {
        match (self.salary_min, self.salary_max) {
            (Some(a), Some(b)) => Some((a.max(0) as u32, b.max(0) as u32)),
            _ => None,
        }
    }

    pub fn contact(&self, keys: &Keyring) -> StoreResult<(String, String)> {
        let name = Sealed::<String>::from_stored(self.contact_name_sealed.clone()).open(keys, CONTACT_NAME)?;
        let phone = Sealed::<String>::from_stored(self.contact_phone_sealed.clone()).open(keys, CONTACT_PHONE)?;
        Ok((name, phone))
    }

    /// The row without its contact details and review notes: what a public list may carry
    /// (the search index stores it as the job's card). Its `contact` cannot be opened.
    pub fn public_copy(&self) -> JobRow {
        JobRow {
            contact_name_sealed: String::new(),
            contact_phone_sealed: String::new(),
            reject_reason: None,
            ..self.clone()
        }
    }

    /// The organisation that posted it (and whose recruiters manage it).
    pub fn poster_id(&self) -> i64 {
        self.agency_id.unwrap_or(self.employer_id)
    }
}

const SELECT: &str = "SELECT j.id, j.public_id, j.station_id, j.employer_id, j.agency_id, j.owner_account_id, \
     j.title, j.category, j.industry, j.district, j.address, j.lat, j.lng, j.salary_min, j.salary_max, j.education, \
     j.experience, j.job_type, j.headcount, j.benefits, j.description, j.contact_name_sealed, j.contact_phone_sealed, \
     j.campus, j.urgent, j.status, j.reject_reason, j.top_until, j.refreshed_at, j.published_at, j.expires_at, \
     j.created_at, j.updated_at, e.name AS employer_name, e.public_id AS employer_public_id, \
     e.verification AS employer_verification, ag.name AS agency_name \
     FROM jobs j JOIN companies e ON e.id = j.employer_id LEFT JOIN companies ag ON ag.id = j.agency_id";

pub(crate) fn wrap_codes(codes: &[String]) -> String {
    if codes.is_empty() { String::new() } else { format!(",{},", codes.join(",")) }
}

fn content_values(keys: &Keyring, f: &JobFields) -> Vec<Value> {
    let (lat, lng) = match f.point {
        Some((a, b)) => (Value::from(Some(a)), Value::from(Some(b))),
        None => (Value::from(Option::<f64>::None), Value::from(Option::<f64>::None)),
    };
    let (smin, smax) = match f.salary {
        Some((a, b)) => (Value::from(Some(a as i32)), Value::from(Some(b as i32))),
        None => (Value::from(Option::<i32>::None), Value::from(Option::<i32>::None)),
    };
    vec![
        f.title.clone().into(),
        f.category.clone().into(),
        f.industry.clone().into(),
        f.district.clone().into(),
        f.address.clone().into(),
        lat,
        lng,
        smin,
        smax,
        f.education.clone().into(),
        f.experience.clone().into(),
        f.job_type.clone().into(),
        (f.headcount as i32).into(),
        wrap_codes(&f.benefits).into(),
        f.description.clone().into(),
        Sealed::seal(keys, CONTACT_NAME, &f.contact_name).into_stored().into(),
        Sealed::seal(keys, CONTACT_PHONE, &f.contact_phone).into_stored().into(),
        f.campus.into(),
        f.urgent.into(),
    ]
}

const CONTENT_COLUMNS: &str = "title, category, industry, district, address, lat, lng, salary_min, salary_max, \
     education, experience, job_type, headcount, benefits, description, contact_name_sealed, contact_phone_sealed, \
     campus, urgent";

/// Who posts a new job.
#[derive(Debug, Clone, Copy)]
pub struct Poster {
    pub station_id: i64,
    pub employer_id: i64,
    pub agency_id: Option<i64>,
    pub owner_account_id: i64,
}

pub async fn create(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    poster: Poster,
    fields: &JobFields,
    status: &str,
    now: DateTime<Utc>,
) -> StoreResult<JobRow> {
    let b = conn.get_database_backend();
    let public_id = uuid::Uuid::now_v7().to_string();
    let sql = format!(
        "INSERT INTO jobs (public_id, station_id, employer_id, agency_id, owner_account_id, {CONTENT_COLUMNS}, status, \
         refreshed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, {}, ?, ?, ?, ?) RETURNING id",
        vec!["?"; 19].join(", ")
    );
    let mut values: Vec<Value> = vec![
        public_id.clone().into(),
        poster.station_id.into(),
        poster.employer_id.into(),
        poster.agency_id.into(),
        poster.owner_account_id.into(),
    ];
    values.extend(content_values(keys, fields));
    values.extend([status.into(), now.into(), now.into(), now.into()]);
    let row = conn.query_one_raw(raw(b, &sql, values)).await?.ok_or(StoreError::NotFound)?;
    let id: i64 = row.try_get("", "id")?;
    announce(conn, poster.station_id, &public_id, ChangeOp::Created, status, now).await?;
    find(conn, id).await?.ok_or(StoreError::NotFound)
}

async fn announce(
    conn: &impl ConnectionTrait,
    station_id: i64,
    public_id: &str,
    op: ChangeOp,
    status: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let change = NewChange {
        station_id,
        topic: "job",
        entity_id: public_id.to_string(),
        op,
        payload: serde_json::json!({ "status": status }),
    };
    changelog::append(conn, &change, now).await?;
    Ok(())
}

/// Replaces the content and moves the status from `from` to `to` in one compare-and-swap.
pub async fn update_content(
    conn: &impl ConnectionTrait,
    keys: &Keyring,
    job: &JobRow,
    fields: &JobFields,
    to: &str,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let sets = CONTENT_COLUMNS.split(", ").map(|c| format!("{c} = ?")).collect::<Vec<_>>().join(", ");
    let sql = format!("UPDATE jobs SET {sets}, status = ?, updated_at = ? WHERE id = ? AND status = ?");
    let mut values = content_values(keys, fields);
    values.extend([to.into(), now.into(), job.id.into(), job.status.clone().into()]);
    let ok = conn.execute_raw(raw(b, &sql, values)).await?.rows_affected() == 1;
    if ok {
        announce(conn, job.station_id, &job.public_id, ChangeOp::Updated, to, now).await?;
    }
    Ok(ok)
}

/// What a status change also sets.
#[derive(Debug, Clone, Default)]
pub struct Transition<'a> {
    pub reject_reason: Option<&'a str>,
    /// Set on publication.
    pub published: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

pub async fn transition(
    conn: &impl ConnectionTrait,
    job: &JobRow,
    to: &str,
    t: Transition<'_>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let (published_at, expires_at, refreshed_at): (Value, Value, Value) = match t.published {
        Some((p, e)) => (Some(p).into(), Some(e).into(), p.into()),
        None => (job.published_at.into(), job.expires_at.into(), job.refreshed_at.into()),
    };
    let ok = conn
        .execute_raw(raw(
            b,
            "UPDATE jobs SET status = ?, reject_reason = ?, published_at = ?, expires_at = ?, refreshed_at = ?, \
             updated_at = ? WHERE id = ? AND status = ?",
            [
                to.into(),
                t.reject_reason.map(str::to_string).into(),
                published_at,
                expires_at,
                refreshed_at,
                now.into(),
                job.id.into(),
                job.status.clone().into(),
            ],
        ))
        .await?
        .rows_affected()
        == 1;
    if ok {
        announce(conn, job.station_id, &job.public_id, ChangeOp::Updated, to, now).await?;
    }
    Ok(ok)
}

/// Moves a published job up the listings (刷新); false when it is no longer published.
pub async fn refresh(conn: &impl ConnectionTrait, job: &JobRow, now: DateTime<Utc>) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let n = conn
        .execute_raw(raw(
            b,
            "UPDATE jobs SET refreshed_at = ? WHERE id = ? AND status = 'published'",
            [now.into(), job.id.into()],
        ))
        .await?
        .rows_affected();
    if n == 1 {
        announce(conn, job.station_id, &job.public_id, ChangeOp::Updated, &job.status, now).await?;
    }
    Ok(n == 1)
}

pub async fn reassign(
    conn: &impl ConnectionTrait,
    job: &JobRow,
    to_account: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "UPDATE jobs SET owner_account_id = ?, updated_at = ? WHERE id = ?",
        [to_account.into(), now.into(), job.id.into()],
    ))
    .await?;
    Ok(())
}

/// Expires every published job whose time is up; returns how many. Runs on a schedule.
pub async fn expire_due(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> StoreResult<u64> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "UPDATE jobs SET status = 'expired', updated_at = ? WHERE status = 'published' AND expires_at <= ? \
             RETURNING station_id, public_id",
            [now.into(), now.into()],
        ))
        .await?;
    for r in &rows {
        let station_id: i64 = r.try_get("", "station_id")?;
        let public_id: String = r.try_get("", "public_id")?;
        announce(conn, station_id, &public_id, ChangeOp::Updated, "expired", now).await?;
    }
    Ok(rows.len() as u64)
}

pub async fn find(conn: &impl ConnectionTrait, id: i64) -> StoreResult<Option<JobRow>> {
    one(conn, "j.id = ?", id.into()).await
}

pub async fn find_public(conn: &impl ConnectionTrait, public_id: &str) -> StoreResult<Option<JobRow>> {
    if !crate::is_public_id(public_id) {
        return Ok(None);
    }
    one(conn, "j.public_id = ?", public_id.into()).await
}

async fn one(conn: &impl ConnectionTrait, cond: &str, v: Value) -> StoreResult<Option<JobRow>> {
    let b = conn.get_database_backend();
    let row = conn.query_one_raw(raw(b, &format!("{SELECT} WHERE {cond}"), [v])).await?;
    Ok(row.map(|r| JobRow::from_query_result(&r, "")).transpose()?)
}

/// Jobs that hold a slot of this organisation's quota (pending or published, as poster).
pub async fn slots_in_use(conn: &impl ConnectionTrait, poster_id: i64) -> StoreResult<u64> {
    count(
        conn,
        "SELECT COUNT(*) AS n FROM jobs WHERE COALESCE(agency_id, employer_id) = ? AND status IN ('pending', 'published')",
        vec![poster_id.into()],
    )
    .await
}

/// Titles of the poster's other open jobs, for the duplicate rule.
pub async fn open_titles(conn: &impl ConnectionTrait, poster_id: i64, except: Option<i64>) -> StoreResult<Vec<String>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT title FROM jobs WHERE COALESCE(agency_id, employer_id) = ? AND status IN ('pending', 'published') \
             AND id <> ?",
            [poster_id.into(), except.unwrap_or(0).into()],
        ))
        .await?;
    rows.iter().map(|r| Ok(r.try_get::<String>("", "title")?)).collect()
}

/// Filters of an organisation's own job list, its public page and the review queue. Public
/// searches come from the search index, not from here.
#[derive(Debug, Clone, Default)]
pub struct JobQuery {
    pub station_id: i64,
    pub statuses: Vec<String>,
    pub employer_id: Option<i64>,
    /// Jobs posted by this organisation (as employer without agency, or as agency).
    pub poster_id: Option<i64>,
    pub owner_account_id: Option<i64>,
    pub offset: u64,
    pub limit: u64,
}

/// Jobs by [`JobQuery`], placed-on-top first, then the most recently refreshed.
pub async fn list(conn: &impl ConnectionTrait, q: &JobQuery, now: DateTime<Utc>) -> StoreResult<(u64, Vec<JobRow>)> {
    let b = conn.get_database_backend();
    let mut cond = vec!["j.station_id = ?".to_string()];
    let mut values: Vec<Value> = vec![q.station_id.into()];
    if !q.statuses.is_empty() {
        cond.push(format!("j.status IN ({})", vec!["?"; q.statuses.len()].join(", ")));
        values.extend(q.statuses.iter().map(|s| Value::from(s.clone())));
    }
    for (col, v) in [("j.employer_id", q.employer_id), ("j.owner_account_id", q.owner_account_id)] {
        if let Some(v) = v {
            cond.push(format!("{col} = ?"));
            values.push(v.into());
        }
    }
    if let Some(p) = q.poster_id {
        cond.push("COALESCE(j.agency_id, j.employer_id) = ?".into());
        values.push(p.into());
    }
    let cond = cond.join(" AND ");
    let total = count(
        conn,
        &format!("SELECT COUNT(*) AS n FROM jobs j JOIN companies e ON e.id = j.employer_id WHERE {cond}"),
        values.clone(),
    )
    .await?;
    values.push(now.into());
    let order = "CASE WHEN j.top_until > ? THEN 0 ELSE 1 END, j.refreshed_at DESC, j.id DESC";
    let sql = format!("{SELECT} WHERE {cond} ORDER BY {order} LIMIT {} OFFSET {}", q.limit, q.offset);
    let rows = conn.query_all_raw(raw(b, &sql, values)).await?;
    let items = rows.iter().map(|r| JobRow::from_query_result(r, "")).collect::<Result<_, _>>()?;
    Ok((total, items))
}

/// Public ids and change times of every published job, for the sitemap.
pub async fn published_ids(
    conn: &impl ConnectionTrait,
    station_id: i64,
    offset: u64,
    limit: u64,
) -> StoreResult<Vec<(String, DateTime<Utc>)>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!(
                "SELECT public_id, updated_at FROM jobs WHERE station_id = ? AND status = 'published' ORDER BY id \
                 LIMIT {limit} OFFSET {offset}"
            ),
            [station_id.into()],
        ))
        .await?;
    rows.iter().map(|r| Ok((r.try_get("", "public_id")?, r.try_get("", "updated_at")?))).collect()
}

pub async fn count_published(conn: &impl ConnectionTrait, station_id: i64) -> StoreResult<u64> {
    count(conn, "SELECT COUNT(*) AS n FROM jobs WHERE station_id = ? AND status = 'published'", vec![station_id.into()])
        .await
}

/// Jobs by public id (any status, any station), for the search index.
pub async fn find_many_public(conn: &impl ConnectionTrait, public_ids: &[String]) -> StoreResult<Vec<JobRow>> {
    let ids: Vec<&String> = public_ids.iter().filter(|p| crate::is_public_id(p)).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let b = conn.get_database_backend();
    let sql = format!("{SELECT} WHERE j.public_id IN ({})", vec!["?"; ids.len()].join(", "));
    let rows = conn.query_all_raw(raw(b, &sql, ids.into_iter().map(|p| Value::from(p.clone())))).await?;
    Ok(rows.iter().map(|r| JobRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// Published jobs of every station with an id above `after_id`, by id (a rebuild walks them).
pub async fn published_after(conn: &impl ConnectionTrait, after_id: i64, limit: u64) -> StoreResult<Vec<JobRow>> {
    let b = conn.get_database_backend();
    // `status || ''` keeps the planner off the status index: walking it, SQLite sorted every
    // published job above `after_id` for each page (4 s a page at a million jobs, the rebuild
    // quadratic); walking the primary key reads just the page (20 ms).
    let sql = format!("{SELECT} WHERE j.status || '' = 'published' AND j.id > ? ORDER BY j.id LIMIT {limit}");
    let rows = conn.query_all_raw(raw(b, &sql, [after_id.into()])).await?;
    Ok(rows.iter().map(|r| JobRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// Public ids of the jobs an organisation employs for or posted as an agency (its name and
/// badge are part of them in the search index).
pub async fn public_ids_of_org(conn: &impl ConnectionTrait, company_public_id: &str) -> StoreResult<Vec<String>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT j.public_id FROM jobs j JOIN companies c ON c.id = j.employer_id OR c.id = j.agency_id \
             WHERE c.public_id = ?",
            [company_public_id.into()],
        ))
        .await?;
    rows.iter().map(|r| Ok(r.try_get("", "public_id")?)).collect()
}

/// Published jobs of every station (the size of a search rebuild).
pub async fn count_published_all(conn: &impl ConnectionTrait) -> StoreResult<u64> {
    count(conn, "SELECT COUNT(*) AS n FROM jobs WHERE status = 'published'", vec![]).await
}

/// Sets a job's publication times (the demo loader spreads jobs over past weeks).
pub async fn set_times(
    conn: &impl ConnectionTrait,
    id: i64,
    published_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
    refreshed_at: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "UPDATE jobs SET published_at = ?, expires_at = ?, refreshed_at = ? WHERE id = ?",
        [published_at.into(), expires_at.into(), refreshed_at.into(), id.into()],
    ))
    .await?;
    if let Some(job) = find(conn, id).await? {
        announce(conn, job.station_id, &job.public_id, ChangeOp::Updated, &job.status, refreshed_at).await?;
    }
    Ok(())
}

/// Places a published job at the top of the lists until `until`; false when it is no longer
/// published.
pub async fn set_top(
    conn: &impl ConnectionTrait,
    job: &JobRow,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let n = conn
        .execute_raw(raw(
            b,
            "UPDATE jobs SET top_until = ?, updated_at = ? WHERE id = ? AND status = 'published'",
            [until.into(), now.into(), job.id.into()],
        ))
        .await?
        .rows_affected();
    if n == 1 {
        announce(conn, job.station_id, &job.public_id, ChangeOp::Updated, &job.status, now).await?;
    }
    Ok(n == 1)
}

/// Every job an account owns, whatever its status.
pub async fn owned_by(conn: &impl ConnectionTrait, account_id: i64) -> StoreResult<Vec<JobRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(b, &format!("{SELECT} WHERE j.owner_account_id = ? ORDER BY j.id"), [account_id.into()]))
        .await?;
    Ok(rows.iter().map(|r| JobRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}
