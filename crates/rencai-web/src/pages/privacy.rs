//! The privacy center (`/me/privacy`): what we hold, the switches, consents, disclosures,
//! export and deactivation (P8, P13–P16).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rencai_app::AppState;
use rencai_app::auth::sessions::Authenticated;
use rencai_app::privacy::{center, deactivation, export};
use rencai_domain::time::beijing;

use super::{Pairs, see_other};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::session::{self, Csrf, CurrentUser};

pub struct ExportView {
    pub id: String,
    pub created: String,
    pub expires: String,
    pub status_label: &'static str,
    pub size: Option<String>,
    pub ready: bool,
    pub pending: bool,
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    chrome: Chrome,
    csrf: String,
    overview: center::Overview,
    consents: Vec<String>,
    disclosures: Vec<String>,
    exports: Vec<ExportView>,
    export_hours: u32,
    purge_days: u32,
    behaviour_days: u32,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

fn export_view(e: &export::ExportInfo) -> ExportView {
    let status_label = match e.status.as_str() {
        "pending" => "准备中",
        "ready" => "可下载",
        "downloaded" => "已下载",
        "expired" => "已过期",
        _ => "失败，请重新申请",
    };
    ExportView {
        id: e.id.clone(),
        created: beijing(e.created_at),
        expires: beijing(e.expires_at),
        status_label,
        size: e.bytes.map(|b| {
            if b >= 1_048_576 {
                format!("{:.1} MB", b as f64 / 1_048_576.0)
            } else {
                format!("{} KB", (b + 1023) / 1024)
            }
        }),
        ready: e.status == "ready",
        pending: e.status == "pending",
    }
}

async fn render(
    state: &AppState,
    csrf: &Csrf,
    user: &Authenticated,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let overview = center::overview(state, &user.account).await?;
    let consents = overview
        .consents
        .iter()
        .map(|c| {
            format!("{} 同意了隐私政策 {} 与用户协议 {}", beijing(c.accepted_at), c.privacy_version, c.terms_version)
        })
        .collect();
    let disclosures =
        overview.disclosures.iter().map(|d| format!("{} · {}：{}", beijing(d.at), d.recipient, d.detail)).collect();
    let exports = overview.exports.iter().map(export_view).collect();
    let p = &state.settings().privacy;
    let page = PrivacyPage {
        chrome: Chrome::for_user(state, Section::Me, &user.account).await,
        csrf: csrf.token.clone(),
        consents,
        disclosures,
        exports,
        export_hours: p.export_hours,
        purge_days: p.purge_after_days,
        behaviour_days: p.behaviour_days,
        overview,
        errors,
        error_title: "未能完成：",
        notice,
    };
    super::respond_form(status, csrf, None, &page)
}

pub async fn show(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
) -> Result<Response, WebError> {
    render(&state, &csrf, &user, Vec::new(), None, StatusCode::OK).await
}

pub async fn personalization(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    center::set_personalization(&state, &user.account, f.flag("on")).await?;
    Ok(see_other("/me/privacy#switches"))
}

pub async fn delete_tag(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    rencai_app::behaviour::delete_tag(&state, &user.account, &f.get("code")).await?;
    Ok(see_other("/me/privacy#switches"))
}

pub async fn request_export(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Response, WebError> {
    export::request(&state, &user.account).await?;
    Ok(see_other("/me/privacy#export"))
}

pub async fn download_export(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    match export::take(&state, &user.account, &id).await {
        Ok(zip) => Ok(zip_response(&state, zip)),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            render(&state, &csrf, &user, errors, None, status).await
        }
    }
}

/// A ZIP download named after the site and the day.
pub(crate) fn zip_response(state: &AppState, zip: Vec<u8>) -> Response {
    let day = state.now().with_timezone(&rencai_domain::time::china()).format("%Y%m%d");
    let disposition = format!("attachment; filename=\"rencai-my-data-{day}.zip\"");
    (
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        zip,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "privacy_deactivate.html")]
struct DeactivatePage {
    chrome: Chrome,
    csrf: String,
    kept: Vec<(&'static str, String)>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

async fn render_deactivate(
    state: &AppState,
    csrf: &Csrf,
    user: &Authenticated,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let page = DeactivatePage {
        chrome: Chrome::for_user(state, Section::Me, &user.account).await,
        csrf: csrf.token.clone(),
        kept: deactivation::what_is_kept(state),
        errors,
        error_title: "未能注销：",
        notice: None,
    };
    super::respond_form(status, csrf, None, &page)
}

pub async fn deactivate_form(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
) -> Result<Response, WebError> {
    render_deactivate(&state, &csrf, &user, Vec::new(), StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "privacy_deactivated.html")]
struct DeactivatedPage {
    chrome: Chrome,
    purge_date: String,
    archive_years: u32,
}

pub async fn deactivate(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    if !f.flag("understood") {
        let errors = vec!["请勾选“我已了解上述内容，确认注销”。".to_string()];
        return render_deactivate(&state, &csrf, &user, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match deactivation::deactivate(&state, &user.account, &f.get("password")).await {
        Ok(done) => {
            let page = DeactivatedPage {
                chrome: Chrome::new(&state, Section::Me).for_account(None),
                purge_date: beijing(done.purge_due_at),
                archive_years: state.settings().privacy.archive_years,
            };
            let mut res = super::render(&page, false)?;
            let (k, v) = session::clear_session_cookie(&state);
            res.headers_mut().append(k, v);
            Ok(res)
        }
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            render_deactivate(&state, &csrf, &user, errors, status).await
        }
    }
}
