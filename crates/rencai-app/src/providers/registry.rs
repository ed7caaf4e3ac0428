//! Business-registry checks (工商信息核验): is a unified social credit code registered to an
//! existing business, under which name, and may it operate?
//!
//! Two implementations: [`DevRegistry`], deterministic and offline, for development and tests
//! only; and [`Tianyancha`], the 天眼查 open API "企业基本信息" (company base information).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rencai_domain::company::CreditCode;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use serde::Deserialize;
use serde_json::Value;

use super::sms_aliyun::percent_encode;
use super::{ProviderError, check_endpoint, secret_header, transport_error};

/// What the registry knows about one business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRecord {
    /// The registered name (企业名称).
    pub name: String,
    /// The unified social credit code (统一社会信用代码), upper case.
    pub credit_code: String,
    /// The registration status as the registry words it (登记状态), e.g. `存续`, `在业`,
    /// `注销`, `存续（在营、开业、在册）`, `吊销，未注销`.
    pub status: String,
    /// Whether `status` means the business exists and may operate; see [`status_is_active`].
    pub active: bool,
    /// The legal representative (法定代表人).
    pub legal_person: Option<String>,
    /// The date of establishment (成立日期), a calendar day in China.
    pub established: Option<NaiveDate>,
    /// The registered address (注册地址).
    pub address: Option<String>,
}

pub type RegistryFuture<'a> = Pin<Box<dyn Future<Output = Result<Option<RegistryRecord>, ProviderError>> + Send + 'a>>;

/// Something that can look a business up by its credit code.
pub trait BusinessRegistry: Send + Sync + fmt::Debug {
    /// The registry's record of the business with this credit code, or `None` when it knows of
    /// none. A string that is not a valid credit code (GB 32100 check character included) gives
    /// `None` without asking anyone.
    fn lookup<'a>(&'a self, credit_code: &'a str) -> RegistryFuture<'a>;
}

/// Statuses of a business that exists and may operate. Registries word them in several ways;
/// a status counts when it starts with one of these, so `存续（在营、开业、在册）` does.
const ACTIVE_STATUSES: [&str; 7] = ["存续", "在业", "在营", "开业", "在册", "迁入", "迁出"];
/// Statuses of a business that is gone or may not operate. They win wherever they occur, so
/// `吊销，未注销` (licence revoked, not yet deregistered) is inactive.
const INACTIVE_STATUSES: [&str; 5] = ["注销", "吊销", "撤销", "停业", "清算"];

/// Whether a registration status means the business exists and may operate: `存续`, `在业`,
/// `在营`, `开业`, `在册`, `迁入` and `迁出` do; `注销`, `吊销`, `撤销`, `停业` and `清算` do
/// not, and neither does a status this list does not know (staff can look at those).
pub fn status_is_active(status: &str) -> bool {
    let status = status.trim();
    if INACTIVE_STATUSES.iter().any(|word| status.contains(word)) {
        return false;
    }
    ACTIVE_STATUSES.iter().any(|word| status.starts_with(word))
}

// ---- dev --------------------------------------------------------------------------------

/// The name of every business [`DevRegistry`] finds.
pub const DEV_COMPANY_NAME: &str = "（开发环境）未核验企业";
/// [`DevRegistry`] finds no business whose organisation code (characters 9–17 of the credit
/// code) starts with this.
pub const DEV_NOT_FOUND_ORG_PREFIX: &str = "000";

/// **Development and tests only.** Asks nobody: any valid credit code is an active business
/// named [`DEV_COMPANY_NAME`], except codes whose organisation code starts with `000`, which
/// are unknown. Passing it proves nothing about a business, so it must never serve a
/// production site.
#[derive(Debug, Clone, Copy, Default)]
pub struct DevRegistry;

impl DevRegistry {
    /// The answer [`DevRegistry`] gives, without the future.
    pub fn record(credit_code: &str) -> Option<RegistryRecord> {
        let code = CreditCode::parse(credit_code).ok()?;
        // A parsed code is 18 ASCII characters, so byte positions are character positions.
        let org_code = code.as_str().get(8..17)?;
        if org_code.starts_with(DEV_NOT_FOUND_ORG_PREFIX) {
            return None;
        }
        Some(RegistryRecord {
            name: DEV_COMPANY_NAME.to_owned(),
            credit_code: code.as_str().to_owned(),
            status: "存续".to_owned(),
            active: true,
            legal_person: None,
            established: None,
            address: None,
        })
    }
}

