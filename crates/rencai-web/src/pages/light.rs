//! `/quick` (速聘) and `/wanted` (一句话求职): the lists, the posting forms, the owner's posts,
//! and the back-office review queue.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::auth::sessions::Authenticated;
use rencai_app::market::Page;
use rencai_app::market::light::{self, LightFilters, LightInput, LightKind, LightList};
use rencai_app::market::{actor, terms};
use rencai_domain::account::Role;
use rencai_domain::taxonomy::TaxonomyKind;
use rencai_store::market::light::LightRow;
use serde::Deserialize;

use super::view::{self, Opt, Pager};
use super::{Pairs, see_other};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::extract::{ClientIp, ValidQuery};
use crate::session::{Csrf, CurrentStaff, CurrentUser, MaybeUser};

#[derive(Debug, Clone)]
struct PostView {
    public_id: String,
    title: String,
    body: String,
    /// Title and text in pieces, the words a search matched marked.
    title_pieces: Vec<(String, bool)>,
    body_pieces: Vec<(String, bool)>,
    district: String,
    category: String,
    salary: String,
    when: String,
    status: String,
    reject_reason: Option<String>,
    phone: Option<String>,
}

fn post_view(p: &LightRow, t: &terms::Terms, now: chrono::DateTime<chrono::Utc>, phone: Option<String>) -> PostView {
    PostView {
        public_id: p.public_id.clone(),
        title: p.title.clone(),
        body: p.body.clone(),
        title_pieces: vec![(p.title.clone(), false)],
        body_pieces: vec![(p.body.clone(), false)],
        district: t.name(TaxonomyKind::District, &p.district).to_string(),
        category: t.name(TaxonomyKind::JobCategory, &p.category).to_string(),
        salary: view::salary_label(p.salary()),
        when: view::ago(p.created_at, now),
        status: p.status.clone(),
        reject_reason: p.reject_reason.clone(),
        phone,
    }
}

#[derive(Template)]
#[template(path = "light.html")]
struct ListPage {
    chrome: Chrome,
    csrf: String,
    kind: &'static str,
    label: &'static str,
    posts: Vec<PostView>,
    mine: Vec<PostView>,
    /// The search as typed, and the filter choices.
    q: String,
    filter_districts: Vec<Opt>,
    filter_categories: Vec<Opt>,
    filtered: bool,
    relaxed: bool,
    filter_errors: Vec<String>,
    may_post: bool,
    is_recruiter: bool,
    signed_in: bool,
    f: LightInput,
    districts: Vec<Opt>,
    categories: Vec<Opt>,
    pager: Pager,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    q: Option<String>,
    district: Option<String>,
    category: Option<String>,
    #[serde(deserialize_with = "rencai_app::market::empty_as_none")]
    page: Option<u64>,
    posted: Option<String>,
}

