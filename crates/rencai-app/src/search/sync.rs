//! Keeping the replica in step with the database. The change log says which jobs (or which
//! organisations, whose name and badge are part of their jobs) changed; the current rows are
//! read and put into or taken out of the index. Every commit of the index carries the
//! change-log position it reflects, so a crash between the two loses nothing: the next start
//! resumes from the last commit and re-applies (idempotently) what followed.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use rencai_store::changelog::{self, ChangeRecord, Cursor};
use rencai_store::market::jobs::{self as job_store, JobRow};
use rencai_store::market::light::{self as light_store, LightRow};
use rencai_store::market::resumes::{self as resume_store, ResumeRow};

use super::Search;
use super::job_doc::{is_public, job_doc};
use super::light_doc::{is_listed, light_doc};
use super::resume_doc::{is_searchable, resume_doc};
use crate::{AppError, AppResult, AppState};

/// Changes read per round trip.
const BATCH: u32 = 1_000;
/// Rows read per page during a rebuild.
const REBUILD_PAGE: u64 = 2_000;

/// What a sync did.
#[derive(Debug, Clone, Default)]
pub struct SyncReport {
    pub rebuilt: bool,
    pub changes: u64,
    pub indexed: u64,
    pub removed: u64,
    pub elapsed: Duration,
}

/// Where the indexes are in the change log; None when any has no position (a rebuild).
fn position(s: &Search) -> AppResult<Option<Cursor>> {
    let parse = |saved: Result<String, rencai_search::SearchError>| -> AppResult<Option<Cursor>> {
        let saved = saved.map_err(AppError::internal)?;
        Ok(if saved.is_empty() { None } else { serde_json::from_str(&saved).ok() })
    };
    let all = [s.jobs.sync_position(), s.resumes.sync_position(), s.light.sync_position()]
        .into_iter()
        .map(parse)
        .collect::<AppResult<Option<Vec<Cursor>>>>()?;
    // After a crash between the commits, the lowest: re-applying is harmless.
    Ok(all.and_then(|c| c.into_iter().min()))
}

/// Commits every index at `cursor`.
async fn commit(s: &Arc<Search>, cursor: &Cursor) -> AppResult<()> {
    let sync = serde_json::to_string(cursor).map_err(AppError::internal)?;
    blocking(s, move |s| {
        s.jobs.commit(&sync)?;
        s.resumes.commit(&sync)?;
        s.light.commit(&sync)
    })
    .await
}

async fn blocking<T: Send + 'static>(
    s: &Arc<Search>,
    f: impl FnOnce(&Search) -> Result<T, rencai_search::SearchError> + Send + 'static,
) -> AppResult<T> {
    let s = s.clone();
    tokio::task::spawn_blocking(move || f(&s)).await.map_err(AppError::internal)?.map_err(AppError::internal)
}