impl BusinessRegistry for DevRegistry {
    fn lookup<'a>(&'a self, credit_code: &'a str) -> RegistryFuture<'a> {
        let result: Result<Option<RegistryRecord>, ProviderError> = Ok(Self::record(credit_code));
        Box::pin(std::future::ready(result))
    }
}

// ---- 天眼查 -------------------------------------------------------------------------------

/// The 天眼查 open API "企业基本信息" endpoint.
pub const TIANYANCHA_ENDPOINT: &str = "https://open.api.tianyancha.com/services/open/ic/baseinfo/normal";
/// `error_code` of a successful answer.
const TYC_OK: i64 = 0;
/// `error_code` 300000 无数据: nothing is registered under the keyword.
const TYC_NO_DATA: i64 = 300000;
/// Upper bound for one lookup, connection included: a form waits on this.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const PROVIDER: &str = "tianyancha";

/// 天眼查 open API, "企业基本信息" (company base information):
///
/// - request: `GET {endpoint}?keyword=<credit code>` with the account's token as the whole
///   `Authorization` header (no scheme);
/// - answer: `{"error_code":0,"reason":"ok","result":{"name":…,"creditCode":…,"regStatus":…,
///   "legalPersonName":…,"estiblishTime":<ms since the epoch>,"regLocation":…}}` (the API's
///   own spelling of `estiblishTime`);
/// - `error_code` 300000 (无数据) is "no such business" (`Ok(None)`); every other non-zero code
///   (300001 请求失败, 300002 账号失效, 300003 账号过期, 300004 访问频率过快, 300005
///   无权限访问此api, 300006 余额不足, 300007 剩余次数不足, 300008 缺少必要参数, 300009
///   账号信息有误, 300010 URL不存在, 300011 此IP无权限访问此api, 300012 报告生成中) is
///   [`ProviderError::Rejected`] with the code and `reason`;
/// - a 5xx, an unreadable answer or no answer at all is [`ProviderError::Transport`].
///
/// `keyword` also matches company names, so only a valid credit code is ever sent, and a
/// record under another credit code than the one asked about counts as not found.
#[derive(Clone)]
pub struct Tianyancha {
    endpoint: String,
    token: HeaderValue,
    client: reqwest::Client,
}

impl fmt::Debug for Tianyancha {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tianyancha")
            .field("endpoint", &self.endpoint)
            .field("token", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl Tianyancha {
    /// Checks the configuration and builds the HTTP client (10 s timeout per request).
    /// `endpoint` is usually [`TIANYANCHA_ENDPOINT`].
    pub fn new(endpoint: impl Into<String>, token: &str) -> Result<Self, ProviderError> {
        Self::with_client_builder(endpoint.into(), token, reqwest::Client::builder())
    }

    /// Shared by `new` and the tests, which need a client that ignores proxy variables so
    /// that requests to 127.0.0.1 stay local.
    fn with_client_builder(
        endpoint: String,
        token: &str,
        builder: reqwest::ClientBuilder,
    ) -> Result<Self, ProviderError> {
        check_endpoint(PROVIDER, &endpoint)?;
        let token = secret_header(PROVIDER, "token", token.trim().to_owned())?;
        let client = builder
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|e| ProviderError::Config(format!("HTTP client cannot be built: {e}")))?;
        Ok(Self { endpoint, token, client })
    }

    /// One lookup: GET, read the answer.
    async fn fetch(&self, credit_code: &str) -> Result<Option<RegistryRecord>, ProviderError> {
        // Anything else would be searched as (part of) a company name.
        let Ok(code) = CreditCode::parse(credit_code) else {
            return Ok(None);
        };
        let url = format!("{}?keyword={}", self.endpoint, percent_encode(code.as_str()));
        let response =
            self.client.get(url).header(AUTHORIZATION, self.token.clone()).send().await.map_err(transport_error)?;
        let status = response.status().as_u16();
        let body = response.text().await.map_err(transport_error)?;
        let outcome = interpret_answer(status, &body, code.as_str());
        log_outcome(&outcome, code.as_str());
        outcome
    }
}

impl BusinessRegistry for Tianyancha {
    fn lookup<'a>(&'a self, credit_code: &'a str) -> RegistryFuture<'a> {
        Box::pin(self.fetch(credit_code))
    }
}

/// The envelope of every 天眼查 answer. `result` is read only when `error_code` is 0, so an
/// error answer with an odd `result` still yields its code.
#[derive(Debug, Deserialize)]
struct TycAnswer {
    error_code: Option<i64>,
    reason: Option<String>,
    result: Option<Value>,
}

/// The fields of "企业基本信息" we use; the answer has many more.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TycBaseInfo {
    name: Option<String>,
    credit_code: Option<String>,
    reg_status: Option<String>,
    legal_person_name: Option<String>,
    /// Milliseconds since the epoch, at midnight China time of the day of establishment.
    estiblish_time: Option<Value>,
    reg_location: Option<String>,
}

