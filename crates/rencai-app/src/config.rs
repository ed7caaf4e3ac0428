//! Settings: `rencai.toml`, then `RENCAI__SECTION__KEY` environment variables, then command-line
//! flags. Every field has a default that gives a working demo site, so a fresh clone needs no
//! configuration at all. Secrets (database passwords) may appear here; `Debug` never prints
//! the database URL's password.

use std::net::SocketAddr;
use std::path::PathBuf;

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
    pub auth: AuthSettings,
    pub sms: SmsSettings,
    pub email: EmailSettings,
    pub market: MarketSettings,
    pub verification: VerificationSettings,
    pub search: SearchSettings,
    pub push: PushSettings,
    pub privacy: PrivacySettings,
}

/// Retention and the data rights (P8, P14, P15).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PrivacySettings {
    /// Days between deactivation and the purge of personal data (P14 promises at most 15
    /// working days; the default leaves room for a failed run to be retried).
    pub purge_after_days: u32,
    /// Behaviour logs kept for personalization (search keywords, clicks), in days (P8).
    pub behaviour_days: u32,
    /// Login records and other security logs, in days (the Cybersecurity Law asks for at least
    /// 180).
    pub security_log_days: u32,
    /// Years the restricted archive keeps identity, transaction and recruitment records.
    pub archive_years: u32,
    /// Hours a finished data export can be downloaded (once).
    pub export_hours: u32,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        Self { purge_after_days: 7, behaviour_days: 90, security_log_days: 180, archive_years: 3, export_hours: 72 }
    }
}

/// App push notifications.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PushSettings {
    /// `outbox` (dev: kept in the database) or `tpns` (Tencent Cloud 移动推送). Unset: the
    /// outbox in demo mode, no push otherwise.
    pub provider: Option<String>,
    pub tpns: TpnsSettings,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TpnsSettings {
    pub endpoint: String,
    pub access_id: String,
    pub secret_key: String,
}

impl Default for TpnsSettings {
    fn default() -> Self {
        Self { endpoint: "https://api.tpns.tencent.com/".into(), access_id: String::new(), secret_key: String::new() }
    }
}

impl std::fmt::Debug for PushSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushSettings")
            .field("provider", &self.provider)
            .field("tpns_endpoint", &self.tpns.endpoint)
            .field("tpns_access_id", &self.tpns.access_id)
            .finish_non_exhaustive()
    }
}

/// This node's search replica.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchSettings {
    /// How often the change log is polled for other nodes' writes, in milliseconds. This
    /// node's own writes are searchable at once.
    pub poll_ms: u64,
}

impl Default for SearchSettings {
    fn default() -> Self {
        Self { poll_ms: 250 }
    }
}

impl SearchSettings {
    pub fn poll_interval(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.poll_ms.clamp(20, 60_000))
    }
}

/// Real-name checks of recruiters and business-registry checks of organisations.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VerificationSettings {
    /// `dev` (demo only: accepts any valid ID number) or `http` (an identity-check API).
    /// Unset: `dev` in demo mode; production must choose, or recruiters cannot be checked.
    pub realname_provider: Option<String>,
    pub realname_endpoint: String,
    pub realname_appcode: String,
    /// `dev` or `tianyancha`. Unset: `dev` in demo mode; none in production (staff then verify
    /// organisations from their documents alone).
    pub registry_provider: Option<String>,
    pub registry_endpoint: String,
    pub registry_token: String,
}

impl std::fmt::Debug for VerificationSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerificationSettings")
            .field("realname_provider", &self.realname_provider)
            .field("realname_endpoint", &self.realname_endpoint)
            .field("registry_provider", &self.registry_provider)
            .field("registry_endpoint", &self.registry_endpoint)
            .finish_non_exhaustive()
    }
}

