//! Caps how many list pages a visitor who is not logged in may open per hour, so the listings
//! cannot be scraped wholesale. Counted per node and per address (IPv6 by /64); a person who
//! logs in is not counted. With several nodes the cap is per node — good enough against a
//! scraper, which a load balancer spreads across nodes only to its own disadvantage.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Timelike, Utc};

#[derive(Debug, Default)]
pub struct ListMeter(Mutex<(i64, HashMap<String, u32>)>);

impl ListMeter {
    /// Counts one page for `ip` in the hour of `now`; false once the hour's cap is passed.
    pub fn admit(&self, ip: IpAddr, now: DateTime<Utc>, cap: u32) -> bool {
        if cap == 0 {
            return true;
        }
        let hour = now.timestamp() / 3600;
        let Ok(mut g) = self.0.lock() else { return true };
        if g.0 != hour {
            *g = (hour, HashMap::new());
        }
        let n = g.1.entry(rencai_domain::sms::ip_bucket(ip)).or_insert(0);
        *n += 1;
        *n <= cap
    }

    /// Seconds until the current hour ends, for Retry-After.
    pub fn retry_after(now: DateTime<Utc>) -> u64 {
        u64::from(3600 - (now.minute() * 60 + now.second())).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_per_address_per_hour() {
        let m = ListMeter::default();
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-29T10:15:00Z").unwrap().with_timezone(&Utc);
        let a: IpAddr = "203.0.113.7".parse().unwrap();
        let b: IpAddr = "203.0.113.8".parse().unwrap();
        assert!(m.admit(a, t, 2));
        assert!(m.admit(a, t, 2));
        assert!(!m.admit(a, t, 2));
        assert!(m.admit(b, t, 2), "another address has its own count");
        assert!(m.admit(a, t + chrono::Duration::hours(1), 2), "a new hour starts afresh");
        assert!(m.admit(a, t, 0), "0 means no cap");
        assert_eq!(ListMeter::retry_after(t), 45 * 60);
    }
}
