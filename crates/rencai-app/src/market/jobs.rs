//! Jobs: drafting, submission under the posting rules and the job-slot quota, staff review,
//! expiry on a schedule, refresh, reassignment within an organisation (P17), and the public
//! lists and page — whose contact details only applicants see (P6).

use rencai_domain::access::{self, JobFacts, Viewer};
use rencai_domain::job::{JobContent, JobInput, JobStatus, Salary};
use rencai_domain::posting_rules::{self, PostingText, RuleContext};
use rencai_domain::staff::Permission;
use rencai_domain::taxonomy::TaxonomyKind;
use rencai_search::{JobFacets, JobSearch, JobSort, Marked};
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::market::companies as org_store;
use rencai_store::market::jobs::{self as store, JobFields, JobQuery, JobRow, Poster, Transition};
use rencai_store::market::moderation;
use rencai_store::{ConnectionTrait, TransactionTrait, raw};

use super::actor::Recruiter;
use super::quota::{self, QuotaKind};
use super::{Page, invalid, paging, terms};
use crate::auth::staff::StaffUser;
use crate::error::FieldError;
use crate::{AppError, AppResult, AppState};

fn fields(c: &JobContent) -> JobFields {
    JobFields {
        title: c.title.clone(),
        category: c.category.clone(),
        industry: c.industry.clone(),
        district: c.district.clone(),
        address: c.address.clone(),
        point: c.point.map(|p| (p.lat(), p.lng())),
        salary: match c.salary {
            Salary::Negotiable => None,
            Salary::Monthly { min, max } => Some((min, max)),
        },
        education: c.education.clone(),
        experience: c.experience.clone(),
        job_type: c.job_type.clone(),
        headcount: c.headcount,
        benefits: c.benefits.clone(),
        description: c.description.clone(),
        contact_name: c.contact_name.clone(),
        contact_phone: c.contact_phone.digits().to_string(),
        campus: c.campus,
        urgent: c.urgent,
    }
}

fn status_of(job: &JobRow) -> AppResult<JobStatus> {
    JobStatus::parse(&job.status).ok_or_else(|| AppError::internal(std::io::Error::other("unknown job status")))
}

fn not_found() -> AppError {
    AppError::NotFound { code: "job.not_found", what: "该职位" }
}

fn state_conflict(message: impl Into<String>) -> AppError {
    AppError::Conflict { code: "job.state", message: message.into(), field: "status" }
}