/// Marketplace rules an operator tunes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarketSettings {
    /// A published job expires after this many days unless refreshed into a new term.
    pub job_days: u32,
    /// Quota every new organisation is granted (recorded in the ledger as a grant).
    pub free_job_slots: u32,
    pub free_refreshes: u32,
    pub free_resume_unlocks: u32,
    /// How long the free grant is valid.
    pub free_grant_days: u32,
    /// Résumés a seeker may keep.
    pub max_resumes_per_seeker: u32,
    /// Largest uploaded attachment, in KiB.
    pub max_attachment_kib: u32,
    /// List pages a visitor who is not logged in may open per hour before being asked to log in
    /// (0 = no cap).
    pub anonymous_list_pages_per_hour: u32,
    /// Applications a seeker may send per calendar day (China time).
    pub applications_per_day: u32,
    /// Resume completeness (percent) needed to apply (M8).
    pub min_completeness_to_apply: u8,
}

impl Default for MarketSettings {
    fn default() -> Self {
        Self {
            job_days: 30,
            free_job_slots: 5,
            free_refreshes: 30,
            free_resume_unlocks: 3,
            free_grant_days: 365,
            max_resumes_per_seeker: 5,
            max_attachment_kib: 8192,
            anonymous_list_pages_per_hour: 60,
            applications_per_day: 30,
            min_completeness_to_apply: rencai_domain::resume::MIN_COMPLETENESS_TO_APPLY,
        }
    }
}

/// How e-mail leaves: an SMTP server (the operator's, or a relay such as Aliyun DirectMail or
/// Tencent SES over SMTP).
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmailSettings {
    /// Unset: no e-mail is sent.
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    /// `starttls` (587), `tls` (465) or `none` (a relay on localhost only).
    pub smtp_security: String,
    pub smtp_username: String,
    pub smtp_password: String,
    /// The sender, e.g. `万州人才网 <noreply@wzrc.example>`.
    pub from: String,
    /// Without an SMTP host: keep e-mail in the dev outbox instead of dropping it (demo mode
    /// always does).
    pub outbox: bool,
}

impl Default for EmailSettings {
    fn default() -> Self {
        Self {
            smtp_host: None,
            smtp_port: 587,
            smtp_security: "starttls".into(),
            smtp_username: String::new(),
            smtp_password: String::new(),
            from: "万州人才网 <noreply@localhost>".into(),
            outbox: false,
        }
    }
}

impl std::fmt::Debug for EmailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailSettings")
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_security", &self.smtp_security)
            .finish_non_exhaustive()
    }
}

/// Passwords, sessions and verification codes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthSettings {
    /// Argon2id memory in KiB (OWASP minimum: 19456 with 2 iterations).
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
    /// A session ends after this long without a request.
    pub session_idle_minutes: u32,
    /// And after this long in any case.
    pub session_absolute_hours: u32,
    /// Back-office sessions end after this long without a request.
    pub admin_idle_minutes: u32,
    /// Life of an app's bearer access token.
    pub access_token_minutes: u32,
    /// Life of an app's refresh token (each is used once; a new one comes with each refresh).
    pub refresh_token_days: u32,
    /// Failed password logins per phone number within an hour before password login pauses
    /// for that number (code login still works). Counted alike for unknown numbers.
    pub password_failures_per_hour: u32,
    /// Failed password logins per hour from one address (IPv6 by /64), whatever the numbers
    /// tried: credential stuffing tries many numbers from one place.
    pub password_failures_per_address_per_hour: u32,
    /// Failed back-office logins before the account locks, and for how long.
    pub staff_lockout_failures: u32,
    pub staff_lockout_minutes: u32,
    /// Ask for a CAPTCHA from the second code sent from an address within an hour.
    pub captcha_after_first_send: bool,
    pub sms_limits: rencai_domain::sms::SmsLimits,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            argon2_memory_kib: 19_456,
            argon2_iterations: 2,
            argon2_parallelism: 1,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            admin_idle_minutes: 15,
            access_token_minutes: 15,
            refresh_token_days: 30,
            password_failures_per_hour: 10,
            password_failures_per_address_per_hour: 30,
            staff_lockout_failures: 5,
            staff_lockout_minutes: 15,
            captcha_after_first_send: true,
            sms_limits: Default::default(),
        }
    }
}

