//! The posting rules (职位发布规则, M4), checked when a job is submitted for review.
//!
//! Each rule looks for wording that real Chinese job ads use to break it: fees demanded of
//! applicants, discriminatory requirements, contact details smuggled into the text, pay that the
//! salary does not back up, duplicates and the banned words staff keep. The text is normalised
//! first (full-width to half-width, no spaces, lower case), because spacing and full-width
//! characters are the usual way around a naive filter; the evidence shown to the company is
//! the fragment as it wrote it.
//!
//! Every rule also knows the harmless phrases that contain its trigger words ("无押金",
//! "男女不限", "公司承担体检费"): a match that overlaps one of those is not a violation. The rules
//! err towards letting staff decide: they catch the common wording, and review catches the rest.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::job::{Salary, range_issue};

/// One posting rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    FeeDemand,
    Discrimination,
    ContactInText,
    SalarySanity,
    Duplicate,
    BannedWord,
}

impl Rule {
    pub const ALL: [Rule; 6] = [
        Rule::FeeDemand,
        Rule::Discrimination,
        Rule::ContactInText,
        Rule::SalarySanity,
        Rule::Duplicate,
        Rule::BannedWord,
    ];

    /// Stable code, for the API and review records.
    pub fn code(self) -> &'static str {
        match self {
            Rule::FeeDemand => "rule.fee_demand",
            Rule::Discrimination => "rule.discrimination",
            Rule::ContactInText => "rule.contact_in_text",
            Rule::SalarySanity => "rule.salary",
            Rule::Duplicate => "rule.duplicate",
            Rule::BannedWord => "rule.banned_word",
        }
    }

    /// The rule's name as the published posting rules state it.
    pub fn name(self) -> &'static str {
        match self {
            Rule::FeeDemand => "禁止向求职者收费",
            Rule::Discrimination => "禁止歧视性要求",
            Rule::ContactInText => "禁止在正文中留联系方式",
            Rule::SalarySanity => "薪资须真实合理",
            Rule::Duplicate => "禁止重复发布",
            Rule::BannedWord => "含有禁用词",
        }
    }

    /// What the company should do about it.
    fn hint(self) -> &'static str {
        match self {
            Rule::FeeDemand => "招聘过程中不得以任何名义向求职者收取费用",
            Rule::Discrimination => "招聘条件不得限定性别、民族、婚育状况、户籍，也不得设置法律未规定的年龄限制",
            Rule::ContactInText => "联系方式请填写在联系人一栏，不要写在职位名称或描述中",
            Rule::SalarySanity => "正文中承诺的收入不能高于填写的薪资范围",
            Rule::Duplicate => "已有同名职位在审核或招聘中，请修改原职位，不要重复发布",
            Rule::BannedWord => "请删除或改写该词",
        }
    }
}

/// One broken rule, with the fragment that broke it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Violation {
    pub rule: Rule,
    /// The form field the fragment is in: `title`, `description` or `salary_min`.
    pub field: &'static str,
    /// The offending fragment, as the company wrote it.
    pub evidence: String,
    /// zh-CN: names the rule and quotes the evidence.
    pub message: String,
}

impl Violation {
    fn new(rule: Rule, field: &'static str, evidence: String) -> Self {
        let message = format!("违反「{}」：“{}”。{}", rule.name(), evidence, rule.hint());
        Self { rule, field, evidence, message }
    }
}

/// The parts of a job the rules read.
#[derive(Debug, Clone, Copy)]
pub struct PostingText<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub salary: &'a Salary,
}

/// What the rules need to know beyond the job itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleContext<'a> {
    /// The banned words staff keep.
    pub banned_words: &'a [String],
    /// Titles of the same company's other open (pending or published) jobs; the job being
    /// checked must not be among them.
    pub existing_titles: &'a [String],
}

const FIELDS: [&str; 3] = ["title", "description", "salary_min"];

/// Every violation of `text`, ordered by rule (as in [`Rule::ALL`]), then field (title,
/// description, salary), then position in the field.
pub fn check(text: &PostingText, ctx: &RuleContext) -> Vec<Violation> {
    let title = Normalized::new(text.title);
    let description = Normalized::new(text.description);
    let mut found: Vec<(Rule, usize, usize, Violation)> = Vec::new();

    for (field, norm) in [(FIELDS[0], &title), (FIELDS[1], &description)] {
        let mut add = |rule: Rule, ranges: Vec<Range<usize>>| {
            for r in without_overlaps(ranges) {
                let evidence = norm.original(&r).to_string();
                if !evidence.is_empty() {
                    found.push((rule, field_rank(field), r.start, Violation::new(rule, field, evidence)));
                }
            }
        };
        add(Rule::FeeDemand, fee_demands(&norm.text));
        add(Rule::Discrimination, discrimination(&norm.text));
        add(Rule::ContactInText, contact_details(&norm.text));
        add(Rule::SalarySanity, salary_claims(&norm.text, text.salary, field == FIELDS[0]));
        add(Rule::BannedWord, banned_words(&norm.text, ctx.banned_words));
    }

    if let Salary::Monthly { min, max } = *text.salary
        && range_issue(min, max).is_some()
    {
        // Stored salaries predate the current limits, or were built without `Salary::parse`.
        found.push((
            Rule::SalarySanity,
            field_rank(FIELDS[2]),
            0,
            Violation::new(Rule::SalarySanity, FIELDS[2], text.salary.label()),
        ));
    }

    if is_duplicate(text.title, ctx.existing_titles) {
        let evidence = text.title.trim().to_string();
        found.push((Rule::Duplicate, field_rank(FIELDS[0]), 0, Violation::new(Rule::Duplicate, FIELDS[0], evidence)));
    }

    found.sort_by_key(|(rule, field, start, _)| (*rule, *field, *start));
    let mut out: Vec<Violation> = Vec::with_capacity(found.len());
    for (_, _, _, v) in found {
        // Two banned words, or two patterns, can point at the same fragment; say it once.
        if !out.iter().any(|o| o.rule == v.rule && o.field == v.field && o.evidence == v.evidence) {
            out.push(v);
        }
    }
    out
}

