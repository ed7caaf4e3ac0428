//! Resumes: the seeker's own (several, with visibility, consent, block list and refresh), and
//! what recruiters get — always through `rencai_domain::access::resume_access`: the resume
//! center, a resume page, and unlocking with quota, which is a disclosure (P16). Every view
//! and unlock is recorded for "who viewed / downloaded my resume".

use rencai_domain::access::{self, FieldShown, ResumeAccess, ResumeFacts, ResumeField, Viewer};
use rencai_domain::attachment;
use rencai_domain::mask::{self, Gender};
use rencai_domain::resume::{ResumeContent, ResumeVisibility};
use rencai_domain::taxonomy::TaxonomyKind;
use rencai_store::TransactionTrait;
use rencai_store::accounts::{self, AccountRecord};
use rencai_store::market::companies as org_store;
use rencai_store::market::disclosures::{self, DisclosureRow};
use rencai_store::market::resumes::{self as store, ResumeFields, ResumeRow, SeekerFacts, ViewRow};

use super::actor::{Recruiter, require_seeker};
use super::quota::{self, QuotaKind};
use super::{Page, invalid, paging, terms};
use crate::{AppError, AppResult, AppState};

fn not_found() -> AppError {
    AppError::NotFound { code: "resume.not_found", what: "该简历" }
}

pub(crate) fn visibility_of(r: &ResumeRow) -> ResumeVisibility {
    // An unreadable value is treated as the most private one.
    ResumeVisibility::parse(&r.visibility).unwrap_or(ResumeVisibility::Hidden)
}

/// The sections as stored: everything but the name, which is sealed on its own.
fn content_json(c: &ResumeContent) -> AppResult<String> {
    let mut c = c.clone();
    c.full_name.clear();
    serde_json::to_string(&c).map_err(AppError::internal)
}

/// The resume's sections, with the name put back only when the caller may see it.
pub fn content(r: &ResumeRow, full_name: String) -> ResumeContent {
    let mut c: ResumeContent = serde_json::from_str(&r.content_json).unwrap_or_default();
    c.full_name = full_name;
    c
}

pub(crate) fn fields(c: &ResumeContent, email: Option<String>) -> AppResult<ResumeFields> {
    Ok(ResumeFields {
        title: c.title.clone(),
        full_name: c.full_name.clone(),
        email,
        gender: c.gender.as_str().to_string(),
        birth_year: c.birth_year,
        education_level: c.education_level.clone(),
        experience_level: c.experience_level.clone(),
        district: c.current_district.clone(),
        intent_categories: c.intention.categories.clone(),
        intent_districts: c.intention.districts.clone(),
        salary: (c.intention.salary_min, c.intention.salary_max),
        content_json: content_json(c)?,
        completeness: c.completeness(),
    })
}

fn check_email(email: Option<&str>) -> AppResult<Option<String>> {
    rencai_domain::validate::email_address(email.unwrap_or_default())
        .map_err(|m| AppError::invalid_field("resume.email", "email", m))
}

async fn check(state: &AppState, c: &ResumeContent) -> AppResult<()> {
    let terms = terms::get(state).await?;
    let year = chrono::Datelike::year(&rencai_domain::time::china_day(state.now()));
    c.check(&terms.checker(), year).map_err(|i| invalid("resume.invalid", "简历信息有误，请按提示修改。", i))
}

/// Creates or replaces one of the seeker's resumes.
pub async fn save(
    state: &AppState,
    seeker: &AccountRecord,
    public_id: Option<&str>,
    c: &ResumeContent,
    email: Option<&str>,
) -> AppResult<ResumeRow> {
    require_seeker(seeker)?;
    let mut c = c.clone();
    c.title = c.title.trim().to_string();
    c.full_name = c.full_name.trim().to_string();
    let c = &c;
    check(state, c).await?;
    let email = check_email(email)?;
    let f = fields(c, email)?;
    let conn = state.db().conn();
    let keys = state.keys().get();
    let now = state.now();
    match public_id {
        Some(id) => {
            let r = own(state, seeker, id).await?;
            Ok(store::update(conn, &keys, r.id, &f, now).await?)
        }
        None => {
            let max = state.settings().market.max_resumes_per_seeker;
            if store::of_seeker(conn, seeker.id).await?.len() as u32 >= max {
                return Err(AppError::Conflict {
                    code: "resume.too_many",
                    message: format!("最多可以保存{max}份简历。"),
                    field: "resume",
                });
            }
            // A new resume is not shown to companies until the seeker says so (P5).
            Ok(store::create(conn, &keys, state.station().id, seeker.id, &f, "public", false, now).await?)
        }
    }
}

