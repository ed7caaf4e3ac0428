//! The marketplace's use cases: organisations, jobs, resumes and the quota that pays for
//! placements and unlocks. Every read a recruiter makes of a resume, and every read of a job's
//! contact details, is decided by `rencai_domain::access`.

pub mod actor;
pub mod alerts;
pub mod applications;
pub mod attachments;
pub mod companies;
pub mod favourites;
pub mod jobs;
pub mod light;
pub mod matching;
pub mod members;
pub mod meter;
pub mod moderation;
pub mod org_files;
pub mod quota;
pub mod realname;
pub mod resume_pdf;
pub mod resumes;
pub mod terms;

use rencai_domain::validate::FieldIssue;

use crate::AppError;
use crate::error::FieldError;

/// Turns the domain's field issues into one validation error listing each of them.
pub fn invalid(code: &'static str, message: &str, issues: Vec<FieldIssue>) -> AppError {
    AppError::Validation {
        code,
        message: message.to_string(),
        fields: issues
            .into_iter()
            .map(|i| FieldError { field: i.field, code: i.code.to_string(), message: i.message })
            .collect(),
    }
}

/// A page of a list: total matches, the items, and the page number (from 1).
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub total: u64,
    pub items: Vec<T>,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}

/// A page number and size from user input, clamped to what lists allow.
/// A filter's taxonomy code from a query (blank: no filter); an unknown one is noted in
/// `issues` as `filter.unknown_code`.
pub(crate) fn filter_code(
    terms: &terms::Terms,
    kind: rencai_domain::taxonomy::TaxonomyKind,
    field: &'static str,
    v: &Option<String>,
    issues: &mut Vec<FieldIssue>,
) -> Option<String> {
    let v = v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    if let Some(c) = &v
        && !terms.known(kind, c)
    {
        issues.push(FieldIssue::new(field, "filter.unknown_code", "没有这个筛选项。"));
    }
    v
}

pub fn paging(page: Option<u64>, per_page: Option<u64>) -> (u64, u64) {
    let per_page = per_page.unwrap_or(20).clamp(1, 50);
    let page = page.unwrap_or(1).clamp(1, 10_000);
    (page, per_page)
}

/// Reads an optional number from a query string where an empty value (`salary_min=`, as a
/// form with an empty field sends it) means "not given".
pub fn empty_as_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
{
    use serde::Deserialize;
    let s: Option<String> = Option::deserialize(d)?;
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| serde::de::Error::custom("not a number")),
    }
}
