//! A small run of the whole benchmark in CI, so it never rots: 10,000 jobs, a few timed runs,
//! SQLite peers (and PostgreSQL when the suite runs on it).

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_benchmark_runs_end_to_end_at_ten_thousand_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = rencai_bench::SearchConfig {
        jobs: 10_000,
        iterations: 3,
        mix: rencai_bench::queries::parse(rencai_bench::queries::DEFAULT_MIX).unwrap(),
        sqlite_peers: true,
        postgres_url: std::env::var("RENCAI_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty()),
        dir: dir.path().to_path_buf(),
    };
    let run = rencai_bench::search(&cfg, &mut |_| {}).await.unwrap();
    let e = &run.engine;
    assert_eq!(e.jobs, 10_000);
    assert!(e.disk_mib > 0.0);
    let hits = |label: &str| e.queries.iter().find(|q| q.label == label).map(|q| q.total);
    assert_eq!(hits("list"), Some(10_000), "every generated job is listed");
    assert!(hits("two_char “销售”").unwrap() > 0);
    assert_eq!(hits("no_hit “量子纠缠”"), Some(0));
    for q in &e.queries {
        // Under the 10,000 cap a list's count is the exact count.
        assert_eq!(q.total, q.exact_total, "{}", q.label);
    }
    let fts = &run.peers[0];
    let fts_hits = fts.queries.iter().find(|q| q.label == "two_char “销售”").unwrap().total;
    assert!(fts_hits > 0, "the FTS5 peer finds the same common word");
    let like = &run.peers[1];
    let like_hits = like.queries.iter().find(|q| q.label == "sentence “我想找一份会计的工作”").unwrap().total;
    assert_eq!(like_hits, 0, "LIKE on a typed sentence finds nothing: the reason segmentation matters");
    let md = rencai_bench::report::markdown(&run);
    assert!(md.contains("| list |") && md.contains("SQLite FTS5"));
}

/// The chat benchmark at a small scale: every message of both phases is delivered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chat_benchmark_delivers_every_message_at_twenty_clients() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = rencai_bench::chat::ChatConfig {
        clients: 20,
        messages: 3,
        steady_secs: 1,
        interval_ms: 500,
        dir: dir.path().to_path_buf(),
        postgres_url: None,
    };
    let run = rencai_bench::chat::run(&cfg, &mut |_| {}).await.unwrap();
    assert_eq!(run.connections_on_server, 20);
    assert_eq!(run.phases[0].messages, 10 * 2, "steady: 10 seekers × 2 messages");
    assert_eq!(run.phases[1].messages, 10 * 3, "saturation: 10 seekers × 3 messages");
    assert!(rencai_bench::chat::markdown(&run).contains("| saturation |"));
}
