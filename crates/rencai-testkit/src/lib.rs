//! Test helpers: a database per test on SQLite or PostgreSQL, a running server on a free port,
//! log capture, and a headless Chromium session.
//!
//! The backend comes from the environment: `RENCAI_TEST_BACKEND=postgres` with
//! `RENCAI_TEST_POSTGRES_URL` set runs on PostgreSQL (each test gets its own database, dropped
//! afterwards); anything else runs on a SQLite file in a temporary folder.

pub mod browser;
pub mod logs;
pub mod market;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rencai_app::config::Mode;
use rencai_app::{AppState, Clock, Settings, SystemClock};
use sea_orm::{ConnectionTrait, Database};
use tempfile::TempDir;

/// Whether this run targets PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var("RENCAI_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

fn postgres_admin_url() -> String {
    std::env::var("RENCAI_TEST_POSTGRES_URL").expect(
        "RENCAI_TEST_BACKEND=postgres needs RENCAI_TEST_POSTGRES_URL, e.g. postgres://postgres@127.0.0.1:5432/test",
    )
}

/// Replaces the database name of a PostgreSQL URL.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let cut = base.rfind('/').filter(|i| *i > base.find("://").map(|s| s + 2).unwrap_or(0)).unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..cut], db);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// A database of its own for one test.
pub struct TestDb {
    url: String,
    pg_name: Option<String>,
    _dir: Option<TempDir>,
}