fn field_rank(field: &str) -> usize {
    FIELDS.iter().position(|f| *f == field).unwrap_or(FIELDS.len())
}

/// Keeps the earliest (then longest) of any overlapping matches, so one fragment that several
/// patterns catch is reported once.
fn without_overlaps(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut kept: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        if r.is_empty() {
            continue;
        }
        if kept.last().is_none_or(|last| r.start >= last.end) {
            kept.push(r);
        }
    }
    kept
}

// ---------------------------------------------------------------------------------------------
// Normalisation

/// One character as the rules see it, or `None` for characters that only hide words: spaces
/// (also the ideographic one) and zero-width marks.
fn normalize_char(c: char) -> Option<char> {
    if matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}') || c.is_whitespace() {
        return None;
    }
    let c = match c {
        // Full-width ASCII (！ to ～) sits 0xFEE0 above its half-width twin.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    // ASCII only: it keeps every character's length, which the offset maps rely on.
    Some(c.to_ascii_lowercase())
}

/// Normalises a word the same way as the text it is looked for in.
fn normalize(s: &str) -> String {
    s.chars().filter_map(normalize_char).collect()
}

/// A text in normalised form, able to find each normalised match back in the original.
struct Normalized<'a> {
    original: &'a str,
    text: String,
    /// For a byte offset of `text` where a character starts: where it starts in `original`.
    start_at: Vec<usize>,
    /// For a byte offset of `text` where a character ends: where it ends in `original`.
    end_at: Vec<usize>,
}

impl<'a> Normalized<'a> {
    fn new(original: &'a str) -> Self {
        let mut text = String::with_capacity(original.len());
        // A normalised character is never longer than its original, so `text` never outgrows
        // `original` and these tables are long enough.
        let mut start_at = vec![0; original.len() + 1];
        let mut end_at = vec![0; original.len() + 1];
        for (i, c) in original.char_indices() {
            let Some(n) = normalize_char(c) else { continue };
            start_at[text.len()] = i;
            text.push(n);
            end_at[text.len()] = i + c.len_utf8();
        }
        Self { original, text, start_at, end_at }
    }

    /// The original fragment behind `range` of the normalised text.
    fn original(&self, range: &Range<usize>) -> &'a str {
        match (self.start_at.get(range.start), self.end_at.get(range.end)) {
            (Some(&start), Some(&end)) if start < end => self.original.get(start..end).unwrap_or(""),
            _ => "",
        }
    }
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("pattern compiles")
}

/// Trigger patterns and the harmless phrases that excuse a trigger they overlap.
struct Patterns {
    hits: Vec<Regex>,
    allowed: Vec<Regex>,
}

impl Patterns {
    fn new(hits: Vec<String>, allowed: Vec<String>) -> Self {
        Self { hits: hits.iter().map(|p| re(p)).collect(), allowed: allowed.iter().map(|p| re(p)).collect() }
    }

    fn find(&self, text: &str) -> Vec<Range<usize>> {
        let allowed = self.allowed_ranges(text);
        self.hits
            .iter()
            .flat_map(|hit| hit.find_iter(text).map(|m| m.range()))
            .filter(|r| !overlaps_any(r, &allowed))
            .collect()
    }

    fn allowed_ranges(&self, text: &str) -> Vec<Range<usize>> {
        self.allowed.iter().flat_map(|a| a.find_iter(text).map(|m| m.range())).collect()
    }
}

fn overlaps_any(r: &Range<usize>, others: &[Range<usize>]) -> bool {
    others.iter().any(|o| r.start < o.end && o.start < r.end)
}

