//! Applications (投递) and their pipeline (M8): the application rows, every stage change as an
//! event, and interview invitations. Stage changes are compare-and-swap on the stage read, so
//! two recruiters acting at once cannot both move the same application.

use chrono::{DateTime, Utc};
use rencai_crypto::FieldContext;
use sea_orm::{ConnectionTrait, FromQueryResult, Value};

use super::companies::count;
use crate::{StoreError, StoreResult, is_public_id, raw};

/// A reject reason or a withdrawal note.
pub const EVENT_REASON: FieldContext = FieldContext("application_events.reason");
/// Where, with whom and how to reach them.
pub const INTERVIEW_DETAILS: FieldContext = FieldContext("interviews.details");
/// The seeker's answer to an invitation (why declined, which time suits).
pub const INTERVIEW_REPLY: FieldContext = FieldContext("interviews.reply");

/// One application with what every list shows of its job and organisation.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ApplicationRow {
    pub id: i64,
    pub public_id: String,
    pub job_id: i64,
    pub job_public_id: String,
    pub job_title: String,
    pub job_status: String,
    /// The recruiter who owns the job (P17: the sub-account whose pipeline it is).
    pub job_owner_id: i64,
    pub resume_id: i64,
    pub resume_public_id: String,
    pub seeker_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub employer_public_id: String,
    pub agency_id: Option<i64>,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ApplicationRow {
    /// The organisation whose recruiters manage this application: the one that posted the job.
    pub fn poster_id(&self) -> i64 {
        self.agency_id.unwrap_or(self.employer_id)
    }
}

const SELECT: &str = "SELECT a.id, a.public_id, a.job_id, j.public_id AS job_public_id, j.title AS job_title, \
     j.status AS job_status, j.owner_account_id AS job_owner_id, a.resume_id, r.public_id AS resume_public_id, \
     a.seeker_id, a.employer_id, c.name AS employer_name, c.public_id AS employer_public_id, a.agency_id, a.status, \
     a.created_at, a.updated_at \
     FROM applications a JOIN jobs j ON j.id = a.job_id JOIN resumes r ON r.id = a.resume_id \
     JOIN companies c ON c.id = a.employer_id";

