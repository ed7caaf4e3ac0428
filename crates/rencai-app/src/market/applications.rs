//! Applications and the hiring pipeline (M8).
//!
//! A seeker applies with one complete resume; the job's recruiters move the application along
//! the pipeline (`rencai_domain::application` decides every move), invite to interviews and
//! turn people down with a reason; the seeker follows each change, answers invitations and may
//! withdraw. Every change is an event in the application's history and a notice to the other
//! side (`crate::notify`), written in the same transaction.
//!
//! Who manages an application: the recruiters of the organisation that posted the job — the
//! sub-account that owns the job, and the primary account for every job (P17). Anyone else
//! gets "not found", never "forbidden", so ids cannot be probed. What a recruiter reads of the
//! applicant is decided by the access policy like every other resume read (applying unlocks
//! the contact for that organisation only: P6).

use chrono::{DateTime, Duration, Utc};
use rencai_crypto::Sealed;
use rencai_domain::access::ResumeAccess;
use rencai_domain::application::{
    self as pipeline, Answer, InterviewDetails, InterviewInput, InterviewMode, Side, Stage, Step,
};
use rencai_domain::resume::ResumeVisibility;
use rencai_domain::time::china;
use rencai_store::TransactionTrait;
use rencai_store::accounts::AccountRecord;
use rencai_store::market::applications::{
    self as store, ApplicationRow, EVENT_REASON, INTERVIEW_DETAILS, INTERVIEW_REPLY, InterviewRow, OrgQuery,
    interview_state,
};
use rencai_store::market::jobs as job_store;
use rencai_store::market::resumes as resume_store;

use super::actor::{Recruiter, require_seeker};
use super::resumes::{self, RecruiterResume, visibility_of};
use super::{Page, invalid, paging};
use crate::notify::{self, Kind, Notice};
use crate::{AppError, AppResult, AppState};

fn not_found() -> AppError {
    AppError::NotFound { code: "application.not_found", what: "该投递" }
}

pub use rencai_domain::time::beijing;

/// Applies to a published job with one of the seeker's resumes. Refused: a hidden or
/// incomplete resume, a job applied to before, an organisation the seeker blocked, more than
/// the day's limit. Returns the application's public id.
pub async fn apply(
    state: &AppState,
    seeker: &AccountRecord,
    job_public_id: &str,
    resume_public_id: &str,
) -> AppResult<String> {
    require_seeker(seeker)?;
    let r = resumes::own(state, seeker, resume_public_id).await?;
    let conn = state.db().conn();
    let job = job_store::find_public(conn, job_public_id)
        .await?
        .filter(|j| j.status == "published")
        .ok_or(AppError::NotFound { code: "job.not_found", what: "该职位" })?;
    if visibility_of(&r) == ResumeVisibility::Hidden {
        return Err(AppError::invalid(
            "resume.hidden",
            "这份简历已隐藏，企业无法查看。请先把公开范围改为“公开”或“仅投递的企业可见”再投递。",
        ));
    }
    let market = &state.settings().market;
    let min = market.min_completeness_to_apply;
    if !resumes::content(&r, String::new()).is_complete_for_applying(min) {
        return Err(AppError::invalid(
            "resume.incomplete",
            format!("简历还不够完整（需填写求职意向和教育或工作经历，完整度{min}%以上），请先完善简历。"),
        ));
    }
    let blocked = resume_store::blocked_ids(conn, &[seeker.id]).await?.remove(&seeker.id).unwrap_or_default();
    if blocked.contains(&job.employer_id) || job.agency_id.is_some_and(|a| blocked.contains(&a)) {
        return Err(AppError::invalid(
            "application.blocked_company",
            "你已屏蔽该单位，它看不到你的简历。如需投递，请先在“我的简历”中解除屏蔽。",
        ));
    }
    let now = state.now();
    let day_start = rencai_domain::time::china_day(now)
        .and_hms_opt(0, 0, 0)
        .and_then(|d| d.and_local_timezone(china()).single())
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or(now);
    let sent_today = store::count_sent_since(conn, seeker.id, day_start).await?;
    if sent_today >= u64::from(market.applications_per_day) {
        let tomorrow = day_start + Duration::days(1);
        return Err(AppError::RateLimited {
            code: "application.daily_limit",
            message: format!("今天已投递{}个职位，达到每日上限，明天再来吧。", market.applications_per_day),
            retry_after_secs: (tomorrow - now).num_seconds().max(1) as u64,
        });
    }
    let txn = conn.begin().await.map_err(AppError::internal)?;
    let (_, public_id) =
        store::insert(&txn, state.station().id, job.id, job.employer_id, job.agency_id, r.id, seeker.id, now)
            .await
            .map_err(|e| match e {
                rencai_store::StoreError::Conflict { .. } => AppError::Conflict {
                    code: "application.exists",
                    message: "你已投递过该职位。".into(),
                    field: "job",
                },
                other => other.into(),
            })?;
    let notice = Notice::new(
        Kind::ApplicationReceived,
        format!("/company/applications/{public_id}"),
        &[("job", &job.title), ("resume", &r.title)],
    );
    notify::send(state, &txn, job.owner_account_id, &notice).await?;
    txn.commit().await.map_err(AppError::internal)?;
    Ok(public_id)
}

