//! Cookies, the signed-in user, and CSRF protection for forms.
//!
//! The session cookie is HttpOnly and SameSite=Lax, and over HTTPS it is `Secure` with the
//! `__Host-` prefix (no Domain, Path=/), so no subdomain can set or read it. Every form carries a
//! CSRF token that is an HMAC (keyed from the key file) of a random nonce in a second cookie:
//! a page that cannot read our cookies cannot forge a matching pair ("signed double submit").
//! The JSON API does not read cookies at all, so it needs no CSRF token.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rencai_app::AppState;
use rencai_app::auth::sessions::{self, Authenticated};
use rencai_crypto::{BlindIndex, FieldContext};

use crate::WebError;

const CSRF_CONTEXT: FieldContext = FieldContext("csrf.form");

fn names(state: &AppState) -> (&'static str, &'static str) {
    if state.settings().is_https() { ("__Host-rc_session", "__Host-rc_csrf") } else { ("rc_session", "rc_csrf") }
}

/// The value of cookie `name`, if the request has it.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let secure = if state.settings().is_https() { "; Secure" } else { "" };
    let age = max_age.map(|s| format!("; Max-Age={s}")).unwrap_or_default();
    HeaderValue::from_str(&format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}"))
        .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The Set-Cookie header that starts a session.
pub fn session_cookie(state: &AppState, token: &str) -> (header::HeaderName, HeaderValue) {
    let hours = i64::from(state.settings().auth.session_absolute_hours);
    (header::SET_COOKIE, set_cookie(state, names(state).0, token, Some(hours * 3600)))
}

/// The Set-Cookie header that removes the session cookie.
pub fn clear_session_cookie(state: &AppState) -> (header::HeaderName, HeaderValue) {
    (header::SET_COOKIE, set_cookie(state, names(state).0, "", Some(0)))
}

pub fn session_token(state: &AppState, headers: &HeaderMap) -> Option<String> {
    cookie(headers, names(state).0).filter(|t| !t.is_empty())
}

/// The signed-in account, when there is one.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<Authenticated>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(token) = session_token(state, &parts.headers) else { return Ok(MaybeUser(None)) };
        Ok(MaybeUser(sessions::authenticate(state, &token, sessions::SessionKind::Web).await?))
    }
}

/// A page that needs a signed-in account; others are sent to log in.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Authenticated);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match MaybeUser::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)? {
            MaybeUser(Some(a)) => {
                if crate::consent_gate::holds_back(state, &a, crate::consent_gate::full_path(parts))
                    .await
                    .map_err(IntoResponse::into_response)?
                {
                    let next: String =
                        form_urlencoded::byte_serialize(crate::consent_gate::full_path(parts).as_bytes()).collect();
                    let to = format!("/legal/accept?next={next}");
                    return Err((StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response());
                }
                Ok(CurrentUser(a))
            }
            MaybeUser(None) => Err((StatusCode::SEE_OTHER, [(header::LOCATION, "/login")]).into_response()),
        }
    }
}

/// The CSRF token for the forms of a page, and the cookie to set if the browser has no nonce yet.
#[derive(Debug, Clone)]
pub struct Csrf {
    pub token: String,
    pub set_cookie: Option<(header::HeaderName, HeaderValue)>,
}

fn csrf_for(state: &AppState, nonce: &str) -> String {
    BlindIndex::compute(&state.keys().get(), CSRF_CONTEXT, nonce).into_string()
}

impl FromRequestParts<AppState> for Csrf {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let name = names(state).1;
        match cookie(&parts.headers, name).filter(|n| n.len() >= 16) {
            Some(nonce) => Ok(Csrf { token: csrf_for(state, &nonce), set_cookie: None }),
            None => {
                let nonce = rencai_crypto::random_token(24);
                Ok(Csrf {
                    token: csrf_for(state, &nonce),
                    set_cookie: Some((header::SET_COOKIE, set_cookie(state, name, &nonce, None))),
                })
            }
        }
    }
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    axum::extract::Query::<std::collections::HashMap<String, String>>::try_from_uri(
        &format!("/?{}", String::from_utf8_lossy(body)).parse().ok()?,
    )
    .ok()
    .and_then(|q| q.0.get(name).cloned())
}

/// The largest form body a page may post.
pub const FORM_BYTES: usize = 1 << 20;

/// Refuses any state-changing form post whose CSRF token does not match the browser's nonce.
pub async fn csrf_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !unsafe_method || req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let nonce = cookie(req.headers(), names(&state).1);
    // File uploads carry the token in the action URL (`?csrf=`): their bodies are too large to
    // buffer here, and the upload route sets its own body limit. The log layer redacts `csrf=`.
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("multipart/form-data"));
    if multipart {
        let sent = req.uri().query().and_then(|q| form_field(q.as_bytes(), "csrf"));
        let ok = match (nonce, sent) {
            (Some(n), Some(t)) => subtle_eq(csrf_for(&state, &n).as_bytes(), t.as_bytes()),
            _ => false,
        };
        if !ok {
            return WebError::new(StatusCode::FORBIDDEN, "csrf.invalid", "页面已过期或来源不明，请刷新页面后重试。")
                .into_response();
        }
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    // Forms can be larger than API bodies: a resume with ten long work entries is one form.
    let limit = state.settings().server.max_json_bytes.max(FORM_BYTES);
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "request.too_large", "提交的内容太大了。").into_response();
    };
    let sent = form_field(&bytes, "csrf")
        .or_else(|| parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_owned));
    let ok = match (nonce, sent) {
        (Some(n), Some(t)) => subtle_eq(csrf_for(&state, &n).as_bytes(), t.as_bytes()),
        _ => false,
    };
    if !ok {
        return WebError::new(StatusCode::FORBIDDEN, "csrf.invalid", "页面已过期或来源不明，请刷新页面后重试。")
            .into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn subtle_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn admin_cookie_name(state: &AppState) -> &'static str {
    if state.settings().is_https() { "__Host-rc_admin" } else { "rc_admin" }
}

/// The Set-Cookie header that starts a back-office session (its own cookie, P10).
pub fn admin_session_cookie(state: &AppState, token: &str) -> (header::HeaderName, HeaderValue) {
    let hours = i64::from(state.settings().auth.session_absolute_hours);
    (header::SET_COOKIE, set_cookie(state, admin_cookie_name(state), token, Some(hours * 3600)))
}

pub fn clear_admin_cookie(state: &AppState) -> (header::HeaderName, HeaderValue) {
    (header::SET_COOKIE, set_cookie(state, admin_cookie_name(state), "", Some(0)))
}

pub fn admin_token(state: &AppState, headers: &HeaderMap) -> Option<String> {
    cookie(headers, admin_cookie_name(state)).filter(|t| !t.is_empty())
}

/// A back-office page: a signed-in staff member, or a redirect to the back-office login.
#[derive(Debug, Clone)]
pub struct CurrentStaff(pub rencai_app::auth::staff::StaffUser);

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = match admin_token(state, &parts.headers) {
            Some(t) => {
                rencai_app::auth::staff::authenticate(state, &t).await.map_err(|e| WebError::from(e).into_response())?
            }
            None => None,
        };
        user.map(CurrentStaff)
            .ok_or_else(|| (StatusCode::SEE_OTHER, [(header::LOCATION, "/admin/login")]).into_response())
    }
}
