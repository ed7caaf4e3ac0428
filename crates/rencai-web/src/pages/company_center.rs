//! The company center (`/company/…`): the organisation's profile and verification, its jobs,
//! its quota, and for an agency its declared clients. Sub-accounts see their own jobs; the
//! primary account sees and manages all of them (P17).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::auth::sessions::Authenticated;
use rencai_app::market::actor::{self, Recruiter};
use rencai_app::market::org_files::{self, OrgFile};
use rencai_app::market::{companies, jobs, quota, terms};
use rencai_domain::account::Role;
use rencai_domain::company::{CompanyProfileInput, CompanySize, Ownership, Verification};
use rencai_domain::job::JobInput;
use rencai_domain::taxonomy::TaxonomyKind;
use rencai_store::market::companies::{ClientRow, CompanyRow};
use rencai_store::market::jobs::JobRow;

use super::view::{self, JobCard, Opt};
use super::{Pairs, see_other};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::session::{Csrf, CurrentUser};

fn forbidden_role() -> WebError {
    WebError::from(rencai_app::AppError::Forbidden {
        code: "company.only",
        message: "企业中心只对企业和人力资源机构账号开放。".into(),
    })
}

fn require_org_role(user: &Authenticated) -> Result<(), WebError> {
    if matches!(user.account.role, Role::Company | Role::Agency) { Ok(()) } else { Err(forbidden_role()) }
}

/// A signed-in recruiter with the organisation it recruits for: what most company-center
/// handlers need. Visitors are sent to log in; other roles and accounts without an
/// organisation are refused.
pub(crate) struct CurrentRecruiter {
    pub user: Authenticated,
    pub rec: Recruiter,
}

impl axum::extract::FromRequestParts<AppState> for CurrentRecruiter {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, Response> {
        use axum::response::IntoResponse;
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        require_org_role(&user).map_err(IntoResponse::into_response)?;
        let rec =
            actor::require_recruiter(state, &user.account).await.map_err(|e| WebError::from(e).into_response())?;
        Ok(Self { user, rec })
    }
}

/// An uploaded file (field `file`) read up to the configured size, or why it could not be.
pub(crate) struct Upload(pub rencai_app::AppResult<(String, Vec<u8>)>);

impl axum::extract::FromRequest<AppState> for Upload {
    type Rejection = Response;
    async fn from_request(req: axum::extract::Request, state: &AppState) -> Result<Self, Response> {
        let read = match axum::extract::Multipart::from_request(req, state).await {
            Ok(mp) => super::resumes::read_upload(state, mp).await,
            Err(_) => Err(rencai_app::AppError::invalid_field("file.unreadable", "file", "上传失败，请重新选择文件。")),
        };
        Ok(Upload(read))
    }
}

