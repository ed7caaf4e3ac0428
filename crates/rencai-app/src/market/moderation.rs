//! The staff-kept banned-word list the posting rules read.

use rencai_domain::staff::Permission;
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::market::moderation as store;

use crate::auth::staff::StaffUser;
use crate::{AppError, AppResult, AppState};

pub async fn banned_words(state: &AppState, staff: &StaffUser) -> AppResult<Vec<String>> {
    staff.require(state, Permission::ModerateContent).await?;
    Ok(store::banned_words(state.db().conn(), state.station().id).await?)
}

pub async fn add_banned_word(state: &AppState, staff: &StaffUser, word: &str) -> AppResult<()> {
    staff.require(state, Permission::ModerateContent).await?;
    let word = word.trim().to_lowercase();
    let n = word.chars().count();
    if n == 0 || n > 30 {
        return Err(AppError::invalid_field("banned_word.length", "word", "禁用词应为1到30个字。"));
    }
    store::add_banned_word(state.db().conn(), state.station().id, &word, Some(staff.auth.account.id), state.now())
        .await
        .map_err(|e| match e {
            rencai_store::StoreError::Conflict { .. } => {
                AppError::Conflict {
                    code: "banned_word.exists", message: "该禁用词已存在。".into(), field: "word"
                }
            }
            other => other.into(),
        })?;
    audit(state, staff, "banned_word.added").await
}

pub async fn remove_banned_word(state: &AppState, staff: &StaffUser, word: &str) -> AppResult<()> {
    staff.require(state, Permission::ModerateContent).await?;
    if store::remove_banned_word(state.db().conn(), state.station().id, word.trim()).await? {
        audit(state, staff, "banned_word.removed").await?;
    }
    Ok(())
}

async fn audit(state: &AppState, staff: &StaffUser, action: &'static str) -> AppResult<()> {
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::staff(staff.auth.account.id),
            action,
            subject: None,
            reason: None,
            detail: serde_json::json!({}),
        },
    )
    .await?;
    Ok(())
}
