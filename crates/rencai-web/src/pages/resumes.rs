//! Resumes on the site: the seeker's own (`/me/resumes…`, `/me/viewers`, block list) and the
//! recruiters' resume center (`/resumes`), which shows only what the access policy allows.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::auth::sessions::Authenticated;
use rencai_app::market::attachments;
use rencai_app::market::resumes::{self, CenterFilters, RecruiterResume};
use rencai_app::market::{actor, terms};
use rencai_domain::access::ResumeAccess;
use rencai_domain::mask::Gender;
use rencai_domain::resume::{
    Certificate, Education, Intention, Project, ResumeContent, ResumeVisibility, Skill, WorkExperience,
};
use rencai_domain::taxonomy::TaxonomyKind;

use super::company_center::CurrentRecruiter;
use super::view::{self, Opt, Pager};
use super::{Pairs, see_other};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::extract::ValidQuery;
use crate::session::{Csrf, CurrentUser};

/// A resume line in lists.
#[derive(Debug, Clone)]
struct ResumeLine {
    public_id: String,
    title: String,
    name: String,
    visibility: String,
    visibility_label: &'static str,
    shown_to_companies: bool,
    completeness: i32,
    summary: String,
    refreshed: String,
    unlocked: bool,
    attachments: Vec<attachments::AttachmentInfo>,
}

fn summary(t: &terms::Terms, c: &ResumeContent) -> String {
    let mut parts = Vec::new();
    if !c.education_level.is_empty() {
        parts.push(t.name(TaxonomyKind::Education, &c.education_level).to_string());
    }
    if !c.experience_level.is_empty() {
        parts.push(t.name(TaxonomyKind::Experience, &c.experience_level).to_string());
    }
    let wants: Vec<&str> = c.intention.categories.iter().map(|x| t.name(TaxonomyKind::JobCategory, x)).collect();
    if !wants.is_empty() {
        parts.push(format!("意向：{}", wants.join("、")));
    }
    if let Some(d) = c.intention.districts.first() {
        parts.push(t.name(TaxonomyKind::District, d).to_string());
    }
    parts.join(" · ")
}

fn line(
    t: &terms::Terms,
    r: &rencai_store::market::resumes::ResumeRow,
    name: String,
    now: chrono::DateTime<chrono::Utc>,
    unlocked: bool,
) -> ResumeLine {
    let c = resumes::content(r, String::new());
    let v = ResumeVisibility::parse(&r.visibility).unwrap_or(ResumeVisibility::Hidden);
    ResumeLine {
        public_id: r.public_id.clone(),
        title: r.title.clone(),
        name,
        visibility: v.as_str().into(),
        visibility_label: v.label(),
        shown_to_companies: r.shown_to_companies,
        completeness: r.completeness,
        summary: summary(t, &c),
        refreshed: view::ago(r.refreshed_at, now),
        unlocked,
        attachments: Vec::new(),
    }
}

// ---------------------------------------------------------------- the seeker's own resumes

fn require_seeker(user: &Authenticated) -> Result<(), WebError> {
    actor::require_seeker(&user.account).map_err(WebError::from)
}