/// Whether the match touches a digit on either side, i.e. is part of a longer number.
fn inside_number(text: &str, r: &Range<usize>) -> bool {
    let before = text.get(..r.start).and_then(|s| s.chars().next_back());
    let after = text.get(r.end..).and_then(|s| s.chars().next());
    before.is_some_and(|c| c.is_ascii_digit()) || after.is_some_and(|c| c.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------------
// 禁止向求职者收费

/// Fees that are only a violation when the applicant pays (employers often pay them).
const FEES_IF_APPLICANT_PAYS: &str = "押金|保证金|培训费|服装费|体检费";
/// Fees no honest ad mentions except to deny them.
const FEES_ALWAYS: &str = "报名费|中介费|介绍费|入职费|工装费|办卡费|建档费|资料费|信息费";
/// Employers, as ads name them.
const EMPLOYER: &str = "公司|单位|企业|我司|本公司|老板|店里|店方|厂里|厂方|雇主|用人单位|酒店|餐厅";

static FEE: LazyLock<Patterns> = LazyLock::new(|| {
    let pay = FEES_IF_APPLICANT_PAYS;
    let all = format!("{FEES_IF_APPLICANT_PAYS}|{FEES_ALWAYS}");
    // No punctuation inside a gap: a fee and a verb in different clauses are unrelated.
    let gap = "[^,.;:!?、。，；：！？]";
    Patterns::new(
        vec![
            // 需交押金, 缴纳培训费, 从工资里扣服装费
            format!("(?:需要|需|须|要|得|先|预|另|自)?(?:收取|缴纳|交纳|扣除|缴|交|付|收|扣){gap}{{0,4}}?(?:{pay})"),
            // 培训费自理, 服装费从工资扣, 体检费由个人承担
            format!(
                "(?:{pay})用?{gap}{{0,4}}?(?:自付|自理|自费|自负|(?:由)?(?:个人|本人|自己|求职者|员工|应聘者)(?:承担|支付|负责)|从?工资(?:中|里)?扣|需交|须交|先交|交纳|缴纳|收取)"
            ),
            // 押金200元
            format!("(?:{pay})用?:?[0-9]+(?:\\.[0-9]+)?(?:元|块)"),
            format!("(?:{FEES_ALWAYS})"),
            // 先交300元, 入职需交500元
            format!("先(?:交|缴|付){gap}{{0,6}}?[0-9]+(?:元|块)"),
            format!("(?:需|须|要)先?(?:缴纳|交纳|交|缴|付){gap}{{0,6}}?[0-9]+(?:元|块)"),
        ],
        vec![
            // 无押金, 不收取任何押金和培训费, 零保证金
            format!(
                "(?:无|免|零|免收|没有|不收|不收取|不需|无需|不需要|不用|不交|不缴|绝不收取?|从不收取?|不会收取?|不另收|不额外收取?|拒绝|谢绝)(?:交纳|缴纳|交|缴|付|支付|收取|收)?(?:求职者|应聘者|员工|个人)?(?:任何|其他|额外)?的?(?:{all})(?:[和与及、/或]?(?:{all}))*"
            ),
            // 公司承担体检费, 公司统一报销体检费
            format!(
                "(?:由|归)?(?:{EMPLOYER}){gap}{{0,3}}?(?:承担|负责|报销|支付|出|全包|包|补贴|买单)(?:全部|所有)?{gap}{{0,2}}?(?:{all})"
            ),
            // 体检费由公司承担, 体检费200元公司报销
            format!(
                "(?:{all})用?{gap}{{0,8}}?(?:由|归)?(?:{EMPLOYER})(?:全额|统一)?(?:承担|负责|报销|支付|出|全包|包|买单)"
            ),
            // 体检费全免, 报销体检费, 免费体检
            format!("(?:{all})用?(?:全免|免费|免收|全额报销|可报销|报销)"),
            format!("(?:报销|免费|免收|免除|全免|补贴)(?:入职)?(?:{all})"),
            // The employee's own share of social insurance is deducted lawfully.
            "(?:社保|五险|一金|公积金|医保|保险|个税|个人所得税)[^,.;!?。，；！？押费]{0,10}?(?:交|缴|付)".into(),
            "(?:交|缴|付)[^,.;!?。，；！？押费]{0,10}?(?:社保|五险|一金|公积金|医保|保险|个税)".into(),
        ],
    )
});

fn fee_demands(text: &str) -> Vec<Range<usize>> {
    FEE.find(text)
}

// ---------------------------------------------------------------------------------------------
// 禁止歧视性要求

static DISCRIMINATION: LazyLock<Patterns> = LazyLock::new(|| {
    let negate = "(?:不限|无论|不论|不分|不要求|不看)";
    let either = "(?:均可|皆可|都可|都行|不限|不论|皆宜)";
    let refuse = "(?:勿扰|免谈|莫扰|不招|不收|不要|不考虑|止步|除外)";
    let ethnic = "(?:少数民族|回族|维族|维吾尔族|藏族|彝族|苗族|壮族|蒙古族|土家族|哈萨克族|新疆籍?|西藏籍?)";
    let marital = "(?:已婚|未婚|已育|未育)";
    let place = "(?:本地|外地|城镇|农村|城市|本市|外省)";
    Patterns::new(
        vec![
            // Gender: 限男性, 仅限女, 只招男, 招女工, 男性优先, 女士勿扰, 性别：男
            "(?:只招|仅招|限招|只要|仅要|只限|仅限|限于|限)(?:男|女)(?:性|士|生|工|的)?".into(),
            "(?:招|招聘|需|需要)(?:男|女)(?:性|士|生|工)".into(),
            format!("(?:男|女)(?:性|士|生)?(?:优先|{refuse})"),
            "性别(?:要求)?:?(?:男|女)性?".into(),
            "要求:?(?:男|女)(?:性|士|生)".into(),
            // Ethnicity: 限汉族, 少数民族勿扰, 不招新疆人
            "(?:限|仅限|只招|只要|要求|须为|必须是?)?汉族".into(),
            format!("{ethnic}(?:人|同胞)?{refuse}"),
            format!("(?:不招|不要|谢绝|拒绝|不收){ethnic}"),
            // Marriage and childbearing: 已婚已育, 未婚优先, 无生育计划, 孕妇勿扰
            "已婚已育|已婚未育|未婚未育|已婚|未婚|已育|未育|无生育计划|近期无生育(?:计划|打算)?|[0-9一二两三]年内(?:不|无)(?:生育|要孩子|要小孩|怀孕)|单身优先|离异勿扰".into(),
            format!("(?:孕妇|孕期|怀孕|哺乳期){refuse}"),
            // Household registration: 本地户口, 限本地户籍, 非农业户口, 外地人勿扰
            "(?:本地|本市|本区|本县|本省|城镇|城市|非农业?|农业|农村)(?:户口|户籍)".into(),
            "(?:限|仅限|只招|只要|要求|须为)(?:本地|本市|本区|本县)(?:人|户口|户籍)?".into(),
            "本地人?优先".into(),
            format!("(?:外地|外省|外来)(?:人|人员|户口|户籍)?{refuse}"),
            "(?:本地|本市|重庆|万州|四川)(?:籍|户籍)(?:人员|人士)?优先".into(),
            // Generations: 90后优先, 80后勿扰
            format!("[0-9][05]后(?:优先|{refuse})"),
        ],
        vec![
            // 男女不限, 男、女均可, 男性或女性均可, 不限男女, 不限性别, 性别不限
            format!("(?:男|女)(?:性|士|生)?[、/,或和及与]?(?:男|女)(?:性|士|生)?{either}"),
            format!("{negate}(?:男女|性别|男|女)"),
            "性别:?(?:不限|不要求|无要求)".into(),
            // 汉族、少数民族均可, 不限民族
            format!("汉族[、/,或和及与]?(?:少数民族|其他民族)?{either}"),
            format!("{negate}(?:民族|汉族)"),
            // 已婚未婚均可, 婚否不限, 已婚员工可申请夫妻房
            format!("{marital}(?:[、/,或和及与]?{marital})*{either}"),
            format!("{negate}(?:是否)?(?:婚否|婚育|婚姻|{marital})"),
            "已婚(?:员工|职工|夫妻)?[^,.;!?。，；！？]{0,6}?(?:夫妻房|夫妻宿舍|家属房|家属宿舍)".into(),
            // 不限户籍, 本地外地均可, 协助办理本地户口
            format!("{negate}(?:户口|户籍|本地|外地|城乡|农村|城镇)"),
            format!("{place}(?:户口|户籍|人)?[、/,或和及与]?(?:{place}(?:户口|户籍|人)?)?{either}"),
            "(?:解决|办理|协助办理|帮助解决|帮办|落户|迁入|可迁)(?:本地|本市|城镇)?(?:户口|户籍)".into(),
        ],
    )
});

/// Age limits. The first two state ranges; in all of them the last number is the upper bound.
static AGE_LIMITS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let dash = "(?:-|~|至|到|—|〜)";
    vec![
        // 年龄18-30岁, 18至35周岁
        re(&format!("(?:年龄(?:要求)?在?:?)?([0-9]{{2}})周?岁?{dash}([0-9]{{2}})周?岁")),
        // 年龄：20-35
        re(&format!("年龄(?:要求)?在?:?([0-9]{{2}}){dash}([0-9]{{2}})")),
        // 35岁以下, 限30岁以内
        re("限?([0-9]{2})周?岁(?:以下|以内|之内|之下)"),
        // 年龄不超过35岁
        re("(?:不超过|不大于|不高于|低于|小于|不得超过|不能超过)([0-9]{2})周?岁"),
        // 35岁以上勿扰
        re("([0-9]{2})周?岁以上(?:者)?(?:勿扰|免谈|莫扰|不要|不招|不考虑)"),
    ]
});

