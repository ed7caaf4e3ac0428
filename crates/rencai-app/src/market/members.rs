//! Recruiter sub-accounts (M3, P17): the primary account invites a colleague by SMS; the
//! colleague, signed in with a company (or agency) account of that number, enters the code and
//! joins as a sub-account. Codes are bound to the number and the organisation, kept only as a
//! keyed hash, valid for seven days, five wrong tries.

use chrono::Duration;
use rencai_crypto::{BlindIndex, FieldContext};
use rencai_domain::account::{Phone, Role};
use rencai_store::TransactionTrait;
use rencai_store::accounts::{self, AccountRecord};
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::market::companies::{self as store, MemberRow};

use super::actor::Recruiter;
use crate::delivery_worker::{QueuedSms, enqueue_sms};
use crate::providers::sms::SmsTemplate;
use crate::{AppError, AppResult, AppState};

const INVITE_CODE: FieldContext = FieldContext("recruiter_invites.code");
/// Invitations an organisation may send per day.
const INVITES_PER_DAY: u64 = 20;

fn code_hash(keys: &rencai_crypto::Keyring, company_id: i64, phone_blind: &str, code: &str) -> String {
    BlindIndex::compute(keys, INVITE_CODE, &format!("{company_id}|{phone_blind}|{code}")).into_string()
}

/// Sends an invitation. The answer is the same whether or not the number has an account.
pub async fn invite(state: &AppState, rec: &Recruiter, phone: &str) -> AppResult<()> {
    rec.require_primary()?;
    // The SMS carries the organisation's name under the site's signature: only organisations
    // staff verified may send it.
    rec.require_verified()?;
    let phone = Phone::parse(phone).map_err(|e| AppError::invalid_field("phone.invalid", "phone", e.to_string()))?;
    let now = state.now();
    let conn = state.db().conn();
    if store::invites_since(conn, rec.org.id, now - Duration::days(1)).await? >= INVITES_PER_DAY {
        return Err(AppError::RateLimited {
            code: "invite.too_many",
            message: format!("每天最多发送{INVITES_PER_DAY}条邀请。"),
            retry_after_secs: 3600,
        });
    }
    let keys = state.keys().get();
    let blind = accounts::phone_index(&keys, &phone).into_string();
    // A number gets at most three invitations a day, from all organisations together; past
    // that the answer is the same as success, so nothing is learnt about the number.
    if store::invites_to_since(conn, &blind, now - Duration::days(1)).await? >= 3 {
        return Ok(());
    }
    let code = crate::auth::codes::new_code();
    let txn = conn.begin().await.map_err(AppError::internal)?;
    store::add_invite(
        &txn,
        rec.org.id,
        &blind,
        &code_hash(&keys, rec.org.id, &blind, &code),
        rec.account_id,
        now,
        now + Duration::days(7),
    )
    .await?;
    let company: String = rec.org.name.chars().take(20).collect();
    enqueue_sms(
        state,
        &txn,
        QueuedSms {
            phone: &phone,
            template: SmsTemplate::RecruiterInvite,
            params: [("company".to_string(), company), ("code".to_string(), code)].into_iter().collect(),
            client_ref: format!("invite-{}-{}", rec.org.id, uuid::Uuid::now_v7()),
            suppress: false,
        },
    )
    .await?;
    txn.commit().await.map_err(AppError::internal)?;
    Ok(())
}

/// Joins the organisation whose invitation to this account's number carries `code`.
pub async fn join(state: &AppState, account: &AccountRecord, code: &str) -> AppResult<()> {
    if !matches!(account.role, Role::Company | Role::Agency) {
        return Err(AppError::Forbidden {
            code: "invite.wrong_role", message: "请使用企业招聘账号接受邀请。".into()
        });
    }
    if super::actor::recruiter(state, account).await?.is_some() {
        return Err(AppError::Conflict {
            code: "company.already_member",
            message: "该账号已属于一个单位。".into(),
            field: "account",
        });
    }
    let code = code.trim();
    let wrong = || AppError::invalid_field("invite.wrong_code", "code", "邀请码不正确或已过期。");
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(wrong());
    }
    let now = state.now();
    let keys = state.keys().get();
    let conn = state.db().conn();
    let blind = account.phone.open(&keys, accounts::PHONE).map_err(AppError::internal)?;
    let blind = accounts::phone_index(&keys, &Phone::parse(&blind).map_err(AppError::internal)?).into_string();
    let invites = store::open_invites(conn, &blind, now).await?;
    let Some(invite) = invites.iter().find(|i| i.code_hash == code_hash(&keys, i.company_id, &blind, code)) else {
        store::count_wrong_invite_tries(conn, &blind, now).await?;
        return Err(wrong());
    };
    let org = store::find(conn, invite.company_id).await?.ok_or_else(wrong)?;
    let kind_fits = (org.kind == "agency") == (account.role == Role::Agency);
    if !kind_fits {
        return Err(AppError::Forbidden {
            code: "invite.wrong_role", message: "账号类型与邀请单位不符。".into()
        });
    }
    let txn = conn.begin().await.map_err(AppError::internal)?;
    if !store::accept_invite(&txn, invite.id, now).await? {
        return Err(wrong());
    }
    store::add_member(&txn, org.id, account.id, false, now).await?;
    txn.commit().await.map_err(AppError::internal)?;
    crate::audit::record(
        state,
        AuditEntry {
            actor: Actor::account(account.id),
            action: "company.member_joined",
            subject: Some(("company", org.id)),
            reason: None,
            detail: serde_json::json!({}),
        },
    )
    .await?;
    Ok(())
}

/// The organisation's recruiters, for the primary account: (member, masked phone).
pub async fn list(state: &AppState, rec: &Recruiter) -> AppResult<Vec<(MemberRow, String)>> {
    rec.require_primary()?;
    let conn = state.db().conn();
    let keys = state.keys().get();
    let mut out = Vec::new();
    for m in store::members(conn, rec.org.id).await? {
        let phone = match accounts::find_by_id(conn, m.account_id).await? {
            Some(a) => {
                let p: String = a.phone.open(&keys, accounts::PHONE).map_err(AppError::internal)?;
                Phone::parse(&p).map(|p| p.masked()).unwrap_or_default()
            }
            None => String::new(),
        };
        out.push((m, phone));
    }
    Ok(out)
}