/// One of the seeker's own resumes; anyone else's is "not found".
pub async fn own(state: &AppState, seeker: &AccountRecord, public_id: &str) -> AppResult<ResumeRow> {
    store::find_public(state.db().conn(), public_id).await?.filter(|r| r.seeker_id == seeker.id).ok_or_else(not_found)
}

pub async fn list_own(state: &AppState, seeker: &AccountRecord) -> AppResult<Vec<ResumeRow>> {
    Ok(store::of_seeker(state.db().conn(), seeker.id).await?)
}

/// Sets visibility and the separate consent to be shown to companies (P5).
pub async fn set_visibility(
    state: &AppState,
    seeker: &AccountRecord,
    public_id: &str,
    visibility: &str,
    shown_to_companies: bool,
) -> AppResult<ResumeRow> {
    let r = own(state, seeker, public_id).await?;
    let v = ResumeVisibility::parse(visibility)
        .ok_or_else(|| AppError::invalid_field("resume.visibility", "visibility", "请选择简历的公开范围。"))?;
    Ok(store::set_visibility(state.db().conn(), r.id, v.as_str(), shown_to_companies, state.now()).await?)
}

/// Deletes a resume and its attachments (rows in one transaction, then the encrypted blobs).
pub async fn delete(state: &AppState, seeker: &AccountRecord, public_id: &str) -> AppResult<()> {
    let r = own(state, seeker, public_id).await?;
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    // Write first: on SQLite a transaction that reads before its first write fails at once
    // when another connection commits in between (files name their resume without a key).
    store::delete(&txn, &r, state.now()).await?;
    let files = super::attachments::detach_all(&txn, r.id).await?;
    txn.commit().await.map_err(AppError::internal)?;
    super::attachments::remove_blobs(state, &files).await;
    Ok(())
}

/// Refreshes (刷新) the given resumes, or all of the seeker's when `ids` is empty.
pub async fn refresh(state: &AppState, seeker: &AccountRecord, public_ids: &[String]) -> AppResult<u64> {
    require_seeker(seeker)?;
    let mine = list_own(state, seeker).await?;
    let ids: Vec<i64> =
        mine.iter().filter(|r| public_ids.is_empty() || public_ids.contains(&r.public_id)).map(|r| r.id).collect();
    Ok(store::refresh(state.db().conn(), seeker.id, &ids, state.now()).await?)
}

/// Blocks an organisation from every resume of the seeker (P5).
pub async fn block(state: &AppState, seeker: &AccountRecord, company_public_id: &str) -> AppResult<()> {
    require_seeker(seeker)?;
    let conn = state.db().conn();
    let org = org_store::find_public(conn, company_public_id)
        .await?
        .ok_or(AppError::NotFound { code: "company.not_found", what: "该单位" })?;
    Ok(store::block(conn, seeker.id, org.id, state.now()).await?)
}

pub async fn unblock(state: &AppState, seeker: &AccountRecord, company_public_id: &str) -> AppResult<()> {
    let conn = state.db().conn();
    if let Some(org) = org_store::find_public(conn, company_public_id).await? {
        store::unblock(conn, seeker.id, org.id, state.now()).await?;
    }
    Ok(())
}

/// (company public id, name) of each blocked organisation.
pub async fn blocked(state: &AppState, seeker: &AccountRecord) -> AppResult<Vec<(String, String)>> {
    Ok(store::blocked(state.db().conn(), seeker.id).await?.into_iter().map(|(_, p, n)| (p, n)).collect())
}

/// "Who viewed / downloaded my resume".
pub async fn viewers(state: &AppState, seeker: &AccountRecord) -> AppResult<Vec<ViewRow>> {
    Ok(store::views(state.db().conn(), seeker.id, 200).await?)
}

/// The disclosure log (P16).
pub async fn disclosures(state: &AppState, person: &AccountRecord) -> AppResult<Vec<DisclosureRow>> {
    Ok(disclosures::of_person(state.db().conn(), person.id).await?)
}

/// The single decision for one resume and one viewer.
fn decide(viewer: &Viewer, r: &ResumeRow, f: &SeekerFacts) -> ResumeAccess {
    let unlocked = f.unlocked_by.get(&r.id).map(Vec::as_slice).unwrap_or(&[]);
    access::resume_access(
        viewer,
        &ResumeFacts {
            owner: r.seeker_id,
            visibility: visibility_of(r),
            shown_to_companies: r.shown_to_companies,
            blocked: &f.blocked,
            applied_to: &f.applied_to,
            contact_shared_with: &f.contact_shared_with,
            unlocked_by: unlocked,
        },
    )
}

