//! Extractors that turn bad input into clear, stable errors instead of axum's plain-text ones.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State};
use axum::http::{StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::error::FieldError;
use serde::de::DeserializeOwned;

use crate::WebError;

/// The client's address, worked out once per request from the peer and trusted proxies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

pub async fn client_ip(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let peer =
        req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]));
    let forwarded = req.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
    let ip = state.proxies().client_ip(peer, forwarded);
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<ClientIp>()
            .copied()
            .ok_or_else(|| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "client address layer missing"))
    }
}

/// A JSON body, strictly: `Content-Type: application/json`, valid UTF-8, well-formed JSON, and
/// fields of the right names and types. Each failure has its own code; field problems list the
/// field's path.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if mime != "application/json" && !(mime.starts_with("application/") && mime.ends_with("+json")) {
            return Err(WebError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "request.unsupported_media_type",
                "请以 JSON 格式提交（Content-Type: application/json）。",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
                WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "request.too_large", "提交的内容太大了。")
            } else {
                WebError::new(StatusCode::BAD_REQUEST, "request.unreadable", "无法读取提交的内容。")
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses a JSON document with the error mapping of [`ApiJson`].
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WebError> {
    if std::str::from_utf8(bytes).is_err() {
        return Err(WebError::new(
            StatusCode::BAD_REQUEST,
            "request.invalid_utf8",
            "提交的内容不是有效的 UTF-8 文本。",
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        (path, err.into_inner())
    });
    let value = value.and_then(|v| de.end().map(|()| v).map_err(|e| (String::new(), e)));
    value.map_err(|(path, inner)| {
        use serde_json::error::Category;
        // serde's message can quote the value sent; the log writer redacts it.
        tracing::debug!(error = %inner, path = %path, "rejected JSON body");
        match inner.classify() {
            Category::Data => {
                let (field, code, message) = describe_data_error(&path, &inner.to_string());
                WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "request.invalid_fields", "提交的字段有误。")
                    .with_fields(vec![FieldError { field, code: code.into(), message }])
            }
            _ => WebError::new(
                StatusCode::BAD_REQUEST,
                "request.malformed_json",
                format!("提交的内容不是有效的 JSON（第 {} 行第 {} 列）。", inner.line(), inner.column()),
            ),
        }
    })
}

/// Turns serde's English message into a field path, a stable code and a zh-CN message. The
/// value the client sent is never echoed back (it may be a phone number or a code).
fn describe_data_error(path: &str, msg: &str) -> (String, &'static str, String) {
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_owned);
    let join = |base: &str, name: &str| {
        if base.is_empty() || base == "." {
            name.to_owned()
        } else if base == name || base.ends_with(&format!(".{name}")) {
            base.to_owned()
        } else {
            format!("{base}.{name}")
        }
    };
    if msg.starts_with("unknown field") {
        let name = quoted(msg).unwrap_or_default();
        (join(path, &name), "unknown_field", format!("不支持字段“{name}”。"))
    } else if msg.starts_with("missing field") {
        let name = quoted(msg).unwrap_or_default();
        (join(path, &name), "missing_field", "缺少必填字段。".into())
    } else if msg.starts_with("invalid type") {
        (path.to_owned(), "invalid_type", "字段类型不正确。".into())
    } else if msg.starts_with("invalid length") {
        (path.to_owned(), "invalid_length", "字段长度不正确。".into())
    } else {
        (path.to_owned(), "invalid_value", "字段取值不正确。".into())
    }
}

/// Query-string parameters with a clear error when they do not parse.
#[derive(Debug)]
pub struct ValidQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ValidQuery<T> {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        if !percent_decodes_to_utf8(query) {
            return Err(WebError::new(StatusCode::BAD_REQUEST, "request.invalid_query", "地址中的参数有误。"));
        }
        serde_urlencoded_from_str(query)
            .map(ValidQuery)
            .map_err(|_| WebError::new(StatusCode::BAD_REQUEST, "request.invalid_query", "地址中的参数有误。"))
    }
}

/// Whether every percent-encoded sequence decodes to valid UTF-8 (form decoding elsewhere
/// would silently turn bad bytes into U+FFFD).
fn percent_decodes_to_utf8(query: &str) -> bool {
    let bytes = query.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            let Some(b) = hex else { return false };
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    std::str::from_utf8(&out).is_ok()
}

fn serde_urlencoded_from_str<T: DeserializeOwned>(q: &str) -> Result<T, ()> {
    axum::extract::Query::<T>::try_from_uri(&format!("/?{q}").parse().map_err(|_| ())?).map(|x| x.0).map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Point {
        lat: f64,
        lng: f64,
    }

    fn code_of(r: Result<Point, WebError>) -> (u16, &'static str, Vec<String>) {
        let e = r.unwrap_err();
        (e.status.as_u16(), e.info.code, e.info.fields.iter().map(|f| format!("{}:{}", f.field, f.code)).collect())
    }

    #[test]
    fn each_kind_of_bad_json_has_its_code() {
        assert_eq!(code_of(parse_json(b"{\"lat\": 1,")).1, "request.malformed_json");
        assert_eq!(code_of(parse_json(b"{\"lat\": 1, \"lng\": 2} trailing")).1, "request.malformed_json");
        assert_eq!(code_of(parse_json(b"\xff\xfe")).1, "request.invalid_utf8");
        assert_eq!(
            code_of(parse_json(br#"{"lat": "x", "lng": 2}"#)),
            (422, "request.invalid_fields", vec!["lat:invalid_type".into()])
        );
        assert_eq!(
            code_of(parse_json(br#"{"lat": 1}"#)),
            (422, "request.invalid_fields", vec!["lng:missing_field".into()])
        );
        assert_eq!(
            code_of(parse_json(br#"{"lat": 1, "lng": 2, "phone": "13812345678"}"#)),
            (422, "request.invalid_fields", vec!["phone:unknown_field".into()])
        );
        let ok: Point = parse_json(br#"{"lat": 1, "lng": 2}"#).unwrap();
        assert_eq!(ok.lat, 1.0);
    }

    #[test]
    fn messages_never_echo_the_value() {
        let e = parse_json::<Point>(br#"{"lat": "13812345678", "lng": 2}"#).unwrap_err();
        assert!(!format!("{:?}", e.info).contains("13812345678"));
    }
}
