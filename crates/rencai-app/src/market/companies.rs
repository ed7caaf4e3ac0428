//! Organisations: creating one from a company or agency account, its profile, staff
//! verification with reasons, an agency's declared clients, and the public directory.

use rencai_domain::account::Role;
use rencai_domain::company::{CompanyKind, CompanyProfile, CompanyProfileInput, Verification};
use rencai_domain::staff::Permission;
use rencai_store::TransactionTrait;
use rencai_store::accounts::AccountRecord;
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::market::companies::{self as store, ClientRow, CompanyFields, CompanyQuery, CompanyRow};
use rencai_store::market::jobs::{self as job_store, JobQuery, JobRow};

use super::actor::{Recruiter, require_recruiter};
use super::{Page, invalid, paging, quota, terms};
use crate::auth::staff::StaffUser;
use crate::{AppError, AppResult, AppState};

/// The version of the integrity pledge (诚信承诺书) organisations accept at registration.
pub const PLEDGE_VERSION: &str = "v1";

fn fields(p: &CompanyProfile) -> CompanyFields {
    CompanyFields {
        name: p.name.clone(),
        credit_code: p.credit_code.as_str().to_string(),
        industry: p.industry.clone(),
        size: p.size.as_str().to_string(),
        ownership: p.ownership.as_str().to_string(),
        district: p.district.clone(),
        address: p.address.clone(),
        point: p.point.map(|pt| (pt.lat(), pt.lng())),
        intro: p.intro.clone(),
        contact_name: p.contact_name.clone(),
    }
}

async fn parse(state: &AppState, input: CompanyProfileInput) -> AppResult<CompanyProfile> {
    let terms = terms::get(state).await?;
    input.parse(&terms.checker()).map_err(|issues| invalid("company.invalid", "企业资料有误，请按提示修改。", issues))
}

/// Creates the organisation of a company or agency account, which becomes its primary account,
/// and grants the free quota. The integrity pledge must be accepted.
pub async fn create(
    state: &AppState,
    account: &AccountRecord,
    input: CompanyProfileInput,
    pledge_accepted: bool,
) -> AppResult<CompanyRow> {
    let kind = match account.role {
        Role::Company => CompanyKind::Employer,
        Role::Agency => CompanyKind::Agency,
        _ => {
            return Err(AppError::Forbidden {
                code: "company.wrong_role",
                message: "请使用企业或人力资源机构账号登记单位信息。".into(),
            });
        }
    };
    if super::actor::recruiter(state, account).await?.is_some() {
        return Err(AppError::Conflict {
            code: "company.already_member",
            message: "该账号已属于一个单位。".into(),
            field: "account",
        });
    }
    let profile = parse(state, input).await?;
    if !pledge_accepted {
        return Err(AppError::invalid_field("company.pledge_required", "pledge", "请阅读并接受诚信承诺书。"));
    }
    let now = state.now();
    let keys = state.keys().get();
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    let org = store::create(
        &txn,
        &keys,
        state.station().id,
        kind.as_str(),
        &fields(&profile),
        account.id,
        PLEDGE_VERSION,
        now,
    )
    .await
    .map_err(credit_code_taken)?;
    quota::grant_free(state, &txn, org.id, now).await?;
    txn.commit().await.map_err(AppError::internal)?;
    Ok(org)
}

/// Replaces the profile (primary account only).
pub async fn update(state: &AppState, rec: &Recruiter, input: CompanyProfileInput) -> AppResult<CompanyRow> {
    rec.require_primary()?;
    let profile = parse(state, input).await?;
    let keys = state.keys().get();
    store::update_profile(state.db().conn(), &keys, rec.org.id, &fields(&profile), state.now())
        .await
        .map_err(credit_code_taken)
}

/// A second organisation with the same credit code: a clear conflict, never a 500.
fn credit_code_taken(e: rencai_store::StoreError) -> AppError {
    match e {
        rencai_store::StoreError::Conflict { field: "credit_code" } => AppError::Conflict {
            code: "company.credit_code_taken",
            message: "该统一社会信用代码已登记。如被冒用，请联系客服。".into(),
            field: "credit_code",
        },
        other => other.into(),
    }
}

fn verification(org: &CompanyRow) -> AppResult<Verification> {
    Verification::parse(&org.verification).ok_or_else(|| AppError::internal(std::io::Error::other("bad verification")))
}

/// Sends the organisation to staff for verification.
pub async fn submit_for_verification(state: &AppState, account: &AccountRecord) -> AppResult<()> {
    let rec = require_recruiter(state, account).await?;
    rec.require_primary()?;
    let current = verification(&rec.org)?;
    let next = current.submit().map_err(|e| AppError::Conflict {
        code: "company.verification_state",
        message: e.to_string(),
        field: "verification",
    })?;
    let from = [current.as_str()];
    if !store::set_verification(state.db().conn(), rec.org.id, &from, next.as_str(), None, state.now()).await? {
        return Err(AppError::Conflict {
            code: "company.verification_state",
            message: "认证状态已变化，请刷新页面。".into(),
            field: "verification",
        });
    }
    registry_check(state, &rec.org).await
}