/// Maps 天眼查's answer for `queried` (a valid credit code, upper case) to our outcome.
fn interpret_answer(status: u16, body: &str, queried: &str) -> Result<Option<RegistryRecord>, ProviderError> {
    if status >= 500 {
        return Err(ProviderError::Transport(format!("HTTP {status}")));
    }
    let Ok(answer) = serde_json::from_str::<TycAnswer>(body) else {
        return Err(ProviderError::Transport(format!("HTTP {status}: answer is not 天眼查 JSON")));
    };
    let Some(error_code) = answer.error_code else {
        return Err(ProviderError::Transport(format!("HTTP {status}: answer has no error_code")));
    };
    if error_code == TYC_NO_DATA {
        return Ok(None);
    }
    if error_code != TYC_OK {
        return Err(ProviderError::Rejected {
            code: error_code.to_string(),
            message: answer.reason.unwrap_or_default().trim().to_owned(),
        });
    }
    if !(200..300).contains(&status) {
        return Err(ProviderError::Transport(format!("HTTP {status} with error_code 0")));
    }
    let Some(result) = answer.result.filter(|r| !r.is_null()) else {
        return Err(ProviderError::Transport("error_code 0 without result".to_owned()));
    };
    let info = serde_json::from_value::<TycBaseInfo>(result)
        .map_err(|e| ProviderError::Transport(format!("result is not 企业基本信息: {e}")))?;
    record_from(info, queried)
}

/// Our record from 天眼查's, if it is the business asked about.
fn record_from(info: TycBaseInfo, queried: &str) -> Result<Option<RegistryRecord>, ProviderError> {
    let credit_code = info.credit_code.as_deref().map(|c| c.trim().to_uppercase()).unwrap_or_default();
    if credit_code != queried {
        tracing::warn!(queried, answered = %credit_code, "tianyancha answered for another credit code");
        return Ok(None);
    }
    let Some(name) = non_blank(info.name) else {
        return Err(ProviderError::Transport("result has no name".to_owned()));
    };
    let status = non_blank(info.reg_status).unwrap_or_default();
    Ok(Some(RegistryRecord {
        name,
        credit_code,
        active: status_is_active(&status),
        status,
        legal_person: non_blank(info.legal_person_name),
        established: info.estiblish_time.as_ref().and_then(china_date_of_millis),
        address: non_blank(info.reg_location),
    }))
}

