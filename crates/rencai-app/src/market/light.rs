//! Light formats (M5): 速聘 quick-hire posts for small employers and 一句话求职 one-line posts
//! by seekers. Both are moderated before they show. A quick post's phone is shown to signed-in
//! seekers (that is what a quick post is for); a seeker's phone behind a one-line post only to
//! recruiters of verified organisations who ask for it, and each such reveal is a disclosure the
//! seeker sees (P16).

use chrono::Duration;
use rencai_domain::account::{Phone, Role};
use rencai_domain::job::Salary;
use rencai_domain::posting_rules::{self, PostingText, Rule, RuleContext};
use rencai_domain::staff::Permission;
use rencai_domain::taxonomy::TaxonomyKind;
use rencai_domain::validate::{FieldIssue, Issues};
use rencai_search::{LightSearch, Marked};
use rencai_store::accounts::{self, AccountRecord};
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::market::disclosures;
use rencai_store::market::light::{self as store, LightFields, LightRow};
use rencai_store::market::moderation;
use rencai_store::market::resumes as resume_store;

use super::actor::Recruiter;
use super::{Page, filter_code, invalid, paging, terms};
use crate::auth::staff::StaffUser;
use crate::error::FieldError;
use crate::{AppError, AppResult, AppState};

/// The two light formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LightKind {
    /// 速聘
    Quick,
    /// 一句话求职
    Wanted,
}

impl LightKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LightKind::Quick => "quick",
            LightKind::Wanted => "wanted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LightKind::Quick => "速聘",
            LightKind::Wanted => "一句话求职",
        }
    }

    /// How long a published post stays up.
    fn days(self) -> i64 {
        match self {
            LightKind::Quick => 15,
            LightKind::Wanted => 30,
        }
    }
}

/// A light post as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct LightInput {
    pub title: String,
    pub body: String,
    pub district: String,
    pub category: String,
    pub salary_min: String,
    pub salary_max: String,
    pub negotiable: bool,
    pub contact_phone: String,
}

fn not_found() -> AppError {
    AppError::NotFound { code: "light.not_found", what: "该信息" }
}

/// Publishes nothing yet: creates a pending post for staff to review.
pub async fn create(
    state: &AppState,
    account: &AccountRecord,
    kind: LightKind,
    input: LightInput,
) -> AppResult<LightRow> {
    match (kind, account.role) {
        (LightKind::Quick, Role::Company | Role::Agency) | (LightKind::Wanted, Role::Seeker) => {}
        _ => {
            return Err(AppError::Forbidden {
                code: "light.wrong_role",
                message: match kind {
                    LightKind::Quick => "速聘信息由企业账号发布。".into(),
                    LightKind::Wanted => "一句话求职由求职者账号发布。".into(),
                },
            });
        }
    }
    let t = terms::get(state).await?;
    let mut issues = Issues::default();
    let (title, body) = match kind {
        LightKind::Quick => {
            (issues.text("title", "标题", &input.title, 30), issues.text("body", "内容", &input.body, 300))
        }
        // A one-line post is its line; the title is the line's start for lists.
        LightKind::Wanted => {
            let line = issues.text("body", "求职信息", &input.body, 60);
            (line.chars().take(20).collect(), line)
        }
    };
    if kind == LightKind::Quick && !body.is_empty() && body.chars().count() < 10 {
        issues.push("body", "field.too_short", "内容至少10个字。");
    }
    if !t.known(TaxonomyKind::District, input.district.trim()) {
        issues.push("district", "field.unknown_code", "请选择区域。");
    }
    if !t.known(TaxonomyKind::JobCategory, input.category.trim()) {
        issues.push("category", "field.unknown_code", "请选择职位类别。");
    }
    let mut salary = Salary::Negotiable;
    let mut phone = None;
    if kind == LightKind::Quick {
        match Salary::parse(Some(&input.salary_min), Some(&input.salary_max), input.negotiable) {
            Ok(s) => salary = s,
            Err(i) => issues.push(i.field, i.code, i.message),
        }
        match Phone::parse(&input.contact_phone) {
            Ok(p) => phone = Some(p.digits().to_string()),
            Err(e) => issues.push("contact_phone", "phone.invalid", e.to_string()),
        }
    }
    if !issues.is_empty() {
        return Err(invalid("light.invalid", "信息有误，请按提示修改。", issues.into_vec()));
    }
    let banned = moderation::banned_words(state.db().conn(), state.station().id).await?;
    let violations: Vec<_> = posting_rules::check(
        &PostingText { title: &title, description: &body, salary: &salary },
        &RuleContext { banned_words: &banned, existing_titles: &[] },
    )
    .into_iter()
    // A seeker describing themselves ("男，35岁") is not an employer discriminating:
    // one-line posts are held only to the contact and banned-word rules.
    .filter(|v| kind == LightKind::Quick || matches!(v.rule, Rule::ContactInText | Rule::BannedWord))
    .collect();
    if !violations.is_empty() {
        let message = violations.iter().map(|v| v.message.clone()).collect::<Vec<_>>().join("；");
        return Err(AppError::Validation {
            code: "light.rule_violation",
            message: format!("内容不符合发布规则：{message}"),
            fields: violations
                .into_iter()
                .map(|v| FieldError { field: v.field.to_string(), code: v.rule.code().to_string(), message: v.message })
                .collect(),
        });
    }
    let fields = LightFields {
        title,
        body,
        district: input.district.trim().to_string(),
        category: input.category.trim().to_string(),
        salary: match salary {
            Salary::Monthly { min, max } => Some((min, max)),
            Salary::Negotiable => None,
        },
        contact_phone: phone,
    };
    Ok(store::create(
        state.db().conn(),
        &state.keys().get(),
        state.station().id,
        kind.as_str(),
        account.id,
        &fields,
        state.now(),
    )
    .await?)
}

