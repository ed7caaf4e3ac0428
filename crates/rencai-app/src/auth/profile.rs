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
    /// For a 16–17-year-old's account: the guardian's phone number (P21).
    pub guardian_phone: Option<String>,
}

pub fn details(state: &AppState, account: &AccountRecord) -> AppResult<Details> {
    let keys = state.keys().get();
    Ok(Details {
        name: account.name.as_ref().map(|n| n.open(&keys, accounts::NAME)).transpose()?.unwrap_or_default(),
        email: account.email.as_ref().map(|e| e.open(&keys, accounts::EMAIL)).transpose()?.unwrap_or_default(),
        guardian_phone: (account.age_group == "minor").then(|| {
            account
                .guardian_phone
                .as_ref()
                .and_then(|g| g.open(&keys, accounts::GUARDIAN_PHONE).ok())
                .unwrap_or_default()
        }),
    })
}

/// Saves name and e-mail (and a minor's guardian phone); an empty field removes what was there.
pub async fn update(
    state: &AppState,
    account: &AccountRecord,
    name: &str,
    email: &str,
    guardian_phone: &str,
) -> AppResult<()> {
    let mut issues = rencai_domain::validate::Issues::default();
    let name = issues.optional_text("name", "姓名", name, 20);
    issues.finish(()).map_err(|i| crate::market::invalid("account.invalid", "请检查填写的内容。", i))?;
    let email = rencai_domain::validate::email_address(email)
        .map_err(|m| AppError::invalid_field("account.email", "email", m))?;
    let keys = state.keys().get();
    let guardian = match guardian_phone.trim() {
        "" => None,
        g if account.age_group == "minor" => {
            let p = rencai_domain::account::Phone::parse(g).map_err(|_| {
                AppError::invalid_field("account.guardian_phone", "guardian_phone", "请输入监护人的 11 位手机号。")
            })?;
            let own: String = account.phone.open(&keys, accounts::PHONE)?;
            if p.digits() == own {
                return Err(AppError::invalid_field(
                    "account.guardian_phone",
                    "guardian_phone",
                    "监护人手机号不能是你自己的手机号。",
                ));
            }
            Some(p)
        }
        _ => None,
    };
    let conn = state.db().conn();
    accounts::set_details(conn, &keys, account.id, name.as_deref(), email.as_deref(), state.now()).await?;
    if account.age_group == "minor" {
        accounts::set_guardian_phone(conn, &keys, account.id, guardian.as_ref(), state.now()).await?;
    }
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::account(account.id),
            action: "account.details_changed",
            subject: Some(("account", account.id)),
            reason: None,
            detail: serde_json::json!({ "name": name.is_some(), "email": email.is_some(), "guardian": guardian.is_some() }),
        },
    )
    .await?;
    Ok(())
}
