//! `/legal/accept`: re-accepting after a material change (P3), and `/admin/legal`, where staff
//! publish new versions.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::legal::{self, PublishInput};
use rencai_domain::time::beijing;
use rencai_store::legal::LegalKind;

use super::{Pairs, see_other};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::extract::ClientIp;
use crate::session::{Csrf, CurrentStaff, MaybeUser};

pub struct DocView {
    pub title: String,
    pub version: String,
    pub effective: String,
    pub summary: Option<String>,
    pub href: String,
}

#[derive(Template)]
#[template(path = "legal_accept.html")]
struct AcceptPage {
    chrome: Chrome,
    csrf: String,
    docs: Vec<DocView>,
    privacy_version: String,
    terms_version: String,
    next: String,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

/// Only a path of this site, so the form cannot be used to send people elsewhere.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') { next.to_string() } else { "/".into() }
}

async fn render(
    state: &AppState,
    csrf: &Csrf,
    user: &rencai_app::auth::sessions::Authenticated,
    next: &str,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let outstanding = legal::outstanding(state, user.account.id).await?;
    let mut docs = Vec::new();
    for kind in LegalKind::ALL {
        let d = legal::current(state, kind).await?;
        if outstanding.contains(&kind) {
            docs.push(DocView {
                title: d.title.clone(),
                version: d.version.clone(),
                effective: beijing(d.effective_at),
                summary: d.change_summary.clone(),
                href: format!("/{}?version={}", kind.as_str(), d.version),
            });
        }
    }
    let page = AcceptPage {
        chrome: Chrome::for_user(state, Section::Me, &user.account).await,
        csrf: csrf.token.clone(),
        docs,
        privacy_version: legal::current(state, LegalKind::Privacy).await?.version,
        terms_version: legal::current(state, LegalKind::Terms).await?.version,
        next: safe_next(next),
        errors,
        error_title: "未能继续：",
        notice: None,
    };
    super::respond_form(status, csrf, None, &page)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NextQuery {
    next: String,
}

pub async fn form(
    State(state): State<AppState>,
    csrf: Csrf,
    MaybeUser(user): MaybeUser,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    let Some(user) = user else { return Ok(see_other("/login")) };
    if legal::outstanding(&state, user.account.id).await?.is_empty() {
        return Ok(see_other(&safe_next(&q.next)));
    }
    render(&state, &csrf, &user, &q.next, Vec::new(), StatusCode::OK).await
}

pub async fn accept(
    State(state): State<AppState>,
    csrf: Csrf,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let Some(user) = user else { return Ok(see_other("/login")) };
    let next = safe_next(&f.get("next"));
    if !f.flag("agree") {
        let errors = vec!["请勾选“我已阅读并同意”。".to_string()];
        return render(&state, &csrf, &user, &next, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match legal::accept(&state, &user.account, (&f.get("privacy_version"), &f.get("terms_version")), ip).await {
        Ok(()) => Ok(see_other(&next)),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            render(&state, &csrf, &user, &next, errors, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "admin_legal.html")]
struct AdminPage {
    chrome: Chrome,
    csrf: String,
    /// (text, version, change, effective, summary, link)
    versions: Vec<(&'static str, String, &'static str, String, String, String)>,
    form: PublishInput,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

async fn admin_page(
    state: &AppState,
    csrf: &Csrf,
    staff: &CurrentStaff,
    form: PublishInput,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    staff.0.require(state, rencai_domain::staff::Permission::PublishLegalTexts).await?;
    let mut versions = Vec::new();
    for kind in LegalKind::ALL {
        for d in legal::versions(state, kind).await? {
            versions.push((
                legal::kind_label(kind),
                d.version.clone(),
                if d.material { "重大变更" } else { "一般变更" },
                beijing(d.effective_at),
                d.change_summary.clone().unwrap_or_default(),
                format!("/{}?version={}", kind.as_str(), d.version),
            ));
        }
    }
    let p = AdminPage {
        chrome: Chrome::new(state, Section::None),
        csrf: csrf.token.clone(),
        versions,
        form,
        errors,
        error_title: "未能发布：",
        notice,
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn admin_show(State(state): State<AppState>, csrf: Csrf, staff: CurrentStaff) -> Result<Response, WebError> {
    let form = PublishInput { kind: "privacy".into(), change: "minor".into(), ..Default::default() };
    admin_page(&state, &csrf, &staff, form, vec![], None, StatusCode::OK).await
}

pub async fn admin_publish(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Form(form): Form<PublishInput>,
) -> Result<Response, WebError> {
    match legal::publish(&state, &staff.0, &form).await {
        Ok(()) => {
            let notice = Some(format!("已发布 {}，正在通知所有用户。", form.version.trim()));
            let empty = PublishInput { kind: form.kind.clone(), change: "minor".into(), ..Default::default() };
            admin_page(&state, &csrf, &staff, empty, vec![], notice, StatusCode::OK).await
        }
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            admin_page(&state, &csrf, &staff, form, errors, None, status).await
        }
    }
}
