//! Public job pages: `/jobs` with filters, `/today`, `/campus`, and `/jobs/{id}` with schema.org
//! JobPosting data. A job's contact details appear only for those who applied (P6).

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rencai_app::AppState;
use rencai_app::market::jobs::{self, JobFilters, Listing};
use rencai_app::market::meter::ListMeter;
use rencai_app::market::{actor, resumes, terms};
use rencai_domain::account::Role;
use rencai_domain::taxonomy::TaxonomyKind;
use serde::{Deserialize, Serialize};

use super::view::{self, JobCard, Opt, Pager};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::extract::{ClientIp, ValidQuery};
use crate::session::{Csrf, CurrentUser, MaybeUser};

#[derive(Template)]
#[template(path = "jobs.html")]
struct ListPage {
    chrome: Chrome,
    heading: &'static str,
    path: &'static str,
    intro: &'static str,
    q: String,
    districts: Vec<Opt>,
    industries: Vec<Opt>,
    categories: Vec<Opt>,
    experiences: Vec<Opt>,
    educations: Vec<Opt>,
    types: Vec<Opt>,
    sort: String,
    salary_min: String,
    salary_choices: Vec<(u32, String)>,
    within: u32,
    within_choices: Vec<(u32, String)>,
    jobs: Vec<JobCard>,
    pager: Pager,
    /// Where the filter panel fetches its counts by value (see [`counts_of`]).
    counts_href: String,
    relaxed: bool,
    /// A filter is set: the filter panel starts open (closed, the results come first on a phone).
    filtered: bool,
    /// "Subscribe to this search" (seekers and visitors; the form asks for a login).
    subscribe: Option<String>,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "login_wall.html")]
struct LoginWall {
    chrome: Chrome,
    retry_minutes: u64,
}

/// The anonymous page cap: a page asking to log in (429) once passed.
pub(crate) fn metered(state: &AppState, ip: std::net::IpAddr, signed_in: bool) -> Result<Option<Response>, WebError> {
    let now = state.now();
    if signed_in || state.list_meter().admit(ip, now, state.settings().market.anonymous_list_pages_per_hour) {
        return Ok(None);
    }
    let retry = ListMeter::retry_after(now);
    let page = LoginWall { chrome: Chrome::new(state, Section::None).anonymous(), retry_minutes: retry.div_ceil(60) };
    let mut res = super::render(&page, false)?;
    *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    res.headers_mut().insert(header::RETRY_AFTER, retry.into());
    Ok(Some(res))
}