/// Ages that describe the people a job serves, not who may apply: 照顾1-3岁宝宝, 10-12岁学生辅导.
static AGE_OF_OTHERS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "[0-9]{1,2}周?岁?(?:(?:-|~|至|到|—|〜)[0-9]{1,2}周?岁)?(?:以下|以内|以上)?的?(?:儿童|孩子|宝宝|小孩|学生|青少年|幼儿|婴幼儿|小朋友|老人|老年人|学员|患者|中小学生)",
    )
});

/// Retirement is the first age the law itself sets as an upper bound; below it, an upper age
/// limit is for the employer to justify to staff, not to write into an ad.
const LAWFUL_UPPER_AGE: u32 = 60;
/// An upper bound at or below this (未满18周岁, 16岁以下) keeps minors out, which the law asks.
const ADULT_AGE: u32 = 18;

fn age_limits(text: &str) -> Vec<Range<usize>> {
    let excused: Vec<Range<usize>> = AGE_OF_OTHERS.find_iter(text).map(|m| m.range()).collect();
    let mut hits = Vec::new();
    for (i, pattern) in AGE_LIMITS.iter().enumerate() {
        let is_range = i < 2;
        for caps in pattern.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            let r = whole.range();
            // The number a pattern ends on is its upper bound.
            let upper = caps.iter().flatten().skip(1).last().and_then(|m| m.as_str().parse::<u32>().ok());
            let Some(upper) = upper else { continue };
            let limits = upper < LAWFUL_UPPER_AGE && (is_range || upper > ADULT_AGE);
            if limits && !inside_number(text, &r) && !overlaps_any(&r, &excused) {
                hits.push(r);
            }
        }
    }
    hits
}

fn discrimination(text: &str) -> Vec<Range<usize>> {
    let mut hits = DISCRIMINATION.find(text);
    hits.extend(age_limits(text));
    hits
}

// ---------------------------------------------------------------------------------------------
// 禁止在正文中留联系方式

/// Patterns whose match must not be part of a longer number.
static CONTACT_NUMBERS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        // Mobile, also +86 and 3-4-4 with dashes (spaces are gone after normalising).
        re("(?:\\+?86-?)?1[3-9][0-9]-?[0-9]{4}-?[0-9]{4}"),
        // Landline with area code: 023-58123456, 02358123456, (023)58123456.
        re("0[1-9][0-9]{1,2}-?[2-8][0-9]{6,7}"),
        re("\\(0[1-9][0-9]{1,2}\\)-?[2-8][0-9]{6,7}"),
        // Nationwide service numbers: 400-123-4567, 4008-123-456.
        re("[48]00-?[0-9]{3}-?[0-9]{4}|[48]00[0-9]-?[0-9]{3}-?[0-9]{3}"),
        // A local number announced as one: 电话：58123456.
        re("(?:电话|座机|热线|tel|致电|拨打|联系方式)(?:号码)?:?[2-8][0-9]{6,7}"),
        // QQ: 5 to 11 digits after the name.
        re("(?:qq|扣扣|企鹅)(?:号|群)?(?:号码)?[:=]?[1-9][0-9]{4,10}"),
    ]
});

static CONTACT_OTHER: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        // WeChat ids after the name or its usual disguises.
        re("(?:微信号?|weixin|wechat|vx|wx|v信|薇信|威信|徽信|维信)(?:号|id)?[:=]?(?:同号)?[:=]?[a-z0-9_-]{5,}"),
        re("[a-z0-9._%+-]+@[a-z0-9-]+(?:\\.[a-z0-9-]+)+"),
        re("(?:https?://|www\\.)[a-z0-9./?#=%_:+-]+"),
    ]
});

/// Phone numbers spelled in Chinese numerals (一三八…) to get past digit filters.
static NUMERAL_RUN: LazyLock<Regex> = LazyLock::new(|| re("[0-9零〇一二三四五六七八九幺壹贰叁肆伍陆柒捌玖]{8,}"));

/// Whether free text a company sends (a reject note, an interview note) carries a phone number,
/// WeChat/QQ id, e-mail or link, by the same patterns the posting rule uses.
pub fn has_contact_details(text: &str) -> bool {
    !contact_details(&normalize(text)).is_empty()
}

