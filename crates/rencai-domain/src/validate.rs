//! Field-level problems found while parsing user input into domain types. The app layer turns
//! them into its `FieldError`s (API `errors`, form messages); the domain only says which field,
//! a stable code and a zh-CN message a person can act on.

/// One problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldIssue {
    /// The form / JSON field name, e.g. `salary_min` or `work[2].company`.
    pub field: String,
    /// Stable code, e.g. `job.salary_range`.
    pub code: &'static str,
    /// zh-CN message.
    pub message: String,
}

impl FieldIssue {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Self { field: field.into(), code, message: message.into() }
    }
}

/// Collects issues while a form is checked, so the user sees every problem at once.
#[derive(Debug, Default)]
pub struct Issues(Vec<FieldIssue>);

impl Issues {
    pub fn push(&mut self, field: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.0.push(FieldIssue::new(field, code, message));
    }

    /// Checks a required text field: trimmed, not empty, at most `max` characters (a Chinese
    /// character counts as one). Returns the trimmed text.
    pub fn text(&mut self, field: &str, label: &str, value: &str, max: usize) -> String {
        let v = value.trim();
        if has_control(v) {
            self.push(field, "field.control_character", format!("{label}含有无法识别的字符"));
            return String::new();
        }
        if v.is_empty() {
            self.push(field, "field.required", format!("请填写{label}"));
        } else if v.chars().count() > max {
            self.push(field, "field.too_long", format!("{label}不能超过{max}个字"));
        }
        v.to_string()
    }

    /// Checks an optional text field; empty becomes `None`.
    pub fn optional_text(&mut self, field: &str, label: &str, value: &str, max: usize) -> Option<String> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        if has_control(v) {
            self.push(field, "field.control_character", format!("{label}含有无法识别的字符"));
            return None;
        }
        if v.chars().count() > max {
            self.push(field, "field.too_long", format!("{label}不能超过{max}个字"));
        }
        Some(v.to_string())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no issue was found, else every issue.
    pub fn finish<T>(self, value: T) -> Result<T, Vec<FieldIssue>> {
        if self.0.is_empty() { Ok(value) } else { Err(self.0) }
    }

    pub fn into_vec(self) -> Vec<FieldIssue> {
        self.0
    }
}

/// Control characters other than tab and line breaks: no one types them, and databases refuse
/// some of them (PostgreSQL text cannot hold NUL).
fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_counts_characters_not_bytes() {
        let mut i = Issues::default();
        assert_eq!(i.text("title", "职位名称", " 万州厨师 ", 4), "万州厨师");
        assert!(i.is_empty());
        i.text("title", "职位名称", "万州大厨师", 4);
        i.text("name", "名称", "  ", 4);
        let v = i.into_vec();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].code, "field.too_long");
        assert_eq!(v[1].code, "field.required");
        assert_eq!(v[1].message, "请填写名称");
    }

    #[test]
    fn control_characters_are_refused() {
        let mut i = Issues::default();
        i.text("title", "职位名称", "厨师\u{0}", 10);
        i.optional_text("intro", "简介", "a\u{7}b", 10);
        assert_eq!(i.into_vec().iter().filter(|x| x.code == "field.control_character").count(), 2);
        let mut i = Issues::default();
        assert_eq!(i.text("d", "描述", "第一行\n第二行", 10), "第一行\n第二行");
        assert!(i.is_empty(), "line breaks are ordinary text");
    }

    #[test]
    fn optional_text_is_none_when_blank() {
        let mut i = Issues::default();
        assert_eq!(i.optional_text("intro", "简介", "   ", 10), None);
        assert!(i.finish(()).is_ok());
    }
}

/// An optional e-mail address: empty is none; otherwise something@domain.tld, at most 120
/// characters, no spaces. The error is the message a form shows.
pub fn email_address(input: &str) -> Result<Option<String>, &'static str> {
    let e = input.trim();
    if e.is_empty() {
        return Ok(None);
    }
    let ok = e.len() <= 120
        && e.split_once('@')
            .is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.'))
        && !e.contains(char::is_whitespace);
    if ok { Ok(Some(e.to_string())) } else { Err("邮箱格式不正确。") }
}

#[cfg(test)]
mod email_tests {
    use super::email_address;

    #[test]
    fn addresses_are_checked_and_empty_is_none() {
        assert_eq!(email_address("  "), Ok(None));
        assert_eq!(email_address(" a@b.cn "), Ok(Some("a@b.cn".into())));
        for bad in ["a@b", "@b.cn", "a b@c.cn", "a@.cn", "a@b.", "plain"] {
            assert!(email_address(bad).is_err(), "{bad}");
        }
    }
}