/// Saves a job as draft or submits it for review. `job_id` None creates a job; an agency names
/// the client it recruits for in `employer`.
pub async fn save(
    state: &AppState,
    rec: &Recruiter,
    job_id: Option<&str>,
    employer: Option<&str>,
    input: JobInput,
    submit: bool,
) -> AppResult<JobRow> {
    let terms = terms::get(state).await?;
    let mut content =
        input.parse(&terms.checker()).map_err(|i| invalid("job.invalid", "职位信息有误，请按提示修改。", i))?;
    let now = state.now();
    let keys = state.keys().get();
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    // Serialises this organisation's submissions, so two at once cannot both take the last slot.
    lock_org(&txn, rec.org.id).await?;
    let existing = match job_id {
        Some(id) => {
            let job = store::find_public(&txn, id).await?.ok_or_else(not_found)?;
            if !access::may_manage_job(&rec.membership(), &facts(&job)) {
                return Err(not_found());
            }
            Some(job)
        }
        None => None,
    };
    let current = existing.as_ref().map(status_of).transpose()?;
    // Urgent placement is a paid service set by staff; an edit by the recruiter keeps it as it is.
    content.urgent = existing.as_ref().is_some_and(|j| j.urgent);
    let next = match (current, submit) {
        (None, false) => JobStatus::Draft,
        (None, true) => JobStatus::Pending,
        (Some(s), false) => s.edit().map_err(|e| state_conflict(e.to_string()))?,
        (Some(s), true) => {
            let edited = s.edit().map_err(|e| state_conflict(e.to_string()))?;
            if edited == JobStatus::Pending {
                edited
            } else {
                edited.submit().map_err(|e| state_conflict(e.to_string()))?
            }
        }
    };
    if next == JobStatus::Pending {
        if rec.org.verification != "verified" {
            return Err(AppError::Forbidden {
                code: "company.not_verified",
                message: "单位认证通过后才能提交职位审核，可以先保存为草稿。".into(),
            });
        }
        if !rec.real_name_verified {
            return Err(AppError::Forbidden {
                code: "realname.required",
                message: "招聘者通过实名核验后才能提交职位审核，可以先保存为草稿。".into(),
            });
        }
        check_rules(state, &txn, rec.org.id, &content, existing.as_ref().map(|j| j.id)).await?;
        let held = current.is_some_and(|s| s.occupies_slot());
        if !held {
            let (granted, _) = quota::balance(&txn, rec.org.id, QuotaKind::JobSlot, now).await?;
            if store::slots_in_use(&txn, rec.org.id).await? >= granted {
                return Err(AppError::Conflict {
                    code: "quota.job_slots_exhausted",
                    message: format!("职位数已达上限（{granted}个），请关闭不再招聘的职位或联系客服增加职位数。"),
                    field: "quota",
                });
            }
        }
    }
    let employer_id = match (&existing, rec.is_agency()) {
        (Some(job), _) => job.employer_id,
        (None, false) => rec.org.id,
        (None, true) => client_of(&txn, rec, employer).await?,
    };
    let job = match existing {
        None => {
            let poster = Poster {
                station_id: state.station().id,
                employer_id,
                agency_id: rec.is_agency().then_some(rec.org.id),
                owner_account_id: rec.account_id,
            };
            store::create(&txn, &keys, poster, &fields(&content), next.as_str(), now).await?
        }
        Some(job) => {
            if !store::update_content(&txn, &keys, &job, &fields(&content), next.as_str(), now).await? {
                return Err(state_conflict("职位状态已变化，请刷新后再试。"));
            }
            store::find(&txn, job.id).await?.ok_or_else(not_found)?
        }
    };
    txn.commit().await.map_err(AppError::internal)?;
    Ok(job)
}

async fn lock_org(conn: &impl ConnectionTrait, org_id: i64) -> AppResult<()> {
    let b = conn.get_database_backend();
    conn.execute_raw(raw(b, "UPDATE companies SET updated_at = updated_at WHERE id = ?", [org_id.into()]))
        .await
        .map_err(AppError::internal)?;
    Ok(())
}

/// The employer an agency posts for: one of its clients that staff verified.
async fn client_of(conn: &impl ConnectionTrait, rec: &Recruiter, employer: Option<&str>) -> AppResult<i64> {
    let missing = || AppError::invalid_field("job.client_required", "employer", "请选择已认证的代招客户（委托企业）。");
    let public_id = employer.map(str::trim).filter(|e| !e.is_empty()).ok_or_else(missing)?;
    let client = org_store::find_public(conn, public_id).await?.ok_or_else(missing)?;
    if rec.clients.contains(&client.id) { Ok(client.id) } else { Err(missing()) }
}

async fn check_rules(
    state: &AppState,
    conn: &impl ConnectionTrait,
    poster_id: i64,
    content: &JobContent,
    except: Option<i64>,
) -> AppResult<()> {
    let banned_words = moderation::banned_words(conn, state.station().id).await?;
    let existing_titles = store::open_titles(conn, poster_id, except).await?;
    let text = PostingText { title: &content.title, description: &content.description, salary: &content.salary };
    let violations =
        posting_rules::check(&text, &RuleContext { banned_words: &banned_words, existing_titles: &existing_titles });
    if violations.is_empty() {
        return Ok(());
    }
    let message = violations.iter().map(|v| v.message.clone()).collect::<Vec<_>>().join("；");
    Err(AppError::Validation {
        code: "job.rule_violation",
        message: format!("职位内容不符合发布规则：{message}"),
        fields: violations
            .into_iter()
            .map(|v| FieldError { field: v.field.to_string(), code: v.rule.code().to_string(), message: v.message })
            .collect(),
    })
}

