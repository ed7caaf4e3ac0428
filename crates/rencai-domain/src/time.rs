//! Time rules. "Per day" in Rencai means the calendar day in China (UTC+8, no daylight saving),
//! whatever the server's own time zone is.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// China Standard Time.
pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// An instant as people read it here: Beijing time to the minute, `2026-12-01 14:30`.
pub fn beijing(at: DateTime<Utc>) -> String {
    at.with_timezone(&china()).format("%Y-%m-%d %H:%M").to_string()
}

/// The calendar day in China at instant `at`.
pub fn china_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&china()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn day_turns_at_midnight_beijing_time() {
        let before = Utc.with_ymd_and_hms(2026, 11, 29, 15, 59, 59).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 11, 29, 16, 0, 0).unwrap();
        assert_eq!(china_day(before), NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
        assert_eq!(china_day(after), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    }
}
