//! Jobs (M4): the salary, the job form, and the life of a posting from draft to closed.

use chrono::{DateTime, TimeDelta, Utc};

use crate::account::Phone;
use crate::company::{parse_point, taxonomy_term};
use crate::geo::LatLng;
use crate::taxonomy::TaxonomyKind;
use crate::validate::{FieldIssue, Issues};

/// What a job pays, in yuan per month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Salary {
    Negotiable,
    Monthly { min: u32, max: u32 },
}

impl Salary {
    /// Below every region's legal monthly minimum wage, even for part-time work counted monthly.
    pub const MIN_MONTHLY: u32 = 500;
    /// Above this a figure is a typo or bait, not a salary.
    pub const MAX_MONTHLY: u32 = 500_000;
    /// A range wider than this tells a seeker nothing ("1000-50000").
    pub const MAX_SPREAD: u32 = 5;

    /// Parses the salary fields of a form. A negotiable salary ignores whatever the range
    /// fields hold, so a form can leave stale numbers in them.
    pub fn parse(min: Option<&str>, max: Option<&str>, negotiable: bool) -> Result<Salary, FieldIssue> {
        if negotiable {
            return Ok(Salary::Negotiable);
        }
        let min = parse_yuan("salary_min", "最低月薪", min)?;
        let max = parse_yuan("salary_max", "最高月薪", max)?;
        match range_issue(min, max) {
            Some(issue) => Err(issue),
            None => Ok(Salary::Monthly { min, max }),
        }
    }

    /// The upper end of a monthly range.
    pub fn max_monthly(&self) -> Option<u32> {
        match *self {
            Salary::Negotiable => None,
            Salary::Monthly { max, .. } => Some(max),
        }
    }

    /// How the salary reads on a job card: `面议`, `5000-8000元/月`, `8000-1.2万/月`, `1万-1.5万/月`.
    pub fn label(&self) -> String {
        match *self {
            Salary::Negotiable => "面议".to_string(),
            Salary::Monthly { min, max } => {
                // Once a figure is in 万 the 元 would read oddly ("1.5万元/月" is longer and no clearer).
                let unit = if max >= 10_000 { "/月" } else { "元/月" };
                if min == max {
                    format!("{}{unit}", yuan_label(min))
                } else {
                    format!("{}-{}{unit}", yuan_label(min), yuan_label(max))
                }
            }
        }
    }

    /// The `SALARY_BANDS` code a search facet files this salary under, by the range's midpoint.
    pub fn band_code(&self) -> &'static str {
        match *self {
            Salary::Negotiable => "negotiable",
            Salary::Monthly { min, max } => match (u64::from(min) + u64::from(max)) / 2 {
                0..3_000 => "lt-3k",
                3_000..5_000 => "3k-5k",
                5_000..8_000 => "5k-8k",
                8_000..12_000 => "8k-12k",
                12_000..20_000 => "12k-20k",
                _ => "gt-20k",
            },
        }
    }
}

/// `8000`, or in 万 from 10000 on with at most one decimal. Rounds down, so a label never
/// promises more than the number behind it.
fn yuan_label(yuan: u32) -> String {
    if yuan < 10_000 {
        return yuan.to_string();
    }
    let thousands = yuan / 1_000;
    let (whole, tenth) = (thousands / 10, thousands % 10);
    if tenth == 0 { format!("{whole}万") } else { format!("{whole}.{tenth}万") }
}

fn parse_yuan(field: &str, label: &str, value: Option<&str>) -> Result<u32, FieldIssue> {
    let v = value.map(str::trim).unwrap_or("");
    if v.is_empty() {
        return Err(FieldIssue::new(field, "field.required", format!("请填写{label}，或选择面议")));
    }
    if !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldIssue::new(field, "job.salary_not_number", format!("{label}请填写整数，单位为元")));
    }
    // Only digits, so the one way left to fail is overflow: far above any ceiling anyway.
    Ok(v.parse::<u32>().unwrap_or(u32::MAX))
}

