//! Real-name verification (实名认证): does this name belong to this resident identity card
//! number? Recruiters pass it before they act for a company.
//!
//! Two implementations: [`DevRealName`], deterministic and offline, for development and tests
//! only; and [`HttpRealName`], a JSON-over-HTTP client for the "身份证二要素" (name + ID number)
//! checks sold on Alibaba Cloud API Marketplace (阿里云云市场) and similar marketplaces.
//!
//! The name and the number are only ever placed in the request body; they never appear in an
//! error, a log line or a `Debug` output of this module.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use rencai_domain::identity::IdNumber;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use serde::Serialize;
use serde_json::Value;

use super::{ProviderError, check_endpoint, redact, secret_header, transport_error};

/// What the authority's records say about a name and a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RealNameOutcome {
    /// The name and the number belong together (一致).
    Match,
    /// The number exists, under another name (不一致).
    Mismatch,
    /// There is no record of the number (无记录).
    NotFound,
}

impl RealNameOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            RealNameOutcome::Match => "match",
            RealNameOutcome::Mismatch => "mismatch",
            RealNameOutcome::NotFound => "not_found",
        }
    }
}

pub type RealNameFuture<'a> = Pin<Box<dyn Future<Output = Result<RealNameOutcome, ProviderError>> + Send + 'a>>;

/// Something that can check a name against an identity card number.
pub trait RealNameVerifier: Send + Sync + fmt::Debug {
    fn verify<'a>(&'a self, name: &'a str, id: &'a IdNumber) -> RealNameFuture<'a>;
}

// ---- dev --------------------------------------------------------------------------------

/// A name containing this gives [`RealNameOutcome::Mismatch`] from [`DevRealName`].
pub const DEV_MISMATCH_MARKER: &str = "不符";
/// A number with this sequence (positions 15–17) gives [`RealNameOutcome::NotFound`] from
/// [`DevRealName`].
pub const DEV_NOT_FOUND_SEQUENCE: &str = "999";

/// **Development and tests only.** Asks nobody: every check is a [`RealNameOutcome::Match`],
/// except a number whose sequence is `999` ([`RealNameOutcome::NotFound`], which wins) and a
/// name containing `不符` ([`RealNameOutcome::Mismatch`]). Passing it proves nothing about a
/// person, so it must never serve a production site.
#[derive(Debug, Clone, Copy, Default)]
pub struct DevRealName;

impl DevRealName {
    /// The answer [`DevRealName`] gives, without the future.
    pub fn outcome(name: &str, id: &IdNumber) -> RealNameOutcome {
        if id.sequence() == DEV_NOT_FOUND_SEQUENCE {
            RealNameOutcome::NotFound
        } else if name.contains(DEV_MISMATCH_MARKER) {
            RealNameOutcome::Mismatch
        } else {
            RealNameOutcome::Match
        }
    }
}

impl RealNameVerifier for DevRealName {
    fn verify<'a>(&'a self, name: &'a str, id: &'a IdNumber) -> RealNameFuture<'a> {
        let result: Result<RealNameOutcome, ProviderError> = Ok(Self::outcome(name, id));
        Box::pin(std::future::ready(result))
    }
}

// ---- generic marketplace JSON API -------------------------------------------------------

/// The scheme of Alibaba Cloud API Marketplace's simple authentication: the header is
/// `Authorization: APPCODE <AppCode>`.
pub const APPCODE_SCHEME: &str = "APPCODE";
/// The `code` of an answer that carries a result.
const SUCCESS_CODE: &str = "0";
/// Where Alibaba Cloud's API gateway explains a refusal it makes itself (wrong AppCode,
/// exhausted quota), with an empty body.
const GATEWAY_ERROR_HEADER: &str = "x-ca-error-message";
/// Upper bound for one check, connection included: a form waits on this.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const PROVIDER: &str = "real-name";