#[derive(Template)]
#[template(path = "company_home.html")]
struct HomePage {
    chrome: Chrome,
    csrf: String,
    org: CompanyRow,
    is_agency: bool,
    primary: bool,
    real_name_verified: bool,
    verification_label: &'static str,
    quota: Vec<(&'static str, u64, u64)>,
    jobs: Vec<JobCard>,
    /// Declared clients with their authorization documents.
    clients: Vec<(ClientRow, Vec<rencai_app::market::attachments::AttachmentInfo>)>,
    /// For the primary account: (account id, masked phone, is primary, real-name passed).
    members: Vec<(i64, String, bool, bool)>,
    /// (kind, label, files) for logo, photos and qualification documents.
    file_groups: Vec<(&'static str, &'static str, Vec<rencai_app::market::attachments::AttachmentInfo>)>,
    csrf_query: String,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

#[derive(Template)]
#[template(path = "company_profile.html")]
struct ProfilePage {
    chrome: Chrome,
    csrf: String,
    creating: bool,
    is_agency: bool,
    f: ProfileFields,
    industries: Vec<Opt>,
    districts: Vec<Opt>,
    sizes: Vec<Opt>,
    ownerships: Vec<Opt>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct ProfileFields {
    name: String,
    credit_code: String,
    address: String,
    lat: String,
    lng: String,
    intro: String,
    contact_name: String,
    pledge: bool,
}

fn fixed_options<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    sel: &str,
) -> Vec<Opt> {
    all.iter().map(|v| Opt { code: code(*v).into(), name: label(*v).into(), selected: code(*v) == sel }).collect()
}

async fn profile_page(
    state: &AppState,
    csrf: &Csrf,
    user: &Authenticated,
    creating: bool,
    f: ProfileFields,
    sel: (&str, &str, &str, &str),
    errors: Vec<String>,
) -> Result<ProfilePage, WebError> {
    let t = terms::get(state).await?;
    Ok(ProfilePage {
        chrome: Chrome::for_user(state, Section::Company, &user.account).await,
        csrf: csrf.token.clone(),
        creating,
        is_agency: user.account.role == Role::Agency,
        f,
        industries: view::options(&t, TaxonomyKind::Industry, Some(sel.0), false),
        districts: view::options(&t, TaxonomyKind::District, Some(sel.1), false),
        sizes: fixed_options(&CompanySize::ALL, |s| s.as_str(), |s| s.label(), sel.2),
        ownerships: fixed_options(&Ownership::ALL, |s| s.as_str(), |s| s.label(), sel.3),
        errors,
        error_title: "请修改以下内容：",
        notice: None,
    })
}

pub async fn home(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
) -> Result<Response, WebError> {
    require_org_role(&user)?;
    let Some(rec) = actor::recruiter(&state, &user.account).await? else {
        let p = profile_page(&state, &csrf, &user, true, ProfileFields::default(), ("", "", "", ""), vec![]).await?;
        return super::respond_form(StatusCode::OK, &csrf, None, &p);
    };
    render_home(&state, &csrf, &user, &rec, vec![], None, StatusCode::OK).await
}

async fn render_home(
    state: &AppState,
    csrf: &Csrf,
    user: &Authenticated,
    rec: &Recruiter,
    errors: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let t = terms::get(state).await?;
    let now = state.now();
    let list = jobs::own_list(state, rec, None, Some(1)).await?;
    let p = HomePage {
        chrome: Chrome::for_user(state, Section::Company, &user.account).await,
        csrf: csrf.token.clone(),
        is_agency: rec.is_agency(),
        primary: rec.primary,
        real_name_verified: rec.real_name_verified,
        verification_label: Verification::parse(&rec.org.verification).map(|v| v.label()).unwrap_or(""),
        quota: quota::summary(state, rec.org.id).await?.into_iter().map(|(k, g, u)| (k.label(), g, u)).collect(),
        jobs: list.items.iter().map(|j| JobCard::new(j, &t, now)).collect(),
        clients: if rec.is_agency() {
            let mut out = Vec::new();
            for c in companies::clients(state, rec).await? {
                let docs = org_files::authorizations(state, c.id).await?;
                out.push((c, docs));
            }
            out
        } else {
            Vec::new()
        },
        members: if rec.primary {
            rencai_app::market::members::list(state, rec)
                .await?
                .into_iter()
                .map(|(m, phone)| (m.account_id, phone, m.is_primary, m.real_name_verified_at.is_some()))
                .collect()
        } else {
            Vec::new()
        },
        file_groups: vec![
            ("logo", "单位标志", org_files::list(state, rec.org.id, OrgFile::Logo).await?),
            ("photo", "环境照片", org_files::list(state, rec.org.id, OrgFile::Photo).await?),
            ("qualification", "资质文件", org_files::list(state, rec.org.id, OrgFile::Qualification).await?),
        ],
        csrf_query: form_urlencoded::byte_serialize(csrf.token.as_bytes()).collect(),
        org: rec.org.clone(),
        errors,
        error_title: "未能完成：",
        notice,
    };
    super::respond_form(status, csrf, None, &p)
}

/// The answer to a company-center form: back to the center on success, the center with the
/// errors otherwise.
async fn back_to_center(
    state: &AppState,
    csrf: &Csrf,
    user: &Authenticated,
    rec: &Recruiter,
    result: rencai_app::AppResult<()>,
    to: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(see_other(to)),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            render_home(state, csrf, user, rec, errors, None, status).await
        }
    }
}