pub fn facts(job: &JobRow) -> JobFacts {
    JobFacts {
        employer: job.employer_id,
        agency: job.agency_id,
        owner_account: job.owner_account_id,
        public: job.status == "published",
    }
}

/// A job the recruiter may manage, by public id. Others' jobs are "not found".
pub async fn managed(state: &AppState, rec: &Recruiter, public_id: &str) -> AppResult<JobRow> {
    let job = store::find_public(state.db().conn(), public_id).await?.ok_or_else(not_found)?;
    if access::may_manage_job(&rec.membership(), &facts(&job)) { Ok(job) } else { Err(not_found()) }
}

/// The recruiter's jobs: all of the organisation's for the primary account (P17), else their own.
pub async fn own_list(
    state: &AppState,
    rec: &Recruiter,
    status: Option<&str>,
    page: Option<u64>,
) -> AppResult<Page<JobRow>> {
    let (page, per_page) = paging(page, Some(20));
    let q = JobQuery {
        station_id: state.station().id,
        statuses: status.map(|s| vec![s.to_string()]).unwrap_or_default(),
        poster_id: Some(rec.org.id),
        owner_account_id: (!rec.primary).then_some(rec.account_id),
        offset: (page - 1) * per_page,
        limit: per_page,
        ..Default::default()
    };
    let (total, items) = store::list(state.db().conn(), &q, state.now()).await?;
    Ok(Page { total, items, page, per_page })
}

pub async fn close(state: &AppState, rec: &Recruiter, public_id: &str) -> AppResult<()> {
    let job = managed(state, rec, public_id).await?;
    let next = status_of(&job)?.close().map_err(|e| state_conflict(e.to_string()))?;
    if !store::transition(state.db().conn(), &job, next.as_str(), Transition::default(), state.now()).await? {
        return Err(state_conflict("职位状态已变化，请刷新后再试。"));
    }
    Ok(())
}

/// Moves a published job up the lists (刷新), spending one refresh from the quota.
pub async fn refresh(state: &AppState, rec: &Recruiter, public_id: &str) -> AppResult<()> {
    let job = managed(state, rec, public_id).await?;
    let now = state.now();
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    // The write first: it checks the job is still published and takes the write lock before
    // the quota is read (SQLite cannot upgrade a read transaction that others wrote after).
    if !store::refresh(&txn, &job, now).await? {
        return Err(state_conflict("只有招聘中的职位可以刷新。"));
    }
    quota::spend(&txn, rec.org.id, QuotaKind::Refresh, Some(rec.account_id), &job.public_id, now).await?;
    txn.commit().await.map_err(AppError::internal)?;
    Ok(())
}

/// Top placement (置顶): a published job goes to the head of the lists for `days` days, one
/// top-placement day of the quota each. Days add to a placement still running.
pub async fn place_on_top(state: &AppState, rec: &Recruiter, public_id: &str, days: u32) -> AppResult<()> {
    if !(1..=30).contains(&days) {
        return Err(AppError::invalid_field("job.top_days", "days", "置顶天数应在1到30天之间。"));
    }
    let job = managed(state, rec, public_id).await?;
    let now = state.now();
    let start = job.top_until.filter(|t| *t > now).unwrap_or(now);
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    // The write first (state check and write lock), then the quota: all days or none.
    if !store::set_top(&txn, &job, start + chrono::Duration::days(i64::from(days)), now).await? {
        return Err(state_conflict("只有招聘中的职位可以置顶。"));
    }
    for _ in 0..days {
        quota::spend(&txn, rec.org.id, QuotaKind::TopDay, Some(rec.account_id), &job.public_id, now).await?;
    }
    txn.commit().await.map_err(AppError::internal)?;
    Ok(())
}

