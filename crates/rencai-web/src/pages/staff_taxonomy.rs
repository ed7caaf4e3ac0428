//! `/admin/taxonomies`: staff add, rename and retire taxonomy terms (codes never change).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::taxonomy::edit;
use rencai_domain::taxonomy::TaxonomyKind;
use rencai_store::taxonomy::EditableTerm;
use serde::Deserialize;

use super::{Pairs, see_other};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::extract::ValidQuery;
use crate::session::{Csrf, CurrentStaff};

const KINDS: [(TaxonomyKind, &str); 5] = [
    (TaxonomyKind::JobCategory, "职位类别"),
    (TaxonomyKind::Industry, "行业"),
    (TaxonomyKind::District, "区域"),
    (TaxonomyKind::Benefit, "福利"),
    (TaxonomyKind::JobType, "工作性质"),
];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct KindQuery {
    kind: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_taxonomies.html")]
struct Page {
    chrome: Chrome,
    csrf: String,
    kind: &'static str,
    kinds: Vec<(&'static str, &'static str, bool)>,
    terms: Vec<EditableTerm>,
    roots: Vec<(String, String)>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

fn kind_of(s: Option<&str>) -> TaxonomyKind {
    s.and_then(TaxonomyKind::parse).filter(|k| KINDS.iter().any(|(x, _)| x == k)).unwrap_or(TaxonomyKind::JobCategory)
}

async fn page(
    state: &AppState,
    csrf: &Csrf,
    staff: &CurrentStaff,
    kind: TaxonomyKind,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let terms = edit::list(state, &staff.0, kind).await?;
    let roots = terms.iter().filter(|t| t.parent_code.is_none()).map(|t| (t.code.clone(), t.name.clone())).collect();
    let p = Page {
        chrome: Chrome::new(state, Section::None),
        csrf: csrf.token.clone(),
        kind: kind.as_str(),
        kinds: KINDS.iter().map(|(k, l)| (k.as_str(), *l, *k == kind)).collect(),
        terms,
        roots,
        errors,
        error_title: "未能保存：",
        notice: None,
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn show(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    ValidQuery(q): ValidQuery<KindQuery>,
) -> Result<Response, WebError> {
    page(&state, &csrf, &staff, kind_of(q.kind.as_deref()), vec![], StatusCode::OK).await
}

pub async fn save(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let kind = kind_of(Some(&f.get("kind")));
    let result = if f.get("action") == "add" {
        let parent = f.get("parent");
        edit::add(&state, &staff.0, kind, &f.get("code"), &f.get("name"), Some(parent.as_str())).await
    } else {
        edit::update(&state, &staff.0, kind, &f.get("code"), &f.get("name"), f.flag("active")).await
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/admin/taxonomies?kind={}", kind.as_str()))),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            page(&state, &csrf, &staff, kind, errors, status).await
        }
    }
}
