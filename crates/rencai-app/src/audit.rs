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
