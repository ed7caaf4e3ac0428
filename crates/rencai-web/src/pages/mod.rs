//! Server-rendered pages.

mod admin;
mod auth;
mod dev;
mod home;
mod legal;
mod phone;
mod seo;

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use rencai_app::AppState;

use crate::WebError;
use crate::session::Csrf;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/privacy", get(legal::privacy))
        .route("/terms", get(legal::terms))
        .route("/healthz", get(seo::healthz))
        .route("/robots.txt", get(seo::robots))
        .route("/sitemap.xml", get(seo::sitemap))
        .route("/register", get(auth::register_form).post(auth::register))
        .route("/register/code", post(auth::register_code))
        .route("/login", get(auth::seeker_login_form).post(auth::seeker_login))
        .route("/login/code", post(auth::seeker_login_code))
        .route("/company/login", get(auth::company_login_form).post(auth::company_login))
        .route("/company/login/code", post(auth::company_login_code))
        .route("/agency/login", get(auth::agency_login_form).post(auth::agency_login))
        .route("/agency/login/code", post(auth::agency_login_code))
        .route("/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/me/sessions/end", post(auth::end_session))
        .route("/me/phone", get(phone::form).post(phone::change))
        .route("/me/phone/codes", post(phone::codes))
        .route("/dev/outbox", get(dev::outbox))
        .route("/admin", get(admin::home))
        .route("/admin/login", get(admin::login_form).post(admin::login))
        .route("/admin/logout", post(admin::logout))
        .route("/admin/staff", post(admin::create_staff))
}

/// Renders a template; `public` pages (no personal data) may be cached briefly.
pub(crate) fn render(t: &impl Template, public: bool) -> Result<Response, WebError> {
    let html = t.render().map_err(|e| {
        tracing::error!(error = %e, "template failed");
        WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "页面渲染失败")
    })?;
    let cache = if public { "public, max-age=60" } else { "no-store" };
    Ok(([(header::CACHE_CONTROL, cache)], Html(html)).into_response())
}

/// The status and the messages to show for an error on a form.
pub(crate) fn form_error(e: rencai_app::AppError) -> Result<(StatusCode, Vec<String>, Option<u64>), WebError> {
    let web = WebError::from(e);
    if web.status.is_server_error() {
        return Err(web);
    }
    let mut messages: Vec<String> = web.info.fields.iter().map(|f| f.message.clone()).collect();
    if messages.is_empty() {
        messages.push(web.info.message.clone());
    }
    Ok((web.status, messages, web.retry_after))
}

/// A page with a form: its status, the CSRF cookie if new, and `Retry-After` for a 429.
pub(crate) fn respond_form(
    status: StatusCode,
    csrf: &Csrf,
    retry_after: Option<u64>,
    page: &impl Template,
) -> Result<Response, WebError> {
    let mut res = render(page, false)?;
    *res.status_mut() = status;
    if let Some((k, v)) = csrf.set_cookie.clone() {
        res.headers_mut().append(k, v);
    }
    if let Some(secs) = retry_after {
        res.headers_mut().insert(header::RETRY_AFTER, secs.into());
    }
    Ok(res)
}
