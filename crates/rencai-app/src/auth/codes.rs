//! Sending and checking SMS verification codes (P1, P20).
//!
//! Every send does the same work whatever the phone's registration status: a code row (which
//! the limits count) and a delivery job, in one transaction. Whether the SMS really leaves is
//! decided by the delivery worker (`suppress`), so neither the answer nor its timing tells a
//! caller whether a number is registered. Codes are 6 digits from the OS CSPRNG, stored as an
//! HMAC bound to phone and purpose, single-use, expiring, and tried at most a few times.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use rencai_crypto::{BlindIndex, FieldContext};
use rencai_domain::account::Phone;
use rencai_domain::sms::{SmsPurpose, check_send, ip_bucket};
use rencai_store::TransactionTrait;
use rencai_store::accounts::{self, phone_index};
use rencai_store::auth as store;

use super::china_day_bounds;
use crate::{AppError, AppResult, AppState};

const CODE_HASH: FieldContext = FieldContext("sms_codes.code");
/// Sealing context of the phone number and parameters inside a delivery job.
pub const DELIVERY_PHONE: FieldContext = FieldContext("delivery.phone");
pub const DELIVERY_PARAMS: FieldContext = FieldContext("delivery.params");
/// The delivery job kind that sends an SMS.
pub const SMS_JOB: &str = "sms.send";

/// A CAPTCHA answer sent along with a code request.
#[derive(Debug, Clone)]
pub struct CaptchaAnswer {
    pub id: String,
    pub answer: String,
}

/// A request for a code.
#[derive(Debug, Clone)]
pub struct SendRequest {
    pub phone: Phone,
    pub purpose: SmsPurpose,
    pub ip: IpAddr,
    pub captcha: Option<CaptchaAnswer>,
}

/// What the caller is told after a send: the same for every phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendOutcome {
    /// Seconds before another code may be asked for this phone.
    pub resend_after_secs: u64,
}

fn code_hash(keys: &rencai_crypto::Keyring, phone_blind: &str, purpose: SmsPurpose, code: &str) -> String {
    BlindIndex::compute(keys, CODE_HASH, &format!("{phone_blind}|{}|{code}", purpose.as_str())).into_string()
}

