//! `/admin/archive`: the restricted archive, opened for a recorded lawful request (P14).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;

use super::Pairs;
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::session::{Csrf, CurrentStaff};

#[derive(Template)]
#[template(path = "admin_archive.html")]
struct ArchivePage {
    chrome: Chrome,
    csrf: String,
    phone: String,
    authority: String,
    reference: String,
    searched: bool,
    /// (heading, the document as indented JSON)
    docs: Vec<(String, String)>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

fn page(
    state: &AppState,
    csrf: &Csrf,
    f: &Pairs,
    docs: Option<Vec<(String, String)>>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let p = ArchivePage {
        chrome: Chrome::new(state, Section::None),
        csrf: csrf.token.clone(),
        phone: f.get("phone"),
        authority: f.get("authority"),
        reference: f.get("reference"),
        searched: docs.is_some(),
        docs: docs.unwrap_or_default(),
        errors,
        error_title: "未能查看：",
        notice: None,
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn form(State(state): State<AppState>, csrf: Csrf, staff: CurrentStaff) -> Result<Response, WebError> {
    staff.0.require(&state, rencai_domain::staff::Permission::ViewAudit).await?;
    staff.0.require(&state, rencai_domain::staff::Permission::ReadPersonalData).await?;
    page(&state, &csrf, &Pairs::default(), None, vec![], StatusCode::OK)
}

/// A POST: the number never appears in an address (P20).
pub async fn open(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    match rencai_app::privacy::archive::open_for_request(
        &state,
        &staff.0,
        &f.get("phone"),
        &f.get("authority"),
        &f.get("reference"),
    )
    .await
    {
        Ok(docs) => {
            let local = |t: chrono::DateTime<chrono::Utc>| {
                t.with_timezone(&rencai_domain::time::china()).format("%Y-%m-%d").to_string()
            };
            let docs = docs
                .into_iter()
                .map(|d| {
                    let title = format!(
                        "账号 {}（{}），{} 存档，保存至 {}",
                        d.account_public_id,
                        d.role,
                        local(d.archived_at),
                        local(d.retain_until)
                    );
                    (title, serde_json::to_string_pretty(&d.document).unwrap_or_default())
                })
                .collect();
            page(&state, &csrf, &f, Some(docs), vec![], StatusCode::OK)
        }
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            page(&state, &csrf, &f, None, errors, status)
        }
    }
}