/// One line of a seeker's or a recruiter's list.
#[derive(Debug, Clone)]
pub struct Summary {
    pub public_id: String,
    pub job_public_id: String,
    pub job_title: String,
    /// Whether the job still takes applications.
    pub job_open: bool,
    pub company_name: String,
    pub company_public_id: String,
    pub stage: Stage,
    pub applied_at: DateTime<Utc>,
    pub changed_at: DateTime<Utc>,
}

impl Summary {
    fn of(row: &ApplicationRow) -> Self {
        Summary {
            public_id: row.public_id.clone(),
            job_public_id: row.job_public_id.clone(),
            job_title: row.job_title.clone(),
            job_open: row.job_status == "published",
            company_name: row.employer_name.clone(),
            company_public_id: row.employer_public_id.clone(),
            stage: stage_of(row),
            applied_at: row.created_at,
            changed_at: row.updated_at,
        }
    }
}

fn stage_of(row: &ApplicationRow) -> Stage {
    // The column only ever holds what `Stage::as_str` wrote.
    Stage::parse(&row.status).unwrap_or(Stage::New)
}

/// A stage change in the history, as both sides read it.
#[derive(Debug, Clone)]
pub struct Event {
    pub stage: Stage,
    pub at: DateTime<Utc>,
    /// For a rejection: the reason's label and any words added; for a withdrawal: the note.
    pub reason: Option<String>,
}

/// An interview invitation with its details opened.
#[derive(Debug, Clone)]
pub struct InterviewView {
    pub public_id: String,
    pub starts_at: DateTime<Utc>,
    pub minutes: i32,
    pub mode: InterviewMode,
    pub details: InterviewDetails,
    pub state: String,
    pub reply: Option<String>,
}

impl InterviewView {
    pub fn when(&self) -> String {
        beijing(self.starts_at)
    }

    pub fn state_label(&self) -> &'static str {
        match self.state.as_str() {
            interview_state::INVITED => "待确认",
            interview_state::ACCEPTED => "已接受",
            interview_state::DECLINED => "已婉拒",
            interview_state::RESCHEDULE => "求职者希望改期",
            _ => "已失效",
        }
    }

    pub fn awaiting_answer(&self) -> bool {
        self.state == interview_state::INVITED
    }
}

/// Reason as sealed: a code from `REJECT_REASONS` (or none) and free text.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Reason {
    code: Option<String>,
    text: Option<String>,
}

impl Reason {
    fn shown(&self) -> Option<String> {
        let label = self.code.as_deref().and_then(pipeline::reject_reason_label);
        match (label, self.text.as_deref()) {
            (None, None) => None,
            (Some(l), None) => Some(l.to_string()),
            (None, Some(t)) => Some(t.to_string()),
            (Some(l), Some(t)) => Some(format!("{l}：{t}")),
        }
    }
}

