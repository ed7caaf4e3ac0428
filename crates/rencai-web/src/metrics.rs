//! Prometheus metrics at `/metrics`: request counts and latencies by route pattern (never by
//! URL, so no ids or personal data become label values), the delivery queue by state, and
//! uptime. Served only to the addresses in `metrics_from` (loopback by default).

use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use rencai_app::AppState;

use crate::WebError;
use crate::extract::ClientIp;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: String,
}

/// The HTTP metrics of one router.
#[derive(Clone)]
pub struct HttpMetrics {
    requests: Family<RouteLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
}

impl Default for HttpMetrics {
    fn default() -> Self {
        Self::new()
    }
}

impl HttpMetrics {
    pub fn new() -> Self {
        fn histogram() -> Histogram {
            Histogram::new(exponential_buckets(0.0005, 2.0, 16))
        }
        Self { requests: Family::default(), latency: Family::new_with_constructor(histogram as fn() -> Histogram) }
    }
}

pub async fn track(State(m): State<HttpMetrics>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().as_str().to_owned();
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "unmatched".into());
    let res = next.run(req).await;
    let labels = RouteLabels { method, route, status: res.status().as_u16() };
    m.requests.get_or_create(&labels).inc();
    m.latency.get_or_create(&labels).observe(start.elapsed().as_secs_f64());
    res
}

pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(scrape))
}

fn allowed(ip: std::net::IpAddr) -> bool {
    ip.is_loopback()
}

async fn scrape(
    State(state): State<AppState>,
    axum::Extension(m): axum::Extension<HttpMetrics>,
    ClientIp(ip): ClientIp,
) -> Result<Response, WebError> {
    if !allowed(ip) {
        return Err(WebError::new(StatusCode::FORBIDDEN, "auth.forbidden", "指标仅对内网开放。"));
    }
    let mut registry = Registry::with_prefix("rencai");
    registry.register("http_requests", "HTTP requests by route pattern and status", m.requests.clone());
    registry.register("http_request_duration_seconds", "HTTP request latency by route pattern", m.latency.clone());
    let queue: Family<StateLabels, Gauge> = Family::default();
    let db_up = Gauge::<i64>::default();
    match rencai_store::delivery::counts(state.db().conn()).await {
        Ok(counts) => {
            db_up.set(1);
            for (s, n) in counts {
                queue.get_or_create(&StateLabels { state: s }).set(n);
            }
        }
        Err(_) => {
            db_up.set(0);
        }
    }
    registry.register("delivery_jobs", "Delivery queue jobs by state", queue);
    registry.register("database_up", "Whether the database answered the last scrape", db_up);
    let uptime = Gauge::<i64>::default();
    uptime.set((state.now() - state.started_at()).num_seconds());
    registry.register("uptime_seconds", "Seconds since this node started", uptime);
    let mut body = String::new();
    encode(&mut body, &registry)
        .map_err(|_| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "metrics encoding failed"))?;
    Ok(([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], body).into_response())
}
