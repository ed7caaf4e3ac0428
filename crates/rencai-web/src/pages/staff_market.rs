//! Back-office review queues for organisations, agencies' clients and jobs; quota grants; the
//! banned-word list. Every action checks the staff member's permission in the use case.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::market::quota::QuotaKind;
use rencai_app::market::{companies, jobs, moderation, quota, terms};
use rencai_domain::taxonomy::TaxonomyKind;
use rencai_store::market::companies::ClientRow;

use super::view::{CompanyCard, JobCard};
use super::{Pairs, see_other};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::extract::ValidQuery;
use crate::session::{Csrf, CurrentStaff};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Flash {
    done: Option<String>,
}

fn notice(f: &Flash) -> Option<String> {
    f.done.as_ref().map(|_| "已处理。".to_string())
}

/// One organisation in the verification queue.
struct ReviewItem {
    card: CompanyCard,
    credit_code: String,
    contact: String,
    kind: &'static str,
    registry: String,
    /// (file id, name) of its qualification documents.
    docs: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "admin_companies.html")]
struct CompaniesPage {
    chrome: Chrome,
    csrf: String,
    queue: Vec<ReviewItem>,
    /// Pending client declarations with (file id, name) of their authorization documents.
    clients: Vec<(ClientRow, Vec<(String, String)>)>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

async fn companies_page(
    state: &AppState,
    csrf: &Csrf,
    staff: &CurrentStaff,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let t = terms::get(state).await?;
    let mut queue = Vec::new();
    for (c, contact) in companies::review_queue(state, &staff.0).await? {
        let kind = if c.kind == "agency" { "人力资源机构" } else { "招聘企业" };
        let registry = registry_note(c.registry_check.as_deref());
        let docs =
            rencai_app::market::org_files::list(state, c.id, rencai_app::market::org_files::OrgFile::Qualification)
                .await?
                .into_iter()
                .map(|f| (f.public_id, f.name))
                .collect();
        queue.push(ReviewItem {
            card: CompanyCard::new(&c, &t),
            credit_code: c.credit_code.clone(),
            contact,
            kind,
            registry,
            docs,
        });
    }
    let p = CompaniesPage {
        chrome: Chrome::new(state, Section::None),
        csrf: csrf.token.clone(),
        queue,
        clients: {
            let mut out = Vec::new();
            for c in companies::client_queue(state, &staff.0).await? {
                let docs = rencai_app::market::org_files::authorizations(state, c.id)
                    .await?
                    .into_iter()
                    .map(|f| (f.public_id, f.name))
                    .collect();
                out.push((c, docs));
            }
            out
        },
        errors,
        error_title: "未能处理：",
        notice,
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn companies(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    ValidQuery(f): ValidQuery<Flash>,
) -> Result<Response, WebError> {
    companies_page(&state, &csrf, &staff, vec![], notice(&f), StatusCode::OK).await
}

pub async fn review_company(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let reason = f.get("reason");
    match companies::review(&state, &staff.0, &id, f.get("decision") == "approve", Some(&reason)).await {
        Ok(_) => Ok(see_other("/admin/companies?done=1")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            companies_page(&state, &csrf, &staff, errors, None, status).await
        }
    }
}

pub async fn review_client(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let reason = f.get("reason");
    let r = companies::review_client(
        &state,
        &staff.0,
        &f.get("agency"),
        &f.get("client"),
        f.get("decision") == "approve",
        Some(&reason),
    )
    .await;
    match r {
        Ok(()) => Ok(see_other("/admin/companies?done=1")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            companies_page(&state, &csrf, &staff, errors, None, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "admin_jobs.html")]
struct JobsPage {
    chrome: Chrome,
    csrf: String,
    queue: Vec<(JobCard, String, String, String, String)>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

async fn jobs_page(
    state: &AppState,
    csrf: &Csrf,
    staff: &CurrentStaff,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let t = terms::get(state).await?;
    let now = state.now();
    let queue = jobs::review_queue(state, &staff.0)
        .await?
        .into_iter()
        .map(|(j, (name, phone))| {
            let cat = t.name(TaxonomyKind::JobCategory, &j.category).to_string();
            (JobCard::new(&j, &t, now), j.description.clone(), cat, name, phone)
        })
        .collect();
    let p = JobsPage {
        chrome: Chrome::new(state, Section::None),
        csrf: csrf.token.clone(),
        queue,
        errors,
        error_title: "未能处理：",
        notice,
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn jobs(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    ValidQuery(f): ValidQuery<Flash>,
) -> Result<Response, WebError> {
    jobs_page(&state, &csrf, &staff, vec![], notice(&f), StatusCode::OK).await
}

pub async fn review_job(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let reason = f.get("reason");
    match jobs::review(&state, &staff.0, &id, f.get("decision") == "approve", Some(&reason)).await {
        Ok(()) => Ok(see_other("/admin/jobs?done=1")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            jobs_page(&state, &csrf, &staff, errors, None, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "admin_quota.html")]
struct QuotaPage {
    chrome: Chrome,
    csrf: String,
    kinds: Vec<(&'static str, &'static str)>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

fn quota_page(state: &AppState, csrf: &Csrf, errors: Vec<String>, notice: Option<String>) -> QuotaPage {
    QuotaPage {
        chrome: Chrome::new(state, Section::None),
        csrf: csrf.token.clone(),
        kinds: QuotaKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
        errors,
        error_title: "未能发放：",
        notice,
    }
}

pub async fn quota_form(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    ValidQuery(f): ValidQuery<Flash>,
) -> Result<Response, WebError> {
    staff.0.require(&state, rencai_domain::staff::Permission::ManageOrders).await?;
    super::respond_form(StatusCode::OK, &csrf, None, &quota_page(&state, &csrf, vec![], notice(&f)))
}

pub async fn grant_quota(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let parse = |k: &str| f.get(k).trim().parse::<u32>().unwrap_or(0);
    let result = match QuotaKind::parse(&f.get("kind")) {
        Some(kind) => quota::grant(
            &state,
            &staff.0,
            f.get("company").trim(),
            kind,
            parse("amount"),
            parse("days"),
            &f.get("reason"),
        )
        .await
        .map(|_| ()),
        None => Err(rencai_app::AppError::invalid_field("quota.kind", "kind", "请选择额度类型。")),
    };
    match result {
        Ok(()) => Ok(see_other("/admin/quota?done=1")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            super::respond_form(status, &csrf, None, &quota_page(&state, &csrf, errors, None))
        }
    }
}

#[derive(Template)]
#[template(path = "admin_banned_words.html")]
struct WordsPage {
    chrome: Chrome,
    csrf: String,
    words: Vec<String>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

async fn words_page(
    state: &AppState,
    csrf: &Csrf,
    staff: &CurrentStaff,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let words = moderation::banned_words(state, &staff.0).await?;
    let p = WordsPage {
        chrome: Chrome::new(state, Section::None),
        csrf: csrf.token.clone(),
        words,
        errors,
        error_title: "未能保存：",
        notice,
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn banned_words(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    ValidQuery(f): ValidQuery<Flash>,
) -> Result<Response, WebError> {
    words_page(&state, &csrf, &staff, vec![], notice(&f), StatusCode::OK).await
}

pub async fn add_banned_word(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    match moderation::add_banned_word(&state, &staff.0, &f.get("word")).await {
        Ok(()) => Ok(see_other("/admin/banned-words?done=1")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            words_page(&state, &csrf, &staff, errors, None, status).await
        }
    }
}

pub async fn remove_banned_word(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    moderation::remove_banned_word(&state, &staff.0, &f.get("word")).await?;
    Ok(see_other("/admin/banned-words?done=1"))
}

/// What the business registry said, in a line a reviewer reads.
fn registry_note(check: Option<&str>) -> String {
    let Some(v) = check.and_then(|c| serde_json::from_str::<serde_json::Value>(c).ok()) else {
        return "未查询工商信息".into();
    };
    match v["outcome"].as_str() {
        Some("found") => {
            let name = v["name"].as_str().unwrap_or("");
            let matches = if v["name_matches"].as_bool() == Some(true) { "名称一致" } else { "名称不一致" };
            let active = if v["active"].as_bool() == Some(true) { "" } else { "（非正常经营状态）" };
            format!("工商登记：{name}，{}{active}，{matches}", v["status"].as_str().unwrap_or(""))
        }
        Some("not_found") => "工商系统未查到该统一社会信用代码".into(),
        Some("failed") => "工商信息查询失败，请人工核对".into(),
        _ => "未配置工商信息服务，请人工核对营业执照".into(),
    }
}

/// A reviewer opens an organisation's document (audited).
pub async fn file(
    State(state): State<AppState>,
    staff: CurrentStaff,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    Ok(super::resumes::send(rencai_app::market::org_files::staff_download(&state, &staff.0, &id).await?))
}
