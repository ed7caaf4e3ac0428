//! Key rotation: add a key, let every node load it, re-seal everything under it, optionally
//! retire the old keys.

use std::time::Duration;

use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::rotation::{self, RotationReport};

use crate::{AppError, AppResult, AppState};

/// What a rotation did.
#[derive(Debug, Clone)]
pub struct RotationSummary {
    pub new_key_id: String,
    pub report: RotationReport,
    pub retired: Vec<String>,
}

/// How many sealed values each key id protects.
pub async fn usage(state: &AppState) -> AppResult<Vec<(String, u64)>> {
    let ring = state.keys().get();
    let mut out = Vec::new();
    for id in ring.field_key_ids() {
        out.push((id.to_string(), rotation::count_under_key(state.db().conn(), id).await?));
    }
    Ok(out)
}

/// Makes a new key current (written to the key file first), waits `grace` for other nodes to
/// reload it, then re-seals everything. With `retire`, old keys are removed from the key file
/// once nothing uses them.
pub async fn rotate(
    state: &AppState,
    batch: u32,
    grace: Duration,
    retire: bool,
    progress: impl FnMut(u64, u64),
) -> AppResult<RotationSummary> {
    let keys = state.keys();
    let (next, new_key_id) = keys.get().with_new_field_key();
    keys.replace(next).map_err(AppError::internal)?;
    tokio::time::sleep(grace).await;
    let report = rotation::reseal_all(state.db(), keys, batch, progress).await?;
    let mut retired = Vec::new();
    if retire && report.remaining == 0 {
        let ring = keys.get();
        retired = ring.field_key_ids().filter(|id| *id != ring.current_key_id()).map(str::to_owned).collect();
        keys.replace(ring.without_field_keys(&retired)).map_err(AppError::internal)?;
    }
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::SYSTEM,
            action: "keys.rotate",
            subject: None,
            reason: None,
            detail: serde_json::json!({
                "new_key_id": new_key_id,
                "resealed": report.resealed,
                "remaining": report.remaining,
                "retired": retired,
            }),
        },
    )
    .await?;
    Ok(RotationSummary { new_key_id, report, retired })
}
