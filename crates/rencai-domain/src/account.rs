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
        let compact: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '\u{3000}'))
            .collect();
        let digits = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("0086"))
            .or_else(|| {
                if compact.len() == 13 {
                    compact.strip_prefix("86")
                } else {
                    None
                }
            })
            .unwrap_or(&compact);
        let ok = digits.len() == 11
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits.as_bytes()[0] == b'1'
            && (b'3'..=b'9').contains(&digits.as_bytes()[1]);
        if ok {
            Ok(Self(digits.to_string()))
        } else {
            Err(PhoneError::Invalid)
        }
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
        for input in [
            "13812345678",
            "+86 138 1234 5678",
            "0086-138-1234-5678",
            "(+86)13812345678",
            "8613812345678",
        ] {
            assert_eq!(
                Phone::parse(input).unwrap().digits(),
                "13812345678",
                "{input}"
            );
        }
    }

    #[test]
    fn refuses_what_is_not_a_mobile_number() {
        for input in [
            "",
            "1381234567",
            "138123456789",
            "12812345678",
            "23812345678",
            "1381234567a",
            "+1 138 1234 5678",
        ] {
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
