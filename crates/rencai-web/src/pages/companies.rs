//! The company directory (`/companies`) and public company pages.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::market::{companies, terms};
use rencai_domain::taxonomy::TaxonomyKind;
use serde::Deserialize;

use super::view::{self, CompanyCard, JobCard, Opt, Pager};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::extract::{ClientIp, ValidQuery};
use crate::session::MaybeUser;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DirectoryQuery {
    q: Option<String>,
    industry: Option<String>,
    district: Option<String>,
    #[serde(deserialize_with = "rencai_app::market::empty_as_none")]
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "companies.html")]
struct DirectoryPage {
    chrome: Chrome,
    q: String,
    industries: Vec<Opt>,
    districts: Vec<Opt>,
    companies: Vec<CompanyCard>,
    pager: Pager,
}

fn code(t: &terms::Terms, kind: TaxonomyKind, v: &Option<String>) -> Option<String> {
    v.as_deref().filter(|c| t.known(kind, c)).map(str::to_string)
}

pub async fn directory(
    State(state): State<AppState>,
    user: MaybeUser,
    ClientIp(ip): ClientIp,
    ValidQuery(q): ValidQuery<DirectoryQuery>,
) -> Result<Response, WebError> {
    if let Some(wall) = super::jobs::metered(&state, ip, user.0.is_some())? {
        return Ok(wall);
    }
    let t = terms::get(&state).await?;
    let industry = code(&t, TaxonomyKind::Industry, &q.industry);
    let district = code(&t, TaxonomyKind::District, &q.district);
    let page = companies::directory(&state, industry.as_deref(), district.as_deref(), q.q.as_deref(), q.page).await?;
    let p = DirectoryPage {
        chrome: Chrome::new(&state, Section::Companies).for_account(user.0.as_ref().map(|u| &u.account)),
        q: q.q.clone().unwrap_or_default(),
        industries: view::options(&t, TaxonomyKind::Industry, industry.as_deref(), false),
        districts: view::options(&t, TaxonomyKind::District, district.as_deref(), false),
        companies: page.items.iter().map(|c| CompanyCard::new(c, &t)).collect(),
        pager: Pager::new(&page, "/companies", &[("q", q.q.clone()), ("industry", industry), ("district", district)]),
    };
    super::render(&p, user.0.is_none())
}

#[derive(Template)]
#[template(path = "company.html")]
struct CompanyPage {
    chrome: Chrome,
    csrf: String,
    is_seeker: bool,
    kept: bool,
    keep_kind: &'static str,
    keep_id: String,
    keep_back: String,
    company: CompanyCard,
    intro: String,
    address: String,
    ownership: String,
    jobs: Vec<JobCard>,
    logo: Option<String>,
    photos: Vec<String>,
}

/// A verified organisation's logo or photo.
pub async fn image(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, WebError> {
    Ok(super::resumes::send_image(rencai_app::market::org_files::public_image(&state, &id, &file).await?))
}

pub async fn show(
    State(state): State<AppState>,
    csrf: crate::session::Csrf,
    MaybeUser(user): MaybeUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (org, jobs) = companies::public_page(&state, &id).await?;
    let seeker = user.as_ref().map(|u| &u.account).filter(|a| a.role == rencai_domain::account::Role::Seeker);
    let kept = match seeker {
        Some(a) => {
            rencai_app::market::favourites::contains(&state, a, rencai_app::market::favourites::Kind::Company, org.id)
                .await?
        }
        None => false,
    };
    let t = terms::get(&state).await?;
    let now = state.now();
    let p = CompanyPage {
        chrome: Chrome::new(&state, Section::Companies).for_account(user.as_ref().map(|u| &u.account)),
        csrf: csrf.token.clone(),
        is_seeker: seeker.is_some(),
        kept,
        keep_kind: "company",
        keep_id: org.public_id.clone(),
        keep_back: format!("/companies/{}", org.public_id),
        company: CompanyCard::new(&org, &t),
        intro: org.intro.clone(),
        address: org.address.clone(),
        ownership: rencai_domain::company::Ownership::parse(&org.ownership).map(|o| o.label()).unwrap_or("").into(),
        jobs: jobs.iter().map(|j| JobCard::new(j, &t, now)).collect(),
        logo: rencai_app::market::org_files::list(&state, org.id, rencai_app::market::org_files::OrgFile::Logo)
            .await?
            .into_iter()
            .next()
            .map(|f| f.public_id),
        photos: rencai_app::market::org_files::list(&state, org.id, rencai_app::market::org_files::OrgFile::Photo)
            .await?
            .into_iter()
            .map(|f| f.public_id)
            .collect(),
    };
    // Anonymous visitors get a cacheable page without a form or cookie.
    if user.is_none() {
        return super::render(&p, true);
    }
    super::respond_form(axum::http::StatusCode::OK, &csrf, None, &p)
}