impl ListQuery {
    fn filters(&self) -> LightFilters {
        LightFilters {
            q: self.q.clone(),
            district: self.district.clone(),
            category: self.category.clone(),
            page: self.page,
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn list_page(
    state: &AppState,
    csrf: &Csrf,
    user: Option<&Authenticated>,
    kind: LightKind,
    filters: &LightFilters,
    f: LightInput,
    errors: Vec<String>,
    notice: Option<String>,
) -> Result<ListPage, WebError> {
    let t = terms::get(state).await?;
    let now = state.now();
    let account = user.map(|u| &u.account);
    let (list, filter_errors) = match light::public_list(state, kind, filters).await {
        Ok(list) => (list, Vec::new()),
        // Bad filters: say so above an empty list, keeping what was typed.
        Err(e) => {
            let (_, errors, _) = super::form_error(e)?;
            let page = Page { total: 0, items: Vec::new(), page: 1, per_page: 20 };
            (LightList { page, capped: false, relaxed: false }, errors)
        }
    };
    let mut posts = Vec::with_capacity(list.page.items.len());
    for item in &list.page.items {
        let p = &item.post;
        let phone = match (kind, account) {
            (LightKind::Quick, Some(a)) => light::quick_contact(state, a, p).await?,
            _ => None,
        };
        posts.push(PostView {
            title_pieces: view::pieces(&item.title),
            body_pieces: view::pieces(&item.body),
            ..post_view(p, &t, now, phone)
        });
    }
    let role = account.map(|a| a.role);
    let may_post = matches!(
        (kind, role),
        (LightKind::Quick, Some(Role::Company | Role::Agency)) | (LightKind::Wanted, Some(Role::Seeker))
    );
    let mine = match account {
        Some(a) if may_post => light::own(state, a, kind).await?.iter().map(|p| post_view(p, &t, now, None)).collect(),
        _ => Vec::new(),
    };
    let path = if kind == LightKind::Quick { "/quick" } else { "/wanted" };
    Ok(ListPage {
        chrome: Chrome::new(state, if kind == LightKind::Quick { Section::Quick } else { Section::Wanted })
            .for_account(account),
        csrf: csrf.token.clone(),
        kind: kind.as_str(),
        label: kind.label(),
        posts,
        mine,
        may_post,
        is_recruiter: matches!(role, Some(Role::Company | Role::Agency)),
        signed_in: account.is_some(),
        districts: view::options(&t, TaxonomyKind::District, Some(&f.district), false),
        categories: view::tree_options(&t, TaxonomyKind::JobCategory, Some(&f.category)),
        f,
        q: filters.q.clone().unwrap_or_default(),
        filter_districts: view::options(&t, TaxonomyKind::District, filters.district.as_deref(), false),
        filter_categories: view::tree_options(&t, TaxonomyKind::JobCategory, filters.category.as_deref()),
        filtered: [&filters.district, &filters.category].iter().any(|v| v.as_deref().is_some_and(|v| !v.is_empty())),
        relaxed: list.relaxed,
        filter_errors,
        pager: Pager::new(&list.page, path, &filters.query_pairs()).capped(list.capped),
        errors,
        error_title: "未能发布：",
        notice,
    })
}

async fn show(
    state: AppState,
    csrf: Csrf,
    user: MaybeUser,
    ip: std::net::IpAddr,
    q: ListQuery,
    kind: LightKind,
) -> Result<Response, WebError> {
    if let Some(wall) = super::jobs::metered(&state, ip, user.0.is_some())? {
        return Ok(wall);
    }
    let notice = q.posted.as_ref().map(|_| "已提交，审核通过后展示。".to_string());
    let p =
        list_page(&state, &csrf, user.0.as_ref(), kind, &q.filters(), LightInput::default(), vec![], notice).await?;
    let status = if p.filter_errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    if user.0.is_none() && status == StatusCode::OK {
        return super::render(&p, true);
    }
    super::respond_form(status, &csrf, None, &p)
}

pub async fn quick(
    State(state): State<AppState>,
    csrf: Csrf,
    user: MaybeUser,
    ClientIp(ip): ClientIp,
    ValidQuery(q): ValidQuery<ListQuery>,
) -> Result<Response, WebError> {
    show(state, csrf, user, ip, q, LightKind::Quick).await
}

pub async fn wanted(
    State(state): State<AppState>,
    csrf: Csrf,
    user: MaybeUser,
    ClientIp(ip): ClientIp,
    ValidQuery(q): ValidQuery<ListQuery>,
) -> Result<Response, WebError> {
    show(state, csrf, user, ip, q, LightKind::Wanted).await
}

fn input(f: &Pairs) -> LightInput {
    LightInput {
        title: f.get("title"),
        body: f.get("body"),
        district: f.get("district"),
        category: f.get("category"),
        salary_min: f.get("salary_min"),
        salary_max: f.get("salary_max"),
        negotiable: f.flag("negotiable"),
        contact_phone: f.get("contact_phone"),
    }
}

async fn post(
    state: AppState,
    csrf: Csrf,
    user: Authenticated,
    f: Pairs,
    kind: LightKind,
) -> Result<Response, WebError> {
    let path = if kind == LightKind::Quick { "/quick" } else { "/wanted" };
    match light::create(&state, &user.account, kind, input(&f)).await {
        Ok(_) => Ok(see_other(&format!("{path}?posted=1"))),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            let p =
                list_page(&state, &csrf, Some(&user), kind, &LightFilters::default(), input(&f), errors, None).await?;
            super::respond_form(status, &csrf, None, &p)
        }
    }
}

pub async fn post_quick(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    post(state, csrf, user, f, LightKind::Quick).await
}

pub async fn post_wanted(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    post(state, csrf, user, f, LightKind::Wanted).await
}

pub async fn close(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    light::close(&state, &user.account, &id).await?;
    Ok(see_other(if f.get("kind") == "quick" { "/quick" } else { "/wanted" }))
}

#[derive(Template)]
#[template(path = "wanted_contact.html")]
struct ContactPage {
    chrome: Chrome,
    phone: String,
}

pub async fn wanted_contact(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(&state, &user.account).await?;
    let phone = light::wanted_contact(&state, &rec, &id).await?;
    let p = ContactPage { chrome: Chrome::for_user(&state, Section::Wanted, &user.account).await, phone };
    super::render(&p, false)
}

#[derive(Template)]
#[template(path = "admin_light.html")]
struct QueuePage {
    chrome: Chrome,
    csrf: String,
    queue: Vec<(PostView, &'static str)>,
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

async fn queue_page(
    state: &AppState,
    csrf: &Csrf,
    staff: &CurrentStaff,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let t = terms::get(state).await?;
    let now = state.now();
    let keys = state.keys().get();
    let mut queue = Vec::new();
    for p in light::review_queue(state, &staff.0).await? {
        let phone = p.contact_phone(&keys).map_err(rencai_app::AppError::from)?;
        let label = if p.kind == "quick" { "速聘" } else { "一句话求职" };
        queue.push((post_view(&p, &t, now, phone), label));
    }
    let p = QueuePage {
        chrome: Chrome::new(state, Section::None),
        csrf: csrf.token.clone(),
        queue,
        errors,
        error_title: "未能处理：",
        notice: None,
    };
    super::respond_form(status, csrf, None, &p)
}

pub async fn admin_queue(State(state): State<AppState>, csrf: Csrf, staff: CurrentStaff) -> Result<Response, WebError> {
    queue_page(&state, &csrf, &staff, vec![], StatusCode::OK).await
}

pub async fn admin_review(
    State(state): State<AppState>,
    csrf: Csrf,
    staff: CurrentStaff,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let reason = f.get("reason");
    match light::review(&state, &staff.0, &id, f.get("decision") == "approve", Some(&reason)).await {
        Ok(()) => Ok(see_other("/admin/light")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            queue_page(&state, &csrf, &staff, errors, status).await
        }
    }
}
