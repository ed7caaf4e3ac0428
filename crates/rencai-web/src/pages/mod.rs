//! Server-rendered pages.

mod admin;
mod alerts;
mod applications;
mod archive;
mod auth;
mod chat;
mod companies;
mod company_center;
mod dev;
mod favourites;
mod feedback;
mod home;
mod incidents;
mod jobs;
mod legal;
mod legal_accept;
mod light;
mod phone;
mod privacy;
mod resumes;
mod seo;
mod staff_market;
mod staff_taxonomy;
mod staff_templates;
mod stats;
mod support;
pub(crate) mod view;

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use rencai_app::AppState;

use crate::WebError;
use crate::session::Csrf;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/privacy", get(legal::privacy))
        .route("/terms", get(legal::terms))
        .route("/legal/accept", get(legal_accept::form).post(legal_accept::accept))
        .route("/healthz", get(seo::healthz))
        .route("/robots.txt", get(seo::robots))
        .route("/sitemap.xml", get(seo::sitemap))
        .route("/sitemaps/{name}", get(seo::sitemap_part))
        .route("/register", get(auth::register_form).post(auth::register))
        .route("/register/code", post(auth::register_code))
        .route("/login", get(auth::seeker_login_form).post(auth::seeker_login))
        .route("/login/code", post(auth::seeker_login_code))
        .route("/company/login", get(auth::company_login_form).post(auth::company_login))
        .route("/company/login/code", post(auth::company_login_code))
        .route("/agency/login", get(auth::agency_login_form).post(auth::agency_login))
        .route("/agency/login/code", post(auth::agency_login_code))
        .route("/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/me/sessions/end", post(auth::end_session))
        .route("/me/phone", get(phone::form).post(phone::change))
        .route("/me/phone/codes", post(phone::codes))
        .route("/me/profile", get(support::profile).post(support::save_profile))
        .route("/feedback", get(feedback::form).post(feedback::submit))
        .route("/notices/{id}", get(incidents::show))
        .route("/stats", get(stats::show))
        .route("/me/feedback/{id}", get(feedback::mine_one).post(feedback::reply))
        .route("/me/privacy", get(privacy::show))
        .route("/me/privacy/personalization", post(privacy::personalization))
        .route("/me/privacy/tags/delete", post(privacy::delete_tag))
        .route("/me/privacy/exports", post(privacy::request_export))
        .route("/me/privacy/exports/{id}/download", post(privacy::download_export))
        .route("/me/privacy/deactivate", get(privacy::deactivate_form).post(privacy::deactivate))
        .route("/jobs", get(jobs::list))
        .route("/jobs/counts", get(jobs::list_counts))
        .route("/jobs/{id}", get(jobs::show))
        .route("/jobs/{id}/apply", post(jobs::apply))
        .route("/today", get(jobs::today))
        .route("/today/counts", get(jobs::today_counts))
        .route("/nearby", get(jobs::nearby).post(jobs::nearby_post))
        .route("/campus", get(jobs::campus))
        .route("/campus/counts", get(jobs::campus_counts))
        .route("/companies", get(companies::directory))
        .route("/companies/{id}", get(companies::show))
        .route("/company", get(company_center::home))
        .route("/company/profile", get(company_center::edit_profile).post(company_center::save_profile))
        .route("/company/verify", post(company_center::submit_verification))
        .route("/company/realname", post(company_center::verify_real_name))
        .route("/company/members/invite", post(company_center::invite))
        .route("/company/join", post(company_center::join))
        .route("/company/jobs/{id}/reassign", post(company_center::reassign_job))
        .route("/company/jobs/{id}/top", post(company_center::top_job))
        .route(
            "/company/files",
            post(company_center::upload_file).layer(axum::extract::DefaultBodyLimit::max(64 << 20)),
        )
        .route(
            "/company/clients/{id}/document",
            post(company_center::upload_authorization).layer(axum::extract::DefaultBodyLimit::max(64 << 20)),
        )
        .route("/company/files/{id}", get(company_center::own_file))
        .route("/company/files/{id}/delete", post(company_center::delete_file))
        .route("/companies/{id}/images/{file}", get(companies::image))
        .route("/admin/files/{id}", get(staff_market::file))
        .route("/company/clients", post(company_center::declare_client))
        .route("/company/jobs", post(company_center::create_job))
        .route("/company/jobs/new", get(company_center::new_job))
        .route("/company/jobs/{id}/edit", get(company_center::edit_job).post(company_center::update_job))
        .route("/company/jobs/{id}/candidates", get(resumes::job_candidates))
        .route("/company/jobs/{id}/close", post(company_center::close_job))
        .route("/company/jobs/{id}/refresh", post(company_center::refresh_job))
        .route("/resumes", get(resumes::center))
        .route("/resumes/{id}", get(resumes::show))
        .route("/resumes/{id}/unlock", post(resumes::unlock))
        .route("/resumes/{id}/files/{file}", get(resumes::recruiter_file))
        .route("/resumes/{id}/pdf", get(resumes::pdf))
        .route(
            "/me/resumes/{id}/attachments",
            // Uploads stream; the use case enforces the configured size as the bytes arrive.
            post(resumes::upload).layer(axum::extract::DefaultBodyLimit::max(64 << 20)),
        )
        .route("/me/files/{id}", get(resumes::own_file))
        .route("/me/files/{id}/delete", post(resumes::delete_file))
        .route("/me/resumes", get(resumes::mine))
        .route("/me/resumes/new", get(resumes::new_form))
        .route(
            "/me/resumes/create",
            post(resumes::create).layer(axum::extract::DefaultBodyLimit::max(crate::session::FORM_BYTES)),
        )
        .route("/me/resumes/refresh", post(resumes::refresh_all))
        .route(
            "/me/resumes/{id}/edit",
            get(resumes::edit_form)
                .post(resumes::update)
                .layer(axum::extract::DefaultBodyLimit::max(crate::session::FORM_BYTES)),
        )
        .route("/me/resumes/{id}/visibility", post(resumes::set_visibility))
        .route("/me/resumes/{id}/delete", post(resumes::delete))
        .route("/me/blocks", post(resumes::block))
        .route("/me/blocks/remove", post(resumes::unblock))
        .route("/me/viewers", get(resumes::viewers))
        .route("/me/favourites", get(favourites::seeker_list))
        .route("/me/alerts", get(alerts::list).post(alerts::create))
        .route("/me/alerts/new", get(alerts::new_form))
        .route("/me/alerts/{id}/frequency", post(alerts::set_frequency))
        .route("/me/alerts/{id}/delete", post(alerts::delete))
        .route("/me/applications", get(applications::mine))
        .route("/me/applications/{id}", get(applications::seeker_detail))
        .route("/me/applications/{id}/withdraw", post(applications::withdraw))
        .route("/me/applications/{id}/interviews/{interview}", post(applications::answer))
        .route("/me/notifications", get(applications::notifications))
        .route("/me/notifications/read", post(applications::read))
        .route("/me/notifications/channels", post(applications::channel))
        .route("/company/applications", get(applications::received))
        .route("/company/applications/bulk", post(applications::bulk))
        .route("/company/applications/invite", post(applications::invite))
        .route("/company/applications/{id}", get(applications::received_detail))
        .route("/chat", get(chat::list))
        .route("/chat/start", post(chat::start))
        .route("/chat/ws", get(chat::socket))
        .route("/chat/{id}", get(chat::show))
        .route("/chat/{id}/messages", post(chat::send))
        .route("/chat/{id}/block", post(chat::block))
        .route("/chat/{id}/report", post(chat::report))
        .route("/company/candidates", get(favourites::candidates))
        .route("/favourites", post(favourites::toggle))
        .route("/admin/companies", get(staff_market::companies))
        .route("/admin/companies/{id}/review", post(staff_market::review_company))
        .route("/admin/clients/review", post(staff_market::review_client))
        .route("/admin/jobs", get(staff_market::jobs))
        .route("/admin/jobs/{id}/review", post(staff_market::review_job))
        .route("/admin/quota", get(staff_market::quota_form).post(staff_market::grant_quota))
        .route("/admin/banned-words", get(staff_market::banned_words).post(staff_market::add_banned_word))
        .route("/admin/banned-words/remove", post(staff_market::remove_banned_word))
        .route("/admin/taxonomies", get(staff_taxonomy::show).post(staff_taxonomy::save))
        .route("/admin/templates", get(staff_templates::show).post(staff_templates::save))
        .route("/admin/templates/reset", post(staff_templates::reset))
        .route("/admin/legal", get(legal_accept::admin_show).post(legal_accept::admin_publish))
        .route("/admin/incidents", get(incidents::admin_show).post(incidents::admin_publish))
        .route("/admin/accounts", get(support::form).post(support::lookup))
        .route("/admin/archive", get(archive::form).post(archive::open))
        .route("/admin/accounts/{id}/reinstate", post(support::reinstate))
        .route("/admin/tickets", get(feedback::queue))
        .route("/admin/tickets/{id}", get(feedback::staff_show))
        .route("/admin/tickets/{id}/assign", post(feedback::staff_assign))
        .route("/admin/tickets/{id}/reply", post(feedback::staff_reply))
        .route("/admin/tickets/{id}/close", post(feedback::staff_close))
        .route("/quick", get(light::quick).post(light::post_quick))
        .route("/wanted", get(light::wanted).post(light::post_wanted))
        .route("/wanted/{id}/contact", post(light::wanted_contact))
        .route("/light/{id}/close", post(light::close))
        .route("/admin/light", get(light::admin_queue))
        .route("/admin/light/{id}/review", post(light::admin_review))
        .route("/dev/outbox", get(dev::outbox))
        .route("/admin", get(admin::home))
        .route("/admin/login", get(admin::login_form).post(admin::login))
        .route("/admin/logout", post(admin::logout))
        .route("/admin/staff", post(admin::create_staff))
}