/// Hands a job to another recruiter of the same organisation (primary account only, P17).
pub async fn reassign(state: &AppState, rec: &Recruiter, public_id: &str, to_account: i64) -> AppResult<()> {
    rec.require_primary()?;
    let job = managed(state, rec, public_id).await?;
    let conn = state.db().conn();
    let members = org_store::members(conn, rec.org.id).await?;
    if !members.iter().any(|m| m.account_id == to_account) {
        return Err(AppError::invalid_field("job.assignee", "to", "只能转交给本单位的招聘者。"));
    }
    store::reassign(conn, &job, to_account, state.now()).await?;
    Ok(())
}

/// Jobs waiting for review, oldest first, with their contact details (an audited read).
pub async fn review_queue(state: &AppState, staff: &StaffUser) -> AppResult<Vec<(JobRow, (String, String))>> {
    staff.require(state, Permission::ModerateContent).await?;
    let q =
        JobQuery { station_id: state.station().id, statuses: vec!["pending".into()], limit: 100, ..Default::default() };
    let (_, mut rows) = store::list(state.db().conn(), &q, state.now()).await?;
    rows.reverse();
    let keys = state.keys().get();
    let mut out = Vec::with_capacity(rows.len());
    for j in rows {
        let contact = j.contact(&keys)?;
        out.push((j, contact));
    }
    let ids: Vec<i64> = out.iter().map(|(j, _)| j.id).collect();
    crate::audit::staff_read(state, staff.auth.account.id, "job_review_queue", "职位审核", &ids).await?;
    Ok(out)
}

/// A staff decision on a pending job. Rejections carry a reason the poster sees.
pub async fn review(
    state: &AppState,
    staff: &StaffUser,
    public_id: &str,
    approve: bool,
    reason: Option<&str>,
) -> AppResult<()> {
    staff.require(state, Permission::ModerateContent).await?;
    let conn = state.db().conn();
    let job = store::find_public(conn, public_id).await?.ok_or_else(not_found)?;
    let current = status_of(&job)?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let now = state.now();
    let (next, t) = if approve {
        let next = current.approve().map_err(|e| state_conflict(e.to_string()))?;
        let expires = now + chrono::Duration::days(i64::from(state.settings().market.job_days));
        (next, Transition { reject_reason: None, published: Some((now, expires)) })
    } else {
        let next = current.reject().map_err(|e| state_conflict(e.to_string()))?;
        if reason.is_none() {
            return Err(AppError::invalid_field(
                "job.reason_required",
                "reason",
                "请填写不通过的原因，发布者会看到它。",
            ));
        }
        (next, Transition { reject_reason: reason, published: None })
    };
    if !store::transition(conn, &job, next.as_str(), t, now).await? {
        return Err(state_conflict("该职位已被其他人审核。"));
    }
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::staff(staff.auth.account.id),
            action: if approve { "job.approved" } else { "job.rejected" },
            subject: Some(("job", job.id)),
            reason: reason.map(str::to_string),
            detail: serde_json::json!({}),
        },
    )
    .await?;
    Ok(())
}

/// Expires published jobs whose term is over. Called on a schedule by `serve`.
pub async fn expire_due(state: &AppState) -> AppResult<u64> {
    Ok(store::expire_due(state.db().conn(), state.now()).await?)
}

