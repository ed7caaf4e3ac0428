//! View models shared by marketplace pages: what a job card, a company card or a pager shows,
//! with taxonomy codes turned into names.

use chrono::{DateTime, Utc};
use rencai_app::market::Page;
use rencai_app::market::terms::Terms;
use rencai_domain::job::Salary;
use rencai_domain::taxonomy::TaxonomyKind;
use rencai_store::market::companies::CompanyRow;
use rencai_store::market::jobs::JobRow;

pub fn salary_label(s: Option<(u32, u32)>) -> String {
    match s {
        Some((min, max)) => Salary::Monthly { min, max }.label(),
        None => Salary::Negotiable.label(),
    }
}

/// "今天" / "3天前" / "2026-10-01", in Asia/Shanghai days.
pub fn ago(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let days = (rencai_domain::time::china_day(now) - rencai_domain::time::china_day(at)).num_days();
    match days {
        ..=0 => "今天".into(),
        1 => "昨天".into(),
        2..=30 => format!("{days}天前"),
        _ => rencai_domain::time::china_day(at).format("%Y-%m-%d").to_string(),
    }
}

#[derive(Debug, Clone)]
pub struct JobCard {
    pub public_id: String,
    pub title: String,
    pub employer: String,
    pub employer_public_id: String,
    pub employer_verified: bool,
    pub agency: Option<String>,
    pub salary: String,
    pub district: String,
    pub experience: String,
    pub education: String,
    pub job_type: String,
    pub benefits: Vec<String>,
    pub urgent: bool,
    pub campus: bool,
    pub top: bool,
    pub refreshed: String,
    pub status: String,
    pub status_label: &'static str,
    pub reject_reason: Option<String>,
}

impl JobCard {
    pub fn new(j: &JobRow, t: &Terms, now: DateTime<Utc>) -> Self {
        let status = rencai_domain::job::JobStatus::parse(&j.status);
        Self {
            public_id: j.public_id.clone(),
            title: j.title.clone(),
            employer: j.employer_name.clone(),
            employer_public_id: j.employer_public_id.clone(),
            employer_verified: j.employer_verification == "verified",
            agency: j.agency_name.clone(),
            salary: salary_label(j.salary()),
            district: t.name(TaxonomyKind::District, &j.district).to_string(),
            experience: t.name(TaxonomyKind::Experience, &j.experience).to_string(),
            education: t.name(TaxonomyKind::Education, &j.education).to_string(),
            job_type: t.name(TaxonomyKind::JobType, &j.job_type).to_string(),
            benefits: j.benefit_codes().iter().map(|b| t.name(TaxonomyKind::Benefit, b).to_string()).collect(),
            urgent: j.urgent,
            campus: j.campus,
            top: j.top_until.is_some_and(|t| t > now),
            refreshed: ago(j.refreshed_at, now),
            status: j.status.clone(),
            status_label: status.map(|s| s.label()).unwrap_or("未知"),
            reject_reason: j.reject_reason.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct CompanyCard {
    pub public_id: String,
    pub name: String,
    pub industry: String,
    pub district: String,
    pub size: String,
    pub verified: bool,
    pub intro: String,
}

impl CompanyCard {
    pub fn new(c: &CompanyRow, t: &Terms) -> Self {
        Self {
            public_id: c.public_id.clone(),
            name: c.name.clone(),
            industry: t.name(TaxonomyKind::Industry, &c.industry).to_string(),
            district: t.name(TaxonomyKind::District, &c.district).to_string(),
            size: rencai_domain::company::CompanySize::parse(&c.size).map(|s| s.label()).unwrap_or("").to_string(),
            verified: c.verification == "verified",
            intro: c.intro.chars().take(60).collect(),
        }
    }
}

/// Links to the previous and next page, keeping the other query parameters.
#[derive(Debug, Clone)]
pub struct Pager {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    pub fn new<T>(p: &Page<T>, path: &str, params: &[(&str, Option<String>)]) -> Self {
        let link = |page: u64| {
            let mut q = form_urlencoded::Serializer::new(String::new());
            for (k, v) in params {
                if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                    q.append_pair(k, v);
                }
            }
            if page > 1 {
                q.append_pair("page", &page.to_string());
            }
            let q = q.finish();
            if q.is_empty() { path.to_string() } else { format!("{path}?{q}") }
        };
        let pages = p.pages();
        Self {
            page: p.page,
            pages,
            total: p.total,
            prev: (p.page > 1).then(|| link(p.page - 1)),
            next: (p.page < pages).then(|| link(p.page + 1)),
        }
    }
}

/// One option of a filter select.
#[derive(Debug, Clone)]
pub struct Opt {
    pub code: String,
    pub name: String,
    pub selected: bool,
}

pub fn options(t: &Terms, kind: TaxonomyKind, selected: Option<&str>, roots_only: bool) -> Vec<Opt> {
    t.list(kind)
        .iter()
        .filter(|x| !roots_only || x.parent.is_none())
        .map(|x| Opt { code: x.code.clone(), name: x.name.clone(), selected: Some(x.code.as_str()) == selected })
        .collect()
}

/// Options with a parent's children indented, for job categories.
pub fn tree_options(t: &Terms, kind: TaxonomyKind, selected: Option<&str>) -> Vec<Opt> {
    let mut out = Vec::new();
    for root in t.roots(kind) {
        out.push(Opt {
            code: root.code.clone(),
            name: root.name.clone(),
            selected: Some(root.code.as_str()) == selected,
        });
        for c in t.list(kind).iter().filter(|c| c.parent.as_deref() == Some(root.code.as_str())) {
            out.push(Opt {
                code: c.code.clone(),
                name: format!("　{}", c.name),
                selected: Some(c.code.as_str()) == selected,
            });
        }
    }
    out
}
