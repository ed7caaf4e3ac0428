//! Saved searches and job alerts for seekers: subscribe from the job list, choose how often to
//! be told, change or delete later.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::market::actor;
use rencai_app::market::alerts::{self, Frequency, Saved};

use super::{Pairs, see_other};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::session::{Csrf, CurrentUser};

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    chrome: Chrome,
    csrf: String,
    items: Vec<Saved>,
    /// The search being subscribed to (its query string), if this is the subscribe form.
    new_query: Option<String>,
    new_pairs: Vec<(String, String)>,
    new_name: String,
    /// Code and label of each alert frequency.
    frequencies: [(&'static str, &'static str); 3],
    errors: Vec<String>,
    error_title: &'static str,
    notice: Option<String>,
}

impl AlertsPage {
    fn freq(&self, s: &Saved) -> &'static str {
        s.frequency.as_str()
    }
}

async fn render(
    state: &AppState,
    csrf: &Csrf,
    user: &rencai_app::auth::sessions::Authenticated,
    new_pairs: Option<Vec<(String, String)>>,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let items = alerts::list(state, &user.account).await?;
    let new_name =
        new_pairs.as_ref().and_then(|p| p.iter().find(|(k, _)| k == "q").map(|(_, v)| v.clone())).unwrap_or_default();
    let p = AlertsPage {
        chrome: Chrome::for_user(state, Section::MyResumes, &user.account).await,
        csrf: csrf.token.clone(),
        items,
        new_query: new_pairs.as_ref().map(|p| {
            let mut s = form_urlencoded::Serializer::new(String::new());
            s.extend_pairs(p.iter());
            s.finish()
        }),
        new_pairs: new_pairs.unwrap_or_default(),
        new_name,
        frequencies: Frequency::ALL.map(|f| (f.as_str(), f.label())),
        errors,
        error_title: "未能保存：",
        notice: None,
    };
    super::respond_form(status, csrf, None, &p)
}

/// The pairs of a query string or form that a saved search keeps.
fn filter_pairs(all: &[(String, String)]) -> Vec<(String, String)> {
    all.iter().filter(|(k, v)| alerts::FILTER_KEYS.contains(&k.as_str()) && !v.trim().is_empty()).cloned().collect()
}

pub async fn list(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
) -> Result<Response, WebError> {
    actor::require_seeker(&user.account)?;
    render(&state, &csrf, &user, None, Vec::new(), StatusCode::OK).await
}

/// The subscribe form for the search in the query string.
pub async fn new_form(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Query(q): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    actor::require_seeker(&user.account)?;
    render(&state, &csrf, &user, Some(filter_pairs(&q)), Vec::new(), StatusCode::OK).await
}

pub async fn create(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let pairs = filter_pairs(&f.0);
    match alerts::save(&state, &user.account, &alerts::filters_of_pairs(&pairs), &f.get("name"), &f.get("frequency"))
        .await
    {
        Ok(_) => Ok(see_other("/me/alerts")),
        Err(e) => {
            let (status, errors, _) = super::form_error(e)?;
            render(&state, &csrf, &user, Some(pairs), errors, status).await
        }
    }
}

pub async fn set_frequency(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    alerts::set_frequency(&state, &user.account, &id, &f.get("frequency")).await?;
    Ok(see_other("/me/alerts"))
}

pub async fn delete(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    alerts::delete(&state, &user.account, &id).await?;
    Ok(see_other("/me/alerts"))
}
