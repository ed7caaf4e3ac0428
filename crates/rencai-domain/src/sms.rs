//! Rules for SMS verification codes (P1, P20): what a code is for, how long it lives, how many
//! tries it allows, and how often codes may be sent — per phone, per address and overall.
//! The counting happens in storage; the decisions are made here.

use std::net::IpAddr;
use std::time::Duration;

/// What a code may be used for. A code sent for one purpose never works for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmsPurpose {
    Register,
    Login,
    ResetPassword,
    /// Proving the current number before changing it (P12).
    ChangePhoneOld,
    /// Proving the new number (P12).
    ChangePhoneNew,
}

impl SmsPurpose {
    pub const ALL: [SmsPurpose; 5] =
        [Self::Register, Self::Login, Self::ResetPassword, Self::ChangePhoneOld, Self::ChangePhoneNew];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Register => "register",
            Self::Login => "login",
            Self::ResetPassword => "reset_password",
            Self::ChangePhoneOld => "change_phone_old",
            Self::ChangePhoneNew => "change_phone_new",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The limits, from configuration. Defaults are the product's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmsLimits {
    pub code_ttl_secs: u64,
    pub max_wrong_tries_per_code: u32,
    pub max_wrong_tries_per_phone_per_day: u32,
    pub per_phone_per_minute: u32,
    pub per_phone_per_hour: u32,
    pub per_phone_per_day: u32,
    pub per_ip_per_hour: u32,
    /// Sends per China calendar day across the whole site; staff are alerted when it is reached.
    pub global_per_day: u32,
}

impl Default for SmsLimits {
    fn default() -> Self {
        Self {
            code_ttl_secs: 600,
            max_wrong_tries_per_code: 5,
            max_wrong_tries_per_phone_per_day: 20,
            per_phone_per_minute: 1,
            per_phone_per_hour: 5,
            per_phone_per_day: 10,
            per_ip_per_hour: 20,
            global_per_day: 5000,
        }
    }
}

/// How many codes were sent recently, as storage counted them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendCounts {
    pub phone_last_minute: u32,
    pub phone_last_hour: u32,
    pub phone_today: u32,
    pub ip_last_hour: u32,
    pub global_today: u32,
    /// Seconds since the last send to this phone, if any.
    pub phone_last_send_age_secs: Option<u64>,
    /// Seconds since the oldest send to this phone within the last hour, if any.
    pub phone_oldest_in_hour_age_secs: Option<u64>,
    pub ip_oldest_in_hour_age_secs: Option<u64>,
    /// Seconds left in the China calendar day.
    pub secs_to_midnight: u64,
}

/// Why a send is refused, and when to try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendRefusal {
    PhoneMinute {
        retry_after: Duration,
    },
    PhoneHour {
        retry_after: Duration,
    },
    PhoneDay {
        retry_after: Duration,
    },
    IpHour {
        retry_after: Duration,
    },
    /// The site's daily budget is spent.
    Budget {
        retry_after: Duration,
    },
}

impl SendRefusal {
    pub fn retry_after(&self) -> Duration {
        match *self {
            Self::PhoneMinute { retry_after }
            | Self::PhoneHour { retry_after }
            | Self::PhoneDay { retry_after }
            | Self::IpHour { retry_after }
            | Self::Budget { retry_after } => retry_after,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::PhoneMinute { .. } => "sms.too_soon",
            Self::PhoneHour { .. } | Self::PhoneDay { .. } => "sms.phone_limit",
            Self::IpHour { .. } => "sms.ip_limit",
            Self::Budget { .. } => "sms.budget_exhausted",
        }
    }

    /// The message for people. Phone and address limits read the same, so the answer does not
    /// reveal which number is busy (P20).
    pub fn message(&self) -> String {
        let secs = self.retry_after().as_secs().max(1);
        let wait = if secs < 120 { format!("{secs} 秒") } else { format!("{} 分钟", secs.div_ceil(60)) };
        match self {
            Self::Budget { .. } => "今日短信发送量已达上限，请明天再试或使用密码登录。".into(),
            _ => format!("验证码发送太频繁，请 {wait}后再试。"),
        }
    }
}

