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

/// An app's login: phone and password, or phone and an SMS code (purpose `login`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub phone: String,
    pub password: Option<String>,
    pub code: Option<String>,
    /// `seeker` (default), `company` or `agency`.
    pub portal: Option<String>,
}

/// Bearer tokens. Send `Authorization: Bearer <access_token>`; trade the refresh token for a
/// new pair before the access token expires. Each refresh token works once.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub refresh_token: String,
}

impl From<rencai_app::auth::tokens::TokenPair> for TokenResponse {
    fn from(p: rencai_app::auth::tokens::TokenPair) -> Self {
        Self {
            access_token: p.access_token,
            token_type: "Bearer",
            expires_in: p.expires_in,
            refresh_token: p.refresh_token,
        }
    }
}

fn device(headers: &axum::http::HeaderMap) -> String {
    rencai_app::auth::sessions::device_label(
        headers.get(axum::http::header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or(""),
    )
}

/// Signs an app in. Wrong passwords and unknown numbers answer alike.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = TokenRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "Wrong phone, password or code", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn token(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: axum::http::HeaderMap,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<impl IntoResponse, WebError> {
    use rencai_app::auth::register::{Portal, Proof};
    let proof = match (req.password, req.code) {
        (Some(p), None) => Proof::Password(p),
        (None, Some(c)) => Proof::Code(c),
        _ => {
            return Err(WebError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "auth.proof_required",
                "请提供密码或短信验证码之一。",
            ));
        }
    };
    let portal = match req.portal.as_deref() {
        None | Some("seeker") => Portal::Seeker,
        Some("company") => Portal::Company,
        Some("agency") => Portal::Agency,
        Some(_) => {
            return Err(WebError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "auth.invalid_portal",
                "portal 只能是 seeker、company 或 agency。",
            ));
        }
    };
    let pair = rencai_app::auth::tokens::login(&state, &req.phone, proof, portal, ip, &device(&headers)).await?;
    Ok(Json(TokenResponse::from(pair)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// Trades a refresh token for a new pair; the old refresh token stops working.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn refresh(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<impl IntoResponse, WebError> {
    let pair = rencai_app::auth::tokens::refresh(&state, &req.refresh_token, &device(&headers)).await?;
    Ok(Json(TokenResponse::from(pair)))
}

/// Revokes a refresh token (app logout).
#[utoipa::path(post, path = "/api/v1/auth/revoke", tag = "auth", request_body = RefreshRequest, responses((status = 204)))]
pub async fn revoke(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> Result<impl IntoResponse, WebError> {
    rencai_app::auth::tokens::revoke(&state, &req.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in account, as an app sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    /// `seeker`, `company`, `agency`.
    pub role: String,
    /// Masked, e.g. `138****5678`.
    pub phone: String,
    /// `adult` or `minor` (16–17).
    pub age_group: String,
    /// The alias to bind for app push (a keyed hash of the account, not its id).
    pub push_alias: String,
}

/// The account behind the bearer token.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem, content_type = "application/problem+json")))]
pub async fn me(State(state): State<AppState>, BearerUser(user): BearerUser) -> Result<impl IntoResponse, WebError> {
    let phone: String = user
        .account
        .phone
        .open(&state.keys().get(), rencai_store::accounts::PHONE)
        .map_err(rencai_app::AppError::internal)?;
    Ok(Json(Me {
        push_alias: rencai_app::providers::push::alias_of(&state.keys().get(), &user.account.public_id),
        id: user.account.public_id.clone(),
        role: user.account.role.as_str().into(),
        phone: Phone::parse(&phone).map(|p| p.masked()).unwrap_or_default(),
        age_group: user.account.age_group.clone(),
    }))
}

/// The account of a request's `Authorization: Bearer` access token.
pub struct BearerUser(pub rencai_app::auth::sessions::Authenticated);

impl axum::extract::FromRequestParts<AppState> for BearerUser {
    type Rejection = WebError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| WebError::new(StatusCode::UNAUTHORIZED, "auth.required", "请先登录。"))?;
        let user = rencai_app::auth::tokens::authenticate(state, token).await?;
        if crate::consent_gate::holds_back(state, &user, crate::consent_gate::full_path(parts)).await? {
            return Err(crate::consent_gate::refusal());
        }
        Ok(BearerUser(user))
    }
}
