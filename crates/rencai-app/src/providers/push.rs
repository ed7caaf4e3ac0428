//! App push notifications (M11): a provider interface, the dev outbox (a table developers and
//! tests read), and Tencent Cloud 移动推送 (TPNS) implemented to its documented protocol.
//!
//! Devices are addressed by an alias the app binds after sign-in (`GET /api/v1/me` →
//! `push_alias`): a keyed hash of the account, so the push provider never learns our account
//! ids and cannot link one site's users with another's.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use rencai_crypto::{BlindIndex, FieldContext, Keyring, Sealed, SharedKeys};
use sha2::Sha256;

/// One notification to a device alias.
#[derive(Debug, Clone)]
pub struct PushMessage {
    pub alias: String,
    pub title: String,
    pub content: String,
    /// A site path the app opens on tap.
    pub link: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("push settings are incomplete: {0}")]
    Config(String),
    #[error("the push service refused the message: {code} {message}")]
    Rejected { code: i64, message: String },
    #[error("the push service could not be reached: {0}")]
    Transport(String),
}

pub type PushFuture<'a> = Pin<Box<dyn Future<Output = Result<String, PushError>> + Send + 'a>>;

/// Sends push notifications. Returns the provider's id of the push.
pub trait PushSender: Send + Sync + std::fmt::Debug {
    fn send<'a>(&'a self, m: &'a PushMessage) -> PushFuture<'a>;
}

/// Where the alias comes from (bound into the keyed hash).
const ALIAS: FieldContext = FieldContext("push.alias");

/// The push alias of an account (32 hex characters).
pub fn alias_of(keys: &Keyring, account_public_id: &str) -> String {
    BlindIndex::compute(keys, ALIAS, account_public_id).as_str().chars().take(32).collect()
}

// ---- the dev outbox ----

use rencai_store::dev_mail::{PUSH_CONTENT as OUTBOX_CONTENT, PUSH_TITLE as OUTBOX_TITLE};

/// Keeps each push in the `dev_push` table instead of sending it.
#[derive(Debug, Clone)]
pub struct PushOutbox {
    pub db: rencai_store::Db,
    pub keys: SharedKeys,
}

impl PushSender for PushOutbox {
    fn send<'a>(&'a self, m: &'a PushMessage) -> PushFuture<'a> {
        Box::pin(async move {
            let ring = self.keys.get();
            let id = rencai_store::dev_mail::push_notification(
                self.db.conn(),
                &m.alias,
                Sealed::seal(&ring, OUTBOX_TITLE, &m.title).as_stored(),
                Sealed::seal(&ring, OUTBOX_CONTENT, &m.content).as_stored(),
                &m.link,
                chrono::Utc::now(),
            )
            .await
            .map_err(|e| PushError::Transport(e.to_string()))?;
            Ok(format!("outbox-{id}"))
        })
    }
}

/// A push in the dev outbox, opened.
#[derive(Debug, Clone)]
pub struct OutboxPush {
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub alias: String,
    pub title: String,
    pub content: String,
    pub link: String,
}

/// The newest pushes of the dev outbox, only those to `alias` when given.
pub async fn read_outbox(
    db: &rencai_store::Db,
    keys: &SharedKeys,
    alias: Option<&str>,
    limit: u32,
) -> Result<Vec<OutboxPush>, crate::AppError> {
    let ring = keys.get();
    let rows =
        rencai_store::dev_mail::list_notifications(db.conn(), alias, limit).await.map_err(crate::AppError::internal)?;
    let open = |s: String, f| Sealed::<String>::from_stored(s).open(&ring, f).map_err(crate::AppError::internal);
    rows.into_iter()
        .map(|r| {
            Ok(OutboxPush {
                created_at: r.created_at,
                alias: r.alias,
                title: open(r.title_sealed, OUTBOX_TITLE)?,
                content: open(r.content_sealed, OUTBOX_CONTENT)?,
                link: r.link,
            })
        })
        .collect()
}

// ---- Tencent Cloud 移动推送 (TPNS) ----

#[derive(Debug, Clone)]
pub struct TpnsConfig {
    /// `https://api.tpns.tencent.com/` (Guangzhou; other regions have their own hosts).
    pub endpoint: String,
    pub access_id: String,
    pub secret_key: String,
}

/// TPNS's push API, `POST /v3/push/app`, signed as its documentation says:
/// `Sign = Base64(hex(HMAC-SHA256(SecretKey, TimeStamp + AccessId + body)))`, with the
/// `AccessId`, `TimeStamp` and `Sign` headers.
#[derive(Debug, Clone)]
pub struct Tpns {
    config: TpnsConfig,
    http: reqwest::Client,
}

/// The `Sign` header for a request body sent at `timestamp` (seconds).
pub fn tpns_sign(secret_key: &str, timestamp: i64, access_id: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{timestamp}{access_id}{body}").as_bytes());
    let hex = hex::encode(mac.finalize().into_bytes());
    // The documented example base64-encodes the hexadecimal text, not the raw digest.
    base64::engine::general_purpose::STANDARD.encode(hex)
}

impl Tpns {
    pub fn new(config: TpnsConfig) -> Result<Self, PushError> {
        if config.access_id.is_empty() || config.secret_key.is_empty() {
            return Err(PushError::Config("push.tpns.access_id and push.tpns.secret_key are required".into()));
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| PushError::Config(e.to_string()))?;
        Ok(Self { config, http })
    }

