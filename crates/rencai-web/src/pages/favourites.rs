//! Favourites (M9): one form action to keep or drop, and the lists — `/me/favourites` for
//! seekers, `/company/candidates` for recruiters.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::market::favourites::{self, Kind};
use rencai_app::market::{actor, terms};

use super::view::{CompanyCard, JobCard};
use super::{Pairs, see_other};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::session::{Csrf, CurrentUser};

/// Only paths of our own site are followed back (no open redirect).
fn back_to(f: &Pairs, fallback: &str) -> String {
    let b = f.get("back");
    let safe = b.starts_with('/') && !b.starts_with("//") && !b.contains('\\') && !b.chars().any(char::is_control);
    if safe { b } else { fallback.to_string() }
}

pub async fn toggle(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Form(f): Form<Pairs>,
) -> Result<Response, WebError> {
    let kind = Kind::parse(&f.get("kind")).ok_or_else(|| {
        WebError::from(rencai_app::AppError::invalid_field("favourite.kind", "kind", "收藏类型不正确。"))
    })?;
    let id = f.get("id");
    if f.flag("remove") {
        favourites::remove(&state, &user.account, kind, &id).await?;
    } else {
        let rec = actor::recruiter(&state, &user.account).await?;
        favourites::add(&state, &user.account, rec.as_ref(), kind, &id).await?;
    }
    Ok(see_other(&back_to(&f, "/")))
}

#[derive(Template)]
#[template(path = "my_favourites.html")]
struct SeekerPage {
    chrome: Chrome,
    csrf: String,
    jobs: Vec<JobCard>,
    companies: Vec<CompanyCard>,
}

pub async fn seeker_list(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
) -> Result<Response, WebError> {
    actor::require_seeker(&user.account)?;
    let t = terms::get(&state).await?;
    let now = state.now();
    let p = SeekerPage {
        chrome: Chrome::for_user(&state, Section::MyResumes, &user.account).await,
        csrf: csrf.token.clone(),
        jobs: favourites::jobs(&state, &user.account).await?.iter().map(|j| JobCard::new(j, &t, now)).collect(),
        companies: favourites::companies(&state, &user.account)
            .await?
            .iter()
            .map(|c| CompanyCard::new(c, &t))
            .collect(),
    };
    super::respond_form(axum::http::StatusCode::OK, &csrf, None, &p)
}

#[derive(Template)]
#[template(path = "candidates.html")]
struct CandidatesPage {
    chrome: Chrome,
    csrf: String,
    candidates: Vec<(String, String, String, bool)>,
}

pub async fn candidates(
    State(state): State<AppState>,
    csrf: Csrf,
    CurrentUser(user): CurrentUser,
) -> Result<Response, WebError> {
    let rec = actor::require_recruiter(&state, &user.account).await?;
    let list = favourites::candidates(&state, &rec).await?;
    let p = CandidatesPage {
        chrome: Chrome::for_user(&state, Section::Resumes, &user.account).await,
        csrf: csrf.token.clone(),
        candidates: list
            .into_iter()
            .map(|r| {
                let full = r.access == rencai_domain::access::ResumeAccess::Full;
                (r.row.public_id.clone(), r.display_name, r.row.title.clone(), full)
            })
            .collect(),
    };
    super::respond_form(axum::http::StatusCode::OK, &csrf, None, &p)
}
