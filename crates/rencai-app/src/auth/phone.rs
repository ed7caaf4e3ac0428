//! Changing the phone number (P12): the holder proves the current number (password, or a code
//! sent to it) and the new one (a code sent to it). The new number must not belong to another
//! account; codes for it are only really sent when it is free.

use std::net::IpAddr;

use rencai_domain::account::Phone;
use rencai_domain::sms::SmsPurpose;
use rencai_store::accounts::{self, AccountRecord};
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::{TransactionTrait, auth as store};

use super::codes::{self, SendRequest};
use crate::{AppError, AppResult, AppState};

/// How the holder proves the current number.
#[derive(Debug, Clone)]
pub enum CurrentProof {
    Password(String),
    /// A code sent to the current number (purpose `change_phone_old`).
    Code(String),
}

fn parse(phone: &str) -> AppResult<Phone> {
    Phone::parse(phone).map_err(|e| AppError::invalid_field("phone.invalid", "new_phone", e.to_string()))
}

/// Sends the codes a change needs: one to the new number, and one to the current number unless
/// the password will be used.
pub async fn send_codes(
    state: &AppState,
    account: &AccountRecord,
    new_phone: &str,
    with_password: bool,
    ip: IpAddr,
) -> AppResult<()> {
    let new_phone = parse(new_phone)?;
    if !with_password {
        let current: String = account.phone.open(&state.keys().get(), accounts::PHONE).map_err(AppError::internal)?;
        let current = Phone::parse(&current).map_err(AppError::internal)?;
        codes::send(state, SendRequest { phone: current, purpose: SmsPurpose::ChangePhoneOld, ip, captcha: None })
            .await?;
    }
    codes::send(state, SendRequest { phone: new_phone, purpose: SmsPurpose::ChangePhoneNew, ip, captcha: None })
        .await?;
    Ok(())
}

/// Changes the number once both proofs hold.
pub async fn change(
    state: &AppState,
    account: &AccountRecord,
    proof: CurrentProof,
    new_phone: &str,
    new_code: &str,
) -> AppResult<()> {
    let new_phone = parse(new_phone)?;
    let keys = state.keys().get();
    let conn = state.db().conn();
    match proof {
        CurrentProof::Password(pw) => {
            let hash = store::password_hash(conn, account.id).await.map_err(AppError::internal)?;
            if !state.passwords().verify(&pw, hash).await {
                return Err(AppError::invalid_field("auth.wrong_password", "password", "当前密码不正确。"));
            }
        }
        CurrentProof::Code(code) => {
            let current: String = account.phone.open(&keys, accounts::PHONE).map_err(AppError::internal)?;
            let current = Phone::parse(&current).map_err(AppError::internal)?;
            codes::verify(state, &current, SmsPurpose::ChangePhoneOld, &code).await?;
        }
    }
    codes::verify(state, &new_phone, SmsPurpose::ChangePhoneNew, new_code).await?;
    let now = state.now();
    let txn = conn.begin().await.map_err(AppError::internal)?;
    accounts::set_phone(&txn, &keys, account.id, &new_phone, now).await.map_err(|e| match e {
        rencai_store::StoreError::Conflict { .. } => AppError::Conflict {
            code: "account.phone_taken",
            message: "该手机号已被其他账号使用。".into(),
            field: "new_phone",
        },
        other => other.into(),
    })?;
    rencai_store::audit::append(
        &txn,
        keys.audit_key(),
        &AuditEntry {
            actor: Actor::account(account.id),
            action: "account.phone_changed",
            subject: Some(("account", account.id)),
            reason: None,
            detail: serde_json::json!({}),
        },
        now,
    )
    .await
    .map_err(AppError::internal)?;
    txn.commit().await.map_err(AppError::internal)?;
    Ok(())
}
