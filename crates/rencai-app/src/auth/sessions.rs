//! Server-side sessions. The client holds a 256-bit random token; the database holds only its
//! SHA-256. A session ends on logout, after `session_idle_minutes` without a request, after
//! `session_absolute_hours` in any case, and when the account is deactivated.

use chrono::{DateTime, Utc};
use rencai_store::accounts::{self, AccountRecord};
use rencai_store::auth::{self as store, NewSession, SessionRow};
use sha2::{Digest, Sha256};

use crate::{AppError, AppResult, AppState};

/// What a client gets when a session starts. The token is shown once, here.
#[derive(Debug, Clone)]
pub struct NewSessionToken {
    pub token: String,
    pub csrf: String,
    pub public_id: String,
    pub expires_at: DateTime<Utc>,
}

/// Kinds of session, each with its own cookie and rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// The public site.
    Web,
    /// The back office: its own cookie, a shorter idle timeout (P10).
    Admin,
    /// An app's short-lived bearer access token.
    Access,
    /// An app's refresh token: long-lived, used once, revocable.
    Refresh,
}

impl SessionKind {
    fn as_str(self) -> &'static str {
        match self {
            SessionKind::Web => "web",
            SessionKind::Admin => "admin",
            SessionKind::Access => "access",
            SessionKind::Refresh => "refresh",
        }
    }

    /// How long without use ends it (tokens have a fixed life instead).
    fn idle(self, state: &AppState) -> Option<chrono::Duration> {
        let a = &state.settings().auth;
        match self {
            SessionKind::Web => Some(chrono::Duration::minutes(i64::from(a.session_idle_minutes))),
            SessionKind::Admin => Some(chrono::Duration::minutes(i64::from(a.admin_idle_minutes))),
            SessionKind::Access | SessionKind::Refresh => None,
        }
    }

    /// How long it lives at most.
    pub fn lifetime(self, state: &AppState) -> chrono::Duration {
        let a = &state.settings().auth;
        match self {
            SessionKind::Web | SessionKind::Admin => chrono::Duration::hours(i64::from(a.session_absolute_hours)),
            SessionKind::Access => chrono::Duration::minutes(i64::from(a.access_token_minutes)),
            SessionKind::Refresh => chrono::Duration::days(i64::from(a.refresh_token_days)),
        }
    }
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A short description of the device for the session list ("Chrome · Android").
pub fn device_label(user_agent: &str) -> String {
    let ua = user_agent.to_ascii_lowercase();
    let browser = if ua.contains("micromessenger") {
        "微信"
    } else if ua.contains("edg/") {
        "Edge"
    } else if ua.contains("chrome") || ua.contains("chromium") {
        "Chrome"
    } else if ua.contains("firefox") {
        "Firefox"
    } else if ua.contains("safari") {
        "Safari"
    } else if ua.is_empty() {
        "未知浏览器"
    } else {
        "其他浏览器"
    };
    let os = if ua.contains("android") {
        "Android"
    } else if ua.contains("iphone") || ua.contains("ipad") {
        "iOS"
    } else if ua.contains("windows") {
        "Windows"
    } else if ua.contains("mac os") {
        "macOS"
    } else if ua.contains("linux") {
        "Linux"
    } else {
        "未知系统"
    };
    format!("{browser} · {os}")
}

/// Starts a session for an account.
pub async fn start(state: &AppState, account_id: i64, kind: SessionKind, device: &str) -> AppResult<NewSessionToken> {
    start_in_family(state, account_id, kind, device, None).await
}

/// Starts a session that belongs to a token family (app tokens issued together).
pub async fn start_in_family(
    state: &AppState,
    account_id: i64,
    kind: SessionKind,
    device: &str,
    family: Option<&str>,
) -> AppResult<NewSessionToken> {
    let now = state.now();
    let token = rencai_crypto::random_token(32);
    let csrf = rencai_crypto::random_token(24);
    let public_id = uuid::Uuid::new_v4().to_string();
    let expires_at = now + kind.lifetime(state);
    store::create_session(
        state.db().conn(),
        &NewSession {
            public_id: &public_id,
            token_hash: &token_hash(&token),
            account_id,
            kind: kind.as_str(),
            csrf_token: &csrf,
            device,
            family,
            created_at: now,
            expires_at,
        },
    )
    .await
    .map_err(AppError::internal)?;
    Ok(NewSessionToken { token, csrf, public_id, expires_at })
}

/// A request's session and account, if the token names a live session.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub session: SessionRow,
    pub account: AccountRecord,
}

/// Looks up a session token of the given kind. Ended, idle-expired and absolutely expired
/// sessions, and sessions of the other kind, give `None` (an idle one is ended on the spot).
pub async fn authenticate(state: &AppState, token: &str, kind: SessionKind) -> AppResult<Option<Authenticated>> {
    let now = state.now();
    let conn = state.db().conn();
    let Some(session) = store::session_by_token_hash(conn, &token_hash(token)).await.map_err(AppError::internal)?
    else {
        return Ok(None);
    };
    if session.ended_at.is_some() || session.expires_at <= now || session.kind != kind.as_str() {
        return Ok(None);
    }
    if let Some(idle) = kind.idle(state)
        && session.last_seen_at + idle <= now
    {
        store::end_session(conn, session.account_id, &session.public_id, now).await.map_err(AppError::internal)?;
        return Ok(None);
    }
    let Some(account) = accounts::find_by_id(conn, session.account_id).await? else { return Ok(None) };
    if account.status != "active" {
        return Ok(None);
    }
    // One write a minute is enough to keep the idle clock honest.
    if now - session.last_seen_at > chrono::Duration::seconds(60) {
        store::touch_session(conn, session.id, now).await.map_err(AppError::internal)?;
    }
    Ok(Some(Authenticated { session, account }))
}

/// Ends the session a token names (logout). Unknown tokens are fine: logging out twice is not
/// an error.
pub async fn end_by_token(state: &AppState, token: &str) -> AppResult<()> {
    let conn = state.db().conn();
    if let Some(s) = store::session_by_token_hash(conn, &token_hash(token)).await.map_err(AppError::internal)? {
        store::end_session(conn, s.account_id, &s.public_id, state.now()).await.map_err(AppError::internal)?;
    }
    Ok(())
}

/// The account's open sessions, newest first.
pub async fn list(state: &AppState, account_id: i64) -> AppResult<Vec<SessionRow>> {
    store::open_sessions(state.db().conn(), account_id, state.now()).await.map_err(AppError::internal)
}

/// Ends one of the account's own sessions.
pub async fn end(state: &AppState, account_id: i64, public_id: &str) -> AppResult<()> {
    if store::end_session(state.db().conn(), account_id, public_id, state.now()).await.map_err(AppError::internal)? {
        Ok(())
    } else {
        Err(AppError::NotFound { code: "session.not_found", what: "该会话" })
    }
}

#[cfg(test)]
mod tests {
    use super::device_label;

    #[test]
    fn devices_are_described_without_details() {
        let ua = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
        assert_eq!(device_label(ua), "Chrome · Android");
        assert_eq!(device_label(""), "未知浏览器 · 未知系统");
    }
}
