//! Labour-market statistics (P19, M20). A scheduled refresh turns the live tables into
//! aggregate counts per day (`stats_daily`); the public page reads only those, and every cell
//! that counts people goes through small-cell suppression first.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use rencai_domain::stats::{self as rule, Cell};
use rencai_domain::taxonomy::TaxonomyKind;
use rencai_store::TransactionTrait;
use rencai_store::stats::{self as store, OpenJobsBy};

use crate::{AppError, AppResult, AppState};

/// How many days the trends cover.
pub const TREND_DAYS: i64 = 30;

pub const NEW_JOBS_BY_INDUSTRY: &str = "jobs.new.industry";
pub const OPEN_JOBS_BY_DISTRICT: &str = "jobs.open.district";
pub const OPEN_JOBS_BY_SALARY: &str = "jobs.open.salary";
pub const APPLICATIONS_PER_JOB: &str = "jobs.open.applications";
pub const NEW_APPLICATIONS: &str = "applications.new";

/// Monthly salary bands (yuan), lower bound inclusive.
const SALARY_BANDS: [(i32, &str); 6] = [
    (0, "3千以下"),
    (3000, "3千–5千"),
    (5000, "5千–8千"),
    (8000, "8千–1.2万"),
    (12000, "1.2万–2万"),
    (20000, "2万以上"),
];

/// Applications a job received, in bands.
const APPLICATION_BANDS: [(i64, &str); 4] = [(0, "0 份"), (1, "1–4 份"), (5, "5–19 份"), (20, "20 份以上")];

fn day_of(t: DateTime<Utc>) -> String {
    t.with_timezone(&rencai_domain::time::china()).format("%Y-%m-%d").to_string()
}

/// The bands' lower bounds, for the database to band by.
fn lows<T: Copy + Into<i64>>(bands: &[(T, &'static str)]) -> Vec<i64> {
    bands.iter().map(|(low, _)| (*low).into()).collect()
}

/// Counts by band index named by their bands' labels.
fn banded<T>(bands: &[(T, &'static str)], counts: Vec<(String, u64)>) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for (i, n) in counts {
        if let Some((_, label)) = i.parse::<usize>().ok().and_then(|i| bands.get(i)) {
            *out.entry(label.to_string()).or_default() += n;
        }
    }
    out
}

/// Recomputes the aggregates: the last [`TREND_DAYS`] days of new jobs and applications, and
/// today's picture of open jobs. Idempotent; `serve` runs it every hour.
pub async fn refresh(state: &AppState) -> AppResult<()> {
    let conn = state.db().conn();
    let station = state.station().id;
    let now = state.now();
    let since = now - Duration::days(TREND_DAYS);
    let mut new_jobs: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for (day, industry, n) in store::jobs_published_by_day(conn, station, since).await? {
        *new_jobs.entry(day).or_default().entry(industry).or_default() += n;
    }
    let applications: BTreeMap<String, u64> =
        store::applications_by_day(conn, station, since).await?.into_iter().collect();
    let by_district: BTreeMap<String, u64> =
        store::open_jobs_by(conn, station, now, OpenJobsBy::District).await?.into_iter().collect();
    let by_salary =
        banded(&SALARY_BANDS, store::open_jobs_by(conn, station, now, OpenJobsBy::Pay(&lows(&SALARY_BANDS))).await?);
    let by_applications = banded(
        &APPLICATION_BANDS,
        store::open_jobs_by(conn, station, now, OpenJobsBy::Applications(&lows(&APPLICATION_BANDS))).await?,
    );
    let today = day_of(now);
    let txn = conn.begin().await.map_err(AppError::internal)?;
    for d in 0..TREND_DAYS {
        let day = day_of(now - Duration::days(d));
        let cells: Vec<(String, u64)> = new_jobs.get(&day).map(|m| m.clone().into_iter().collect()).unwrap_or_default();
        store::replace_day(&txn, station, &day, NEW_JOBS_BY_INDUSTRY, &cells).await?;
        let n = applications.get(&day).copied().unwrap_or(0);
        store::replace_day(&txn, station, &day, NEW_APPLICATIONS, &[("all".into(), n)]).await?;
    }
    store::replace_day(&txn, station, &today, OPEN_JOBS_BY_DISTRICT, &by_district.into_iter().collect::<Vec<_>>())
        .await?;
    store::replace_day(&txn, station, &today, OPEN_JOBS_BY_SALARY, &by_salary.into_iter().collect::<Vec<_>>()).await?;
    store::replace_day(&txn, station, &today, APPLICATIONS_PER_JOB, &by_applications.into_iter().collect::<Vec<_>>())
        .await?;
    txn.commit().await.map_err(AppError::internal)?;
    Ok(())
}

/// One chart's data, suppressed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Distribution {
    pub cells: Vec<(String, u64)>,
    /// Counted but not shown (cells under K that could not be merged).
    pub hidden: u64,
}

/// A daily series: (day, value shown or `None` when suppressed).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Trend {
    pub points: Vec<(String, Option<u64>)>,
}

/// What `/stats` shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Overview {
    pub as_of: String,
    pub new_jobs: Trend,
    pub new_jobs_by_industry: Distribution,
    pub new_applications: Trend,
    pub open_by_district: Distribution,
    pub open_by_salary: Distribution,
    pub applications_per_job: Distribution,
}