/// The first problem with a monthly range, if any. Also used by the posting rules, which
/// recheck salaries that were stored before a rule changed.
pub(crate) fn range_issue(min: u32, max: u32) -> Option<FieldIssue> {
    if min < Salary::MIN_MONTHLY {
        return Some(FieldIssue::new("salary_min", "job.salary_min_too_low", "月薪下限不能低于500元"));
    }
    if max > Salary::MAX_MONTHLY {
        return Some(FieldIssue::new("salary_max", "job.salary_max_too_high", "月薪上限不能超过50万元"));
    }
    if min > max {
        return Some(FieldIssue::new("salary_min", "job.salary_min_gt_max", "最低月薪不能高于最高月薪"));
    }
    if min > 0 && u64::from(max) > u64::from(min) * u64::from(Salary::MAX_SPREAD) {
        return Some(FieldIssue::new(
            "salary_max",
            "job.salary_spread",
            "最高月薪不能超过最低月薪的5倍，请填写真实的薪资范围",
        ));
    }
    None
}

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Draft,
    Pending,
    Published,
    Rejected,
    Expired,
    Closed,
}

/// A status change the job's current status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct JobTransitionError {
    pub from: JobStatus,
    /// Where the refused step would have led.
    pub to: JobStatus,
    /// zh-CN, says what to do instead.
    pub message: &'static str,
}

impl JobStatus {
    pub const ALL: [JobStatus; 6] = [
        JobStatus::Draft,
        JobStatus::Pending,
        JobStatus::Published,
        JobStatus::Rejected,
        JobStatus::Expired,
        JobStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Draft => "draft",
            JobStatus::Pending => "pending",
            JobStatus::Published => "published",
            JobStatus::Rejected => "rejected",
            JobStatus::Expired => "expired",
            JobStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            JobStatus::Draft => "草稿",
            JobStatus::Pending => "待审核",
            JobStatus::Published => "招聘中",
            JobStatus::Rejected => "未通过",
            JobStatus::Expired => "已过期",
            JobStatus::Closed => "已关闭",
        }
    }

    fn refuse(self, to: JobStatus, message: &'static str) -> JobTransitionError {
        JobTransitionError { from: self, to, message }
    }

    /// The company sends the job to staff review. Rejected, expired and closed jobs come back
    /// this way too, so nothing reaches seekers without a fresh review.
    pub fn submit(self) -> Result<JobStatus, JobTransitionError> {
        match self {
            JobStatus::Draft | JobStatus::Rejected | JobStatus::Expired | JobStatus::Closed => Ok(JobStatus::Pending),
            JobStatus::Pending => Err(self.refuse(JobStatus::Pending, "职位已在审核中，请勿重复提交")),
            JobStatus::Published => {
                Err(self.refuse(JobStatus::Pending, "职位正在招聘中，无需重新提交；修改内容后会自动重新审核"))
            }
        }
    }

    /// Staff pass the job.
    pub fn approve(self) -> Result<JobStatus, JobTransitionError> {
        match self {
            JobStatus::Pending => Ok(JobStatus::Published),
            _ => Err(self.refuse(JobStatus::Published, "只有待审核的职位可以通过审核")),
        }
    }

    /// Staff turn the job down (the reason is recorded elsewhere).
    pub fn reject(self) -> Result<JobStatus, JobTransitionError> {
        match self {
            JobStatus::Pending => Ok(JobStatus::Rejected),
            _ => Err(self.refuse(JobStatus::Rejected, "只有待审核的职位可以驳回")),
        }
    }

    /// The job's display period ran out.
    pub fn expire(self) -> Result<JobStatus, JobTransitionError> {
        match self {
            JobStatus::Published => Ok(JobStatus::Expired),
            _ => Err(self.refuse(JobStatus::Expired, "只有招聘中的职位会过期")),
        }
    }

    /// The company (or staff, after a confirmed report) takes the job down for good.
    pub fn close(self) -> Result<JobStatus, JobTransitionError> {
        match self {
            JobStatus::Closed => Err(self.refuse(JobStatus::Closed, "职位已经关闭")),
            _ => Ok(JobStatus::Closed),
        }
    }

    /// The status after the company edits the job's content. A live job goes back to review,
    /// since staff approved the old text, not the new one; everything else keeps its status
    /// and needs a (re)submit to go live. Never fails today; it returns a `Result` so a rule
    /// that forbids some edits can be added without changing every caller.
    pub fn edit(self) -> Result<JobStatus, JobTransitionError> {
        match self {
            JobStatus::Published => Ok(JobStatus::Pending),
            other => Ok(other),
        }
    }

    /// Whether the job holds one of the company's job slots: one in review or live does, so a
    /// company cannot queue more jobs than its package allows.
    pub fn occupies_slot(self) -> bool {
        matches!(self, JobStatus::Pending | JobStatus::Published)
    }

    /// Whether seekers and visitors may see the job.
    pub fn is_public(self) -> bool {
        self == JobStatus::Published
    }
}

