//! The online resume (M2): what a seeker writes, the checks it must pass, and how complete it
//! is. Who may read it is decided in [`crate::access`], never here.

use std::collections::HashSet;

use crate::mask::Gender;
use crate::taxonomy::TaxonomyKind;
use crate::validate::{FieldIssue, Issues};

/// Who a resume is shown to (P5). The separate consent to be shown to companies and the
/// seeker's block list apply on top of this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResumeVisibility {
    Public,
    AppliedOnly,
    Hidden,
}

impl ResumeVisibility {
    pub const ALL: [ResumeVisibility; 3] =
        [ResumeVisibility::Public, ResumeVisibility::AppliedOnly, ResumeVisibility::Hidden];

    pub fn as_str(self) -> &'static str {
        match self {
            ResumeVisibility::Public => "public",
            ResumeVisibility::AppliedOnly => "applied_only",
            ResumeVisibility::Hidden => "hidden",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ResumeVisibility::Public => "公开",
            ResumeVisibility::AppliedOnly => "仅投递的企业可见",
            ResumeVisibility::Hidden => "隐藏",
        }
    }
}

// Every section is `#[serde(default)]` because the store keeps it as JSON: a resume written
// before a field existed must still load.

/// The job the seeker is looking for. Codes are taxonomy codes.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Intention {
    pub categories: Vec<String>,
    pub industries: Vec<String>,
    pub districts: Vec<String>,
    /// Monthly, CNY.
    pub salary_min: Option<u32>,
    pub salary_max: Option<u32>,
    /// Job type code; "" when any type will do.
    pub job_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Education {
    pub school: String,
    pub major: String,
    /// Education taxonomy code.
    pub degree: String,
    /// `YYYY-MM`.
    pub start: String,
    /// `YYYY-MM`, or "" for 至今.
    pub end: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct WorkExperience {
    pub company: String,
    pub title: String,
    /// `YYYY-MM`.
    pub start: String,
    /// `YYYY-MM`, or "" for 至今.
    pub end: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Project {
    pub name: String,
    pub role: String,
    /// `YYYY-MM`.
    pub start: String,
    /// `YYYY-MM`, or "" for 至今.
    pub end: String,
    pub description: String,
}

/// How well a seeker says they know a skill, weakest first.
pub const SKILL_LEVELS: [&str; 4] = ["了解", "熟悉", "熟练", "精通"];

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Skill {
    pub name: String,
    /// One of [`SKILL_LEVELS`].
    pub level: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Certificate {
    pub name: String,
    /// `YYYY-MM`.
    pub issued: String,
}

/// An online resume. `full_name` is personal data (P9): the store seals it apart from the other
/// sections, which it keeps as JSON; phone and e-mail come from elsewhere and are sealed too.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ResumeContent {
    /// What the seeker calls this resume, e.g. 厨师求职简历 (a seeker may keep several).
    pub title: String,
    pub full_name: String,
    pub gender: Gender,
    pub birth_year: Option<i32>,
    /// Highest education, an education taxonomy code.
    pub education_level: String,
    /// An experience taxonomy code.
    pub experience_level: String,
    /// Where the seeker lives now, a district code.
    pub current_district: String,
    pub intention: Intention,
    pub education: Vec<Education>,
    pub work: Vec<WorkExperience>,
    pub projects: Vec<Project>,
    pub skills: Vec<Skill>,
    pub certificates: Vec<Certificate>,
    pub self_intro: String,
}

/// Most entries in one section (education, work, projects, skills, certificates).
pub const MAX_ENTRIES: usize = 10;
/// Most codes in one list of the job intention.
pub const MAX_INTENTION_ITEMS: usize = 5;
/// Longest name-like text: school, major, company, job title, project, role, skill, certificate.
pub const MAX_NAME_CHARS: usize = 60;
/// Longest description and self-introduction.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Shortest self-introduction that counts towards completeness: a few words say nothing.
pub const MIN_SELF_INTRO_CHARS: usize = 30;
/// Completeness a resume needs before it can be sent with an application (M8), unless the
/// operator sets another figure.
pub const MIN_COMPLETENESS_TO_APPLY: u8 = 60;

/// The ages a resume may state: 16 is the minimum working age (P2), and 70 keeps typing
/// mistakes out without turning away older workers who still look for jobs.
const MIN_AGE: i32 = 16;
const MAX_AGE: i32 = 70;

/// "不限" is a code for what a job accepts; a person has an actual level.
const ANY_CODE: &str = "any";

/// A `YYYY-MM` month as (year, month), so that months compare in time order.
fn parse_month(s: &str) -> Option<(i32, u32)> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let month: u32 = m.parse().ok()?;
    ((1900..=2100).contains(&year) && (1..=12).contains(&month)).then_some((year, month))
}

impl ResumeContent {
    /// Checks everything a seeker typed and reports every problem at once, each under its field
    /// path (`work[1].company`). `known` says whether a code exists in a taxonomy of the
    /// station; `this_year` is the current year in China.
    pub fn check(&self, known: &dyn Fn(TaxonomyKind, &str) -> bool, this_year: i32) -> Result<(), Vec<FieldIssue>> {
        let mut issues = Issues::default();
        let mut c = Checker { issues: &mut issues, known, this_year };

        c.text_between("title", "简历名称", &self.title, 2, 30);
        c.text_between("full_name", "姓名", &self.full_name, 2, 20);
        if let Some(year) = self.birth_year {
            let (earliest, latest) = (this_year - MAX_AGE, this_year - MIN_AGE);
            if !(earliest..=latest).contains(&year) {
                c.issues.push("birth_year", "resume.birth_year", format!("出生年份需在{earliest}年至{latest}年之间"));
            }
        }
        c.own_level("education_level", "学历", TaxonomyKind::Education, &self.education_level);
        c.own_level("experience_level", "工作经验", TaxonomyKind::Experience, &self.experience_level);
        if !self.current_district.is_empty() {
            c.code("current_district", "现居住地", TaxonomyKind::District, &self.current_district);
        }

        let i = &self.intention;
        if i.categories.is_empty() {
            c.issues.push("intention.categories", "field.required", "请至少选择一个期望职位");
        }
        c.code_list("intention.categories", "期望职位", TaxonomyKind::JobCategory, &i.categories);
        c.code_list("intention.industries", "期望行业", TaxonomyKind::Industry, &i.industries);
        c.code_list("intention.districts", "期望工作地点", TaxonomyKind::District, &i.districts);
        if let (Some(min), Some(max)) = (i.salary_min, i.salary_max)
            && min > max
        {
            c.issues.push("intention.salary_max", "resume.salary_range", "期望薪资的上限不能低于下限");
        }
        if !i.job_type.is_empty() {
            c.code("intention.job_type", "工作性质", TaxonomyKind::JobType, &i.job_type);
        }

        c.section_size("education", "教育经历", self.education.len());
        for (n, e) in self.education.iter().enumerate() {
            let at = |f: &str| format!("education[{n}].{f}");
            let label = |f: &str| format!("第{}段教育经历的{f}", n + 1);
            c.issues.text(&at("school"), &label("学校名称"), &e.school, MAX_NAME_CHARS);
            c.issues.optional_text(&at("major"), &label("专业"), &e.major, MAX_NAME_CHARS);
            c.own_level(&at("degree"), &label("学历"), TaxonomyKind::Education, &e.degree);
            if e.degree.is_empty() {
                c.issues.push(at("degree"), "field.required", format!("请选择{}", label("学历")));
            }
            c.period(&at(""), &label(""), &e.start, &e.end);
        }

        c.section_size("work", "工作经历", self.work.len());
        for (n, w) in self.work.iter().enumerate() {
            let at = |f: &str| format!("work[{n}].{f}");
            let label = |f: &str| format!("第{}段工作经历的{f}", n + 1);
            c.issues.text(&at("company"), &label("公司名称"), &w.company, MAX_NAME_CHARS);
            c.issues.text(&at("title"), &label("职位名称"), &w.title, MAX_NAME_CHARS);
            c.period(&at(""), &label(""), &w.start, &w.end);
            c.issues.optional_text(&at("description"), &label("工作内容"), &w.description, MAX_TEXT_CHARS);
        }

        c.section_size("projects", "项目经历", self.projects.len());
        for (n, p) in self.projects.iter().enumerate() {
            let at = |f: &str| format!("projects[{n}].{f}");
            let label = |f: &str| format!("第{}个项目的{f}", n + 1);
            c.issues.text(&at("name"), &label("项目名称"), &p.name, MAX_NAME_CHARS);
            c.issues.optional_text(&at("role"), &label("担任角色"), &p.role, MAX_NAME_CHARS);
            c.period(&at(""), &label(""), &p.start, &p.end);
            c.issues.optional_text(&at("description"), &label("项目描述"), &p.description, MAX_TEXT_CHARS);
        }

        c.section_size("skills", "技能", self.skills.len());
        for (n, s) in self.skills.iter().enumerate() {
            let at = |f: &str| format!("skills[{n}].{f}");
            c.issues.text(&at("name"), &format!("第{}项技能的名称", n + 1), &s.name, MAX_NAME_CHARS);
            if !SKILL_LEVELS.contains(&s.level.as_str()) {
                c.issues.push(
                    at("level"),
                    "resume.skill_level",
                    format!("第{}项技能的掌握程度请选择{}", n + 1, SKILL_LEVELS.join("、")),
                );
            }
        }

        c.section_size("certificates", "证书", self.certificates.len());
        for (n, cert) in self.certificates.iter().enumerate() {
            let at = |f: &str| format!("certificates[{n}].{f}");
            c.issues.text(&at("name"), &format!("第{}个证书的名称", n + 1), &cert.name, MAX_NAME_CHARS);
            c.month(&at("issued"), &format!("第{}个证书的获得时间", n + 1), &cert.issued);
        }

        c.issues.optional_text("self_intro", "自我介绍", &self.self_intro, MAX_TEXT_CHARS);

        issues.finish(())
    }

    /// How complete the resume is, 0–100. Recruiters and matching favour complete resumes, and
    /// applying needs [`MIN_COMPLETENESS_TO_APPLY`]. The weights follow what recruiters read
    /// first:
    ///
    /// | part | weight |
    /// |---|---|
    /// | basic info: name, gender, birth year, education, experience, district | 20, a sixth each, rounded down |
    /// | job intention (at least one category) | 15 |
    /// | education (at least one entry) | 15 |
    /// | work experience (at least one entry) | 20 |
    /// | projects | 5 |
    /// | skills | 10 |
    /// | certificates | 5 |
    /// | self-introduction of at least 30 characters | 10 |
    ///
    /// Adding information never lowers the score.
    pub fn completeness(&self) -> u8 {
        let basic: u8 = [
            !self.full_name.trim().is_empty(),
            self.gender != Gender::Unspecified,
            self.birth_year.is_some(),
            !self.education_level.trim().is_empty(),
            !self.experience_level.trim().is_empty(),
            !self.current_district.trim().is_empty(),
        ]
        .into_iter()
        .map(u8::from)
        .sum();
        let parts: [(bool, u8); 7] = [
            (self.has_intention(), 15),
            (self.has_education(), 15),
            (self.has_work(), 20),
            (self.projects.iter().any(|p| !p.name.trim().is_empty()), 5),
            (self.skills.iter().any(|s| !s.name.trim().is_empty()), 10),
            (self.certificates.iter().any(|c| !c.name.trim().is_empty()), 5),
            (self.self_intro.trim().chars().count() >= MIN_SELF_INTRO_CHARS, 10),
        ];
        basic * 20 / 6 + parts.into_iter().filter(|(has, _)| *has).map(|(_, weight)| weight).sum::<u8>()
    }

    /// Whether the resume may be sent with an application (M8): complete enough, says what job
    /// is wanted, and shows either schooling or work history — a recruiter cannot judge less.
    pub fn is_complete_for_applying(&self, min_completeness: u8) -> bool {
        self.completeness() >= min_completeness && self.has_intention() && (self.has_education() || self.has_work())
    }

    fn has_intention(&self) -> bool {
        self.intention.categories.iter().any(|c| !c.trim().is_empty())
    }

    fn has_education(&self) -> bool {
        self.education.iter().any(|e| !e.school.trim().is_empty())
    }

    fn has_work(&self) -> bool {
        self.work.iter().any(|w| !w.company.trim().is_empty())
    }
}

/// The field checks shared by the sections of [`ResumeContent::check`].
struct Checker<'a> {
    issues: &'a mut Issues,
    known: &'a dyn Fn(TaxonomyKind, &str) -> bool,
    this_year: i32,
}

