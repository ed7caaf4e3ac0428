//! Suggestions (M19), each with the reason it was made: jobs similar to a job, and jobs for a
//! seeker from the intention in their resume. Built on the same index search as the lists, so
//! a suggestion is never something the list would not show. Behaviour-based personalization
//! is not here yet: with or without it, what a seeker sees is derived from their resume only.

use rencai_domain::taxonomy::TaxonomyKind;
use rencai_search::{JobSearch, JobSort};
use rencai_store::accounts::AccountRecord;
use rencai_store::market::jobs::JobRow;
use rencai_store::market::resumes as resume_store;

use super::actor::Recruiter;
use super::jobs::{Listed, listed};
use super::resumes::{self, CenterFilters, RecruiterResume};
use super::terms;
use crate::{AppResult, AppState};

/// A suggested job and why.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub listed: Listed,
    pub reason: String,
}

fn base(state: &AppState, limit: usize) -> JobSearch {
    JobSearch { station_id: state.station().id, limit, now: state.now().timestamp(), ..Default::default() }
}

/// Jobs like this one: the same category with a similar title first, then the same category.
pub async fn similar(state: &AppState, job: &JobRow, limit: usize) -> AppResult<Vec<Suggestion>> {
    let t = terms::get(state).await?;
    let category = t.name(TaxonomyKind::JobCategory, &job.category).to_string();
    let district = t.name(TaxonomyKind::District, &job.district).to_string();
    let mut q = JobSearch {
        text: Some(job.title.clone()),
        categories: vec![job.category.clone()],
        except: Some(job.id),
        sort: JobSort::Relevance,
        ..base(state, limit)
    };
    let mut found = listed(state, q.clone(), 1, limit as u64).await?.page.items;
    if found.len() < limit {
        q.text = None;
        q.sort = JobSort::Fresh;
        for l in listed(state, q, 1, limit as u64).await?.page.items {
            if found.len() < limit && !found.iter().any(|f| f.job.id == l.job.id) {
                found.push(l);
            }
        }
    }
    Ok(found
        .into_iter()
        .map(|mut l| {
            // The title was the query: marking its words in every suggestion says nothing.
            l.title = rencai_search::Marked::plain(&l.job.title);
            l.passage = None;
            let mut reason = format!("同为“{category}”类职位");
            if l.job.district == job.district {
                reason.push_str(&format!("，也在{district}"));
            }
            Suggestion { listed: l, reason }
        })
        .collect())
}

/// Jobs for a seeker, each with its reason: from the job intention of their most recently
/// refreshed resume (wanted categories in a wanted district first, then anywhere), then from the
/// interest tags their recent behaviour shows (P8). Empty with personalization switched off: an
/// anonymous visitor gets no suggestions either.
pub async fn for_seeker(state: &AppState, seeker: &AccountRecord, limit: usize) -> AppResult<Vec<Suggestion>> {
    if !rencai_store::privacy::personalization(state.db().conn(), seeker.id).await? {
        return Ok(Vec::new());
    }
    let mut out = from_intention(state, seeker, limit).await?;
    if out.len() < limit {
        let t = terms::get(state).await?;
        for tag in crate::behaviour::tags(state, seeker).await? {
            let mut wanted = vec![tag.code.clone()];
            wanted.extend(t.children(TaxonomyKind::JobCategory, &tag.code));
            let q = JobSearch { categories: wanted, sort: JobSort::Fresh, ..base(state, limit) };
            for l in listed(state, q, 1, limit as u64).await?.page.items {
                if out.len() < limit && !out.iter().any(|s| s.listed.job.id == l.job.id) {
                    let reason = format!("根据你最近浏览和搜索的职位：{}", tag.name);
                    out.push(Suggestion { listed: l, reason });
                }
            }
        }
    }
    Ok(out)
}

/// Suggestions from the resume's job intention; empty without a resume or an intention.
async fn from_intention(state: &AppState, seeker: &AccountRecord, limit: usize) -> AppResult<Vec<Suggestion>> {
    let Some(resume) =
        resume_store::of_seeker(state.db().conn(), seeker.id).await?.into_iter().max_by_key(|r| r.refreshed_at)
    else {
        return Ok(Vec::new());
    };
    let t = terms::get(state).await?;
    let codes =
        |wrapped: &str| -> Vec<String> { wrapped.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect() };
    let categories = codes(&resume.intent_categories);
    if categories.is_empty() {
        return Ok(Vec::new());
    }
    let mut wanted = categories.clone();
    for c in &categories {
        wanted.extend(t.children(TaxonomyKind::JobCategory, c));
    }
    let names: Vec<String> = categories.iter().map(|c| t.name(TaxonomyKind::JobCategory, c).to_string()).collect();
    let salary_min = resume.salary_min.filter(|s| *s > 0).map(|s| s as u32);
    let q = JobSearch { categories: wanted, salary_min, sort: JobSort::Fresh, ..base(state, limit) };
    let mut out: Vec<Suggestion> = Vec::new();
    for district in codes(&resume.intent_districts).into_iter().take(3) {
        let district_name = t.name(TaxonomyKind::District, &district).to_string();
        let q = JobSearch { district: Some(district), ..q.clone() };
        for l in listed(state, q, 1, limit as u64).await?.page.items {
            if out.len() < limit && !out.iter().any(|s| s.listed.job.id == l.job.id) {
                let reason = format!("符合你的求职意向：{}，{district_name}", names.join("、"));
                out.push(Suggestion { listed: l, reason });
            }
        }
    }
    if out.len() < limit {
        for l in listed(state, q, 1, limit as u64).await?.page.items {
            if out.len() < limit && !out.iter().any(|s| s.listed.job.id == l.job.id) {
                let reason = format!("符合你的求职意向：{}", names.join("、"));
                out.push(Suggestion { listed: l, reason });
            }
        }
    }
    Ok(out)
}

/// A candidate for a job and why.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub resume: RecruiterResume,
    pub reason: String,
}

/// Candidates for one of the recruiter's jobs: resumes whose intention names the job's
/// category — those wanting its district first — found and decided exactly as the resume
/// center does (only resumes this recruiter may see, masked as the policy says).
pub async fn candidates(
    state: &AppState,
    rec: &Recruiter,
    job_public_id: &str,
    limit: u64,
) -> AppResult<(JobRow, Vec<Candidate>)> {
    let job = super::jobs::managed(state, rec, job_public_id).await?;
    let t = terms::get(state).await?;
    let category = t.name(TaxonomyKind::JobCategory, &job.category).to_string();
    let district = t.name(TaxonomyKind::District, &job.district).to_string();
    let mut out: Vec<Candidate> = Vec::new();
    for (in_district, reason) in
        [(true, format!("求职意向为“{category}”，希望在{district}工作")), (false, format!("求职意向为“{category}”"))]
    {
        let f = CenterFilters {
            category: Some(job.category.clone()),
            district: in_district.then(|| job.district.clone()),
            per_page: Some(limit),
            ..Default::default()
        };
        for resume in resumes::center(state, rec, &f).await?.items {
            if (out.len() as u64) < limit && !out.iter().any(|c| c.resume.row.id == resume.row.id) {
                out.push(Candidate { resume, reason: reason.clone() });
            }
        }
    }
    Ok((job, out))
}
