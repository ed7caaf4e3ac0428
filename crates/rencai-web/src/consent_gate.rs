//! P3's gate: after a material change of the privacy policy or user agreement takes effect, a
//! signed-in account can do nothing but read, log out, export or deactivate until it accepts
//! the new version. Checked where the account is identified (`CurrentUser`, `BearerUser`), so
//! no handler can forget it; public pages (reading) never ask.

use axum::http::StatusCode;
use rencai_app::AppState;
use rencai_app::auth::sessions::Authenticated;

use crate::WebError;

/// What stays open while an acceptance is outstanding.
pub fn exempt(path: &str) -> bool {
    const EXACT: &[&str] = &[
        "/logout",
        "/legal/accept",
        "/api/v1/legal/accept",
        "/api/v1/me",
        "/api/v1/me/deactivate",
        "/api/v1/auth/revoke",
    ];
    const UNDER: &[&str] = &["/me/privacy", "/api/v1/me/privacy", "/api/v1/me/exports"];
    EXACT.contains(&path) || UNDER.iter().any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// The request's path as the client sent it (a nested router sees its own part only).
pub fn full_path(parts: &axum::http::request::Parts) -> &str {
    parts.extensions.get::<axum::extract::OriginalUri>().map_or(parts.uri.path(), |u| u.0.path())
}

/// Whether the account must accept a new version before this request.
pub async fn holds_back(state: &AppState, user: &Authenticated, path: &str) -> Result<bool, WebError> {
    if exempt(path) {
        return Ok(false);
    }
    Ok(!rencai_app::legal::outstanding(state, user.account.id).await?.is_empty())
}

/// The API's answer: the app shows the new texts and posts `/api/v1/legal/accept`.
pub fn refusal() -> WebError {
    WebError::new(
        StatusCode::FORBIDDEN,
        "legal.reaccept_required",
        "隐私政策或用户协议有重要更新：请阅读并同意新版本后继续使用（GET /api/v1/legal/privacy、/api/v1/legal/terms，POST /api/v1/legal/accept）。",
    )
}
