//! Opening a data folder: keys, database, migrations and the data every site needs.

use std::sync::Arc;

use rencai_crypto::{KeyFile, SharedKeys};
use rencai_store::{Db, DbConfig};

use crate::clock::Clock;
use crate::config::{Settings, SmsProvider};
use crate::providers::sms::SmsSender;
use crate::providers::sms_aliyun::{AliyunSms, AliyunSmsConfig};
use crate::providers::sms_outbox::DevOutbox;
use crate::{AppError, AppResult, AppState};

/// Creates the data folder (private to this user), opens or creates the key file, connects and
/// migrates the database, and loads taxonomies and the bundled legal texts where missing.
pub async fn open(settings: Settings, clock: Arc<dyn Clock>) -> AppResult<AppState> {
    create_private_dir(&settings.data_dir)?;
    create_private_dir(&settings.uploads_dir())?;
    let keys = SharedKeys::from_file(KeyFile::new(settings.key_file())).map_err(AppError::internal)?;
    let db =
        Db::connect(&DbConfig { url: settings.database_url(), max_connections: settings.database.max_connections })
            .await
            .map_err(AppError::internal)?;
    db.migrate().await.map_err(AppError::internal)?;
    let sms = sms_sender(&settings, &db, &keys)?;
    let state = AppState::new(db, keys, settings, clock, sms)?;
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
            format!("找不到密钥文件 {}；请确认 --data-dir 或 keys.file 设置", file.path().display()),
        ));
    }
    let keys = SharedKeys::from_file(file).map_err(AppError::internal)?;
    let db =
        Db::connect(&DbConfig { url: settings.database_url(), max_connections: settings.database.max_connections })
            .await
            .map_err(AppError::internal)?;
    let sms = sms_sender(&settings, &db, &keys)?;
    AppState::new(db, keys, settings, clock, sms)
}

/// The SMS gateway the settings ask for.
pub fn sms_sender(settings: &Settings, db: &Db, keys: &SharedKeys) -> AppResult<Option<Arc<dyn SmsSender>>> {
    Ok(match settings.sms_provider() {
        None => None,
        Some(SmsProvider::Outbox) => Some(Arc::new(DevOutbox::new(db.clone(), keys.clone()))),
        Some(SmsProvider::Aliyun) => {
            let a = &settings.sms.aliyun;
            let config = AliyunSmsConfig {
                endpoint: a.endpoint.clone(),
                access_key_id: a.access_key_id.clone(),
                access_key_secret: a.access_key_secret.clone(),
                sign_name: a.sign_name.clone(),
                region_id: a.region_id.clone(),
                templates: [
                    ("verification_code".to_string(), a.template_verification_code.clone()),
                    ("recruiter_invite".to_string(), a.template_recruiter_invite.clone()),
                    ("interview_invite".to_string(), a.template_interview_invite.clone()),
                    ("incident_notice".to_string(), a.template_incident_notice.clone()),
                ]
                .into_iter()
                .collect(),
            };
            let sender = AliyunSms::new(config).map_err(|e| AppError::invalid("sms.config", e.to_string()))?;
            Some(Arc::new(sender))
        }
    })
}

fn create_private_dir(path: &std::path::Path) -> AppResult<()> {
    std::fs::create_dir_all(path).map_err(AppError::internal)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700)).map_err(AppError::internal)?;
    }
    Ok(())
}
