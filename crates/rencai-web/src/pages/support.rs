//! `/admin/accounts`: the customer-service desk (P10, P21); `/me/profile`: correcting one's own
//! name and e-mail (P12).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::support::{self, AccountFacts};
use rencai_domain::time::beijing;

use super::{Pairs, see_other};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::session::{Csrf, CurrentStaff, CurrentUser};

#[derive(Template)]
#[template(path = "admin_accounts.html")]
struct DeskPage {
    chrome: Chrome,
    csrf: String,
    phone: String,
    reason: String,
    created: String,
    purge: Option<String>,
    found: Option<AccountFacts>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

#[allow(clippy::too_many_arguments)]
fn desk(
    state: &AppState,
    csrf: &Csrf,
    phone: String,
    reason: String,
    found: Option<AccountFacts>,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let p = DeskPage {
        chrome: Chrome::new(state, Section::None),
        csrf: csrf.token.clone(),
        phone,
        reason,
        created: found.as_ref().map(|a| beijing(a.created_at)).unwrap_or_default(),
        purge: found.as_ref().and_then(|a| a.purge_due_at).map(beijing),
        found,
        errors,
        error_title: "未能查询：",
        notice,
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn form(State(state): State<AppState>, csrf: Csrf, staff: CurrentStaff) -> Result<Response, WebError> {
    staff.0.require(&state, rencai_domain::staff::Permission::ReadPersonalData).await?;
    desk(&state, &csrf, String::new(), String::new(), None, vec![], None, StatusCode::OK)
}

/// A POST, so the phone number never appears in an address (P20).
pub async fn lookup(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let (phone, reason) = (f.get("phone"), f.get("reason"));
    match support::lookup(&state, &staff.0, &phone, &reason).await {
        Ok(found) => desk(&state, &csrf, phone, reason, Some(found), vec![], None, StatusCode::OK),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            desk(&state, &csrf, phone, reason, None, errors, None, status)
        }
    }
}

pub async fn reinstate(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    match support::reinstate(&state, &staff.0, &id, &f.get("reason")).await {
        Ok(()) => {
            desk(&state, &csrf, String::new(), String::new(), None, vec![], Some("已解除暂停。".into()), StatusCode::OK)
        }
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            desk(&state, &csrf, String::new(), String::new(), None, errors, None, status)
        }
    }
}

#[derive(Template)]
#[template(path = "my_profile.html")]
struct ProfilePage {
    chrome: Chrome,
    csrf: String,
    name: String,
    email: String,
    /// Shown for a minor's account only.
    guardian_phone: Option<String>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

async fn profile_page(
    state: &AppState,
    csrf: &Csrf,
    user: &rencai_app::auth::sessions::Authenticated,
    values: (String, String, Option<String>),
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let p = ProfilePage {
        chrome: Chrome::for_user(state, Section::Me, &user.account).await,
        csrf: csrf.token.clone(),
        name: values.0,
        email: values.1,
        guardian_phone: values.2,
        errors,
        error_title: "未能保存：",
        notice,
    };
    super::respond_form(status, csrf, None, &p)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    saved: String,
}

pub async fn profile(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> Result<Response, WebError> {
    let d = rencai_app::auth::profile::details(&state, &user.account)?;
    let notice = (!q.saved.is_empty()).then(|| "已保存。".to_string());
    profile_page(&state, &csrf, &user, (d.name, d.email, d.guardian_phone), vec![], notice, StatusCode::OK).await
}

pub async fn save_profile(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let (name, email, guardian) = (f.get("name"), f.get("email"), f.get("guardian_phone"));
    match rencai_app::auth::profile::update(&state, &user.account, &name, &email, &guardian).await {
        Ok(()) => Ok(see_other("/me/profile?saved=1")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            let guardian = (user.account.age_group == "minor").then_some(guardian);
            profile_page(&state, &csrf, &user, (name, email, guardian), errors, None, status).await
        }
    }
}
