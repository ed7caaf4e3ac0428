//! Backups: a consistent copy of the database plus the uploaded files, with a manifest of
//! checksums. The key file is deliberately left out (P9): a stolen backup alone reveals no
//! personal data. The manifest names the key ids needed to read it, never the keys.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::{AppError, AppResult, AppState};

#[derive(Debug, Clone, Serialize)]
pub struct BackupFile {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupManifest {
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub rencai_version: &'static str,
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
        rencai_version: env!("CARGO_PKG_VERSION"),
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