#[derive(Template)]
#[template(path = "my_resumes.html")]
struct MinePage {
    chrome: Chrome,
    csrf: String,
    csrf_query: String,
    max_attachments: usize,
    resumes: Vec<ResumeLine>,
    visibilities: Vec<(&'static str, &'static str)>,
    blocked: Vec<(String, String)>,
    max: u32,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

async fn mine_page(
    state: &AppState,
    csrf: &Csrf,
    user: &Authenticated,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let t = terms::get(state).await?;
    let now = state.now();
    let keys = state.keys().get();
    let rows = resumes::list_own(state, &user.account).await?;
    let mut list = Vec::new();
    for r in &rows {
        let name = r.name(&keys).map_err(rencai_app::AppError::from)?;
        let mut l = line(&t, r, name, now, false);
        l.attachments = attachments::list(state, r.id).await?;
        list.push(l);
    }
    let p = MinePage {
        chrome: Chrome::for_user(state, Section::MyResumes, &user.account).await,
        csrf: csrf.token.clone(),
        csrf_query: form_urlencoded::byte_serialize(csrf.token.as_bytes()).collect(),
        max_attachments: attachments::MAX_PER_RESUME,
        resumes: list,
        visibilities: ResumeVisibility::ALL.iter().map(|v| (v.as_str(), v.label())).collect(),
        blocked: resumes::blocked(state, &user.account).await?,
        max: state.settings().market.max_resumes_per_seeker,
        errors,
        error_title: "未能完成：",
        notice,
    };
    super::respond_form(status, csrf, None, &p)
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Flash {
    saved: Option<String>,
    refreshed: Option<u64>,
}

pub async fn mine(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    ValidQuery(f): ValidQuery<Flash>,
) -> Result<Response, WebError> {
    require_seeker(&user)?;
    let notice = match (f.saved, f.refreshed) {
        (Some(_), _) => Some("已保存。".to_string()),
        (_, Some(n)) => Some(format!("已刷新{n}份简历，企业会更早看到它们。")),
        _ => None,
    };
    mine_page(&state, &csrf, &user, vec![], notice, StatusCode::OK).await
}

#[derive(Template)]
#[template(path = "resume_form.html")]
struct FormPage {
    chrome: Chrome,
    csrf: String,
    action: String,
    editing: bool,
    c: ResumeContent,
    email: String,
    birth_year: String,
    salary_min: String,
    salary_max: String,
    genders: Vec<Opt>,
    educations: Vec<Opt>,
    experiences: Vec<Opt>,
    districts: Vec<Opt>,
    cur_districts: Vec<Opt>,
    industries: Vec<Opt>,
    types: Vec<Opt>,
    intent_categories: Vec<Vec<Opt>>,
    edu_rows: Vec<(Education, Vec<Opt>)>,
    work_rows: Vec<WorkExperience>,
    project_rows: Vec<Project>,
    skill_rows: Vec<(Skill, Vec<Opt>)>,
    cert_rows: Vec<Certificate>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

fn padded<T: Clone + Default>(v: &[T], at_least: usize) -> Vec<T> {
    let mut out = v.to_vec();
    let n = (v.len() + 1).max(at_least).min(rencai_domain::resume::MAX_ENTRIES);
    while out.len() < n {
        out.push(T::default());
    }
    out
}

async fn form_page(
    state: &AppState,
    csrf: &Csrf,
    user: &Authenticated,
    id: Option<&str>,
    c: ResumeContent,
    email: String,
    errors: Vec<String>,
) -> Result<FormPage, WebError> {
    let t = terms::get(state).await?;
    let opts = |kind, sel: &str| {
        view::options(&t, kind, Some(sel), false).into_iter().filter(|o| o.code != "any").collect::<Vec<_>>()
    };
    let cats = padded(&c.intention.categories, 3);
    let level_opts = |sel: &str| {
        rencai_domain::resume::SKILL_LEVELS
            .iter()
            .map(|l| Opt { code: (*l).into(), name: (*l).into(), selected: *l == sel })
            .collect()
    };
    Ok(FormPage {
        chrome: Chrome::for_user(state, Section::MyResumes, &user.account).await,
        csrf: csrf.token.clone(),
        action: id.map(|i| format!("/me/resumes/{i}/edit")).unwrap_or_else(|| "/me/resumes/create".into()),
        editing: id.is_some(),
        email,
        birth_year: c.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        salary_min: c.intention.salary_min.map(|v| v.to_string()).unwrap_or_default(),
        salary_max: c.intention.salary_max.map(|v| v.to_string()).unwrap_or_default(),
        genders: Gender::ALL
            .iter()
            .map(|g| Opt { code: g.as_str().into(), name: g.label().into(), selected: *g == c.gender })
            .collect(),
        educations: opts(TaxonomyKind::Education, &c.education_level),
        experiences: opts(TaxonomyKind::Experience, &c.experience_level),
        districts: opts(TaxonomyKind::District, c.intention.districts.first().map(String::as_str).unwrap_or("")),
        cur_districts: opts(TaxonomyKind::District, &c.current_district),
        industries: opts(TaxonomyKind::Industry, c.intention.industries.first().map(String::as_str).unwrap_or("")),
        types: opts(TaxonomyKind::JobType, &c.intention.job_type),
        intent_categories: cats
            .iter()
            .take(3)
            .map(|sel| view::tree_options(&t, TaxonomyKind::JobCategory, Some(sel)))
            .collect(),
        edu_rows: padded(&c.education, 2)
            .into_iter()
            .map(|e| {
                let o = opts(TaxonomyKind::Education, &e.degree);
                (e, o)
            })
            .collect(),
        work_rows: padded(&c.work, 2),
        project_rows: padded(&c.projects, 1),
        skill_rows: padded(&c.skills, 3)
            .into_iter()
            .map(|s| {
                let o = level_opts(&s.level);
                (s, o)
            })
            .collect(),
        cert_rows: padded(&c.certificates, 2),
        c,
        errors,
        error_title: "请修改以下内容：",
        notice: None,
    })
}

/// Reads the resume form: fixed rows per section; rows left blank are dropped.
fn content_from(f: &Pairs) -> (ResumeContent, Vec<String>) {
    let mut problems = Vec::new();
    let num = |key: &str, label: &str, problems: &mut Vec<String>| -> Option<u32> {
        let v = f.get(key);
        let v = v.trim();
        if v.is_empty() {
            return None;
        }
        match v.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.push(format!("{label}请填写整数。"));
                None
            }
        }
    };
    let birth_year = num("birth_year", "出生年份", &mut problems).map(|y| y as i32);
    let salary_min = num("salary_min", "期望月薪下限", &mut problems);
    let salary_max = num("salary_max", "期望月薪上限", &mut problems);
    let rows = |prefix: &str| -> Vec<usize> {
        let mut idx: Vec<usize> = f
            .0
            .iter()
            .filter_map(|(k, _)| k.strip_prefix(prefix).and_then(|r| r.rsplit('_').next()).and_then(|i| i.parse().ok()))
            .collect();
        idx.sort_unstable();
        idx.dedup();
        idx.truncate(rencai_domain::resume::MAX_ENTRIES + 1);
        idx
    };
    let g = |k: String| f.get(&k).trim().to_string();
    let education = rows("edu_")
        .into_iter()
        .map(|i| Education {
            school: g(format!("edu_school_{i}")),
            major: g(format!("edu_major_{i}")),
            degree: g(format!("edu_degree_{i}")),
            start: g(format!("edu_start_{i}")),
            end: g(format!("edu_end_{i}")),
        })
        .filter(|e| !(e.school.is_empty() && e.major.is_empty() && e.start.is_empty() && e.end.is_empty()))
        .collect();
    let work = rows("work_")
        .into_iter()
        .map(|i| WorkExperience {
            company: g(format!("work_company_{i}")),
            title: g(format!("work_title_{i}")),
            start: g(format!("work_start_{i}")),
            end: g(format!("work_end_{i}")),
            description: g(format!("work_desc_{i}")),
        })
        .filter(|w| !(w.company.is_empty() && w.title.is_empty() && w.start.is_empty() && w.description.is_empty()))
        .collect();
    let projects = rows("project_")
        .into_iter()
        .map(|i| Project {
            name: g(format!("project_name_{i}")),
            role: g(format!("project_role_{i}")),
            start: g(format!("project_start_{i}")),
            end: g(format!("project_end_{i}")),
            description: g(format!("project_desc_{i}")),
        })
        .filter(|p| !(p.name.is_empty() && p.role.is_empty() && p.start.is_empty() && p.description.is_empty()))
        .collect();
    let skills = rows("skill_")
        .into_iter()
        .map(|i| Skill { name: g(format!("skill_name_{i}")), level: g(format!("skill_level_{i}")) })
        .filter(|s| !s.name.is_empty())
        .collect();
    let certificates = rows("cert_")
        .into_iter()
        .map(|i| Certificate { name: g(format!("cert_name_{i}")), issued: g(format!("cert_issued_{i}")) })
        .filter(|c| !(c.name.is_empty() && c.issued.is_empty()))
        .collect();
    let mut categories: Vec<String> = f.all("intent_category");
    categories.dedup();
    let one = |k: &str| f.all(k).into_iter().take(1).collect::<Vec<_>>();
    let c = ResumeContent {
        title: f.get("title"),
        full_name: f.get("full_name"),
        gender: Gender::parse(&f.get("gender")).unwrap_or(Gender::Unspecified),
        birth_year,
        education_level: f.get("education_level"),
        experience_level: f.get("experience_level"),
        current_district: f.get("current_district"),
        intention: Intention {
            categories,
            industries: one("intent_industry"),
            districts: one("intent_district"),
            salary_min,
            salary_max,
            job_type: f.get("job_type"),
        },
        education,
        work,
        projects,
        skills,
        certificates,
        self_intro: f.get("self_intro"),
    };
    (c, problems)
}

pub async fn new_form(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
) -> Result<Response, WebError> {
    require_seeker(&user)?;
    let c = ResumeContent { gender: Gender::Unspecified, ..Default::default() };
    let p = form_page(&state, &csrf, &user, None, c, String::new(), vec![]).await?;
    super::respond_form(StatusCode::OK, &csrf, None, &p)
}

pub async fn edit_form(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    require_seeker(&user)?;
    let r = resumes::own(&state, &user.account, &id).await?;
    let keys = state.keys().get();
    let name = r.name(&keys).map_err(rencai_app::AppError::from)?;
    let email = r.email(&keys).map_err(rencai_app::AppError::from)?.unwrap_or_default();
    let p = form_page(&state, &csrf, &user, Some(&id), resumes::content(&r, name), email, vec![]).await?;
    super::respond_form(StatusCode::OK, &csrf, None, &p)
}

pub async fn create(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    save(state, csrf, user, None, f).await
}

pub async fn update(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    save(state, csrf, user, Some(id), f).await
}

async fn save(
    state: AppState,
    csrf: Csrf,
    user: Authenticated,
    id: Option<String>,
    f: Pairs,
) -> Result<Response, WebError> {
    require_seeker(&user)?;
    let (c, problems) = content_from(&f);
    let email = f.get("email");
    let result = if problems.is_empty() {
        resumes::save(&state, &user.account, id.as_deref(), &c, Some(&email)).await.map(|_| ())
    } else {
        Err(rencai_app::AppError::invalid("resume.invalid", problems.join(" ")))
    };
    match result {
        Ok(()) => Ok(see_other("/me/resumes?saved=1")),
        Err(e) => {
            let (status, mut errors, _) = super::form_error(e)?;
            if errors.is_empty() {
                errors = problems;
            }
            let p = form_page(&state, &csrf, &user, id.as_deref(), c, email, errors).await?;
            super::respond_form(status, &csrf, None, &p)
        }
    }
}

pub async fn set_visibility(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    require_seeker(&user)?;
    match resumes::set_visibility(&state, &user.account, &id, &f.get("visibility"), f.flag("shown_to_companies")).await
    {
        Ok(_) => Ok(see_other("/me/resumes?saved=1")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            mine_page(&state, &csrf, &user, errors, None, status).await
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    require_seeker(&user)?;
    resumes::delete(&state, &user.account, &id).await?;
    Ok(see_other("/me/resumes?saved=1"))
}

pub async fn refresh_all(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    require_seeker(&user)?;
    let n = resumes::refresh(&state, &user.account, &f.all("resume")).await?;
    Ok(see_other(&format!("/me/resumes?refreshed={n}")))
}

pub async fn block(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    require_seeker(&user)?;
    match resumes::block(&state, &user.account, f.get("company").trim()).await {
        Ok(()) => Ok(see_other("/me/resumes?saved=1")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            mine_page(&state, &csrf, &user, errors, None, status).await
        }
    }
}

pub async fn unblock(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    require_seeker(&user)?;
    resumes::unblock(&state, &user.account, f.get("company").trim()).await?;
    Ok(see_other("/me/resumes?saved=1"))
}

#[derive(Template)]
#[template(path = "my_viewers.html")]
struct ViewersPage {
    chrome: Chrome,
    views: Vec<(String, String, String, String, &'static str, String)>,
    disclosures: Vec<(String, String, String)>,
}

pub async fn viewers(State(state): State<AppState>, CurrentUser(user): CurrentUser) -> Result<Response, WebError> {
    require_seeker(&user)?;
    let local = rencai_domain::time::beijing;
    let views = resumes::viewers(&state, &user.account)
        .await?
        .into_iter()
        .map(|v| {
            let kind = match v.kind.as_str() {
                "unlock" => "下载了联系方式",
                "download" => "下载了简历",
                _ => "查看了",
            };
            (v.company_public_id, v.company_name, v.resume_public_id, v.resume_title, kind, local(v.created_at))
        })
        .collect();
    let disclosures = resumes::disclosures(&state, &user.account)
        .await?
        .into_iter()
        .map(|d| (d.recipient_name.unwrap_or_else(|| "（已注销的单位）".into()), d.detail, local(d.created_at)))
        .collect();
    let p =
        ViewersPage { chrome: Chrome::for_user(&state, Section::MyResumes, &user.account).await, views, disclosures };
    super::render(&p, false)
}

// ---------------------------------------------------------------- the recruiters' resume center

#[derive(Template)]
#[template(path = "resume_center.html")]
struct CenterPage {
    chrome: Chrome,
    q: String,
    resumes: Vec<ResumeLine>,
    categories: Vec<Opt>,
    districts: Vec<Opt>,
    educations: Vec<Opt>,
    experiences: Vec<Opt>,
    pager: Pager,
}

pub async fn center(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ValidQuery(f): ValidQuery<CenterFilters>,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(&state, &user.account).await?;
    let t = terms::get(&state).await?;
    let page = resumes::center(&state, &rec, &f).await?;
    let now = state.now();
    let p = CenterPage {
        chrome: Chrome::for_user(&state, Section::Resumes, &user.account).await,
        q: f.q.clone().unwrap_or_default(),
        resumes: page
            .items
            .iter()
            .map(|r| line(&t, &r.row, r.display_name.clone(), now, r.access == ResumeAccess::Full))
            .collect(),
        categories: view::tree_options(&t, TaxonomyKind::JobCategory, f.category.as_deref()),
        districts: view::options(&t, TaxonomyKind::District, f.district.as_deref(), false),
        educations: view::options(&t, TaxonomyKind::Education, f.education.as_deref(), false),
        experiences: view::options(&t, TaxonomyKind::Experience, f.experience.as_deref(), false),
        pager: Pager::new(
            &page,
            "/resumes",
            &[
                ("q", f.q.clone()),
                ("category", f.category.clone()),
                ("district", f.district.clone()),
                ("education", f.education.clone()),
                ("experience", f.experience.clone()),
            ],
        ),
    };
    super::render(&p, false)
}

#[derive(Template)]
#[template(path = "job_candidates.html")]
struct CandidatesPage {
    chrome: Chrome,
    job_title: String,
    job_public_id: String,
    candidates: Vec<(ResumeLine, String)>,
}

/// Suggested candidates for one of the recruiter's jobs (M19), each with the reason.
pub async fn job_candidates(
    State(state): State<AppState>,
    CurrentRecruiter { user, rec }: CurrentRecruiter,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (job, found) = rencai_app::market::matching::candidates(&state, &rec, &id, 20).await?;
    let t = terms::get(&state).await?;
    let now = state.now();
    let p = CandidatesPage {
        chrome: Chrome::for_user(&state, Section::Company, &user.account).await,
        job_title: job.title.clone(),
        job_public_id: job.public_id.clone(),
        candidates: found
            .into_iter()
            .map(|c| {
                let r = &c.resume;
                (line(&t, &r.row, r.display_name.clone(), now, r.access == ResumeAccess::Full), c.reason)
            })
            .collect(),
    };
    super::render(&p, false)
}

#[derive(Template)]
#[template(path = "resume_view.html")]
struct ResumePage {
    chrome: Chrome,
    csrf: String,
    r: RecruiterResume,
    files: Vec<attachments::AttachmentInfo>,
    full: bool,
    gender: &'static str,
    age: Option<i32>,
    education_level: String,
    experience_level: String,
    district: String,
    wants: String,
    salary: String,
    unlocks_left: u64,
    kept: bool,
    keep_kind: &'static str,
    keep_id: String,
    keep_back: String,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

async fn resume_page(
    state: &AppState,
    csrf: &Csrf,
    who: &CurrentRecruiter,
    r: RecruiterResume,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (user, rec) = (&who.user, &who.rec);
    let t = terms::get(state).await?;
    let c = &r.content;
    let (granted, used) = rencai_app::market::quota::balance(
        state.db().conn(),
        rec.org.id,
        rencai_app::market::quota::QuotaKind::ResumeUnlock,
        state.now(),
    )
    .await?;
    let year = chrono::Datelike::year(&rencai_domain::time::china_day(state.now()));
    let p = ResumePage {
        chrome: Chrome::for_user(state, Section::Resumes, &user.account).await,
        csrf: csrf.token.clone(),
        full: r.access == ResumeAccess::Full,
        gender: c.gender.label(),
        age: c.birth_year.map(|b| year - b),
        education_level: t.name(TaxonomyKind::Education, &c.education_level).to_string(),
        experience_level: t.name(TaxonomyKind::Experience, &c.experience_level).to_string(),
        district: t.name(TaxonomyKind::District, &c.current_district).to_string(),
        wants: c
            .intention
            .categories
            .iter()
            .map(|x| t.name(TaxonomyKind::JobCategory, x))
            .collect::<Vec<_>>()
            .join("、"),
        salary: match (c.intention.salary_min, c.intention.salary_max) {
            (Some(a), Some(b)) => view::salary_label(Some((a, b))),
            _ => "面议".into(),
        },
        unlocks_left: granted.saturating_sub(used),
        files: if r.access == ResumeAccess::Full { attachments::list(state, r.row.id).await? } else { Vec::new() },
        kept: rencai_app::market::favourites::contains(
            state,
            &user.account,
            rencai_app::market::favourites::Kind::Resume,
            r.row.id,
        )
        .await?,
        keep_kind: "resume",
        keep_id: r.row.public_id.clone(),
        keep_back: format!("/resumes/{}", r.row.public_id),
        r,
        errors,
        error_title: "未能下载：",
        notice,
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn show(
    State(state): State<AppState>,
    csrf: Csrf,
    who: CurrentRecruiter,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let r = resumes::view(&state, &who.rec, &id).await?;
    resume_page(&state, &csrf, &who, r, vec![], None, StatusCode::OK).await
}

pub async fn unlock(
    State(state): State<AppState>,
    csrf: Csrf,
    who: CurrentRecruiter,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let rec = &who.rec;
    match resumes::unlock(&state, rec, &id).await {
        Ok(r) => {
            resume_page(
                &state,
                &csrf,
                &who,
                r,
                vec![],
                Some("已下载，本单位的招聘者都可以看到完整联系方式。".into()),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            let r = resumes::view(&state, rec, &id).await?;
            resume_page(&state, &csrf, &who, r, errors, None, status).await
        }
    }
}

// ---------------------------------------------------------------- attachments

/// `Content-Disposition: attachment` with an ASCII fallback name and the real one per RFC 6266.
pub(crate) fn disposition(name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }).collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

pub(crate) fn send(d: attachments::Download) -> Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, d.mime),
            (header::CONTENT_DISPOSITION, disposition(&d.name)),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
            (header::HeaderName::from_static("x-content-type-options"), "nosniff".to_string()),
        ],
        d.bytes,
    )
        .into_response()
}

/// Reads the uploaded file, refusing as soon as it passes the configured size.
pub(crate) async fn read_upload(
    state: &AppState,
    mut mp: axum::extract::Multipart,
) -> Result<(String, Vec<u8>), rencai_app::AppError> {
    let max = u64::from(state.settings().market.max_attachment_kib) * 1024;
    let bad = || rencai_app::AppError::invalid_field("file.unreadable", "file", "上传失败，请重新选择文件。");
    while let Some(mut field) = mp.next_field().await.map_err(|_| bad())? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| bad())? {
            if (bytes.len() + chunk.len()) as u64 > max {
                return Err(attachments::too_large(state));
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok((name, bytes));
    }
    Err(rencai_app::AppError::invalid_field("file.empty", "file", "请选择要上传的文件。"))
}

pub async fn upload(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    super::company_center::Upload(file): super::company_center::Upload,
) -> Result<Response, WebError> {
    require_seeker(&user)?;
    let result = match file {
        Ok((name, bytes)) => attachments::upload(&state, &user.account, &id, &name, bytes).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other("/me/resumes?saved=1")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            mine_page(&state, &csrf, &user, errors, None, status).await
        }
    }
}

pub async fn own_file(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    Ok(send(attachments::download_own(&state, &user.account, &id).await?))
}

pub async fn delete_file(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    attachments::delete_own(&state, &user.account, &id).await?;
    Ok(see_other("/me/resumes?saved=1"))
}

pub async fn recruiter_file(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(&state, &user.account).await?;
    Ok(send(attachments::download_for_recruiter(&state, &rec, &id, &file).await?))
}

/// An image shown in a page (a company's logo or photo): inline, cacheable for a while.
pub(crate) fn send_image(d: attachments::Download) -> Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, d.mime),
            (header::CACHE_CONTROL, "public, max-age=3600".to_string()),
            (header::HeaderName::from_static("x-content-type-options"), "nosniff".to_string()),
        ],
        d.bytes,
    )
        .into_response()
}

/// The resume as a watermarked PDF (full view only).
pub async fn pdf(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(&state, &user.account).await?;
    Ok(send(resumes::pdf(&state, &rec, &id).await?))
}
