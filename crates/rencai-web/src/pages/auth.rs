//! Registration, login (three portals), logout, and the account page with its sessions.
//!
//! Everything works without JavaScript: asking for a code is its own form, whose answer is the
//! next step's form. Phone numbers travel in form bodies, never in URLs (P20).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use rencai_app::auth::codes::{self, CaptchaAnswer, SendRequest};
use rencai_app::auth::register::{self as reg, Portal, Proof, RegisterInput};
use rencai_app::auth::{challenge, sessions};
use rencai_app::{AppError, AppState};
use rencai_domain::account::{MinorBasis, Phone, Role};
use rencai_domain::sms::SmsPurpose;
use rencai_domain::time::beijing;
use serde::Deserialize;

use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::extract::{ClientIp, ValidQuery};
use crate::session::{self, Csrf, CurrentUser};

/// Every field any of the auth forms sends.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AuthForm {
    csrf: String,
    phone: String,
    code: String,
    password: String,
    birth_date: String,
    role: String,
    minor_basis: String,
    accept: String,
    method: String,
    captcha_id: String,
    captcha_answer: String,
    session: String,
}

pub struct CaptchaView {
    pub id: String,
    pub image: String,
}

async fn captcha_if_needed(state: &AppState, ip: std::net::IpAddr) -> Result<Option<CaptchaView>, WebError> {
    if !codes::captcha_required(state, ip).await? {
        return Ok(None);
    }
    Ok(Some(CaptchaView::issue(state).await?))
}

impl CaptchaView {
    /// A fresh challenge, its picture inlined.
    pub async fn issue(state: &AppState) -> Result<Self, WebError> {
        let (id, svg) = challenge::issue(state).await?;
        let image = format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg));
        Ok(CaptchaView { id, image })
    }
}

fn masked(phone: &str) -> String {
    Phone::parse(phone).map(|p| p.masked()).unwrap_or_default()
}

// ---- registration ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    chrome: Chrome,
    csrf: String,
    code_action: String,
    step: u8,
    phone: String,
    phone_masked: String,
    birth_date: String,
    role: String,
    captcha: Option<CaptchaView>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

impl RegisterPage {
    fn new(state: &AppState, csrf: &Csrf, step: u8) -> Self {
        Self {
            chrome: Chrome::new(state, Section::Register).anonymous(),
            csrf: csrf.token.clone(),
            code_action: "/register/code".into(),
            step,
            phone: String::new(),
            phone_masked: String::new(),
            birth_date: String::new(),
            role: "seeker".into(),
            captcha: None,
            errors: Vec::new(),
            error_title: "请检查以下内容：",
            notice: None,
        }
    }
}

pub async fn register_form(
    State(state): State<AppState>,
    csrf: Csrf,
    ClientIp(ip): ClientIp,
) -> Result<Response, WebError> {
    let mut page = RegisterPage::new(&state, &csrf, 1);
    page.captcha = captcha_if_needed(&state, ip).await?;
    super::respond_form(StatusCode::OK, &csrf, None, &page)
}

fn send_request(form: &AuthForm, purpose: SmsPurpose, ip: std::net::IpAddr) -> Result<SendRequest, AppError> {
    let phone =
        Phone::parse(&form.phone).map_err(|e| AppError::invalid_field("phone.invalid", "phone", e.to_string()))?;
    let captcha = (!form.captcha_id.is_empty())
        .then(|| CaptchaAnswer { id: form.captcha_id.clone(), answer: form.captcha_answer.clone() });
    Ok(SendRequest { phone, purpose, ip, captcha })
}

pub async fn register_code(
    State(state): State<AppState>,
    csrf: Csrf,
    ClientIp(ip): ClientIp,
    Form(form): Form<AuthForm>,
) -> Result<Response, WebError> {
    let result = match send_request(&form, SmsPurpose::Register, ip) {
        Ok(req) => codes::send(&state, req).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            let mut page = RegisterPage::new(&state, &csrf, 2);
            page.phone_masked = masked(&form.phone);
            page.phone = form.phone;
            super::respond_form(StatusCode::OK, &csrf, None, &page)
        }
        Err(e) => {
            let (status, errors, retry) = super::form_error(e)?;
            let mut page = RegisterPage::new(&state, &csrf, 1);
            page.phone = form.phone;
            page.errors = errors;
            page.captcha = captcha_if_needed(&state, ip).await?;
            super::respond_form(status, &csrf, retry, &page)
        }
    }
}

fn user_agent(headers: &HeaderMap) -> String {
    sessions::device_label(headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or(""))
}

