//! The peers, on the same jobs and the same machine: SQLite FTS5 over jieba-segmented text,
//! SQLite `LIKE` (what the PHP packages do), and PostgreSQL `ILIKE` with a pg_trgm GIN index.
//! Each answers what a list page needs: the number of matches and the first 20.

use std::time::{Duration, Instant};

use rencai_search::text::{index_words, query_words};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, Value};
use serde::Serialize;

use crate::corpus::Job;
use crate::queries::BenchQuery;
use crate::stats::{Latency, dir_mib};

#[derive(Debug, Clone, Serialize)]
pub struct PeerQuery {
    pub label: String,
    pub total: u64,
    pub latency: Latency,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeerRun {
    pub engine: String,
    pub build_secs: f64,
    pub disk_mib: Option<f64>,
    pub note: String,
    pub queries: Vec<PeerQuery>,
}

fn stmt(b: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(b, sql, values)
}

pub(crate) async fn exec(c: &DatabaseConnection, sql: &str) -> anyhow::Result<()> {
    c.execute_raw(stmt(c.get_database_backend(), sql, vec![])).await?;
    Ok(())
}

/// Runs the statements of a schema file (`sql/*.sql`, comments skipped).
async fn exec_file(c: &DatabaseConnection, file: &str) -> anyhow::Result<()> {
    let body: String = file.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n");
    for statement in body.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        exec(c, statement).await?;
    }
    Ok(())
}

const SQLITE_SCHEMA: &str = include_str!("../sql/sqlite.sql");
const POSTGRES_SCHEMA: &str = include_str!("../sql/postgres.sql");

async fn count(c: &DatabaseConnection, sql: &str, values: Vec<Value>) -> anyhow::Result<u64> {
    let row = c.query_one_raw(stmt(c.get_database_backend(), sql, values)).await?;
    Ok(row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0) as u64)
}

async fn ids(c: &DatabaseConnection, sql: &str, values: Vec<Value>) -> anyhow::Result<usize> {
    Ok(c.query_all_raw(stmt(c.get_database_backend(), sql, values)).await?.len())
}

/// A text-only query as one engine runs it: count, then the first page.
struct Sql {
    count: String,
    page: String,
    values: Vec<Value>,
}

async fn measure(c: &DatabaseConnection, label: String, q: &Sql, iterations: usize) -> anyhow::Result<PeerQuery> {
    let mut total = 0;
    for _ in 0..2 {
        total = count(c, &q.count, q.values.clone()).await?;
        ids(c, &q.page, q.values.clone()).await?;
    }
    let mut samples: Vec<Duration> = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        count(c, &q.count, q.values.clone()).await?;
        ids(c, &q.page, q.values.clone()).await?;
        samples.push(t.elapsed());
    }
    Ok(PeerQuery { label, total, latency: Latency::of(samples) })
}

fn doc_text(j: &Job) -> String {
    format!("{} {} {}", j.doc.title, j.doc.company, j.doc.description)
}

/// `LIKE` patterns as a PHP site builds them: the typed text split at spaces.
fn like_patterns(words: &str) -> Vec<String> {
    words.split_whitespace().map(|w| format!("%{w}%")).collect()
}