/// Asks the business registry about the organisation and keeps the answer for the staff who
/// review it. The registry informs the decision; it does not make it, so a registry that is
/// down or not configured leaves a note instead of blocking the request.
async fn registry_check(state: &AppState, org: &CompanyRow) -> AppResult<()> {
    let check = match state.registry() {
        None => serde_json::json!({ "outcome": "not_configured" }),
        Some(r) => match r.lookup(&org.credit_code).await {
            Ok(Some(rec)) => serde_json::json!({
                "outcome": "found",
                "name": rec.name,
                "name_matches": rec.name == org.name,
                "status": rec.status,
                "active": rec.active,
                "legal_person": rec.legal_person,
                "established": rec.established.map(|d| d.to_string()),
            }),
            Ok(None) => serde_json::json!({ "outcome": "not_found" }),
            Err(e) => {
                tracing::warn!(error = %e, "business registry lookup failed");
                serde_json::json!({ "outcome": "failed" })
            }
        },
    };
    store::set_registry_check(state.db().conn(), org.id, &check).await?;
    Ok(())
}

/// A staff decision on a verification request. Rejecting needs a reason the applicant sees.
pub async fn review(
    state: &AppState,
    staff: &StaffUser,
    public_id: &str,
    approve: bool,
    reason: Option<&str>,
) -> AppResult<CompanyRow> {
    staff.require(state, Permission::ModerateContent).await?;
    let conn = state.db().conn();
    let org = store::find_public(conn, public_id)
        .await?
        .ok_or(AppError::NotFound { code: "company.not_found", what: "该单位" })?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let current = verification(&org)?;
    let next = if approve { current.approve() } else { current.reject() };
    let next = next.map_err(|e| AppError::Conflict {
        code: "company.verification_state",
        message: e.to_string(),
        field: "verification",
    })?;
    if !approve && reason.is_none() {
        return Err(AppError::invalid_field(
            "company.reason_required",
            "reason",
            "请填写不通过的原因，申请人会看到它。",
        ));
    }
    if !store::set_verification(conn, org.id, &[current.as_str()], next.as_str(), reason, state.now()).await? {
        return Err(AppError::Conflict {
            code: "company.verification_state",
            message: "该单位已被其他人审核。".into(),
            field: "verification",
        });
    }
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::staff(staff.auth.account.id),
            action: if approve { "company.verified" } else { "company.rejected" },
            subject: Some(("company", org.id)),
            reason: reason.map(str::to_string),
            detail: serde_json::json!({}),
        },
    )
    .await?;
    store::find(conn, org.id).await?.ok_or(AppError::NotFound { code: "company.not_found", what: "该单位" })
}

/// Organisations waiting for verification, oldest first. Contact names are personal data:
/// the queue shows them, so opening it is an audited read.
pub async fn review_queue(state: &AppState, staff: &StaffUser) -> AppResult<Vec<(CompanyRow, String)>> {
    staff.require(state, Permission::ModerateContent).await?;
    let q = CompanyQuery {
        station_id: state.station().id,
        kind: None,
        verification: Some("pending"),
        industry: None,
        district: None,
        name_contains: None,
        offset: 0,
        limit: 100,
    };
    let (_, mut rows) = store::list(state.db().conn(), &q).await?;
    rows.reverse();
    let keys = state.keys().get();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let contact = r.contact_name(&keys)?;
        out.push((r, contact));
    }
    let ids: Vec<i64> = out.iter().map(|(c, _)| c.id).collect();
    crate::audit::staff_read(state, staff.auth.account.id, "company_review_queue", "单位认证审核", &ids).await?;
    Ok(out)
}

/// The public directory: verified employers first.
pub async fn directory(
    state: &AppState,
    industry: Option<&str>,
    district: Option<&str>,
    name: Option<&str>,
    page: Option<u64>,
) -> AppResult<Page<CompanyRow>> {
    let (page, per_page) = paging(page, Some(20));
    let q = CompanyQuery {
        station_id: state.station().id,
        kind: Some("employer"),
        verification: Some("verified"),
        industry,
        district,
        name_contains: name.map(str::trim).filter(|n| !n.is_empty()),
        offset: (page - 1) * per_page,
        limit: per_page,
    };
    let conn = state.db().conn();
    let unfiltered = industry.is_none() && district.is_none() && q.name_contains.is_none();
    let total = match unfiltered.then(|| state.directory_total().get()).flatten() {
        Some(n) => n,
        None => {
            // Taken before counting: a write that lands meanwhile leaves the count unkept.
            let appends = rencai_store::changelog::local_appends();
            let n = store::count_listed(conn, &q).await?;
            if unfiltered {
                state.directory_total().keep(appends, n);
            }
            n
        }
    };
    Ok(Page { total, items: store::page_listed(conn, &q).await?, page, per_page })
}

