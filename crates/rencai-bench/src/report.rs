//! The run as Markdown tables, ready for BENCHMARKS.md.

use std::fmt::Write;

use crate::SearchRun;
use crate::stats::human_us;

pub fn markdown(run: &SearchRun) -> String {
    let e = &run.engine;
    let mut s = String::new();
    let _ = writeln!(s, "#### {} jobs, {} timed runs per query\n", run.jobs, run.iterations);
    let _ = writeln!(s, "| | rencai-search |");
    let _ = writeln!(s, "|---|---|");
    let _ = writeln!(s, "| indexing | {:.1} s, {:.0} jobs/s (one indexing thread) |", e.index_secs, e.jobs_per_sec);
    let _ = writeln!(s, "| size on disk | {:.1} MiB |", e.disk_mib);
    let _ = writeln!(s, "| cold open / first query | {:.1} ms / {:.1} ms |", e.cold_open_ms, e.first_query_ms);
    if let Some(m) = e.rss_growth_mib {
        let _ = writeln!(s, "| resident memory growth (open + whole mix) | {m:.0} MiB |");
    }
    let w = &e.write_to_searchable;
    let _ = writeln!(
        s,
        "| write → searchable (put + commit + search) | p50 {} · p99 {} |",
        human_us(w.p50_us),
        human_us(w.p99_us)
    );
    let _ = writeln!(s);
    let mut head = String::from("| query | hits | p50 | p99 | p99.9 | all counted: hits, p50 | p50 with facets |");
    let mut rule = String::from("|---|---:|---:|---:|---:|---:|---:|");
    for p in &run.peers {
        let _ = write!(head, " {} p50 (hits) | ratio |", p.engine);
        rule.push_str("---:|---:|");
    }
    let _ = writeln!(s, "{head}\n{rule}");
    for q in &e.queries {
        let _ = write!(
            s,
            "| {} | {}{} | {} | {} | {} | {}, {} | {} |",
            q.label,
            q.total,
            if q.total < q.exact_total { "+" } else { "" },
            human_us(q.latency.p50_us),
            human_us(q.latency.p99_us),
            human_us(q.latency.p999_us),
            q.exact_total,
            human_us(q.exact.p50_us),
            human_us(q.with_facets.p50_us)
        );
        for p in &run.peers {
            match p.queries.iter().find(|x| x.label == q.label) {
                Some(x) => {
                    // Peers count every match: compare with our run that does too.
                    let ratio = x.latency.p50_us / q.exact.p50_us.max(0.001);
                    let _ = write!(s, " {} ({}) | {ratio:.0}× |", human_us(x.latency.p50_us), x.total);
                }
                None => s.push_str(" — | |"),
            }
        }
        s.push('\n');
    }
    let _ = writeln!(s);
    for p in &run.peers {
        let disk = p.disk_mib.map(|m| format!(", {m:.1} MiB")).unwrap_or_default();
        let _ = writeln!(s, "- {}: built in {:.1} s{disk}; {}", p.engine, p.build_secs, p.note);
    }
    s
}
