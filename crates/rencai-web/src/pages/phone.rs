//! `/me/phone`: changing the phone number with both numbers proven (P12).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rencai_app::AppState;
use rencai_app::auth::phone::{self, CurrentProof};
use rencai_domain::account::Phone;
use serde::Deserialize;

use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::extract::ClientIp;
use crate::session::{Csrf, CurrentUser};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PhoneForm {
    csrf: String,
    new_phone: String,
    proof: String,
    password: String,
    old_code: String,
    new_code: String,
}

#[derive(Template)]
#[template(path = "phone.html")]
struct PhonePage {
    chrome: Chrome,
    csrf: String,
    step: u8,
    new_phone: String,
    new_masked: String,
    current_masked: String,
    proof: String,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

fn page(
    state: &AppState,
    csrf: &Csrf,
    user: &rencai_app::auth::sessions::Authenticated,
    step: u8,
    form: &PhoneForm,
) -> PhonePage {
    let current: String =
        user.account.phone.open(&state.keys().get(), rencai_store::accounts::PHONE).unwrap_or_default();
    PhonePage {
        chrome: Chrome::new(state, Section::Me).for_account(Some(&user.account)),
        csrf: csrf.token.clone(),
        step,
        new_phone: form.new_phone.clone(),
        new_masked: Phone::parse(&form.new_phone).map(|p| p.masked()).unwrap_or_default(),
        current_masked: Phone::parse(&current).map(|p| p.masked()).unwrap_or_default(),
        proof: if form.proof == "code" { "code".into() } else { "password".into() },
        errors: Vec::new(),
        error_title: "未能更换：",
        notice: None,
    }
}

pub async fn form(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
) -> Result<Response, WebError> {
    super::respond_form(StatusCode::OK, &csrf, None, &page(&state, &csrf, &user, 1, &PhoneForm::default()))
}

pub async fn codes(
    State(state): State<AppState>,
    csrf: Csrf,
    ClientIp(ip): ClientIp,
    CurrentUser(user): CurrentUser,
    Form(form): Form<PhoneForm>,
) -> Result<Response, WebError> {
    match phone::send_codes(&state, &user.account, &form.new_phone, form.proof != "code", ip).await {
        Ok(()) => super::respond_form(StatusCode::OK, &csrf, None, &page(&state, &csrf, &user, 2, &form)),
        Err(e) => {
            let (status, errors, retry) = super::form_error(e)?;
            let mut p = page(&state, &csrf, &user, 1, &form);
            p.errors = errors;
            super::respond_form(status, &csrf, retry, &p)
        }
    }
}

pub async fn change(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Form(form): Form<PhoneForm>,
) -> Result<Response, WebError> {
    let proof = if form.proof == "code" {
        CurrentProof::Code(form.old_code.clone())
    } else {
        CurrentProof::Password(form.password.clone())
    };
    match phone::change(&state, &user.account, proof, &form.new_phone, &form.new_code).await {
        Ok(()) => Ok((StatusCode::SEE_OTHER, [(header::LOCATION, "/me")]).into_response()),
        Err(e) => {
            let (status, errors, retry) = super::form_error(e)?;
            let mut p = page(&state, &csrf, &user, 2, &form);
            p.errors = errors;
            super::respond_form(status, &csrf, retry, &p)
        }
    }
}