/// How many verified employers the directory lists (the home page's "N 家企业"), remembered
/// while this process writes nothing and for at most [`DirectoryTotal::TTL`]: counting them
/// read 10,000 index entries per home page, a third of its time. Another node's
/// verification shows here within the TTL.
#[derive(Debug, Default)]
pub struct DirectoryTotal(std::sync::Mutex<Option<(u64, std::time::Instant, u64)>>);

impl DirectoryTotal {
    const TTL: std::time::Duration = std::time::Duration::from_secs(10);

    fn get(&self) -> Option<u64> {
        let g = self.0.lock().ok()?;
        let (appends, at, n) = (*g)?;
        (appends == rencai_store::changelog::local_appends() && at.elapsed() < Self::TTL).then_some(n)
    }

    fn keep(&self, appends: u64, n: u64) {
        if let Ok(mut g) = self.0.lock() {
            *g = Some((appends, std::time::Instant::now(), n));
        }
    }
}

/// A public company page: the organisation and its published jobs. Organisations that staff
/// have not verified are not public.
pub async fn public_page(state: &AppState, public_id: &str) -> AppResult<(CompanyRow, Vec<JobRow>)> {
    let conn = state.db().conn();
    let org = store::find_public(conn, public_id)
        .await?
        .filter(|c| c.verification == "verified" && c.station_id == state.station().id)
        .ok_or(AppError::NotFound { code: "company.not_found", what: "该单位" })?;
    let q = JobQuery {
        station_id: state.station().id,
        statuses: vec!["published".into()],
        employer_id: Some(org.id),
        limit: 50,
        ..Default::default()
    };
    let (_, jobs) = job_store::list(conn, &q, state.now()).await?;
    Ok((org, jobs))
}

/// An agency declares a client company, with how the authorization was given. Staff verify it.
pub async fn declare_client(state: &AppState, rec: &Recruiter, client_public_id: &str, note: &str) -> AppResult<()> {
    if !rec.is_agency() {
        return Err(AppError::Forbidden {
            code: "agency.only", message: "只有人力资源机构可以登记代招客户。".into()
        });
    }
    let note = note.trim();
    if note.chars().count() < 4 || note.chars().count() > 500 {
        return Err(AppError::invalid_field(
            "agency.authorization_note",
            "note",
            "请说明委托情况（委托书编号、期限等），4到500字。",
        ));
    }
    let conn = state.db().conn();
    let client = store::find_public(conn, client_public_id)
        .await?
        .filter(|c| c.kind == "employer")
        .ok_or(AppError::NotFound { code: "company.not_found", what: "该企业" })?;
    store::declare_client(conn, rec.org.id, client.id, note, state.now()).await.map_err(|e| match e {
        rencai_store::StoreError::Conflict { .. } => {
            AppError::Conflict {
                code: "agency.client_exists", message: "已登记过该客户。".into(), field: "client"
            }
        }
        other => other.into(),
    })
}

pub async fn clients(state: &AppState, rec: &Recruiter) -> AppResult<Vec<ClientRow>> {
    Ok(store::clients(state.db().conn(), Some(rec.org.id)).await?)
}

pub async fn client_queue(state: &AppState, staff: &StaffUser) -> AppResult<Vec<ClientRow>> {
    staff.require(state, Permission::ModerateContent).await?;
    Ok(store::clients(state.db().conn(), None).await?)
}

pub async fn review_client(
    state: &AppState,
    staff: &StaffUser,
    agency_public_id: &str,
    client_public_id: &str,
    approve: bool,
    reason: Option<&str>,
) -> AppResult<()> {
    staff.require(state, Permission::ModerateContent).await?;
    let conn = state.db().conn();
    let not_found = || AppError::NotFound { code: "company.not_found", what: "该单位" };
    let agency = store::find_public(conn, agency_public_id).await?.ok_or_else(not_found)?;
    let client = store::find_public(conn, client_public_id).await?.ok_or_else(not_found)?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(AppError::invalid_field("agency.reason_required", "reason", "请填写不通过的原因。"));
    }
    if approve {
        // Staff verify the authorization against its document: no document, no approval.
        let declared = store::clients(conn, Some(agency.id)).await?;
        let relation = declared.iter().find(|c| c.client_id == client.id).ok_or_else(not_found)?;
        if super::org_files::authorizations(state, relation.id).await?.is_empty() {
            return Err(AppError::Conflict {
                code: "agency.document_required",
                message: "该委托还没有上传委托书，不能核实通过。".into(),
                field: "client",
            });
        }
    }
    if !store::decide_client(conn, agency.id, client.id, approve, reason, state.now()).await? {
        return Err(AppError::Conflict {
            code: "agency.client_state",
            message: "该委托已审核或不存在。".into(),
            field: "client",
        });
    }
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::staff(staff.auth.account.id),
            action: if approve { "agency.client_verified" } else { "agency.client_rejected" },
            subject: Some(("company", agency.id)),
            reason: reason.map(str::to_string),
            detail: serde_json::json!({ "client": client.id }),
        },
    )
    .await?;
    Ok(())
}