/// A resume as a recruiter may see it: fields masked or clear as the policy says.
#[derive(Debug, Clone)]
pub struct RecruiterResume {
    pub row: ResumeRow,
    pub access: ResumeAccess,
    pub display_name: String,
    /// Phone and e-mail, masked or clear.
    pub phone: String,
    pub email: Option<String>,
    pub content: ResumeContent,
}

/// `phone` is None for cards, which carry no contact details at all.
fn present(state: &AppState, r: ResumeRow, a: ResumeAccess, phone: Option<String>) -> AppResult<RecruiterResume> {
    let card = phone.is_none();
    let keys = state.keys().get();
    let name = r.name(&keys)?;
    let gender = Gender::parse(&r.gender).unwrap_or(Gender::Unspecified);
    let display_name = match a.shows(ResumeField::Name) {
        FieldShown::Clear => name.clone(),
        _ => mask::mask_name(&name, gender),
    };
    let phone = match (a.shows(ResumeField::Phone), phone) {
        (FieldShown::Clear, Some(p)) => p,
        (_, Some(p)) => mask::mask_phone(&p),
        (_, None) => String::new(),
    };
    let email = match (a.shows(ResumeField::Email), r.email(&keys)?) {
        _ if card => None,
        (FieldShown::Clear, e) => e,
        (_, Some(e)) => Some(mask::mask_email(&e)),
        (_, None) => None,
    };
    let mut content = content(&r, display_name.clone());
    if a != ResumeAccess::Full {
        // Masking the fields is not enough if the seeker typed their name or number into the
        // free text: what a masked viewer reads has identifiers removed too.
        let names = [name.as_str()];
        let scrub = |t: &mut String| *t = attachment::redact_identifiers(t, &names);
        scrub(&mut content.self_intro);
        content.work.iter_mut().for_each(|w| scrub(&mut w.description));
        content.projects.iter_mut().for_each(|p| scrub(&mut p.description));
    }
    Ok(RecruiterResume { row: r, access: a, display_name, phone, email, content })
}

async fn seeker_phone(state: &AppState, seeker_id: i64) -> AppResult<Option<String>> {
    let Some(acc) = accounts::find_by_id(state.db().conn(), seeker_id).await? else { return Ok(None) };
    Ok(Some(acc.phone.open(&state.keys().get(), accounts::PHONE).map_err(AppError::internal)?))
}

/// Filters of the resume center.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct CenterFilters {
    /// Words: the resume title, skills, certificates, job titles held, majors.
    pub q: Option<String>,
    pub category: Option<String>,
    pub industry: Option<String>,
    pub district: Option<String>,
    pub education: Option<String>,
    pub experience: Option<String>,
    #[serde(deserialize_with = "super::empty_as_none")]
    pub page: Option<u64>,
    #[serde(deserialize_with = "super::empty_as_none")]
    pub per_page: Option<u64>,
}

/// The resume center (简历中心): masked cards, nothing hidden or blocked, decided per resume.
pub async fn center(state: &AppState, rec: &Recruiter, f: &CenterFilters) -> AppResult<Page<RecruiterResume>> {
    rec.require_verified()?;
    let terms = terms::get(state).await?;
    let pick = |kind, v: &Option<String>| -> AppResult<Option<String>> {
        match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(c) if terms.known(kind, c) => Ok(Some(c.to_string())),
            Some(_) => Err(AppError::invalid("filter.unknown_code", "没有这个筛选项。")),
        }
    };
    let (page, per_page) = paging(f.page, f.per_page);
    if page * per_page > rencai_search::jobs::MAX_DEPTH as u64 {
        return Err(AppError::invalid("filter.too_deep", "只能浏览前 2000 份简历，请加上关键词或筛选条件。"));
    }
    let category = pick(TaxonomyKind::JobCategory, &f.category)?;
    let mut categories: Vec<String> = category.iter().cloned().collect();
    if let Some(c) = &category {
        categories.extend(terms.children(TaxonomyKind::JobCategory, c));
    }
    let conn = state.db().conn();
    let mut excluded_by = vec![rec.org.id];
    excluded_by.extend(rec.clients.iter().copied());
    // Narrowed in the index (hidden resumes are not there; blocks and reach are fields), then
    // decided one by one by the access policy below.
    let q = rencai_search::ResumeSearch {
        station_id: state.station().id,
        text: f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
        categories,
        industry: pick(TaxonomyKind::Industry, &f.industry)?,
        district: pick(TaxonomyKind::District, &f.district)?,
        education: pick(TaxonomyKind::Education, &f.education)?,
        experience: pick(TaxonomyKind::Experience, &f.experience)?,
        reached_seekers: store::reached_seekers(conn, rec.org.id).await?,
        excluded_by,
        offset: ((page - 1) * per_page) as usize,
        limit: per_page as usize,
        facets: false,
        now: state.now().timestamp(),
    };
    let found = crate::search::resumes(state, q).await?;
    let items = cards(state, rec, &found.ids).await?;
    Ok(Page { total: found.total, items, page, per_page })
}