/// A uniformly random 6-digit code.
pub(crate) fn new_code() -> String {
    loop {
        let mut b = [0u8; 4];
        rencai_crypto::random_bytes(&mut b);
        let n = u32::from_le_bytes(b);
        // Reject the top sliver so every code is equally likely.
        if n < u32::MAX - (u32::MAX % 1_000_000) {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// The CAPTCHA rule: from the second code requested from an address within an hour.
fn captcha_due(state: &AppState, sends_from_address_last_hour: u32) -> bool {
    state.settings().auth.captcha_after_first_send && sends_from_address_last_hour > 0
}

/// Whether a code request from `ip` must carry a CAPTCHA answer now (for pages deciding
/// whether to show one).
pub async fn captcha_required(state: &AppState, ip: IpAddr) -> AppResult<bool> {
    if !state.settings().auth.captcha_after_first_send {
        return Ok(false);
    }
    let since = state.now() - chrono::Duration::hours(1);
    let sends = store::sends_from(state.db().conn(), &ip_bucket(ip), since).await.map_err(AppError::internal)?;
    Ok(captcha_due(state, sends))
}

/// Whether the SMS for this purpose really goes out to this phone.
async fn deliverable(state: &AppState, phone: &Phone, purpose: SmsPurpose) -> AppResult<bool> {
    let registered = accounts::find_by_phone(state.db().conn(), &state.keys().get(), phone).await?.is_some();
    Ok(match purpose {
        // The owner of a registered number learns it is registered only after proving they
        // hold it (the registration step says so once the code checks out).
        SmsPurpose::Register => true,
        SmsPurpose::Login | SmsPurpose::ResetPassword | SmsPurpose::ChangePhoneOld => registered,
        SmsPurpose::ChangePhoneNew => !registered,
    })
}

/// Sends a code, if the limits allow.
pub async fn send(state: &AppState, req: SendRequest) -> AppResult<SendOutcome> {
    let now = state.now();
    let limits = state.settings().auth.sms_limits;
    let keys = state.keys().get();
    let bucket = ip_bucket(req.ip);
    let blind = phone_index(&keys, &req.phone).into_string();
    let (day_start, day_end) = china_day_bounds(now);
    let conn = state.db().conn();

    let counts =
        store::send_counts(conn, &blind, &bucket, now, day_start, day_end).await.map_err(AppError::internal)?;
    if captcha_due(state, counts.ip_last_hour) {
        let Some(answer) = &req.captcha else {
            return Err(AppError::invalid_field("captcha.required", "captcha", "请先输入图形验证码。"));
        };
        if !crate::auth::challenge::check(state, &answer.id, &answer.answer).await? {
            return Err(AppError::invalid_field("captcha.wrong", "captcha", "图形验证码不正确或已过期，请重新输入。"));
        }
    }
    if let Err(refusal) = check_send(&counts, &limits) {
        if matches!(refusal, rencai_domain::sms::SendRefusal::Budget { .. }) {
            crate::delivery_worker::alert_staff_once(
                state,
                "sms.budget_exhausted",
                rencai_domain::time::china_day(now),
            )
            .await?;
        }
        return Err(AppError::RateLimited {
            code: refusal.code(),
            message: refusal.message(),
            retry_after_secs: refusal.retry_after().as_secs(),
        });
    }

    let suppress = !deliverable(state, &req.phone, req.purpose).await?;
    let code = new_code();
    let txn = conn.begin().await.map_err(AppError::internal)?;
    let id = store::insert_code(
        &txn,
        &store::NewCode {
            phone_blind: &blind,
            purpose: req.purpose.as_str(),
            code_hash: &code_hash(&keys, &blind, req.purpose, &code),
            ip_bucket: &bucket,
            created_at: now,
            expires_at: now + chrono::Duration::seconds(limits.code_ttl_secs as i64),
        },
    )
    .await
    .map_err(AppError::internal)?;
    let params: std::collections::BTreeMap<String, String> = [("code".to_string(), code)].into_iter().collect();
    crate::delivery_worker::enqueue_sms(
        state,
        &txn,
        crate::delivery_worker::QueuedSms {
            phone: &req.phone,
            template: crate::providers::sms::SmsTemplate::VerificationCode,
            params,
            client_ref: format!("code-{id}"),
            suppress,
        },
    )
    .await?;
    txn.commit().await.map_err(AppError::internal)?;
    if counts.global_today + 1 >= limits.global_per_day {
        crate::delivery_worker::alert_staff_once(state, "sms.budget_exhausted", rencai_domain::time::china_day(now))
            .await?;
    }
    Ok(SendOutcome { resend_after_secs: 60 })
}

fn invalid_code() -> AppError {
    AppError::invalid_field("code.invalid", "code", "验证码错误或已过期。")
}

/// Checks and uses up a code. Wrong answers count against the code and the phone's day.
pub async fn verify(state: &AppState, phone: &Phone, purpose: SmsPurpose, code: &str) -> AppResult<()> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid_code());
    }
    let now: DateTime<Utc> = state.now();
    let limits = state.settings().auth.sms_limits;
    let keys = state.keys().get();
    let conn = state.db().conn();
    let blind = phone_index(&keys, phone).into_string();
    let (day_start, day_end) = china_day_bounds(now);
    if store::wrong_tries_since(conn, &blind, day_start).await.map_err(AppError::internal)?
        >= limits.max_wrong_tries_per_phone_per_day
    {
        return Err(AppError::RateLimited {
            code: "code.locked",
            message: "今日验证码错误次数过多，请明天再试或使用密码登录。".into(),
            retry_after_secs: (day_end - now).num_seconds().max(1) as u64,
        });
    }
    let Some(active) =
        store::latest_active_code(conn, &blind, purpose.as_str(), now).await.map_err(AppError::internal)?
    else {
        return Err(invalid_code());
    };
    let expected = code_hash(&keys, &blind, purpose, code);
    if !bool::from(subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), active.code_hash.as_bytes())) {
        store::record_wrong_try(conn, active.id, limits.max_wrong_tries_per_code as i32, now)
            .await
            .map_err(AppError::internal)?;
        return Err(invalid_code());
    }
    if !store::consume_code(conn, active.id, now).await.map_err(AppError::internal)? {
        return Err(invalid_code());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::new_code;

    #[test]
    fn codes_are_six_digits_and_vary() {
        let codes: std::collections::HashSet<String> = (0..200).map(|_| new_code()).collect();
        assert!(codes.iter().all(|c| c.len() == 6 && c.bytes().all(|b| b.is_ascii_digit())));
        assert!(codes.len() > 190, "random, not repeating");
    }
}
