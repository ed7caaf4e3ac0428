//! Rencai's storage: one set of entities and migrations for SQLite and PostgreSQL, plus the
//! three durable mechanisms everything else relies on — the change log, the delivery queue and
//! the audit chain — and the re-sealing pass of key rotation.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod behaviour;
pub mod changelog;
pub mod chat;
mod db;
pub mod delivery;
pub mod dev_mail;
pub mod entity;
pub mod files;
pub mod incidents;
pub mod legal;
pub mod market;
pub mod migration;
pub mod notice_templates;
pub mod notifications;
pub mod privacy;
pub mod rotation;
pub mod staff;
pub mod stats;
pub mod taxonomy;
pub mod tickets;

pub use db::{Backend, Db, DbConfig, raw};
pub use sea_orm::sqlx;
pub use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, TransactionSession, TransactionTrait};

/// What storage can refuse or fail with. Constraint violations become typed conflicts so that
/// callers answer 409/422 with the field, never 500.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("a row with this {field} already exists")]
    Conflict { field: &'static str },
    #[error("not found")]
    NotFound,
    #[error("sealed data could not be opened: {0}")]
    Seal(#[from] rencai_crypto::SealError),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    /// Maps a unique-constraint violation on a known column to [`StoreError::Conflict`].
    pub(crate) fn from_db(err: DbErr, unique_columns: &[(&str, &'static str)]) -> Self {
        let text = err.to_string();
        if text.contains("UNIQUE constraint failed") || text.contains("duplicate key value") {
            for (column, field) in unique_columns {
                if text.contains(column) {
                    return StoreError::Conflict { field };
                }
            }
        }
        StoreError::Db(err)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Whether `s` can be a public id (a UUID). Lookups by anything else find nothing without
/// asking the database, so odd bytes in a URL never reach SQL.
pub(crate) fn is_public_id(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}