async fn list_page(
    state: AppState,
    user: MaybeUser,
    ip: std::net::IpAddr,
    f: JobFilters,
    listing: Listing,
) -> Result<Response, WebError> {
    if let Some(wall) = metered(&state, ip, user.0.is_some())? {
        return Ok(wall);
    }
    let (heading, path, intro, section) = match listing {
        Listing::Today => ("今日招聘", "/today", "今天发布或审核通过的职位。", Section::Today),
        Listing::Campus => ("校园招聘 · 毕业季", "/campus", "面向应届毕业生与在校生的职位与实习。", Section::Campus),
        Listing::Urgent => ("急聘职位", "/jobs", "", Section::Jobs),
        Listing::All => ("找工作", "/jobs", "", Section::Jobs),
    };
    if let Some(u) = &user.0 {
        rencai_app::behaviour::searched(&state, &u.account, f.q.as_deref(), f.category.as_deref()).await;
    }
    let t = terms::get(&state).await?;
    // Counts by filter value come separately (`counts_of`), when the filter panel opens.
    let f = JobFilters { facets: None, ..f };
    let (list, errors) = match jobs::public_list(&state, &f, listing).await {
        Ok(l) => (l, Vec::new()),
        Err(e) => {
            let (_, errors, _) = super::form_error(e)?;
            let empty =
                jobs::public_list(&state, &JobFilters { per_page: Some(1), ..Default::default() }, listing).await?;
            let page = rencai_app::market::Page { total: 0, items: Vec::new(), ..empty.page };
            (jobs::JobList { page, capped: false, facets: None, relaxed: false }, errors)
        }
    };
    let now = state.now();
    let params = f.query_pairs();
    let mut salary_choices: Vec<(u32, String)> =
        rencai_search::jobs::SALARY_AT_LEAST.iter().map(|v| (*v, format!("{} 千以上", v / 1_000))).collect();
    // A value typed into the address bar stays selectable.
    if let Some(v) = f.salary_min
        && !salary_choices.iter().any(|(x, ..)| *x == v)
    {
        salary_choices.insert(0, (v, format!("{v} 元以上")));
    }
    let within_choices = rencai_search::jobs::POSTED_WITHIN_DAYS
        .iter()
        .map(|d| (*d, if *d == 1 { "一天内".to_string() } else { format!("{d} 天内") }))
        .collect();
    let options = |kind: TaxonomyKind, sel: &Option<String>| view::options(&t, kind, sel.as_deref(), false);
    let p = ListPage {
        chrome: Chrome::new(&state, section).for_account(user.0.as_ref().map(|u| &u.account)),
        heading,
        path,
        intro,
        q: f.q.clone().unwrap_or_default(),
        districts: options(TaxonomyKind::District, &f.district),
        industries: options(TaxonomyKind::Industry, &f.industry),
        categories: view::tree_options(&t, TaxonomyKind::JobCategory, f.category.as_deref()),
        experiences: options(TaxonomyKind::Experience, &f.experience),
        educations: options(TaxonomyKind::Education, &f.education),
        types: options(TaxonomyKind::JobType, &f.job_type),
        sort: f.sort.clone().unwrap_or_default(),
        salary_min: f.salary_min.map(|s| s.to_string()).unwrap_or_default(),
        salary_choices,
        within: f.within.unwrap_or(0),
        within_choices,
        jobs: list.page.items.iter().map(|j| JobCard::listed(j, &t, now)).collect(),
        pager: Pager::new(&list.page, path, &params).capped(list.capped),
        counts_href: format!("{path}/counts?{}", encoded(&params, |k| !matches!(k, "sort" | "per_page"))),
        relaxed: list.relaxed,
        filtered: params
            .iter()
            .any(|(k, v)| !matches!(*k, "q" | "per_page") && v.as_deref().is_some_and(|v| !v.is_empty())),
        subscribe: (listing == Listing::All
            && errors.is_empty()
            && user.0.as_ref().is_none_or(|u| u.account.role == Role::Seeker))
        .then(|| format!("/me/alerts/new?{}", encoded(&params, |k| !matches!(k, "sort" | "per_page" | "within")))),
        errors,
    };
    let status = if p.errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let mut res = super::render(&p, user.0.is_none())?;
    *res.status_mut() = status;
    Ok(res)
}

pub async fn list(
    State(state): State<AppState>,
    user: MaybeUser,
    ClientIp(ip): ClientIp,
    ValidQuery(f): ValidQuery<JobFilters>,
) -> Result<Response, WebError> {
    list_page(state, user, ip, f, Listing::All).await
}

pub async fn today(
    State(state): State<AppState>,
    user: MaybeUser,
    ClientIp(ip): ClientIp,
    ValidQuery(f): ValidQuery<JobFilters>,
) -> Result<Response, WebError> {
    list_page(state, user, ip, f, Listing::Today).await
}

pub async fn campus(
    State(state): State<AppState>,
    user: MaybeUser,
    ClientIp(ip): ClientIp,
    ValidQuery(f): ValidQuery<JobFilters>,
) -> Result<Response, WebError> {
    list_page(state, user, ip, f, Listing::Campus).await
}

/// The set parameters that `keep` keeps, URL-encoded.
fn encoded(params: &[(&str, Option<String>)], keep: impl Fn(&str) -> bool) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty() && keep(k)) {
            q.append_pair(k, v);
        }
    }
    q.finish()
}

/// The filter panel's counts (`/jobs/counts?…` with the list's own query): for each select,
/// how many of the current results each of its values would keep. `broad`: more than 10,000
/// jobs match the keyword, and nothing was counted by value.
#[derive(Debug, Serialize)]
struct PanelCounts {
    broad: bool,
    counts: BTreeMap<&'static str, BTreeMap<String, u64>>,
}