/// An application with its history and invitations.
#[derive(Debug, Clone)]
pub struct Detail {
    pub summary: Summary,
    pub resume_public_id: String,
    pub events: Vec<Event>,
    /// Newest first.
    pub interviews: Vec<InterviewView>,
}

async fn detail(state: &AppState, row: &ApplicationRow) -> AppResult<Detail> {
    let conn = state.db().conn();
    let keys = state.keys().get();
    let mut events = Vec::new();
    for e in store::events(conn, row.id).await? {
        let reason = match e.reason_sealed {
            Some(s) => Sealed::<Reason>::from_stored(s).open(&keys, EVENT_REASON).map_err(AppError::internal)?.shown(),
            None => None,
        };
        events.push(Event { stage: Stage::parse(&e.stage).unwrap_or(Stage::New), at: e.created_at, reason });
    }
    let mut interviews = Vec::new();
    for i in store::interviews_of(conn, row.id).await? {
        interviews.push(open_interview(state, i)?);
    }
    Ok(Detail { summary: Summary::of(row), resume_public_id: row.resume_public_id.clone(), events, interviews })
}

fn open_interview(state: &AppState, i: InterviewRow) -> AppResult<InterviewView> {
    let keys = state.keys().get();
    let details: InterviewDetails =
        Sealed::from_stored(i.details_sealed).open(&keys, INTERVIEW_DETAILS).map_err(AppError::internal)?;
    let reply: Option<String> = match i.reply_sealed {
        Some(s) => Sealed::from_stored(s).open(&keys, INTERVIEW_REPLY).map_err(AppError::internal)?,
        None => None,
    };
    Ok(InterviewView {
        public_id: i.public_id,
        starts_at: i.starts_at,
        minutes: i.minutes,
        mode: InterviewMode::parse(&i.mode).unwrap_or(InterviewMode::Onsite),
        details,
        state: i.state,
        reply,
    })
}

// ---- the seeker's side ----

/// The seeker's applications, most recently changed first.
pub async fn mine(state: &AppState, seeker: &AccountRecord, page: Option<u64>) -> AppResult<Page<Summary>> {
    require_seeker(seeker)?;
    let (page, per_page) = paging(page, Some(20));
    let conn = state.db().conn();
    let rows = store::list_for_seeker(conn, seeker.id, per_page, (page - 1) * per_page).await?;
    let total = store::count_for_seeker(conn, seeker.id).await?;
    Ok(Page { total, items: rows.iter().map(Summary::of).collect(), page, per_page })
}

async fn own(state: &AppState, seeker: &AccountRecord, public_id: &str) -> AppResult<ApplicationRow> {
    require_seeker(seeker)?;
    store::find(state.db().conn(), public_id).await?.filter(|a| a.seeker_id == seeker.id).ok_or_else(not_found)
}

/// One of the seeker's applications with its history.
pub async fn seeker_detail(state: &AppState, seeker: &AccountRecord, public_id: &str) -> AppResult<Detail> {
    let row = own(state, seeker, public_id).await?;
    detail(state, &row).await
}

/// Withdraws an application that is still open; the recruiter is told.
pub async fn withdraw(state: &AppState, seeker: &AccountRecord, public_id: &str, note: &str) -> AppResult<Stage> {
    let row = own(state, seeker, public_id).await?;
    let note = optional_words("note", "撤回说明", note, 200)?;
    let reason = note.map(|text| Reason { code: None, text: Some(text) });
    let notice = Notice::new(
        Kind::ApplicationWithdrawn,
        format!("/company/applications/{}", row.public_id),
        &[("job", &row.job_title)],
    );
    move_one(state, &row, Step::Withdraw, Side::Seeker, seeker.id, reason, Some((row.job_owner_id, notice))).await
}