    fn body(m: &PushMessage) -> String {
        serde_json::json!({
            "audience_type": "account",
            "account_list": [m.alias],
            "message_type": "notify",
            "message": {
                "title": m.title,
                "content": m.content,
                "custom_content": serde_json::json!({ "link": m.link }).to_string(),
            },
        })
        .to_string()
    }
}

impl PushSender for Tpns {
    fn send<'a>(&'a self, m: &'a PushMessage) -> PushFuture<'a> {
        Box::pin(async move {
            let body = Self::body(m);
            let ts = chrono::Utc::now().timestamp();
            let sign = tpns_sign(&self.config.secret_key, ts, &self.config.access_id, &body);
            let url = format!("{}/v3/push/app", self.config.endpoint.trim_end_matches('/'));
            let res = self
                .http
                .post(url)
                .header("Content-Type", "application/json")
                .header("AccessId", &self.config.access_id)
                .header("TimeStamp", ts.to_string())
                .header("Sign", sign)
                .body(body)
                .send()
                .await
                .map_err(|e| PushError::Transport(e.to_string()))?;
            let status = res.status();
            let v: serde_json::Value = res.json().await.map_err(|e| PushError::Transport(format!("{status}: {e}")))?;
            match v["ret_code"].as_i64() {
                Some(0) => Ok(v["push_id"].as_str().unwrap_or_default().to_string()),
                Some(code) => {
                    Err(PushError::Rejected { code, message: v["err_msg"].as_str().unwrap_or_default().into() })
                }
                None => Err(PushError::Transport(format!("{status}: no ret_code"))),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of TPNS's 签名认证 documentation, byte for byte.
    #[test]
    fn the_signature_matches_the_published_example() {
        let body = r#"{"audience_type": "account","message": {"title": "test title","content": "test content","android": { "action": {"action_type": 3,"intent": "xgscheme://com.xg.push/notify_detail?param1=xg"}}},"message_type": "notify","account_list": ["5822f0eee44c3625ef0000bb"] }"#;
        let sign = tpns_sign("1452fcebae9f3115ba794fb0fff2fd73", 1565314789, "1500001048", body);
        assert_eq!(sign, "MDlmMDdkMmE1MThhODgxNGUzNjlkY2Q5NTM0ZjEwYjhhMjlkMTI4NTMxYTE5YWRhYTI4Y2IyNDc2MDVjMWU4NA==");
    }

    /// A local stand-in for the TPNS API: checks the headers and the signature of what arrives,
    /// answers like the service (a refusal for one alias).
    async fn fake_tpns() -> (String, tokio::sync::mpsc::UnboundedReceiver<serde_json::Value>) {
        use axum::http::HeaderMap;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let app = axum::Router::new().route(
            "/v3/push/app",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let tx = tx.clone();
                async move {
                    let h = |k: &str| headers.get(k).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                    let ts: i64 = h("TimeStamp").parse().unwrap_or(0);
                    if h("AccessId") != "1500001048" || h("Sign") != tpns_sign("sekret", ts, "1500001048", &body) {
                        return axum::Json(serde_json::json!({"ret_code": 1008, "err_msg": "sign error"}));
                    }
                    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
                    let refused = v["account_list"][0] == "nobody";
                    let _ = tx.send(v);
                    axum::Json(if refused {
                        serde_json::json!({"ret_code": 10010, "err_msg": "account not found"})
                    } else {
                        serde_json::json!({"ret_code": 0, "err_msg": "", "push_id": "3895624686"})
                    })
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (format!("http://{addr}/"), rx)
    }

    fn message(alias: &str) -> PushMessage {
        PushMessage {
            alias: alias.into(),
            title: "面试邀请".into(),
            content: "请确认是否参加".into(),
            link: "/me/applications/x".into(),
        }
    }

    #[tokio::test]
    async fn a_push_reaches_a_fake_tpns_signed_and_refusals_are_errors() {
        let (endpoint, mut seen) = fake_tpns().await;
        let tpns = Tpns::new(TpnsConfig {
            endpoint: endpoint.clone(),
            access_id: "1500001048".into(),
            secret_key: "sekret".into(),
        })
        .unwrap();
        assert_eq!(tpns.send(&message("a1b2c3")).await.unwrap(), "3895624686");
        let got = seen.recv().await.unwrap();
        assert_eq!(got["account_list"][0], "a1b2c3");
        assert_eq!(got["message"]["title"], "面试邀请");
        assert!(got["message"]["custom_content"].as_str().unwrap().contains("/me/applications/x"));
        assert!(matches!(tpns.send(&message("nobody")).await.unwrap_err(), PushError::Rejected { code: 10010, .. }));
        let wrong =
            Tpns::new(TpnsConfig { endpoint, access_id: "1500001048".into(), secret_key: "wrong".into() }).unwrap();
        assert!(matches!(wrong.send(&message("a1b2c3")).await.unwrap_err(), PushError::Rejected { code: 1008, .. }));
        assert!(matches!(
            Tpns::new(TpnsConfig { endpoint: String::new(), access_id: String::new(), secret_key: String::new() })
                .unwrap_err(),
            PushError::Config(_)
        ));
    }
}