async fn counts_of(state: AppState, f: JobFilters, listing: Listing) -> Result<Response, WebError> {
    let (total, facets) = jobs::public_counts(&state, &f, listing).await?;
    let mut counts = BTreeMap::new();
    if let Some(x) = &facets {
        let by_code = |v: &[rencai_search::Facet]| v.iter().map(|x| (x.code.clone(), x.count)).collect();
        let by_number = |v: &[(u32, u64)]| v.iter().map(|(k, n)| (k.to_string(), *n)).collect();
        counts.insert("district", by_code(&x.district));
        counts.insert("industry", by_code(&x.industry));
        counts.insert("experience", by_code(&x.experience));
        counts.insert("education", by_code(&x.education));
        counts.insert("type", by_code(&x.job_type));
        let mut salary: BTreeMap<String, u64> = by_number(&x.salary);
        // A value typed into the address bar keeps the current result.
        if let Some(v) = f.salary_min {
            salary.entry(v.to_string()).or_insert(total);
        }
        counts.insert("salary_min", salary);
        counts.insert("within", by_number(&x.posted_within));
    }
    let body = PanelCounts { broad: facets.is_none(), counts };
    // Counts of public jobs, the same for everyone: a browser may reuse them for a minute.
    Ok(([(header::CACHE_CONTROL, "public, max-age=60")], axum::Json(body)).into_response())
}

pub async fn list_counts(
    State(state): State<AppState>,
    ValidQuery(f): ValidQuery<JobFilters>,
) -> Result<Response, WebError> {
    counts_of(state, f, Listing::All).await
}

pub async fn today_counts(
    State(state): State<AppState>,
    ValidQuery(f): ValidQuery<JobFilters>,
) -> Result<Response, WebError> {
    counts_of(state, f, Listing::Today).await
}

pub async fn campus_counts(
    State(state): State<AppState>,
    ValidQuery(f): ValidQuery<JobFilters>,
) -> Result<Response, WebError> {
    counts_of(state, f, Listing::Campus).await
}

