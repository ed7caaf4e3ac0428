//! Argon2id password hashing with parameters from configuration. Hashing is CPU work and runs
//! on the blocking pool. Unknown accounts are checked against a dummy hash of the same cost, so
//! a login answers in the same time whether or not the phone is registered (P20).

use std::sync::Arc;

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use rencai_domain::account::Password;

use crate::config::AuthSettings;
use crate::{AppError, AppResult};

#[derive(Clone, Debug)]
pub struct Passwords {
    params: Params,
    dummy: Arc<String>,
}

impl Passwords {
    pub fn new(settings: &AuthSettings) -> AppResult<Self> {
        let params =
            Params::new(settings.argon2_memory_kib, settings.argon2_iterations, settings.argon2_parallelism, None)
                .map_err(|e| AppError::invalid("auth.argon2_params", format!("Argon2 参数无效：{e}")))?;
        let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let dummy = hasher
            .hash_password(rencai_crypto::random_token(18).as_bytes())
            .map_err(|e| AppError::invalid("auth.argon2_params", e.to_string()))?
            .to_string();
        Ok(Self { params, dummy: Arc::new(dummy) })
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// The PHC string of a new hash.
    pub async fn hash(&self, password: &Password) -> AppResult<String> {
        let this = self.clone();
        let pw = password.expose().to_owned();
        tokio::task::spawn_blocking(move || this.argon2().hash_password(pw.as_bytes()).map(|h| h.to_string()))
            .await
            .map_err(AppError::internal)?
            .map_err(|e| AppError::internal(std::io::Error::other(e.to_string())))
    }

    /// Whether `password` matches `hash`; with `None`, spends the same effort and says no.
    pub async fn verify(&self, password: &str, hash: Option<String>) -> bool {
        let this = self.clone();
        let pw = password.to_owned();
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| (*self.dummy).clone());
        let ok =
            tokio::task::spawn_blocking(move || this.argon2().verify_password(pw.as_bytes(), hash.as_str()).is_ok())
                .await
                .unwrap_or(false);
        ok && known
    }
}
