//! Retention as code (P8): every table's expiry from the personal-data map, the purges of
//! deactivated accounts that are due, and export files past their time. `rencai purge` runs it
//! on demand; `serve` runs it on its schedule.

use rencai_store::privacy::{self as store, TABLES};

use crate::{AppResult, AppState};

/// The Cybersecurity Law's floor for security logs: a setting below it is raised to it.
pub const MIN_SECURITY_LOG_DAYS: u32 = 180;

/// What one run removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Rows removed per table, tables with nothing to remove left out.
    pub expired: Vec<(&'static str, u64)>,
    pub purge: super::deactivation::PurgeReport,
    pub exports_expired: u64,
}

impl RetentionReport {
    pub fn total_rows(&self) -> u64 {
        self.expired.iter().map(|(_, n)| n).sum::<u64>() + self.purge.rows
    }
}

/// Applies every rule once. `progress(done, total)` counts tables.
pub async fn run(state: &AppState, mut progress: impl FnMut(u64, u64)) -> AppResult<RetentionReport> {
    let mut report = RetentionReport { purge: super::deactivation::purge_due(state).await?, ..Default::default() };
    report.exports_expired = super::export::sweep(state).await?;
    let p = &state.settings().privacy;
    let now = state.now();
    let total = TABLES.len() as u64;
    for (i, rule) in TABLES.iter().enumerate() {
        if let Some(e) = &rule.expiry {
            let cutoff = store::cutoff(e, now, p.behaviour_days, p.security_log_days.max(MIN_SECURITY_LOG_DAYS));
            let n = store::expire(state.db().conn(), rule, cutoff).await?;
            if n > 0 {
                report.expired.push((rule.table, n));
            }
        }
        progress(i as u64 + 1, total);
    }
    Ok(report)
}
