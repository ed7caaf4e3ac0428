//! The server over HTTP: a real `rencai serve` on core 0 with N demo jobs, `wrk` on core 1, at
//! 1, 16 and 64 connections; plus cold start and resident memory of the server process.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub rencai: PathBuf,
    pub jobs: usize,
    pub duration_secs: u32,
    pub connections: Vec<u32>,
    pub dir: PathBuf,
    pub port: u16,
}

#[derive(Debug, Clone, Serialize)]
pub struct Load {
    pub target: String,
    pub connections: u32,
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub non_2xx: u64,
    /// The server's CPU time (user + system) per answered request: steadier than req/s on a
    /// machine whose speed drifts; its inverse is what one core could serve.
    pub server_cpu_us_per_request: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HttpRun {
    pub jobs: usize,
    /// None: the data folder already held the demo site (see [`LOADED_MARK`]).
    pub demo_load_secs: Option<f64>,
    /// First start: migrations done, index rebuilt from the database, serving.
    pub first_start_secs: f64,
    /// A restart with the index in place: process start to first answered request.
    pub cold_start_secs: f64,
    /// From the first answer until the server went idle: the hourly work (statistics,
    /// retention, expiry) runs at start too, and the loads are measured after it.
    pub settle_secs: f64,
    pub rss_mib_after_load: Option<f64>,
    pub loads: Vec<Load>,
}

/// What the load generator asks for: a few paths it rotates through.
struct Target {
    name: &'static str,
    paths: Vec<String>,
}

fn encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn targets() -> Vec<Target> {
    let words = ["会计", "司机", "销售", "服务员", "厨师", "仓库", "普工", "文员"];
    let api = |w: &&str| format!("/api/v1/jobs?q={}&per_page=20", encode(w));
    let html = |w: &&str| format!("/jobs?q={}", encode(w));
    vec![
        Target { name: "GET /api/v1/jobs?q=… (20 items)", paths: words.iter().map(api).collect() },
        Target { name: "GET /jobs?q=… (HTML page)", paths: words.iter().map(html).collect() },
        Target {
            name: "GET /api/v1/jobs?q=…&facets=true",
            paths: words.iter().map(|w| format!("{}&facets=true", api(w))).collect(),
        },
        Target {
            name: "GET /jobs/counts?q=… (the HTML page's filter counts)",
            paths: words.iter().map(|w| format!("/jobs/counts?q={}", encode(w))).collect(),
        },
        Target { name: "GET /api/v1/jobs (no keyword)", paths: vec!["/api/v1/jobs?per_page=20".into()] },
        Target { name: "GET /jobs (HTML page, no keyword)", paths: vec!["/jobs".into()] },
        Target { name: "GET / (home page)", paths: vec!["/".into()] },
    ]
}

fn env(cmd: &mut Command, dir: &Path) {
    cmd.env("RENCAI__DATA_DIR", dir)
        .env("RENCAI__MODE", "demo")
        .env("RENCAI__LOG__LEVEL", "warn")
        // The benchmark is one address asking many times: no visitor page cap.
        .env("RENCAI__MARKET__ANONYMOUS_LIST_PAGES_PER_HOUR", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
}

fn serve(cfg: &HttpConfig) -> anyhow::Result<(Child, f64)> {
    let mut cmd = Command::new("taskset");
    cmd.args(["-c", "0"]).arg(&cfg.rencai).args(["serve", "--listen", &format!("127.0.0.1:{}", cfg.port)]);
    env(&mut cmd, &cfg.dir);
    let started = Instant::now();
    let child = cmd.spawn()?;
    let url = format!("http://127.0.0.1:{}/healthz", cfg.port);
    loop {
        if started.elapsed() > Duration::from_secs(600) {
            anyhow::bail!("the server did not answer within 10 minutes");
        }
        if let Ok(out) = Command::new("curl").args(["-s", "-o", "/dev/null", "-w", "%{http_code}", &url]).output()
            && out.stdout == b"200"
        {
            return Ok((child, started.elapsed().as_secs_f64()));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stop(mut child: Child) {
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
}

/// Waits (up to three minutes) until the process uses under 5% of a core over a second; how
/// long that took.
fn settle(pid: u32) -> f64 {
    let started = Instant::now();
    let mut last = cpu_secs(pid);
    while started.elapsed() < Duration::from_secs(180) {
        std::thread::sleep(Duration::from_secs(1));
        let now = cpu_secs(pid);
        if let (Some(a), Some(b)) = (last, now)
            && b - a < 0.05
        {
            break;
        }
        last = now;
    }
    started.elapsed().as_secs_f64()
}

/// CPU seconds (user + system) the process has used so far.
fn cpu_secs(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces; the fields counted from 3 follow its ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / clock_ticks_per_sec())
}

fn clock_ticks_per_sec() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: f64 = status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// "1.23ms" / "850.00us" / "1.02s" in milliseconds.
fn wrk_ms(s: &str) -> Option<f64> {
    let (num, unit) = s.split_at(s.find(|c: char| c.is_ascii_alphabetic())?);
    let v: f64 = num.parse().ok()?;
    Some(match unit {
        "us" => v / 1_000.0,
        "ms" => v,
        "s" => v * 1_000.0,
        _ => return None,
    })
}

/// (req/s, p50 ms, p99 ms, non-2xx responses, requests).
fn parse_wrk(out: &str) -> (f64, f64, f64, u64, u64) {
    let mut rps = 0.0;
    let (mut p50, mut p99, mut non2xx, mut requests) = (0.0, 0.0, 0, 0);
    for line in out.lines().map(str::trim) {
        let mut parts = line.split_whitespace();
        match (parts.next(), parts.next()) {
            (Some(n), Some("requests")) => requests = n.parse().unwrap_or(0),
            (Some("Requests/sec:"), Some(v)) => rps = v.parse().unwrap_or(0.0),
            (Some("50%"), Some(v)) => p50 = wrk_ms(v).unwrap_or(0.0),
            (Some("99%"), Some(v)) => p99 = wrk_ms(v).unwrap_or(0.0),
            (Some("Non-2xx"), _) => non2xx = line.rsplit(' ').next().and_then(|v| v.parse().ok()).unwrap_or(0),
            _ => {}
        }
    }
    (rps, p50, p99, non2xx, requests)
}

pub fn run(cfg: &HttpConfig, progress: &mut dyn FnMut(&str)) -> anyhow::Result<HttpRun> {
    anyhow::ensure!(
        Command::new("wrk").arg("--version").output().is_ok(),
        "wrk is not installed (apt-get install wrk)"
    );
    let demo_load_secs = load_demo(cfg, progress)?;
    progress("first start (search index built from the database)");
    let (child, first_start_secs) = serve(cfg)?;
    stop(child);
    progress("cold start");
    let (child, cold_start_secs) = serve(cfg)?;
    progress("waiting for the start-up work (statistics, retention, expiry) to finish");
    let settle_secs = settle(child.id());
    let script = cfg.dir.join("rotate.lua");
    let mut loads = Vec::new();
    for target in targets() {
        let mut f = std::fs::File::create(&script)?;
        let list = target.paths.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(", ");
        writeln!(
            f,
            "local paths = {{ {list} }}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend"
        )?;
        for &c in &cfg.connections {
            progress(&format!("{} at {c} connections", target.name));
            let cpu_before = cpu_secs(child.id());
            let out = Command::new("taskset")
                .args([
                    "-c",
                    "1",
                    "wrk",
                    "-t1",
                    &format!("-c{c}"),
                    &format!("-d{}s", cfg.duration_secs),
                    "--latency",
                    "-s",
                ])
                .arg(&script)
                .arg(format!("http://127.0.0.1:{}", cfg.port))
                .output()?;
            let (requests_per_sec, p50_ms, p99_ms, non_2xx, requests) =
                parse_wrk(&String::from_utf8_lossy(&out.stdout));
            let server_cpu_us_per_request = match (cpu_before, cpu_secs(child.id())) {
                (Some(a), Some(b)) if requests > 0 => Some((b - a) * 1e6 / requests as f64),
                _ => None,
            };
            loads.push(Load {
                target: target.name.into(),
                connections: c,
                requests_per_sec,
                p50_ms,
                p99_ms,
                non_2xx,
                server_cpu_us_per_request,
            });
        }
    }
    let rss_mib_after_load = rss_mib(child.id());
    stop(child);
    Ok(HttpRun {
        jobs: cfg.jobs,
        demo_load_secs,
        first_start_secs,
        cold_start_secs,
        settle_secs,
        rss_mib_after_load,
        loads,
    })
}

/// The file a finished demo load leaves in the data folder, holding its job count: a run on a
/// folder that has it serves the site as it is (loading a million jobs takes a quarter hour).
pub const LOADED_MARK: &str = "bench-demo-loaded";

/// Loads the demo site unless the folder holds one of the same size; how long it took.
fn load_demo(cfg: &HttpConfig, progress: &mut dyn FnMut(&str)) -> anyhow::Result<Option<f64>> {
    let mark = cfg.dir.join(LOADED_MARK);
    match std::fs::read_to_string(&mark) {
        Ok(n) if n.trim() == cfg.jobs.to_string() => {
            progress(&format!("reusing the {} demo jobs in {}", cfg.jobs, cfg.dir.display()));
            return Ok(None);
        }
        Ok(n) => anyhow::bail!(
            "{} holds a demo site of {} jobs, not {}: choose another folder",
            cfg.dir.display(),
            n.trim(),
            cfg.jobs
        ),
        Err(_) => {}
    }
    progress(&format!("loading {} demo jobs", cfg.jobs));
    let t = Instant::now();
    let mut demo = Command::new(&cfg.rencai);
    demo.args(["demo", "--jobs", &cfg.jobs.to_string(), "--resumes", "2000"]);
    env(&mut demo, &cfg.dir);
    anyhow::ensure!(demo.status()?.success(), "rencai demo failed");
    std::fs::write(&mark, cfg.jobs.to_string())?;
    Ok(Some(t.elapsed().as_secs_f64()))
}

pub fn markdown(run: &HttpRun) -> String {
    let mut s = format!(
        "#### HTTP, {} jobs (server on core 0, wrk on core 1)\n\n\
         - demo data load: {}; first start (index rebuilt from the database): {:.1} s; cold start with the index: {:.2} s; \
         start-up work done {:.0} s after the first answer\n\
         - server resident memory after the load: {}\n\n\
         | request | connections | req/s | p50 | p99 | non-2xx | server CPU per request |\n|---|---:|---:|---:|---:|---:|---:|\n",
        run.jobs,
        run.demo_load_secs.map(|s| format!("{s:.0} s")).unwrap_or_else(|| "reused".into()),
        run.first_start_secs,
        run.cold_start_secs,
        run.settle_secs,
        run.rss_mib_after_load.map(|m| format!("{m:.0} MiB")).unwrap_or_else(|| "—".into()),
    );
    for l in &run.loads {
        s.push_str(&format!(
            "| {} | {} | {:.0} | {:.2} ms | {:.2} ms | {} | {} |\n",
            l.target,
            l.connections,
            l.requests_per_sec,
            l.p50_ms,
            l.p99_ms,
            l.non_2xx,
            l.server_cpu_us_per_request.map(|us| format!("{us:.0} µs")).unwrap_or_else(|| "—".into())
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_output_is_read() {
        let out = "  Latency Distribution\n     50%    1.20ms\n     75%    2.00ms\n     90%    3.00ms\n     99%  850.00us\n\
                   Requests/sec:   8123.45\nTransfer/sec:      1.00MB\n";
        let (rps, p50, p99, n, requests) = parse_wrk(out);
        assert_eq!(rps, 8123.45);
        assert_eq!(p50, 1.2);
        assert!((p99 - 0.85).abs() < 1e-9);
        assert_eq!((n, requests), (0, 0));
        assert_eq!(parse_wrk("  Non-2xx or 3xx responses: 17\n").3, 17);
        assert_eq!(parse_wrk("  81234 requests in 10.00s, 1.2GB read\n").4, 81_234);
    }

    #[test]
    fn the_cpu_time_of_this_process_is_read() {
        let spin = Instant::now();
        while spin.elapsed() < Duration::from_millis(50) {
            std::hint::black_box(spin.elapsed());
        }
        let used = cpu_secs(std::process::id()).expect("/proc/self/stat is readable");
        assert!((0.02..3_600.0).contains(&used), "{used} s after spinning 50 ms");
    }

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(encode("会计"), "%E4%BC%9A%E8%AE%A1");
    }
}
