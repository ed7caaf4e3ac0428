//! Backups: a consistent copy of the database plus the uploaded files, with a manifest of
//! checksums. The key file is deliberately left out (P9): a stolen backup alone reveals no
//! personal data. The manifest names the key ids needed to read it, never the keys.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{AppError, AppResult, AppState};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BackupFile {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BackupManifest {
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub rencai_version: String,
    pub database: String,
    pub key_ids_needed: Vec<String>,
    pub files: Vec<BackupFile>,
}

/// Writes a backup into `out`, which must not exist or be empty. `progress(done, total)`
/// counts uploaded files copied.
pub async fn run(state: &AppState, out: &Path, mut progress: impl FnMut(u64, u64)) -> AppResult<BackupManifest> {
    if out.exists() && std::fs::read_dir(out).map_err(AppError::internal)?.next().is_some() {
        return Err(AppError::Conflict {
            code: "backup.exists",
            message: format!("{} 已存在且不为空", out.display()),
            field: "out",
        });
    }
    std::fs::create_dir_all(out).map_err(AppError::internal)?;
    let db_file = rencai_store::backup::backup_database(state.db(), &state.settings().database_url(), out).await?;
    let mut files = vec![describe(out, &db_file)?];

    let uploads = state.settings().uploads_dir();
    let mut sources = Vec::new();
    if uploads.exists() {
        collect_files(&uploads, &mut sources).map_err(AppError::internal)?;
    }
    let total = sources.len() as u64;
    for (i, src) in sources.iter().enumerate() {
        let rel = src.strip_prefix(&uploads).map_err(AppError::internal)?;
        let dest = out.join("uploads").join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(AppError::internal)?;
        }
        std::fs::copy(src, &dest).map_err(AppError::internal)?;
        files.push(describe(out, &dest)?);
        progress(i as u64 + 1, total);
    }
    let manifest = BackupManifest {
        created_at: state.now(),
        rencai_version: env!("CARGO_PKG_VERSION").to_owned(),
        database: db_file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        key_ids_needed: state.keys().get().field_key_ids().map(str::to_owned).collect(),
        files,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(AppError::internal)?;
    std::fs::write(out.join("manifest.json"), json).map_err(AppError::internal)?;
    Ok(manifest)
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    out.sort();
    Ok(())
}

fn describe(root: &Path, file: &Path) -> AppResult<BackupFile> {
    use sha2::Digest;
    let bytes = std::fs::read(file).map_err(AppError::internal)?;
    Ok(BackupFile {
        path: file.strip_prefix(root).unwrap_or(file).to_string_lossy().into_owned(),
        bytes: bytes.len() as u64,
        sha256: hex::encode(sha2::Sha256::digest(&bytes)),
    })
}

/// What a restore did.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    pub manifest: BackupManifest,
    /// Entries of the deletion log carried over from before the restore.
    pub deletions_known: usize,
    /// Accounts the restored backup had active again and the log deactivated anew.
    pub deactivated_again: u64,
    /// Where the uploads folder that was replaced now lives, if there was one.
    pub old_uploads: Option<PathBuf>,
}

/// Checks every file of a backup against its manifest.
pub fn verify(dir: &Path) -> AppResult<BackupManifest> {
    let bad = |m: String| AppError::invalid("backup.invalid", m);
    let text = std::fs::read(dir.join("manifest.json"))
        .map_err(|e| bad(format!("读不到 {}/manifest.json：{e}", dir.display())))?;
    let manifest: BackupManifest =
        serde_json::from_slice(&text).map_err(|e| bad(format!("manifest.json 无法解析：{e}")))?;
    for f in &manifest.files {
        let actual = describe(dir, &dir.join(&f.path)).map_err(|_| bad(format!("备份缺少文件 {}", f.path)))?;
        if actual.sha256 != f.sha256 || actual.bytes != f.bytes {
            return Err(bad(format!("备份文件 {} 与清单不符（已损坏或被改动）", f.path)));
        }
    }
    Ok(manifest)
}

/// Replaces the database and uploads of the data folder with a backup's, then replays the
/// deletion log — the database's as it stood before the restore, and the log file beside it —
/// so no account deleted since the backup comes back (P14). The search index is rebuilt.
/// `serve` must be stopped: the search index's lock proves it.
pub async fn restore(
    settings: crate::config::Settings,
    clock: std::sync::Arc<dyn crate::clock::Clock>,
    from: &Path,
) -> AppResult<(AppState, RestoreReport)> {
    use crate::privacy::deactivation;
    let manifest = verify(from)?;
    let db_file = from.join(&manifest.database);
    let mut entries = deactivation::read_file(&settings.data_dir.join(deactivation::LOG_FILE))?;
    if settings.key_file().exists() {
        let before = crate::bootstrap::open_existing(settings.clone(), clock.clone()).await?;
        crate::search::hold(&before).await?;
        if let Ok(known) = rencai_store::privacy::deletions(before.db().conn()).await {
            for d in known {
                if !entries.iter().any(|e| e.account_id == d.account_id) {
                    entries.push(d);
                }
            }
        }
    }
    let url = settings.database_url();
    if let Some(target) = settings.sqlite_file() {
        let dir = target.parent().map(Path::to_path_buf).unwrap_or_default();
        std::fs::create_dir_all(&dir).map_err(AppError::internal)?;
        let tmp = target.with_extension("db.restoring");
        std::fs::copy(&db_file, &tmp).map_err(AppError::internal)?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        for side in [format!("{name}-wal"), format!("{name}-shm")] {
            let _ = std::fs::remove_file(dir.join(side));
        }
        std::fs::rename(&tmp, &target).map_err(AppError::internal)?;
    } else {
        rencai_store::backup::restore_postgres(&url, &db_file).await?;
    }
    let uploads = settings.uploads_dir();
    let mut old_uploads = None;
    if uploads.exists() {
        let aside =
            settings.data_dir.join(format!("uploads.before-restore-{}", chrono::Utc::now().format("%Y%m%d%H%M%S")));
        std::fs::rename(&uploads, &aside).map_err(AppError::internal)?;
        old_uploads = Some(aside);
    }
    let backed_up = from.join("uploads");
    if backed_up.exists() {
        let mut sources = Vec::new();
        collect_files(&backed_up, &mut sources).map_err(AppError::internal)?;
        for src in sources {
            let rel = src.strip_prefix(&backed_up).map_err(AppError::internal)?;
            let dest = uploads.join(rel);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).map_err(AppError::internal)?;
            }
            std::fs::copy(&src, &dest).map_err(AppError::internal)?;
        }
    }
    // The index describes the database that was replaced.
    let _ = std::fs::remove_dir_all(settings.data_dir.join("search"));
    let state = crate::bootstrap::open(settings, clock).await?;
    let deactivated_again = deactivation::replay(&state, &entries).await?;
    Ok((state, RestoreReport { manifest, deletions_known: entries.len(), deactivated_again, old_uploads }))
}