pub(crate) use privacy::zip_response;

/// Renders a template; `public` pages (no personal data) may be cached briefly.
pub(crate) fn render(t: &impl Template, public: bool) -> Result<Response, WebError> {
    let html = t.render().map_err(|e| {
        tracing::error!(error = %e, "template failed");
        WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "页面渲染失败")
    })?;
    let cache = if public { "public, max-age=60" } else { "no-store" };
    Ok(([(header::CACHE_CONTROL, cache)], Html(html)).into_response())
}

/// The status and the messages to show for an error on a form.
pub(crate) fn form_error(e: rencai_app::AppError) -> Result<(StatusCode, Vec<String>, Option<u64>), WebError> {
    let web = WebError::from(e);
    if web.status.is_server_error() {
        return Err(web);
    }
    let mut messages: Vec<String> = web.info.fields.iter().map(|f| f.message.clone()).collect();
    if messages.is_empty() {
        messages.push(web.info.message.clone());
    }
    Ok((web.status, messages, web.retry_after))
}

/// A page with a form: its status, the CSRF cookie if new, and `Retry-After` for a 429.
pub(crate) fn respond_form(
    status: StatusCode,
    csrf: &Csrf,
    retry_after: Option<u64>,
    page: &impl Template,
) -> Result<Response, WebError> {
    let mut res = render(page, false)?;
    *res.status_mut() = status;
    if let Some((k, v)) = csrf.set_cookie.clone() {
        res.headers_mut().append(k, v);
    }
    if let Some(secs) = retry_after {
        res.headers_mut().insert(header::RETRY_AFTER, secs.into());
    }
    Ok(res)
}

/// A submitted form as its pairs, for forms with repeated fields (checkbox groups, rows).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(transparent)]
pub(crate) struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    /// The first value of `key`, or "". Control characters other than tab and line breaks
    /// are dropped: nothing a person types needs them, and PostgreSQL refuses NUL.
    pub fn get(&self, key: &str) -> String {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| clean(v)).unwrap_or_default()
    }

    pub fn all(&self, key: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| clean(v)).filter(|v| !v.is_empty()).collect()
    }

    /// A checkbox: present and not "false"/"0".
    pub fn flag(&self, key: &str) -> bool {
        self.0.iter().any(|(k, v)| k == key && v != "false" && v != "0")
    }

    /// An optional number; empty is None, anything unparsable is `Err(())`.
    pub fn number(&self, key: &str) -> Result<Option<f64>, ()> {
        let v = self.get(key);
        let v = v.trim();
        if v.is_empty() { Ok(None) } else { v.parse::<f64>().map(Some).map_err(|_| ()) }
    }
}

fn clean(v: &str) -> String {
    v.chars().filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect()
}

/// A 303 to `to`.
pub(crate) fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}
