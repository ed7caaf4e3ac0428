//! `/privacy` and `/terms`: the version in force, or an older one by `?version=`.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;
use rencai_store::legal::LegalKind;
use serde::Deserialize;

use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::extract::ValidQuery;
use crate::session::MaybeUser;

#[derive(Template)]
#[template(path = "legal.html")]
struct LegalPage {
    chrome: Chrome,
    doc_title: String,
    version: String,
    effective: String,
    published: String,
    is_current: bool,
    versions: Vec<String>,
    base_path: &'static str,
    body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionQuery {
    version: Option<String>,
}

pub async fn privacy(
    state: State<AppState>,
    user: MaybeUser,
    q: ValidQuery<VersionQuery>,
) -> Result<Response, WebError> {
    show(state, user, q, LegalKind::Privacy, "/privacy", Section::Privacy).await
}

pub async fn terms(state: State<AppState>, user: MaybeUser, q: ValidQuery<VersionQuery>) -> Result<Response, WebError> {
    show(state, user, q, LegalKind::Terms, "/terms", Section::Terms).await
}

async fn show(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ValidQuery(q): ValidQuery<VersionQuery>,
    kind: LegalKind,
    base_path: &'static str,
    section: Section,
) -> Result<Response, WebError> {
    let current = rencai_app::legal::current(&state, kind).await?;
    let all = rencai_app::legal::versions(&state, kind).await?;
    let doc = match q.version {
        None => current.clone(),
        Some(v) => all
            .iter()
            .find(|d| d.version == v)
            .cloned()
            .ok_or_else(|| WebError::new(StatusCode::NOT_FOUND, "legal.version_not_found", "没有这个版本。"))?,
    };
    let date = |t: chrono::DateTime<chrono::Utc>| {
        t.with_timezone(&rencai_domain::time::china()).format("%Y-%m-%d").to_string()
    };
    let page = LegalPage {
        chrome: Chrome::new(&state, section).for_account(user.as_ref().map(|u| &u.account)),
        doc_title: doc.title.clone(),
        is_current: doc.id == current.id,
        effective: date(doc.effective_at),
        published: date(doc.published_at),
        versions: all.iter().map(|d| d.version.clone()).collect(),
        version: doc.version,
        base_path,
        body: doc.body_html,
    };
    super::render(&page, user.is_none())
}