/// What a light list is asked for.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct LightFilters {
    pub q: Option<String>,
    pub district: Option<String>,
    pub category: Option<String>,
    #[serde(deserialize_with = "super::empty_as_none")]
    pub page: Option<u64>,
}

impl LightFilters {
    /// The filters as query pairs, for page links (the page itself excluded).
    pub fn query_pairs(&self) -> Vec<(&'static str, Option<String>)> {
        vec![("q", self.q.clone()), ("district", self.district.clone()), ("category", self.category.clone())]
    }
}

/// A post in a list, with the words the query matched marked in its title and text.
pub struct LightItem {
    pub post: LightRow,
    pub title: Marked,
    pub body: Marked,
}

pub struct LightList {
    pub page: Page<LightItem>,
    /// The total stopped counting at [`rencai_search::COUNT_CAP`].
    pub capped: bool,
    /// No post had every word; these have some of them.
    pub relaxed: bool,
}

/// Published, unexpired posts of a kind from the search index: by relevance for a keyword,
/// newest first without one. Unknown filter codes are a clear error, not an empty list.
pub async fn public_list(state: &AppState, kind: LightKind, f: &LightFilters) -> AppResult<LightList> {
    let t = terms::get(state).await?;
    let mut issues = Vec::new();
    let district = filter_code(&t, TaxonomyKind::District, "district", &f.district, &mut issues);
    let category = filter_code(&t, TaxonomyKind::JobCategory, "category", &f.category, &mut issues);
    let (page, per_page) = paging(f.page, Some(20));
    if page * per_page > rencai_search::light::MAX_DEPTH as u64 {
        issues.push(FieldIssue::new("page", "filter.too_deep", "只能浏览前 1000 条，请加上关键词或筛选条件。"));
    }
    if !issues.is_empty() {
        return Err(invalid("filter.invalid", "筛选条件有误。", issues));
    }
    let mut categories: Vec<String> = category.iter().cloned().collect();
    if let Some(c) = &category {
        categories.extend(t.children(TaxonomyKind::JobCategory, c));
    }
    let now = state.now();
    let q = LightSearch {
        station_id: state.station().id,
        kind: kind.as_str().to_string(),
        text: f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_string),
        district,
        categories,
        offset: ((page - 1) * per_page) as usize,
        limit: per_page as usize,
        now: now.timestamp(),
    };
    let found = crate::search::light(state, q).await?;
    // The index is a replica: the table decides. A post closed since the last sync is left out.
    let items = store::find_many(state.db().conn(), &found.ids)
        .await?
        .into_iter()
        .filter(|p| p.station_id == state.station().id && is_live(p, now))
        .map(|post| LightItem {
            title: found.highlighter.title(&post.title),
            body: found.highlighter.title(&post.body),
            post,
        })
        .collect();
    Ok(LightList {
        page: Page { total: found.total, items, page, per_page },
        capped: found.capped,
        relaxed: found.relaxed,
    })
}

/// Published and not yet expired: what anyone may see of a post.
fn is_live(p: &LightRow, now: chrono::DateTime<chrono::Utc>) -> bool {
    p.status == "published" && p.expires_at.is_none_or(|t| t > now)
}

/// The account's own posts of a kind, in every state.
pub async fn own(state: &AppState, account: &AccountRecord, kind: LightKind) -> AppResult<Vec<LightRow>> {
    Ok(store::list(state.db().conn(), state.station().id, Some(kind.as_str()), "", Some(account.id), 50).await?)
}

