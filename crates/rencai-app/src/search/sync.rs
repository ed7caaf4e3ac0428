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
use rencai_store::market::jobs as job_store;
use rencai_store::market::resumes as resume_store;

use super::Search;
use super::job_doc::{is_public, job_doc};
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

/// Where both indexes are in the change log; None when either has no position (a rebuild).
fn position(s: &Search) -> AppResult<Option<Cursor>> {
    let parse =
        |saved: String| -> Option<Cursor> { if saved.is_empty() { None } else { serde_json::from_str(&saved).ok() } };
    let jobs = parse(s.jobs.sync_position().map_err(AppError::internal)?);
    let resumes = parse(s.resumes.sync_position().map_err(AppError::internal)?);
    // After a crash between the two commits, the lower one: re-applying is harmless.
    Ok(jobs.zip(resumes).map(|(a, b)| a.min(b)))
}

/// Commits both indexes at `cursor`.
async fn commit(s: &Arc<Search>, cursor: &Cursor) -> AppResult<()> {
    let sync = serde_json::to_string(cursor).map_err(AppError::internal)?;
    blocking(s, move |s| {
        s.jobs.commit(&sync)?;
        s.resumes.commit(&sync)
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

/// Puts changed public jobs into the index and takes the others out; returns (put, removed).
async fn apply(state: &AppState, s: &Arc<Search>, changes: &[ChangeRecord]) -> AppResult<(u64, u64)> {
    let conn = state.db().conn();
    let mut jobs: BTreeSet<String> = BTreeSet::new();
    let mut resumes: BTreeSet<String> = BTreeSet::new();
    for c in changes {
        match c.topic.as_str() {
            "job" => {
                jobs.insert(c.entity_id.clone());
            }
            "company" => jobs.extend(job_store::public_ids_of_org(conn, &c.entity_id).await?),
            "resume" => {
                resumes.insert(c.entity_id.clone());
            }
            _ => {}
        }
    }
    let (rp, rr) = apply_resumes(state, s, resumes).await?;
    if jobs.is_empty() {
        return Ok((rp, rr));
    }
    let wanted: Vec<String> = jobs.into_iter().collect();
    let mut docs = Vec::new();
    let mut gone: BTreeSet<String> = wanted.iter().cloned().collect();
    for chunk in wanted.chunks(500) {
        for row in job_store::find_many_public(conn, chunk).await? {
            if is_public(&row) {
                gone.remove(&row.public_id);
                docs.push(job_doc(&row));
            }
        }
    }
    let counts = (docs.len() as u64 + rp, gone.len() as u64 + rr);
    let gone: Vec<String> = gone.into_iter().collect();
    blocking(s, move |s| {
        s.jobs.remove(&gone);
        s.jobs.put(&docs)
    })
    .await?;
    Ok(counts)
}

/// Resume documents of these rows, with their seekers' block lists.
async fn resume_docs(
    state: &AppState,
    rows: &[rencai_store::market::resumes::ResumeRow],
) -> AppResult<Vec<rencai_search::ResumeDoc>> {
    let seekers: Vec<i64> = rows.iter().map(|r| r.seeker_id).collect();
    let blocked = resume_store::blocked_ids(state.db().conn(), &seekers).await?;
    Ok(rows.iter().map(|r| resume_doc(r, blocked.get(&r.seeker_id).map(Vec::as_slice).unwrap_or(&[]))).collect())
}

async fn apply_resumes(state: &AppState, s: &Arc<Search>, wanted: BTreeSet<String>) -> AppResult<(u64, u64)> {
    if wanted.is_empty() {
        return Ok((0, 0));
    }
    let wanted: Vec<String> = wanted.into_iter().collect();
    let mut gone: BTreeSet<String> = wanted.iter().cloned().collect();
    let mut keep = Vec::new();
    for chunk in wanted.chunks(500) {
        for row in resume_store::find_many_public(state.db().conn(), chunk).await? {
            if is_searchable(&row) {
                gone.remove(&row.public_id);
                keep.push(row);
            }
        }
    }
    let docs = resume_docs(state, &keep).await?;
    let counts = (docs.len() as u64, gone.len() as u64);
    let gone: Vec<String> = gone.into_iter().collect();
    blocking(s, move |s| {
        s.resumes.remove(&gone);
        s.resumes.put(&docs)
    })
    .await?;
    Ok(counts)
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
            s.resumes.clear()
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
        commit(&s, &head).await?;
    }
    let after = catch_up(state).await?;
    report.changes = after.changes;
    report.elapsed = started.elapsed();
    Ok(report)
}
