//! Writing to and checking the audit chain.

use rencai_store::audit::{self, AuditEntry, AuditReport};

use crate::{AppError, AppResult, AppState};

/// Appends an entry to the audit chain.
pub async fn record(state: &AppState, entry: AuditEntry) -> AppResult<i64> {
    audit::append(state.db().conn(), state.keys().get().audit_key(), &entry, state.now())
        .await
        .map_err(AppError::internal)
}

/// Number of rows, for a progress bar.
pub async fn count(state: &AppState) -> AppResult<u64> {
    audit::count(state.db().conn()).await.map_err(AppError::internal)
}

/// Checks the whole chain.
pub async fn verify(state: &AppState, progress: impl FnMut(u64)) -> AppResult<AuditReport> {
    audit::verify(state.db().conn(), state.keys().get().audit_key(), progress).await.map_err(AppError::internal)
}

/// Records that a staff member opened a surface showing personal data (P10): which surface,
/// why, and the ids of the rows it showed. Nothing is recorded for an empty surface.
pub async fn staff_read(
    state: &AppState,
    staff_account_id: i64,
    surface: &'static str,
    reason: &str,
    ids: &[i64],
) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    record(
        state,
        AuditEntry {
            actor: rencai_store::audit::Actor::staff(staff_account_id),
            action: "staff.read_personal",
            subject: None,
            reason: Some(reason.to_string()),
            detail: serde_json::json!({ "surface": surface, "ids": ids }),
        },
    )
    .await?;
    Ok(())
}
