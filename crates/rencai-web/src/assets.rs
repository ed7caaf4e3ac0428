//! Static assets, compiled into the binary. URLs carry a content hash so browsers may cache
//! them for a year and still see a new version at once.

use std::sync::LazyLock;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use rencai_app::AppState;
use sha2::{Digest, Sha256};

const FAVICON: &str = include_str!("../static/favicon.svg");

/// A file served under `/static/` with its content type and body.
#[derive(Clone, Copy)]
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const JS: &str = "text/javascript; charset=utf-8";

const SITE_CSS: Asset =
    Asset { name: "site.css", content_type: "text/css; charset=utf-8", body: include_str!("../static/site.css") };
/// The script of `/nearby` (asks the browser for its position when the visitor says so).
const NEARBY_JS: Asset = Asset { name: "nearby.js", content_type: JS, body: include_str!("../static/nearby.js") };
/// The script of a conversation page (live messages over the page socket).
const CHAT_JS: Asset = Asset { name: "chat.js", content_type: JS, body: include_str!("../static/chat.js") };
/// The script of a job list: fetches the filter panel's counts when the panel opens.
const FILTERS_JS: Asset = Asset { name: "filters.js", content_type: JS, body: include_str!("../static/filters.js") };

const ASSETS: [Asset; 4] = [SITE_CSS, NEARBY_JS, CHAT_JS, FILTERS_JS];

/// `/static/{name}?v={hash}`, one per asset in [`ASSETS`] order.
static HREFS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            let hash = hex::encode(Sha256::digest(a.body.as_bytes()));
            &*Box::leak(format!("/static/{}?v={}", a.name, &hash[..12]).into_boxed_str())
        })
        .collect()
});

fn href(a: &Asset) -> &'static str {
    let i = ASSETS.iter().position(|x| x.name == a.name).expect("every asset is listed");
    HREFS[i]
}

pub fn css_href() -> &'static str {
    href(&SITE_CSS)
}

pub fn nearby_js_href() -> &'static str {
    href(&NEARBY_JS)
}

pub fn chat_js_href() -> &'static str {
    href(&CHAT_JS)
}

pub fn filters_js_href() -> &'static str {
    href(&FILTERS_JS)
}

const LONG_CACHE: &str = "public, max-age=31536000, immutable";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/site.css", get(|| serve(SITE_CSS)))
        .route("/static/nearby.js", get(|| serve(NEARBY_JS)))
        .route("/static/chat.js", get(|| serve(CHAT_JS)))
        .route("/static/filters.js", get(|| serve(FILTERS_JS)))
        .route("/favicon.svg", get(favicon))
        // Browsers ask for /favicon.ico on pages that name no icon (robots.txt, JSON, XML).
        .route("/favicon.ico", get(favicon))
}

async fn serve(a: Asset) -> axum::response::Response {
    ([(header::CONTENT_TYPE, a.content_type), (header::CACHE_CONTROL, LONG_CACHE)], a.body).into_response()
}

async fn favicon() -> axum::response::Response {
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], FAVICON)
        .into_response()
}