/// The resumes `ids` as cards (no contact details), each decided by the access policy; denied
/// ones are left out. In the order the rows come back from the store.
pub async fn cards(state: &AppState, rec: &Recruiter, ids: &[i64]) -> AppResult<Vec<RecruiterResume>> {
    let conn = state.db().conn();
    let rows = store::find_many(conn, ids).await?;
    let seekers: Vec<i64> = rows.iter().map(|r| r.seeker_id).collect();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let facts = store::facts(conn, &seekers, &ids).await?;
    let viewer = rec.viewer();
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let a = decide(&viewer, &r, facts.get(&r.seeker_id).unwrap_or(&SeekerFacts::default()));
        if a == ResumeAccess::Denied {
            continue;
        }
        // Cards never carry contact details, even when the recruiter may see them.
        items.push(present(state, r, a, None)?);
    }
    Ok(items)
}

async fn decide_one(state: &AppState, rec: &Recruiter, public_id: &str) -> AppResult<(ResumeRow, ResumeAccess)> {
    rec.require_verified()?;
    let viewer = rec.viewer();
    let viewer = &viewer;
    let conn = state.db().conn();
    let r = store::find_public(conn, public_id).await?.ok_or_else(not_found)?;
    let facts = store::facts(conn, &[r.seeker_id], &[r.id]).await?;
    let a = decide(viewer, &r, facts.get(&r.seeker_id).unwrap_or(&SeekerFacts::default()));
    Ok((r, a))
}

/// A resume as the policy lets this recruiter see it, as a card (no contact details) and
/// without recording a view: for lists such as kept candidates.
pub async fn peek(state: &AppState, rec: &Recruiter, public_id: &str) -> AppResult<RecruiterResume> {
    let (r, a) = decide_one(state, rec, public_id).await?;
    if a == ResumeAccess::Denied {
        return Err(not_found());
    }
    present(state, r, a, None)
}

/// A resume page for a recruiter. Denied looks exactly like a resume that does not exist.
/// Each view is recorded for the seeker.
pub async fn view(state: &AppState, rec: &Recruiter, public_id: &str) -> AppResult<RecruiterResume> {
    let (r, a) = decide_one(state, rec, public_id).await?;
    if a == ResumeAccess::Denied {
        return Err(not_found());
    }
    store::record_view(state.db().conn(), &r, rec.org.id, rec.account_id, "view", state.now()).await?;
    let phone = seeker_phone(state, r.seeker_id).await?;
    present(state, r, a, phone)
}

/// Unlocks (下载) a masked resume for the whole organisation, spending one unlock, and logs the
/// disclosure (P16). Unlocking a resume already in full view spends nothing.
pub async fn unlock(state: &AppState, rec: &Recruiter, public_id: &str) -> AppResult<RecruiterResume> {
    let (r, a) = decide_one(state, rec, public_id).await?;
    match a {
        ResumeAccess::Denied => return Err(not_found()),
        ResumeAccess::Full => return view(state, rec, public_id).await,
        ResumeAccess::Masked => {}
    }
    let now = state.now();
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    // Two recruiters of one company unlocking at once: the unique pair lets one record it; the
    // other's transaction rolls back without spending.
    if store::record_unlock(&txn, r.id, rec.org.id, rec.account_id, now).await? {
        quota::spend(&txn, rec.org.id, QuotaKind::ResumeUnlock, Some(rec.account_id), &r.public_id, now).await?;
        store::record_view(&txn, &r, rec.org.id, rec.account_id, "unlock", now).await?;
        disclosures::record(
            &txn,
            r.seeker_id,
            Some(rec.org.id),
            "resume_unlock",
            &format!("简历《{}》的联系方式", r.title),
            Some(rec.account_id),
            now,
        )
        .await?;
    }
    txn.commit().await.map_err(AppError::internal)?;
    view(state, rec, public_id).await
}

