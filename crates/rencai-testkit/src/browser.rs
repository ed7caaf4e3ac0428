//! Headless Chromium through chromedriver, for browser tests.
//!
//! The test command installs Debian's `chromium` and `chromium-driver`. A test that needs a
//! browser fails with a clear message when they are missing, never passes silently.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use std::time::Instant;

use fantoccini::Locator::{Css, Id};
use fantoccini::cookies::Cookie;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use rencai_app::auth::sessions::{self, SessionKind};

use crate::TestApp;

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

impl Browser {
    pub async fn start() -> Self {
        // fantoccini's TLS stack needs a process-wide crypto provider, even for plain http.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let driver_bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let chrome_bin = std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let port = free_port();
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {driver_bin} ({e}); run the README's test command, which installs chromium and chromium-driver"));
        let profile = tempfile::tempdir().expect("profile dir");
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": chrome_bin,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--window-size=390,844",
                    // The stylesheet scrolls smoothly unless motion is reduced; WebDriver clicks
                    // must not land mid-scroll.
                    "--force-prefers-reduced-motion",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            },
            "goog:loggingPrefs": { "browser": "ALL" }
        });
        let caps = match caps {
            serde_json::Value::Object(m) => m,
            _ => unreachable!(),
        };
        let url = format!("http://127.0.0.1:{port}");
        let mut last_err = None;
        for _ in 0..50 {
            match ClientBuilder::rustls().expect("tls").capabilities(caps.clone()).connect(&url).await {
                Ok(client) => {
                    return Self { client, driver, _profile: profile };
                }
                Err(e) => {
                    last_err = Some(e);
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
        panic!("chromedriver did not accept a session: {last_err:?}");
    }

    /// Browser console entries since the last call (chromedriver's log endpoint).
    pub async fn console(&self) -> Vec<ConsoleEntry> {
        let v = self.client.issue_cmd(BrowserLog).await.expect("read browser log");
        serde_json::from_value(v).unwrap_or_default()
    }

    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(format!("{name}.png")), png);
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct ConsoleEntry {
    pub level: String,
    pub message: String,
}

#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }
    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

// ---- helpers the browser tests share ----

/// Signs the browser in as `account_id`: a new session of `kind` (the site's `rc_session`, or
/// the back office's `rc_admin`) set as a cookie. A cookie can only be added for the origin of
/// the open document, so a plain page of the site is opened first. Replaces an earlier cookie
/// of the same kind; the caller navigates afterwards.
pub async fn sign_in(c: &Client, app: &TestApp, account_id: i64, kind: SessionKind) {
    let name = match kind {
        SessionKind::Admin => "rc_admin",
        _ => "rc_session",
    };
    let session = sessions::start(&app.state, account_id, kind, "Chromium · browser test").await.expect("session");
    c.goto(&app.url("/robots.txt")).await.unwrap();
    // SameSite must be given: fantoccini sends "None" otherwise, which Chromium refuses on a
    // cookie that is not Secure (the tests run over plain http).
    // The domain too: without one the driver protocol carries `null`, which chromedriver refuses.
    let cookie = Cookie::parse(format!("{name}={}; Path=/; Domain=127.0.0.1; HttpOnly; SameSite=Lax", session.token))
        .expect("cookie");
    c.add_cookie(cookie).await.unwrap();
}

/// Waits until the page's source satisfies `cond` and returns it: a click on a submit button
/// may return before the next page has loaded. Fails with the page after fifteen seconds (the
/// machine may be busy).
pub async fn wait_for_page(c: &Client, what: &str, cond: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let html = c.source().await.unwrap_or_default();
        if cond(&html) {
            return html;
        }
        if Instant::now() > deadline {
            let url = c.current_url().await.map(|u| u.to_string()).unwrap_or_default();
            panic!("timed out waiting for {what} at {url}; the page is:\n{html}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the page's source contains `needle`.
pub async fn wait_for_text(c: &Client, needle: &str) -> String {
    wait_for_page(c, needle, |h| h.contains(needle)).await
}

/// Types `value` into the field with id `id`, replacing what is there.
pub async fn type_into(c: &Client, id: &str, value: &str) {
    let field = c.find(Id(id)).await.unwrap_or_else(|e| panic!("no field #{id}: {e}"));
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

pub async fn click(c: &Client, css: &str) {
    c.find(Css(css)).await.unwrap_or_else(|e| panic!("no button {css}: {e}")).click().await.unwrap();
}

/// Console errors since the last call, except Chromium's report of the error status of a page
/// the test asked for on purpose: (URL, status) pairs.
pub async fn console_errors(browser: &Browser, expected: &[(String, u16)]) -> Vec<ConsoleEntry> {
    browser
        .console()
        .await
        .into_iter()
        .filter(|e| e.level == "SEVERE")
        .filter(|e| {
            !expected
                .iter()
                .any(|(url, status)| e.message.contains(url) && e.message.contains(&format!("status of {status}")))
        })
        .collect()
}