fn signed_in(state: &AppState, token: &str, to: &'static str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [session::session_cookie(state, token), (header::LOCATION, axum::http::HeaderValue::from_static(to))],
    )
        .into_response()
}

pub async fn register(
    State(state): State<AppState>,
    csrf: Csrf,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<AuthForm>,
) -> Result<Response, WebError> {
    let role = match form.role.as_str() {
        "company" => Role::Company,
        "agency" => Role::Agency,
        _ => Role::Seeker,
    };
    let input = RegisterInput {
        phone: form.phone.clone(),
        code: form.code.clone(),
        password: form.password.clone(),
        birth_date: form.birth_date.clone(),
        role,
        minor_basis: MinorBasis::parse(&form.minor_basis),
        accepted: form.accept == "yes",
        ip,
        device: user_agent(&headers),
    };
    match reg::register(&state, input).await {
        Ok(s) => Ok(signed_in(&state, &s.token, "/me")),
        Err(e) => {
            let (status, errors, retry) = super::form_error(e)?;
            let mut page = RegisterPage::new(&state, &csrf, 2);
            page.phone_masked = masked(&form.phone);
            page.phone = form.phone;
            page.birth_date = form.birth_date;
            page.role = role.as_str().into();
            page.errors = errors;
            super::respond_form(status, &csrf, retry, &page)
        }
    }
}

// ---- login -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    csrf: String,
    code_action: String,
    portal_title: &'static str,
    base: &'static str,
    method: &'static str,
    step: u8,
    phone: String,
    phone_masked: String,
    captcha: Option<CaptchaView>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
    other_portals: Vec<(&'static str, &'static str)>,
}

const PORTALS: [(Portal, &str, &str); 3] = [
    (Portal::Seeker, "/login", "求职者登录"),
    (Portal::Company, "/company/login", "企业登录"),
    (Portal::Agency, "/agency/login", "人力资源机构登录"),
];

fn portal_info(p: Portal) -> (&'static str, &'static str) {
    PORTALS.iter().find(|(q, _, _)| *q == p).map(|(_, b, t)| (*b, *t)).unwrap_or(("/login", "登录"))
}

