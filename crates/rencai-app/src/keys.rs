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
        out.push((id.to_string(), count_under(state, id).await?));
    }
    Ok(out)
}

async fn count_under(state: &AppState, key_id: &str) -> AppResult<u64> {
    let mut n = 0;
    let backend = state.db().backend();
    let like = format!("{}%", rencai_crypto::Sealed::<()>::stored_prefix(key_id));
    for c in rotation::SEALED_COLUMNS {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM {} WHERE {} LIKE ?",
            c.table, c.column
        );
        let row = rencai_store::ConnectionTrait::query_one_raw(
            state.db().conn(),
            rencai_store::raw(backend, &sql, [like.clone().into()]),
        )
        .await
        .map_err(AppError::internal)?;
        n += row
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()
            .map_err(AppError::internal)?
            .unwrap_or(0) as u64;
    }
    Ok(n)
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
        retired = ring
            .field_key_ids()
            .filter(|id| *id != ring.current_key_id())
            .map(str::to_owned)
            .collect();
        keys.replace(ring.without_field_keys(&retired))
            .map_err(AppError::internal)?;
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
    Ok(RotationSummary {
        new_key_id,
        report,
        retired,
    })
}