/// The resume as a PDF for a recruiter who sees it in full: every page watermarked with the
/// organisation, the account and the time (P6). Recorded as a download for the seeker.
pub async fn pdf(state: &AppState, rec: &Recruiter, public_id: &str) -> AppResult<super::attachments::Download> {
    // Decided and presented like the page, but recorded once: as the download below.
    let (row, access) = decide_one(state, rec, public_id).await?;
    if access == ResumeAccess::Denied {
        return Err(not_found());
    }
    let phone = seeker_phone(state, row.seeker_id).await?;
    let seen = present(state, row, access, phone)?;
    if seen.access != ResumeAccess::Full {
        return Err(AppError::Forbidden {
            code: "resume.pdf_locked",
            message: "求职者投递或主动沟通后，或下载联系方式后，才能下载完整简历。".into(),
        });
    }
    let terms = terms::get(state).await?;
    let c = &seen.content;
    let name = |k: TaxonomyKind, code: &str| terms.name(k, code).to_string();
    let when = |start: &str, end: &str| format!("{start} — {}", if end.is_empty() { "至今" } else { end });
    use super::resume_pdf::Line;
    let mut lines = vec![
        Line::title(format!("{} · {}", seen.display_name, c.title)),
        Line::body(format!(
            "{} · {} · {} · {}",
            c.gender.label(),
            name(TaxonomyKind::Education, &c.education_level),
            name(TaxonomyKind::Experience, &c.experience_level),
            name(TaxonomyKind::District, &c.current_district)
        )),
        Line::body(format!("手机：{}　邮箱：{}", seen.phone, seen.email.clone().unwrap_or_else(|| "—".into()))),
        Line::heading("求职意向"),
        Line::body(
            c.intention.categories.iter().map(|x| name(TaxonomyKind::JobCategory, x)).collect::<Vec<_>>().join("、"),
        ),
    ];
    if !c.work.is_empty() {
        lines.push(Line::heading("工作经历"));
        for w in &c.work {
            lines.push(Line::body(format!("{} · {}（{}）", w.company, w.title, when(&w.start, &w.end))));
            if !w.description.is_empty() {
                lines.push(Line::body(w.description.clone()));
            }
        }
    }
    if !c.education.is_empty() {
        lines.push(Line::heading("教育经历"));
        for e in &c.education {
            lines.push(Line::body(format!("{} · {}（{}）", e.school, e.major, when(&e.start, &e.end))));
        }
    }
    if !c.projects.is_empty() {
        lines.push(Line::heading("项目经历"));
        for p in &c.projects {
            lines.push(Line::body(format!("{} · {}（{}）", p.name, p.role, when(&p.start, &p.end))));
            if !p.description.is_empty() {
                lines.push(Line::body(p.description.clone()));
            }
        }
    }
    if !c.skills.is_empty() {
        lines.push(Line::heading("技能"));
        lines.push(Line::body(
            c.skills.iter().map(|s| format!("{}（{}）", s.name, s.level)).collect::<Vec<_>>().join("、"),
        ));
    }
    if !c.certificates.is_empty() {
        lines.push(Line::heading("证书"));
        lines.push(Line::body(
            c.certificates.iter().map(|x| format!("{} {}", x.name, x.issued)).collect::<Vec<_>>().join("、"),
        ));
    }
    if !c.self_intro.is_empty() {
        lines.push(Line::heading("自我介绍"));
        lines.push(Line::body(c.self_intro.clone()));
    }
    let account = accounts::find_by_id(state.db().conn(), rec.account_id).await?;
    let account_ref = account.map(|a| a.public_id.chars().rev().take(8).collect::<String>()).unwrap_or_default();
    let at = state.now().with_timezone(&rencai_domain::time::china()).format("%Y-%m-%d %H:%M");
    let mark = format!("{} 下载 · 账号尾号{} · {at}", rec.org.name, account_ref.chars().rev().collect::<String>());
    let title = format!("{}的简历", seen.display_name);
    let bytes = tokio::task::spawn_blocking(move || super::resume_pdf::render(&title, &lines, &mark))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)?;
    store::record_view(state.db().conn(), &seen.row, rec.org.id, rec.account_id, "download", state.now()).await?;
    Ok(super::attachments::Download {
        name: format!("{}-{}.pdf", seen.display_name, seen.row.title),
        mime: "application/pdf".into(),
        bytes,
    })
}