/// The text trimmed, or `None` when there is none.
fn non_blank(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The calendar day in China at a millisecond timestamp given as a JSON number or string.
fn china_date_of_millis(value: &Value) -> Option<NaiveDate> {
    let millis = match value {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.trim().parse::<i64>().ok()?,
        _ => return None,
    };
    DateTime::<Utc>::from_timestamp_millis(millis).map(rencai_domain::time::china_day)
}

/// One line per lookup for operations. Credit codes are public, so the code is logged.
fn log_outcome(outcome: &Result<Option<RegistryRecord>, ProviderError>, credit_code: &str) {
    match outcome {
        Ok(Some(record)) => {
            tracing::info!(credit_code, status = %record.status, active = record.active, "tianyancha found business");
        }
        Ok(None) => tracing::info!(credit_code, "tianyancha knows no such business"),
        Err(ProviderError::Rejected { code, message }) => {
            tracing::warn!(credit_code, code = %code, reason = %message, "tianyancha refused the lookup");
        }
        Err(err) => tracing::warn!(credit_code, error = %err, "tianyancha lookup failed"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use axum::Json;
    use axum::Router;
    use axum::extract::Query;
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::routing::get;
    use rencai_domain::company::credit_code_check_char;
    use serde_json::json;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A valid credit code from its first 17 characters.
    fn code(first17: &str) -> String {
        format!("{first17}{}", credit_code_check_char(first17).unwrap())
    }

    // ---- status ------------------------------------------------------------------------

    #[test]
    fn statuses() {
        for status in ["存续", "在业", "开业", "迁入", "迁出", "存续（在营、开业、在册）", " 在业 "]
        {
            assert!(status_is_active(status), "{status}");
        }
        for status in ["注销", "吊销", "撤销", "停业", "清算", "吊销，未注销", "", "其他", "正常？"]
        {
            assert!(!status_is_active(status), "{status}");
        }
    }

    // ---- dev ----------------------------------------------------------------------------

    #[tokio::test]
    async fn dev_finds_every_valid_code_but_org_000() {
        let dev = DevRegistry;
        let record = dev.lookup(" 91350100m000100y43 ").await.unwrap().unwrap();
        assert_eq!(
            record,
            RegistryRecord {
                name: DEV_COMPANY_NAME.to_owned(),
                credit_code: "91350100M000100Y43".to_owned(),
                status: "存续".to_owned(),
                active: true,
                legal_person: None,
                established: None,
                address: None,
            }
        );
        let unknown = code("91500101000123456");
        assert_eq!(unknown, "91500101000123456Y");
        assert_eq!(dev.lookup(&unknown).await, Ok(None));
        assert_eq!(dev.lookup("91350100M000100Y44").await, Ok(None), "wrong check character");
        assert_eq!(dev.lookup("not a code").await, Ok(None));
    }

    // ---- answer interpretation ---------------------------------------------------------

    const FOUND: &str = "91350100M000100Y43";

    #[test]
    fn establishment_time_is_a_day_in_china() {
        // 2000-01-01 00:00 in China is 1999-12-31 16:00 UTC.
        assert_eq!(china_date_of_millis(&json!(946_656_000_000_i64)), Some(date(2000, 1, 1)));
        assert_eq!(china_date_of_millis(&json!("1426608000000")), Some(date(2015, 3, 18)));
        assert_eq!(china_date_of_millis(&json!(-639_129_600_000_i64)), Some(date(1949, 10, 1)));
        assert_eq!(china_date_of_millis(&Value::Null), None);
        assert_eq!(china_date_of_millis(&json!("soon")), None);
    }

    #[test]
    fn a_record_for_another_code_is_not_found() {
        let body = json!({
            "error_code": 0,
            "reason": "ok",
            "result": { "name": "别家公司", "creditCode": "91110000802100433B", "regStatus": "存续" }
        });
        assert_eq!(interpret_answer(200, &body.to_string(), FOUND), Ok(None));
    }

    #[test]
    fn unreadable_answers_are_transport() {
        for (status, body) in [
            (502, "<html>Bad Gateway</html>"),
            (200, "<html></html>"),
            (200, r#"{"reason":"ok"}"#),
            (200, r#"{"error_code":0,"reason":"ok","result":null}"#),
            (200, r#"{"error_code":0,"reason":"ok","result":{"creditCode":"91350100M000100Y43"}}"#),
            (404, r#"{"error_code":0,"reason":"ok"}"#),
        ] {
            assert!(matches!(interpret_answer(status, body, FOUND), Err(ProviderError::Transport(_))), "{body}");
        }
    }

    // ---- configuration ----------------------------------------------------------------

    #[test]
    fn new_checks_endpoint_and_token() {
        assert!(matches!(Tianyancha::new(TIANYANCHA_ENDPOINT, ""), Err(ProviderError::Config(_))));
        assert!(matches!(Tianyancha::new(TIANYANCHA_ENDPOINT, "a\rb"), Err(ProviderError::Config(_))));
        assert!(matches!(Tianyancha::new("open.api.tianyancha.com", "t"), Err(ProviderError::Config(_))));
        assert!(matches!(
            Tianyancha::new(format!("{TIANYANCHA_ENDPOINT}?keyword=x"), "t"),
            Err(ProviderError::Config(_))
        ));
        assert!(Tianyancha::new(TIANYANCHA_ENDPOINT, "t").is_ok());
    }

    #[test]
    fn debug_hides_the_token() {
        let registry = Tianyancha::new(TIANYANCHA_ENDPOINT, "sup3r-t0ken").unwrap();
        let shown = format!("{registry:?}");
        assert!(!shown.contains("sup3r-t0ken"), "{shown}");
        assert!(shown.contains("open.api.tianyancha.com"), "{shown}");
    }

    // ---- end to end against a local fake 天眼查 ------------------------------------------

    const TOKEN: &str = "00000000-1111-2222-3333-444444444444";
    const PATH: &str = "/services/open/ic/baseinfo/normal";
    const NO_DATA: &str = "91110000802100433B";
    const NO_BALANCE: &str = "91440300708461136T";
    const SERVER_ERROR: &str = "91110108551385082Q";

    fn tyc_error(code: i64, reason: &str) -> Response {
        Json(json!({ "error_code": code, "reason": reason, "result": null })).into_response()
    }

    /// Checks the request the way 天眼查 does (token first), then answers by keyword.
    async fn fake_baseinfo(headers: HeaderMap, Query(query): Query<BTreeMap<String, String>>) -> Response {
        if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(TOKEN) {
            return tyc_error(300009, "账号信息有误");
        }
        let Some(keyword) = query.get("keyword").filter(|_| query.len() == 1) else {
            return tyc_error(300008, "缺少必要参数");
        };
        match keyword.as_str() {
            FOUND => Json(json!({
                "error_code": 0,
                "reason": "ok",
                "result": {
                    "id": 1234567,
                    "name": "福州示例餐饮管理有限公司",
                    "creditCode": FOUND,
                    "regNumber": "350100100012345",
                    "regStatus": "存续（在营、开业、在册）",
                    "legalPersonName": "李某",
                    "regCapital": "100万人民币",
                    "estiblishTime": 1_426_608_000_000_i64,
                    "regLocation": "福建省福州市鼓楼区示例路1号",
                    "companyOrgType": "有限责任公司(自然人投资或控股)",
                    "base": "fj"
                }
            }))
            .into_response(),
            NO_DATA => tyc_error(300000, "无数据"),
            NO_BALANCE => tyc_error(300006, "余额不足"),
            SERVER_ERROR => {
                (StatusCode::INTERNAL_SERVER_ERROR, "<html>500 Internal Server Error</html>").into_response()
            }
            _ => tyc_error(300000, "无数据"),
        }
    }

    /// Starts the fake on a free loopback port and returns its endpoint.
    async fn spawn_fake() -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().route(PATH, get(fake_baseinfo));
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        format!("http://{addr}{PATH}")
    }

    /// A client that ignores proxy environment variables, so 127.0.0.1 stays local.
    fn local_registry(endpoint: String, token: &str) -> Tianyancha {
        Tianyancha::with_client_builder(endpoint, token, reqwest::Client::builder().no_proxy()).unwrap()
    }

    #[tokio::test]
    async fn a_registered_business_is_found() {
        let registry = local_registry(spawn_fake().await, TOKEN);
        let record = registry.lookup(FOUND).await.unwrap().unwrap();
        assert_eq!(
            record,
            RegistryRecord {
                name: "福州示例餐饮管理有限公司".to_owned(),
                credit_code: FOUND.to_owned(),
                status: "存续（在营、开业、在册）".to_owned(),
                active: true,
                legal_person: Some("李某".to_owned()),
                established: Some(date(2015, 3, 18)),
                address: Some("福建省福州市鼓楼区示例路1号".to_owned()),
            }
        );
    }

    #[tokio::test]
    async fn no_data_is_none() {
        let registry = local_registry(spawn_fake().await, TOKEN);
        assert_eq!(registry.lookup(NO_DATA).await, Ok(None));
    }

    #[tokio::test]
    async fn no_balance_is_rejected() {
        let registry = local_registry(spawn_fake().await, TOKEN);
        assert_eq!(
            registry.lookup(NO_BALANCE).await,
            Err(ProviderError::Rejected { code: "300006".to_owned(), message: "余额不足".to_owned() })
        );
    }

    #[tokio::test]
    async fn a_server_error_is_transport() {
        let registry = local_registry(spawn_fake().await, TOKEN);
        assert_eq!(registry.lookup(SERVER_ERROR).await, Err(ProviderError::Transport("HTTP 500".to_owned())));
    }

    #[tokio::test]
    async fn a_wrong_token_is_rejected() {
        let registry = local_registry(spawn_fake().await, "wrong-token");
        assert_eq!(
            registry.lookup(FOUND).await,
            Err(ProviderError::Rejected { code: "300009".to_owned(), message: "账号信息有误".to_owned() })
        );
    }

    #[tokio::test]
    async fn an_invalid_code_is_never_sent() {
        // Nothing listens here: a request would be a transport error.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let registry = local_registry(format!("http://{addr}{PATH}"), TOKEN);
        assert_eq!(registry.lookup("福州示例").await, Ok(None));
        assert_eq!(registry.lookup("91350100M000100Y44").await, Ok(None));
        assert!(matches!(registry.lookup(FOUND).await, Err(ProviderError::Transport(_))));
    }
}
