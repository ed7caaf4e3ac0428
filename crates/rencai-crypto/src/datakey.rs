//! Envelope encryption for files: each file gets its own random data key; the file is
//! AES-256-GCM ciphertext on disk, and the data key is stored only as a [`crate::Sealed`]
//! value in the database. Rotating the field keys re-seals the data keys, not the files.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use base64::Engine;

use crate::{SealError, random_bytes};

/// A file's data key. Its `Debug` shows nothing.
pub struct DataKey(zeroize::Zeroizing<[u8; 32]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

impl DataKey {
    pub fn generate() -> Self {
        let mut k = zeroize::Zeroizing::new([0u8; 32]);
        random_bytes(k.as_mut());
        Self(k)
    }

    /// The key as base64, for sealing (never store it any other way).
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.0.as_ref())
    }

    pub fn from_base64(s: &str) -> Result<Self, SealError> {
        let bytes = base64::engine::general_purpose::STANDARD.decode(s).map_err(|_| SealError::Malformed)?;
        let arr: [u8; 32] = bytes.try_into().map_err(|_| SealError::Malformed)?;
        Ok(Self(zeroize::Zeroizing::new(arr)))
    }

    /// nonce ‖ ciphertext, bound to `aad` (the file's public id, so blobs cannot be swapped).
    pub fn encrypt(&self, plain: &[u8], aad: &str) -> Vec<u8> {
        let cipher = Aes256Gcm::new_from_slice(self.0.as_ref()).expect("32-byte key");
        let mut nonce = [0u8; 12];
        random_bytes(&mut nonce);
        let ct = cipher
            .encrypt(&Nonce::from(nonce), Payload { msg: plain, aad: aad.as_bytes() })
            .expect("AES-GCM encryption of an in-memory buffer cannot fail");
        let mut out = Vec::with_capacity(12 + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        out
    }

    pub fn decrypt(&self, blob: &[u8], aad: &str) -> Result<Vec<u8>, SealError> {
        if blob.len() < 12 + 16 {
            return Err(SealError::Malformed);
        }
        let (nonce, ct) = blob.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| SealError::Malformed)?;
        let cipher = Aes256Gcm::new_from_slice(self.0.as_ref()).expect("32-byte key");
        cipher.decrypt(&Nonce::from(nonce), Payload { msg: ct, aad: aad.as_bytes() }).map_err(|_| SealError::Tampered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_binding() {
        let k = DataKey::generate();
        let blob = k.encrypt(b"%PDF-1.7 resume", "file-1");
        assert!(!blob.windows(6).any(|w| w == b"resume"), "ciphertext only");
        assert_eq!(k.decrypt(&blob, "file-1").unwrap(), b"%PDF-1.7 resume");
        assert!(k.decrypt(&blob, "file-2").is_err(), "bound to its file id");
        let again = DataKey::from_base64(&k.to_base64()).unwrap();
        assert_eq!(again.decrypt(&blob, "file-1").unwrap(), b"%PDF-1.7 resume");
        assert!(DataKey::generate().decrypt(&blob, "file-1").is_err());
        assert_eq!(format!("{k:?}"), "DataKey(…)");
    }
}