fn distribution(cells: Vec<(String, u64)>, order: Option<&[&str]>) -> Distribution {
    let mut cells: Vec<Cell> = cells.into_iter().map(|(label, count)| Cell { label, count }).collect();
    match order {
        Some(order) => cells.sort_by_key(|c| order.iter().position(|o| *o == c.label).unwrap_or(usize::MAX)),
        None => cells.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label))),
    }
    let (shown, hidden) = rule::suppress(cells);
    Distribution { cells: shown.into_iter().map(|c| (c.label, c.count)).collect(), hidden }
}

pub async fn overview(state: &AppState) -> AppResult<Overview> {
    let conn = state.db().conn();
    let station = state.station().id;
    let now = state.now();
    let from = day_of(now - Duration::days(TREND_DAYS - 1));
    let terms = crate::market::terms::get(state).await?;
    let days: Vec<String> = (0..TREND_DAYS).rev().map(|d| day_of(now - Duration::days(d))).collect();

    let mut per_day: BTreeMap<String, u64> = BTreeMap::new();
    let mut per_industry: BTreeMap<String, u64> = BTreeMap::new();
    for (day, industry, v) in store::series(conn, station, NEW_JOBS_BY_INDUSTRY, &from).await? {
        *per_day.entry(day).or_default() += v;
        *per_industry.entry(terms.name(TaxonomyKind::Industry, &industry).to_string()).or_default() += v;
    }
    let apps: BTreeMap<String, u64> =
        store::series(conn, station, NEW_APPLICATIONS, &from).await?.into_iter().map(|(d, _, v)| (d, v)).collect();
    let trend = |m: &BTreeMap<String, u64>| Trend {
        points: days.iter().map(|d| (d.clone(), rule::suppress_one(m.get(d).copied().unwrap_or(0)))).collect(),
    };
    let today = day_of(now);
    let latest = |metric: &'static str| {
        let today = today.clone();
        async move {
            AppResult::Ok(
                store::series(conn, station, metric, &today)
                    .await?
                    .into_iter()
                    .map(|(_, dim, v)| (dim, v))
                    .collect::<Vec<_>>(),
            )
        }
    };
    let by_district = latest(OPEN_JOBS_BY_DISTRICT)
        .await?
        .into_iter()
        .map(|(code, v)| (terms.name(TaxonomyKind::District, &code).to_string(), v))
        .collect();
    let salary_order: Vec<&str> = SALARY_BANDS.iter().map(|(_, l)| *l).collect();
    let apps_order: Vec<&str> = APPLICATION_BANDS.iter().map(|(_, l)| *l).collect();
    Ok(Overview {
        as_of: today.clone(),
        new_jobs: trend(&per_day),
        new_jobs_by_industry: distribution(per_industry.into_iter().collect(), None),
        new_applications: trend(&apps),
        open_by_district: distribution(by_district, None),
        open_by_salary: distribution(latest(OPEN_JOBS_BY_SALARY).await?, Some(&salary_order)),
        applications_per_job: distribution(latest(APPLICATIONS_PER_JOB).await?, Some(&apps_order)),
    })
}

/// The staff dashboard (M20): operational figures with their labels, nothing personal.
pub async fn dashboard(state: &AppState) -> AppResult<Vec<(&'static str, u64)>> {
    let now = state.now();
    let day = rencai_domain::time::china_day(now);
    let day_start = day
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(rencai_domain::time::china()).single())
        .map_or(now, |t| t.with_timezone(&Utc));
    let figures = store::operations(state.db().conn(), day_start, now).await?;
    Ok(figures
        .into_iter()
        .map(|(key, n)| {
            let label = match key {
                "seekers" => "求职者账号",
                "recruiters" => "招聘方账号",
                "awaiting_purge" => "已注销、待清除的账号",
                "jobs_pending" => "待审核职位",
                "jobs_open" => "在招职位",
                "applications_today" => "今日投递",
                "tickets_open" => "待处理工单",
                "tickets_overdue" => "超期工单",
                _ => "投递失败的通知",
            };
            (label, n)
        })
        .collect())
}
