//! Settings: `rencai.toml`, then `RENCAI__SECTION__KEY` environment variables, then command-line
//! flags. Every field has a default that gives a working demo site, so a fresh clone needs no
//! configuration at all. Secrets (database passwords) may appear here; `Debug` never prints
//! the database URL's password.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use ipnet::IpNet;
use serde::{Deserialize, Serialize};

/// Demo mode loads demo data on first start and shows a demo notice; production loads none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Demo,
    Production,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// `demo` or `production`. Unset: demo on the embedded database, production otherwise.
    pub mode: Option<Mode>,
    /// Where the SQLite database, key file and uploads live.
    pub data_dir: PathBuf,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub site: SiteSettings,
    pub keys: KeySettings,
    pub log: LogSettings,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    pub listen: SocketAddr,
    /// Reverse proxies whose `X-Forwarded-For` is believed (CIDR list).
    pub trusted_proxies: Vec<IpNet>,
    /// The public address, e.g. `https://www.wzrc.example`. With `https`, pages send HSTS and
    /// cookies get the `__Host-` prefix and `Secure`.
    pub public_url: Option<String>,
    /// Largest request body accepted by the JSON API, in bytes.
    pub max_json_bytes: usize,
    pub request_timeout_secs: u64,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSettings {
    /// `postgres://…` for PostgreSQL. Unset: SQLite at `<data_dir>/rencai.db`.
    pub url: Option<String>,
    pub max_connections: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteSettings {
    pub name: String,
    /// The operator's name as shown in the footer.
    pub operator: String,
    /// 人力资源服务许可证 number.
    pub hr_licence: Option<String>,
    /// ICP 备案号, linked to the MIIT registry.
    pub icp: Option<String>,
    /// 公安备案号 and its record number for the link.
    pub police_beian: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct KeySettings {
    /// The key file. Unset: `<data_dir>/keys.toml`. Several nodes must share one.
    pub file: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogSettings {
    /// A tracing filter, e.g. `info` or `rencai=debug,info`. `RUST_LOG` overrides it.
    pub level: String,
    /// `text` or `json`.
    pub format: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            mode: None,
            data_dir: PathBuf::from("./data"),
            server: ServerSettings::default(),
            database: DatabaseSettings::default(),
            site: SiteSettings::default(),
            keys: KeySettings::default(),
            log: LogSettings::default(),
        }
    }
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            trusted_proxies: Vec::new(),
            public_url: None,
            max_json_bytes: 64 * 1024,
            request_timeout_secs: 30,
        }
    }
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: None,
            max_connections: 8,
        }
    }
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            name: "万州人才网".into(),
            operator: "万州人才网".into(),
            hr_licence: None,
            icp: None,
            police_beian: None,
        }
    }
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            level: "info".into(),
            format: "text".into(),
        }
    }
}

impl std::fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &self.url.as_deref().map(redact_url_password))
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("mode", &self.mode())
            .field("data_dir", &self.data_dir)
            .field("server", &self.server)
            .field("database", &self.database)
            .field("site", &self.site)
            .finish_non_exhaustive()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact_url_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Settings {
    pub fn database_url(&self) -> String {
        match &self.database.url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("rencai.db").display()),
        }
    }

    pub fn is_embedded_database(&self) -> bool {
        self.database_url().starts_with("sqlite:")
    }

    pub fn mode(&self) -> Mode {
        self.mode.unwrap_or(if self.is_embedded_database() {
            Mode::Demo
        } else {
            Mode::Production
        })
    }

    pub fn key_file(&self) -> PathBuf {
        self.keys
            .file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("keys.toml"))
    }

    pub fn uploads_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }

    /// Whether the site is served over HTTPS (directly or by a TLS-terminating proxy).
    pub fn is_https(&self) -> bool {
        self.server
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    pub fn data_path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.data_dir.join(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_give_a_demo_site_on_sqlite() {
        let s = Settings::default();
        assert_eq!(s.mode(), Mode::Demo);
        assert_eq!(s.database_url(), "sqlite://./data/rencai.db");
        assert_eq!(s.server.listen.to_string(), "127.0.0.1:8080");
        assert!(!s.is_https());
    }

    #[test]
    fn postgres_defaults_to_production_and_hides_password() {
        let s = Settings {
            database: DatabaseSettings {
                url: Some("postgres://rc:s3cret@db/rencai".into()),
                max_connections: 4,
            },
            ..Settings::default()
        };
        assert_eq!(s.mode(), Mode::Production);
        let shown = format!("{s:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("postgres://rc:***@db/rencai"));
    }
}