#[derive(Template)]
#[template(path = "job.html")]
struct JobPage {
    chrome: Chrome,
    csrf: String,
    job: JobCard,
    category: String,
    industry: String,
    address: String,
    headcount: i32,
    description: String,
    contact: Option<(String, String)>,
    applied: bool,
    may_manage: bool,
    is_seeker: bool,
    signed_in: bool,
    resumes: Vec<(String, String)>,
    published: String,
    json_ld: String,
    kept: bool,
    keep_kind: &'static str,
    keep_id: String,
    keep_back: String,
    notice: Option<String>,
    errors: Vec<String>,
    error_title: &'static str,
    /// Similar published jobs, each with the reason (M19).
    similar: Vec<(JobCard, String)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Notice {
    applied: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    csrf: Csrf,
    MaybeUser(user): MaybeUser,
    Path(id): Path<String>,
    ValidQuery(n): ValidQuery<Notice>,
) -> Result<Response, WebError> {
    let notice = n.applied.map(|_| "已投递，企业会尽快查看你的简历。".to_string());
    let page = render_job(&state, &csrf, user.as_ref(), &id, notice, vec![], StatusCode::OK).await?;
    if let Some(u) = &user {
        rencai_app::behaviour::viewed_job(&state, &u.account, &id).await;
    }
    Ok(page)
}

async fn render_job(
    state: &AppState,
    csrf: &Csrf,
    user: Option<&rencai_app::auth::sessions::Authenticated>,
    id: &str,
    notice: Option<String>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let account = user.map(|u| &u.account);
    let (viewer, rec) = actor::resolve(state, account).await?;
    let v = jobs::view(state, &viewer, rec.as_ref(), id).await?;
    let t = terms::get(state).await?;
    let now = state.now();
    let is_seeker = account.is_some_and(|a| a.role == Role::Seeker);
    let resumes = match account {
        Some(a) if is_seeker => {
            resumes::list_own(state, a).await?.into_iter().map(|r| (r.public_id, r.title)).collect()
        }
        _ => Vec::new(),
    };
    let kept = match account {
        Some(a) if is_seeker => {
            rencai_app::market::favourites::contains(state, a, rencai_app::market::favourites::Kind::Job, v.job.id)
                .await?
        }
        _ => false,
    };
    let card = JobCard::new(&v.job, &t, now);
    let json_ld = job_posting_ld(state, &v.job, &t);
    let similar = if v.job.status == "published" {
        rencai_app::market::matching::similar(state, &v.job, 4)
            .await?
            .into_iter()
            .map(|s| (JobCard::listed(&s.listed, &t, now), s.reason))
            .collect()
    } else {
        Vec::new()
    };
    let p = JobPage {
        chrome: Chrome::new(state, Section::Jobs).for_account(user.as_ref().map(|u| &u.account)),
        csrf: csrf.token.clone(),
        category: t.name(TaxonomyKind::JobCategory, &v.job.category).to_string(),
        industry: t.name(TaxonomyKind::Industry, &v.job.industry).to_string(),
        address: v.job.address.clone(),
        headcount: v.job.headcount,
        description: v.job.description.clone(),
        contact: v.contact.clone(),
        applied: v.applied,
        may_manage: v.may_manage,
        is_seeker,
        signed_in: user.is_some(),
        resumes,
        published: v.job.published_at.map(|p| view::ago(p, now)).unwrap_or_default(),
        job: card,
        json_ld,
        kept,
        keep_kind: "job",
        keep_id: v.job.public_id.clone(),
        keep_back: format!("/jobs/{}", v.job.public_id),
        notice,
        errors,
        error_title: "未能投递：",
        similar,
    };
    // An anonymous visitor's page has no form and no personal data: shared caches may keep it.
    if user.is_none() {
        return super::render(&p, true);
    }
    super::respond_form(status, csrf, None, &p)
}

/// schema.org JobPosting (Google's job search reads it), made safe to embed in a script tag.
fn job_posting_ld(state: &AppState, j: &rencai_store::market::jobs::JobRow, t: &terms::Terms) -> String {
    let employment = match j.job_type.as_str() {
        "part-time" => "PART_TIME",
        "internship" => "INTERN",
        "temporary" => "TEMPORARY",
        _ => "FULL_TIME",
    };
    let base = state.settings().server.public_url.clone().unwrap_or_default();
    let mut ld = serde_json::json!({
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": j.title,
        "description": j.description,
        "identifier": { "@type": "PropertyValue", "name": j.employer_name, "value": j.public_id },
        "datePosted": j.published_at.map(|p| p.to_rfc3339()),
        "validThrough": j.expires_at.map(|p| p.to_rfc3339()),
        "employmentType": employment,
        "hiringOrganization": { "@type": "Organization", "name": j.employer_name, "sameAs": format!("{base}/companies/{}", j.employer_public_id) },
        "jobLocation": { "@type": "Place", "address": {
            "@type": "PostalAddress",
            "streetAddress": j.address,
            "addressLocality": t.name(TaxonomyKind::District, &j.district),
            "addressRegion": "重庆市",
            "addressCountry": "CN"
        }},
        "totalJobOpenings": j.headcount,
        "industry": t.name(TaxonomyKind::Industry, &j.industry),
    });
    if let Some((min, max)) = j.salary() {
        ld["baseSalary"] = serde_json::json!({ "@type": "MonetaryAmount", "currency": "CNY",
            "value": { "@type": "QuantitativeValue", "minValue": min, "maxValue": max, "unitText": "MONTH" } });
    }
    // `<` inside a script element could close it: escape it (JSON allows \u003c).
    ld.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    /// The CSRF token travels in the same form; the guard checked it before this handler.
    resume: String,
}

pub async fn apply(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ApplyForm>,
) -> Result<Response, WebError> {
    match rencai_app::market::applications::apply(&state, &user.account, &id, &form.resume).await {
        Ok(_) => Ok((StatusCode::SEE_OTHER, [(header::LOCATION, format!("/jobs/{id}?applied=1"))]).into_response()),
        Err(e) => {
            let (status, errors, retry_after) = super::form_error(e)?;
            let mut res = render_job(&state, &csrf, Some(&user), &id, None, errors, status).await?;
            if let Some(secs) = retry_after {
                res.headers_mut().insert(header::RETRY_AFTER, secs.into());
            }
            Ok(res)
        }
    }
}

#[derive(Template)]
#[template(path = "nearby.html")]
struct NearbyPage {
    chrome: Chrome,
    csrf: String,
    q: String,
    radius: u32,
    radii: &'static [u32],
    districts: Vec<Opt>,
    /// The district the list falls back to without a position.
    district_name: Option<String>,
    located: bool,
    jobs: Vec<JobCard>,
    total: u64,
    errors: Vec<String>,
}

const RADII_KM: &[u32] = &[1, 3, 5, 10, 20, 50];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NearbyQuery {
    district: Option<String>,
}

/// The district a nearby list falls back to: the one chosen, or the signed-in seeker's own
/// (from their most recent resume).
async fn fallback_district(
    state: &AppState,
    user: Option<&rencai_app::auth::sessions::Authenticated>,
    chosen: Option<String>,
) -> Result<Option<String>, WebError> {
    if let Some(d) = chosen.filter(|d| !d.trim().is_empty()) {
        return Ok(Some(d));
    }
    match user {
        Some(u) if u.account.role == Role::Seeker => {
            Ok(resumes::list_own(state, &u.account).await?.into_iter().next().map(|r| r.district))
        }
        _ => Ok(None),
    }
}

/// `/nearby` without a position: the fallback district's freshest jobs, and a button that
/// asks the browser for the position of the moment (sent by POST, never in a URL — P7).
pub async fn nearby(
    State(state): State<AppState>,
    csrf: Csrf,
    user: MaybeUser,
    ClientIp(ip): ClientIp,
    ValidQuery(f): ValidQuery<NearbyQuery>,
) -> Result<Response, WebError> {
    if let Some(wall) = metered(&state, ip, user.0.is_some())? {
        return Ok(wall);
    }
    let district = fallback_district(&state, user.0.as_ref(), f.district).await?;
    let filters = JobFilters { district: district.clone(), sort: Some("fresh".into()), ..Default::default() };
    let (list, errors) = match jobs::public_list(&state, &filters, Listing::All).await {
        Ok(l) => (Some(l), Vec::new()),
        Err(e) => (None, super::form_error(e)?.1),
    };
    let page = nearby_page(&state, &csrf, &user, district, "", 5, list, false, errors).await?;
    super::respond_form(StatusCode::OK, &csrf, None, &page)
}

/// `POST /nearby`: jobs around the posted position, nearest first, each with its distance.
pub async fn nearby_post(
    State(state): State<AppState>,
    csrf: Csrf,
    user: MaybeUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<super::Pairs>,
) -> Result<Response, WebError> {
    if let Some(wall) = metered(&state, ip, user.0.is_some())? {
        return Ok(wall);
    }
    let radius = f.number("radius_km").ok().flatten().unwrap_or(jobs::NEARBY_RADIUS_KM.0);
    let q = f.get("q");
    let here = match (f.number("lat"), f.number("lng")) {
        (Ok(Some(lat)), Ok(Some(lng))) => Some(jobs::Here { lat, lng, radius_km: Some(radius) }),
        _ => None,
    };
    let filters = JobFilters { q: Some(q.clone()), ..Default::default() };
    let result = match here {
        Some(h) => jobs::nearby(&state, &filters, h).await,
        None => {
            Err(rencai_app::AppError::invalid("nearby.point", "没有拿到你的位置：请允许浏览器使用位置，或选择区域。"))
        }
    };
    let (list, errors, status) = match result {
        Ok(l) => (Some(l), Vec::new(), StatusCode::OK),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            (None, errors, status)
        }
    };
    let located = list.is_some();
    let page = nearby_page(&state, &csrf, &user, None, &q, radius.round() as u32, list, located, errors).await?;
    super::respond_form(status, &csrf, None, &page)
}

#[allow(clippy::too_many_arguments)]
async fn nearby_page(
    state: &AppState,
    csrf: &Csrf,
    user: &MaybeUser,
    district: Option<String>,
    q: &str,
    radius: u32,
    list: Option<jobs::JobList>,
    located: bool,
    errors: Vec<String>,
) -> Result<NearbyPage, WebError> {
    let t = terms::get(state).await?;
    let now = state.now();
    Ok(NearbyPage {
        chrome: Chrome::new(state, Section::Nearby).for_account(user.0.as_ref().map(|u| &u.account)),
        csrf: csrf.token.clone(),
        q: q.to_string(),
        radius,
        radii: RADII_KM,
        districts: view::options(&t, TaxonomyKind::District, district.as_deref(), false),
        district_name: district.as_deref().map(|d| t.name(TaxonomyKind::District, d).to_string()),
        located,
        total: list.as_ref().map(|l| l.page.total).unwrap_or(0),
        jobs: list.map(|l| l.page.items.iter().map(|j| JobCard::listed(j, &t, now)).collect()).unwrap_or_default(),
        errors,
    })
}
