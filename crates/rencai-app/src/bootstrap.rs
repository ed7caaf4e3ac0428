//! Opening a data folder: keys, database, migrations and the data every site needs.

use std::sync::Arc;

use rencai_crypto::{KeyFile, SharedKeys};
use rencai_store::{Db, DbConfig};

use crate::clock::Clock;
use crate::config::Settings;
use crate::{AppError, AppResult, AppState};

/// Creates the data folder (private to this user), opens or creates the key file, connects and
/// migrates the database, and loads taxonomies and the bundled legal texts where missing.
pub async fn open(settings: Settings, clock: Arc<dyn Clock>) -> AppResult<AppState> {
    create_private_dir(&settings.data_dir)?;
    create_private_dir(&settings.uploads_dir())?;
    let keys =
        SharedKeys::from_file(KeyFile::new(settings.key_file())).map_err(AppError::internal)?;
    let db = Db::connect(&DbConfig {
        url: settings.database_url(),
        max_connections: settings.database.max_connections,
    })
    .await
    .map_err(AppError::internal)?;
    db.migrate().await.map_err(AppError::internal)?;
    let state = AppState::new(db, keys, settings, clock);
    rencai_store::taxonomy::seed_if_empty(state.db().conn(), state.station().id).await?;
    crate::legal::ensure_bundled(&state).await?;
    Ok(state)
}

/// Opens the database and keys of a data folder without changing anything (for commands that
/// only read, such as `audit verify`). Fails if the key file does not exist.
pub async fn open_existing(settings: Settings, clock: Arc<dyn Clock>) -> AppResult<AppState> {
    let file = KeyFile::new(settings.key_file());
    if !file.exists() {
        return Err(AppError::invalid(
            "keys.missing",
            format!(
                "找不到密钥文件 {}；请确认 --data-dir 或 keys.file 设置",
                file.path().display()
            ),
        ));
    }
    let keys = SharedKeys::from_file(file).map_err(AppError::internal)?;
    let db = Db::connect(&DbConfig {
        url: settings.database_url(),
        max_connections: settings.database.max_connections,
    })
    .await
    .map_err(AppError::internal)?;
    Ok(AppState::new(db, keys, settings, clock))
}

fn create_private_dir(path: &std::path::Path) -> AppResult<()> {
    std::fs::create_dir_all(path).map_err(AppError::internal)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))
            .map_err(AppError::internal)?;
    }
    Ok(())
}