fn contact_details(text: &str) -> Vec<Range<usize>> {
    let mut hits: Vec<Range<usize>> = Vec::new();
    for pattern in CONTACT_NUMBERS.iter() {
        hits.extend(pattern.find_iter(text).map(|m| m.range()).filter(|r| !inside_number(text, r)));
    }
    for pattern in CONTACT_OTHER.iter() {
        hits.extend(pattern.find_iter(text).map(|m| m.range()));
    }
    // All-digit runs are dates, amounts and the like; only spelled-out numerals disguise.
    hits.extend(
        NUMERAL_RUN.find_iter(text).filter(|m| m.as_str().chars().any(|c| !c.is_ascii_digit())).map(|m| m.range()),
    );
    hits
}

// ---------------------------------------------------------------------------------------------
// 薪资须真实合理

/// Income claims: a period, maybe a boast, then an amount (or a range whose top counts).
static INCOME_CLAIM: LazyLock<Regex> = LazyLock::new(|| {
    let amount = "[0-9]+(?:\\.[0-9]+)?|[一二两三四五六七八九十]";
    let unit = "万|千|k|w|元|块";
    re(&format!(
        "(?:轻松)?(?P<period>月入|月薪|月赚|月收入|月工资|日结|日薪|日赚|日入|年薪|年入)(?:轻松)?(?:过|上|破|超过|超|达到|达|高达|可达|最高|约|可)?(?P<num>{amount})?(?P<unit>{unit})?(?:(?:-|~|至|到)(?P<num2>{amount})(?P<unit2>{unit})?)?"
    ))
});

/// Come-ons that promise easy money whatever the salary says.
const GET_RICH_TITLES: [&str; 5] = ["日赚", "躺赚", "轻松月入", "轻松赚", "日入过万"];

/// Days worked in a month, for turning a daily rate into a monthly one. Below the legal average
/// of 21.75, since day labourers rarely work every working day: a daily figure is not blown up.
const DAYS_PER_MONTH: f64 = 20.0;
/// Months of pay in a year, for turning a yearly figure into a monthly one. Many employers pay
/// 13 or 14 months (年终奖, 十三薪), so a yearly figure is not blown up either.
const PAID_MONTHS_PER_YEAR: f64 = 14.0;

fn salary_claims(text: &str, salary: &Salary, is_title: bool) -> Vec<Range<usize>> {
    let mut hits: Vec<Range<usize>> = Vec::new();
    if is_title {
        for word in GET_RICH_TITLES {
            hits.extend(text.match_indices(word).map(|(at, w)| at..at + w.len()));
        }
    }
    // A negotiable salary makes no promise the text could outbid.
    let Some(max) = salary.max_monthly() else { return hits };
    for caps in INCOME_CLAIM.captures_iter(text) {
        let (Some(whole), Some(period)) = (caps.get(0), caps.name("period")) else { continue };
        let (number, unit) = match (caps.name("num2"), caps.name("num")) {
            (Some(n2), _) => (Some(n2.as_str()), caps.name("unit2").or(caps.name("unit")).map(|u| u.as_str())),
            (None, n) => (n.map(|n| n.as_str()), caps.name("unit").map(|u| u.as_str())),
        };
        let Some(amount) = claimed_yuan(number, unit) else { continue };
        let monthly = match period.as_str() {
            "日结" | "日薪" | "日赚" | "日入" => amount * DAYS_PER_MONTH,
            "年薪" | "年入" => amount / PAID_MONTHS_PER_YEAR,
            _ => amount,
        };
        if monthly > f64::from(max) {
            hits.push(whole.range());
        }
    }
    hits
}

/// Yuan in `number` `unit`: 8000, 1.5万, 8k, 两万; a bare 万 (月入过万) is 10000.
fn claimed_yuan(number: Option<&str>, unit: Option<&str>) -> Option<f64> {
    let multiplier = match unit {
        Some("万" | "w") => 10_000.0,
        Some("千" | "k") => 1_000.0,
        _ => 1.0,
    };
    let value = match number {
        None if multiplier > 1.0 => 1.0,
        None => return None,
        Some(n) => match n {
            "一" => 1.0,
            "二" | "两" => 2.0,
            "三" => 3.0,
            "四" => 4.0,
            "五" => 5.0,
            "六" => 6.0,
            "七" => 7.0,
            "八" => 8.0,
            "九" => 9.0,
            "十" => 10.0,
            digits => digits.parse::<f64>().ok()?,
        },
    };
    Some(value * multiplier)
}

// ---------------------------------------------------------------------------------------------
// 禁止重复发布 and 含有禁用词

/// The title as compared for duplicates: normalised, without bracketed tags such as （急招） or
/// 【急聘】, which companies add to make a repost look new.
fn title_key(title: &str) -> String {
    let mut key = String::new();
    let mut depth = 0usize;
    for c in normalize(title).chars() {
        match c {
            '(' | '[' | '【' | '〔' | '［' | '「' | '『' | '〖' => depth += 1,
            ')' | ']' | '】' | '〕' | '］' | '」' | '』' | '〗' => depth = depth.saturating_sub(1),
            _ if depth == 0 => key.push(c),
            _ => {}
        }
    }
    // A title that is nothing but a tag still has to be compared by something.
    if key.is_empty() { normalize(title) } else { key }
}

fn is_duplicate(title: &str, existing: &[String]) -> bool {
    let key = title_key(title);
    !key.is_empty() && existing.iter().any(|t| title_key(t) == key)
}

