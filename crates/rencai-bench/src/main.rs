//! `rencai-bench`: the search benchmark in process, against its peers.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "rencai-bench",
    version,
    about = "Rencai 的性能基准：搜索引擎与 SQLite FTS5、LIKE、PostgreSQL pg_trgm 在同一数据上的对比"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成职位数据，测量本项目的搜索引擎（建索引、冷启动、写入到可搜、查询延迟），再在同一数据上测量各对照方案
    Search {
        /// 职位数量
        #[arg(long, default_value_t = 100_000)]
        jobs: usize,
        /// 每条查询计时的次数
        #[arg(long, default_value_t = 200)]
        iterations: usize,
        /// 查询文件（默认使用本 crate 的 queries.txt）
        #[arg(long)]
        queries: Option<std::path::PathBuf>,
        /// 不测量 SQLite（FTS5 与 LIKE）
        #[arg(long)]
        no_sqlite: bool,
        /// PostgreSQL 连接地址（用于 pg_trgm 对照；会创建并删除数据库 rencai_bench_trgm）
        #[arg(long, env = "RENCAI_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
        /// 工作目录（默认临时目录，结束后删除）
        #[arg(long)]
        dir: Option<std::path::PathBuf>,
        /// 把完整结果写成 JSON 文件
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// 在本机启动真实的 rencai serve（绑定 0 号核心），用 wrk（绑定 1 号核心）压测搜索接口与页面，
    /// 并测量首次启动、冷启动与常驻内存。需要 taskset、curl 和 wrk（apt-get install wrk）
    Http {
        /// rencai 可执行文件（先 cargo build --release）
        #[arg(long, default_value = "target/release/rencai")]
        rencai: std::path::PathBuf,
        /// 演示数据中的职位数量
        #[arg(long, default_value_t = 100_000)]
        jobs: usize,
        /// 每组压测的秒数
        #[arg(long, default_value_t = 10)]
        duration: u32,
        /// 并发连接数，逗号分隔
        #[arg(long, default_value = "1,16,64", value_delimiter = ',')]
        connections: Vec<u32>,
        /// 服务监听的端口（只监听 127.0.0.1）
        #[arg(long, default_value_t = 18080)]
        port: u16,
        /// 把完整结果写成 JSON 文件
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// 站点数据目录（保留）；目录里已有同样规模的演示站点时直接使用，不再装载。默认用临时目录
        #[arg(long)]
        data_dir: Option<std::path::PathBuf>,
    },
    /// 在本进程启动网站（嵌入式数据库，只监听 127.0.0.1），连上 N 个 WebSocket 客户端（求职者与招聘者各半），
    /// 测量稳定负载下的送达延迟和饱和时的每秒消息数。连接多时先 ulimit -n 提高打开文件数上限
    Chat {
        /// 客户端数（求职者与招聘者各半，两两一个会话）
        #[arg(long, default_value_t = 1000)]
        clients: usize,
        /// 饱和阶段每个求职者发送的消息数
        #[arg(long, default_value_t = 20)]
        messages: usize,
        /// 稳定阶段的秒数
        #[arg(long, default_value_t = 20)]
        steady_secs: u64,
        /// 稳定阶段每个求职者两条消息的间隔（毫秒）
        #[arg(long, default_value_t = 2500)]
        interval_ms: u64,
        /// 改用 PostgreSQL（会创建并删除数据库 rencai_bench_chat；消息经 LISTEN/NOTIFY 分发）
        #[arg(long, env = "RENCAI_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
        /// 把完整结果写成 JSON 文件
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Search { jobs, iterations, queries, no_sqlite, postgres_url, dir, out } => {
            let text = match &queries {
                Some(p) => std::fs::read_to_string(p)?,
                None => rencai_bench::queries::DEFAULT_MIX.to_string(),
            };
            let tmp = tempfile::tempdir()?;
            let dir = match dir {
                Some(d) => {
                    std::fs::create_dir_all(&d)?;
                    d
                }
                None => tmp.path().to_path_buf(),
            };
            let cfg = rencai_bench::SearchConfig {
                jobs,
                iterations,
                mix: rencai_bench::queries::parse(&text)?,
                sqlite_peers: !no_sqlite,
                postgres_url,
                dir,
            };
            let started = std::time::Instant::now();
            let run =
                rencai_bench::search(&cfg, &mut |step| eprintln!("[{:>6.1}s] {step}", started.elapsed().as_secs_f64()))
                    .await?;
            println!("{}", rencai_bench::report::markdown(&run));
            if let Some(path) = out {
                std::fs::write(&path, serde_json::to_string_pretty(&run)?)?;
                eprintln!("raw results: {}", path.display());
            }
            eprintln!("done in {:.0} s", started.elapsed().as_secs_f64());
        }
        Command::Http { rencai, jobs, duration, connections, port, out, data_dir } => {
            let tmp = tempfile::tempdir()?;
            let dir = match data_dir {
                Some(d) => {
                    std::fs::create_dir_all(&d)?;
                    d
                }
                None => tmp.path().to_path_buf(),
            };
            let cfg = rencai_bench::http::HttpConfig { rencai, jobs, duration_secs: duration, connections, dir, port };
            let started = std::time::Instant::now();
            let run = rencai_bench::http::run(&cfg, &mut |step| {
                eprintln!("[{:>6.1}s] {step}", started.elapsed().as_secs_f64())
            })?;
            println!("{}", rencai_bench::http::markdown(&run));
            if let Some(path) = out {
                std::fs::write(&path, serde_json::to_string_pretty(&run)?)?;
            }
        }
        Command::Chat { clients, messages, steady_secs, interval_ms, postgres_url, out } => {
            let tmp = tempfile::tempdir()?;
            let cfg = rencai_bench::chat::ChatConfig {
                clients,
                messages,
                steady_secs,
                interval_ms,
                dir: tmp.path().to_path_buf(),
                postgres_url,
            };
            let started = std::time::Instant::now();
            let run = rencai_bench::chat::run(&cfg, &mut |step| {
                eprintln!("[{:>6.1}s] {step}", started.elapsed().as_secs_f64())
            })
            .await?;
            println!("{}", rencai_bench::chat::markdown(&run));
            if let Some(path) = out {
                std::fs::write(&path, serde_json::to_string_pretty(&run)?)?;
            }
        }
    }
    Ok(())
}
