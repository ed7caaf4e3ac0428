//! The key file: field-encryption keys by id, the blind-index key and the audit-chain key.
//!
//! The file is TOML, created with mode 0600 and replaced atomically (write + rename), so a
//! crash during `keys rotate` leaves either the old or the new file, never half of one. Several
//! app nodes share one key file (or its contents in `RENCAI_KEYS`); each node reloads it when
//! it changes, so a rotation started anywhere reaches every writer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use base64::Engine;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::random_bytes;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("cannot read or write the key file {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the key file {path} is not valid: {reason}")]
    Invalid { path: PathBuf, reason: String },
}

/// What the key file holds on disk. Keys are base64 of 32 random bytes.
#[derive(Serialize, Deserialize)]
struct KeyFileToml {
    /// The id of the key new envelopes are sealed with.
    current_field_key: String,
    field_keys: BTreeMap<String, String>,
    blind_index_key: String,
    audit_key: String,
}

/// The keys in memory. Cheap to clone behind an `Arc`; key bytes are zeroed when dropped.
pub struct Keyring {
    current: String,
    field_keys: BTreeMap<String, Zeroizing<[u8; 32]>>,
    blind_index_key: Zeroizing<[u8; 32]>,
    audit_key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material, only which key ids exist.
        f.debug_struct("Keyring")
            .field("current", &self.current)
            .field("field_key_ids", &self.field_keys.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

fn fresh_key() -> Zeroizing<[u8; 32]> {
    let mut k = Zeroizing::new([0u8; 32]);
    random_bytes(k.as_mut());
    k
}

impl Keyring {
    /// A new keyring with one field key `k1` and fresh blind-index and audit keys.
    pub fn generate() -> Self {
        let mut field_keys = BTreeMap::new();
        field_keys.insert("k1".to_string(), fresh_key());
        Self { current: "k1".into(), field_keys, blind_index_key: fresh_key(), audit_key: fresh_key() }
    }

    pub fn current_key_id(&self) -> &str {
        &self.current
    }

    pub fn field_key_ids(&self) -> impl Iterator<Item = &str> {
        self.field_keys.keys().map(String::as_str)
    }

    pub(crate) fn field_key(&self, id: &str) -> Option<&[u8; 32]> {
        self.field_keys.get(id).map(|k| &**k)
    }

    pub(crate) fn current_field_key(&self) -> (&str, &[u8; 32]) {
        let key = self.field_keys.get(&self.current).expect("current key id always present (checked at load)");
        (&self.current, key)
    }

    pub(crate) fn blind_index_key(&self) -> &[u8; 32] {
        &self.blind_index_key
    }

    /// The key that chains audit rows. Separate from the field keys so that rotating field keys
    /// never invalidates the audit chain.
    pub fn audit_key(&self) -> &[u8; 32] {
        &self.audit_key
    }

    /// A copy with a new current field key. Old keys stay so existing envelopes still open;
    /// `rencai keys rotate` re-seals them and may then retire the old ids.
    pub fn with_new_field_key(&self) -> (Self, String) {
        let next = (1..)
            .map(|n| format!("k{n}"))
            .find(|id| !self.field_keys.contains_key(id))
            .expect("an unused key id exists");
        let mut field_keys = self.field_keys.clone();
        field_keys.insert(next.clone(), fresh_key());
        (
            Self {
                current: next.clone(),
                field_keys,
                blind_index_key: self.blind_index_key.clone(),
                audit_key: self.audit_key.clone(),
            },
            next,
        )
    }

    /// A copy without the given field keys (never the current one).
    pub fn without_field_keys(&self, retire: &[String]) -> Self {
        let field_keys = self
            .field_keys
            .iter()
            .filter(|(id, _)| **id == self.current || !retire.contains(id))
            .map(|(id, k)| (id.clone(), k.clone()))
            .collect();
        Self {
            current: self.current.clone(),
            field_keys,
            blind_index_key: self.blind_index_key.clone(),
            audit_key: self.audit_key.clone(),
        }
    }

    fn to_toml(&self) -> String {
        let file = KeyFileToml {
            current_field_key: self.current.clone(),
            field_keys: self.field_keys.iter().map(|(id, k)| (id.clone(), B64.encode(k.as_slice()))).collect(),
            blind_index_key: B64.encode(self.blind_index_key.as_slice()),
            audit_key: B64.encode(self.audit_key.as_slice()),
        };
        let body = toml::to_string(&file).expect("key file serializes");
        format!(
            "# Rencai key file. Keep it secret and back it up apart from the database:\n\
             # without it, sealed personal data cannot be read and the audit chain cannot be verified.\n{body}"
        )
    }

    fn from_toml(text: &str, path: &Path) -> Result<Self, KeyFileError> {
        let invalid = |reason: String| KeyFileError::Invalid { path: path.to_owned(), reason };
        let file: KeyFileToml = toml::from_str(text).map_err(|e| invalid(e.message().to_string()))?;
        let decode = |name: &str, v: &str| -> Result<Zeroizing<[u8; 32]>, KeyFileError> {
            let bytes = Zeroizing::new(B64.decode(v.trim()).map_err(|_| invalid(format!("{name} is not base64")))?);
            let arr: [u8; 32] = bytes.as_slice().try_into().map_err(|_| invalid(format!("{name} must be 32 bytes")))?;
            Ok(Zeroizing::new(arr))
        };
        let mut field_keys = BTreeMap::new();
        for (id, v) in &file.field_keys {
            if id.is_empty() || id.contains(':') {
                return Err(invalid(format!("field key id {id:?} is not allowed")));
            }
            field_keys.insert(id.clone(), decode(&format!("field key {id}"), v)?);
        }
        if !field_keys.contains_key(&file.current_field_key) {
            return Err(invalid(format!("current_field_key {:?} is not among field_keys", file.current_field_key)));
        }
        Ok(Self {
            current: file.current_field_key,
            field_keys,
            blind_index_key: decode("blind_index_key", &file.blind_index_key)?,
            audit_key: decode("audit_key", &file.audit_key)?,
        })
    }
}

/// The key file on disk.
#[derive(Debug, Clone)]
pub struct KeyFile {
    path: PathBuf,
}

impl KeyFile {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn exists(&self) -> bool {
        self.path.exists()
    }

    fn io(&self, source: std::io::Error) -> KeyFileError {
        KeyFileError::Io { path: self.path.clone(), source }
    }

    /// Loads the key file, creating it with fresh keys when it does not exist yet.
    pub fn load_or_create(&self) -> Result<Keyring, KeyFileError> {
        if self.exists() {
            return self.load();
        }
        let ring = Keyring::generate();
        self.save(&ring)?;
        Ok(ring)
    }

    pub fn load(&self) -> Result<Keyring, KeyFileError> {
        let text = std::fs::read_to_string(&self.path).map_err(|e| self.io(e))?;
        Keyring::from_toml(&text, &self.path)
    }

    /// Writes the keyring atomically with mode 0600.
    pub fn save(&self, ring: &Keyring) -> Result<(), KeyFileError> {
        use std::io::Write;
        let dir = self.path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| self.io(e))?;
        let tmp = dir.join(format!(".keys.{}.tmp", std::process::id()));
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp).map_err(|e| self.io(e))?;
        f.write_all(ring.to_toml().as_bytes()).map_err(|e| self.io(e))?;
        f.sync_all().map_err(|e| self.io(e))?;
        drop(f);
        std::fs::rename(&tmp, &self.path).map_err(|e| self.io(e))?;
        Ok(())
    }

