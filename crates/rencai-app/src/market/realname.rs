//! The recruiter's real-name check: name and ID number through the configured verifier. A
//! passed check is kept sealed (P9) with its time; recruiters submit jobs only after it.

use rencai_domain::identity::{IdNumber, real_name_ok};
use rencai_store::accounts::AccountRecord;
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::market::companies as store;

use super::actor::require_recruiter;
use crate::providers::realname::RealNameOutcome;
use crate::{AppError, AppResult, AppState};

/// Real-name checks an account may run in 24 hours.
pub const MAX_CHECKS_PER_DAY: u64 = 5;

pub async fn verify(state: &AppState, account: &AccountRecord, name: &str, id_number: &str) -> AppResult<()> {
    let rec = require_recruiter(state, account).await?;
    if rec.real_name_verified {
        return Ok(());
    }
    let name = name.trim();
    if !real_name_ok(name) {
        return Err(AppError::invalid_field("realname.name", "name", "请填写身份证上的姓名。"));
    }
    let today = rencai_domain::time::china_day(state.now());
    let id = IdNumber::parse(id_number, today)
        .map_err(|e| AppError::invalid_field("realname.id_number", "id_number", e.to_string()))?;
    let verifier = state.realname().ok_or(AppError::Unavailable { code: "realname.unavailable" })?;
    // Each check is paid for with a real vendor, and repeated guesses of someone's ID number
    // are exactly what the check must not become: five a day per account.
    let since = state.now() - chrono::Duration::hours(24);
    let tried = rencai_store::audit::count_actions_since(
        state.db().conn(),
        &Actor::account(account.id),
        "realname.checked",
        since,
    )
    .await
    .map_err(AppError::internal)?;
    if tried >= MAX_CHECKS_PER_DAY {
        return Err(AppError::RateLimited {
            code: "realname.too_many",
            message: "今天的实名核验次数已用完，请明天再试或联系客服。".into(),
            retry_after_secs: 3600,
        });
    }
    let outcome = verifier.verify(name, &id).await.map_err(|e| {
        tracing::warn!(error = %e, "real-name check failed");
        AppError::Unavailable { code: "realname.unavailable" }
    })?;
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::account(account.id),
            action: "realname.checked",
            subject: Some(("account", account.id)),
            reason: None,
            detail: serde_json::json!({ "outcome": outcome.as_str() }),
        },
    )
    .await?;
    match outcome {
        RealNameOutcome::Match => {
            store::set_real_name(state.db().conn(), &state.keys().get(), account.id, name, id.as_str(), state.now())
                .await?;
            Ok(())
        }
        RealNameOutcome::Mismatch => {
            Err(AppError::invalid_field("realname.mismatch", "id_number", "姓名与身份证号不一致，请核对后重试。"))
        }
        RealNameOutcome::NotFound => {
            Err(AppError::invalid_field("realname.not_found", "id_number", "未查到该身份证号的记录，请核对后重试。"))
        }
    }
}
