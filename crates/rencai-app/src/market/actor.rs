//! Who is acting, in the marketplace's terms: a seeker, or a recruiter of an organisation (with
//! an agency's verified clients), turned into the access policy's `Viewer`.

use rencai_domain::access::{Membership, Viewer};
use rencai_domain::account::Role;
use rencai_store::accounts::AccountRecord;
use rencai_store::market::companies::{self as store, CompanyRow};

use crate::{AppError, AppResult, AppState};

/// A recruiter: an account that is a member of an organisation.
#[derive(Debug, Clone)]
pub struct Recruiter {
    pub account_id: i64,
    pub org: CompanyRow,
    pub primary: bool,
    /// Whether this recruiter passed the real-name check.
    pub real_name_verified: bool,
    /// For an agency: the client companies staff verified.
    pub clients: Vec<i64>,
}

impl Recruiter {
    pub fn is_agency(&self) -> bool {
        self.org.kind == "agency"
    }

    pub fn viewer(&self) -> Viewer {
        if self.is_agency() {
            Viewer::Agency { account_id: self.account_id, agency: self.org.id, clients: self.clients.clone() }
        } else {
            Viewer::Recruiter { account_id: self.account_id, company: self.org.id }
        }
    }

    pub fn membership(&self) -> Membership {
        Membership { account_id: self.account_id, org: self.org.id, primary: self.primary }
    }

    /// Resumes are open only to organisations staff verified: anyone can register one.
    pub fn require_verified(&self) -> AppResult<()> {
        if self.org.verification == "verified" {
            Ok(())
        } else {
            Err(AppError::Forbidden {
                code: "company.not_verified",
                message: "单位认证通过后才能查看简历和邀请同事。".into(),
            })
        }
    }

    pub fn require_primary(&self) -> AppResult<()> {
        if self.primary {
            Ok(())
        } else {
            Err(AppError::Forbidden {
                code: "company.primary_only", message: "只有企业主账号可以进行此操作。".into()
            })
        }
    }
}

/// The organisation `account` recruits for, if any.
pub async fn recruiter(state: &AppState, account: &AccountRecord) -> AppResult<Option<Recruiter>> {
    if !matches!(account.role, Role::Company | Role::Agency) {
        return Ok(None);
    }
    let conn = state.db().conn();
    let Some(m) = store::membership(conn, account.id).await? else { return Ok(None) };
    let Some(org) = store::find(conn, m.company_id).await? else { return Ok(None) };
    let clients = if org.kind == "agency" { store::verified_clients(conn, org.id).await? } else { Vec::new() };
    Ok(Some(Recruiter {
        account_id: account.id,
        org,
        primary: m.is_primary,
        real_name_verified: m.real_name_verified_at.is_some(),
        clients,
    }))
}

/// Like [`recruiter`], but an account without an organisation is told to create one first.
pub async fn require_recruiter(state: &AppState, account: &AccountRecord) -> AppResult<Recruiter> {
    recruiter(state, account).await?.ok_or_else(|| AppError::Forbidden {
        code: "company.profile_required",
        message: if matches!(account.role, Role::Company | Role::Agency) {
            "请先完善企业资料。".into()
        } else {
            "只有企业或人力资源机构的招聘者可以进行此操作。".into()
        },
    })
}

/// The viewer an account is, for the access policy (staff are resolved by the back office),
/// and its recruiter side when it has one — one lookup for both.
pub async fn resolve(state: &AppState, account: Option<&AccountRecord>) -> AppResult<(Viewer, Option<Recruiter>)> {
    let Some(account) = account else { return Ok((Viewer::Anonymous, None)) };
    match account.role {
        Role::Seeker => Ok((Viewer::Seeker { account_id: account.id }, None)),
        Role::Company | Role::Agency => {
            let rec = recruiter(state, account).await?;
            Ok((rec.as_ref().map(Recruiter::viewer).unwrap_or(Viewer::Anonymous), rec))
        }
        Role::Staff => Ok((Viewer::Anonymous, None)),
    }
}

pub fn require_seeker(account: &AccountRecord) -> AppResult<()> {
    if account.role == Role::Seeker {
        Ok(())
    } else {
        Err(AppError::Forbidden {
            code: "seeker.only", message: "只有求职者账号可以进行此操作。".into()
        })
    }
}
