//! Bearer tokens for the apps (M1): a short-lived access token and a refresh token that is
//! used once and can be revoked. The API reads no cookies at all, so it needs no CSRF token.

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

async fn issue(state: &AppState, account_id: i64, device: &str) -> AppResult<TokenPair> {
    let access = sessions::start(state, account_id, SessionKind::Access, device).await?;
    let refresh = sessions::start(state, account_id, SessionKind::Refresh, device).await?;
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
    issue(state, account.id, device).await
}

/// Trades a refresh token for a new pair. The old refresh token ends here; presenting it again
/// fails.
pub async fn refresh(state: &AppState, refresh_token: &str, device: &str) -> AppResult<TokenPair> {
    let Some(auth) = sessions::authenticate(state, refresh_token, SessionKind::Refresh).await? else {
        return Err(unauthorized());
    };
    // Ending is a compare-and-set: of two concurrent refreshes with one token, one wins.
    let ended =
        rencai_store::auth::end_session(state.db().conn(), auth.account.id, &auth.session.public_id, state.now())
            .await
            .map_err(AppError::internal)?;
    if !ended {
        return Err(unauthorized());
    }
    issue(state, auth.account.id, device).await
}

/// Revokes a refresh token (app logout). Unknown tokens are fine.
pub async fn revoke(state: &AppState, refresh_token: &str) -> AppResult<()> {
    sessions::end_by_token(state, refresh_token).await
}

/// The account behind an access token.
pub async fn authenticate(state: &AppState, access_token: &str) -> AppResult<Authenticated> {
    sessions::authenticate(state, access_token, SessionKind::Access).await?.ok_or_else(unauthorized)
}
