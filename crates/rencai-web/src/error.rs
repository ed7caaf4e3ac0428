//! Uniform errors. Handlers return [`WebError`], which carries the stable code and message in a
//! response extension. One middleware ([`render_errors`]) turns every error response — ours,
//! axum's own rejections, timeouts, panics — into a problem+json document under `/api/` and a
//! friendly zh-CN page elsewhere, keeping the request id so a user can quote it.

use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rencai_app::AppError;
use rencai_app::AppState;
use rencai_app::error::FieldError;
use serde::Serialize;

use crate::REQUEST_ID;
use crate::chrome::{Chrome, Section};

/// What an error response means, attached to the response until it is rendered.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<FieldError>,
}

/// An error as a handler returns it.
#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub info: ErrorInfo,
    /// Seconds for a `Retry-After` header (429 answers).
    pub retry_after: Option<u64>,
}

impl WebError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, info: ErrorInfo { code, message: message.into(), fields: Vec::new() }, retry_after: None }
    }

    pub fn with_fields(mut self, fields: Vec<FieldError>) -> Self {
        self.info.fields = fields;
        self
    }

    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        let code = e.code();
        match e {
            AppError::Validation { message, fields, .. } => {
                WebError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message).with_fields(fields)
            }
            AppError::NotFound { .. } => WebError::new(StatusCode::NOT_FOUND, code, e.to_string()),
            AppError::Conflict { ref message, field, .. } => {
                let message = message.clone();
                WebError::new(StatusCode::CONFLICT, code, message.clone()).with_fields(vec![FieldError {
                    field: field.into(),
                    code: code.into(),
                    message,
                }])
            }
            AppError::Unavailable { .. } => WebError::new(StatusCode::SERVICE_UNAVAILABLE, code, e.to_string()),
            AppError::RateLimited { message, retry_after_secs, .. } => {
                let mut w = WebError::new(StatusCode::TOO_MANY_REQUESTS, code, message);
                w.retry_after = Some(retry_after_secs);
                w
            }
            AppError::Unauthorized { message, .. } => WebError::new(StatusCode::UNAUTHORIZED, code, message),
            AppError::Forbidden { message, .. } => WebError::new(StatusCode::FORBIDDEN, code, message),
            AppError::Internal(cause) => {
                // The cause goes to the log (redacted, with the request id from the span); the
                // user gets only the request id.
                tracing::error!(error = %cause, "internal error");
                generic(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let mut res = self.status.into_response();
        if let Some(secs) = self.retry_after {
            res.headers_mut().insert(header::RETRY_AFTER, secs.into());
        }
        res.extensions_mut().insert(self.info);
        res
    }
}

/// The code and message for an error response that came without our own.
fn generic(status: StatusCode) -> WebError {
    let (code, message) = match status.as_u16() {
        400 => ("request.bad_request", "请求的格式不正确。"),
        401 => ("auth.required", "请先登录。"),
        403 => ("auth.forbidden", "你没有权限访问这里。"),
        404 => ("route.not_found", "你要找的页面不存在，可能已被删除或地址有误。"),
        405 => ("request.method_not_allowed", "不支持这种请求方式。"),
        408 => ("request.timeout", "请求处理超时，请稍后重试。"),
        413 => ("request.too_large", "提交的内容太大了。"),
        415 => ("request.unsupported_media_type", "请以 JSON 格式提交（Content-Type: application/json）。"),
        422 => ("request.invalid", "提交的内容有误。"),
        429 => ("request.rate_limited", "操作太频繁，请稍后再试。"),
        503 => ("unavailable", "服务暂时不可用，请稍后再试。"),
        _ if status.is_server_error() => ("internal", "服务器开小差了，我们已记录这个问题，请稍后再试。"),
        _ => ("request.error", "请求未能完成。"),
    };
    WebError::new(status, code, message)
}

fn heading(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 422 => "请求有误",
        401 => "需要登录",
        403 => "没有权限",
        404 => "页面不存在",
        405 => "请求方式不对",
        408 => "请求超时",
        413 => "内容太大",
        415 => "格式不支持",
        429 => "操作太频繁",
        503 => "暂停服务",
        _ if status.is_server_error() => "出错了",
        _ => "请求未完成",
    }
}

pub async fn not_found() -> WebError {
    generic(StatusCode::NOT_FOUND)
}

pub async fn method_not_allowed() -> WebError {
    generic(StatusCode::METHOD_NOT_ALLOWED)
}

pub fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    // The panic message may quote data; it is not logged here (the panic hook already printed
    // it through the redacting writer) and never sent.
    tracing::error!("handler panicked");
    generic(StatusCode::INTERNAL_SERVER_ERROR).into_response()
}

/// RFC 9457 problem details with our stable code.
#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    code: &'a str,
    detail: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [FieldError],
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    status: u16,
    heading: &'static str,
    message: &'a str,
    request_id: Option<&'a str>,
}

/// Renders every error response in the shape its client expects.
pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let request_id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let content_type = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    // Our own pages, and JSON a handler deliberately sends outside the API (the health check),
    // pass as they are; everything else is rendered in the shape its client expects.
    if (is_api && content_type.starts_with("application/problem+json"))
        || (!is_api && (content_type.starts_with("text/html") || content_type.starts_with("application/json")))
    {
        return res;
    }
    let (mut parts, _body) = res.into_parts();
    let info = parts.extensions.remove::<ErrorInfo>().unwrap_or_else(|| generic(status).info);
    parts.headers.remove(header::CONTENT_LENGTH);
    let (content_type, body) = if is_api {
        let problem = Problem {
            kind: "about:blank",
            title: heading(status),
            status: status.as_u16(),
            code: info.code,
            detail: &info.message,
            errors: &info.fields,
            request_id: request_id.as_deref(),
        };
        ("application/problem+json", serde_json::to_string(&problem).unwrap_or_default())
    } else {
        let page = ErrorPage {
            chrome: Chrome::new(&state, Section::None),
            status: status.as_u16(),
            heading: heading(status),
            message: &info.message,
            request_id: request_id.as_deref(),
        };
        let html =
            page.render().unwrap_or_else(|_| format!("<!doctype html><title>{0}</title><h1>{0}</h1>", status.as_u16()));
        ("text/html; charset=utf-8", html)
    };
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Error pages are never cached: the next try may well succeed.
    parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(parts, Body::from(body))
}
