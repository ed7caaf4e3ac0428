//! Saved searches and job alerts (M7, M11): a seeker keeps a search of the job list and is told
//! of new matching jobs — at once (checked every minute) or in a daily digest in the morning,
//! Beijing time. An alert is one notice per search and run, naming how many jobs are new and
//! linking to the list; it goes through the notification center and so obeys the channel
//! switches (P13). Alerts can be switched off per search without deleting it.

use chrono::{DateTime, Duration, Timelike, Utc};
use rencai_domain::time::{china, china_day};
use rencai_store::TransactionTrait;
use rencai_store::accounts::AccountRecord;
use rencai_store::market::alerts::{self as store, SavedSearchRow};

use super::actor::require_seeker;
use super::jobs::{JobFilters, Listing};
use crate::notify::{self, Kind, Notice};
use crate::{AppError, AppResult, AppState};

/// Saved searches one account may keep.
pub const MAX_PER_ACCOUNT: u64 = 10;
/// The hour (Beijing time) from which the daily digest goes out.
pub const DIGEST_HOUR: u32 = 8;
/// How often an instant alert is checked.
pub const INSTANT_EVERY: Duration = Duration::seconds(60);

/// How often a search alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Instant,
    Daily,
    Off,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [Frequency::Instant, Frequency::Daily, Frequency::Off];

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Instant => "instant",
            Frequency::Daily => "daily",
            Frequency::Off => "off",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Frequency::Instant => "有新职位立即提醒",
            Frequency::Daily => "每天早上汇总提醒",
            Frequency::Off => "不提醒",
        }
    }
}

fn frequency(s: &str) -> AppResult<Frequency> {
    Frequency::parse(s.trim())
        .ok_or_else(|| AppError::invalid_field("alert.frequency", "frequency", "请选择提醒方式。"))
}

/// The query string a saved search keeps: the list's own filters, without paging and sorting.
fn query_of(f: &JobFilters) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    let pairs = f.query_pairs().into_iter().filter(|(k, _)| !matches!(*k, "within" | "sort" | "per_page"));
    for (k, v) in pairs {
        if let Some(v) = v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty()) {
            q.append_pair(k, &v);
        }
    }
    q.finish()
}

/// The job list's parameters a saved search keeps (no paging, sorting or time window).
pub const FILTER_KEYS: [&str; 8] =
    ["q", "district", "industry", "category", "salary_min", "experience", "education", "type"];

fn filters_of(query: &str) -> JobFilters {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    filters_of_pairs(&pairs)
}

/// The filters a saved search keeps, from query or form pairs (other keys are ignored).
pub fn filters_of_pairs(pairs: &[(String, String)]) -> JobFilters {
    let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    JobFilters {
        q: get("q"),
        district: get("district"),
        industry: get("industry"),
        category: get("category"),
        salary_min: get("salary_min").and_then(|s| s.parse().ok()),
        experience: get("experience"),
        education: get("education"),
        job_type: get("type"),
        ..Default::default()
    }
}

/// A saved search as its list shows it.
#[derive(Debug, Clone)]
pub struct Saved {
    pub public_id: String,
    pub name: String,
    /// The job list with this search: `/jobs?…`.
    pub link: String,
    pub frequency: Frequency,
    pub created_at: DateTime<Utc>,
}

fn saved(r: SavedSearchRow) -> Saved {
    Saved {
        link: format!("/jobs?{}", r.query),
        frequency: Frequency::parse(&r.frequency).unwrap_or(Frequency::Off),
        public_id: r.public_id,
        name: r.name,
        created_at: r.created_at,
    }
}

/// Saves the job list's current search. The filters are checked like the list's own; an empty
/// name becomes the keywords (or "全部职位").
pub async fn save(
    state: &AppState,
    seeker: &AccountRecord,
    f: &JobFilters,
    name: &str,
    freq: &str,
) -> AppResult<Saved> {
    require_seeker(seeker)?;
    let freq = frequency(freq)?;
    let terms = super::terms::get(state).await?;
    // The same checks as the list: unknown codes are refused here, not at alert time.
    super::jobs::job_search(state, &terms, f, Listing::All)?;
    let query = query_of(f);
    let mut issues = rencai_domain::validate::Issues::default();
    let name = issues.optional_text("name", "名称", name, 30);
    issues.finish(()).map_err(|i| super::invalid("alert.invalid", "名称有误。", i))?;
    let name = name
        .or_else(|| f.q.clone().map(|q| q.trim().to_string()).filter(|q| !q.is_empty()))
        .unwrap_or_else(|| "全部职位".into());
    let conn = state.db().conn();
    if store::count_of(conn, seeker.id).await? >= MAX_PER_ACCOUNT {
        return Err(AppError::Conflict {
            code: "alert.too_many",
            message: format!("最多保存{MAX_PER_ACCOUNT}个搜索，请先删除不用的。"),
            field: "name",
        });
    }
    if store::of_account(conn, seeker.id).await?.iter().any(|s| s.query == query) {
        return Err(AppError::Conflict {
            code: "alert.exists",
            message: "这个搜索已经保存过了。".into(),
            field: "name",
        });
    }
    let now = state.now();
    let public_id = store::insert(conn, seeker.id, &name, &query, freq.as_str(), now).await?;
    Ok(Saved { link: format!("/jobs?{query}"), public_id, name, frequency: freq, created_at: now })
}