/// The seeker answers an interview invitation; the recruiter is told.
pub async fn answer(
    state: &AppState,
    seeker: &AccountRecord,
    interview_public_id: &str,
    answer: &str,
    reply: &str,
) -> AppResult<()> {
    require_seeker(seeker)?;
    let answer =
        Answer::parse(answer).ok_or_else(|| AppError::invalid("interview.answer", "请选择接受、婉拒或改期。"))?;
    let reply = optional_words("reply", "回复", reply, 200)?;
    if answer == Answer::Reschedule && reply.is_none() {
        return Err(AppError::invalid_field("field.required", "reply", "希望改期时，请写下方便的时间。"));
    }
    let conn = state.db().conn();
    let i = store::find_interview(conn, interview_public_id).await?.ok_or_else(not_found)?;
    let row =
        store::find_by_id(conn, i.application_id).await?.filter(|a| a.seeker_id == seeker.id).ok_or_else(not_found)?;
    let keys = state.keys().get();
    let sealed = reply.as_ref().map(|r| Sealed::seal(&keys, INTERVIEW_REPLY, &Some(r.clone())).into_stored());
    let now = state.now();
    let txn = conn.begin().await.map_err(AppError::internal)?;
    if stage_of(&row).is_final() || !store::answer_interview(&txn, i.id, answer.state(), sealed, now).await? {
        return Err(AppError::Conflict {
            code: "interview.closed",
            message: "这个面试邀请已经回复过或已失效。".into(),
            field: "interview",
        });
    }
    let notice = Notice::new(
        Kind::InterviewAnswered,
        format!("/company/applications/{}", row.public_id),
        &[("job", &row.job_title), ("answer", answer.label())],
    );
    notify::send(state, &txn, row.job_owner_id, &notice).await?;
    txn.commit().await.map_err(AppError::internal)?;
    Ok(())
}

// ---- the recruiter's side ----

/// Whether `rec` manages `row`: its organisation posted the job, and it owns the job or is the
/// primary account (P17).
fn manages(rec: &Recruiter, row: &ApplicationRow) -> bool {
    row.poster_id() == rec.org.id && (rec.primary || row.job_owner_id == rec.account_id)
}

async fn managed(state: &AppState, rec: &Recruiter, public_id: &str) -> AppResult<ApplicationRow> {
    rec.require_verified()?;
    store::find(state.db().conn(), public_id).await?.filter(|a| manages(rec, a)).ok_or_else(not_found)
}

/// One application in a recruiter's list: the applicant as a card the access policy decided
/// (`None` when the seeker has since cut this organisation off).
#[derive(Debug, Clone)]
pub struct Received {
    pub summary: Summary,
    pub candidate: Option<RecruiterResume>,
}

/// Filters of the recruiter's applications list.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ReceivedFilters {
    /// A job's public id.
    pub job: Option<String>,
    pub stage: Option<String>,
    #[serde(deserialize_with = "super::empty_as_none")]
    pub page: Option<u64>,
}

/// The applications a recruiter manages, newest first, with the count at each stage.
pub async fn received(
    state: &AppState,
    rec: &Recruiter,
    f: &ReceivedFilters,
) -> AppResult<(Page<Received>, Vec<(Stage, u64)>)> {
    rec.require_verified()?;
    let conn = state.db().conn();
    let job_id = match f.job.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(id) => Some(
            job_store::find_public(conn, id)
                .await?
                .filter(|j| j.poster_id() == rec.org.id && (rec.primary || j.owner_account_id == rec.account_id))
                .ok_or(AppError::NotFound { code: "job.not_found", what: "该职位" })?
                .id,
        ),
    };
    let stage = match f.stage.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(Stage::parse(s).ok_or_else(|| AppError::invalid("filter.unknown_code", "没有这个筛选项。"))?),
    };
    let (page, per_page) = paging(f.page, Some(20));
    let q = OrgQuery {
        org_id: rec.org.id,
        owner_account_id: (!rec.primary).then_some(rec.account_id),
        job_id,
        stage: stage.map(|s| s.as_str().to_string()),
        limit: per_page,
        offset: (page - 1) * per_page,
    };
    let (rows, total) = store::list_for_org(conn, &q).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.resume_id).collect();
    // One resume may have been sent to several of the organisation's jobs: look cards up, do
    // not take them.
    let cards = resumes::cards(state, rec, &ids).await?;
    let items = rows
        .iter()
        .map(|row| Received {
            summary: Summary::of(row),
            candidate: cards.iter().find(|c| c.row.id == row.resume_id).cloned(),
        })
        .collect();
    let mut counts: Vec<(Stage, u64)> = Stage::ALL.iter().map(|s| (*s, 0)).collect();
    for (s, n) in store::stage_counts(conn, &q).await? {
        if let Some(slot) = counts.iter_mut().find(|(st, _)| st.as_str() == s) {
            slot.1 = n;
        }
    }
    Ok((Page { total, items, page, per_page }, counts))
}