/// Applies every readable change after the replica's saved position.
pub async fn catch_up(state: &AppState) -> AppResult<SyncReport> {
    let s = state.search()?.clone();
    let _one = s.sync_lock.lock().await;
    let started = Instant::now();
    let local = changelog::local_appends();
    let Some(mut cursor) = position(&s)? else {
        drop(_one);
        return Box::pin(rebuild(state)).await;
    };
    let conn = state.db().conn();
    let mut report = SyncReport::default();
    loop {
        let (changes, next) = changelog::read_after(conn, cursor, BATCH).await.map_err(AppError::internal)?;
        if changes.is_empty() {
            break;
        }
        report.changes += changes.len() as u64;
        let (put, removed) = apply(state, &s, &changes).await?;
        report.indexed += put;
        report.removed += removed;
        commit(&s, &next).await?;
        cursor = next;
    }
    // On PostgreSQL, changes committed after a transaction that is still running (anywhere on
    // the server) are not settled yet. Show them now without moving the saved position; they
    // are applied again once settled.
    let ahead = changelog::read_committed_after(conn, cursor, BATCH).await.map_err(AppError::internal)?;
    if !ahead.is_empty() {
        report.changes += ahead.len() as u64;
        let (put, removed) = apply(state, &s, &ahead).await?;
        report.indexed += put;
        report.removed += removed;
        commit(&s, &cursor).await?;
    }
    s.caught_up_local.store(local, Ordering::Release);
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Puts what changed into the indexes and takes out what no longer belongs; returns (put,
/// removed).
async fn apply(state: &AppState, s: &Arc<Search>, changes: &[ChangeRecord]) -> AppResult<(u64, u64)> {
    let conn = state.db().conn();
    let mut jobs: BTreeSet<String> = BTreeSet::new();
    let mut resumes: BTreeSet<String> = BTreeSet::new();
    let mut light: BTreeSet<String> = BTreeSet::new();
    for c in changes {
        match c.topic.as_str() {
            "job" => {
                jobs.insert(c.entity_id.clone());
            }
            "company" => jobs.extend(job_store::public_ids_of_org(conn, &c.entity_id).await?),
            "resume" => {
                resumes.insert(c.entity_id.clone());
            }
            "light_post" => {
                light.insert(c.entity_id.clone());
            }
            _ => {}
        }
    }
    if jobs.is_empty() && resumes.is_empty() && light.is_empty() {
        // Changes of other topics (applications, chat, …): nothing to index.
        return Ok((0, 0));
    }
    let (rows, jobs_gone) = reread::<JobRow>(state, jobs).await?;
    let job_docs: Vec<_> = rows.iter().map(job_doc).collect();
    let (rows, resumes_gone) = reread::<ResumeRow>(state, resumes).await?;
    let resume_docs = resume_docs(state, &rows).await?;
    let (rows, light_gone) = reread::<LightRow>(state, light).await?;
    let light_docs: Vec<_> = rows.iter().map(light_doc).collect();
    let put = (job_docs.len() + resume_docs.len() + light_docs.len()) as u64;
    let removed = (jobs_gone.len() + resumes_gone.len() + light_gone.len()) as u64;
    blocking(s, move |s| {
        s.jobs.remove(&jobs_gone);
        s.jobs.put(&job_docs)?;
        s.resumes.remove(&resumes_gone);
        s.resumes.put(&resume_docs)?;
        s.light.remove(&light_gone);
        s.light.put(&light_docs)
    })
    .await?;
    Ok((put, removed))
}

/// A row an index is fed from, re-read when the change log names it.
trait Reread: Sized + Send {
    fn read<'a>(state: &'a AppState, public_ids: &'a [String]) -> impl Future<Output = AppResult<Vec<Self>>> + Send;
    fn public_id(&self) -> &String;
    /// Whether it belongs in its index as it is now.
    fn belongs(&self) -> bool;
}

impl Reread for JobRow {
    async fn read(state: &AppState, ids: &[String]) -> AppResult<Vec<Self>> {
        Ok(job_store::find_many_public(state.db().conn(), ids).await?)
    }
    fn public_id(&self) -> &String {
        &self.public_id
    }
    fn belongs(&self) -> bool {
        is_public(self)
    }
}

impl Reread for ResumeRow {
    async fn read(state: &AppState, ids: &[String]) -> AppResult<Vec<Self>> {
        Ok(resume_store::find_many_public(state.db().conn(), ids).await?)
    }
    fn public_id(&self) -> &String {
        &self.public_id
    }
    fn belongs(&self) -> bool {
        is_searchable(self)
    }
}

impl Reread for LightRow {
    async fn read(state: &AppState, ids: &[String]) -> AppResult<Vec<Self>> {
        Ok(light_store::find_many_public(state.db().conn(), ids).await?)
    }
    fn public_id(&self) -> &String {
        &self.public_id
    }
    fn belongs(&self) -> bool {
        is_listed(self)
    }
}

/// Re-reads the rows `wanted` names by public id, in chunks: (the rows that belong in the
/// index, the public ids of those that do not or no longer exist).
async fn reread<R: Reread>(state: &AppState, wanted: BTreeSet<String>) -> AppResult<(Vec<R>, Vec<String>)> {
    let wanted: Vec<String> = wanted.into_iter().collect();
    let mut gone: BTreeSet<String> = wanted.iter().cloned().collect();
    let mut keep = Vec::new();
    for chunk in wanted.chunks(500) {
        for row in R::read(state, chunk).await? {
            if row.belongs() {
                gone.remove(row.public_id());
                keep.push(row);
            }
        }
    }
    Ok((keep, gone.into_iter().collect()))
}

/// Resume documents of these rows, with their seekers' block lists.
async fn resume_docs(state: &AppState, rows: &[ResumeRow]) -> AppResult<Vec<rencai_search::ResumeDoc>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let seekers: Vec<i64> = rows.iter().map(|r| r.seeker_id).collect();
    let blocked = resume_store::blocked_ids(state.db().conn(), &seekers).await?;
    Ok(rows.iter().map(|r| resume_doc(r, blocked.get(&r.seeker_id).map(Vec::as_slice).unwrap_or(&[]))).collect())
}

/// Rebuilds the replica from the tables, then catches up with what changed meanwhile. Readers
/// keep the old contents until the rebuilt index is committed.
pub async fn rebuild(state: &AppState) -> AppResult<SyncReport> {
    rebuild_with(state, &mut |_, _| {}).await
}

/// [`rebuild`], telling `progress` (jobs done, jobs to do).
pub async fn rebuild_with(state: &AppState, progress: &mut (dyn FnMut(u64, u64) + Send)) -> AppResult<SyncReport> {
    let s = state.search()?.clone();
    let started = Instant::now();
    let mut report = SyncReport { rebuilt: true, ..Default::default() };
    {
        let _one = s.sync_lock.lock().await;
        let conn = state.db().conn();
        // Taken first: changes after it are re-applied by the catch-up below.
        let head = changelog::head(conn).await.map_err(AppError::internal)?;
        blocking(&s, |s| {
            s.jobs.clear()?;
            s.resumes.clear()?;
            s.light.clear()
        })
        .await?;
        let total = job_store::count_published_all(conn).await?;
        progress(0, total);
        let mut after = 0;
        loop {
            let rows = job_store::published_after(conn, after, REBUILD_PAGE).await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            let docs: Vec<_> = rows.iter().map(job_doc).collect();
            report.indexed += docs.len() as u64;
            blocking(&s, move |s| s.jobs.put(&docs)).await?;
            progress(report.indexed, total.max(report.indexed));
        }
        let mut after = 0;
        loop {
            let rows = resume_store::searchable_after(conn, after, REBUILD_PAGE).await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            let docs = resume_docs(state, &rows).await?;
            report.indexed += docs.len() as u64;
            blocking(&s, move |s| s.resumes.put(&docs)).await?;
        }
        let mut after = 0;
        loop {
            let rows = light_store::published_after(conn, after, REBUILD_PAGE).await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            let docs: Vec<_> = rows.iter().map(light_doc).collect();
            report.indexed += docs.len() as u64;
            blocking(&s, move |s| s.light.put(&docs)).await?;
        }
        commit(&s, &head).await?;
    }
    let after = catch_up(state).await?;
    report.changes = after.changes;
    report.elapsed = started.elapsed();
    Ok(report)
}
