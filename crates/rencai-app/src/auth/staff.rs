//! Staff accounts and the back-office login (P10): created only by staff (or by
//! `rencai admin create` for the first administrator), password plus TOTP always, locked for a
//! while after repeated failures, with their own session kind.

use std::net::IpAddr;

use rencai_crypto::Sealed;
use rencai_crypto::totp::{self, TotpSecret};
use rencai_domain::account::{AgeGroup, Password, Phone, Role};
use rencai_domain::staff::{Permission, StaffRole};
use rencai_store::accounts::{self, AccountRecord, NewAccount};
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::rotation::TOTP_SECRET;
use rencai_store::{TransactionTrait, staff as store};

use super::sessions::{self, Authenticated, NewSessionToken, SessionKind};
use crate::{AppError, AppResult, AppState};

/// A new staff member and the TOTP secret to give them (shown once).
#[derive(Debug)]
pub struct NewStaff {
    pub account: AccountRecord,
    pub role: StaffRole,
    pub totp: TotpSecret,
}

/// Creates a staff account. `created_by` is the staff account doing it (None for the CLI).
pub async fn create(
    state: &AppState,
    created_by: Option<i64>,
    phone: &str,
    password: &str,
    role: StaffRole,
) -> AppResult<NewStaff> {
    let phone = Phone::parse(phone).map_err(|e| AppError::invalid_field("phone.invalid", "phone", e.to_string()))?;
    let password =
        Password::parse(password).map_err(|e| AppError::invalid_field("password.weak", "password", e.to_string()))?;
    let keys = state.keys().get();
    let hash = state.passwords().hash(&password).await?;
    let secret = TotpSecret::generate();
    let now = state.now();
    let txn = state.db().conn().begin().await.map_err(AppError::internal)?;
    let account = accounts::create(
        &txn,
        &keys,
        &NewAccount {
            station_id: state.station().id,
            role: Role::Staff,
            name: None,
            phone,
            email: None,
            birth_date: None,
            age_group: AgeGroup::Adult,
            minor_basis: None,
        },
        now,
    )
    .await?;
    rencai_store::auth::set_password(&txn, account.id, &hash, now).await.map_err(AppError::internal)?;
    let sealed = Sealed::seal(&keys, TOTP_SECRET, &secret.to_base32());
    store::insert(&txn, account.id, role.as_str(), sealed.as_stored(), created_by, now)
        .await
        .map_err(AppError::internal)?;
    rencai_store::audit::append(
        &txn,
        keys.audit_key(),
        &AuditEntry {
            actor: created_by.map(Actor::staff).unwrap_or(Actor::SYSTEM),
            action: "staff.create",
            subject: Some(("account", account.id)),
            reason: None,
            detail: serde_json::json!({ "role": role.as_str() }),
        },
        now,
    )
    .await
    .map_err(AppError::internal)?;
    txn.commit().await.map_err(AppError::internal)?;
    Ok(NewStaff { account, role, totp: secret })
}

/// Whether an administrator exists (the CLI creates only the first).
pub async fn has_administrator(state: &AppState) -> AppResult<bool> {
    Ok(store::count_with_role(state.db().conn(), StaffRole::Administrator.as_str())
        .await
        .map_err(AppError::internal)?
        > 0)
}

fn bad_login() -> AppError {
    AppError::Unauthorized {
        code: "staff.invalid_credentials", message: "手机号、密码或动态验证码错误。".into()
    }
}

async fn audit(state: &AppState, actor: Actor, action: &'static str, subject: i64) -> AppResult<()> {
    crate::audit::record(
        state,
        AuditEntry { actor, action, subject: Some(("account", subject)), reason: None, detail: serde_json::json!({}) },
    )
    .await
    .map(|_| ())
}

/// Back-office login: phone, password and a current TOTP code. Five failures lock the account
/// for fifteen minutes (configurable); every attempt on a staff account is audited.
pub async fn login(
    state: &AppState,
    phone: &str,
    password: &str,
    code: &str,
    _ip: IpAddr,
    device: &str,
) -> AppResult<NewSessionToken> {
    let keys = state.keys().get();
    let conn = state.db().conn();
    let now = state.now();
    let account = match Phone::parse(phone) {
        Ok(p) => accounts::find_by_phone(conn, &keys, &p).await?.filter(|a| a.role == Role::Staff),
        Err(_) => None,
    };
    let member = match &account {
        Some(a) => store::by_account(conn, a.id).await.map_err(AppError::internal)?,
        None => None,
    };
    if let Some(m) = &member
        && let Some(until) = m.locked_until
        && until > now
    {
        return Err(AppError::RateLimited {
            code: "staff.locked",
            message: "登录失败次数过多，账号已暂时锁定，请稍后再试。".into(),
            retry_after_secs: (until - now).num_seconds().max(1) as u64,
        });
    }
    let hash = match &account {
        Some(a) => rencai_store::auth::password_hash(conn, a.id).await.map_err(AppError::internal)?,
        None => None,
    };
    let password_ok = state.passwords().verify(password, hash).await;
    let (Some(account), Some(member)) = (account, member) else { return Err(bad_login()) };
    let secret: String =
        Sealed::from_stored(member.totp_secret_sealed.clone()).open(&keys, TOTP_SECRET).map_err(AppError::internal)?;
    let secret = TotpSecret::from_base32(&secret).map_err(AppError::internal)?;
    let step = totp::verify(&secret, code, now.timestamp().max(0) as u64, 1, member.totp_last_step.map(|s| s as u64));
    let accepted = match (password_ok, step) {
        (true, Some(step)) => store::record_success(conn, member.id, step as i64).await.map_err(AppError::internal)?,
        _ => false,
    };
    if !accepted {
        let a = &state.settings().auth;
        let until = now + chrono::Duration::minutes(i64::from(a.staff_lockout_minutes));
        store::record_failure(conn, member.id, a.staff_lockout_failures as i32, until)
            .await
            .map_err(AppError::internal)?;
        audit(state, Actor::account(account.id), "staff.login_failed", account.id).await?;
        return Err(bad_login());
    }
    audit(state, Actor::staff(account.id), "staff.login", account.id).await?;
    sessions::start(state, account.id, SessionKind::Admin, device).await
}

/// A signed-in staff member: session, account and role.
#[derive(Debug, Clone)]
pub struct StaffUser {
    pub auth: Authenticated,
    pub role: StaffRole,
}

impl StaffUser {
    /// Refuses (and audits the refusal) unless the role grants `p`.
    pub async fn require(&self, state: &AppState, p: Permission) -> AppResult<()> {
        if self.role.can(p) {
            return Ok(());
        }
        crate::audit::record(
            state,
            AuditEntry {
                actor: Actor::staff(self.auth.account.id),
                action: "staff.permission_refused",
                subject: None,
                reason: None,
                detail: serde_json::json!({ "permission": format!("{p:?}") }),
            },
        )
        .await?;
        Err(AppError::Forbidden {
            code: "staff.permission_denied",
            message: format!("你的角色没有“{}”权限。", p.label()),
        })
    }
}

/// The staff member behind a back-office session token.
pub async fn authenticate(state: &AppState, token: &str) -> AppResult<Option<StaffUser>> {
    let Some(auth) = sessions::authenticate(state, token, SessionKind::Admin).await? else { return Ok(None) };
    let Some(member) = store::by_account(state.db().conn(), auth.account.id).await.map_err(AppError::internal)? else {
        return Ok(None);
    };
    let Some(role) = StaffRole::parse(&member.role) else { return Ok(None) };
    Ok(Some(StaffUser { auth, role }))
}
