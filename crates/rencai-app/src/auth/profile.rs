//! Correcting one's own details (P12): name and e-mail here; the phone number has its own
//! re-verified flow (`phone`). Both fields are optional (P4) and sealed.

use rencai_store::accounts::{self, AccountRecord};
use rencai_store::audit::{Actor, AuditEntry};

use crate::{AppError, AppResult, AppState};

/// The details as the form shows them.
#[derive(Debug, Clone, Default)]
pub struct Details {
    pub name: String,
    pub email: String,
}

pub fn details(state: &AppState, account: &AccountRecord) -> AppResult<Details> {
    let keys = state.keys().get();
    Ok(Details {
        name: account.name.as_ref().map(|n| n.open(&keys, accounts::NAME)).transpose()?.unwrap_or_default(),
        email: account.email.as_ref().map(|e| e.open(&keys, accounts::EMAIL)).transpose()?.unwrap_or_default(),
    })
}

/// Saves name and e-mail; an empty field removes what was there.
pub async fn update(state: &AppState, account: &AccountRecord, name: &str, email: &str) -> AppResult<()> {
    let mut issues = rencai_domain::validate::Issues::default();
    let name = issues.optional_text("name", "姓名", name, 20);
    issues.finish(()).map_err(|i| crate::market::invalid("account.invalid", "请检查填写的内容。", i))?;
    let email = rencai_domain::validate::email_address(email)
        .map_err(|m| AppError::invalid_field("account.email", "email", m))?;
    let keys = state.keys().get();
    accounts::set_details(state.db().conn(), &keys, account.id, name.as_deref(), email.as_deref(), state.now()).await?;
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::account(account.id),
            action: "account.details_changed",
            subject: Some(("account", account.id)),
            reason: None,
            detail: serde_json::json!({ "name": name.is_some(), "email": email.is_some() }),
        },
    )
    .await?;
    Ok(())
}