/// An application as its recruiter opens it: the resume as the policy allows (the read is
/// recorded for the seeker), its history, and the steps that can follow. Opening a new
/// application marks it viewed, and the seeker is told.
pub async fn open(state: &AppState, rec: &Recruiter, public_id: &str) -> AppResult<(Detail, Option<RecruiterResume>)> {
    let mut row = managed(state, rec, public_id).await?;
    if stage_of(&row) == Stage::New {
        // Another recruiter opening it at the same moment is fine: one of them moves it (and
        // tells the seeker), the other finds it viewed.
        let notice = stage_notice(&row, Stage::Viewed);
        match move_one(state, &row, Step::View, Side::Recruiter, rec.account_id, None, Some((row.seeker_id, notice)))
            .await
        {
            Ok(_) | Err(AppError::Conflict { .. }) => {}
            Err(e) => return Err(e),
        }
        row = managed(state, rec, public_id).await?;
    }
    let resume = match resumes::view(state, rec, &row.resume_public_id).await {
        Ok(r) => Some(r),
        Err(AppError::NotFound { .. }) => None,
        Err(e) => return Err(e),
    };
    Ok((detail(state, &row).await?, resume))
}

/// An invitation form filled with what the job already says: its address and contact person.
pub async fn invitation_defaults(state: &AppState, rec: &Recruiter, public_id: &str) -> AppResult<InterviewInput> {
    let row = managed(state, rec, public_id).await?;
    let Some(job) = job_store::find(state.db().conn(), row.job_id).await? else { return Ok(InterviewInput::default()) };
    let (contact_name, contact_phone) = job.contact(&state.keys().get())?;
    Ok(InterviewInput { mode: "onsite".into(), place: job.address, contact_name, contact_phone, ..Default::default() })
}

/// The steps a recruiter can take next from `stage`.
pub fn next_steps(stage: Stage) -> Vec<Step> {
    [Step::Shortlist, Step::Invite, Step::Offer, Step::Hire, Step::Reject]
        .into_iter()
        .filter(|s| stage.after(*s, Side::Recruiter).is_ok())
        .collect()
}

/// What a bulk action did to each application.
#[derive(Debug, Clone, Default)]
pub struct BulkOutcome {
    pub moved: Vec<String>,
    /// Public id and why it was refused.
    pub refused: Vec<(String, String)>,
}

/// Most applications one bulk action takes.
pub const BULK_MAX: usize = 100;

/// A reject reason as chosen on a form: a code from the list and optional words.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct RejectInput {
    pub reason: String,
    pub text: String,
}

