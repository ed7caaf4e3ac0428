//! Work `serve` does on a timer: expiring jobs and light posts whose term is over, job alerts,
//! and every hour retention, the purges of deactivated accounts (P8, P14) and the statistics'
//! aggregates (P19). Every node may run it: each piece is a conditional write, a
//! compare-and-swap or an idempotent replacement, so running it twice at once does no harm.

use std::time::Duration;

use crate::AppState;

/// How often retention and due purges run.
const RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// Runs the schedule until the process ends. Failures are logged and retried next round.
pub async fn run_forever(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_retention: Option<std::time::Instant> = None;
    loop {
        tick.tick().await;
        // Retention deletes by age in days: once an hour is plenty, and keeps the deletes small.
        if last_retention.is_none_or(|t| t.elapsed() >= RETENTION_EVERY) {
            last_retention = Some(std::time::Instant::now());
            match crate::privacy::retention::run(&state, |_, _| {}).await {
                Ok(r) if r.total_rows() == 0 && r.purge.accounts == 0 => {}
                Ok(r) => tracing::info!(rows = r.total_rows(), accounts_purged = r.purge.accounts, "retention applied"),
                Err(e) => tracing::warn!(error = %e, "retention failed"),
            }
            if let Err(e) = crate::stats::refresh(&state).await {
                tracing::warn!(error = %e, "refreshing the statistics failed");
            }
        }
        match crate::market::jobs::expire_due(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(expired = n, "jobs expired"),
            Err(e) => tracing::warn!(error = %e, "expiring jobs failed"),
        }
        match crate::market::light::expire_due(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(expired = n, "light posts expired"),
            Err(e) => tracing::warn!(error = %e, "expiring light posts failed"),
        }
        match crate::market::alerts::run_due(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sent = n, "job alerts sent"),
            Err(e) => tracing::warn!(error = %e, "job alerts failed"),
        }
    }
}
