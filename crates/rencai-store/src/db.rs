//! Connecting to the database and running raw statements portably.

use std::time::Duration;

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend, Statement, Value};
use sea_orm_migration::MigratorTrait;

use crate::migration::Migrator;

pub type Backend = DbBackend;

/// How to reach the database.
#[derive(Debug, Clone)]
pub struct DbConfig {
    /// `sqlite://path/to/rencai.db` or `postgres://user@host/db`.
    pub url: String,
    pub max_connections: u32,
}

/// A connection pool to SQLite or PostgreSQL.
#[derive(Debug, Clone)]
pub struct Db {
    conn: DatabaseConnection,
}

impl Db {
    /// Connects. SQLite files are created if missing and put in WAL mode with foreign keys on,
    /// so readers never block the writer and a crash loses no committed transaction.
    pub async fn connect(cfg: &DbConfig) -> Result<Self, sea_orm::DbErr> {
        let mut opts = ConnectOptions::new(cfg.url.clone());
        opts.max_connections(cfg.max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30))
            // sqlx logs every statement with its bound values; those can be personal data.
            .sqlx_logging(false);
        if cfg.url.starts_with("sqlite:") {
            opts.map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
            });
        }
        let conn = Database::connect(opts).await?;
        Ok(Self { conn })
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// The PostgreSQL pool under the connection, for `LISTEN` (none on SQLite).
    pub fn postgres_pool(&self) -> Option<sea_orm::sqlx::PgPool> {
        match self.conn.get_database_backend() {
            Backend::Postgres => Some(self.conn.get_postgres_connection_pool().clone()),
            _ => None,
        }
    }

    pub fn backend(&self) -> Backend {
        self.conn.get_database_backend()
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), sea_orm::DbErr> {
        Migrator::up(&self.conn, None).await
    }

    /// Names of migrations not yet applied.
    pub async fn pending_migrations(&self) -> Result<Vec<String>, sea_orm::DbErr> {
        Ok(Migrator::get_pending_migrations(&self.conn).await?.iter().map(|m| m.name().to_string()).collect())
    }

    pub async fn ping(&self) -> Result<(), sea_orm::DbErr> {
        self.conn.ping().await
    }

    pub async fn close(self) -> Result<(), sea_orm::DbErr> {
        self.conn.close().await
    }
}

/// A raw statement written with `?` placeholders, numbered for PostgreSQL. Our SQL never has
/// `?` inside string literals, so a plain substitution is exact.
pub fn raw(backend: Backend, sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut n = 0;
        for ch in sql.chars() {
            if ch == '?' {
                n += 1;
                out.push('$');
                out.push_str(&n.to_string());
            } else {
                out.push(ch);
            }
        }
        out
    } else {
        sql.to_string()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres_only() {
        let pg = raw(DbBackend::Postgres, "SELECT ? + ?", [1i64.into(), 2i64.into()]);
        assert_eq!(pg.sql, "SELECT $1 + $2");
        let lite = raw(DbBackend::Sqlite, "SELECT ? + ?", [1i64.into(), 2i64.into()]);
        assert_eq!(lite.sql, "SELECT ? + ?");
    }
}