/// A "身份证二要素" check over JSON:
///
/// - request: `POST {endpoint}` with `Authorization: APPCODE <appcode>` and the body
///   `{"name":"张三","idCard":"500101199003071236"}`;
/// - answer: `{"code":"0","message":"成功","result":{"res":"1"}}`, where `res` is `1` 一致
///   ([`RealNameOutcome::Match`]), `2` 不一致 ([`RealNameOutcome::Mismatch`]) or `3` 无记录
///   ([`RealNameOutcome::NotFound`]). `code` and `res` may also be JSON numbers.
///
/// The field names follow the schema common to the marketplace's 身份证二要素 APIs, but each
/// vendor words it a little differently (`idcard` / `idCard`, form or JSON body, `res` /
/// `result`): check them against the chosen vendor's documentation before going live.
///
/// A `code` other than `0`, or a 4xx answer (the gateway's own refusals come as 4xx with an
/// `X-Ca-Error-Message` header), is [`ProviderError::Rejected`]; a 5xx, an unreadable answer
/// or no answer at all is [`ProviderError::Transport`].
#[derive(Clone)]
pub struct HttpRealName {
    endpoint: String,
    authorization: HeaderValue,
    client: reqwest::Client,
}

impl fmt::Debug for HttpRealName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRealName")
            .field("endpoint", &self.endpoint)
            .field("appcode", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// The request body.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckRequest<'a> {
    name: &'a str,
    id_card: &'a str,
}

impl HttpRealName {
    /// Checks the configuration and builds the HTTP client (10 s timeout per request).
    pub fn new(endpoint: impl Into<String>, appcode: &str) -> Result<Self, ProviderError> {
        Self::with_client_builder(endpoint.into(), appcode, reqwest::Client::builder())
    }

    /// Shared by `new` and the tests, which need a client that ignores proxy variables so
    /// that requests to 127.0.0.1 stay local.
    fn with_client_builder(
        endpoint: String,
        appcode: &str,
        builder: reqwest::ClientBuilder,
    ) -> Result<Self, ProviderError> {
        check_endpoint(PROVIDER, &endpoint)?;
        let appcode = appcode.trim();
        if appcode.is_empty() {
            return Err(ProviderError::Config(format!("{PROVIDER} `appcode` is empty")));
        }
        let authorization = secret_header(PROVIDER, "appcode", format!("{APPCODE_SCHEME} {appcode}"))?;
        let client = builder
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| ProviderError::Config(format!("HTTP client cannot be built: {e}")))?;
        Ok(Self { endpoint, authorization, client })
    }

    /// One check: POST, read the answer.
    async fn check(&self, name: &str, id: &IdNumber) -> Result<RealNameOutcome, ProviderError> {
        let request = CheckRequest { name, id_card: id.as_str() };
        let response = self
            .client
            .post(self.endpoint.as_str())
            .header(AUTHORIZATION, self.authorization.clone())
            .json(&request)
            .send()
            .await
            .map_err(transport_error)?;
        let status = response.status().as_u16();
        let gateway_message =
            response.headers().get(GATEWAY_ERROR_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = response.text().await.map_err(transport_error)?;
        let outcome = interpret_answer(status, gateway_message.as_deref(), &body, &[name, id.as_str()]);
        log_outcome(&outcome);
        outcome
    }
}

impl RealNameVerifier for HttpRealName {
    fn verify<'a>(&'a self, name: &'a str, id: &'a IdNumber) -> RealNameFuture<'a> {
        Box::pin(self.check(name, id))
    }
}