impl LoginPage {
    fn new(state: &AppState, csrf: &Csrf, portal: Portal, method: &'static str, step: u8) -> Self {
        let (base, title) = portal_info(portal);
        Self {
            chrome: Chrome::new(state, Section::Login).anonymous(),
            csrf: csrf.token.clone(),
            code_action: format!("{base}/code"),
            portal_title: title,
            base,
            method,
            step,
            phone: String::new(),
            phone_masked: String::new(),
            captcha: None,
            errors: Vec::new(),
            error_title: "登录未成功：",
            notice: None,
            other_portals: PORTALS.iter().filter(|(q, _, _)| *q != portal).map(|(_, b, t)| (*b, *t)).collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginQuery {
    method: Option<String>,
}

async fn login_form(
    state: AppState,
    csrf: Csrf,
    ip: std::net::IpAddr,
    portal: Portal,
    q: LoginQuery,
) -> Result<Response, WebError> {
    let code = q.method.as_deref() == Some("code");
    let mut page = LoginPage::new(&state, &csrf, portal, if code { "code" } else { "password" }, 1);
    if code {
        page.captcha = captcha_if_needed(&state, ip).await?;
    }
    super::respond_form(StatusCode::OK, &csrf, None, &page)
}

async fn login_code(
    state: AppState,
    csrf: Csrf,
    ip: std::net::IpAddr,
    portal: Portal,
    form: AuthForm,
) -> Result<Response, WebError> {
    let result = match send_request(&form, SmsPurpose::Login, ip) {
        Ok(req) => codes::send(&state, req).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            let mut page = LoginPage::new(&state, &csrf, portal, "code", 2);
            page.phone_masked = masked(&form.phone);
            page.phone = form.phone;
            super::respond_form(StatusCode::OK, &csrf, None, &page)
        }
        Err(e) => {
            let (status, errors, retry) = super::form_error(e)?;
            let mut page = LoginPage::new(&state, &csrf, portal, "code", 1);
            page.phone = form.phone;
            page.errors = errors;
            page.captcha = captcha_if_needed(&state, ip).await?;
            super::respond_form(status, &csrf, retry, &page)
        }
    }
}

async fn login(
    state: AppState,
    csrf: Csrf,
    ip: std::net::IpAddr,
    headers: HeaderMap,
    portal: Portal,
    form: AuthForm,
) -> Result<Response, WebError> {
    let (proof, method) = if form.method == "code" {
        (Proof::Code(form.code.clone()), "code")
    } else {
        (Proof::Password(form.password.clone()), "password")
    };
    match reg::login(&state, &form.phone, proof, portal, ip, &user_agent(&headers)).await {
        Ok(s) => {
            // A new session on every login; the one the browser had (if any) ends here.
            if let Some(old) = session::session_token(&state, &headers) {
                sessions::end_by_token(&state, &old).await?;
            }
            Ok(signed_in(&state, &s.token, "/me"))
        }
        Err(e) => {
            let (status, errors, retry) = super::form_error(e)?;
            let mut page = LoginPage::new(&state, &csrf, portal, method, if method == "code" { 2 } else { 1 });
            page.phone_masked = masked(&form.phone);
            page.phone = form.phone;
            page.errors = errors;
            super::respond_form(status, &csrf, retry, &page)
        }
    }
}

macro_rules! portal_handlers {
    ($form:ident, $code:ident, $login:ident, $portal:expr) => {
        pub async fn $form(
            State(state): State<AppState>,
            csrf: Csrf,
            ClientIp(ip): ClientIp,
            ValidQuery(q): ValidQuery<LoginQuery>,
        ) -> Result<Response, WebError> {
            login_form(state, csrf, ip, $portal, q).await
        }
        pub async fn $code(
            State(state): State<AppState>,
            csrf: Csrf,
            ClientIp(ip): ClientIp,
            Form(form): Form<AuthForm>,
        ) -> Result<Response, WebError> {
            login_code(state, csrf, ip, $portal, form).await
        }
        pub async fn $login(
            State(state): State<AppState>,
            csrf: Csrf,
            ClientIp(ip): ClientIp,
            headers: HeaderMap,
            Form(form): Form<AuthForm>,
        ) -> Result<Response, WebError> {
            login(state, csrf, ip, headers, $portal, form).await
        }
    };
}

portal_handlers!(seeker_login_form, seeker_login_code, seeker_login, Portal::Seeker);
portal_handlers!(company_login_form, company_login_code, company_login, Portal::Company);
portal_handlers!(agency_login_form, agency_login_code, agency_login, Portal::Agency);

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, WebError> {
    if let Some(token) = session::session_token(&state, &headers) {
        sessions::end_by_token(&state, &token).await?;
    }
    Ok((
        StatusCode::SEE_OTHER,
        [session::clear_session_cookie(&state), (header::LOCATION, axum::http::HeaderValue::from_static("/"))],
    )
        .into_response())
}

// ---- account page ------------------------------------------------------------------------

pub struct SessionView {
    pub id: String,
    pub device: String,
    pub created: String,
    pub last_seen: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "me.html")]
struct MePage {
    chrome: Chrome,
    csrf: String,
    role_label: &'static str,
    phone_masked: String,
    created: String,
    minor: bool,
    sessions: Vec<SessionView>,
    consents: Vec<String>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

pub async fn me(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
) -> Result<Response, WebError> {
    let keys = state.keys().get();
    let phone: String = user.account.phone.open(&keys, rencai_store::accounts::PHONE).map_err(AppError::internal)?;
    let sessions = sessions::list(&state, user.account.id)
        .await?
        .into_iter()
        .map(|s| SessionView {
            current: s.id == user.session.id,
            id: s.public_id,
            device: s.device,
            created: beijing(s.created_at),
            last_seen: beijing(s.last_seen_at),
        })
        .collect();
    let consents = rencai_store::auth::consents(state.db().conn(), user.account.id)
        .await
        .map_err(AppError::internal)?
        .into_iter()
        .map(|(p, t, at, _)| format!("{} 同意了隐私政策 {p} 与用户协议 {t}", beijing(at)))
        .collect();
    let page = MePage {
        chrome: Chrome::for_user(&state, Section::Me, &user.account).await,
        csrf: csrf.token.clone(),
        role_label: user.account.role.label(),
        phone_masked: Phone::parse(&phone).map(|p| p.masked()).unwrap_or_default(),
        created: beijing(user.account.created_at),
        minor: user.account.age_group == "minor",
        sessions,
        consents,
        errors: Vec::new(),
        error_title: "",
        notice: None,
    };
    super::respond_form(StatusCode::OK, &csrf, None, &page)
}

pub async fn end_session(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Form(form): Form<AuthForm>,
) -> Result<Response, WebError> {
    sessions::end(&state, user.account.id, &form.session).await?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/me")]).into_response())
}