impl Checker<'_> {
    fn text_between(&mut self, field: &str, label: &str, value: &str, min: usize, max: usize) {
        let v = self.issues.text(field, label, value, max);
        let n = v.chars().count();
        if n > 0 && n < min {
            self.issues.push(field, "field.too_short", format!("{label}至少{min}个字"));
        }
    }

    fn code(&mut self, field: &str, label: &str, kind: TaxonomyKind, code: &str) {
        if !(self.known)(kind, code) {
            self.issues.push(field, "taxonomy.unknown", format!("请从列表中选择{label}"));
        }
    }

    /// A level the seeker has (optional, but never 不限).
    fn own_level(&mut self, field: &str, label: &str, kind: TaxonomyKind, code: &str) {
        if code.is_empty() {
            return;
        }
        if code == ANY_CODE {
            self.issues.push(field, "taxonomy.unknown", format!("请选择具体的{label}"));
        } else {
            self.code(field, label, kind, code);
        }
    }

    fn code_list(&mut self, field: &str, label: &str, kind: TaxonomyKind, codes: &[String]) {
        if codes.len() > MAX_INTENTION_ITEMS {
            self.issues.push(field, "resume.too_many", format!("{label}最多选择{MAX_INTENTION_ITEMS}个"));
        }
        let mut seen = HashSet::new();
        for (n, code) in codes.iter().enumerate() {
            let at = format!("{field}[{n}]");
            if !seen.insert(code.as_str()) {
                self.issues.push(at, "resume.duplicate", format!("{label}不能重复选择"));
            } else {
                self.code(&at, label, kind, code);
            }
        }
    }

    fn section_size(&mut self, field: &str, label: &str, len: usize) {
        if len > MAX_ENTRIES {
            self.issues.push(field, "resume.too_many", format!("{label}最多填写{MAX_ENTRIES}条"));
        }
    }

    /// A required `YYYY-MM` month, not in a later year than this one.
    fn month(&mut self, field: &str, label: &str, value: &str) -> Option<(i32, u32)> {
        let value = value.trim();
        if value.is_empty() {
            self.issues.push(field, "field.required", format!("请填写{label}"));
            return None;
        }
        match parse_month(value) {
            None => {
                self.issues.push(field, "resume.month", format!("{label}请按 年-月 格式填写，例如 2020-09"));
                None
            }
            Some(m) if m.0 > self.this_year => {
                self.issues.push(field, "resume.month_future", format!("{label}不能晚于今年"));
                None
            }
            Some(m) => Some(m),
        }
    }

    /// A start month and an end month that is either empty (至今) or not before the start. An
    /// end may lie ahead (an expected graduation), so only its format is checked. `at` is the
    /// entry's field prefix (`work[1].`), `label` the entry's ("第2段工作经历的").
    fn period(&mut self, at: &str, label: &str, start: &str, end: &str) {
        let start = self.month(&format!("{at}start"), &format!("{label}开始时间"), start);
        let end_field = format!("{at}end");
        let end = end.trim();
        if end.is_empty() {
            return;
        }
        match parse_month(end) {
            None => self.issues.push(
                end_field,
                "resume.month",
                format!("{label}结束时间请按 年-月 格式填写，例如 2023-06；仍在进行请留空"),
            ),
            Some(end) => {
                if start.is_some_and(|start| end < start) {
                    self.issues.push(end_field, "resume.period", format!("{label}结束时间不能早于开始时间"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(kind: TaxonomyKind, code: &str) -> bool {
        kind.seed().iter().any(|t| t.code == code)
    }

    fn district() -> String {
        TaxonomyKind::District.seed()[0].code.to_string()
    }

    fn category() -> String {
        TaxonomyKind::JobCategory.seed()[0].code.to_string()
    }

    fn industry() -> String {
        TaxonomyKind::Industry.seed()[0].code.to_string()
    }

    const YEAR: i32 = 2026;

    /// A resume with every section filled in, as a seeker would write it.
    fn full() -> ResumeContent {
        ResumeContent {
            title: "厨师求职简历".into(),
            full_name: "王小明".into(),
            gender: Gender::Male,
            birth_year: Some(1995),
            education_level: "college".into(),
            experience_level: "3-5".into(),
            current_district: district(),
            intention: Intention {
                categories: vec![category()],
                industries: vec![industry()],
                districts: vec![district()],
                salary_min: Some(5000),
                salary_max: Some(8000),
                job_type: "full-time".into(),
            },
            education: vec![Education {
                school: "重庆三峡职业学院".into(),
                major: "烹饪工艺与营养".into(),
                degree: "college".into(),
                start: "2013-09".into(),
                end: "2016-06".into(),
            }],
            work: vec![
                WorkExperience {
                    company: "万州烤鱼店".into(),
                    title: "厨师".into(),
                    start: "2016-07".into(),
                    end: "2020-12".into(),
                    description: "负责烤鱼制作与后厨管理".into(),
                },
                WorkExperience {
                    company: "万州大酒店".into(),
                    title: "主厨".into(),
                    start: "2021-01".into(),
                    end: "".into(),
                    description: String::new(),
                },
            ],
            projects: vec![Project {
                name: "新菜单研发".into(),
                role: "负责人".into(),
                start: "2022-03".into(),
                end: "2022-08".into(),
                description: "推出十道本地特色菜".into(),
            }],
            skills: vec![Skill { name: "川菜".into(), level: "精通".into() }],
            certificates: vec![Certificate { name: "中式烹调师（高级）".into(), issued: "2019-05".into() }],
            self_intro: "从事厨师工作近十年，擅长川菜和烤鱼，能吃苦耐劳，服从安排，希望在万州找到一份稳定的后厨工作。"
                .into(),
        }
    }

    fn issues(r: &ResumeContent) -> Vec<FieldIssue> {
        r.check(&known, YEAR).err().unwrap_or_default()
    }

    fn fields(r: &ResumeContent) -> Vec<String> {
        issues(r).into_iter().map(|i| i.field).collect()
    }

    #[test]
    fn visibilities_round_trip() {
        for v in ResumeVisibility::ALL {
            assert_eq!(ResumeVisibility::parse(v.as_str()), Some(v));
        }
        assert_eq!(ResumeVisibility::parse("private"), None);
        assert_eq!(ResumeVisibility::AppliedOnly.as_str(), "applied_only");
        assert_eq!(ResumeVisibility::AppliedOnly.label(), "仅投递的企业可见");
        assert_eq!(ResumeVisibility::Public.label(), "公开");
        assert_eq!(ResumeVisibility::Hidden.label(), "隐藏");
    }

    #[test]
    fn a_full_resume_passes() {
        assert_eq!(full().check(&known, YEAR), Ok(()));
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_path() {
        let mut r = full();
        r.title = "简".into();
        r.full_name = " ".into();
        r.work[1].company = String::new();
        r.education[0].end = "2012-06".into();
        let f = fields(&r);
        assert_eq!(f, ["title", "full_name", "education[0].end", "work[1].company"]);
        let all = issues(&r);
        assert_eq!(all[0].code, "field.too_short");
        assert_eq!(all[1].message, "请填写姓名");
        assert_eq!(all[2].code, "resume.period");
        assert_eq!(all[3].message, "请填写第2段工作经历的公司名称");
    }

    #[test]
    fn title_and_name_lengths() {
        let mut r = full();
        r.title = "简".repeat(31);
        r.full_name = "王".repeat(21);
        assert_eq!(fields(&r), ["title", "full_name"]);
        r.title = "简历".into();
        r.full_name = "王".repeat(20);
        assert!(fields(&r).is_empty());
        r.full_name = "王".into();
        assert_eq!(issues(&r)[0].code, "field.too_short");
    }

    #[test]
    fn birth_year_is_optional_but_plausible() {
        let mut r = full();
        r.birth_year = None;
        assert!(fields(&r).is_empty());
        for ok in [YEAR - 16, YEAR - 70] {
            r.birth_year = Some(ok);
            assert!(fields(&r).is_empty(), "{ok}");
        }
        for bad in [YEAR - 15, YEAR - 71, YEAR, 0] {
            r.birth_year = Some(bad);
            assert_eq!(fields(&r), ["birth_year"], "{bad}");
        }
    }

    #[test]
    fn codes_must_be_known_in_their_taxonomies() {
        let mut r = full();
        r.education_level = "phd".into();
        r.experience_level = "any".into();
        r.current_district = "beijing".into();
        r.intention.industries = vec!["nope".into()];
        r.intention.districts = vec![district(), "nope".into()];
        r.intention.job_type = "forever".into();
        r.education[0].degree = "bachelor-ish".into();
        assert_eq!(
            fields(&r),
            [
                "education_level",
                "experience_level",
                "current_district",
                "intention.industries[0]",
                "intention.districts[1]",
                "intention.job_type",
                "education[0].degree",
            ]
        );
    }

    #[test]
    fn a_code_of_the_wrong_kind_is_unknown() {
        let mut r = full();
        // A valid education code is not an experience code.
        r.experience_level = "bachelor".into();
        r.intention.categories = vec![district()];
        assert_eq!(fields(&r), ["experience_level", "intention.categories[0]"]);
    }

    #[test]
    fn optional_levels_may_be_left_empty() {
        let mut r = full();
        r.education_level.clear();
        r.experience_level.clear();
        r.current_district.clear();
        r.intention.job_type.clear();
        r.intention.industries.clear();
        r.intention.districts.clear();
        r.intention.salary_min = None;
        assert!(fields(&r).is_empty());
    }

    #[test]
    fn intention_needs_a_category_and_at_most_five_of_each() {
        let mut r = full();
        r.intention.categories.clear();
        assert_eq!(fields(&r), ["intention.categories"]);

        let categories: Vec<String> =
            TaxonomyKind::JobCategory.seed().iter().take(6).map(|t| t.code.to_string()).collect();
        r.intention.categories = categories[..5].to_vec();
        assert!(fields(&r).is_empty());
        r.intention.categories = categories;
        assert_eq!(fields(&r), ["intention.categories"]);
        assert_eq!(issues(&r)[0].code, "resume.too_many");
    }

    #[test]
    fn intention_codes_are_not_repeated() {
        let mut r = full();
        r.intention.districts = vec![district(), district()];
        assert_eq!(fields(&r), ["intention.districts[1]"]);
        assert_eq!(issues(&r)[0].code, "resume.duplicate");
    }

    #[test]
    fn salary_range_is_ordered() {
        let mut r = full();
        r.intention.salary_min = Some(9000);
        assert_eq!(fields(&r), ["intention.salary_max"]);
        r.intention.salary_max = None;
        assert!(fields(&r).is_empty());
        r.intention.salary_max = Some(9000);
        assert!(fields(&r).is_empty(), "equal bounds are a fixed salary");
    }

    #[test]
    fn months_are_checked_for_format_order_and_future() {
        for bad in ["2020-13", "2020-00", "2020-1", "20-01", "2020/01", "2020-01-01", "abcd-ef", "1899-12"] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
        assert_eq!(parse_month("2020-09"), Some((2020, 9)));

        let mut r = full();
        r.work[0].start = "2016/07".into();
        r.work[0].end = "2015-01".into();
        r.work[1].start = String::new();
        r.projects[0].start = "2027-01".into();
        r.projects[0].end = "2027-02".into();
        r.certificates[0].issued = "2019".into();
        assert_eq!(
            fields(&r),
            ["work[0].start", "work[1].start", "projects[0].start", "certificates[0].issued"],
            "an end is only compared with a start that is valid"
        );
        let codes: Vec<&str> = issues(&r).iter().map(|i| i.code).collect();
        assert_eq!(codes, ["resume.month", "field.required", "resume.month_future", "resume.month"]);
    }

    #[test]
    fn end_may_be_open_or_ahead_but_not_before_start() {
        let mut r = full();
        r.education[0].end = String::new();
        assert!(fields(&r).is_empty(), "至今");
        r.education[0].end = "2030-06".into();
        assert!(fields(&r).is_empty(), "expected graduation");
        r.education[0].end = "2013-09".into();
        assert!(fields(&r).is_empty(), "same month");
        r.education[0].end = "2013-08".into();
        assert_eq!(fields(&r), ["education[0].end"]);
        r.education[0].end = "soon".into();
        assert_eq!(fields(&r), ["education[0].end"]);
        assert_eq!(issues(&r)[0].code, "resume.month");
    }

    #[test]
    fn sections_hold_at_most_ten_entries() {
        let mut r = full();
        r.work = vec![r.work[0].clone(); MAX_ENTRIES];
        r.skills = vec![r.skills[0].clone(); MAX_ENTRIES];
        assert!(fields(&r).is_empty());
        r.work.push(r.work[0].clone());
        r.education = vec![r.education[0].clone(); MAX_ENTRIES + 1];
        r.projects = vec![r.projects[0].clone(); MAX_ENTRIES + 1];
        r.skills.push(r.skills[0].clone());
        r.certificates = vec![r.certificates[0].clone(); MAX_ENTRIES + 1];
        assert_eq!(fields(&r), ["education", "work", "projects", "skills", "certificates"]);
    }

    #[test]
    fn text_limits() {
        let mut r = full();
        r.education[0].school = "学".repeat(61);
        r.education[0].major = "专".repeat(61);
        r.work[0].title = "厨".repeat(61);
        r.work[0].description = "做".repeat(2001);
        r.projects[0].role = "角".repeat(61);
        r.projects[0].description = "项".repeat(2001);
        r.skills[0].name = "技".repeat(61);
        r.certificates[0].name = "证".repeat(61);
        r.self_intro = "我".repeat(2001);
        assert_eq!(
            fields(&r),
            [
                "education[0].school",
                "education[0].major",
                "work[0].title",
                "work[0].description",
                "projects[0].role",
                "projects[0].description",
                "skills[0].name",
                "certificates[0].name",
                "self_intro",
            ]
        );
        assert!(issues(&r).iter().all(|i| i.code == "field.too_long"));

        let mut r = full();
        r.work[0].description = "做".repeat(2000);
        r.self_intro = "我".repeat(2000);
        r.skills[0].name = "技".repeat(60);
        assert!(fields(&r).is_empty());
    }

    #[test]
    fn entries_need_their_key_fields() {
        let mut r = full();
        r.education[0] = Education::default();
        r.skills[0].level = "会一点".into();
        assert_eq!(fields(&r), ["education[0].school", "education[0].degree", "education[0].start", "skills[0].level"]);
        assert_eq!(issues(&r)[3].message, "第1项技能的掌握程度请选择了解、熟悉、熟练、精通");
    }

    #[test]
    fn every_message_is_chinese() {
        let mut r = ResumeContent::default();
        r.work.push(WorkExperience::default());
        r.birth_year = Some(1);
        for i in issues(&r) {
            assert!(i.message.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)), "{i:?}");
        }
    }

    #[test]
    fn completeness_weights() {
        assert_eq!(ResumeContent::default().completeness(), 0);
        assert_eq!(full().completeness(), 100);

        let only_name = ResumeContent { full_name: "王小明".into(), ..Default::default() };
        assert_eq!(only_name.completeness(), 3, "one sixth of 20, rounded down");

        let basic = ResumeContent { intention: Intention::default(), ..full() };
        let mut r = ResumeContent { education: vec![], work: vec![], projects: vec![], skills: vec![], ..basic };
        r.certificates.clear();
        r.self_intro.clear();
        assert_eq!(r.completeness(), 20, "basic info alone");

        r.self_intro = "我".repeat(MIN_SELF_INTRO_CHARS - 1);
        assert_eq!(r.completeness(), 20, "a few words do not count");
        r.self_intro = "我".repeat(MIN_SELF_INTRO_CHARS);
        assert_eq!(r.completeness(), 30);
    }

    #[test]
    fn each_section_has_its_weight() {
        let empty = ResumeContent::default();
        let f = full();
        let cases: [(&str, ResumeContent, u8); 8] = [
            (
                "basic",
                ResumeContent {
                    full_name: f.full_name.clone(),
                    gender: f.gender,
                    birth_year: f.birth_year,
                    education_level: f.education_level.clone(),
                    experience_level: f.experience_level.clone(),
                    current_district: f.current_district.clone(),
                    ..Default::default()
                },
                20,
            ),
            ("intention", ResumeContent { intention: f.intention.clone(), ..Default::default() }, 15),
            ("education", ResumeContent { education: f.education.clone(), ..Default::default() }, 15),
            ("work", ResumeContent { work: f.work.clone(), ..Default::default() }, 20),
            ("projects", ResumeContent { projects: f.projects.clone(), ..Default::default() }, 5),
            ("skills", ResumeContent { skills: f.skills.clone(), ..Default::default() }, 10),
            ("certificates", ResumeContent { certificates: f.certificates.clone(), ..Default::default() }, 5),
            ("self_intro", ResumeContent { self_intro: f.self_intro.clone(), ..Default::default() }, 10),
        ];
        let mut total = 0;
        for (name, r, weight) in cases {
            assert_eq!(r.completeness(), weight, "{name}");
            total += weight;
        }
        assert_eq!(total, 100);
        assert_eq!(empty.completeness(), 0);
    }

    #[test]
    fn completeness_never_drops_when_a_section_is_added() {
        let f = full();
        // Build the full resume up one part at a time, in every order of a fixed rotation.
        type Add = fn(&mut ResumeContent, &ResumeContent);
        let adds: [Add; 13] = [
            |r, f| r.full_name = f.full_name.clone(),
            |r, f| r.gender = f.gender,
            |r, f| r.birth_year = f.birth_year,
            |r, f| r.education_level = f.education_level.clone(),
            |r, f| r.experience_level = f.experience_level.clone(),
            |r, f| r.current_district = f.current_district.clone(),
            |r, f| r.intention = f.intention.clone(),
            |r, f| r.education = f.education.clone(),
            |r, f| r.work = f.work.clone(),
            |r, f| r.projects = f.projects.clone(),
            |r, f| r.skills = f.skills.clone(),
            |r, f| r.certificates = f.certificates.clone(),
            |r, f| r.self_intro = f.self_intro.clone(),
        ];
        for shift in 0..adds.len() {
            let mut r = ResumeContent::default();
            let mut last = r.completeness();
            for k in 0..adds.len() {
                adds[(k + shift) % adds.len()](&mut r, &f);
                let now = r.completeness();
                assert!(now >= last, "shift {shift}, step {k}: {last} -> {now}");
                last = now;
            }
            assert_eq!(last, 100);
        }
    }

    #[test]
    fn blank_entries_do_not_count() {
        let r = ResumeContent {
            education: vec![Education::default()],
            work: vec![WorkExperience { company: "  ".into(), ..Default::default() }],
            skills: vec![Skill::default()],
            intention: Intention { categories: vec![String::new()], ..Default::default() },
            ..Default::default()
        };
        assert_eq!(r.completeness(), 0);
    }

    #[test]
    fn applying_needs_sixty_an_intention_and_schooling_or_work() {
        assert!(full().is_complete_for_applying(MIN_COMPLETENESS_TO_APPLY));
        assert!(!ResumeContent::default().is_complete_for_applying(MIN_COMPLETENESS_TO_APPLY));

        // 20 basic + 15 intention + 20 work + 10 skills = 65.
        let mut r = full();
        r.education.clear();
        r.projects.clear();
        r.certificates.clear();
        r.self_intro.clear();
        assert_eq!(r.completeness(), 65);
        assert!(r.is_complete_for_applying(MIN_COMPLETENESS_TO_APPLY));

        // Without work: 20 + 15 + 10 = 45, too little.
        r.work.clear();
        assert!(!r.is_complete_for_applying(MIN_COMPLETENESS_TO_APPLY));

        // 20 basic + 15 education + 5 projects + 10 skills + 5 certificates + 10 intro = 65, but
        // no intention.
        let mut r = full();
        r.intention = Intention::default();
        r.work.clear();
        assert_eq!(r.completeness(), 65);
        assert!(!r.is_complete_for_applying(MIN_COMPLETENESS_TO_APPLY));

        // 20 + 15 + 5 + 10 + 5 + 10 = 65 with neither schooling nor work.
        let mut r = full();
        r.education.clear();
        r.work.clear();
        assert_eq!(r.completeness(), 65);
        assert!(!r.is_complete_for_applying(MIN_COMPLETENESS_TO_APPLY));
    }

    #[test]
    fn exactly_sixty_is_enough() {
        // 20 basic + 15 intention + 15 education + 10 skills = 60.
        let mut r = full();
        r.work.clear();
        r.projects.clear();
        r.certificates.clear();
        r.self_intro.clear();
        assert_eq!(r.completeness(), 60);
        assert!(r.is_complete_for_applying(MIN_COMPLETENESS_TO_APPLY));
        r.skills.clear();
        assert!(!r.is_complete_for_applying(MIN_COMPLETENESS_TO_APPLY));
    }
}