impl TestDb {
    pub async fn new() -> Self {
        if on_postgres() {
            let admin = postgres_admin_url();
            let name = format!("rencai_t_{}", uuid::Uuid::new_v4().simple());
            let conn = Database::connect(admin.as_str()).await.expect("connect to the PostgreSQL admin database");
            conn.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
            conn.close().await.ok();
            Self { url: with_database(&admin, &name), pg_name: Some(name), _dir: None }
        } else {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            Self { url, pg_name: None, _dir: Some(dir) }
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// A connected, migrated store.
    pub async fn connect(&self) -> rencai_store::Db {
        let db = rencai_store::Db::connect(&rencai_store::DbConfig { url: self.url.clone(), max_connections: 8 })
            .await
            .expect("connect to test database");
        db.migrate().await.expect("migrate test database");
        db
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.pg_name.take() else {
            return;
        };
        let admin = postgres_admin_url();
        // Drop needs async; run it on a runtime of its own so it works inside and outside tokio.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async {
                if let Ok(conn) = Database::connect(admin.as_str()).await {
                    let _ = conn.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
    }
}

/// How to start a [`TestApp`].
pub struct TestOptions {
    pub mode: Mode,
    pub load_demo: bool,
    pub clock: Arc<dyn Clock>,
    pub tweak: Box<dyn FnOnce(&mut Settings) + Send>,
}

impl Default for TestOptions {
    fn default() -> Self {
        Self { mode: Mode::Demo, load_demo: false, clock: Arc::new(SystemClock), tweak: Box::new(|_| {}) }
    }
}

/// Argon2id at its cheapest, for tests that register or sign in many accounts.
pub fn cheap_hashing(s: &mut Settings) {
    s.auth.argon2_memory_kib = 64;
    s.auth.argon2_iterations = 1;
}

/// A running server on 127.0.0.1 with a port of its own, its data folder and database.
pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub state: AppState,
    pub client: reqwest::Client,
    pub data_dir: TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    worker: Option<tokio::task::JoinHandle<()>>,
    hub: Option<tokio::task::JoinHandle<()>>,
    _db: TestDb,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(TestOptions::default()).await
    }

    /// A server with [`cheap_hashing`] and then `tweak` applied to its settings.
    pub async fn spawn_cheap(tweak: impl FnOnce(&mut Settings) + Send + 'static) -> Self {
        Self::spawn_with(TestOptions {
            tweak: Box::new(move |s| {
                cheap_hashing(s);
                tweak(s);
            }),
            ..Default::default()
        })
        .await
    }

    pub async fn spawn_with(opts: TestOptions) -> Self {
        let db = TestDb::new().await;
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut settings =
            Settings { mode: Some(opts.mode), data_dir: data_dir.path().join("data"), ..Default::default() };
        settings.database.url = Some(db.url().to_string());
        settings.database.max_connections = 8;
        settings.server.listen = "127.0.0.1:0".parse().expect("addr");
        (opts.tweak)(&mut settings);
        let state = rencai_app::bootstrap::open(settings, opts.clock).await.expect("open app");
        if opts.load_demo {
            rencai_app::demo::load(&state, &rencai_app::demo::DemoScale::small(), |_, _| {}).await.expect("load demo");
        }
        rencai_app::search::start(&state).await.expect("start search");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        // The delivery worker, as `serve` runs it, so codes reach the dev outbox.
        let worker =
            tokio::spawn(rencai_app::delivery_worker::run_forever(state.clone(), std::time::Duration::from_millis(50)));
        // Chat fan-out between nodes (PostgreSQL); returns at once on SQLite.
        let hub = tokio::spawn(rencai_app::chat::hub::listen_forever(state.clone()));
        let server_state = state.clone();
        let server = tokio::spawn(async move {
            rencai_web::serve(server_state, listener, async {
                let _ = rx.await;
            })
            .await
            .expect("server");
        });
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        Self {
            addr,
            base: format!("http://{addr}"),
            state,
            client,
            data_dir,
            shutdown: Some(tx),
            server: Some(server),
            worker: Some(worker),
            hub: Some(hub),
            _db: db,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// POSTs `body` as is, with the given content type.
    pub async fn post_raw(&self, path: &str, content_type: &str, body: impl Into<reqwest::Body>) -> reqwest::Response {
        self.client.post(self.url(path)).header("content-type", content_type).body(body).send().await.expect("POST")
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.post_raw(path, "application/json", body.to_string()).await
    }

    /// Another app node on the same database and keys, with its own data folder (and so its
    /// own search replica) in `dir`. Its search index is opened and brought up to date; it
    /// polls nothing by itself, so a test decides when it catches up.
    pub async fn second_node(&self, dir: &std::path::Path) -> AppState {
        let mut settings = self.state.settings().clone();
        settings.keys.file = Some(settings.key_file());
        settings.data_dir = dir.to_path_buf();
        let state = rencai_app::bootstrap::open(settings, Arc::new(SystemClock)).await.expect("open second node");
        rencai_app::search::start(&state).await.expect("start search on the second node");
        state
    }

    /// The data folder the server writes into.
    pub fn data_path(&self) -> PathBuf {
        self.state.settings().data_dir.clone()
    }

    /// Stops the server and waits for it to finish. The data folder and database stay until
    /// the `TestApp` is dropped.
    /// Stops the server and lets go of every handle on the data folder and the database (the
    /// search index lock included), keeping both for a command to work on, as `rencai restore`
    /// would on a stopped site.
    pub async fn shut_down(mut self) -> Stopped {
        self.stop().await;
        let settings = self.state.settings().clone();
        let TestApp { data_dir, _db, .. } = self;
        Stopped { settings, data_dir, _db }
    }

    pub async fn stop(&mut self) {
        for task in [self.worker.take(), self.hub.take()].into_iter().flatten() {
            task.abort();
            let _ = task.await;
        }
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.server.take() {
            let _ = h.await;
        }
    }
}

/// A stopped [`TestApp`]'s data folder and database, still there.
pub struct Stopped {
    pub settings: Settings,
    pub data_dir: TempDir,
    _db: TestDb,
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        if let Ok(entries) = std::fs::read_dir(&d) {
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push(p);
                }
            }
        }
    }
    out.sort();
    out
}

/// Whether `needle` occurs anywhere in `haystack`.
pub fn contains_bytes(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The stable code of an application error (tests compare codes, not wording). An internal
/// error fails the test with its cause.
pub fn error_code(e: rencai_app::AppError) -> &'static str {
    use rencai_app::AppError;
    match e {
        AppError::Validation { code, .. }
        | AppError::NotFound { code, .. }
        | AppError::Conflict { code, .. }
        | AppError::RateLimited { code, .. }
        | AppError::Unauthorized { code, .. }
        | AppError::Forbidden { code, .. }
        | AppError::Unavailable { code } => code,
        AppError::Internal(e) => panic!("internal error: {e}"),
    }
}

/// Delivers every due job and waits until none is pending or in flight, so a test can read the
/// dev outbox. (The app's own worker runs too; whichever claims a job, it is done when this
/// returns.)
pub async fn drain_deliveries(state: &AppState) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        rencai_app::delivery_worker::deliver_due(state, 100).await.expect("deliver");
        let counts = rencai_store::delivery::counts(state.db().conn()).await.expect("queue counts");
        let busy = counts.iter().any(|(s, n)| (s == "pending" || s == "running") && *n > 0);
        if !busy || std::time::Instant::now() > deadline {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(with_database("postgres://u@h/test?sslmode=disable", "x"), "postgres://u@h/x?sslmode=disable");
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
