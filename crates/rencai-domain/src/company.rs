//! Companies (M3): the unified social credit code, the profile a company fills in, and the
//! verification a company goes through before it gets the verified badge.

use std::fmt;

use crate::geo::LatLng;
use crate::taxonomy::TaxonomyKind;
use crate::validate::{FieldIssue, Issues};

/// The 31 characters GB 32100-2015 allows: digits and capitals without I, O, Z, S and V, which
/// are too easily mistaken for 1, 0, 2, 5 and U. A character's value is its position here.
const CREDIT_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

fn credit_value(c: char) -> Option<u32> {
    // The alphabet is ASCII, so the byte position is the character's value.
    CREDIT_ALPHABET.find(c).and_then(|i| u32::try_from(i).ok())
}

/// The check character (the 18th) for the first 17 characters of a unified social credit code,
/// or `None` when `first17` is not exactly 17 characters of the code's alphabet (upper case).
pub fn credit_code_check_char(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut count = 0usize;
    for c in first17.chars() {
        let weight = CREDIT_WEIGHTS.get(count)?;
        sum += credit_value(c)? * weight;
        count += 1;
    }
    if count != CREDIT_WEIGHTS.len() {
        return None;
    }
    let index = (31 - sum % 31) % 31;
    CREDIT_ALPHABET.chars().nth(index as usize)
}

/// A unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters whose last one
/// checks the others. Stored upper case, so two spellings of one code compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("统一社会信用代码应为18位")]
    Length,
    #[error("统一社会信用代码只含数字和大写字母（不含 I、O、Z、S、V），请核对")]
    BadCharacter,
    #[error("统一社会信用代码校验位不正确，请对照营业执照核对")]
    CheckDigit,
}

impl CreditCodeError {
    /// Stable code for the API and forms.
    pub fn code(self) -> &'static str {
        match self {
            CreditCodeError::Length => "company.credit_code_length",
            CreditCodeError::BadCharacter => "company.credit_code_character",
            CreditCodeError::CheckDigit => "company.credit_code_check",
        }
    }
}

impl CreditCode {
    pub fn parse(input: &str) -> Result<Self, CreditCodeError> {
        let code = input.trim().to_uppercase();
        if code.chars().count() != 18 {
            return Err(CreditCodeError::Length);
        }
        if !code.chars().all(|c| credit_value(c).is_some()) {
            return Err(CreditCodeError::BadCharacter);
        }
        // All 18 characters are ASCII now, so byte slicing is character slicing.
        let (body, check) = code.split_at(17);
        match credit_code_check_char(body) {
            Some(expected) if check.starts_with(expected) => Ok(Self(code)),
            _ => Err(CreditCodeError::CheckDigit),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for CreditCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

/// Who a company account recruits for: itself, or (as a licensed HR agency) its clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CompanyKind {
    Employer,
    Agency,
}

impl CompanyKind {
    pub const ALL: [CompanyKind; 2] = [CompanyKind::Employer, CompanyKind::Agency];

    pub fn as_str(self) -> &'static str {
        match self {
            CompanyKind::Employer => "employer",
            CompanyKind::Agency => "agency",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            CompanyKind::Employer => "招聘企业",
            CompanyKind::Agency => "人力资源机构",
        }
    }
}

/// Head count of a company, in the bands Chinese job sites use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum CompanySize {
    #[serde(rename = "lt-20")]
    Under20,
    #[serde(rename = "20-99")]
    From20To99,
    #[serde(rename = "100-499")]
    From100To499,
    #[serde(rename = "500-999")]
    From500To999,
    #[serde(rename = "1000-9999")]
    From1000To9999,
    #[serde(rename = "gt-10000")]
    Over10000,
}

impl CompanySize {
    pub const ALL: [CompanySize; 6] = [
        CompanySize::Under20,
        CompanySize::From20To99,
        CompanySize::From100To499,
        CompanySize::From500To999,
        CompanySize::From1000To9999,
        CompanySize::Over10000,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CompanySize::Under20 => "lt-20",
            CompanySize::From20To99 => "20-99",
            CompanySize::From100To499 => "100-499",
            CompanySize::From500To999 => "500-999",
            CompanySize::From1000To9999 => "1000-9999",
            CompanySize::Over10000 => "gt-10000",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            CompanySize::Under20 => "20人以下",
            CompanySize::From20To99 => "20-99人",
            CompanySize::From100To499 => "100-499人",
            CompanySize::From500To999 => "500-999人",
            CompanySize::From1000To9999 => "1000-9999人",
            CompanySize::Over10000 => "10000人以上",
        }
    }
}

