//! Providers we cannot reach from here (SMS gateways, mail servers, real-name verification, the
//! business registry): one interface each, a dev implementation whose output developers and
//! tests can read, and a real implementation written to the provider's documented protocol.

pub mod email;
pub mod push;
pub mod realname;
pub mod registry;
pub mod sms;
pub mod sms_aliyun;
pub mod sms_outbox;

/// What can go wrong asking a checking provider (real-name verification, business registry).
/// Messages never carry the personal data that was asked about.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The provider refused the request (credentials, balance, rate limit, malformed input …);
    /// `code` is the provider's own.
    #[error("provider refused the request: {code}: {message}")]
    Rejected { code: String, message: String },
    /// The provider could not be reached or answered something unreadable; may be retried.
    #[error("provider unreachable or unreadable: {0}")]
    Transport(String),
    /// Our configuration is incomplete or invalid.
    #[error("provider misconfigured: {0}")]
    Config(String),
}

/// A transport failure described without the request URL (which may carry a query) and with
/// the chain of causes, which is where reqwest says what actually went wrong.
pub(crate) fn transport_error(err: reqwest::Error) -> ProviderError {
    let err = err.without_url();
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let mut detail = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = std::error::Error::source(cause);
    }
    ProviderError::Transport(format!("{kind}: {detail}"))
}

/// Refuses an endpoint that is not an http(s) URL, or that carries a query or fragment (the
/// providers add their own query).
pub(crate) fn check_endpoint(provider: &str, endpoint: &str) -> Result<(), ProviderError> {
    let scheme_ok = endpoint.starts_with("https://") || endpoint.starts_with("http://");
    if !scheme_ok || endpoint.contains(['?', '#']) || endpoint.contains(char::is_whitespace) {
        return Err(ProviderError::Config(format!(
            "{provider} endpoint must be an http(s) URL without query or fragment"
        )));
    }
    Ok(())
}

/// An `Authorization` header value built from a secret: refused when blank or not a valid
/// header value (the message names the field, never the value), and marked sensitive.
pub(crate) fn secret_header(
    provider: &str,
    field: &str,
    value: String,
) -> Result<reqwest::header::HeaderValue, ProviderError> {
    if value.trim().is_empty() {
        return Err(ProviderError::Config(format!("{provider} `{field}` is empty")));
    }
    let mut header = reqwest::header::HeaderValue::try_from(value)
        .map_err(|_| ProviderError::Config(format!("{provider} `{field}` is not a valid header value")))?;
    header.set_sensitive(true);
    Ok(header)
}

/// Provider texts are not ours; if one ever echoes what we asked about, it must not travel
/// further. Empty needles are skipped.
pub(crate) fn redact(text: &str, needles: &[&str]) -> String {
    needles.iter().filter(|n| !n.is_empty()).fold(text.to_owned(), |acc, needle| acc.replace(*needle, "***"))
}

/// The real-name verifier and business registry the settings choose. Demo mode defaults to
/// the dev implementations; production gets none unless configured (and says so when used).
#[allow(clippy::type_complexity)]
pub fn verification(
    settings: &crate::Settings,
) -> crate::AppResult<(
    Option<std::sync::Arc<dyn realname::RealNameVerifier>>,
    Option<std::sync::Arc<dyn registry::BusinessRegistry>>,
)> {
    use std::sync::Arc;
    let v = &settings.verification;
    let demo = settings.mode() == crate::config::Mode::Demo;
    let config = |e: ProviderError| crate::AppError::invalid("verification.config", e.to_string());
    let realname: Option<Arc<dyn realname::RealNameVerifier>> =
        match v.realname_provider.as_deref().or(if demo { Some("dev") } else { None }) {
            None => None,
            Some("dev") => Some(Arc::new(realname::DevRealName)),
            Some("http") => Some(Arc::new(
                realname::HttpRealName::new(v.realname_endpoint.clone(), &v.realname_appcode).map_err(config)?,
            )),
            Some(other) => {
                return Err(crate::AppError::invalid(
                    "verification.config",
                    format!("未知的实名核验服务：{other}（可选 dev、http）"),
                ));
            }
        };
    let registry: Option<Arc<dyn registry::BusinessRegistry>> =
        match v.registry_provider.as_deref().or(if demo { Some("dev") } else { None }) {
            None => None,
            Some("dev") => Some(Arc::new(registry::DevRegistry)),
            Some("tianyancha") => {
                let endpoint = if v.registry_endpoint.is_empty() {
                    registry::TIANYANCHA_ENDPOINT.to_string()
                } else {
                    v.registry_endpoint.clone()
                };
                Some(Arc::new(registry::Tianyancha::new(endpoint, &v.registry_token).map_err(config)?))
            }
            Some(other) => {
                return Err(crate::AppError::invalid(
                    "verification.config",
                    format!("未知的工商信息服务：{other}（可选 dev、tianyancha）"),
                ));
            }
        };
    Ok((realname, registry))
}
