//! Registration and login (P1–P4, P20).

use std::net::IpAddr;

use rencai_crypto::Sealed;
use rencai_domain::account::{AgeGroup, BirthDate, MinorBasis, Password, Phone, Role};
use rencai_domain::sms::SmsPurpose;
use rencai_store::TransactionTrait;
use rencai_store::accounts::{self, AccountRecord, NewAccount};
use rencai_store::audit::{Actor, AuditEntry};
use rencai_store::legal::LegalKind;
use rencai_store::rotation::CONSENT_IP;

use super::codes;
use super::sessions::{self, NewSessionToken, SessionKind};
use crate::error::FieldError;
use crate::{AppError, AppResult, AppState};

/// What the registration form sends. Only what is needed (P4).
#[derive(Debug, Clone)]
pub struct RegisterInput {
    pub phone: String,
    pub code: String,
    pub password: String,
    pub birth_date: String,
    pub role: Role,
    pub minor_basis: Option<MinorBasis>,
    /// The privacy policy and user agreement were accepted.
    pub accepted: bool,
    pub ip: IpAddr,
    pub device: String,
}

fn field(field: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), code: code.into(), message: message.into() }
}

/// Registers an account and signs it in.
pub async fn register(state: &AppState, input: RegisterInput) -> AppResult<NewSessionToken> {
    let today = rencai_domain::time::china_day(state.now());
    let mut errors = Vec::new();
    let phone =
        Phone::parse(&input.phone).map_err(|e| errors.push(field("phone", "phone.invalid", e.to_string()))).ok();
    let password = Password::parse(&input.password)
        .map_err(|e| errors.push(field("password", "password.weak", e.to_string())))
        .ok();
    let birth = BirthDate::parse(&input.birth_date, today)
        .map_err(|e| errors.push(field("birth_date", "birth_date.invalid", e.to_string())))
        .ok();
    if input.role == Role::Staff {
        errors.push(field("role", "role.not_allowed", "工作人员账号只能由工作人员创建。"));
    }
    if !input.accepted {
        errors.push(field("accept", "consent.required", "请阅读并同意《用户协议》和《隐私政策》。"));
    }
    let age_group = birth.map(|b| b.age_group(today));
    if age_group == Some(AgeGroup::Child) {
        return Err(AppError::Validation {
            code: "age.under_16",
            message: "未满 16 周岁不能注册本站账号。".into(),
            fields: vec![field("birth_date", "age.under_16", "未满 16 周岁不能注册本站账号。")],
        });
    }
    if age_group == Some(AgeGroup::Minor) && input.minor_basis.is_none() {
        errors.push(field(
            "minor_basis",
            "age.minor_basis_required",
            "16–17 周岁注册需确认已取得监护人同意，或以自己的劳动收入为主要生活来源。",
        ));
    }
    let (Some(phone), Some(password), Some(birth), true) = (phone, password, birth, errors.is_empty()) else {
        return Err(AppError::Validation {
            code: "request.invalid_fields",
            message: "请检查填写的内容。".into(),
            fields: errors,
        });
    };
    let age_group = birth.age_group(today);

    codes::verify(state, &phone, SmsPurpose::Register, &input.code).await?;
    let keys = state.keys().get();
    let conn = state.db().conn();
    // Only the holder of the number gets this far, so saying it is taken reveals nothing (P20).
    if accounts::find_by_phone(conn, &keys, &phone).await?.is_some() {
        return Err(AppError::Conflict {
            code: "account.phone_taken",
            message: "该手机号已注册，请直接登录。".into(),
            field: "phone",
        });
    }
    let hash = state.passwords().hash(&password).await?;
    let privacy = crate::legal::current(state, LegalKind::Privacy).await?;
    let terms = crate::legal::current(state, LegalKind::Terms).await?;
    let now = state.now();

    let txn = conn.begin().await.map_err(AppError::internal)?;
    let account = accounts::create(
        &txn,
        &keys,
        &NewAccount {
            station_id: state.station().id,
            role: input.role,
            name: None,
            phone,
            email: None,
            birth_date: Some(birth.date()),
            age_group,
            minor_basis: if age_group == AgeGroup::Minor { input.minor_basis } else { None },
        },
        now,
    )
    .await?;
    rencai_store::auth::set_password(&txn, account.id, &hash, now).await.map_err(AppError::internal)?;
    let ip = Sealed::seal(&keys, CONSENT_IP, &input.ip.to_string());
    rencai_store::auth::record_consent(&txn, account.id, &privacy.version, &terms.version, ip.as_stored(), now)
        .await
        .map_err(AppError::internal)?;
    rencai_store::audit::append(
        &txn,
        keys.audit_key(),
        &AuditEntry {
            actor: Actor::account(account.id),
            action: "account.register",
            subject: Some(("account", account.id)),
            reason: None,
            detail: serde_json::json!({ "role": input.role.as_str(), "age_group": age_group.as_str() }),
        },
        now,
    )
    .await
    .map_err(AppError::internal)?;
    txn.commit().await.map_err(AppError::internal)?;
    sessions::start(state, account.id, SessionKind::Web, &input.device).await
}

/// Which login entry a request came through. Each admits its own roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Portal {
    Seeker,
    Company,
    Agency,
}

