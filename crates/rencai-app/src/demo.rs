//! Loading the demo data set into a database.

use rencai_demo::{DEFAULT_SEED, DemoData, DemoSize};
use rencai_domain::account::Phone;
use rencai_store::TransactionTrait;
use rencai_store::accounts::{self, NewAccount};
use rencai_store::audit::{self, Actor, AuditEntry};

use crate::{AppError, AppResult, AppState};

/// What a demo load did.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub accounts: usize,
    pub already_present: bool,
}

/// Loads the demo accounts unless the database already has accounts. `progress(done, total)`
/// is called as rows are written.
pub async fn load(
    state: &AppState,
    mut progress: impl FnMut(usize, usize),
) -> AppResult<DemoSummary> {
    if accounts::count(state.db().conn()).await? > 0 {
        return Ok(DemoSummary {
            accounts: 0,
            already_present: true,
        });
    }
    let data = DemoData::generate(DEFAULT_SEED, DemoSize::default());
    let keys = state.keys().get();
    let total = data.people.len();
    let txn = state
        .db()
        .conn()
        .begin()
        .await
        .map_err(AppError::internal)?;
    for (i, p) in data.people.iter().enumerate() {
        let phone = Phone::parse(&p.phone).map_err(AppError::internal)?;
        let new = NewAccount {
            station_id: state.station().id,
            role: p.role,
            name: p.name.clone(),
            phone,
            email: p.email.clone(),
        };
        accounts::create(&txn, &keys, &new, state.now()).await?;
        progress(i + 1, total);
    }
    txn.commit().await.map_err(AppError::internal)?;
    audit::append(
        state.db().conn(),
        keys.audit_key(),
        &AuditEntry {
            actor: Actor::SYSTEM,
            action: "demo.load",
            subject: None,
            reason: None,
            detail: serde_json::json!({ "accounts": total, "seed": DEFAULT_SEED }),
        },
        state.now(),
    )
    .await
    .map_err(AppError::internal)?;
    Ok(DemoSummary {
        accounts: total,
        already_present: false,
    })
}
