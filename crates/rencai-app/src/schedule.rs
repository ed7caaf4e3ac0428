//! Work `serve` does on a timer: expiring jobs and light posts whose term is over. Every node may run it; the
//! work is one conditional UPDATE, so running it twice at once does no harm.

use std::time::Duration;

use crate::AppState;

/// Runs the schedule until the process ends. Failures are logged and retried next round.
pub async fn run_forever(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
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