pub async fn list(state: &AppState, seeker: &AccountRecord) -> AppResult<Vec<Saved>> {
    require_seeker(seeker)?;
    Ok(store::of_account(state.db().conn(), seeker.id).await?.into_iter().map(saved).collect())
}

fn not_found() -> AppError {
    AppError::NotFound { code: "alert.not_found", what: "该订阅" }
}

pub async fn delete(state: &AppState, seeker: &AccountRecord, public_id: &str) -> AppResult<()> {
    require_seeker(seeker)?;
    if store::delete(state.db().conn(), seeker.id, public_id).await? { Ok(()) } else { Err(not_found()) }
}

pub async fn set_frequency(state: &AppState, seeker: &AccountRecord, public_id: &str, freq: &str) -> AppResult<()> {
    require_seeker(seeker)?;
    let freq = frequency(freq)?;
    if store::set_frequency(state.db().conn(), seeker.id, public_id, freq.as_str(), state.now()).await? {
        Ok(())
    } else {
        Err(not_found())
    }
}

/// When the daily digest of the day `now` falls in was due: today's digest hour in Beijing, or
/// yesterday's before it.
fn last_digest_time(now: DateTime<Utc>) -> DateTime<Utc> {
    let local = now.with_timezone(&china());
    let day = if local.hour() >= DIGEST_HOUR { china_day(now) } else { china_day(now) - Duration::days(1) };
    day.and_hms_opt(DIGEST_HOUR, 0, 0)
        .and_then(|d| d.and_local_timezone(china()).single())
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or(now)
}

/// Runs the alerts that are due: instant ones last checked a minute or more ago, daily ones
/// not checked since this morning's digest hour. Each matching search sends one notice (when
/// something is new) and moves its check time; a search another node checked first is
/// skipped. Returns how many notices went out.
pub async fn run_due(state: &AppState) -> AppResult<usize> {
    let now = state.now();
    let conn = state.db().conn();
    let mut due = store::due(conn, Frequency::Instant.as_str(), now - INSTANT_EVERY, 500).await?;
    due.extend(store::due(conn, Frequency::Daily.as_str(), last_digest_time(now), 500).await?);
    let terms = super::terms::get(state).await?;
    let mut sent = 0;
    for s in due {
        let f = filters_of(&s.query);
        let Ok(mut q) = super::jobs::job_search(state, &terms, &f, Listing::All) else {
            // A code staff removed since: the search finds nothing new until the seeker edits it.
            store::mark_checked(conn, s.id, s.checked_at, now).await?;
            continue;
        };
        q.since = Some(q.since.unwrap_or(0).max(s.checked_at.timestamp()));
        q.sort = rencai_search::jobs::JobSort::Newest;
        q.offset = 0;
        q.limit = 3;
        let found = super::jobs::listed(state, q, 1, 3).await?;
        // Jobs that match only some of the words are suggestions on the list page, not news.
        let new = if found.relaxed { 0 } else { found.page.total };
        let txn = conn.begin().await.map_err(AppError::internal)?;
        // Claim the run first (a write), so two nodes never send the same alert.
        if !store::mark_checked(&txn, s.id, s.checked_at, now).await? {
            continue;
        }
        if new > 0 {
            let first = found.page.items.first().map(|l| l.job.title.clone()).unwrap_or_default();
            let count = new.to_string();
            let notice = Notice::new(
                Kind::JobAlert,
                format!("/jobs?{}&sort=newest", s.query),
                &[("name", &s.name), ("count", &count), ("first", &first)],
            );
            notify::send(state, &txn, s.account_id, &notice).await?;
            sent += 1;
        }
        txn.commit().await.map_err(AppError::internal)?;
    }
    Ok(sent)
}
