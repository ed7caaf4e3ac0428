//! Server-rendered pages.

mod home;
mod legal;
mod seo;

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use rencai_app::AppState;

use crate::WebError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/privacy", get(legal::privacy))
        .route("/terms", get(legal::terms))
        .route("/healthz", get(seo::healthz))
        .route("/robots.txt", get(seo::robots))
        .route("/sitemap.xml", get(seo::sitemap))
}

/// Renders a template; `public` pages (no personal data) may be cached briefly.
pub(crate) fn render(t: &impl Template, public: bool) -> Result<Response, WebError> {
    let html = t.render().map_err(|e| {
        tracing::error!(error = %e, "template failed");
        WebError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "页面渲染失败",
        )
    })?;
    let cache = if public {
        "public, max-age=60"
    } else {
        "no-store"
    };
    Ok(([(header::CACHE_CONTROL, cache)], Html(html)).into_response())
}