/// Ownership type (企业性质).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ownership {
    Private,
    State,
    Foreign,
    Joint,
    PublicInstitution,
    Government,
    Individual,
    Other,
}

impl Ownership {
    pub const ALL: [Ownership; 8] = [
        Ownership::Private,
        Ownership::State,
        Ownership::Foreign,
        Ownership::Joint,
        Ownership::PublicInstitution,
        Ownership::Government,
        Ownership::Individual,
        Ownership::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Ownership::Private => "private",
            Ownership::State => "state",
            Ownership::Foreign => "foreign",
            Ownership::Joint => "joint",
            Ownership::PublicInstitution => "public-institution",
            Ownership::Government => "government",
            Ownership::Individual => "individual",
            Ownership::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Ownership::Private => "民营企业",
            Ownership::State => "国有企业",
            Ownership::Foreign => "外资企业",
            Ownership::Joint => "合资企业",
            Ownership::PublicInstitution => "事业单位",
            Ownership::Government => "机关/社会团体",
            Ownership::Individual => "个体工商户",
            Ownership::Other => "其他",
        }
    }
}

/// Where a company stands in staff verification; only `Verified` earns the badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    Unverified,
    Pending,
    Verified,
    Rejected,
}

/// A verification step that the current state does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TransitionError {
    pub from: Verification,
    pub to: Verification,
    /// zh-CN, says what to do instead.
    pub message: &'static str,
}

impl Verification {
    pub const ALL: [Verification; 4] =
        [Verification::Unverified, Verification::Pending, Verification::Verified, Verification::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            Verification::Unverified => "unverified",
            Verification::Pending => "pending",
            Verification::Verified => "verified",
            Verification::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Verification::Unverified => "未认证",
            Verification::Pending => "审核中",
            Verification::Verified => "已认证",
            Verification::Rejected => "未通过",
        }
    }

    fn refuse(self, to: Verification, message: &'static str) -> TransitionError {
        TransitionError { from: self, to, message }
    }

    /// The company hands in its qualification documents. A rejected company may try again.
    pub fn submit(self) -> Result<Verification, TransitionError> {
        match self {
            Verification::Unverified | Verification::Rejected => Ok(Verification::Pending),
            Verification::Pending => Err(self.refuse(Verification::Pending, "认证资料正在审核中，请耐心等待")),
            Verification::Verified => Err(self.refuse(Verification::Pending, "企业已通过认证，无需再次提交")),
        }
    }

    /// Staff accept the documents.
    pub fn approve(self) -> Result<Verification, TransitionError> {
        match self {
            Verification::Pending => Ok(Verification::Verified),
            _ => Err(self.refuse(Verification::Verified, "只有审核中的企业可以通过认证")),
        }
    }

    /// Staff turn the documents down; the company sees the reason elsewhere and may resubmit.
    pub fn reject(self) -> Result<Verification, TransitionError> {
        match self {
            Verification::Pending => Ok(Verification::Rejected),
            _ => Err(self.refuse(Verification::Rejected, "只有审核中的企业可以驳回认证")),
        }
    }
}

/// The company profile form as submitted: raw text, checked by [`CompanyProfileInput::parse`].
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct CompanyProfileInput {
    pub name: String,
    pub credit_code: String,
    /// Industry taxonomy code.
    pub industry: String,
    /// [`CompanySize`] code.
    pub size: String,
    /// [`Ownership`] code.
    pub ownership: String,
    /// District taxonomy code.
    pub district: String,
    pub address: String,
    pub intro: String,
    pub contact_name: String,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
}

/// A checked company profile.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyProfile {
    pub name: String,
    pub credit_code: CreditCode,
    pub industry: String,
    pub size: CompanySize,
    pub ownership: Ownership,
    pub district: String,
    pub address: String,
    /// May be empty.
    pub intro: String,
    pub contact_name: String,
    /// Where the company is on the map, if it said.
    pub point: Option<LatLng>,
}

