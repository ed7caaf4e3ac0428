//! Accounts: verification codes, registration, login and sessions (P1–P4, P20).

pub mod challenge;
pub mod codes;
pub mod passwords;
pub mod phone;
pub mod profile;
pub mod register;
pub mod sessions;
pub mod staff;
pub mod tokens;

use rencai_domain::time::china;

/// The start and end of the China calendar day containing `now`, as instants.
pub(crate) fn china_day_bounds(
    now: chrono::DateTime<chrono::Utc>,
) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    let day = rencai_domain::time::china_day(now);
    let start = day.and_hms_opt(0, 0, 0).expect("midnight").and_local_timezone(china()).single().expect("fixed offset");
    let start = start.with_timezone(&chrono::Utc);
    (start, start + chrono::Duration::days(1))
}
