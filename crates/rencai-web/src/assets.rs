//! Static assets, compiled into the binary. URLs carry a content hash so browsers may cache
//! them for a year and still see a new version at once.

use std::sync::LazyLock;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use rencai_app::AppState;
use sha2::{Digest, Sha256};

const SITE_CSS: &str = include_str!("../static/site.css");
const FAVICON: &str = include_str!("../static/favicon.svg");
const NEARBY_JS: &str = include_str!("../static/nearby.js");
const CHAT_JS: &str = include_str!("../static/chat.js");

static CHAT_JS_HREF: LazyLock<&'static str> = LazyLock::new(|| {
    let hash = hex::encode(Sha256::digest(CHAT_JS.as_bytes()));
    Box::leak(format!("/static/chat.js?v={}", &hash[..12]).into_boxed_str())
});

/// The script of a conversation page (live messages over the page socket).
pub fn chat_js_href() -> &'static str {
    &CHAT_JS_HREF
}

static NEARBY_JS_HREF: LazyLock<&'static str> = LazyLock::new(|| {
    let hash = hex::encode(Sha256::digest(NEARBY_JS.as_bytes()));
    Box::leak(format!("/static/nearby.js?v={}", &hash[..12]).into_boxed_str())
});

/// The script of `/nearby` (asks the browser for its position when the visitor says so).
pub fn nearby_js_href() -> &'static str {
    &NEARBY_JS_HREF
}

static CSS_HREF: LazyLock<&'static str> = LazyLock::new(|| {
    let hash = hex::encode(Sha256::digest(SITE_CSS.as_bytes()));
    Box::leak(format!("/static/site.css?v={}", &hash[..12]).into_boxed_str())
});

pub fn css_href() -> &'static str {
    &CSS_HREF
}

const LONG_CACHE: &str = "public, max-age=31536000, immutable";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/static/site.css",
            get(|| async {
                ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, LONG_CACHE)], SITE_CSS)
            }),
        )
        .route(
            "/static/nearby.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, LONG_CACHE)],
                    NEARBY_JS,
                )
            }),
        )
        .route(
            "/static/chat.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, LONG_CACHE)],
                    CHAT_JS,
                )
            }),
        )
        .route("/favicon.svg", get(favicon))
        // Browsers ask for /favicon.ico on pages that name no icon (robots.txt, JSON, XML).
        .route("/favicon.ico", get(favicon))
}

async fn favicon() -> axum::response::Response {
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], FAVICON)
        .into_response()
}