impl Portal {
    pub fn admits(self, role: Role) -> bool {
        matches!(
            (self, role),
            (Portal::Seeker, Role::Seeker) | (Portal::Company, Role::Company) | (Portal::Agency, Role::Agency)
        )
    }

    pub fn for_role(role: Role) -> Option<(&'static str, &'static str)> {
        match role {
            Role::Seeker => Some(("/login", "求职者登录")),
            Role::Company => Some(("/company/login", "企业登录")),
            Role::Agency => Some(("/agency/login", "人力资源机构登录")),
            Role::Staff => None,
        }
    }
}

/// How a person proves who they are at login.
#[derive(Debug, Clone)]
pub enum Proof {
    Password(String),
    Code(String),
}

fn bad_credentials() -> AppError {
    AppError::Unauthorized { code: "auth.invalid_credentials", message: "手机号或密码错误。".into() }
}

/// The blind index of a login's address bucket.
const LOGIN_ADDRESS: rencai_crypto::FieldContext = rencai_crypto::FieldContext("login_failures.ip");

/// Checks a phone with a password or code and returns the account, after auditing the login.
/// Unknown numbers get the same answer, after the same work, as wrong passwords (P20).
pub async fn check_credentials(
    state: &AppState,
    phone: &str,
    proof: Proof,
    portal: Portal,
    ip: IpAddr,
) -> AppResult<AccountRecord> {
    let keys = state.keys().get();
    let conn = state.db().conn();
    let phone = Phone::parse(phone);
    let account = match &phone {
        Ok(p) => accounts::find_by_phone(conn, &keys, p).await?,
        Err(_) => None,
    };
    match proof {
        Proof::Password(password) => {
            // Online guessing is throttled per number, registered or not, so the pause itself
            // reveals nothing.
            let Ok(p) = &phone else { return Err(bad_credentials()) };
            let blind = accounts::phone_index(&keys, p).into_string();
            let now = state.now();
            let ip_blind = rencai_crypto::BlindIndex::compute(&keys, LOGIN_ADDRESS, &rencai_domain::sms::ip_bucket(ip))
                .into_string();
            let (from_address, oldest) =
                rencai_store::auth::login_failures_from(conn, &ip_blind, now - chrono::Duration::hours(1))
                    .await
                    .map_err(AppError::internal)?;
            if from_address >= state.settings().auth.password_failures_per_address_per_hour {
                let wait = oldest.map(|o| (o + chrono::Duration::hours(1) - now).num_seconds().max(1)).unwrap_or(3600);
                return Err(AppError::RateLimited {
                    code: "auth.too_many_failures_from_address",
                    message: "这个网络的密码错误次数过多，请稍后再试，或使用短信验证码登录。".into(),
                    retry_after_secs: wait as u64,
                });
            }
            let limit = state.settings().auth.password_failures_per_hour;
            let (failures, oldest) =
                rencai_store::auth::login_failures_since(conn, &blind, now - chrono::Duration::hours(1))
                    .await
                    .map_err(AppError::internal)?;
            if failures >= limit {
                let wait = oldest.map(|o| (o + chrono::Duration::hours(1) - now).num_seconds().max(1)).unwrap_or(3600);
                return Err(AppError::RateLimited {
                    code: "auth.too_many_failures",
                    message: "密码错误次数过多，请稍后再试，或使用短信验证码登录。".into(),
                    retry_after_secs: wait as u64,
                });
            }
            let hash = match &account {
                Some(a) => rencai_store::auth::password_hash(conn, a.id).await.map_err(AppError::internal)?,
                None => None,
            };
            if !state.passwords().verify(&password, hash).await {
                rencai_store::auth::record_login_failure(conn, &blind, &ip_blind, now)
                    .await
                    .map_err(AppError::internal)?;
                return Err(bad_credentials());
            }
        }
        Proof::Code(code) => {
            let Ok(p) = &phone else {
                return Err(AppError::invalid_field("code.invalid", "code", "验证码错误或已过期。"));
            };
            codes::verify(state, p, SmsPurpose::Login, &code).await?;
        }
    }
    let Some(account) = account else { return Err(bad_credentials()) };
    if account.status != "active" {
        return Err(bad_credentials());
    }
    if !portal.admits(account.role) {
        // Only someone who proved the credentials learns which entry to use.
        let (href, label) = Portal::for_role(account.role).unwrap_or(("/", "对应入口"));
        return Err(AppError::Forbidden {
            code: "auth.wrong_portal",
            message: format!("该账号请从“{label}”（{href}）登录。"),
        });
    }
    rencai_store::audit::append(
        conn,
        keys.audit_key(),
        &AuditEntry {
            actor: Actor::account(account.id),
            action: "auth.login",
            subject: Some(("account", account.id)),
            reason: None,
            detail: serde_json::json!({ "ip_v6": ip.is_ipv6() }),
        },
        state.now(),
    )
    .await
    .map_err(AppError::internal)?;
    Ok(account)
}

/// Signs in on the website: checks the credentials and starts a session.
pub async fn login(
    state: &AppState,
    phone: &str,
    proof: Proof,
    portal: Portal,
    ip: IpAddr,
    device: &str,
) -> AppResult<NewSessionToken> {
    let account = check_credentials(state, phone, proof, portal, ip).await?;
    sessions::start(state, account.id, SessionKind::Web, device).await
}