/// Which SMS gateway sends codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsProvider {
    /// Writes messages to the dev outbox (`rencai dev outbox`); sends nothing.
    Outbox,
    /// Alibaba Cloud SMS.
    Aliyun,
}

#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmsSettings {
    /// Unset: `outbox` in demo mode; production must choose.
    pub provider: Option<SmsProvider>,
    /// Show the dev outbox at `/dev/outbox` (only with the outbox provider; never in production).
    pub outbox_page: bool,
    pub aliyun: AliyunSettings,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AliyunSettings {
    pub endpoint: String,
    pub region_id: String,
    pub access_key_id: String,
    pub access_key_secret: String,
    /// The approved signature (签名), e.g. 万州人才网.
    pub sign_name: String,
    /// Template id of the verification-code message, e.g. SMS_123456789.
    pub template_verification_code: String,
    /// Template for inviting a recruiter: parameters `company` and `code`.
    pub template_recruiter_invite: String,
    /// Template of an interview invitation: parameters `company`, `job` and `time`.
    pub template_interview_invite: String,
    /// Template id of the security-incident notice (P11), parameter `title`.
    pub template_incident_notice: String,
}

impl Default for AliyunSettings {
    fn default() -> Self {
        Self {
            endpoint: "https://dysmsapi.aliyuncs.com/".into(),
            region_id: "cn-hangzhou".into(),
            access_key_id: String::new(),
            access_key_secret: String::new(),
            sign_name: String::new(),
            template_verification_code: String::new(),
            template_recruiter_invite: String::new(),
            template_interview_invite: String::new(),
            template_incident_notice: String::new(),
        }
    }
}

impl std::fmt::Debug for SmsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsSettings")
            .field("provider", &self.provider)
            .field("outbox_page", &self.outbox_page)
            .field("aliyun_access_key_id", &self.aliyun.access_key_id)
            .finish_non_exhaustive()
    }
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
            auth: AuthSettings::default(),
            sms: SmsSettings::default(),
            email: EmailSettings::default(),
            market: MarketSettings::default(),
            verification: VerificationSettings::default(),
            search: SearchSettings::default(),
            push: PushSettings::default(),
            privacy: PrivacySettings::default(),
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
        Self { url: None, max_connections: 8 }
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
        Self { level: "info".into(), format: "text".into() }
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

    /// The SQLite database file, for the embedded database.
    pub fn sqlite_file(&self) -> Option<PathBuf> {
        let url = self.database_url();
        let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
        Some(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
    }

    pub fn is_embedded_database(&self) -> bool {
        self.database_url().starts_with("sqlite:")
    }

    pub fn mode(&self) -> Mode {
        self.mode.unwrap_or(if self.is_embedded_database() { Mode::Demo } else { Mode::Production })
    }

    pub fn key_file(&self) -> PathBuf {
        self.keys.file.clone().unwrap_or_else(|| self.data_dir.join("keys.toml"))
    }

    pub fn uploads_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }

    /// Whether the site is served over HTTPS (directly or by a TLS-terminating proxy).
    pub fn is_https(&self) -> bool {
        self.server.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }

    /// The SMS provider in effect: the configured one, or the outbox in demo mode.
    pub fn sms_provider(&self) -> Option<SmsProvider> {
        self.sms.provider.or(if self.mode() == Mode::Demo { Some(SmsProvider::Outbox) } else { None })
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
            database: DatabaseSettings { url: Some("postgres://rc:s3cret@db/rencai".into()), max_connections: 4 },
            ..Settings::default()
        };
        assert_eq!(s.mode(), Mode::Production);
        let shown = format!("{s:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("postgres://rc:***@db/rencai"));
    }
}