/// Records a new application (stage `new`) and its first event. Both the employer and a
/// posting agency receive it. A second application to the same job is a conflict.
#[allow(clippy::too_many_arguments)]
pub async fn insert(
    conn: &impl ConnectionTrait,
    station_id: i64,
    job_id: i64,
    employer_id: i64,
    agency_id: Option<i64>,
    resume_id: i64,
    seeker_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<(i64, String)> {
    let b = conn.get_database_backend();
    let public_id = uuid::Uuid::now_v7().to_string();
    let row = conn
        .query_one_raw(raw(
            b,
            "INSERT INTO applications (public_id, station_id, job_id, resume_id, seeker_id, employer_id, agency_id, \
             status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'new', ?, ?) RETURNING id",
            [
                public_id.clone().into(),
                station_id.into(),
                job_id.into(),
                resume_id.into(),
                seeker_id.into(),
                employer_id.into(),
                agency_id.into(),
                now.into(),
                now.into(),
            ],
        ))
        .await
        .map_err(|e| StoreError::from_db(e, &[("job_id", "application"), ("ix_applications_once", "application")]))?
        .ok_or_else(|| StoreError::Db(sea_orm::DbErr::RecordNotInserted))?;
    let id: i64 = row.try_get("", "id")?;
    add_event(conn, id, "new", Some(seeker_id), None, now).await?;
    Ok((id, public_id))
}

pub async fn has_applied(conn: &impl ConnectionTrait, seeker_id: i64, job_id: i64) -> StoreResult<bool> {
    Ok(count(
        conn,
        "SELECT COUNT(*) AS n FROM applications WHERE seeker_id = ? AND job_id = ?",
        vec![seeker_id.into(), job_id.into()],
    )
    .await?
        > 0)
}

/// Applications a seeker sent since `since` (the daily limit).
pub async fn count_sent_since(conn: &impl ConnectionTrait, seeker_id: i64, since: DateTime<Utc>) -> StoreResult<u64> {
    count(
        conn,
        "SELECT COUNT(*) AS n FROM applications WHERE seeker_id = ? AND created_at >= ?",
        vec![seeker_id.into(), since.into()],
    )
    .await
}

pub async fn find(conn: &impl ConnectionTrait, public_id: &str) -> StoreResult<Option<ApplicationRow>> {
    if !is_public_id(public_id) {
        return Ok(None);
    }
    let b = conn.get_database_backend();
    let row = conn.query_one_raw(raw(b, &format!("{SELECT} WHERE a.public_id = ?"), [public_id.into()])).await?;
    Ok(row.map(|r| ApplicationRow::from_query_result(&r, "")).transpose()?)
}

pub async fn find_by_id(conn: &impl ConnectionTrait, id: i64) -> StoreResult<Option<ApplicationRow>> {
    let b = conn.get_database_backend();
    let row = conn.query_one_raw(raw(b, &format!("{SELECT} WHERE a.id = ?"), [id.into()])).await?;
    Ok(row.map(|r| ApplicationRow::from_query_result(&r, "")).transpose()?)
}

pub async fn count_for_seeker(conn: &impl ConnectionTrait, seeker_id: i64) -> StoreResult<u64> {
    count(conn, "SELECT COUNT(*) AS n FROM applications WHERE seeker_id = ?", vec![seeker_id.into()]).await
}

/// A seeker's own applications, newest change first.
pub async fn list_for_seeker(
    conn: &impl ConnectionTrait,
    seeker_id: i64,
    limit: u64,
    offset: u64,
) -> StoreResult<Vec<ApplicationRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!(
                "{SELECT} WHERE a.seeker_id = ? ORDER BY a.updated_at DESC, a.id DESC LIMIT {limit} OFFSET {offset}"
            ),
            [seeker_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| ApplicationRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// Which of an organisation's applications a recruiter reads.
#[derive(Debug, Clone, Default)]
pub struct OrgQuery {
    /// The posting organisation.
    pub org_id: i64,
    /// A sub-account sees the jobs it owns; the primary account sees all (P17).
    pub owner_account_id: Option<i64>,
    pub job_id: Option<i64>,
    pub stage: Option<String>,
    pub limit: u64,
    pub offset: u64,
}

impl OrgQuery {
    fn filter(&self, with_stage: bool) -> (String, Vec<Value>) {
        let mut sql = String::from(" WHERE COALESCE(a.agency_id, a.employer_id) = ?");
        let mut values: Vec<Value> = vec![self.org_id.into()];
        if let Some(owner) = self.owner_account_id {
            sql.push_str(" AND j.owner_account_id = ?");
            values.push(owner.into());
        }
        if let Some(job) = self.job_id {
            sql.push_str(" AND a.job_id = ?");
            values.push(job.into());
        }
        if with_stage && let Some(stage) = &self.stage {
            sql.push_str(" AND a.status = ?");
            values.push(stage.clone().into());
        }
        (sql, values)
    }
}

/// A page of an organisation's applications, newest first, and how many match.
pub async fn list_for_org(conn: &impl ConnectionTrait, q: &OrgQuery) -> StoreResult<(Vec<ApplicationRow>, u64)> {
    let b = conn.get_database_backend();
    let (filter, values) = q.filter(true);
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!(
                "{SELECT}{filter} ORDER BY a.created_at DESC, a.id DESC LIMIT {} OFFSET {}",
                q.limit.clamp(1, 200),
                q.offset
            ),
            values.clone(),
        ))
        .await?;
    let total = count(
        conn,
        &format!("SELECT COUNT(*) AS n FROM applications a JOIN jobs j ON j.id = a.job_id{filter}"),
        values,
    )
    .await?;
    Ok((rows.iter().map(|r| ApplicationRow::from_query_result(r, "")).collect::<Result<_, _>>()?, total))
}

/// How many of the query's applications stand at each stage (the stage filter ignored).
pub async fn stage_counts(conn: &impl ConnectionTrait, q: &OrgQuery) -> StoreResult<Vec<(String, u64)>> {
    let b = conn.get_database_backend();
    let (filter, values) = q.filter(false);
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!(
                "SELECT a.status AS status, COUNT(*) AS n FROM applications a JOIN jobs j ON j.id = a.job_id{filter} \
                 GROUP BY a.status"
            ),
            values,
        ))
        .await?;
    rows.iter().map(|r| Ok((r.try_get::<String>("", "status")?, r.try_get::<i64>("", "n")? as u64))).collect()
}

