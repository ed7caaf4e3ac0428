//! The back office: its own login (password + TOTP), its own session cookie and idle timeout,
//! and staff creation for roles that may manage staff (P10).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rencai_app::AppState;
use rencai_app::auth::{sessions, staff};
use rencai_domain::staff::{Permission, StaffRole};
use serde::Deserialize;

use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::extract::ClientIp;
use crate::session::{self, Csrf, CurrentStaff};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StaffForm {
    csrf: String,
    phone: String,
    password: String,
    totp: String,
    role: String,
}

#[derive(Template)]
#[template(path = "admin_login.html")]
struct LoginPage {
    chrome: Chrome,
    csrf: String,
    phone: String,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

pub async fn login_form(State(state): State<AppState>, csrf: Csrf) -> Result<Response, WebError> {
    let page = LoginPage {
        chrome: Chrome::new(&state, Section::None),
        csrf: csrf.token.clone(),
        phone: String::new(),
        errors: vec![],
        error_title: "",
        notice: None,
    };
    super::respond_form(StatusCode::OK, &csrf, None, &page)
}

pub async fn login(
    State(state): State<AppState>,
    csrf: Csrf,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<StaffForm>,
) -> Result<Response, WebError> {
    let device = sessions::device_label(headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or(""));
    match staff::login(&state, &form.phone, &form.password, &form.totp, ip, &device).await {
        Ok(s) => Ok((
            StatusCode::SEE_OTHER,
            [session::admin_session_cookie(&state, &s.token), (header::LOCATION, HeaderValue::from_static("/admin"))],
        )
            .into_response()),
        Err(e) => {
            let web = WebError::from(e);
            if web.status.is_server_error() {
                return Err(web);
            }
            let page = LoginPage {
                chrome: Chrome::new(&state, Section::None),
                csrf: csrf.token.clone(),
                phone: form.phone,
                errors: vec![web.info.message.clone()],
                error_title: "登录未成功：",
                notice: None,
            };
            super::respond_form(web.status, &csrf, web.retry_after, &page)
        }
    }
}

#[derive(Template)]
#[template(path = "admin_home.html")]
struct HomePage {
    chrome: Chrome,
    csrf: String,
    role_label: &'static str,
    idle_minutes: u32,
    permissions: Vec<&'static str>,
    can_manage_staff: bool,
    roles: Vec<(&'static str, &'static str)>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
    /// Operational figures (M20): (label, count).
    figures: Vec<(&'static str, u64)>,
}

pub async fn home(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentStaff(user): CurrentStaff,
) -> Result<Response, WebError> {
    let page = HomePage {
        chrome: Chrome::new(&state, Section::None),
        csrf: csrf.token.clone(),
        role_label: user.role.label(),
        idle_minutes: state.settings().auth.admin_idle_minutes,
        permissions: user.role.permissions().iter().map(|p| p.label()).collect(),
        can_manage_staff: user.role.can(Permission::ManageStaff),
        roles: StaffRole::ALL.iter().map(|r| (r.as_str(), r.label())).collect(),
        figures: rencai_app::stats::dashboard(&state).await?,
        errors: vec![],
        error_title: "",
        notice: None,
    };
    super::respond_form(StatusCode::OK, &csrf, None, &page)
}

#[derive(Template)]
#[template(path = "admin_staff_created.html")]
struct CreatedPage {
    chrome: Chrome,
    role_label: &'static str,
    secret: String,
    uri: String,
}

pub async fn create_staff(
    State(state): State<AppState>,
    CurrentStaff(user): CurrentStaff,
    Form(form): Form<StaffForm>,
) -> Result<Response, WebError> {
    user.require(&state, Permission::ManageStaff).await?;
    let role = StaffRole::parse(&form.role)
        .ok_or_else(|| WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "staff.invalid_role", "请选择一个角色。"))?;
    let created = staff::create(&state, Some(user.auth.account.id), &form.phone, &form.password, role).await?;
    let page = CreatedPage {
        chrome: Chrome::new(&state, Section::None),
        role_label: role.label(),
        uri: created.totp.otpauth_uri(&state.settings().site.name, &format!("staff-{}", created.account.public_id)),
        secret: created.totp.to_base32(),
    };
    super::render(&page, false)
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, WebError> {
    if let Some(token) = session::admin_token(&state, &headers) {
        sessions::end_by_token(&state, &token).await?;
    }
    Ok((
        StatusCode::SEE_OTHER,
        [session::clear_admin_cookie(&state), (header::LOCATION, HeaderValue::from_static("/admin/login"))],
    )
        .into_response())
}