/// Takes `step` (shortlist, offer, hire or reject) on each application; an application the
/// recruiter does not manage is refused as not found, one whose stage does not allow the step
/// is refused with the reason, the others move.
pub async fn step_many(
    state: &AppState,
    rec: &Recruiter,
    public_ids: &[String],
    step: &str,
    reject: &RejectInput,
) -> AppResult<BulkOutcome> {
    rec.require_verified()?;
    let step = Step::parse(step)
        .filter(|s| matches!(s, Step::Shortlist | Step::Offer | Step::Hire | Step::Reject))
        .ok_or_else(|| AppError::invalid("application.unknown_step", "没有这个操作。"))?;
    let reason = if step == Step::Reject { reject_reason(reject)? } else { None };
    for_each(state, rec, public_ids, |row| {
        let reason = reason.clone();
        async move {
            let notice = stage_notice(&row, step.target());
            move_one(state, &row, step, Side::Recruiter, rec.account_id, reason, Some((row.seeker_id, notice))).await
        }
    })
    .await
}

/// The seeker's notice of a new stage.
fn stage_notice(row: &ApplicationRow, stage: Stage) -> Notice {
    Notice::new(
        Kind::StageChanged,
        format!("/me/applications/{}", row.public_id),
        &[("job", &row.job_title), ("company", &row.employer_name), ("stage", stage.label())],
    )
}

fn reject_reason(input: &RejectInput) -> AppResult<Option<Reason>> {
    let code = match input.reason.trim() {
        "" => None,
        c if pipeline::reject_reason_label(c).is_some() => Some(c.to_string()),
        _ => return Err(AppError::invalid_field("application.reason", "reason", "请从列表中选择原因。")),
    };
    let text = optional_words("text", "补充说明", &input.text, 200)?;
    if let Some(t) = &text {
        screen_contact(t, "text")?;
    }
    Ok((code.is_some() || text.is_some()).then_some(Reason { code, text }))
}

/// Invites each application to an interview (a group interview when several are chosen): the
/// application moves to `interview` (a later invitation replaces an earlier one), and the
/// seeker is told in-app and, if their SMS channel is on, by SMS.
pub async fn invite(
    state: &AppState,
    rec: &Recruiter,
    public_ids: &[String],
    input: &InterviewInput,
) -> AppResult<BulkOutcome> {
    rec.require_verified()?;
    let interview = input.parse(state.now()).map_err(|i| invalid("interview.invalid", "面试邀请填写有误。", i))?;
    if let Some(n) = &interview.details.note {
        screen_contact(n, "note")?;
    }
    let keys = state.keys().get();
    for_each(state, rec, public_ids, |row| {
        let interview = interview.clone();
        let keys = keys.clone();
        async move {
            let stage = Stage::Interview;
            let to = stage_of(&row).after(Step::Invite, Side::Recruiter).map_err(refused)?;
            let now = state.now();
            let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
            if to != stage_of(&row) && !store::set_stage(&txn, row.id, &row.status, to.as_str(), now).await? {
                return Err(raced());
            }
            store::add_event(&txn, row.id, to.as_str(), Some(rec.account_id), None, now).await?;
            let details = Sealed::seal(&keys, INTERVIEW_DETAILS, &interview.details).into_stored();
            store::insert_interview(
                &txn,
                row.id,
                interview.starts_at,
                interview.minutes,
                interview.mode.as_str(),
                details,
                rec.account_id,
                now,
            )
            .await?;
            let time = beijing(interview.starts_at);
            let notice = Notice::new(
                Kind::InterviewInvited,
                format!("/me/applications/{}", row.public_id),
                &[("job", &row.job_title), ("company", &row.employer_name), ("time", &time)],
            );
            notify::send(state, &txn, row.seeker_id, &notice).await?;
            txn.commit().await.map_err(AppError::internal)?;
            Ok(stage)
        }
    })
    .await
}

