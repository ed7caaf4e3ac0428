//! `/stats` (P19, M20): labour-market trends as server-rendered charts, from the aggregate table
//! only, small cells suppressed.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use rencai_app::AppState;

use crate::WebError;
use crate::chrome::{Chrome, Section};
use crate::session::MaybeUser;

pub struct ChartView {
    pub title: &'static str,
    pub label_header: &'static str,
    pub svg: String,
    pub rows: Vec<(String, String)>,
    pub hidden: u64,
    pub empty: bool,
}

fn bars(title: &'static str, label_header: &'static str, d: &rencai_app::stats::Distribution) -> ChartView {
    ChartView {
        title,
        label_header,
        svg: crate::charts::bars(title, &d.cells),
        rows: d.cells.iter().map(|(l, v)| (l.clone(), v.to_string())).collect(),
        hidden: d.hidden,
        empty: d.cells.is_empty(),
    }
}

fn line(title: &'static str, t: &rencai_app::stats::Trend) -> ChartView {
    ChartView {
        title,
        label_header: "日期",
        svg: crate::charts::line(title, &t.points),
        rows: t
            .points
            .iter()
            .map(|(d, v)| (d.clone(), v.map_or("少于 10，不显示".into(), |v| v.to_string())))
            .collect(),
        hidden: 0,
        empty: t.points.iter().all(|(_, v)| v.is_none()),
    }
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    chrome: Chrome,
    o: rencai_app::stats::Overview,
    k: u64,
    charts: Vec<ChartView>,
}

pub async fn show(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Result<Response, WebError> {
    let o = rencai_app::stats::overview(&state).await?;
    let charts = vec![
        line("近 30 天每天新发布的职位", &o.new_jobs),
        bars("近 30 天新职位的行业分布", "行业", &o.new_jobs_by_industry),
        bars("在招职位的区县分布", "区县", &o.open_by_district),
        bars("在招职位的月薪分布", "月薪", &o.open_by_salary),
        bars("在招职位收到的投递数", "投递数", &o.applications_per_job),
        line("近 30 天每天的投递数", &o.new_applications),
    ];
    let chrome = match &user {
        Some(u) => Chrome::for_user(&state, Section::None, &u.account).await,
        None => Chrome::new(&state, Section::None).for_account(None),
    };
    // Aggregates only, the same for everyone: cacheable like any public page.
    super::render(&StatsPage { chrome, o, k: rencai_domain::stats::K, charts }, user.is_none())
}