/// Decides whether one more code may be sent now.
pub fn check_send(c: &SendCounts, l: &SmsLimits) -> Result<(), SendRefusal> {
    let secs = Duration::from_secs;
    if c.global_today >= l.global_per_day {
        return Err(SendRefusal::Budget { retry_after: secs(c.secs_to_midnight.max(1)) });
    }
    if c.phone_last_minute >= l.per_phone_per_minute {
        let wait = 60u64.saturating_sub(c.phone_last_send_age_secs.unwrap_or(0)).max(1);
        return Err(SendRefusal::PhoneMinute { retry_after: secs(wait) });
    }
    if c.phone_last_hour >= l.per_phone_per_hour {
        let wait = 3600u64.saturating_sub(c.phone_oldest_in_hour_age_secs.unwrap_or(0)).max(1);
        return Err(SendRefusal::PhoneHour { retry_after: secs(wait) });
    }
    if c.phone_today >= l.per_phone_per_day {
        return Err(SendRefusal::PhoneDay { retry_after: secs(c.secs_to_midnight.max(1)) });
    }
    if c.ip_last_hour >= l.per_ip_per_hour {
        let wait = 3600u64.saturating_sub(c.ip_oldest_in_hour_age_secs.unwrap_or(0)).max(1);
        return Err(SendRefusal::IpHour { retry_after: secs(wait) });
    }
    Ok(())
}

/// The address a per-IP limit counts against: the whole IPv4 address, or the /64 of an IPv6
/// address (one subscriber usually holds a whole /64 and could rotate through it).
pub fn ip_bucket(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiet() -> SendCounts {
        SendCounts { secs_to_midnight: 5000, ..Default::default() }
    }

    #[test]
    fn first_send_is_allowed() {
        assert_eq!(check_send(&quiet(), &SmsLimits::default()), Ok(()));
    }

    #[test]
    fn each_limit_refuses_with_a_wait() {
        let l = SmsLimits::default();
        let minute = SendCounts { phone_last_minute: 1, phone_last_send_age_secs: Some(20), ..quiet() };
        assert_eq!(check_send(&minute, &l), Err(SendRefusal::PhoneMinute { retry_after: Duration::from_secs(40) }));
        let hour = SendCounts { phone_last_hour: 5, phone_oldest_in_hour_age_secs: Some(3000), ..quiet() };
        assert_eq!(check_send(&hour, &l), Err(SendRefusal::PhoneHour { retry_after: Duration::from_secs(600) }));
        let day = SendCounts { phone_today: 10, ..quiet() };
        assert_eq!(check_send(&day, &l), Err(SendRefusal::PhoneDay { retry_after: Duration::from_secs(5000) }));
        let ip = SendCounts { ip_last_hour: 20, ip_oldest_in_hour_age_secs: Some(3599), ..quiet() };
        assert_eq!(check_send(&ip, &l), Err(SendRefusal::IpHour { retry_after: Duration::from_secs(1) }));
        let budget = SendCounts { global_today: 5000, ..quiet() };
        assert_eq!(check_send(&budget, &l).unwrap_err().code(), "sms.budget_exhausted");
    }

    #[test]
    fn refusals_for_phone_and_address_read_alike() {
        let a = SendRefusal::PhoneHour { retry_after: Duration::from_secs(600) }.message();
        let b = SendRefusal::IpHour { retry_after: Duration::from_secs(600) }.message();
        assert_eq!(a, b);
        assert!(a.contains("10 分钟"));
    }

    #[test]
    fn ipv6_counts_by_64() {
        let a: IpAddr = "2408:8207:1234:5678:1::1".parse().unwrap();
        let b: IpAddr = "2408:8207:1234:5678:ffff::9".parse().unwrap();
        let c: IpAddr = "2408:8207:1234:5679::1".parse().unwrap();
        assert_eq!(ip_bucket(a), ip_bucket(b));
        assert_ne!(ip_bucket(a), ip_bucket(c));
        assert_eq!(ip_bucket("203.0.113.7".parse().unwrap()), "203.0.113.7");
        assert_eq!(ip_bucket("::ffff:203.0.113.7".parse().unwrap()), "203.0.113.7");
    }

    #[test]
    fn purposes_round_trip() {
        for p in SmsPurpose::ALL {
            assert_eq!(SmsPurpose::parse(p.as_str()), Some(p));
        }
    }
}
