//! Rencai over HTTP: server-rendered pages, the JSON API under `/api/v1`, and the layers every
//! response passes through (request ids, redacted access logs, security headers, uniform
//! errors, metrics).

pub mod api;
mod assets;
mod charts;
mod chrome;
mod consent_gate;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod pages;
pub mod security;
pub mod session;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::http::{Request, StatusCode};
use rencai_app::AppState;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::WebError;

/// The header carrying the request id, set on every response and shown on error pages.
pub const REQUEST_ID: &str = "x-request-id";

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    let metrics = metrics::HttpMetrics::new();
    let settings = state.settings();
    let timeout = Duration::from_secs(settings.server.request_timeout_secs.max(1));
    let body_limit = settings.server.max_json_bytes;

    let routes = Router::new()
        .merge(pages::router())
        .merge(assets::router())
        .nest("/api/v1", api::router())
        .merge(api::docs())
        .merge(metrics::router())
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed);

    routes
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(axum::http::HeaderName::from_static(REQUEST_ID), MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|req: &Request<_>| {
                            // The route pattern, not the URL: no query strings, no ids, no
                            // personal data can reach the access log this way.
                            let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_owned());
                            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
                            tracing::info_span!("http", method = %req.method(), route = route.as_deref().unwrap_or("-"), request_id = %id)
                        })
                        .on_request(|req: &Request<_>, _span: &tracing::Span| {
                            tracing::debug!(uri = %req.uri(), "request");
                        })
                        .on_response(|res: &axum::http::Response<_>, latency: Duration, _span: &tracing::Span| {
                            tracing::info!(status = res.status().as_u16(), latency_ms = latency.as_millis() as u64, "served");
                        }),
                )
                .layer(PropagateRequestIdLayer::new(axum::http::HeaderName::from_static(REQUEST_ID)))
                .layer(axum::middleware::from_fn_with_state(state.clone(), security::headers))
                .layer(axum::middleware::from_fn_with_state(metrics.clone(), metrics::track))
                .layer(axum::middleware::from_fn_with_state(state.clone(), error::render_errors))
                .layer(CatchPanicLayer::custom(error::panic_response))
                .layer(axum::middleware::from_fn_with_state(state.clone(), extract::client_ip))
                .layer(axum::middleware::from_fn_with_state(state.clone(), session::csrf_guard))
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
                .layer(DefaultBodyLimit::max(body_limit)),
        )
        .layer(axum::Extension(metrics))
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
