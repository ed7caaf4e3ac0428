//! Liveness, robots.txt and the sitemap.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rencai_app::AppState;

/// Liveness and readiness: 200 when the database answers, 503 when it does not.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.db().ping().await {
        Ok(()) => (StatusCode::OK, axum::Json(serde_json::json!({ "status": "ok" }))).into_response(),
        Err(_) => {
            (StatusCode::SERVICE_UNAVAILABLE, axum::Json(serde_json::json!({ "status": "database_unavailable" })))
                .into_response()
        }
    }
}

pub async fn robots() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        "User-agent: *\nDisallow: /api/\nDisallow: /me/\nDisallow: /company/\nDisallow: /agency/\nDisallow: /admin/\nSitemap: /sitemap.xml\n",
    )
        .into_response()
}

/// The public pages. Later features add jobs and companies.
pub async fn sitemap(State(state): State<AppState>) -> Response {
    let base = state.settings().server.public_url.clone().unwrap_or_default();
    let base = base.trim_end_matches('/');
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in ["/", "/privacy", "/terms"] {
        xml.push_str(&format!("  <url><loc>{base}{path}</loc></url>\n"));
    }
    xml.push_str("</urlset>\n");
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], xml)
        .into_response()
}
