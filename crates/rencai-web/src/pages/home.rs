use askama::Template;
use axum::extract::State;
use axum::response::Response;
use rencai_app::AppState;
use rencai_domain::taxonomy::TaxonomyKind;

use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::session::MaybeUser;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    districts: Vec<String>,
    industries: Vec<String>,
    district_count: usize,
    industry_count: usize,
    category_count: usize,
}

pub async fn show(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Result<Response, WebError> {
    let districts = rencai_app::taxonomy::list(&state, TaxonomyKind::District).await?;
    let industries = rencai_app::taxonomy::list(&state, TaxonomyKind::Industry).await?;
    let categories = rencai_app::taxonomy::list(&state, TaxonomyKind::JobCategory).await?;
    let page = HomePage {
        chrome: Chrome::new(&state, Section::Home).for_visitor(user.is_some()),
        district_count: districts.len(),
        industry_count: industries.len(),
        category_count: categories.iter().filter(|c| c.parent.is_none()).count(),
        districts: districts.into_iter().map(|d| d.name).collect(),
        industries: industries.into_iter().map(|i| i.name).collect(),
    };
    // A page with a signed-in navigation is nobody else's page: not for shared caches.
    super::render(&page, user.is_none())
}
