//! A consistent online copy of the database. SQLite uses `VACUUM INTO`, which writes a
//! transactionally consistent snapshot while the server keeps running; PostgreSQL uses
//! `pg_dump`, which does the same from one snapshot. Keys are never part of a backup.

use std::path::Path;

use sea_orm::{ConnectionTrait, DbBackend};

use crate::{Db, StoreError, StoreResult};

/// Writes the database to `dest_dir`, returning the file written.
pub async fn backup_database(db: &Db, url: &str, dest_dir: &Path) -> StoreResult<std::path::PathBuf> {
    std::fs::create_dir_all(dest_dir)?;
    match db.backend() {
        DbBackend::Sqlite => {
            let dest = dest_dir.join("rencai.db");
            if dest.exists() {
                return Err(StoreError::Io(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    format!("{} already exists", dest.display()),
                )));
            }
            let quoted = dest.to_string_lossy().replace('\'', "''");
            db.conn().execute_unprepared(&format!("VACUUM INTO '{quoted}'")).await?;
            Ok(dest)
        }
        _ => {
            let dest = dest_dir.join("rencai.pgdump");
            let status = tokio::process::Command::new("pg_dump")
                .arg("--format=custom")
                .arg("--no-owner")
                .arg(format!("--file={}", dest.display()))
                .arg(url)
                .status()
                .await
                .map_err(|e| {
                    std::io::Error::new(
                        e.kind(),
                        format!("cannot run pg_dump (is the PostgreSQL client installed?): {e}"),
                    )
                })?;
            if !status.success() {
                return Err(StoreError::Io(std::io::Error::other(format!("pg_dump failed with {status}"))));
            }
            Ok(dest)
        }
    }
}

/// Loads a `pg_dump` archive into the database at `url`, replacing what is there, in one
/// transaction (a failure leaves the database as it was).
pub async fn restore_postgres(url: &str, dump: &Path) -> StoreResult<()> {
    let status = tokio::process::Command::new("pg_restore")
        .args(["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"])
        .arg(format!("--dbname={url}"))
        .arg(dump)
        .status()
        .await
        .map_err(|e| {
            std::io::Error::new(e.kind(), format!("cannot run pg_restore (is the PostgreSQL client installed?): {e}"))
        })?;
    if !status.success() {
        return Err(StoreError::Io(std::io::Error::other(format!("pg_restore failed with {status}"))));
    }
    Ok(())
}
