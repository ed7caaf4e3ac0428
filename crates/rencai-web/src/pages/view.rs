//! View models shared by marketplace pages: what a job card, a company card or a pager shows,
//! with taxonomy codes turned into names.

use chrono::{DateTime, Utc};
use rencai_app::market::Page;
use rencai_app::market::jobs::Listed;
use rencai_app::market::terms::Terms;
use rencai_domain::job::Salary;
use rencai_domain::taxonomy::TaxonomyKind;
use rencai_search::Marked;
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
    /// The title in pieces, matched words marked (a list searched by keyword).
    pub title_pieces: Vec<(String, bool)>,
    /// The best-matching passage of the description, in pieces.
    pub passage: Vec<(String, bool)>,
    /// "1.2 公里" for a search near a point.
    pub distance: Option<String>,
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
            title_pieces: vec![(j.title.clone(), false)],
            passage: Vec::new(),
            distance: None,
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

/// A marked text in pieces a template can loop over, each with whether a search matched it.
pub fn pieces(m: &Marked) -> Vec<(String, bool)> {
    m.pieces().into_iter().map(|(t, hit)| (t.to_string(), hit)).collect()
}

/// "850 米" / "3.4 公里".
pub fn distance_label(m: f64) -> String {
    if m < 1_000.0 { format!("{} 米", (m / 10.0).round() * 10.0) } else { format!("{:.1} 公里", m / 1_000.0) }
}

impl JobCard {
    /// A card of a search result, with the matched words marked.
    pub fn listed(l: &Listed, t: &Terms, now: DateTime<Utc>) -> Self {
        let mut card = JobCard::new(&l.job, t, now);
        card.title_pieces = pieces(&l.title);
        card.passage = l.passage.as_ref().map(pieces).unwrap_or_default();
        card.distance = l.distance_m.map(distance_label);
        card
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
    /// The total as the page says it: "10000", or "1万+" when counting stopped at a cap.
    pub total_text: String,
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
            total_text: p.total.to_string(),
            prev: (p.page > 1).then(|| link(p.page - 1)),
            next: (p.page < pages).then(|| link(p.page + 1)),
        }
    }
}

impl Pager {
    /// Marks the total as a floor (counting stopped at it).
    pub fn capped(mut self, capped: bool) -> Self {
        if capped {
            self.total_text = at_least(self.total);
        }
        self
    }
}

/// "1万+", "2000+": a count that stopped at `n`.
fn at_least(n: u64) -> String {
    if n >= 10_000 && n.is_multiple_of(10_000) { format!("{}万+", n / 10_000) } else { format!("{n}+") }
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

#[cfg(test)]
mod tests {
    use super::at_least;

    #[test]
    fn a_capped_count_reads_as_a_floor() {
        assert_eq!(at_least(10_000), "1万+");
        assert_eq!(at_least(20_000), "2万+");
        assert_eq!(at_least(2_000), "2000+");
        assert_eq!(at_least(12_345), "12345+");
    }
}
