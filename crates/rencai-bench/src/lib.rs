//! Rencai's benchmarks. `rencai-bench search` measures the search engine in process against
//! its peers on the same generated jobs; BENCHMARKS.md records the figures and the command.

pub mod chat;
pub mod corpus;
pub mod engine;
pub mod http;
pub mod peers;
pub mod queries;
pub mod report;
pub mod stats;

use serde::Serialize;

/// Everything one `search` run measured.
#[derive(Debug, Clone, Serialize)]
pub struct SearchRun {
    pub jobs: usize,
    pub iterations: usize,
    pub generate_secs: f64,
    pub engine: engine::EngineRun,
    pub peers: Vec<peers::PeerRun>,
}

/// What to run.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    pub jobs: usize,
    pub iterations: usize,
    pub mix: Vec<queries::BenchQuery>,
    pub sqlite_peers: bool,
    pub postgres_url: Option<String>,
    pub dir: std::path::PathBuf,
}

/// Generates the jobs, measures the engine, then each peer on the same jobs.
pub async fn search(cfg: &SearchConfig, progress: &mut dyn FnMut(&str)) -> anyhow::Result<SearchRun> {
    progress(&format!("generating {} jobs", cfg.jobs));
    let t = std::time::Instant::now();
    let jobs = corpus::jobs(cfg.jobs);
    let generate_secs = t.elapsed().as_secs_f64();
    progress("indexing and querying rencai-search");
    let engine = {
        let (jobs, dir, mix, it) = (jobs.clone(), cfg.dir.clone(), cfg.mix.clone(), cfg.iterations);
        tokio::task::spawn_blocking(move || engine::run(&jobs, &dir, &mix, it)).await??
    };
    let mut peers = Vec::new();
    if cfg.sqlite_peers {
        progress("loading and querying SQLite (FTS5, LIKE)");
        let (fts, like) = peers::sqlite(&jobs, &cfg.dir, &cfg.mix, cfg.iterations).await?;
        peers.push(fts);
        peers.push(like);
    }
    if let Some(url) = &cfg.postgres_url {
        progress("loading and querying PostgreSQL (pg_trgm)");
        peers.push(peers::pg_trgm(url, &jobs, &cfg.mix, cfg.iterations).await?);
    }
    Ok(SearchRun { jobs: cfg.jobs, iterations: cfg.iterations, generate_secs, engine, peers })
}