impl CompanyProfileInput {
    /// Checks every field and reports every problem at once. `known(kind, code)` says whether
    /// `code` is a current term of the taxonomy (the lists live in the database).
    pub fn parse(self, known: &dyn Fn(TaxonomyKind, &str) -> bool) -> Result<CompanyProfile, Vec<FieldIssue>> {
        let mut issues = Issues::default();

        let name = issues.text("name", "企业名称", &self.name, 60);
        if !name.is_empty() && name.chars().count() < 2 {
            issues.push("name", "field.too_short", "企业名称至少2个字");
        }

        let credit_code = if self.credit_code.trim().is_empty() {
            issues.push("credit_code", "field.required", "请填写统一社会信用代码");
            None
        } else {
            match CreditCode::parse(&self.credit_code) {
                Ok(code) => Some(code),
                Err(e) => {
                    issues.push("credit_code", e.code(), e.to_string());
                    None
                }
            }
        };

        let industry =
            taxonomy_term(&mut issues, known, TaxonomyKind::Industry, "industry", "所属行业", &self.industry);
        let size = choice(&mut issues, "size", "企业规模", &self.size, CompanySize::parse);
        let ownership = choice(&mut issues, "ownership", "企业性质", &self.ownership, Ownership::parse);
        let district =
            taxonomy_term(&mut issues, known, TaxonomyKind::District, "district", "所在区域", &self.district);
        let address = issues.text("address", "详细地址", &self.address, 120);
        let intro = issues.optional_text("intro", "企业简介", &self.intro, 5000).unwrap_or_default();
        let contact_name = issues.text("contact_name", "联系人", &self.contact_name, 20);
        let point = parse_point(&mut issues, self.lat, self.lng);

        // Each `None` here has already pushed its issue.
        let (Some(credit_code), Some(size), Some(ownership)) = (credit_code, size, ownership) else {
            return Err(issues.into_vec());
        };
        issues.finish(CompanyProfile {
            name,
            credit_code,
            industry,
            size,
            ownership,
            district,
            address,
            intro,
            contact_name,
            point,
        })
    }
}

/// A required code that must be a current term of `kind`. Shared with the job form.
pub(crate) fn taxonomy_term(
    issues: &mut Issues,
    known: &dyn Fn(TaxonomyKind, &str) -> bool,
    kind: TaxonomyKind,
    field: &str,
    label: &str,
    value: &str,
) -> String {
    let v = value.trim();
    if v.is_empty() {
        issues.push(field, "field.required", format!("请选择{label}"));
    } else if !known(kind, v) {
        issues.push(field, "field.unknown_term", format!("请从列表中选择{label}"));
    }
    v.to_string()
}

/// A required choice among a fixed set of codes.
fn choice<T>(issues: &mut Issues, field: &str, label: &str, value: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
    let v = value.trim();
    if v.is_empty() {
        issues.push(field, "field.required", format!("请选择{label}"));
        return None;
    }
    let parsed = parse(v);
    if parsed.is_none() {
        issues.push(field, "field.invalid_choice", format!("请从列表中选择{label}"));
    }
    parsed
}

