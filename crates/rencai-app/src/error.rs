//! One error type for every use case, with stable codes that clients can rely on and a zh-CN
//! message a person can act on. Internal failures keep their cause for the log and show the
//! user only that something went wrong, with the request id.

use rencai_store::StoreError;

/// A problem with one input field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input is well-formed but not acceptable.
    #[error("{message}")]
    Validation { code: &'static str, message: String, fields: Vec<FieldError> },
    #[error("{what}不存在")]
    NotFound { code: &'static str, what: &'static str },
    #[error("{message}")]
    Conflict { code: &'static str, message: String, field: &'static str },
    #[error("服务暂时不可用，请稍后再试")]
    Unavailable { code: &'static str },
    /// Too many attempts; try again after `retry_after_secs`.
    #[error("{message}")]
    RateLimited { code: &'static str, message: String, retry_after_secs: u64 },
    /// Not signed in, or the credentials are wrong.
    #[error("{message}")]
    Unauthorized { code: &'static str, message: String },
    /// Signed in but not allowed.
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    #[error("服务器内部错误")]
    Internal(#[source] anyhow_like::BoxError),
}

/// Boxed cause of an internal error (kept for the log, never shown).
pub mod anyhow_like {
    pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;
}

impl AppError {
    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        AppError::Internal(Box::new(e))
    }

    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Validation { code, message: message.into(), fields: Vec::new() }
    }

    pub fn invalid_field(code: &'static str, field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        AppError::Validation {
            code,
            message: message.clone(),
            fields: vec![FieldError { field: field.into(), code: code.into(), message }],
        }
    }

    /// The stable code, e.g. `geo.invalid_point`.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation { code, .. } | AppError::NotFound { code, .. } | AppError::Conflict { code, .. } => {
                code
            }
            AppError::Unavailable { code } => code,
            AppError::RateLimited { code, .. }
            | AppError::Unauthorized { code, .. }
            | AppError::Forbidden { code, .. } => code,
            AppError::Internal(_) => "internal",
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { field } => {
                AppError::Conflict { code: "conflict", message: format!("该{field}已被使用"), field }
            }
            StoreError::NotFound => AppError::NotFound { code: "not_found", what: "记录" },
            other => AppError::internal(other),
        }
    }
}

/// Sealed data that cannot be opened is a fault of ours (missing key, tampering), never the
/// user's: it is internal, logged with its cause.
impl From<rencai_crypto::SealError> for AppError {
    fn from(e: rencai_crypto::SealError) -> Self {
        AppError::internal(e)
    }
}

pub type AppResult<T> = Result<T, AppError>;