/// Public list filters, as the stable codes of `GET /api/v1/taxonomies`.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct JobFilters {
    pub q: Option<String>,
    pub district: Option<String>,
    pub industry: Option<String>,
    pub category: Option<String>,
    #[serde(deserialize_with = "super::empty_as_none")]
    pub salary_min: Option<u32>,
    pub experience: Option<String>,
    pub education: Option<String>,
    #[serde(rename = "type")]
    pub job_type: Option<String>,
    /// Refreshed within this many days (1, 3, 7 or 30).
    #[serde(deserialize_with = "super::empty_as_none")]
    pub within: Option<u32>,
    pub sort: Option<String>,
    #[serde(deserialize_with = "super::empty_as_none")]
    pub page: Option<u64>,
    #[serde(deserialize_with = "super::empty_as_none")]
    pub per_page: Option<u64>,
    /// Count the result by each filter's values.
    #[serde(deserialize_with = "super::empty_as_none")]
    pub facets: Option<bool>,
}

impl JobFilters {
    /// The filters as a list's URL names them, each with its value if set, in a fixed order
    /// (the page number left out).
    pub fn query_pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("q", self.q.clone()),
            ("district", self.district.clone()),
            ("industry", self.industry.clone()),
            ("category", self.category.clone()),
            ("salary_min", self.salary_min.map(|s| s.to_string())),
            ("experience", self.experience.clone()),
            ("education", self.education.clone()),
            ("type", self.job_type.clone()),
            ("within", self.within.map(|d| d.to_string())),
            ("sort", self.sort.clone()),
            ("per_page", self.per_page.map(|n| n.to_string())),
        ]
    }
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// Where a public list comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    All,
    /// Published today (Asia/Shanghai).
    Today,
    Campus,
    Urgent,
}

/// A job in a list, with the words the query matched marked. `job` comes from the index's
/// card: its contact details are blank (lists never show them).
#[derive(Debug, Clone)]
pub struct Listed {
    pub job: JobRow,
    pub title: Marked,
    /// The best-matching passage of the description (keyword searches only).
    pub passage: Option<Marked>,
    pub distance_m: Option<f64>,
}

/// A page of a public list.
#[derive(Debug, Clone)]
pub struct JobList {
    pub page: Page<Listed>,
    /// The total is [`rencai_search::COUNT_CAP`] and more jobs match ("1万+").
    pub capped: bool,
    pub facets: Option<JobFacets>,
    /// No job had every word of the query; these have some.
    pub relaxed: bool,
}

/// Checks public filters into an index search. Unknown codes are a clear error, not an empty
/// list.
pub(crate) fn job_search(
    state: &AppState,
    terms: &super::terms::Terms,
    f: &JobFilters,
    listing: Listing,
) -> AppResult<JobSearch> {
    let mut issues = Vec::new();
    let mut code = |kind: TaxonomyKind, field: &'static str, v: &Option<String>| {
        super::filter_code(terms, kind, field, v, &mut issues)
    };
    let district = code(TaxonomyKind::District, "district", &f.district);
    let industry = code(TaxonomyKind::Industry, "industry", &f.industry);
    let category = code(TaxonomyKind::JobCategory, "category", &f.category);
    let experience = code(TaxonomyKind::Experience, "experience", &f.experience);
    let education = code(TaxonomyKind::Education, "education", &f.education);
    let job_type = code(TaxonomyKind::JobType, "type", &f.job_type);
    let sort = match f.sort.as_deref().map(str::trim).unwrap_or("") {
        "" | "relevance" => JobSort::Relevance,
        "fresh" => JobSort::Fresh,
        "salary" => JobSort::Salary,
        "newest" => JobSort::Newest,
        // Without a point (a plain list), nearest-first falls back to the freshest.
        "distance" => JobSort::Distance,
        _ => {
            issues.push(rencai_domain::validate::FieldIssue::new("sort", "filter.unknown_sort", "没有这种排序方式。"));
            JobSort::Relevance
        }
    };
    if let Some(d) = f.within
        && !rencai_search::jobs::POSTED_WITHIN_DAYS.contains(&d)
    {
        issues.push(rencai_domain::validate::FieldIssue::new("within", "filter.unknown_code", "没有这个筛选项。"));
    }
    let (page, per_page) = paging(f.page, f.per_page);
    if page * per_page > rencai_search::jobs::MAX_DEPTH as u64 {
        issues.push(rencai_domain::validate::FieldIssue::new(
            "page",
            "filter.too_deep",
            "只能浏览前 2000 条结果，请加上关键词或筛选条件。",
        ));
    }
    if !issues.is_empty() {
        return Err(invalid("filter.invalid", "筛选条件有误。", issues));
    }
    let now = state.now();
    let mut categories: Vec<String> = category.iter().cloned().collect();
    if let Some(c) = &category {
        categories.extend(terms.children(TaxonomyKind::JobCategory, c));
    }
    let within = f.within.map(|d| now.timestamp() - i64::from(d) * 86_400);
    let today = (listing == Listing::Today).then(|| start_of_china_day(now).timestamp());
    Ok(JobSearch {
        station_id: state.station().id,
        text: non_empty(&f.q),
        district,
        industry,
        categories,
        experience,
        education,
        job_type,
        salary_min: f.salary_min,
        campus: (listing == Listing::Campus).then_some(true),
        urgent: (listing == Listing::Urgent).then_some(true),
        since: within.max(today),
        sort,
        offset: ((page - 1) * per_page) as usize,
        limit: per_page as usize,
        facets: f.facets.unwrap_or(false),
        now: now.timestamp(),
        ..Default::default()
    })
}