/// The optional map point of a form, reported as field `point`: both coordinates or neither,
/// since half a point would put the marker somewhere arbitrary. Shared with the job form.
pub(crate) fn parse_point(issues: &mut Issues, lat: Option<f64>, lng: Option<f64>) -> Option<LatLng> {
    match (lat, lng) {
        (None, None) => None,
        (Some(lat), Some(lng)) => match LatLng::new(lat, lng) {
            Ok(point) => Some(point),
            Err(e) => {
                issues.push("point", "geo.out_of_range", e.to_string());
                None
            }
        },
        _ => {
            issues.push("point", "geo.incomplete", "请在地图上重新选点：经度和纬度需同时提供");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Codes printed on published business licences; each was checked by hand against the
    // GB 32100-2015 algorithm before being used here.
    const VALID_CODES: [&str; 4] =
        ["91350100M000100Y43", "91110000802100433B", "91440300708461136T", "91110108551385082Q"];

    fn known(kind: TaxonomyKind, code: &str) -> bool {
        kind.seed().iter().any(|t| t.code == code)
    }

    fn input() -> CompanyProfileInput {
        CompanyProfileInput {
            name: "重庆三峡味道餐饮管理有限公司".into(),
            credit_code: "91350100M000100Y43".into(),
            industry: "hospitality".into(),
            size: "20-99".into(),
            ownership: "private".into(),
            district: "wz-gaosuntang".into(),
            address: "万州区高笋塘广场12号".into(),
            intro: "".into(),
            contact_name: "李女士".into(),
            lat: Some(30.8084),
            lng: Some(108.3801),
        }
    }

    fn fields(issues: &[FieldIssue]) -> Vec<&str> {
        issues.iter().map(|i| i.field.as_str()).collect()
    }

    #[test]
    fn published_codes_verify() {
        for code in VALID_CODES {
            let parsed = CreditCode::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(parsed.as_str(), code);
            assert_eq!(parsed.to_string(), code);
        }
    }

    #[test]
    fn check_char_matches_the_18th_character() {
        for code in VALID_CODES {
            let (body, check) = code.split_at(17);
            assert_eq!(credit_code_check_char(body).map(String::from), Some(check.to_string()), "{code}");
        }
    }

    #[test]
    fn check_char_refuses_what_is_not_17_valid_characters() {
        assert_eq!(credit_code_check_char("91350100M000100Y"), None, "16 characters");
        assert_eq!(credit_code_check_char("91350100M000100Y43"), None, "18 characters");
        assert_eq!(credit_code_check_char("91350100M00010OY4"), None, "letter O is not used");
        assert_eq!(credit_code_check_char("91350100m000100Y4"), None, "lower case is not the alphabet");
        assert_eq!(credit_code_check_char(""), None);
    }

    #[test]
    fn a_remainder_of_zero_gives_check_char_zero() {
        // Σ = 0 for all zeros, and (31 - 0) mod 31 = 0 picks '0', not an out-of-range 31.
        assert_eq!(credit_code_check_char("00000000000000000"), Some('0'));
    }

    #[test]
    fn codes_are_trimmed_and_upper_cased() {
        let code = CreditCode::parse("  91440300708461136t ").unwrap();
        assert_eq!(code.as_str(), "91440300708461136T");
        assert_eq!(code, CreditCode::parse("91440300708461136T").unwrap());
    }

    #[test]
    fn one_changed_character_fails_the_check() {
        assert_eq!(CreditCode::parse("91350100M000100Y44"), Err(CreditCodeError::CheckDigit));
        assert_eq!(CreditCode::parse("91350100M000200Y43"), Err(CreditCodeError::CheckDigit));
        assert_eq!(CreditCode::parse("91110000802100433C"), Err(CreditCodeError::CheckDigit));
    }

    #[test]
    fn wrong_length_and_characters_are_told_apart() {
        assert_eq!(CreditCode::parse("91350100M000100Y4"), Err(CreditCodeError::Length));
        assert_eq!(CreditCode::parse("91350100M000100Y433"), Err(CreditCodeError::Length));
        assert_eq!(CreditCode::parse(""), Err(CreditCodeError::Length));
        // Eighteen characters, but I, O, S and a Chinese character are outside the alphabet.
        assert_eq!(CreditCode::parse("91350100M0001I0Y43"), Err(CreditCodeError::BadCharacter));
        assert_eq!(CreditCode::parse("91350100MO00100Y43"), Err(CreditCodeError::BadCharacter));
        assert_eq!(CreditCode::parse("91350100S000100Y43"), Err(CreditCodeError::BadCharacter));
        assert_eq!(CreditCode::parse("91350100码000100Y43"), Err(CreditCodeError::BadCharacter));
        assert!(CreditCodeError::CheckDigit.to_string().contains("校验位"));
    }

    #[test]
    fn enums_round_trip_and_have_labels() {
        for k in CompanyKind::ALL {
            assert_eq!(CompanyKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(CompanyKind::Agency.label(), "人力资源机构");
        for s in CompanySize::ALL {
            assert_eq!(CompanySize::parse(s.as_str()), Some(s));
            assert!(s.label().contains('人'), "{s:?}");
        }
        assert_eq!(CompanySize::Under20.label(), "20人以下");
        assert_eq!(CompanySize::parse("gt-10000"), Some(CompanySize::Over10000));
        for o in Ownership::ALL {
            assert_eq!(Ownership::parse(o.as_str()), Some(o));
            assert!(!o.label().is_empty());
        }
        assert_eq!(Ownership::parse("public-institution").map(Ownership::label), Some("事业单位"));
        for v in Verification::ALL {
            assert_eq!(Verification::parse(v.as_str()), Some(v));
        }
        assert_eq!(Verification::Rejected.label(), "未通过");
        assert_eq!(CompanyKind::parse("Employer"), None);
        assert_eq!(CompanySize::parse(""), None);
        assert_eq!(Ownership::parse("PRIVATE"), None);
    }

    #[test]
    fn verification_follows_its_steps() {
        let pending = Verification::Unverified.submit().unwrap();
        assert_eq!(pending, Verification::Pending);
        assert_eq!(pending.approve(), Ok(Verification::Verified));
        let rejected = pending.reject().unwrap();
        assert_eq!(rejected, Verification::Rejected);
        assert_eq!(rejected.submit(), Ok(Verification::Pending), "a rejected company may resubmit");
    }

    #[test]
    fn verification_refuses_steps_out_of_order() {
        let err = Verification::Pending.submit().unwrap_err();
        assert_eq!((err.from, err.to), (Verification::Pending, Verification::Pending));
        assert_eq!(err.to_string(), "认证资料正在审核中，请耐心等待");
        assert!(Verification::Verified.submit().is_err());
        for from in [Verification::Unverified, Verification::Verified, Verification::Rejected] {
            let err = from.approve().unwrap_err();
            assert_eq!(err.from, from);
            assert_eq!(err.to, Verification::Verified);
            assert_eq!(err.to_string(), "只有审核中的企业可以通过认证");
            assert!(from.reject().is_err(), "{from:?}");
        }
    }

    #[test]
    fn a_complete_profile_parses() {
        let p = input().parse(&known).unwrap();
        assert_eq!(p.name, "重庆三峡味道餐饮管理有限公司");
        assert_eq!(p.credit_code.as_str(), "91350100M000100Y43");
        assert_eq!(p.size, CompanySize::From20To99);
        assert_eq!(p.ownership, Ownership::Private);
        assert_eq!(p.intro, "", "an empty introduction is allowed");
        let point = p.point.unwrap();
        assert_eq!((point.lat(), point.lng()), (30.8084, 108.3801));
    }

    #[test]
    fn a_profile_without_a_point_parses() {
        let p = CompanyProfileInput { lat: None, lng: None, ..input() }.parse(&known).unwrap();
        assert_eq!(p.point, None);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = CompanyProfileInput {
            name: "渝".into(),
            credit_code: "91350100M000100Y44".into(),
            industry: "mining".into(),
            size: "huge".into(),
            ownership: "".into(),
            district: "wz-nowhere".into(),
            address: "高".repeat(121),
            intro: "介".repeat(5001),
            contact_name: "  ".into(),
            lat: Some(30.8),
            lng: None,
        };
        let issues = bad.parse(&known).unwrap_err();
        assert_eq!(
            fields(&issues),
            [
                "name",
                "credit_code",
                "industry",
                "size",
                "ownership",
                "district",
                "address",
                "intro",
                "contact_name",
                "point"
            ]
        );
        let code = |field: &str| issues.iter().find(|i| i.field == field).map(|i| i.code);
        assert_eq!(code("name"), Some("field.too_short"));
        assert_eq!(code("credit_code"), Some("company.credit_code_check"));
        assert_eq!(code("industry"), Some("field.unknown_term"));
        assert_eq!(code("size"), Some("field.invalid_choice"));
        assert_eq!(code("ownership"), Some("field.required"));
        assert_eq!(code("address"), Some("field.too_long"));
        assert_eq!(code("contact_name"), Some("field.required"));
        assert_eq!(code("point"), Some("geo.incomplete"));
    }

    #[test]
    fn name_length_is_counted_in_characters() {
        let long = CompanyProfileInput { name: "万".repeat(61), ..input() }.parse(&known).unwrap_err();
        assert_eq!(long[0].code, "field.too_long");
        assert!(CompanyProfileInput { name: "万".repeat(60), ..input() }.parse(&known).is_ok());
        assert!(CompanyProfileInput { name: "万达".into(), ..input() }.parse(&known).is_ok());
    }

    #[test]
    fn missing_credit_code_is_required_not_malformed() {
        let issues = CompanyProfileInput { credit_code: " ".into(), ..input() }.parse(&known).unwrap_err();
        assert_eq!(issues.len(), 1);
        assert_eq!((issues[0].field.as_str(), issues[0].code), ("credit_code", "field.required"));
    }

    #[test]
    fn taxonomy_codes_are_checked_through_the_callback() {
        let nothing_known = |_: TaxonomyKind, _: &str| false;
        let issues = input().parse(&nothing_known).unwrap_err();
        assert_eq!(fields(&issues), ["industry", "district"]);
        assert_eq!(issues[1].message, "请从列表中选择所在区域");
    }

    #[test]
    fn points_off_the_globe_are_refused() {
        let issues = CompanyProfileInput { lat: Some(91.0), ..input() }.parse(&known).unwrap_err();
        assert_eq!(issues.len(), 1);
        assert_eq!((issues[0].field.as_str(), issues[0].code), ("point", "geo.out_of_range"));
        assert_eq!(issues[0].message, "纬度必须在 -90 到 90 之间");
    }
}
