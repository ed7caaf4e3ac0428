//! `/admin/templates`: staff edit the wording of notices (minijinja, checked before saving).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::notice_templates::{self, Editable};

use super::{Pairs, see_other};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::session::{Csrf, CurrentStaff};

#[derive(Template)]
#[template(path = "admin_templates.html")]
struct Page {
    chrome: Chrome,
    csrf: String,
    items: Vec<Editable>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

async fn page(
    state: &AppState,
    csrf: &Csrf,
    staff: &CurrentStaff,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let p = Page {
        chrome: Chrome::new(state, Section::None),
        csrf: csrf.token.clone(),
        items: notice_templates::list(state, &staff.0).await?,
        errors,
        error_title: "未能保存：",
        notice: None,
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn show(State(state): State<AppState>, csrf: Csrf, staff: CurrentStaff) -> Result<Response, WebError> {
    page(&state, &csrf, &staff, vec![], StatusCode::OK).await
}

pub async fn save(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    match notice_templates::save(&state, &staff.0, &f.get("kind"), &f.get("title"), &f.get("body")).await {
        Ok(()) => Ok(see_other("/admin/templates")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            page(&state, &csrf, &staff, errors, status).await
        }
    }
}

pub async fn reset(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    notice_templates::reset(&state, &staff.0, &f.get("kind")).await?;
    Ok(see_other("/admin/templates"))
}