fn profile_input(f: &Pairs) -> Result<CompanyProfileInput, String> {
    let lat = f.number("lat").map_err(|_| "纬度格式不正确。".to_string())?;
    let lng = f.number("lng").map_err(|_| "经度格式不正确。".to_string())?;
    Ok(CompanyProfileInput {
        name: f.get("name"),
        credit_code: f.get("credit_code"),
        industry: f.get("industry"),
        size: f.get("size"),
        ownership: f.get("ownership"),
        district: f.get("district"),
        address: f.get("address"),
        intro: f.get("intro"),
        contact_name: f.get("contact_name"),
        lat,
        lng,
    })
}

fn echo(f: &Pairs) -> ProfileFields {
    ProfileFields {
        name: f.get("name"),
        credit_code: f.get("credit_code"),
        address: f.get("address"),
        lat: f.get("lat"),
        lng: f.get("lng"),
        intro: f.get("intro"),
        contact_name: f.get("contact_name"),
        pledge: f.flag("pledge"),
    }
}

/// Creates the organisation (first visit) or saves the profile.
pub async fn save_profile(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    require_org_role(&user)?;
    let rec = actor::recruiter(&state, &user.account).await?;
    let creating = rec.is_none();
    let result = match profile_input(&f) {
        Err(msg) => Err(rencai_app::AppError::invalid_field("company.point", "point", msg)),
        Ok(input) => match &rec {
            None => companies::create(&state, &user.account, input, f.flag("pledge")).await.map(|_| ()),
            Some(r) => companies::update(&state, r, input).await.map(|_| ()),
        },
    };
    match result {
        Ok(()) => Ok(see_other("/company?saved=1")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            let sel = (f.get("industry"), f.get("district"), f.get("size"), f.get("ownership"));
            let p = profile_page(&state, &csrf, &user, creating, echo(&f), (&sel.0, &sel.1, &sel.2, &sel.3), errors)
                .await?;
            super::respond_form(status, &csrf, None, &p)
        }
    }
}

pub async fn edit_profile(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentRecruiter { user, rec }: CurrentRecruiter,
) -> Result<Response, WebError> {
    let o = &rec.org;
    let f = ProfileFields {
        name: o.name.clone(),
        credit_code: o.credit_code.clone(),
        address: o.address.clone(),
        lat: o.lat.map(|v| v.to_string()).unwrap_or_default(),
        lng: o.lng.map(|v| v.to_string()).unwrap_or_default(),
        intro: o.intro.clone(),
        contact_name: o.contact_name(&state.keys().get()).unwrap_or_default(),
        pledge: true,
    };
    let p =
        profile_page(&state, &csrf, &user, false, f, (&o.industry, &o.district, &o.size, &o.ownership), vec![]).await?;
    super::respond_form(StatusCode::OK, &csrf, None, &p)
}

