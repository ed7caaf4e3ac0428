use askama::Template;
use axum::extract::State;
use axum::response::Response;
use rencai_app::AppState;
use rencai_app::market::jobs::{self, JobFilters, Listing};
use rencai_app::market::{companies, terms};
use rencai_domain::taxonomy::TaxonomyKind;

use super::view::{CompanyCard, JobCard, Opt};
use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::session::MaybeUser;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    latest: Vec<JobCard>,
    urgent: Vec<JobCard>,
    companies: Vec<CompanyCard>,
    categories: Vec<Opt>,
    districts: Vec<Opt>,
    job_total: u64,
    company_total: u64,
    /// For a signed-in seeker: jobs matching their resume's intention, with the reason.
    for_you: Vec<(JobCard, String)>,
}

pub async fn show(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Result<Response, WebError> {
    let t = terms::get(&state).await?;
    let now = state.now();
    let latest =
        jobs::public_list(&state, &JobFilters { per_page: Some(12), ..Default::default() }, Listing::All).await?;
    let urgent =
        jobs::public_list(&state, &JobFilters { per_page: Some(6), ..Default::default() }, Listing::Urgent).await?;
    let orgs = companies::directory(&state, None, None, None, Some(1)).await?;
    let for_you = match user.as_ref().map(|u| &u.account) {
        Some(a) if a.role == rencai_domain::account::Role::Seeker => {
            rencai_app::market::matching::for_seeker(&state, a, 6)
                .await?
                .into_iter()
                .map(|s| (JobCard::listed(&s.listed, &t, now), s.reason))
                .collect()
        }
        _ => Vec::new(),
    };
    let page = HomePage {
        chrome: match user.as_ref() {
            Some(u) => Chrome::for_user(&state, Section::Home, &u.account).await,
            None => Chrome::new(&state, Section::Home).for_account(None),
        },
        latest: latest.page.items.iter().map(|j| JobCard::listed(j, &t, now)).collect(),
        urgent: urgent.page.items.iter().map(|j| JobCard::listed(j, &t, now)).collect(),
        companies: orgs.items.iter().take(8).map(|c| CompanyCard::new(c, &t)).collect(),
        categories: t
            .roots(TaxonomyKind::JobCategory)
            .into_iter()
            .map(|c| Opt { code: c.code.clone(), name: c.name.clone(), selected: false })
            .collect(),
        districts: t
            .list(TaxonomyKind::District)
            .iter()
            .take(12)
            .map(|d| Opt { code: d.code.clone(), name: d.name.clone(), selected: false })
            .collect(),
        job_total: latest.page.total,
        company_total: orgs.total,
        for_you,
    };
    // A page with a signed-in navigation is nobody else's page: not for shared caches.
    super::render(&page, user.is_none())
}