/// The public job list, from the search index.
pub async fn public_list(state: &AppState, f: &JobFilters, listing: Listing) -> AppResult<JobList> {
    let terms = terms::get(state).await?;
    let q = job_search(state, &terms, f, listing)?;
    let (page, per_page) = paging(f.page, f.per_page);
    listed(state, q, page, per_page).await
}

/// A public list's counts by each filter's value, without the list: the list page fetches them
/// when its filter panel opens, so the page itself never pays for a pass over every match.
/// With the result's size; the counts are None when a keyword matches more than
/// [`rencai_search::COUNT_CAP`] jobs (counting those by value costs a full pass and tells a
/// reader little).
pub async fn public_counts(state: &AppState, f: &JobFilters, listing: Listing) -> AppResult<(u64, Option<JobFacets>)> {
    let terms = terms::get(state).await?;
    let q = JobSearch {
        offset: 0,
        limit: 0,
        facets: true,
        facets_unless_broad: true,
        ..job_search(state, &terms, f, listing)?
    };
    let r = crate::search::jobs(state, q).await?;
    Ok((r.total, r.facets))
}

/// Where "nearby" is measured from: the device's position of the moment (P7). It lives for
/// one request: it is not stored, logged or put in a URL.
#[derive(Debug, Clone, Copy)]
pub struct Here {
    pub lat: f64,
    pub lng: f64,
    pub radius_km: Option<f64>,
}

/// Default and largest radius of a nearby search, in kilometres.
pub const NEARBY_RADIUS_KM: (f64, f64) = (5.0, 50.0);

/// Jobs within a radius of a point, nearest first unless another order is asked for; each with
/// its distance.
pub async fn nearby(state: &AppState, f: &JobFilters, here: Here) -> AppResult<JobList> {
    let mut issues = Vec::new();
    let point = rencai_search::Point::checked(here.lat, here.lng);
    if point.is_none() {
        issues.push(rencai_domain::validate::FieldIssue::new(
            "lat",
            "nearby.point",
            "位置无效：纬度 -90～90，经度 -180～180。",
        ));
    }
    let radius = here.radius_km.unwrap_or(NEARBY_RADIUS_KM.0);
    if !(radius.is_finite() && radius > 0.0 && radius <= NEARBY_RADIUS_KM.1) {
        issues.push(rencai_domain::validate::FieldIssue::new(
            "radius_km",
            "nearby.radius",
            "范围须在 0～50 公里之间。",
        ));
    }
    let (Some(point), true) = (point, issues.is_empty()) else {
        return Err(invalid("nearby.invalid", "附近搜索的位置或范围有误。", issues));
    };
    let terms = terms::get(state).await?;
    let mut q = job_search(state, &terms, f, Listing::All)?;
    q.near = Some((point, radius * 1_000.0));
    if q.sort == JobSort::Relevance && q.text.is_none() {
        q.sort = JobSort::Distance;
    }
    let (page, per_page) = paging(f.page, f.per_page);
    listed(state, q, page, per_page).await
}