/// Runs `act` on each managed application, collecting what moved and what was refused.
async fn for_each<F, Fut>(state: &AppState, rec: &Recruiter, public_ids: &[String], act: F) -> AppResult<BulkOutcome>
where
    F: Fn(ApplicationRow) -> Fut,
    Fut: std::future::Future<Output = AppResult<Stage>>,
{
    let mut seen = std::collections::HashSet::new();
    let ids: Vec<&String> = public_ids.iter().filter(|s| !s.trim().is_empty() && seen.insert(s.as_str())).collect();
    if ids.is_empty() {
        return Err(AppError::invalid("application.none_chosen", "请先勾选要处理的投递。"));
    }
    if ids.len() > BULK_MAX {
        return Err(AppError::invalid("application.too_many", format!("一次最多处理{BULK_MAX}份投递。")));
    }
    let conn = state.db().conn();
    let mut out = BulkOutcome::default();
    for id in ids {
        let Some(row) = store::find(conn, id).await?.filter(|a| manages(rec, a)) else {
            out.refused.push((id.clone(), NOT_MANAGED.into()));
            continue;
        };
        match act(row).await {
            Ok(_) => out.moved.push(id.clone()),
            Err(e @ (AppError::Conflict { .. } | AppError::Validation { .. })) => {
                out.refused.push((id.clone(), e.to_string()))
            }
            Err(e) => return Err(e),
        }
    }
    // Nothing here is this recruiter's: answer as for a single unknown id, so a bulk post does
    // not become a way to tell other organisations' applications from ids that do not exist.
    if out.moved.is_empty() && out.refused.iter().all(|(_, why)| why == NOT_MANAGED) {
        return Err(not_found());
    }
    Ok(out)
}

const NOT_MANAGED: &str = "该投递不存在";

fn refused(e: pipeline::StepRefused) -> AppError {
    AppError::Conflict { code: "application.step_refused", message: e.message(), field: "stage" }
}

fn raced() -> AppError {
    AppError::Conflict {
        code: "application.changed",
        message: "这份投递的状态刚被其他人更改，请刷新后再试。".into(),
        field: "stage",
    }
}

/// Moves one application by one step in its own transaction: the stage (compare-and-swap), the
/// event, closing open invitations when it ends, and the notice to the other side.
async fn move_one(
    state: &AppState,
    row: &ApplicationRow,
    step: Step,
    side: Side,
    actor: i64,
    reason: Option<Reason>,
    notice: Option<(i64, Notice)>,
) -> AppResult<Stage> {
    let from = stage_of(row);
    let to = from.after(step, side).map_err(refused)?;
    let now = state.now();
    let keys = state.keys().get();
    let sealed = reason.map(|r| Sealed::seal(&keys, EVENT_REASON, &r).into_stored());
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    if !store::set_stage(&txn, row.id, from.as_str(), to.as_str(), now).await? {
        return Err(raced());
    }
    store::add_event(&txn, row.id, to.as_str(), Some(actor), sealed, now).await?;
    if matches!(to, Stage::Rejected | Stage::Withdrawn) {
        store::close_interviews(&txn, row.id, now).await?;
    }
    if let Some((to_account, notice)) = notice {
        notify::send(state, &txn, to_account, &notice).await?;
    }
    txn.commit().await.map_err(AppError::internal)?;
    Ok(to)
}

fn optional_words(field: &str, label: &str, value: &str, max: usize) -> AppResult<Option<String>> {
    let mut issues = rencai_domain::validate::Issues::default();
    let v = issues.optional_text(field, label, value, max);
    issues.finish(v).map_err(|i| invalid("field.invalid", "填写有误。", i))
}

/// Words a recruiter sends a seeker through the pipeline go out under the platform's name:
/// they may not carry a phone number or WeChat id (contact goes through the exchange flow).
fn screen_contact(text: &str, field: &str) -> AppResult<()> {
    if rencai_domain::posting_rules::has_contact_details(text) {
        return Err(AppError::invalid_field(
            "application.contact_in_text",
            field,
            "说明中不能包含电话、微信等联系方式，请在面试邀请的联系人栏填写。",
        ));
    }
    Ok(())
}

/// Whether the resume access a recruiter has to an application's resume is full (the contact
/// shows): always after applying, unless the seeker later blocked the organisation.
pub fn contact_open(r: &Option<RecruiterResume>) -> bool {
    r.as_ref().is_some_and(|r| r.access == ResumeAccess::Full)
}