pub async fn submit_verification(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
) -> Result<Response, WebError> {
    require_org_role(&user)?;
    match companies::submit_for_verification(&state, &user.account).await {
        Ok(()) => Ok(see_other("/company?submitted=1")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            let rec = actor::require_recruiter(&state, &user.account).await?;
            render_home(&state, &csrf, &user, &rec, errors, None, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "company_job_form.html")]
struct JobFormPage {
    chrome: Chrome,
    csrf: String,
    action: String,
    editing: Option<String>,
    status_label: &'static str,
    reject_reason: Option<String>,
    f: JobInput,
    salary_negotiable: bool,
    categories: Vec<Opt>,
    industries: Vec<Opt>,
    districts: Vec<Opt>,
    educations: Vec<Opt>,
    experiences: Vec<Opt>,
    types: Vec<Opt>,
    benefits: Vec<Opt>,
    clients: Vec<Opt>,
    is_agency: bool,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

/// What the job form shows: the fields as typed, and for an agency the client chosen.
struct JobDraft {
    input: JobInput,
    employer: String,
}

async fn job_form_page(
    state: &AppState,
    csrf: &Csrf,
    user: &Authenticated,
    rec: &Recruiter,
    job: Option<&JobRow>,
    draft: JobDraft,
    errors: Vec<String>,
) -> Result<JobFormPage, WebError> {
    let t = terms::get(state).await?;
    let JobDraft { input: f, employer } = draft;
    let clients = if rec.is_agency() {
        companies::clients(state, rec)
            .await?
            .into_iter()
            .filter(|c| c.status == "verified")
            .map(|c| Opt { selected: c.client_public_id == employer, code: c.client_public_id, name: c.client_name })
            .collect()
    } else {
        Vec::new()
    };
    let benefits = t
        .list(TaxonomyKind::Benefit)
        .iter()
        .map(|b| Opt { code: b.code.clone(), name: b.name.clone(), selected: f.benefits.contains(&b.code) })
        .collect();
    Ok(JobFormPage {
        chrome: Chrome::for_user(state, Section::Company, &user.account).await,
        csrf: csrf.token.clone(),
        action: job.map(|j| format!("/company/jobs/{}/edit", j.public_id)).unwrap_or_else(|| "/company/jobs".into()),
        editing: job.map(|j| j.public_id.clone()),
        status_label: job
            .and_then(|j| rencai_domain::job::JobStatus::parse(&j.status))
            .map(|s| s.label())
            .unwrap_or(""),
        reject_reason: job.and_then(|j| j.reject_reason.clone()),
        salary_negotiable: f.negotiable,
        categories: view::tree_options(&t, TaxonomyKind::JobCategory, Some(&f.category)),
        industries: view::options(&t, TaxonomyKind::Industry, Some(&f.industry), false),
        districts: view::options(&t, TaxonomyKind::District, Some(&f.district), false),
        educations: view::options(&t, TaxonomyKind::Education, Some(&f.education), false),
        experiences: view::options(&t, TaxonomyKind::Experience, Some(&f.experience), false),
        types: view::options(&t, TaxonomyKind::JobType, Some(&f.job_type), false),
        benefits,
        clients,
        is_agency: rec.is_agency(),
        f,
        errors,
        error_title: "未能保存：",
        notice: None,
    })
}

fn job_input(f: &Pairs) -> Result<JobInput, String> {
    let lat = f.number("lat").map_err(|_| "纬度格式不正确。".to_string())?;
    let lng = f.number("lng").map_err(|_| "经度格式不正确。".to_string())?;
    Ok(JobInput {
        title: f.get("title"),
        category: f.get("category"),
        industry: f.get("industry"),
        district: f.get("district"),
        address: f.get("address"),
        lat,
        lng,
        salary_min: f.get("salary_min"),
        salary_max: f.get("salary_max"),
        negotiable: f.flag("negotiable"),
        education: f.get("education"),
        experience: f.get("experience"),
        job_type: f.get("job_type"),
        headcount: f.get("headcount"),
        benefits: f.all("benefits"),
        description: f.get("description"),
        contact_name: f.get("contact_name"),
        contact_phone: f.get("contact_phone"),
        campus: f.flag("campus"),
        // Urgent placement is a paid service (M4, M12); it is set by staff until orders exist.
        urgent: false,
    })
}

pub async fn new_job(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentRecruiter { user, rec }: CurrentRecruiter,
) -> Result<Response, WebError> {
    let f = JobInput { headcount: "1".into(), job_type: "full-time".into(), ..Default::default() };
    let p =
        job_form_page(&state, &csrf, &user, &rec, None, JobDraft { input: f, employer: String::new() }, vec![]).await?;
    super::respond_form(StatusCode::OK, &csrf, None, &p)
}

pub async fn create_job(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    save_job(state, csrf, user, None, f).await
}

pub async fn edit_job(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentRecruiter { user, rec }: CurrentRecruiter,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let job = jobs::managed(&state, &rec, &id).await?;
    let (contact_name, contact_phone) = job.contact(&state.keys().get()).map_err(rencai_app::AppError::from)?;
    let f = JobInput {
        title: job.title.clone(),
        category: job.category.clone(),
        industry: job.industry.clone(),
        district: job.district.clone(),
        address: job.address.clone(),
        lat: job.lat,
        lng: job.lng,
        salary_min: job.salary_min.map(|v| v.to_string()).unwrap_or_default(),
        salary_max: job.salary_max.map(|v| v.to_string()).unwrap_or_default(),
        negotiable: job.salary().is_none(),
        education: job.education.clone(),
        experience: job.experience.clone(),
        job_type: job.job_type.clone(),
        headcount: job.headcount.to_string(),
        benefits: job.benefit_codes(),
        description: job.description.clone(),
        contact_name,
        contact_phone,
        campus: job.campus,
        urgent: job.urgent,
    };
    let p =
        job_form_page(&state, &csrf, &user, &rec, Some(&job), JobDraft { input: f, employer: String::new() }, vec![])
            .await?;
    super::respond_form(StatusCode::OK, &csrf, None, &p)
}

pub async fn update_job(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    save_job(state, csrf, user, Some(id), f).await
}

async fn save_job(
    state: AppState,
    csrf: Csrf,
    user: Authenticated,
    id: Option<String>,
    f: Pairs,
) -> Result<Response, WebError> {
    require_org_role(&user)?;
    let rec = actor::require_recruiter(&state, &user.account).await?;
    let submit = f.get("action") == "submit";
    let employer = f.get("employer");
    let result = match job_input(&f) {
        Err(msg) => Err(rencai_app::AppError::invalid_field("job.point", "point", msg)),
        Ok(input) => jobs::save(&state, &rec, id.as_deref(), Some(employer.as_str()), input, submit).await,
    };
    match result {
        Ok(job) => {
            Ok(see_other(&format!("/company?saved={}", if job.status == "pending" { "pending" } else { "draft" })))
        }
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            let job = match &id {
                Some(id) => Some(jobs::managed(&state, &rec, id).await?),
                None => None,
            };
            let input = job_input(&f).unwrap_or_default();
            let p =
                job_form_page(&state, &csrf, &user, &rec, job.as_ref(), JobDraft { input, employer }, errors).await?;
            super::respond_form(status, &csrf, None, &p)
        }
    }
}

pub async fn close_job(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    job_action(state, csrf, user, id, false).await
}

pub async fn refresh_job(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    job_action(state, csrf, user, id, true).await
}

async fn job_action(
    state: AppState,
    csrf: Csrf,
    user: Authenticated,
    id: String,
    refresh: bool,
) -> Result<Response, WebError> {
    require_org_role(&user)?;
    let rec = actor::require_recruiter(&state, &user.account).await?;
    let r = if refresh { jobs::refresh(&state, &rec, &id).await } else { jobs::close(&state, &rec, &id).await };
    match r {
        Ok(()) => Ok(see_other(if refresh { "/company?refreshed=1" } else { "/company?closed=1" })),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            render_home(&state, &csrf, &user, &rec, errors, None, status).await
        }
    }
}

pub async fn declare_client(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentRecruiter { user, rec }: CurrentRecruiter,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let result = companies::declare_client(&state, &rec, f.get("client").trim(), &f.get("note")).await;
    back_to_center(&state, &csrf, &user, &rec, result, "/company?client=1").await
}

pub async fn verify_real_name(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    require_org_role(&user)?;
    match rencai_app::market::realname::verify(&state, &user.account, &f.get("name"), &f.get("id_number")).await {
        Ok(()) => Ok(see_other("/company?realname=1")),
        Err(e) => {
            let (status, errors, retry) = super::form_error(e)?;
            let rec = actor::require_recruiter(&state, &user.account).await?;
            let mut res = render_home(&state, &csrf, &user, &rec, errors, None, status).await?;
            if let Some(secs) = retry {
                res.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.into());
            }
            Ok(res)
        }
    }
}

