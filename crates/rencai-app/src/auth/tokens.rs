//! Bearer tokens for the apps (M1): a short-lived access token and a refresh token that is
//! used once and can be revoked. The API reads no cookies at all, so it needs no CSRF token.
//!
//! Tokens issued at one login, and every pair refreshed from them, form a family. Presenting a
//! refresh token that was already used means someone holds a copy: the whole family ends
//! (OAuth 2.0 security best practice, refresh token rotation with reuse detection). Revoking
//! ends the family too, access tokens included.

use std::net::IpAddr;

use super::register::{self, Portal, Proof};
use super::sessions::{self, Authenticated, SessionKind};
use crate::{AppError, AppResult, AppState};

/// What an app receives.
#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds the access token lives.
    pub expires_in: i64,
}

fn unauthorized() -> AppError {
    AppError::Unauthorized { code: "auth.invalid_token", message: "登录已失效，请重新登录。".into() }
}

async fn issue(state: &AppState, account_id: i64, device: &str, family: &str) -> AppResult<TokenPair> {
    let access = sessions::start_in_family(state, account_id, SessionKind::Access, device, Some(family)).await?;
    let refresh = sessions::start_in_family(state, account_id, SessionKind::Refresh, device, Some(family)).await?;
    Ok(TokenPair {
        access_token: access.token,
        refresh_token: refresh.token,
        expires_in: SessionKind::Access.lifetime(state).num_seconds(),
    })
}

/// Signs an app in with phone and password or code.
pub async fn login(
    state: &AppState,
    phone: &str,
    proof: Proof,
    portal: Portal,
    ip: IpAddr,
    device: &str,
) -> AppResult<TokenPair> {
    let account = register::check_credentials(state, phone, proof, portal, ip).await?;
    issue(state, account.id, device, &uuid::Uuid::new_v4().to_string()).await
}

/// Trades a refresh token for a new pair. The old refresh token ends here; presenting it again
/// fails.
pub async fn refresh(state: &AppState, refresh_token: &str, device: &str) -> AppResult<TokenPair> {
    let conn = state.db().conn();
    let now = state.now();
    let Some(auth) = sessions::authenticate(state, refresh_token, SessionKind::Refresh).await? else {
        end_family_of(state, refresh_token).await?;
        return Err(unauthorized());
    };
    // Ending is a compare-and-set: of two concurrent refreshes with one token, one wins and the
    // other counts as reuse.
    let ended = rencai_store::auth::end_session(conn, auth.account.id, &auth.session.public_id, now)
        .await
        .map_err(AppError::internal)?;
    let family = auth.session.family.clone().unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    if !ended {
        rencai_store::auth::end_family(conn, &family, now).await.map_err(AppError::internal)?;
        return Err(unauthorized());
    }
    issue(state, auth.account.id, device, &family).await
}

/// Ends the family a (possibly used or expired) token belongs to, if any.
async fn end_family_of(state: &AppState, token: &str) -> AppResult<()> {
    let conn = state.db().conn();
    let row = rencai_store::auth::session_by_token_hash(conn, &sessions::token_hash(token))
        .await
        .map_err(AppError::internal)?;
    if let Some(family) = row.and_then(|r| r.family) {
        let n = rencai_store::auth::end_family(conn, &family, state.now()).await.map_err(AppError::internal)?;
        if n > 0 {
            tracing::warn!(ended = n, "a used refresh token was presented again; its token family was ended");
        }
    }
    Ok(())
}

/// Revokes a refresh token and every token of its family (app logout). Unknown tokens are fine.
pub async fn revoke(state: &AppState, refresh_token: &str) -> AppResult<()> {
    end_family_of(state, refresh_token).await?;
    sessions::end_by_token(state, refresh_token).await
}

/// The account behind an access token.
pub async fn authenticate(state: &AppState, access_token: &str) -> AppResult<Authenticated> {
    sessions::authenticate(state, access_token, SessionKind::Access).await?.ok_or_else(unauthorized)
}