/// A string or number at `pointer`, as text.
fn text_at(value: &Value, pointer: &str) -> Option<String> {
    match value.pointer(pointer)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Maps the answer to an outcome. `personal` (the name and the number) is cut out of any
/// provider text that travels on.
fn interpret_answer(
    status: u16,
    gateway_message: Option<&str>,
    body: &str,
    personal: &[&str],
) -> Result<RealNameOutcome, ProviderError> {
    if status >= 500 {
        return Err(ProviderError::Transport(format!("HTTP {status}")));
    }
    let answer = serde_json::from_str::<Value>(body).ok();
    let code = answer.as_ref().and_then(|a| text_at(a, "/code"));
    let message = answer
        .as_ref()
        .and_then(|a| text_at(a, "/message").or_else(|| text_at(a, "/msg")))
        .or_else(|| gateway_message.map(str::to_owned))
        .unwrap_or_default();
    let message = redact(message.trim(), personal);
    if !(200..300).contains(&status) {
        let code = code.filter(|c| c.as_str() != SUCCESS_CODE).unwrap_or_else(|| format!("HTTP {status}"));
        return Err(ProviderError::Rejected { code: redact(&code, personal), message });
    }
    let Some(answer) = answer else {
        return Err(ProviderError::Transport(format!("HTTP {status}: answer is not JSON")));
    };
    let Some(code) = code else {
        return Err(ProviderError::Transport(format!("HTTP {status}: answer has no code")));
    };
    if code != SUCCESS_CODE {
        return Err(ProviderError::Rejected { code: redact(&code, personal), message });
    }
    match text_at(&answer, "/result/res").as_deref() {
        Some("1") => Ok(RealNameOutcome::Match),
        Some("2") => Ok(RealNameOutcome::Mismatch),
        Some("3") => Ok(RealNameOutcome::NotFound),
        Some(other) => Err(ProviderError::Transport(format!("unexpected result.res {:?}", redact(other, personal)))),
        None => Err(ProviderError::Transport("answer has no result.res".to_owned())),
    }
}

/// One line per check for operations: the outcome, never the name or the number.
fn log_outcome(outcome: &Result<RealNameOutcome, ProviderError>) {
    match outcome {
        Ok(answer) => tracing::info!(outcome = answer.as_str(), "real-name check answered"),
        Err(ProviderError::Rejected { code, .. }) => {
            tracing::warn!(code = %code, "real-name provider refused the check");
        }
        Err(err) => tracing::warn!(error = %err, "real-name check failed"),
    }
}

#[cfg(test)]
mod tests {
    use axum::Json;
    use axum::Router;
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::routing::post;
    use chrono::NaiveDate;
    use rencai_domain::identity::id_check_char;
    use serde_json::json;

    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
    }

    /// A valid number from its first 17 digits.
    fn id(first17: &str) -> IdNumber {
        let check = id_check_char(first17).unwrap();
        IdNumber::parse(&format!("{first17}{check}"), today()).unwrap()
    }

    const ID: &str = "500101199003071236";

    // ---- dev ----------------------------------------------------------------------------

    #[tokio::test]
    async fn dev_matches_unless_told_otherwise() {
        let dev = DevRealName;
        let ordinary = id("50010119900307123");
        assert_eq!(ordinary.as_str(), ID);
        assert_eq!(dev.verify("张三", &ordinary).await, Ok(RealNameOutcome::Match));
        assert_eq!(dev.verify("李不符", &ordinary).await, Ok(RealNameOutcome::Mismatch));
        let unknown = id("50010119900307999");
        assert_eq!(unknown.sequence(), DEV_NOT_FOUND_SEQUENCE);
        assert_eq!(dev.verify("张三", &unknown).await, Ok(RealNameOutcome::NotFound));
        assert_eq!(dev.verify("李不符", &unknown).await, Ok(RealNameOutcome::NotFound), "no record wins");
    }

    // ---- answer interpretation ---------------------------------------------------------

    #[test]
    fn res_codes_map_to_outcomes() {
        let answer = |res: &str| format!(r#"{{"code":"0","message":"成功","result":{{"res":"{res}"}}}}"#);
        assert_eq!(interpret_answer(200, None, &answer("1"), &[]), Ok(RealNameOutcome::Match));
        assert_eq!(interpret_answer(200, None, &answer("2"), &[]), Ok(RealNameOutcome::Mismatch));
        assert_eq!(interpret_answer(200, None, &answer("3"), &[]), Ok(RealNameOutcome::NotFound));
        assert!(matches!(interpret_answer(200, None, &answer("9"), &[]), Err(ProviderError::Transport(_))));
        // Some vendors send numbers.
        assert_eq!(interpret_answer(200, None, r#"{"code":0,"result":{"res":2}}"#, &[]), Ok(RealNameOutcome::Mismatch));
    }

    #[test]
    fn refusals_are_rejected_and_redacted() {
        let body = format!(r#"{{"code":"400","message":"身份证号{ID}格式错误"}}"#);
        assert_eq!(
            interpret_answer(200, None, &body, &["张三", ID]),
            Err(ProviderError::Rejected { code: "400".to_owned(), message: "身份证号***格式错误".to_owned() })
        );
        assert_eq!(
            interpret_answer(403, Some("Quota Exhausted"), "", &[]),
            Err(ProviderError::Rejected { code: "HTTP 403".to_owned(), message: "Quota Exhausted".to_owned() })
        );
    }

    #[test]
    fn unreadable_or_server_failures_are_transport() {
        assert!(matches!(
            interpret_answer(502, None, "<html>Bad Gateway</html>", &[]),
            Err(ProviderError::Transport(_))
        ));
        assert!(matches!(interpret_answer(500, None, r#"{"code":"500"}"#, &[]), Err(ProviderError::Transport(_))));
        assert!(matches!(interpret_answer(200, None, "<html></html>", &[]), Err(ProviderError::Transport(_))));
        assert!(matches!(
            interpret_answer(200, None, r#"{"result":{"res":"1"}}"#, &[]),
            Err(ProviderError::Transport(_))
        ));
        assert!(matches!(interpret_answer(200, None, r#"{"code":"0"}"#, &[]), Err(ProviderError::Transport(_))));
    }

    // ---- configuration ----------------------------------------------------------------

    #[test]
    fn new_checks_endpoint_and_appcode() {
        assert!(matches!(HttpRealName::new("https://idcard.example.com/check", " "), Err(ProviderError::Config(_))));
        assert!(matches!(HttpRealName::new("idcard.example.com/check", "abc"), Err(ProviderError::Config(_))));
        assert!(matches!(
            HttpRealName::new("https://idcard.example.com/check?x=1", "abc"),
            Err(ProviderError::Config(_))
        ));
        assert!(matches!(HttpRealName::new("https://idcard.example.com/check", "a\nb"), Err(ProviderError::Config(_))));
        assert!(HttpRealName::new("https://idcard.example.com/check", "abc").is_ok());
    }

    #[test]
    fn debug_hides_the_appcode() {
        let verifier = HttpRealName::new("https://idcard.example.com/check", "sup3r-s3cret").unwrap();
        let shown = format!("{verifier:?}");
        assert!(!shown.contains("sup3r-s3cret"), "{shown}");
        assert!(shown.contains("idcard.example.com"), "{shown}");
    }

    // ---- end to end against a local fake marketplace API ------------------------------

    const APPCODE: &str = "0123456789abcdef0123456789abcdef";
    const PATH: &str = "/idcard/check";

    fn business(code: &str, message: &str, res: Option<&str>) -> Response {
        let mut answer = json!({ "code": code, "message": message });
        if let Some(res) = res {
            // Vendors echo the person back; we never read it.
            answer["result"] = json!({ "name": "张三", "idcard": ID, "res": res, "description": message });
        }
        (StatusCode::OK, Json(answer)).into_response()
    }

    /// Checks the request the way the gateway does (AppCode first), then the body; answers
    /// by the name asked about.
    async fn fake_check(headers: HeaderMap, Json(body): Json<Value>) -> Response {
        let expected_authorization = format!("APPCODE {APPCODE}");
        if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected_authorization.as_str()) {
            return (StatusCode::UNAUTHORIZED, [("x-ca-error-message", "Invalid AppCode `not exists`")])
                .into_response();
        }
        let json_body = headers.get("content-type").and_then(|v| v.to_str().ok()) == Some("application/json");
        let fields = body.as_object().map(|o| o.len());
        if !json_body || fields != Some(2) || body["idCard"] != json!(ID) {
            return business("400", "参数错误", None);
        }
        match body["name"].as_str() {
            Some("张三") => business("0", "一致", Some("1")),
            Some("李四") => business("0", "不一致", Some("2")),
            Some("王五") => business("0", "无记录", Some("3")),
            Some("赵六") => (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response(),
            _ => business("400", "参数错误", None),
        }
    }

    /// Starts the fake on a free loopback port and returns its endpoint.
    async fn spawn_fake() -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().route(PATH, post(fake_check));
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        format!("http://{addr}{PATH}")
    }

    /// A verifier whose client ignores proxy environment variables, so 127.0.0.1 stays local.
    fn local_verifier(endpoint: String, appcode: &str) -> HttpRealName {
        HttpRealName::with_client_builder(endpoint, appcode, reqwest::Client::builder().no_proxy()).unwrap()
    }

    #[tokio::test]
    async fn each_res_code_is_an_outcome() {
        let verifier = local_verifier(spawn_fake().await, APPCODE);
        let id = IdNumber::parse(ID, today()).unwrap();
        assert_eq!(verifier.verify("张三", &id).await, Ok(RealNameOutcome::Match));
        assert_eq!(verifier.verify("李四", &id).await, Ok(RealNameOutcome::Mismatch));
        assert_eq!(verifier.verify("王五", &id).await, Ok(RealNameOutcome::NotFound));
    }

    #[tokio::test]
    async fn a_bad_request_is_rejected() {
        let verifier = local_verifier(spawn_fake().await, APPCODE);
        let other = IdNumber::parse("11010519491231002X", today()).unwrap();
        assert_eq!(
            verifier.verify("张三", &other).await,
            Err(ProviderError::Rejected { code: "400".to_owned(), message: "参数错误".to_owned() })
        );
    }

    #[tokio::test]
    async fn a_server_error_is_transport() {
        let verifier = local_verifier(spawn_fake().await, APPCODE);
        let id = IdNumber::parse(ID, today()).unwrap();
        let err = verifier.verify("赵六", &id).await.unwrap_err();
        assert_eq!(err, ProviderError::Transport("HTTP 500".to_owned()));
    }

    #[tokio::test]
    async fn a_wrong_appcode_is_rejected_by_the_gateway() {
        let verifier = local_verifier(spawn_fake().await, "wrong-appcode");
        let id = IdNumber::parse(ID, today()).unwrap();
        let err = verifier.verify("张三", &id).await.unwrap_err();
        assert_eq!(
            err,
            ProviderError::Rejected { code: "HTTP 401".to_owned(), message: "Invalid AppCode `not exists`".to_owned() }
        );
        assert!(!err.to_string().contains(ID));
    }

    #[tokio::test]
    async fn closed_port_is_a_transport_error() {
        // Port 1 (tcpmux): nothing listens there, and unlike a port bound and dropped, the
        // system never hands it to a test running beside this one.
        let addr = "127.0.0.1:1";
        let verifier = local_verifier(format!("http://{addr}{PATH}"), APPCODE);
        let id = IdNumber::parse(ID, today()).unwrap();
        let err = verifier.verify("张三", &id).await.unwrap_err();
        assert!(matches!(err, ProviderError::Transport(_)), "got {err:?}");
        let shown = err.to_string();
        assert!(!shown.contains(ID) && !shown.contains("张三"), "personal data leaked: {shown}");
    }
}