/// When a job published at `published` and shown for `days` days expires. Saturates instead of
/// overflowing for absurd `days`.
pub fn expires_at(published: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    published.checked_add_signed(TimeDelta::days(i64::from(days))).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The job form as submitted: raw text, checked by [`JobInput::parse`].
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct JobInput {
    pub title: String,
    /// Job category taxonomy code.
    pub category: String,
    /// Industry taxonomy code.
    pub industry: String,
    /// District taxonomy code.
    pub district: String,
    pub address: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    /// Yuan per month; may be empty when `negotiable`.
    pub salary_min: String,
    pub salary_max: String,
    pub negotiable: bool,
    /// Education taxonomy code.
    pub education: String,
    /// Experience taxonomy code.
    pub experience: String,
    /// Job type taxonomy code.
    pub job_type: String,
    pub headcount: String,
    /// Benefit taxonomy codes.
    pub benefits: Vec<String>,
    pub description: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub campus: bool,
    pub urgent: bool,
}

/// A checked job. Whether it obeys the posting rules is a separate question
/// ([`crate::posting_rules::check`]), asked when the job is submitted for review.
#[derive(Debug, Clone, PartialEq)]
pub struct JobContent {
    pub title: String,
    pub category: String,
    pub industry: String,
    pub district: String,
    pub address: String,
    pub point: Option<LatLng>,
    pub salary: Salary,
    pub education: String,
    pub experience: String,
    pub job_type: String,
    pub headcount: u32,
    /// Known benefit codes, each once, in the order given.
    pub benefits: Vec<String>,
    pub description: String,
    pub contact_name: String,
    pub contact_phone: Phone,
    pub campus: bool,
    pub urgent: bool,
}

/// The most benefit tags a job may carry; more than this is tag spam.
pub const MAX_BENEFITS: usize = 12;

impl JobInput {
    /// Checks every field and reports every problem at once. `known(kind, code)` says whether
    /// `code` is a current term of the taxonomy.
    pub fn parse(self, known: &dyn Fn(TaxonomyKind, &str) -> bool) -> Result<JobContent, Vec<FieldIssue>> {
        let mut issues = Issues::default();

        let title = issues.text("title", "职位名称", &self.title, 40);
        if !title.is_empty() && title.chars().count() < 2 {
            issues.push("title", "field.too_short", "职位名称至少2个字");
        }
        let category =
            taxonomy_term(&mut issues, known, TaxonomyKind::JobCategory, "category", "职位类别", &self.category);
        let industry =
            taxonomy_term(&mut issues, known, TaxonomyKind::Industry, "industry", "所属行业", &self.industry);
        let district =
            taxonomy_term(&mut issues, known, TaxonomyKind::District, "district", "工作区域", &self.district);
        let address = issues.text("address", "工作地址", &self.address, 120);
        let point = parse_point(&mut issues, self.lat, self.lng);

        let salary =
            match Salary::parse(Some(self.salary_min.as_str()), Some(self.salary_max.as_str()), self.negotiable) {
                Ok(salary) => Some(salary),
                Err(issue) => {
                    issues.push(issue.field, issue.code, issue.message);
                    None
                }
            };

        let education =
            taxonomy_term(&mut issues, known, TaxonomyKind::Education, "education", "学历要求", &self.education);
        let experience =
            taxonomy_term(&mut issues, known, TaxonomyKind::Experience, "experience", "经验要求", &self.experience);
        let job_type = taxonomy_term(&mut issues, known, TaxonomyKind::JobType, "job_type", "工作性质", &self.job_type);

        let headcount = parse_headcount(&self.headcount);
        if headcount.is_none() {
            issues.push("headcount", "job.headcount", "请填写1到999之间的招聘人数");
        }

        let benefits = parse_benefits(&mut issues, known, &self.benefits);

        let description = issues.text("description", "职位描述", &self.description, 5000);
        if !description.is_empty() && description.chars().count() < 20 {
            issues.push("description", "field.too_short", "职位描述至少20个字，请写明工作内容和任职要求");
        }
        let contact_name = issues.text("contact_name", "联系人", &self.contact_name, 20);
        let contact_phone = if self.contact_phone.trim().is_empty() {
            issues.push("contact_phone", "field.required", "请填写联系电话");
            None
        } else {
            match Phone::parse(&self.contact_phone) {
                Ok(phone) => Some(phone),
                Err(e) => {
                    issues.push("contact_phone", "phone.invalid", e.to_string());
                    None
                }
            }
        };

        // Each `None` here has already pushed its issue.
        let (Some(salary), Some(headcount), Some(contact_phone)) = (salary, headcount, contact_phone) else {
            return Err(issues.into_vec());
        };
        issues.finish(JobContent {
            title,
            category,
            industry,
            district,
            address,
            point,
            salary,
            education,
            experience,
            job_type,
            headcount,
            benefits,
            description,
            contact_name,
            contact_phone,
            campus: self.campus,
            urgent: self.urgent,
        })
    }
}

/// 1 to 999 people. "若干" (some) and the like are refused: a number tells seekers how likely
/// they are to be hired, and the search facets need one.
fn parse_headcount(value: &str) -> Option<u32> {
    let v = value.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    v.parse::<u32>().ok().filter(|n| (1..=999).contains(n))
}

fn parse_benefits(issues: &mut Issues, known: &dyn Fn(TaxonomyKind, &str) -> bool, input: &[String]) -> Vec<String> {
    let mut benefits: Vec<String> = Vec::new();
    let mut unknown = false;
    for code in input.iter().map(|b| b.trim()).filter(|b| !b.is_empty()) {
        if benefits.iter().any(|b| b == code) {
            continue;
        }
        if known(TaxonomyKind::Benefit, code) {
            benefits.push(code.to_string());
        } else {
            unknown = true;
        }
    }
    // One message for the field, however many tags were unknown.
    if unknown {
        issues.push("benefits", "field.unknown_term", "请从列表中选择福利标签");
    }
    if benefits.len() > MAX_BENEFITS {
        issues.push("benefits", "job.too_many_benefits", format!("福利标签最多选{MAX_BENEFITS}个"));
    }
    benefits
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    use crate::taxonomy::SALARY_BANDS;

    fn known(kind: TaxonomyKind, code: &str) -> bool {
        kind.seed().iter().any(|t| t.code == code)
    }

    fn input() -> JobInput {
        JobInput {
            title: "中餐厨师".into(),
            category: "catering-chef".into(),
            industry: "hospitality".into(),
            district: "wz-gaosuntang".into(),
            address: "万州区高笋塘广场12号".into(),
            lat: Some(30.8084),
            lng: Some(108.3801),
            salary_min: "5000".into(),
            salary_max: "8000".into(),
            negotiable: false,
            education: "any".into(),
            experience: "1-3".into(),
            job_type: "full-time".into(),
            headcount: "2".into(),
            benefits: vec!["social-insurance".into(), "meals".into(), "housing".into()],
            description: "负责后厨川菜、本地特色菜的烹制，保证出品质量和食品安全，服从厨师长安排。".into(),
            contact_name: "王经理".into(),
            contact_phone: "138 2345 6789".into(),
            campus: false,
            urgent: true,
        }
    }

    fn codes(issues: &[FieldIssue]) -> Vec<(&str, &str)> {
        issues.iter().map(|i| (i.field.as_str(), i.code)).collect()
    }

    #[test]
    fn negotiable_ignores_the_range_fields() {
        assert_eq!(Salary::parse(Some("abc"), None, true), Ok(Salary::Negotiable));
        assert_eq!(Salary::parse(None, None, true), Ok(Salary::Negotiable));
    }

    #[test]
    fn a_monthly_range_parses() {
        assert_eq!(Salary::parse(Some(" 5000 "), Some("8000"), false), Ok(Salary::Monthly { min: 5000, max: 8000 }));
        assert_eq!(Salary::parse(Some("6000"), Some("6000"), false), Ok(Salary::Monthly { min: 6000, max: 6000 }));
        assert_eq!(Salary::parse(Some("500"), Some("2500"), false), Ok(Salary::Monthly { min: 500, max: 2500 }));
    }

    #[test]
    fn both_ends_are_required_integers() {
        let e = Salary::parse(None, Some("8000"), false).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("salary_min", "field.required"));
        let e = Salary::parse(Some("5000"), Some(" "), false).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("salary_max", "field.required"));
        for bad in ["5k", "5000.5", "-5000", "五千", "+5000"] {
            let e = Salary::parse(Some(bad), Some("8000"), false).unwrap_err();
            assert_eq!((e.field.as_str(), e.code), ("salary_min", "job.salary_not_number"), "{bad}");
        }
    }

    #[test]
    fn salary_bounds_are_enforced() {
        let e = Salary::parse(Some("499"), Some("1000"), false).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("salary_min", "job.salary_min_too_low"));
        assert_eq!(e.message, "月薪下限不能低于500元");
        let e = Salary::parse(Some("200000"), Some("500001"), false).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("salary_max", "job.salary_max_too_high"));
        let e = Salary::parse(Some("9000"), Some("99999999999"), false).unwrap_err();
        assert_eq!(e.code, "job.salary_max_too_high", "overflow is just too high");
        assert!(Salary::parse(Some("100000"), Some("500000"), false).is_ok());
    }

    #[test]
    fn min_above_max_is_reported_on_min() {
        let e = Salary::parse(Some("8000"), Some("5000"), false).unwrap_err();
        assert_eq!(e, FieldIssue::new("salary_min", "job.salary_min_gt_max", "最低月薪不能高于最高月薪"));
    }

    #[test]
    fn an_unrealistic_spread_is_refused() {
        assert!(Salary::parse(Some("1000"), Some("5000"), false).is_ok(), "exactly five times is allowed");
        let e = Salary::parse(Some("1000"), Some("5001"), false).unwrap_err();
        assert_eq!(e.code, "job.salary_spread");
    }

    #[test]
    fn labels_read_like_chinese_job_cards() {
        assert_eq!(Salary::Negotiable.label(), "面议");
        assert_eq!(Salary::Monthly { min: 5000, max: 8000 }.label(), "5000-8000元/月");
        assert_eq!(Salary::Monthly { min: 10000, max: 15000 }.label(), "1万-1.5万/月");
        assert_eq!(Salary::Monthly { min: 8000, max: 12000 }.label(), "8000-1.2万/月");
        assert_eq!(Salary::Monthly { min: 12500, max: 19999 }.label(), "1.2万-1.9万/月", "rounds down");
        assert_eq!(Salary::Monthly { min: 200000, max: 500000 }.label(), "20万-50万/月");
        assert_eq!(Salary::Monthly { min: 4000, max: 4000 }.label(), "4000元/月");
    }

    #[test]
    fn bands_follow_the_midpoint_and_exist_in_the_seed_list() {
        let band = |min, max| Salary::Monthly { min, max }.band_code();
        assert_eq!(Salary::Negotiable.band_code(), "negotiable");
        assert_eq!(band(2000, 3000), "lt-3k");
        assert_eq!(band(2000, 4000), "3k-5k", "midpoint 3000 opens the band");
        assert_eq!(band(5000, 8000), "5k-8k");
        assert_eq!(band(6000, 12000), "8k-12k");
        assert_eq!(band(10000, 15000), "12k-20k");
        assert_eq!(band(20000, 30000), "gt-20k");
        for (min, max) in [(500, 500), (3000, 5000), (8000, 8000), (12000, 20000), (400000, 500000)] {
            let code = band(min, max);
            assert!(SALARY_BANDS.iter().any(|b| b.code == code), "{code} is not a seed band");
        }
    }

    #[test]
    fn statuses_round_trip() {
        for s in JobStatus::ALL {
            assert_eq!(JobStatus::parse(s.as_str()), Some(s));
            assert!(!s.label().is_empty());
        }
        assert_eq!(JobStatus::Published.label(), "招聘中");
        assert_eq!(JobStatus::parse("live"), None);
    }

    #[test]
    fn the_happy_path_from_draft_to_expired() {
        let s = JobStatus::Draft.submit().unwrap();
        assert_eq!(s, JobStatus::Pending);
        let s = s.approve().unwrap();
        assert_eq!(s, JobStatus::Published);
        assert_eq!(s.expire(), Ok(JobStatus::Expired));
        assert_eq!(JobStatus::Pending.reject(), Ok(JobStatus::Rejected));
    }

    #[test]
    fn submit_is_allowed_from_every_resting_state() {
        for s in [JobStatus::Draft, JobStatus::Rejected, JobStatus::Expired, JobStatus::Closed] {
            assert_eq!(s.submit(), Ok(JobStatus::Pending), "{s:?}");
        }
        let e = JobStatus::Pending.submit().unwrap_err();
        assert_eq!((e.from, e.to), (JobStatus::Pending, JobStatus::Pending));
        assert!(JobStatus::Published.submit().is_err());
    }

    #[test]
    fn review_steps_need_a_pending_job() {
        for s in JobStatus::ALL.into_iter().filter(|s| *s != JobStatus::Pending) {
            let e = s.approve().unwrap_err();
            assert_eq!((e.from, e.to), (s, JobStatus::Published));
            assert_eq!(e.to_string(), "只有待审核的职位可以通过审核");
            assert_eq!(s.reject().unwrap_err().to, JobStatus::Rejected);
        }
    }

    #[test]
    fn only_published_jobs_expire() {
        for s in JobStatus::ALL.into_iter().filter(|s| *s != JobStatus::Published) {
            assert_eq!(s.expire().unwrap_err().from, s);
        }
    }

    #[test]
    fn everything_but_a_closed_job_can_close() {
        for s in JobStatus::ALL.into_iter().filter(|s| *s != JobStatus::Closed) {
            assert_eq!(s.close(), Ok(JobStatus::Closed), "{s:?}");
        }
        let e = JobStatus::Closed.close().unwrap_err();
        assert_eq!((e.from, e.to, e.message), (JobStatus::Closed, JobStatus::Closed, "职位已经关闭"));
    }

    #[test]
    fn editing_a_live_job_sends_it_back_to_review() {
        assert_eq!(JobStatus::Published.edit(), Ok(JobStatus::Pending));
        for s in [JobStatus::Draft, JobStatus::Pending, JobStatus::Rejected, JobStatus::Expired, JobStatus::Closed] {
            assert_eq!(s.edit(), Ok(s), "{s:?} keeps its status");
        }
    }

    #[test]
    fn slots_and_visibility() {
        let slot: Vec<JobStatus> = JobStatus::ALL.into_iter().filter(|s| s.occupies_slot()).collect();
        assert_eq!(slot, [JobStatus::Pending, JobStatus::Published]);
        let public: Vec<JobStatus> = JobStatus::ALL.into_iter().filter(|s| s.is_public()).collect();
        assert_eq!(public, [JobStatus::Published]);
    }

    #[test]
    fn expiry_adds_whole_days_and_saturates() {
        let published = Utc.with_ymd_and_hms(2026, 11, 29, 8, 30, 0).unwrap();
        assert_eq!(expires_at(published, 30), Utc.with_ymd_and_hms(2026, 12, 29, 8, 30, 0).unwrap());
        assert_eq!(expires_at(published, 0), published);
        assert_eq!(expires_at(published, u32::MAX), DateTime::<Utc>::MAX_UTC);
    }

    #[test]
    fn a_complete_job_parses() {
        let job = input().parse(&known).unwrap();
        assert_eq!(job.title, "中餐厨师");
        assert_eq!(job.salary, Salary::Monthly { min: 5000, max: 8000 });
        assert_eq!(job.headcount, 2);
        assert_eq!(job.contact_phone.digits(), "13823456789");
        assert_eq!(job.benefits, ["social-insurance", "meals", "housing"]);
        assert!(job.point.is_some());
        assert!(job.urgent && !job.campus);
    }

    #[test]
    fn negotiable_jobs_need_no_range() {
        let job = JobInput { salary_min: "".into(), salary_max: "".into(), negotiable: true, ..input() }
            .parse(&known)
            .unwrap();
        assert_eq!(job.salary, Salary::Negotiable);
    }

    #[test]
    fn benefits_are_trimmed_and_deduplicated_in_order() {
        let benefits = vec![" meals".into(), "social-insurance".into(), "meals".into(), "".into()];
        let job = JobInput { benefits, ..input() }.parse(&known).unwrap();
        assert_eq!(job.benefits, ["meals", "social-insurance"]);
    }

    #[test]
    fn unknown_and_too_many_benefits_are_refused() {
        let issues = JobInput { benefits: vec!["meals".into(), "free-beer".into(), "ponies".into()], ..input() }
            .parse(&known)
            .unwrap_err();
        assert_eq!(codes(&issues), [("benefits", "field.unknown_term")], "one message for two unknown tags");

        let all: Vec<String> = crate::taxonomy::BENEFIT_TAGS.iter().map(|t| t.code.to_string()).collect();
        assert!(all.len() > MAX_BENEFITS, "the seed list must be long enough for this test");
        let issues = JobInput { benefits: all.clone(), ..input() }.parse(&known).unwrap_err();
        assert_eq!(codes(&issues), [("benefits", "job.too_many_benefits")]);
        let twelve = JobInput { benefits: all[..MAX_BENEFITS].to_vec(), ..input() };
        assert!(twelve.parse(&known).is_ok());
    }

    #[test]
    fn headcount_must_be_a_number_from_1_to_999() {
        for ok in ["1", " 30 ", "999"] {
            assert!(JobInput { headcount: ok.into(), ..input() }.parse(&known).is_ok(), "{ok}");
        }
        for bad in ["", "0", "1000", "若干", "5人", "-1", "2.5"] {
            let issues = JobInput { headcount: bad.into(), ..input() }.parse(&known).unwrap_err();
            assert_eq!(issues.len(), 1, "{bad}");
            assert_eq!(issues[0].code, "job.headcount");
            assert_eq!(issues[0].message, "请填写1到999之间的招聘人数");
        }
    }

    #[test]
    fn title_and_description_lengths() {
        let issues = JobInput { title: "厨".into(), description: "招厨师，待遇好。".into(), ..input() }
            .parse(&known)
            .unwrap_err();
        assert_eq!(codes(&issues), [("title", "field.too_short"), ("description", "field.too_short")]);

        let issues =
            JobInput { title: "厨".repeat(41), description: "做".repeat(5001), ..input() }.parse(&known).unwrap_err();
        assert_eq!(codes(&issues), [("title", "field.too_long"), ("description", "field.too_long")]);

        let edge = JobInput { title: "厨".repeat(40), description: "做".repeat(20), ..input() };
        assert!(edge.parse(&known).is_ok());
    }

    #[test]
    fn contact_phone_must_be_a_mobile_number() {
        let issues = JobInput { contact_phone: "023-58123456".into(), ..input() }.parse(&known).unwrap_err();
        assert_eq!(codes(&issues), [("contact_phone", "phone.invalid")]);
        assert_eq!(issues[0].message, "请输入11位中国大陆手机号码");
        let issues = JobInput { contact_phone: "".into(), ..input() }.parse(&known).unwrap_err();
        assert_eq!(codes(&issues), [("contact_phone", "field.required")]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = JobInput {
            title: "".into(),
            category: "catering-astronaut".into(),
            industry: "".into(),
            district: "beijing".into(),
            address: "".into(),
            lat: None,
            lng: Some(108.4),
            salary_min: "8000".into(),
            salary_max: "5000".into(),
            negotiable: false,
            education: "phd-plus".into(),
            experience: "forever".into(),
            job_type: "".into(),
            headcount: "若干".into(),
            benefits: vec!["ponies".into()],
            description: "".into(),
            contact_name: "张".repeat(21),
            contact_phone: "12345".into(),
            campus: false,
            urgent: false,
        };
        let issues = bad.parse(&known).unwrap_err();
        assert_eq!(
            codes(&issues),
            [
                ("title", "field.required"),
                ("category", "field.unknown_term"),
                ("industry", "field.required"),
                ("district", "field.unknown_term"),
                ("address", "field.required"),
                ("point", "geo.incomplete"),
                ("salary_min", "job.salary_min_gt_max"),
                ("education", "field.unknown_term"),
                ("experience", "field.unknown_term"),
                ("job_type", "field.required"),
                ("headcount", "job.headcount"),
                ("benefits", "field.unknown_term"),
                ("description", "field.required"),
                ("contact_name", "field.too_long"),
                ("contact_phone", "phone.invalid"),
            ]
        );
    }
}
