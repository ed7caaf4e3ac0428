use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use base64::Engine;
use rencai_app::AppState;
use rencai_app::auth::codes::{self, CaptchaAnswer, SendRequest};
use rencai_domain::account::Phone;
use rencai_domain::sms::SmsPurpose;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Problem;
use crate::WebError;
use crate::extract::{ApiJson, ClientIp};

/// A CAPTCHA challenge: show `image`, send back `id` and what the person read.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaptchaChallenge {
    pub id: String,
    /// `data:image/svg+xml;base64,…`
    pub image: String,
    /// Seconds the challenge stays valid.
    pub expires_in: u32,
}

/// A new image CAPTCHA (self-hosted). Needed for a verification code after the first one
/// requested from an address within an hour.
#[utoipa::path(post, path = "/api/v1/captcha", tag = "auth", responses((status = 200, body = CaptchaChallenge)))]
pub async fn captcha(State(state): State<AppState>) -> Result<impl IntoResponse, WebError> {
    let (id, svg) = rencai_app::auth::challenge::issue(&state).await?;
    let image = format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg));
    Ok(Json(CaptchaChallenge { id, image, expires_in: 600 }))
}

/// What a verification code is for.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodePurpose {
    Register,
    Login,
    ResetPassword,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// Mainland mobile number; +86, spaces and dashes are accepted.
    pub phone: String,
    pub purpose: CodePurpose,
    pub captcha_id: Option<String>,
    pub captcha_answer: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CodeAccepted {
    /// Seconds before another code may be requested for this number.
    pub resend_after: u64,
}

/// Requests an SMS verification code. The answer is the same whether or not the number is
/// registered. Limits: per number 1 a minute, 5 an hour, 10 a day; per address 20 an hour;
/// refusals are 429 with `Retry-After`.
#[utoipa::path(post, path = "/api/v1/auth/codes", tag = "auth", request_body = CodeRequest,
    responses(
        (status = 202, body = CodeAccepted),
        (status = 422, description = "Invalid number, or CAPTCHA required (`captcha.required`) or wrong", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many codes; see Retry-After", body = Problem, content_type = "application/problem+json")))]
pub async fn request_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<CodeRequest>,
) -> Result<impl IntoResponse, WebError> {
    let phone = Phone::parse(&req.phone)
        .map_err(|e| WebError::from(rencai_app::AppError::invalid_field("phone.invalid", "phone", e.to_string())))?;
    let purpose = match req.purpose {
        CodePurpose::Register => SmsPurpose::Register,
        CodePurpose::Login => SmsPurpose::Login,
        CodePurpose::ResetPassword => SmsPurpose::ResetPassword,
    };
    let captcha = req.captcha_id.map(|id| CaptchaAnswer { id, answer: req.captcha_answer.unwrap_or_default() });
    let outcome = codes::send(&state, SendRequest { phone, purpose, ip, captcha }).await?;
    Ok((StatusCode::ACCEPTED, Json(CodeAccepted { resend_after: outcome.resend_after_secs })))
}
