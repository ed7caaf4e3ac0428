//! Favourites both ways (M9): seekers keep jobs and companies, recruiters keep candidates. A
//! recruiter's kept candidate is re-checked against the access policy every time the list is
//! read: a resume hidden or a company blocked since drops out of the list.

use rencai_domain::access::ResumeAccess;
use rencai_domain::account::Role;
use rencai_store::accounts::AccountRecord;
use rencai_store::market::companies::{self as org_store, CompanyRow};
use rencai_store::market::favourites as store;
use rencai_store::market::jobs::{self as job_store, JobRow};
use rencai_store::market::resumes as resume_store;

use super::actor::Recruiter;
use super::resumes::{self, RecruiterResume};
use crate::{AppError, AppResult, AppState};

/// What can be kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Job,
    Company,
    Resume,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Job => "job",
            Kind::Company => "company",
            Kind::Resume => "resume",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Kind::Job, Kind::Company, Kind::Resume].into_iter().find(|k| k.as_str() == s)
    }
}

fn not_found(what: &'static str) -> AppError {
    AppError::NotFound { code: "favourite.target_not_found", what }
}

/// Resolves what is to be kept to its internal id, checking the account may keep it: seekers
/// keep published jobs and public companies; recruiters keep resumes they may see.
async fn target(
    state: &AppState,
    account: &AccountRecord,
    rec: Option<&Recruiter>,
    kind: Kind,
    public_id: &str,
) -> AppResult<i64> {
    let conn = state.db().conn();
    match (kind, account.role) {
        (Kind::Job, Role::Seeker) => job_store::find_public(conn, public_id)
            .await?
            .filter(|j| j.status == "published")
            .map(|j| j.id)
            .ok_or_else(|| not_found("该职位")),
        (Kind::Company, Role::Seeker) => org_store::find_public(conn, public_id)
            .await?
            .filter(|c| c.verification == "verified")
            .map(|c| c.id)
            .ok_or_else(|| not_found("该单位")),
        (Kind::Resume, Role::Company | Role::Agency) => {
            let rec = rec.ok_or_else(|| not_found("该简历"))?;
            let seen = resumes::peek(state, rec, public_id).await?;
            Ok(seen.row.id)
        }
        _ => Err(AppError::Forbidden {
            code: "favourite.wrong_role",
            message: match kind {
                Kind::Resume => "只有招聘者可以收藏简历。".into(),
                _ => "只有求职者可以收藏职位和单位。".into(),
            },
        }),
    }
}

pub async fn add(
    state: &AppState,
    account: &AccountRecord,
    rec: Option<&Recruiter>,
    kind: Kind,
    public_id: &str,
) -> AppResult<()> {
    let id = target(state, account, rec, kind, public_id).await?;
    Ok(store::add(state.db().conn(), account.id, kind.as_str(), id, state.now()).await?)
}

/// Removing never needs the target to be visible any more.
pub async fn remove(state: &AppState, account: &AccountRecord, kind: Kind, public_id: &str) -> AppResult<()> {
    let conn = state.db().conn();
    let id = match kind {
        Kind::Job => job_store::find_public(conn, public_id).await?.map(|j| j.id),
        Kind::Company => org_store::find_public(conn, public_id).await?.map(|c| c.id),
        Kind::Resume => resume_store::find_public(conn, public_id).await?.map(|r| r.id),
    };
    if let Some(id) = id {
        store::remove(conn, account.id, kind.as_str(), id).await?;
    }
    Ok(())
}

/// A seeker's kept jobs that are still published, newest kept first.
pub async fn jobs(state: &AppState, seeker: &AccountRecord) -> AppResult<Vec<JobRow>> {
    let conn = state.db().conn();
    let mut out = Vec::new();
    for id in store::list(conn, seeker.id, Kind::Job.as_str()).await? {
        if let Some(j) = job_store::find(conn, id).await?.filter(|j| j.status == "published") {
            out.push(j);
        }
    }
    Ok(out)
}

pub async fn companies(state: &AppState, seeker: &AccountRecord) -> AppResult<Vec<CompanyRow>> {
    let conn = state.db().conn();
    let mut out = Vec::new();
    for id in store::list(conn, seeker.id, Kind::Company.as_str()).await? {
        if let Some(c) = org_store::find(conn, id).await?.filter(|c| c.verification == "verified") {
            out.push(c);
        }
    }
    Ok(out)
}

/// A recruiter's kept candidates, each as the access policy allows today.
pub async fn candidates(state: &AppState, rec: &Recruiter) -> AppResult<Vec<RecruiterResume>> {
    let conn = state.db().conn();
    let mut out = Vec::new();
    for id in store::list(conn, rec.account_id, Kind::Resume.as_str()).await? {
        let Some(r) = resume_store::find(conn, id).await? else { continue };
        match resumes::peek(state, rec, &r.public_id).await {
            Ok(seen) if seen.access != ResumeAccess::Denied => out.push(seen),
            Ok(_) | Err(AppError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

pub async fn contains(state: &AppState, account: &AccountRecord, kind: Kind, id: i64) -> AppResult<bool> {
    Ok(store::contains(state.db().conn(), account.id, kind.as_str(), id).await?)
}
