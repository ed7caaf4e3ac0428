//! Rencai's own engine in process: indexing throughput, size on disk, cold start, write to
//! searchable, and the latency of every query of the mix (with and without facet counts).

use std::path::Path;
use std::time::{Duration, Instant};

use rencai_search::{JobIndex, Opened};
use serde::Serialize;

use crate::corpus::{Job, NOW};
use crate::queries::BenchQuery;
use crate::stats::{Latency, dir_mib, rss_mib};

#[derive(Debug, Clone, Serialize)]
pub struct QueryResult {
    pub class: String,
    pub label: String,
    /// Matches as a list reports them: a broad single word stops counting at 10,000.
    pub total: u64,
    pub latency: Latency,
    /// Every match counted (what the peers do): the figure their ratios use.
    pub exact_total: u64,
    pub exact: Latency,
    pub with_facets: Latency,
}

#[derive(Debug, Clone, Serialize)]
pub struct EngineRun {
    pub jobs: usize,
    pub index_secs: f64,
    pub jobs_per_sec: f64,
    pub disk_mib: f64,
    pub cold_open_ms: f64,
    pub first_query_ms: f64,
    /// Resident memory growth from opening the index and running the mix, MiB.
    pub rss_growth_mib: Option<f64>,
    /// One changed job put and committed until a search sees it.
    pub write_to_searchable: Latency,
    pub queries: Vec<QueryResult>,
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

/// How a query is run: as a list page asks (capped count), counting every match, or with
/// facet counts.
#[derive(Clone, Copy)]
enum Mode {
    List,
    Exact,
    Facets,
}

/// Runs one query `iterations` times after a short warm-up.
fn measure(ix: &JobIndex, q: &BenchQuery, iterations: usize, mode: Mode) -> anyhow::Result<(u64, Latency)> {
    let mut search = q.search(NOW, matches!(mode, Mode::Facets));
    search.count_all = matches!(mode, Mode::Exact);
    let mut total = 0;
    for _ in 0..3 {
        total = ix.search(&search)?.total;
    }
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let (r, d) = time(|| ix.search(&search));
        r?;
        samples.push(d);
    }
    Ok((total, Latency::of(samples)))
}

pub fn run(jobs: &[Job], dir: &Path, mix: &[BenchQuery], iterations: usize) -> anyhow::Result<EngineRun> {
    let path = dir.join("jobs-index");
    let (index_secs, disk_mib) = {
        let (ix, _) = JobIndex::open(&path)?;
        let (r, took) = time(|| -> anyhow::Result<()> {
            for chunk in jobs.chunks(10_000) {
                let docs: Vec<_> = chunk.iter().map(|j| j.doc.clone()).collect();
                ix.put(&docs)?;
            }
            ix.commit("bench")?;
            Ok(())
        });
        r?;
        (took.as_secs_f64(), dir_mib(&path))
    };
    let rss_before = rss_mib();
    let (opened, open_took) = time(|| JobIndex::open(&path));
    let (ix, opened) = opened?;
    anyhow::ensure!(
        matches!(opened, Opened::Existing { .. }),
        "the index did not reopen as it was written: {opened:?}"
    );
    let first = mix.iter().find(|q| q.words.is_some()).cloned();
    let first_query_ms = match first {
        Some(q) => time(|| ix.search(&q.search(NOW, false))).1.as_secs_f64() * 1e3,
        None => 0.0,
    };
    let mut queries = Vec::new();
    for q in mix {
        let (total, latency) = measure(&ix, q, iterations, Mode::List)?;
        let (exact_total, exact) = measure(&ix, q, iterations, Mode::Exact)?;
        let (_, with_facets) = measure(&ix, q, iterations.div_ceil(4).max(1), Mode::Facets)?;
        queries.push(QueryResult {
            class: q.class.clone(),
            label: q.label(),
            total,
            latency,
            exact_total,
            exact,
            with_facets,
        });
    }
    let rss_growth_mib = rss_mib().zip(rss_before).map(|(a, b)| a - b);
    // Write to searchable: change a job's title, commit, and search for it.
    let mut samples = Vec::new();
    for (i, job) in jobs.iter().take(20).enumerate() {
        let mut doc = job.doc.clone();
        doc.title = format!("基准测试岗位{i}号");
        let (r, d) = time(|| -> anyhow::Result<u64> {
            ix.put(&[doc])?;
            ix.commit("bench")?;
            let probe = BenchQuery {
                class: "probe".into(),
                words: Some(format!("基准测试岗位{i}号")),
                district: None,
                category: None,
                salary_min: None,
                near: None,
            };
            Ok(ix.search(&probe.search(NOW, false))?.total)
        });
        anyhow::ensure!(r? >= 1, "a committed change was not searchable");
        samples.push(d);
    }
    Ok(EngineRun {
        jobs: jobs.len(),
        index_secs,
        jobs_per_sec: jobs.len() as f64 / index_secs.max(1e-9),
        disk_mib,
        cold_open_ms: open_took.as_secs_f64() * 1e3,
        first_query_ms,
        rss_growth_mib,
        write_to_searchable: Latency::of(samples),
        queries,
    })
}