pub async fn invite(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentRecruiter { user, rec }: CurrentRecruiter,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    match rencai_app::market::members::invite(&state, &rec, &f.get("phone")).await {
        Ok(()) => {
            let notice = Some("邀请已发送。对方用该手机号登录企业账号，在企业中心输入邀请码即可加入。".to_string());
            render_home(&state, &csrf, &user, &rec, vec![], notice, StatusCode::OK).await
        }
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            render_home(&state, &csrf, &user, &rec, errors, None, status).await
        }
    }
}

pub async fn join(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    require_org_role(&user)?;
    match rencai_app::market::members::join(&state, &user.account, &f.get("code")).await {
        Ok(()) => Ok(see_other("/company?joined=1")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            let p =
                profile_page(&state, &csrf, &user, true, ProfileFields::default(), ("", "", "", ""), errors).await?;
            super::respond_form(status, &csrf, None, &p)
        }
    }
}

pub async fn reassign_job(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentRecruiter { user, rec }: CurrentRecruiter,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let to = f.get("to").trim().parse::<i64>().unwrap_or(0);
    let result = jobs::reassign(&state, &rec, &id, to).await;
    back_to_center(&state, &csrf, &user, &rec, result, "/company?reassigned=1").await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct UploadQuery {
    kind: String,
}

pub async fn upload_file(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentRecruiter { user, rec }: CurrentRecruiter,
    crate::extract::ValidQuery(q): crate::extract::ValidQuery<UploadQuery>,
    Upload(file): Upload,
) -> Result<Response, WebError> {
    let result = match (OrgFile::parse(&q.kind), file) {
        (None, _) => Err(rencai_app::AppError::invalid_field("file.kind", "kind", "文件类型不正确。")),
        (Some(_), Err(e)) => Err(e),
        (Some(kind), Ok((name, bytes))) => org_files::upload(&state, &rec, kind, &name, bytes).await.map(|_| ()),
    };
    back_to_center(&state, &csrf, &user, &rec, result, "/company?uploaded=1").await
}

pub async fn own_file(
    State(state): State<AppState>,
    CurrentRecruiter { rec, .. }: CurrentRecruiter,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    Ok(super::resumes::send(org_files::member_download(&state, &rec, &id).await?))
}

pub async fn delete_file(
    State(state): State<AppState>,
    CurrentRecruiter { rec, .. }: CurrentRecruiter,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    org_files::delete(&state, &rec, &id).await?;
    Ok(see_other("/company?deleted=1"))
}

pub async fn top_job(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentRecruiter { user, rec }: CurrentRecruiter,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let days = f.get("days").trim().parse::<u32>().unwrap_or(0);
    let result = jobs::place_on_top(&state, &rec, &id, days).await;
    back_to_center(&state, &csrf, &user, &rec, result, "/company?top=1").await
}

pub async fn upload_authorization(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentRecruiter { user, rec }: CurrentRecruiter,
    Path(client): Path<String>,
    Upload(file): Upload,
) -> Result<Response, WebError> {
    let result = match file {
        Ok((name, bytes)) => org_files::upload_authorization(&state, &rec, &client, &name, bytes).await.map(|_| ()),
        Err(e) => Err(e),
    };
    back_to_center(&state, &csrf, &user, &rec, result, "/company?uploaded=1").await
}
