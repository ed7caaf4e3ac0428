//! Who an account is: its role and its verified phone number.

use std::fmt;

/// The roles of the public site and the back office. Staff accounts are created only by staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Seeker,
    Company,
    Agency,
    Staff,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Seeker, Role::Company, Role::Agency, Role::Staff];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Seeker => "seeker",
            Role::Company => "company",
            Role::Agency => "agency",
            Role::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The role's name as a person reads it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Seeker => "求职者",
            Role::Company => "企业招聘者",
            Role::Agency => "人力资源服务机构",
            Role::Staff => "平台工作人员",
        }
    }
}

/// A mainland China mobile number, normalized to its 11 digits. Accepts the forms people type:
/// with +86 / 0086 / (+86), spaces and dashes. `Debug` and `Display` mask the middle digits,
/// so a stray `{:?}` cannot leak it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("请输入11位中国大陆手机号码")]
    Invalid,
}

impl Phone {
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let compact: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '\u{3000}')).collect();
        let digits = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("0086"))
            .or_else(|| if compact.len() == 13 { compact.strip_prefix("86") } else { None })
            .unwrap_or(&compact);
        let ok = digits.len() == 11
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits.as_bytes()[0] == b'1'
            && (b'3'..=b'9').contains(&digits.as_bytes()[1]);
        if ok { Ok(Self(digits.to_string())) } else { Err(PhoneError::Invalid) }
    }

    /// The 11 digits, for sealing, the blind index and sending codes. Never for logs or pages.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// `138****5678`, how a number is shown back to its owner.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_forms() {
        for input in ["13812345678", "+86 138 1234 5678", "0086-138-1234-5678", "(+86)13812345678", "8613812345678"] {
            assert_eq!(Phone::parse(input).unwrap().digits(), "13812345678", "{input}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_mobile_number() {
        for input in ["", "1381234567", "138123456789", "12812345678", "23812345678", "1381234567a", "+1 138 1234 5678"]
        {
            assert_eq!(Phone::parse(input), Err(PhoneError::Invalid), "{input}");
        }
    }

    #[test]
    fn debug_and_display_mask() {
        let p = Phone::parse("13812345678").unwrap();
        assert_eq!(format!("{p:?}"), "Phone(138****5678)");
        assert_eq!(p.to_string(), "138****5678");
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}

/// A birth date, as asked at registration (P2). Only the age group derived from it decides
/// anything; the date itself is stored sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BirthDate(chrono::NaiveDate);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BirthDateError {
    #[error("请按 年-月-日 格式填写出生日期，例如 2001-09-15")]
    Format,
    #[error("出生日期不能晚于今天")]
    InFuture,
    #[error("请填写真实的出生日期")]
    Implausible,
}

/// What the age rules make of a person on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeGroup {
    /// Under 16: may not register (P2).
    Child,
    /// 16 or 17: may register after confirming guardian consent or self-support; flagged (P21).
    Minor,
    Adult,
}

impl AgeGroup {
    pub fn as_str(self) -> &'static str {
        match self {
            AgeGroup::Child => "child",
            AgeGroup::Minor => "minor",
            AgeGroup::Adult => "adult",
        }
    }
}

/// Why a 16- or 17-year-old may hold an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MinorBasis {
    /// A guardian agreed.
    GuardianConsent,
    /// The person lives on their own income (以自己的劳动收入为主要生活来源).
    SelfSupport,
}

impl MinorBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            MinorBasis::GuardianConsent => "guardian_consent",
            MinorBasis::SelfSupport => "self_support",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "guardian_consent" => Some(Self::GuardianConsent),
            "self_support" => Some(Self::SelfSupport),
            _ => None,
        }
    }
}

impl BirthDate {
    pub fn parse(input: &str, today: chrono::NaiveDate) -> Result<Self, BirthDateError> {
        let d = chrono::NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").map_err(|_| BirthDateError::Format)?;
        if d > today {
            return Err(BirthDateError::InFuture);
        }
        if today.years_since(d).unwrap_or(0) > 120 {
            return Err(BirthDateError::Implausible);
        }
        Ok(Self(d))
    }

    pub fn date(&self) -> chrono::NaiveDate {
        self.0
    }

    /// Full years on `today` (a birthday counts from its day; 29 February from 1 March in
    /// common years, as chrono computes it).
    pub fn age_on(&self, today: chrono::NaiveDate) -> u32 {
        today.years_since(self.0).unwrap_or(0)
    }

    pub fn age_group(&self, today: chrono::NaiveDate) -> AgeGroup {
        match self.age_on(today) {
            0..=15 => AgeGroup::Child,
            16 | 17 => AgeGroup::Minor,
            _ => AgeGroup::Adult,
        }
    }
}

/// A password that meets the rules: 8–64 characters, with at least one letter and one digit.
/// `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("密码至少 8 位")]
    TooShort,
    #[error("密码最多 64 位")]
    TooLong,
    #[error("密码需同时包含字母和数字")]
    TooSimple,
}

impl Password {
    pub fn parse(input: &str) -> Result<Self, PasswordError> {
        let n = input.chars().count();
        if n < 8 {
            return Err(PasswordError::TooShort);
        }
        if n > 64 {
            return Err(PasswordError::TooLong);
        }
        let letters = input.chars().any(|c| c.is_alphabetic());
        let digits = input.chars().any(|c| c.is_ascii_digit());
        if !letters || !digits {
            return Err(PasswordError::TooSimple);
        }
        Ok(Self(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod age_tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn age_groups_turn_on_the_birthday() {
        let today = day("2026-11-29");
        assert_eq!(
            BirthDate::parse("2010-11-30", today).unwrap().age_group(today),
            AgeGroup::Child,
            "15 until tomorrow"
        );
        assert_eq!(BirthDate::parse("2010-11-29", today).unwrap().age_group(today), AgeGroup::Minor, "16 today");
        assert_eq!(BirthDate::parse("2008-11-30", today).unwrap().age_group(today), AgeGroup::Minor, "17");
        assert_eq!(BirthDate::parse("2008-11-29", today).unwrap().age_group(today), AgeGroup::Adult, "18 today");
    }

    #[test]
    fn bad_dates_are_refused_with_reasons() {
        let today = day("2026-11-29");
        assert_eq!(BirthDate::parse("2001/09/15", today), Err(BirthDateError::Format));
        assert_eq!(BirthDate::parse("2001-02-30", today), Err(BirthDateError::Format));
        assert_eq!(BirthDate::parse("2027-01-01", today), Err(BirthDateError::InFuture));
        assert_eq!(BirthDate::parse("1880-01-01", today), Err(BirthDateError::Implausible));
    }

    #[test]
    fn password_rules() {
        assert_eq!(Password::parse("abc123"), Err(PasswordError::TooShort));
        assert_eq!(Password::parse("abcdefgh"), Err(PasswordError::TooSimple));
        assert_eq!(Password::parse("12345678"), Err(PasswordError::TooSimple));
        assert!(Password::parse("万州人才2026").is_ok());
        assert_eq!(format!("{:?}", Password::parse("secret123").unwrap()), "Password(***)");
    }
}