/// An FTS5 query of jieba words (a one-character word as a prefix, FTS5's only way to match
/// part of a token).
fn fts_match(words: &str) -> String {
    query_words(words)
        .iter()
        .map(|w| {
            let quoted = format!("\"{}\"", w.word.replace('"', ""));
            if rencai_search::text::is_single_han(&w.word) { format!("{quoted}*") } else { quoted }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// SQLite with both an FTS5 table and plain columns; returns the FTS5 and `LIKE` runs.
pub async fn sqlite(
    jobs: &[Job],
    dir: &std::path::Path,
    mix: &[BenchQuery],
    iterations: usize,
) -> anyhow::Result<(PeerRun, PeerRun)> {
    let path = dir.join("peers.sqlite");
    let c = Database::connect(format!("sqlite://{}?mode=rwc", path.display())).await?;
    let b = DbBackend::Sqlite;
    exec(&c, "PRAGMA journal_mode = WAL").await?;
    exec(&c, "PRAGMA synchronous = OFF").await?;
    exec_file(&c, SQLITE_SCHEMA).await?;
    let started = Instant::now();
    for chunk in jobs.chunks(400) {
        let sql = format!("INSERT INTO jobs (id, doc, refreshed) VALUES {}", vec!["(?, ?, ?)"; chunk.len()].join(", "));
        let values =
            chunk.iter().flat_map(|j| [j.doc.id.into(), doc_text(j).into(), j.doc.refreshed_at.into()]).collect();
        c.execute_raw(stmt(b, &sql, values)).await?;
    }
    let like_build = started.elapsed().as_secs_f64();
    let like_mib = dir_mib(dir);
    let started = Instant::now();
    for chunk in jobs.chunks(400) {
        let sql = format!(
            "INSERT INTO jobs_fts (rowid, title, company, description) VALUES {}",
            vec!["(?, ?, ?, ?)"; chunk.len()].join(", ")
        );
        let values = chunk
            .iter()
            .flat_map(|j| {
                [
                    j.doc.id.into(),
                    index_words(&j.doc.title).join(" ").into(),
                    index_words(&j.doc.company).join(" ").into(),
                    index_words(&j.doc.description).join(" ").into(),
                ]
            })
            .collect::<Vec<Value>>();
        c.execute_raw(stmt(b, &sql, values)).await?;
    }
    let fts_build = started.elapsed().as_secs_f64();
    let fts_mib = dir_mib(dir) - like_mib;
    let mut fts = Vec::new();
    let mut like = Vec::new();
    for q in mix.iter().filter(|q| q.keyword_only()) {
        let words = q.words.clone().unwrap_or_default();
        let m = fts_match(&words);
        let fts_q = Sql {
            count: "SELECT COUNT(*) FROM jobs_fts WHERE jobs_fts MATCH ?".into(),
            page: "SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ? ORDER BY rank LIMIT 20".into(),
            values: vec![m.into()],
        };
        fts.push(measure(&c, q.label(), &fts_q, iterations).await?);
        let pats = like_patterns(&words);
        let cond = vec!["doc LIKE ?"; pats.len()].join(" AND ");
        let like_q = Sql {
            count: format!("SELECT COUNT(*) FROM jobs WHERE {cond}"),
            page: format!("SELECT id FROM jobs WHERE {cond} ORDER BY refreshed DESC LIMIT 20"),
            values: pats.into_iter().map(Value::from).collect(),
        };
        like.push(measure(&c, q.label(), &like_q, iterations.div_ceil(10).max(3)).await?);
    }
    Ok((
        PeerRun {
            engine: "SQLite FTS5 (jieba-segmented text)".into(),
            build_secs: fts_build,
            disk_mib: Some(fts_mib),
            note: "MATCH of jieba words, ORDER BY rank".into(),
            queries: fts,
        },
        PeerRun {
            engine: "SQLite LIKE".into(),
            build_secs: like_build,
            disk_mib: Some(like_mib),
            note: "doc LIKE '%word%' per typed word, ORDER BY refreshed".into(),
            queries: like,
        },
    ))
}

/// The database URL with another database name.
pub(crate) fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map(|(a, b)| (a, Some(b))).unwrap_or((url, None));
    let cut = base.rfind('/').filter(|i| *i > "postgres://".len()).unwrap_or(base.len());
    let mut out = format!("{}/{name}", &base[..cut]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// PostgreSQL `ILIKE` with a pg_trgm GIN index, in a database of its own with a UTF-8 ctype
/// (pg_trgm ignores Chinese characters otherwise).
pub async fn pg_trgm(url: &str, jobs: &[Job], mix: &[BenchQuery], iterations: usize) -> anyhow::Result<PeerRun> {
    let name = "rencai_bench_trgm";
    let admin = Database::connect(url).await?;
    exec(&admin, &format!("DROP DATABASE IF EXISTS {name}")).await?;
    exec(
        &admin,
        &format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"),
    )
    .await?;
    let c = Database::connect(with_database(url, name)).await?;
    let b = DbBackend::Postgres;
    exec_file(&c, POSTGRES_SCHEMA).await?;
    let trigrams = count(&c, "SELECT cardinality(show_trgm('会计助理'))::bigint", vec![]).await?;
    anyhow::ensure!(trigrams > 0, "pg_trgm extracts no trigrams from Chinese: the database needs a UTF-8 LC_CTYPE");
    let started = Instant::now();
    for chunk in jobs.chunks(1_000) {
        let mut sql = String::from("INSERT INTO jobs (id, doc, refreshed) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${})", i * 3 + 1, i * 3 + 2, i * 3 + 3));
        }
        let values =
            chunk.iter().flat_map(|j| [j.doc.id.into(), doc_text(j).into(), j.doc.refreshed_at.into()]).collect();
        c.execute_raw(stmt(b, &sql, values)).await?;
    }
    exec(&c, "CREATE INDEX jobs_doc_trgm ON jobs USING gin (doc gin_trgm_ops)").await?;
    exec(&c, "CREATE INDEX jobs_refreshed ON jobs (refreshed)").await?;
    exec(&c, "ANALYZE jobs").await?;
    let build_secs = started.elapsed().as_secs_f64();
    let disk = count(&c, "SELECT pg_total_relation_size('jobs')::bigint", vec![]).await? as f64 / (1024.0 * 1024.0);
    let mut out = Vec::new();
    for q in mix.iter().filter(|q| q.keyword_only()) {
        let pats = like_patterns(q.words.as_deref().unwrap_or_default());
        let cond = (1..=pats.len()).map(|i| format!("doc ILIKE ${i}")).collect::<Vec<_>>().join(" AND ");
        let sql = Sql {
            count: format!("SELECT COUNT(*) FROM jobs WHERE {cond}"),
            page: format!("SELECT id FROM jobs WHERE {cond} ORDER BY refreshed DESC LIMIT 20"),
            values: pats.into_iter().map(Value::from).collect(),
        };
        // A scan per query: a few runs are enough to see it, and keep the benchmark short.
        out.push(measure(&c, q.label(), &sql, iterations.div_ceil(20).max(3)).await?);
    }
    drop(c);
    exec(&admin, &format!("DROP DATABASE IF EXISTS {name}")).await?;
    Ok(PeerRun {
        engine: "PostgreSQL pg_trgm (ILIKE, GIN)".into(),
        build_secs,
        disk_mib: Some(disk),
        note: format!(
            "doc ILIKE '%word%' per typed word, ORDER BY refreshed; show_trgm('会计助理') gives {trigrams} trigrams"
        ),
        queries: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_swapped_in_urls() {
        assert_eq!(with_database("postgres://u@h:5432/test", "x"), "postgres://u@h:5432/x");
        assert_eq!(with_database("postgres://u@h/test?sslmode=disable", "x"), "postgres://u@h/x?sslmode=disable");
    }

    #[test]
    fn fts_queries_quote_jieba_words() {
        assert_eq!(fts_match("销售 经理"), "\"销售\" \"经理\"");
        assert_eq!(fts_match("厨"), "\"厨\"*");
    }
}