fn banned_words(text: &str, words: &[String]) -> Vec<Range<usize>> {
    let mut hits = Vec::new();
    for word in words {
        let word = normalize(word);
        if word.is_empty() {
            continue;
        }
        if let Some(at) = text.find(&word) {
            hits.push(at..at + word.len());
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    const MONTHLY: Salary = Salary::Monthly { min: 5000, max: 8000 };

    fn check_text(title: &str, description: &str, salary: &Salary) -> Vec<Violation> {
        check(&PostingText { title, description, salary }, &RuleContext::default())
    }

    /// The violations of one rule in a description, as (evidence) strings.
    fn evidence(rule: Rule, description: &str) -> Vec<String> {
        check_text("厨师", description, &MONTHLY).into_iter().filter(|v| v.rule == rule).map(|v| v.evidence).collect()
    }

    fn assert_flags(rule: Rule, description: &str, expected: &str) {
        let found = evidence(rule, description);
        assert!(
            found.iter().any(|e| e == expected),
            "{rule:?} should flag {expected:?} in {description:?}, got {found:?}"
        );
    }

    fn assert_clean(rule: Rule, description: &str) {
        let found = evidence(rule, description);
        assert!(found.is_empty(), "{rule:?} should not flag {description:?}, got {found:?}");
    }

    const CLEAN_AD: &str = "万州区高笋塘商圈老字号川菜馆诚聘中餐厨师2名。岗位职责：负责热菜、凉菜的烹制与出品，\
        熟悉川菜和万州烤鱼做法者优先；严格执行食品安全制度，保持后厨卫生，配合厨师长做好菜品研发。\
        任职要求：两年以上厨师工作经验，持有效健康证，男女不限，年满18周岁，吃苦耐劳、有团队精神。\
        薪资待遇：月薪5000-8000元，五险一金，包吃包住，每月休息4天，带薪年假，节日福利，年终奖。\
        公司承担入职体检费，免费提供工装，不收取任何费用。工作地点：万州区高笋塘广场附近，交通便利。";

    #[test]
    fn rules_have_codes_and_names() {
        let codes: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(
            codes,
            [
                "rule.fee_demand",
                "rule.discrimination",
                "rule.contact_in_text",
                "rule.salary",
                "rule.duplicate",
                "rule.banned_word"
            ]
        );
        assert_eq!(Rule::FeeDemand.name(), "禁止向求职者收费");
        assert_eq!(Rule::BannedWord.name(), "含有禁用词");
    }

    #[test]
    fn a_clean_realistic_ad_passes() {
        assert!(CLEAN_AD.chars().count() >= 180, "the ad should be realistic in length");
        let salary = Salary::Monthly { min: 5000, max: 8000 };
        let ctx = RuleContext {
            banned_words: &["赌博".to_string(), "传销".to_string()],
            existing_titles: &["面点师".to_string(), "服务员（急招）".to_string()],
        };
        let found = check(&PostingText { title: "中餐厨师（包吃住）", description: CLEAN_AD, salary: &salary }, &ctx);
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn normalisation_maps_matches_back_to_the_original() {
        let n = Normalized::new("加 ＶＸ： Ab_12 345 好");
        assert_eq!(n.text, "加vx:ab_12345好");
        let at = n.text.find("vx").unwrap();
        assert_eq!(n.original(&(at..at + 2)), "ＶＸ");
        assert_eq!(n.original(&(0..n.text.len())), "加 ＶＸ： Ab_12 345 好");
        assert_eq!(n.original(&(3..3)), "", "an empty range has no evidence");
        assert_eq!(normalize("　Ｈｅｌｌｏ\u{200B} ３"), "hello3");
    }

    // --- 禁止向求职者收费

    #[test]
    fn fee_demands_are_flagged() {
        assert_flags(Rule::FeeDemand, "入职需交押金200元，工资月结。", "需交押金200元");
        assert_flags(Rule::FeeDemand, "上岗前统一培训，培训费自理。", "培训费自理");
        assert_flags(Rule::FeeDemand, "服装费300元从工资里扣。", "服装费300元从工资里扣");
        assert_flags(Rule::FeeDemand, "体检费由个人承担。", "体检费由个人承担");
        assert_flags(Rule::FeeDemand, "面试合格后先交500元即可上岗。", "先交500元");
        assert_flags(Rule::FeeDemand, "本中心收取报名费50元。", "报名费");
        assert_flags(Rule::FeeDemand, "介绍成功收中介费。", "中介费");
        assert_flags(Rule::FeeDemand, "缴纳 保证金 1000 元后安排工作", "缴纳 保证金");
        assert_flags(Rule::FeeDemand, "入职须缴纳３００元", "须缴纳３００元");
        assert_flags(Rule::FeeDemand, "押金：800元，做满三个月退还。", "押金：800元");
        assert_flags(Rule::FeeDemand, "需要交纳一定的押金。", "需要交纳一定的押金");
        assert_flags(Rule::FeeDemand, "不满一个月离职扣押金。", "扣押金");
    }

    #[test]
    fn denials_and_employer_paid_fees_are_not_flagged() {
        for text in [
            "无押金，当天面试当天上岗。",
            "本公司不收取任何费用，谨防上当受骗。",
            "公司承担体检费。",
            "免费培训，带薪学习。",
            "报销体检费，提供工装。",
            "不收取任何押金和培训费。",
            "零押金、零保证金。",
            "体检费用由公司承担。",
            "入职体检费200元公司全额报销。",
            "无需交纳押金。",
            "五险一金个人部分需缴纳约300元，公司依法代扣。",
            "负责收银、结账，交接班清点备用金。",
        ] {
            assert_clean(Rule::FeeDemand, text);
        }
    }

    #[test]
    fn a_denial_does_not_excuse_a_later_demand() {
        assert_flags(Rule::FeeDemand, "无押金，但需交培训费500元。", "需交培训费500元");
    }

    // --- 禁止歧视性要求

    #[test]
    fn gender_requirements_are_flagged() {
        assert_flags(Rule::Discrimination, "限男性，能吃苦。", "限男性");
        assert_flags(Rule::Discrimination, "仅限男，身体健康。", "仅限男");
        assert_flags(Rule::Discrimination, "只招男生。", "只招男生");
        assert_flags(Rule::Discrimination, "女性优先。", "女性优先");
        assert_flags(Rule::Discrimination, "只要女的。", "只要女的");
        assert_flags(Rule::Discrimination, "性别：女，形象好。", "性别：女");
        assert_flags(Rule::Discrimination, "本厂招女工若干。", "招女工");
        assert_flags(Rule::Discrimination, "要求：女性，形象气质佳。", "要求：女性");
    }

    #[test]
    fn ethnicity_marriage_and_household_requirements_are_flagged() {
        assert_flags(Rule::Discrimination, "限汉族。", "限汉族");
        assert_flags(Rule::Discrimination, "少数民族勿扰。", "少数民族勿扰");
        assert_flags(Rule::Discrimination, "要求已婚已育。", "已婚已育");
        assert_flags(Rule::Discrimination, "未婚优先。", "未婚");
        assert_flags(Rule::Discrimination, "两年内无生育计划。", "两年内无生育");
        assert_flags(Rule::Discrimination, "需本地户口。", "本地户口");
        assert_flags(Rule::Discrimination, "限本地户籍。", "限本地户籍");
        assert_flags(Rule::Discrimination, "非农业户口。", "非农业户口");
        assert_flags(Rule::Discrimination, "外地人勿扰。", "外地人勿扰");
    }

    #[test]
    fn age_limits_below_sixty_are_flagged() {
        assert_flags(Rule::Discrimination, "25岁以下，形象好。", "25岁以下");
        assert_flags(Rule::Discrimination, "35岁以下。", "35岁以下");
        assert_flags(Rule::Discrimination, "年龄18-30岁。", "年龄18-30岁");
        assert_flags(Rule::Discrimination, "年龄：20～35", "年龄：20～35");
        assert_flags(Rule::Discrimination, "限30岁以内。", "限30岁以内");
        assert_flags(Rule::Discrimination, "18至35周岁。", "18至35周岁");
        assert_flags(Rule::Discrimination, "年龄不超过45岁。", "不超过45岁");
        assert_flags(Rule::Discrimination, "40岁以上勿扰。", "40岁以上勿扰");
        assert_flags(Rule::Discrimination, "95后优先。", "95后优先");
    }

    #[test]
    fn lawful_and_inclusive_wording_is_not_discrimination() {
        for text in [
            "男女不限。",
            "性别不限，年龄不限。",
            "不限男女，不限户籍。",
            "男、女均可。",
            "性别：男女不限。",
            "要求男女不限。",
            "年满18周岁，身体健康。",
            "18岁以上，18-60岁均可报名。",
            "严禁招用16周岁以下未成年人。",
            "未满18周岁者须有监护人同意。",
            "五险一金，包吃包住。",
            "汉族、少数民族均可。",
            "已婚未婚均可，婚否不限。",
            "已婚员工可申请夫妻房。",
            "本地外地均可，户籍不限。",
            "可协助办理本地户口。",
            "负责10-12岁学生的课后辅导。",
            "照顾1-3岁宝宝的日常起居。",
            "熟悉本地路线优先。",
            "服务对象以女性客户为主。",
            "工作经验3-5年，月薪5000-8000元。",
        ] {
            assert_clean(Rule::Discrimination, text);
        }
    }

    // --- 禁止在正文中留联系方式

    #[test]
    fn phone_numbers_are_flagged() {
        assert_flags(Rule::ContactInText, "有意者请致电13812345678。", "13812345678");
        assert_flags(Rule::ContactInText, "电话 138 1234 5678 王经理", "138 1234 5678");
        assert_flags(Rule::ContactInText, "电话：138-1234-5678", "138-1234-5678");
        assert_flags(Rule::ContactInText, "手机：+86 139 0000 1111", "+86 139 0000 1111");
        assert_flags(Rule::ContactInText, "座机023-58123456", "023-58123456");
        assert_flags(Rule::ContactInText, "联系(023)58123456", "(023)58123456");
        assert_flags(Rule::ContactInText, "电话：58123456", "电话：58123456");
        assert_flags(Rule::ContactInText, "热线：400-123-4567", "400-123-4567");
        assert_flags(Rule::ContactInText, "热线：4008-123-456", "4008-123-456");
        assert_flags(Rule::ContactInText, "电话一三八一二三四五六七八", "一三八一二三四五六七八");
        assert_flags(Rule::ContactInText, "手机：１３８１２３４５６７８", "１３８１２３４５６７８");
    }

    #[test]
    fn chat_ids_emails_and_links_are_flagged() {
        assert_flags(Rule::ContactInText, "加微信：wz_chef2024 详聊", "微信：wz_chef2024");
        assert_flags(Rule::ContactInText, "VX: abc12345", "VX: abc12345");
        assert_flags(Rule::ContactInText, "v信 zhangsan88", "v信 zhangsan88");
        assert_flags(Rule::ContactInText, "薇信wzhr-001", "薇信wzhr-001");
        assert_flags(Rule::ContactInText, "QQ：123456789", "QQ：123456789");
        assert_flags(Rule::ContactInText, "扣扣 88886666", "扣扣 88886666");
        assert_flags(Rule::ContactInText, "简历发送至 hr@example.com", "hr@example.com");
        assert_flags(Rule::ContactInText, "详情见 https://example.com/jobs?id=1", "https://example.com/jobs?id=1");
        assert_flags(Rule::ContactInText, "官网www.example.cn", "www.example.cn");
    }

    #[test]
    fn ordinary_numbers_are_not_contact_details() {
        for text in [
            "月薪5000-8000元，工作时间9:00-18:00。",
            "2024年05月01日起上岗，13000-18000元/月。",
            "月薪4000-10000元，年薪40000-80000元。",
            "熟练使用微信、QQ等办公软件。",
            "支持微信支付结算。",
            "每周一二三四五上班，周末双休。",
            "营业面积1200平方米，日接待顾客300人次。",
            "统一社会信用代码91350100M000100Y43。",
        ] {
            assert_clean(Rule::ContactInText, text);
        }
    }

    // --- 薪资须真实合理

    #[test]
    fn promises_above_the_salary_are_flagged() {
        assert_flags(Rule::SalarySanity, "做得好月入过万！", "月入过万");
        assert_flags(Rule::SalarySanity, "日结500，多劳多得。", "日结500");
        assert_flags(Rule::SalarySanity, "轻松月入3万。", "轻松月入3万");
        assert_flags(Rule::SalarySanity, "熟练工月薪1-1.5万。", "月薪1-1.5万");
        assert_flags(Rule::SalarySanity, "年薪20万起。", "年薪20万");
    }

    #[test]
    fn claims_within_the_salary_and_negotiable_boasts_pass() {
        for text in ["月薪5000-8000元。", "月入8000不是梦。", "日结200-400元。", "日结工资，当天结算。", "年薪11万。"]
        {
            assert_clean(Rule::SalarySanity, text);
        }
        let found = check_text("厨师", "高薪诚聘，月入过万，待遇从优。", &Salary::Negotiable);
        assert!(found.iter().all(|v| v.rule != Rule::SalarySanity), "{found:?}");
    }

    #[test]
    fn get_rich_titles_are_flagged_whatever_the_salary() {
        let found =
            check_text("日赚300轻松兼职", "在家用手机即可完成简单任务，详情请面试时了解。", &Salary::Negotiable);
        let v: Vec<(&str, &str)> = found.iter().map(|v| (v.field, v.evidence.as_str())).collect();
        assert_eq!(v, [("title", "日赚")]);
        assert!(found[0].message.starts_with("违反「薪资须真实合理」：“日赚”"));
        let found = check_text("躺赚项目招募", "详情请面试时了解，欢迎有意者前来面谈沟通。", &Salary::Negotiable);
        assert_eq!(found.len(), 1);
        assert_eq!(check_text("轻松月入过万", "详情请面试时了解，欢迎有意者前来面谈沟通。", &MONTHLY).len(), 1);
    }

    #[test]
    fn an_invalid_stored_salary_is_flagged_on_salary_min() {
        let bad = Salary::Monthly { min: 300, max: 5000 };
        let found = check_text("厨师", "负责后厨热菜出品，服从厨师长安排。", &bad);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].rule, found[0].field), (Rule::SalarySanity, "salary_min"));
        assert_eq!(found[0].evidence, "300-5000元/月");
    }

    // --- 禁止重复发布

    #[test]
    fn duplicates_ignore_tags_spacing_and_width() {
        let existing = ["中餐厨师".to_string(), "服务员（急招）".to_string()];
        let ctx = RuleContext { banned_words: &[], existing_titles: &existing };
        let dup = |title: &str| {
            check(&PostingText { title, description: "负责日常工作。", salary: &MONTHLY }, &ctx)
                .into_iter()
                .any(|v| v.rule == Rule::Duplicate)
        };
        assert!(dup("中餐厨师"));
        assert!(dup("中餐厨师（急招）"));
        assert!(dup("【急聘】中餐 厨师"));
        assert!(dup("服务员"));
        assert!(dup("服务员[包吃住]"));
        assert!(!dup("西餐厨师"));
        assert!(!dup("中餐厨师长"));
        assert!(!dup("（急招）"), "a tag alone is compared as it is");
    }

    #[test]
    fn duplicate_violation_quotes_the_title() {
        let existing = ["保安".to_string()];
        let ctx = RuleContext { banned_words: &[], existing_titles: &existing };
        let found = check(&PostingText { title: " 保安【急招】", description: "", salary: &MONTHLY }, &ctx);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].rule, found[0].field, found[0].evidence.as_str()),
            (Rule::Duplicate, "title", "保安【急招】")
        );
    }

    // --- 含有禁用词

    #[test]
    fn banned_words_match_case_and_width_insensitively() {
        let words = ["传销".to_string(), "Bitcoin".to_string(), "  ".to_string()];
        let ctx = RuleContext { banned_words: &words, existing_titles: &[] };
        let text =
            PostingText {
                title: "区块链客服", description: "推广ＢＩＴ ＣＯＩＮ理财，非传 销。", salary: &MONTHLY
            };
        let found = check(&text, &ctx);
        let v: Vec<(&str, &str)> = found.iter().map(|v| (v.field, v.evidence.as_str())).collect();
        assert_eq!(v, [("description", "ＢＩＴ ＣＯＩＮ"), ("description", "传 销")]);
    }

    #[test]
    fn no_banned_words_no_violation() {
        let words = ["传销".to_string()];
        let ctx = RuleContext { banned_words: &words, existing_titles: &[] };
        let found = check(&PostingText { title: "销售代表", description: "负责门店销售。", salary: &MONTHLY }, &ctx);
        assert!(found.is_empty(), "{found:?}");
    }

    // --- All together

    #[test]
    fn every_violation_is_reported_in_a_stable_order() {
        let words = ["兼职刷单".to_string()];
        let ctx = RuleContext { banned_words: &words, existing_titles: &[] };
        let text = PostingText {
            title: "限男性 仓库管理员",
            description: "入职需交押金300元，年龄18-35岁。联系电话13812345678，微信同号。",
            salary: &MONTHLY,
        };
        let found = check(&text, &ctx);
        let v: Vec<(Rule, &str, &str)> = found.iter().map(|v| (v.rule, v.field, v.evidence.as_str())).collect();
        assert_eq!(
            v,
            [
                (Rule::FeeDemand, "description", "需交押金300元"),
                (Rule::Discrimination, "title", "限男性"),
                (Rule::Discrimination, "description", "年龄18-35岁"),
                (Rule::ContactInText, "description", "13812345678"),
            ]
        );
        assert_eq!(
            found[0].message,
            "违反「禁止向求职者收费」：“需交押金300元”。招聘过程中不得以任何名义向求职者收取费用"
        );
        assert_eq!(check(&text, &ctx), found, "the same text gives the same answer");
    }
}