/// Moves an application from `from` to `to` if it is still at `from`. Returns whether it moved.
pub async fn set_stage(
    conn: &impl ConnectionTrait,
    id: i64,
    from: &str,
    to: &str,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let done = conn
        .execute_raw(raw(
            b,
            "UPDATE applications SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
            [to.into(), now.into(), id.into(), from.into()],
        ))
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn add_event(
    conn: &impl ConnectionTrait,
    application_id: i64,
    stage: &str,
    actor_account_id: Option<i64>,
    reason_sealed: Option<String>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "INSERT INTO application_events (application_id, stage, actor_account_id, reason_sealed, created_at) \
         VALUES (?, ?, ?, ?, ?)",
        [application_id.into(), stage.into(), actor_account_id.into(), reason_sealed.into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// One stage change.
#[derive(Debug, Clone, FromQueryResult)]
pub struct EventRow {
    pub stage: String,
    pub actor_account_id: Option<i64>,
    pub reason_sealed: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// An application's history, oldest first.
pub async fn events(conn: &impl ConnectionTrait, application_id: i64) -> StoreResult<Vec<EventRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            "SELECT stage, actor_account_id, reason_sealed, created_at FROM application_events \
             WHERE application_id = ? ORDER BY id",
            [application_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| EventRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

/// States of an interview invitation.
pub mod interview_state {
    pub const INVITED: &str = "invited";
    pub const ACCEPTED: &str = "accepted";
    pub const DECLINED: &str = "declined";
    /// The seeker asked for another time; the recruiter answers with a new invitation.
    pub const RESCHEDULE: &str = "reschedule";
    /// Replaced by a later invitation, or closed with its application.
    pub const SUPERSEDED: &str = "superseded";
}

/// An interview invitation.
#[derive(Debug, Clone, FromQueryResult)]
pub struct InterviewRow {
    pub id: i64,
    pub public_id: String,
    pub application_id: i64,
    pub starts_at: DateTime<Utc>,
    pub minutes: i32,
    pub mode: String,
    pub details_sealed: String,
    pub state: String,
    pub reply_sealed: Option<String>,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const INTERVIEW_COLUMNS: &str = "id, public_id, application_id, starts_at, minutes, mode, details_sealed, state, \
     reply_sealed, created_by, created_at, updated_at";

/// A new invitation; earlier open ones of the application are superseded.
#[allow(clippy::too_many_arguments)]
pub async fn insert_interview(
    conn: &impl ConnectionTrait,
    application_id: i64,
    starts_at: DateTime<Utc>,
    minutes: i32,
    mode: &str,
    details_sealed: String,
    created_by: i64,
    now: DateTime<Utc>,
) -> StoreResult<String> {
    close_interviews(conn, application_id, now).await?;
    let b = conn.get_database_backend();
    let public_id = uuid::Uuid::now_v7().to_string();
    conn.execute_raw(raw(
        b,
        "INSERT INTO interviews (public_id, application_id, starts_at, minutes, mode, details_sealed, state, \
         created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'invited', ?, ?, ?)",
        [
            public_id.clone().into(),
            application_id.into(),
            starts_at.into(),
            minutes.into(),
            mode.into(),
            details_sealed.into(),
            created_by.into(),
            now.into(),
            now.into(),
        ],
    ))
    .await?;
    Ok(public_id)
}

/// Supersedes the application's invitations still waiting for an answer or accepted; declined
/// ones and requests for another time keep the seeker's answer as history.
pub async fn close_interviews(conn: &impl ConnectionTrait, application_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(
        b,
        "UPDATE interviews SET state = 'superseded', updated_at = ? \
         WHERE application_id = ? AND state IN ('invited', 'accepted')",
        [now.into(), application_id.into()],
    ))
    .await?;
    Ok(())
}

/// An application's invitations, newest first.
pub async fn interviews_of(conn: &impl ConnectionTrait, application_id: i64) -> StoreResult<Vec<InterviewRow>> {
    let b = conn.get_database_backend();
    let rows = conn
        .query_all_raw(raw(
            b,
            &format!("SELECT {INTERVIEW_COLUMNS} FROM interviews WHERE application_id = ? ORDER BY id DESC"),
            [application_id.into()],
        ))
        .await?;
    Ok(rows.iter().map(|r| InterviewRow::from_query_result(r, "")).collect::<Result<_, _>>()?)
}

pub async fn find_interview(conn: &impl ConnectionTrait, public_id: &str) -> StoreResult<Option<InterviewRow>> {
    if !is_public_id(public_id) {
        return Ok(None);
    }
    let b = conn.get_database_backend();
    let row = conn
        .query_one_raw(raw(
            b,
            &format!("SELECT {INTERVIEW_COLUMNS} FROM interviews WHERE public_id = ?"),
            [public_id.into()],
        ))
        .await?;
    Ok(row.map(|r| InterviewRow::from_query_result(&r, "")).transpose()?)
}

/// Records the seeker's answer if the invitation is still waiting for one.
pub async fn answer_interview(
    conn: &impl ConnectionTrait,
    id: i64,
    state: &str,
    reply_sealed: Option<String>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let b = conn.get_database_backend();
    let done = conn
        .execute_raw(raw(
            b,
            "UPDATE interviews SET state = ?, reply_sealed = ?, updated_at = ? WHERE id = ? AND state = 'invited'",
            [state.into(), reply_sealed.into(), now.into(), id.into()],
        ))
        .await?;
    Ok(done.rows_affected() == 1)
}