pub async fn close(state: &AppState, account: &AccountRecord, public_id: &str) -> AppResult<()> {
    let conn = state.db().conn();
    let post =
        store::find_public(conn, public_id).await?.filter(|p| p.account_id == account.id).ok_or_else(not_found)?;
    if post.status == "closed" {
        return Ok(());
    }
    store::transition(conn, &post, "closed", None, None, state.now()).await?;
    Ok(())
}

/// The phone of a quick post, for a signed-in seeker.
pub async fn quick_contact(state: &AppState, account: &AccountRecord, post: &LightRow) -> AppResult<Option<String>> {
    if account.role != Role::Seeker && account.id != post.account_id {
        return Ok(None);
    }
    Ok(post.contact_phone(&state.keys().get())?)
}

/// Reveals the phone behind a published one-line post to a recruiter of a verified
/// organisation, and records the disclosure for the seeker.
pub async fn wanted_contact(state: &AppState, rec: &Recruiter, public_id: &str) -> AppResult<String> {
    if rec.org.verification != "verified" {
        return Err(AppError::Forbidden {
            code: "company.not_verified",
            message: "单位认证通过后才能查看求职者的联系方式。".into(),
        });
    }
    let conn = state.db().conn();
    let post = store::find_public(conn, public_id)
        .await?
        .filter(|p| p.kind == "wanted" && is_live(p, state.now()))
        .ok_or_else(not_found)?;
    let seeker = accounts::find_by_id(conn, post.account_id).await?.ok_or_else(not_found)?;
    // The post is public by the seeker's own act, but a blocked organisation (or an agency
    // recruiting for one) reaches the seeker by no route (P5): the same decision as resumes.
    let facts = resume_store::facts(conn, &[seeker.id], &[]).await?;
    let f = facts.get(&seeker.id).cloned().unwrap_or_default();
    let decision = rencai_domain::access::resume_access(
        &rec.viewer(),
        &rencai_domain::access::ResumeFacts {
            owner: seeker.id,
            visibility: rencai_domain::resume::ResumeVisibility::Public,
            shown_to_companies: true,
            blocked: &f.blocked,
            applied_to: &f.applied_to,
            contact_shared_with: &f.contact_shared_with,
            unlocked_by: &[],
        },
    );
    if decision == rencai_domain::access::ResumeAccess::Denied {
        return Err(not_found());
    }
    let phone = seeker.phone.open(&state.keys().get(), accounts::PHONE).map_err(AppError::internal)?;
    disclosures::record(
        conn,
        seeker.id,
        Some(rec.org.id),
        "wanted_contact",
        "一句话求职的联系电话",
        Some(rec.account_id),
        state.now(),
    )
    .await?;
    Ok(phone)
}

/// Pending posts of both kinds for the review queue, oldest first.
pub async fn review_queue(state: &AppState, staff: &StaffUser) -> AppResult<Vec<LightRow>> {
    staff.require(state, Permission::ModerateContent).await?;
    let mut items = store::list(state.db().conn(), state.station().id, None, "pending", None, 100).await?;
    items.reverse();
    // The queue shows the quick posts' phone numbers: opening it is an audited read.
    let ids: Vec<i64> = items.iter().map(|p| p.id).collect();
    crate::audit::staff_read(state, staff.auth.account.id, "light_review_queue", "速聘与一句话求职审核", &ids).await?;
    Ok(items)
}

pub async fn review(
    state: &AppState,
    staff: &StaffUser,
    public_id: &str,
    approve: bool,
    reason: Option<&str>,
) -> AppResult<()> {
    staff.require(state, Permission::ModerateContent).await?;
    let conn = state.db().conn();
    let post = store::find_public(conn, public_id).await?.ok_or_else(not_found)?;
    if post.status != "pending" {
        return Err(AppError::Conflict {
            code: "light.state", message: "该信息已被审核。".into(), field: "status"
        });
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(AppError::invalid_field("light.reason_required", "reason", "请填写不通过的原因。"));
    }
    let kind = if post.kind == "quick" { LightKind::Quick } else { LightKind::Wanted };
    let now = state.now();
    let (to, expires) =
        if approve { ("published", Some(now + Duration::days(kind.days()))) } else { ("rejected", None) };
    if !store::transition(conn, &post, to, reason, expires, now).await? {
        return Err(AppError::Conflict {
            code: "light.state", message: "该信息已被审核。".into(), field: "status"
        });
    }
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::staff(staff.auth.account.id),
            action: if approve { "light.approved" } else { "light.rejected" },
            subject: Some(("light_post", post.id)),
            reason: reason.map(str::to_string),
            detail: serde_json::json!({ "kind": post.kind }),
        },
    )
    .await?;
    Ok(())
}

/// Marks published posts whose time is up as expired. Called on a schedule by `serve`.
pub async fn expire_due(state: &AppState) -> AppResult<u64> {
    Ok(store::expire_due(state.db().conn(), state.now()).await?)
}
