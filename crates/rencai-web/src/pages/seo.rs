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
        "User-agent: *\nDisallow: /api/\nDisallow: /me/\nDisallow: /company/\nDisallow: /agency/\nDisallow: /admin/\nDisallow: /resumes\nSitemap: /sitemap.xml\n",
    )
        .into_response()
}

/// URLs per sitemap file (the protocol's limit).
pub const URLS_PER_SITEMAP: u64 = 50_000;

/// The static pages every sitemap lists.
const STATIC_PAGES: &[&str] =
    &["/", "/jobs", "/today", "/nearby", "/companies", "/campus", "/quick", "/wanted", "/privacy", "/terms"];

/// How many job sitemap files `jobs` published jobs need, or None when everything fits in one
/// urlset with the static pages.
pub fn job_files(jobs: u64, per_file: u64) -> Option<u64> {
    if jobs + STATIC_PAGES.len() as u64 <= per_file { None } else { Some(jobs.div_ceil(per_file).max(1)) }
}

fn xml_response(xml: String) -> Response {
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], xml)
        .into_response()
}

fn base(state: &AppState) -> String {
    state.settings().server.public_url.clone().unwrap_or_default().trim_end_matches('/').to_string()
}

const URLSET: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";

async fn job_urls(
    state: &AppState,
    base: &str,
    offset: u64,
    limit: u64,
    xml: &mut String,
) -> Result<(), crate::WebError> {
    for (id, at) in rencai_app::market::jobs::sitemap_entries(state, offset, limit).await? {
        xml.push_str(&format!(
            "  <url><loc>{base}/jobs/{id}</loc><lastmod>{}</lastmod></url>\n",
            at.format("%Y-%m-%d")
        ));
    }
    Ok(())
}

/// The sitemap: one urlset while it fits, else a sitemap index of job files (`/sitemaps/jobs-N.xml`).
pub async fn sitemap(State(state): State<AppState>) -> Result<Response, crate::WebError> {
    let base = base(&state);
    let jobs = rencai_app::market::jobs::count_published(&state).await?;
    match job_files(jobs, URLS_PER_SITEMAP) {
        None => {
            let mut xml = String::from(URLSET);
            for path in STATIC_PAGES {
                xml.push_str(&format!("  <url><loc>{base}{path}</loc></url>\n"));
            }
            job_urls(&state, &base, 0, URLS_PER_SITEMAP, &mut xml).await?;
            xml.push_str("</urlset>\n");
            Ok(xml_response(xml))
        }
        Some(files) => {
            let mut xml = String::from(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
            );
            xml.push_str(&format!("  <sitemap><loc>{base}/sitemaps/pages.xml</loc></sitemap>\n"));
            for n in 1..=files {
                xml.push_str(&format!("  <sitemap><loc>{base}/sitemaps/jobs-{n}.xml</loc></sitemap>\n"));
            }
            xml.push_str("</sitemapindex>\n");
            Ok(xml_response(xml))
        }
    }
}

/// One file of a sitemap index: `pages.xml` or `jobs-N.xml`.
pub async fn sitemap_part(
    State(state): State<AppState>,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Result<Response, crate::WebError> {
    let base = base(&state);
    let mut xml = String::from(URLSET);
    if name == "pages.xml" {
        for path in STATIC_PAGES {
            xml.push_str(&format!("  <url><loc>{base}{path}</loc></url>\n"));
        }
    } else {
        let n = name
            .strip_prefix("jobs-")
            .and_then(|r| r.strip_suffix(".xml"))
            .and_then(|n| n.parse::<u64>().ok())
            .filter(|n| *n >= 1 && *n <= 100_000)
            .ok_or_else(|| crate::WebError::new(StatusCode::NOT_FOUND, "not_found", "页面不存在"))?;
        job_urls(&state, &base, (n - 1) * URLS_PER_SITEMAP, URLS_PER_SITEMAP, &mut xml).await?;
    }
    xml.push_str("</urlset>\n");
    Ok(xml_response(xml))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_urlset_until_the_limit_then_an_index() {
        assert_eq!(job_files(0, 100), None);
        let pages = STATIC_PAGES.len() as u64;
        assert_eq!(job_files(100 - pages, 100), None, "the jobs and the static pages fit in 100");
        assert_eq!(job_files(101 - pages, 100), Some(1));
        assert_eq!(job_files(250, 100), Some(3));
    }
}