    fn modified(&self) -> Option<SystemTime> {
        std::fs::metadata(&self.path).and_then(|m| m.modified()).ok()
    }
}

/// The keyring shared by every part of a running node. Readers take a cheap `Arc` snapshot;
/// a rotation or a reload swaps in a new ring without stopping anyone.
#[derive(Clone)]
pub struct SharedKeys {
    inner: Arc<RwLock<Arc<Keyring>>>,
    file: Option<KeyFile>,
    seen: Arc<RwLock<Option<SystemTime>>>,
}

impl std::fmt::Debug for SharedKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedKeys").field("ring", &*self.get()).finish()
    }
}

impl SharedKeys {
    /// Keys that exist only in memory (tests).
    pub fn in_memory(ring: Keyring) -> Self {
        Self { inner: Arc::new(RwLock::new(Arc::new(ring))), file: None, seen: Arc::new(RwLock::new(None)) }
    }

    /// Keys backed by a key file, created if missing.
    pub fn from_file(file: KeyFile) -> Result<Self, KeyFileError> {
        let ring = file.load_or_create()?;
        let seen = file.modified();
        Ok(Self { inner: Arc::new(RwLock::new(Arc::new(ring))), file: Some(file), seen: Arc::new(RwLock::new(seen)) })
    }

    pub fn get(&self) -> Arc<Keyring> {
        self.inner.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Replaces the ring, writing it to the key file first when there is one, so that other
    /// nodes and a restart see the same keys.
    pub fn replace(&self, ring: Keyring) -> Result<(), KeyFileError> {
        if let Some(file) = &self.file {
            file.save(&ring)?;
            *self.seen.write().unwrap_or_else(|p| p.into_inner()) = file.modified();
        }
        *self.inner.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(ring);
        Ok(())
    }

    /// Reloads the key file if it changed on disk (another node or `rencai keys rotate` wrote
    /// it). Returns whether the ring changed.
    pub fn reload_if_changed(&self) -> Result<bool, KeyFileError> {
        let Some(file) = &self.file else {
            return Ok(false);
        };
        let now = file.modified();
        if now == *self.seen.read().unwrap_or_else(|p| p.into_inner()) {
            return Ok(false);
        }
        let ring = file.load()?;
        *self.inner.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(ring);
        *self.seen.write().unwrap_or_else(|p| p.into_inner()) = now;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_file_is_private_and_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let file = KeyFile::new(dir.path().join("keys.toml"));
        let ring = file.load_or_create().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file.path()).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let again = file.load().unwrap();
        assert_eq!(again.current_key_id(), ring.current_key_id());
        assert_eq!(again.audit_key(), ring.audit_key());
        assert_eq!(again.blind_index_key(), ring.blind_index_key());
    }

    #[test]
    fn rotation_adds_a_key_and_keeps_the_old() {
        let ring = Keyring::generate();
        let (next, id) = ring.with_new_field_key();
        assert_eq!(id, "k2");
        assert_eq!(next.current_key_id(), "k2");
        assert!(next.field_key("k1").is_some());
        let retired = next.without_field_keys(&["k1".into(), "k2".into()]);
        assert!(retired.field_key("k1").is_none());
        assert!(retired.field_key("k2").is_some(), "the current key is never retired");
    }

    #[test]
    fn invalid_files_are_refused_with_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys.toml");
        std::fs::write(&path, "current_field_key = \"k9\"\nblind_index_key=\"\"\naudit_key=\"\"\n[field_keys]\n")
            .unwrap();
        let err = KeyFile::new(&path).load().unwrap_err().to_string();
        assert!(err.contains("not valid"), "{err}");
    }

    #[test]
    fn debug_never_prints_key_bytes() {
        let ring = Keyring::generate();
        let shown = format!("{ring:?}");
        assert!(!shown.contains(&B64.encode(ring.audit_key())));
        assert!(shown.contains("k1"));
    }
}