/// Runs an index search and reads the hits' rows, in rank order.
pub(crate) async fn listed(state: &AppState, q: JobSearch, page: u64, per_page: u64) -> AppResult<JobList> {
    let r = crate::search::jobs(state, q).await?;
    // Every document carries its card (an index of an older schema is rebuilt on start), so a
    // list reads no table. A card that does not parse is a bug, logged and left out.
    let rows: Vec<JobRow> = r
        .hits
        .iter()
        .filter_map(|h| {
            let row = h.card.as_deref().map(crate::search::card::decode);
            match row {
                Some(Ok(row)) => Some(row),
                Some(Err(e)) => {
                    tracing::error!(job_id = h.id, error = %e, "search hit with an unreadable card");
                    None
                }
                None => {
                    tracing::error!(job_id = h.id, "search hit without a card");
                    None
                }
            }
        })
        .collect();
    let items = rows
        .into_iter()
        // The index may trail the table by a moment: never show what is no longer public.
        .filter(|j| j.status == "published")
        .map(|job| {
            let hit = r.hits.iter().find(|h| h.id == job.id);
            Listed {
                title: r.highlighter.title(&job.title),
                passage: r.highlighter.passage(&job.description),
                distance_m: hit.and_then(|h| h.distance_m),
                job,
            }
        })
        .collect();
    Ok(JobList {
        page: Page { total: r.total, items, page, per_page },
        capped: r.capped,
        facets: r.facets,
        relaxed: r.relaxed,
    })
}

fn start_of_china_day(now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    let day = rencai_domain::time::china_day(now);
    day.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(rencai_domain::time::china()).single())
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or(now)
}

/// A job as a viewer may see it.
#[derive(Debug, Clone)]
pub struct JobView {
    pub job: JobRow,
    /// Contact person and phone: only for applicants and the posting organisation (P6).
    pub contact: Option<(String, String)>,
    pub applied: bool,
    pub may_manage: bool,
}

/// One job for one viewer. Jobs that are not public exist only for their organisation and staff.
pub async fn view(state: &AppState, viewer: &Viewer, rec: Option<&Recruiter>, public_id: &str) -> AppResult<JobView> {
    let conn = state.db().conn();
    let job = store::find_public(conn, public_id)
        .await?
        .filter(|j| j.station_id == state.station().id)
        .ok_or_else(not_found)?;
    let f = facts(&job);
    if !access::job_visible(viewer, &f) {
        return Err(not_found());
    }
    let applied = match viewer {
        Viewer::Seeker { account_id } => {
            rencai_store::market::applications::has_applied(conn, *account_id, job.id).await?
        }
        _ => false,
    };
    let contact =
        if access::job_contact_visible(viewer, &f, applied) { Some(job.contact(&state.keys().get())?) } else { None };
    let may_manage = rec.is_some_and(|r| access::may_manage_job(&r.membership(), &f));
    Ok(JobView { job, contact, applied, may_manage })
}

/// Published jobs for the sitemap: (public id, last change).
pub async fn sitemap_entries(
    state: &AppState,
    offset: u64,
    limit: u64,
) -> AppResult<Vec<(String, chrono::DateTime<chrono::Utc>)>> {
    Ok(store::published_ids(state.db().conn(), state.station().id, offset, limit).await?)
}

pub async fn count_published(state: &AppState) -> AppResult<u64> {
    Ok(store::count_published(state.db().conn(), state.station().id).await?)
}
