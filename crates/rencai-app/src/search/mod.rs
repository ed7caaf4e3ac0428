//! The node's search replica: opened from `<data_dir>/search`, rebuilt from the database when
//! missing or unusable, and kept in step with the change log (see [`sync`]). Reads see this
//! node's own writes at once and other nodes' within one poll.

pub mod card;
mod job_doc;
mod light_doc;
mod resume_doc;
pub mod sync;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rencai_search::{
    JobIndex, JobResults, JobSearch, LightIndex, LightResults, LightSearch, Opened, ResumeIndex, ResumeResults,
    ResumeSearch,
};

use crate::{AppError, AppResult, AppState};

/// What a job becomes in the index (tests check it carries no contact details).
pub use job_doc::job_doc;

/// The search indexes of this node.
pub struct Search {
    jobs: JobIndex,
    resumes: ResumeIndex,
    light: LightIndex,
    /// One sync at a time (the background loop, a reader catching up, a rebuild).
    sync_lock: tokio::sync::Mutex<()>,
    /// This process's change count the replica has caught up to.
    caught_up_local: AtomicU64,
}

/// Searchable documents in each index of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Documents {
    pub jobs: u64,
    pub resumes: u64,
    pub light_posts: u64,
}

impl Search {
    pub fn documents(&self) -> Documents {
        Documents { jobs: self.jobs.len(), resumes: self.resumes.len(), light_posts: self.light.len() }
    }
}

impl std::fmt::Debug for Search {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search").field("documents", &self.documents()).finish_non_exhaustive()
    }
}

fn internal(e: rencai_search::SearchError) -> AppError {
    AppError::internal(e)
}

/// What opening the replica did.
#[derive(Debug, Clone)]
pub struct Started {
    pub opened: Opened,
    pub report: sync::SyncReport,
}

/// Opens (or creates) this node's indexes, brings them up to date and attaches them to the
/// state. A created index is rebuilt from the tables; an existing one catches up from the
/// change-log position saved in its last commit.
pub async fn start(state: &AppState) -> AppResult<Started> {
    let opened = open(state).await?;
    let report = match &opened {
        Opened::Created { reason } => {
            tracing::info!(%reason, "search index created; rebuilding from the database");
            sync::rebuild(state).await?
        }
        Opened::Existing { .. } => sync::catch_up(state).await?,
    };
    Ok(Started { opened, report })
}

/// Rebuilds this node's indexes from the database (`rencai reindex`). `progress` is told
/// (done, total) as jobs are read.
pub async fn reindex(state: &AppState, progress: &mut (dyn FnMut(u64, u64) + Send)) -> AppResult<Started> {
    let opened = open(state).await?;
    let report = sync::rebuild_with(state, progress).await?;
    Ok(Started { opened, report })
}

/// Takes this node's index lock without syncing: fails with `search.locked` while a `serve`
/// on the same data folder runs (commands that must not run beside it ask this first).
pub async fn hold(state: &AppState) -> AppResult<()> {
    open(state).await.map(|_| ())
}

/// Opens (or creates empty) the index folders and attaches them, without syncing.
async fn open(state: &AppState) -> AppResult<Opened> {
    rencai_search::text::warm_up();
    let dir = state.settings().data_dir.join("search");
    let opened = tokio::task::spawn_blocking(move || -> Result<_, rencai_search::SearchError> {
        let (jobs, a) = JobIndex::open(&dir.join("jobs"))?;
        let (resumes, b) = ResumeIndex::open(&dir.join("resumes"))?;
        let (light, c) = LightIndex::open(&dir.join("light"))?;
        Ok((jobs, resumes, light, [a, b, c]))
    })
    .await
    .map_err(AppError::internal)?
    .map_err(|e| match e {
        rencai_search::SearchError::Locked => {
            AppError::invalid("search.locked", "搜索索引正被另一个进程使用（是否已有 rencai serve 在运行？）")
        }
        e => internal(e),
    })?;
    let (jobs, resumes, light, each) = opened;
    let opened = together(each);
    let search =
        Arc::new(Search { jobs, resumes, light, sync_lock: Default::default(), caught_up_local: AtomicU64::new(0) });
    state.attach_search(search)?;
    Ok(opened)
}

/// The indexes follow the change log together: if any was created, or they stopped at
/// different positions, all are rebuilt.
fn together(each: [Opened; 3]) -> Opened {
    let mut at = None;
    for o in each {
        match o {
            Opened::Created { reason } => return Opened::Created { reason },
            Opened::Existing { sync } => match &at {
                Some(first) if *first != sync => {
                    return Opened::Created { reason: "the indexes were at different positions".into() };
                }
                _ => at = Some(sync),
            },
        }
    }
    Opened::Existing { sync: at.unwrap_or_default() }
}

/// Makes sure this node's own committed writes are searchable before a read.
pub async fn fresh(state: &AppState) -> AppResult<&Arc<Search>> {
    let s = state.search()?;
    if s.caught_up_local.load(Ordering::Acquire) != rencai_store::changelog::local_appends() {
        sync::catch_up(state).await?;
    }
    Ok(s)
}

/// Searches jobs (after [`fresh`]). A search that counts facets or measures distances visits
/// every match and runs off the async threads; any other takes a fraction of a millisecond
/// (pruned, windowed or small) and runs in place: handing it to another thread and back cost
/// more than a tenth of a request.
pub async fn jobs(state: &AppState, q: JobSearch) -> AppResult<JobResults> {
    let s = fresh(state).await?.clone();
    if !q.facets && q.near.is_none() {
        return s.jobs.search(&q).map_err(internal);
    }
    tokio::task::spawn_blocking(move || s.jobs.search(&q)).await.map_err(AppError::internal)?.map_err(internal)
}

/// Searches resumes (after [`fresh`]). Callers re-check every hit with the access policy.
pub async fn resumes(state: &AppState, q: ResumeSearch) -> AppResult<ResumeResults> {
    let s = fresh(state).await?.clone();
    tokio::task::spawn_blocking(move || s.resumes.search(&q)).await.map_err(AppError::internal)?.map_err(internal)
}

/// Searches light posts (after [`fresh`]): a small index, searched in place.
pub async fn light(state: &AppState, q: LightSearch) -> AppResult<LightResults> {
    fresh(state).await?.light.search(&q).map_err(internal)
}

/// Polls the change log for other nodes' writes until the process ends. Failures are logged
/// and retried next round.
pub async fn run_forever(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = sync::catch_up(&state).await {
            tracing::warn!(error = %e, "search sync failed");
        }
    }
}
