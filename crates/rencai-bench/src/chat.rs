//! Chat over WebSocket: N connected clients (half seekers, half recruiters, one conversation
//! per pair) on a real server bound to 127.0.0.1, with the embedded database. Two phases:
//!
//! * **steady** — every seeker sends one message every `interval`: delivery latency (send to
//!   the recipient's socket) at a realistic load;
//! * **saturation** — every seeker sends its next message as soon as the previous one is
//!   acknowledged: the most messages per second the server stores and delivers.
//!
//! Clients and server share this process and its cores; the figures are for the whole
//! system on one small machine, which is what an operator runs.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use rencai_app::auth::sessions::{self, SessionKind};
use rencai_domain::account::{AgeGroup, Phone, Role};
use rencai_store::accounts::{self, NewAccount};
use serde::Serialize;
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::Message as Frame;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::stats::Latency;

#[derive(Debug, Clone)]
pub struct ChatConfig {
    pub clients: usize,
    /// Messages each seeker sends in the saturation phase.
    pub messages: usize,
    /// Length of the steady phase.
    pub steady_secs: u64,
    /// Gap between one seeker's messages in the steady phase.
    pub interval_ms: u64,
    pub dir: std::path::PathBuf,
    /// Run on PostgreSQL (a database `rencai_bench_chat` is created and dropped), with the
    /// fan-out through LISTEN/NOTIFY, instead of the embedded SQLite.
    pub postgres_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    pub name: String,
    pub messages: usize,
    pub seconds: f64,
    pub messages_per_sec: f64,
    /// Send to arrival at the other party's socket.
    pub delivery: Latency,
    /// Send to the sender's acknowledgement (stored).
    pub ack: Latency,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChatRun {
    pub database: String,
    pub clients: usize,
    pub connect_secs: f64,
    pub connections_on_server: usize,
    pub rss_mib_connected: Option<f64>,
    pub phases: Vec<Phase>,
}

/// The soft limit on open files, from /proc (Linux).
fn open_file_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

struct Pair {
    conversation: String,
    seeker: String,
    recruiter: String,
}

pub async fn run(cfg: &ChatConfig, progress: &mut dyn FnMut(&str)) -> anyhow::Result<ChatRun> {
    let pairs_n = (cfg.clients / 2).max(1);
    // Each client holds a socket here and the server holds the other end.
    let need = (pairs_n * 4 + 200) as u64;
    if let Some(limit) = open_file_limit()
        && limit < need
    {
        anyhow::bail!("打开文件数上限 {limit} 不够 {} 个连接：请先执行 ulimit -n {need}", pairs_n * 2);
    }
    let mut settings = rencai_app::Settings {
        mode: Some(rencai_app::config::Mode::Production),
        data_dir: cfg.dir.join("data"),
        ..Default::default()
    };
    settings.auth.argon2_memory_kib = 64;
    settings.auth.argon2_iterations = 1;
    settings.database.max_connections = 8;
    settings.server.listen = "127.0.0.1:0".parse()?;
    const PG_NAME: &str = "rencai_bench_chat";
    let admin = match &cfg.postgres_url {
        Some(url) => {
            let admin = sea_orm::Database::connect(url.as_str()).await?;
            crate::peers::exec(&admin, &format!("DROP DATABASE IF EXISTS {PG_NAME}")).await?;
            crate::peers::exec(&admin, &format!("CREATE DATABASE {PG_NAME}")).await?;
            settings.database.url = Some(crate::peers::with_database(url, PG_NAME));
            Some(admin)
        }
        None => None,
    };
    let state = rencai_app::bootstrap::open(settings, Arc::new(rencai_app::SystemClock)).await?;
    rencai_app::search::start(&state).await?;
    // On PostgreSQL messages fan out through NOTIFY to this node's listener, as in production.
    tokio::spawn(rencai_app::chat::hub::listen_forever(state.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server_state = state.clone();
    tokio::spawn(async move {
        let _ = rencai_web::serve(server_state, listener, std::future::pending()).await;
    });

    progress(&format!("creating {pairs_n} seekers, {pairs_n} recruiters and their conversations"));
    let pairs = setup(&state, pairs_n).await?;

    progress(&format!("connecting {} sockets", pairs_n * 2));
    let started = Instant::now();
    let mut seekers = Vec::with_capacity(pairs_n);
    let mut recruiters = Vec::with_capacity(pairs_n);
    for p in &pairs {
        seekers.push(connect(addr, &p.seeker).await?);
        recruiters.push(connect(addr, &p.recruiter).await?);
    }
    let connect_secs = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let connections_on_server = state.chat_hub().connections();
    let rss_mib_connected = crate::stats::rss_mib();
    progress(&format!("{connections_on_server} connections open in {connect_secs:.1} s"));

    let epoch = Instant::now();
    // Recruiters read everything that reaches them and note each delivery's latency.
    let delivered: Arc<Mutex<Vec<(u8, Duration)>>> = Arc::new(Mutex::new(Vec::new()));
    for mut s in recruiters {
        let delivered = delivered.clone();
        tokio::spawn(async move {
            while let Some(Ok(Frame::Text(t))) = s.next().await {
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&t) else { continue };
                if v["type"] != "message" {
                    continue;
                }
                let Some(text) = v["message"]["text"].as_str() else { continue };
                let mut parts = text.split(':');
                let (Some(phase), Some(sent)) = (parts.next(), parts.next()) else { continue };
                let (Ok(phase), Ok(sent_ns)) = (phase.parse::<u8>(), sent.parse::<u64>()) else { continue };
                let latency = epoch.elapsed().saturating_sub(Duration::from_nanos(sent_ns));
                delivered.lock().await.push((phase, latency));
            }
        });
    }

    let mut phases = Vec::new();
    // Steady: one message per seeker per interval.
    let per_seeker = (cfg.steady_secs * 1000 / cfg.interval_ms.max(1)).max(1) as usize;
    progress(&format!(
        "steady: {pairs_n} seekers × {per_seeker} messages, one every {} ms each (≈{:.0} messages/s)",
        cfg.interval_ms,
        pairs_n as f64 * 1000.0 / cfg.interval_ms as f64
    ));
    let (seekers, steady) =
        send_phase(seekers, &pairs, 1, per_seeker, Some(Duration::from_millis(cfg.interval_ms)), epoch).await;
    phases.push(finish("steady", 1, steady, &delivered, pairs_n * per_seeker).await);
    progress(&format!(
        "saturation: {pairs_n} seekers × {} messages, each after the previous acknowledgement",
        cfg.messages
    ));
    let (seekers, sat) = send_phase(seekers, &pairs, 2, cfg.messages, None, epoch).await;
    phases.push(finish("saturation", 2, sat, &delivered, pairs_n * cfg.messages).await);
    let database = if admin.is_some() { "PostgreSQL" } else { "SQLite" }.to_string();
    drop(seekers);
    if let Some(admin) = admin {
        drop(state);
        // The server's pool may still hold connections: ask the database to let them go.
        let _ = crate::peers::exec(
            &admin,
            &format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{PG_NAME}'"),
        )
        .await;
        let _ = crate::peers::exec(&admin, &format!("DROP DATABASE IF EXISTS {PG_NAME}")).await;
    }
    Ok(ChatRun { database, clients: pairs_n * 2, connect_secs, connections_on_server, rss_mib_connected, phases })
}

/// Accounts, one organisation the recruiters belong to, the conversations, and API tokens.
async fn setup(state: &rencai_app::AppState, n: usize) -> anyhow::Result<Vec<Pair>> {
    let conn = state.db().conn();
    let keys = state.keys().get();
    let now = state.now();
    let make = |role: Role, i: usize| NewAccount {
        station_id: state.station().id,
        role,
        name: Some(format!("压测{i}")),
        phone: Phone::parse(&format!("{}{:08}", if role == Role::Seeker { "139" } else { "138" }, i)).expect("phone"),
        email: None,
        birth_date: None,
        age_group: AgeGroup::Adult,
        minor_basis: None,
    };
    let mut out = Vec::with_capacity(n);
    let mut org = None;
    // Registration records consent to the texts in force (P3); without it the API refuses.
    let privacy = rencai_app::legal::current(state, rencai_store::legal::LegalKind::Privacy).await?.version;
    let terms = rencai_app::legal::current(state, rencai_store::legal::LegalKind::Terms).await?.version;
    let here = std::net::IpAddr::from([127, 0, 0, 1]);
    for i in 0..n {
        let seeker = accounts::create(conn, &keys, &make(Role::Seeker, i), now).await?;
        let recruiter = accounts::create(conn, &keys, &make(Role::Company, i), now).await?;
        for account in [&seeker, &recruiter] {
            rencai_app::legal::accept(state, account, (&privacy, &terms), here).await?;
        }
        let org_id = match org {
            Some(id) => {
                rencai_store::market::companies::add_member(conn, id, recruiter.id, false, now).await?;
                id
            }
            None => {
                let fields = rencai_store::market::companies::CompanyFields {
                    name: "万州压测餐饮有限公司".into(),
                    credit_code: "91500101MA5U7X3L2C".into(),
                    industry: "hospitality".into(),
                    size: "20-99".into(),
                    ownership: "private".into(),
                    district: "wz-gaosuntang".into(),
                    address: "万州区北山大道88号".into(),
                    point: None,
                    intro: String::new(),
                    contact_name: "王经理".into(),
                };
                let c = rencai_store::market::companies::create(
                    conn,
                    &keys,
                    state.station().id,
                    "employer",
                    &fields,
                    recruiter.id,
                    rencai_app::market::companies::PLEDGE_VERSION,
                    now,
                )
                .await?;
                org = Some(c.id);
                c.id
            }
        };
        let (c, _) =
            rencai_store::chat::open(conn, state.station().id, seeker.id, recruiter.id, org_id, None, "seeker", now)
                .await?;
        let s = sessions::start(state, seeker.id, SessionKind::Access, "bench").await?;
        let r = sessions::start(state, recruiter.id, SessionKind::Access, "bench").await?;
        out.push(Pair { conversation: c.public_id, seeker: s.token, recruiter: r.token });
    }
    Ok(out)
}

async fn connect(addr: std::net::SocketAddr, token: &str) -> anyhow::Result<Socket> {
    let mut rq = format!("ws://{addr}/api/v1/chat/ws").into_client_request()?;
    rq.headers_mut().insert("authorization", format!("Bearer {token}").parse()?);
    let (mut s, _) = tokio_tungstenite::connect_async(rq).await?;
    s.send(Frame::Text(serde_json::json!({"type": "hello", "after": 0}).to_string().into())).await?;
    Ok(s)
}

/// Every seeker sends `count` messages (paced by `gap`, or each after the previous
/// acknowledgement); returns the sockets, and the acknowledgement latencies with the phase's
/// wall time.
async fn send_phase(
    seekers: Vec<Socket>,
    pairs: &[Pair],
    phase: u8,
    count: usize,
    gap: Option<Duration>,
    epoch: Instant,
) -> (Vec<Socket>, (Vec<Duration>, Duration)) {
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(seekers.len());
    for (i, (mut s, p)) in seekers.into_iter().zip(pairs).enumerate() {
        let conversation = p.conversation.clone();
        tasks.push(tokio::spawn(async move {
            let mut acks = Vec::with_capacity(count);
            // Spread the steady senders over the interval instead of firing together.
            if let Some(g) = gap {
                tokio::time::sleep(g.mul_f64((i % 1000) as f64 / 1000.0)).await;
            }
            let mut waiting: HashMap<String, Instant> = HashMap::new();
            for k in 0..count {
                let client_id = format!("p{phase}-{k}");
                let sent = epoch.elapsed().as_nanos();
                let frame = serde_json::json!({"type": "send", "conversation": conversation, "client_id": client_id,
                    "text": format!("{phase}:{sent}")});
                waiting.insert(client_id, Instant::now());
                if s.send(Frame::Text(frame.to_string().into())).await.is_err() {
                    break;
                }
                // Read until this message's acknowledgement (and any earlier ones).
                while let Some(Ok(Frame::Text(t))) = s.next().await {
                    let Ok(v) = serde_json::from_str::<serde_json::Value>(&t) else { continue };
                    if v["type"] == "error" {
                        eprintln!("error frame: {v}");
                    }
                    if v["type"] == "ack" || v["type"] == "error" {
                        if let Some(at) = v["client_id"].as_str().and_then(|c| waiting.remove(c)) {
                            acks.push(at.elapsed());
                        }
                        if waiting.is_empty() {
                            break;
                        }
                    }
                }
                if let Some(g) = gap {
                    tokio::time::sleep(g).await;
                }
            }
            (s, acks)
        }));
    }
    let mut sockets = Vec::new();
    let mut acks = Vec::new();
    for t in tasks {
        if let Ok((s, a)) = t.await {
            sockets.push(s);
            acks.extend(a);
        }
    }
    (sockets, (acks, started.elapsed()))
}

/// Waits for the phase's deliveries (up to 10 s after the last send) and sums it up.
async fn finish(
    name: &str,
    phase: u8,
    (acks, sending): (Vec<Duration>, Duration),
    delivered: &Mutex<Vec<(u8, Duration)>>,
    expected: usize,
) -> Phase {
    let deadline = Instant::now() + Duration::from_secs(10);
    let started = Instant::now();
    loop {
        let n = delivered.lock().await.iter().filter(|(p, _)| *p == phase).count();
        if n >= expected || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let wall = sending + started.elapsed();
    let samples: Vec<Duration> = delivered.lock().await.iter().filter(|(p, _)| *p == phase).map(|(_, d)| *d).collect();
    Phase {
        name: name.into(),
        messages: samples.len(),
        seconds: wall.as_secs_f64(),
        messages_per_sec: samples.len() as f64 / wall.as_secs_f64().max(1e-9),
        delivery: Latency::of(samples),
        ack: Latency::of(acks),
    }
}

pub fn markdown(r: &ChatRun) -> String {
    use crate::stats::human_us;
    let mut out = format!(
        "{}: {} clients connected in {:.1} s ({} sockets on the server; RSS with them all {}).\n\n\
         | phase | messages | seconds | messages/s | delivery p50 | delivery p99 | ack p50 | ack p99 |\n|---|---|---|---|---|---|---|---|\n",
        r.database,
        r.clients,
        r.connect_secs,
        r.connections_on_server,
        r.rss_mib_connected.map(|m| format!("{m:.0} MiB")).unwrap_or_else(|| "?".into()),
    );
    for p in &r.phases {
        out.push_str(&format!(
            "| {} | {} | {:.1} | {:.0} | {} | {} | {} | {} |\n",
            p.name,
            p.messages,
            p.seconds,
            p.messages_per_sec,
            human_us(p.delivery.p50_us),
            human_us(p.delivery.p99_us),
            human_us(p.ack.p50_us),
            human_us(p.ack.p99_us)
        ));
    }
    out
}
