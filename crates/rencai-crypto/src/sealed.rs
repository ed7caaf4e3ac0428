//! Sealed fields: authenticated encryption of one personal value with a key id.
//!
//! Envelope text: `rc1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>`. The field's name is bound
//! in as associated data, so a ciphertext copied from one column into another does not open.
//! Text rather than bytes keeps one column type on SQLite and PostgreSQL and lets
//! `keys rotate` find rows still under an old key with a prefix match.

use std::marker::PhantomData;

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use base64::Engine;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Keyring, random_bytes};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD_NO_PAD;
const PREFIX: &str = "rc1";

/// Which field a value belongs to (`"accounts.phone"`). Bound into the ciphertext.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldContext(pub &'static str);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("sealed value is malformed")]
    Malformed,
    #[error("sealed value uses key {0:?}, which is not in the key file")]
    UnknownKey(String),
    #[error("sealed value does not open: wrong key, wrong field or tampered")]
    Tampered,
}

/// A personal value of type `T`, encrypted. The plain value exists only in memory, after
/// [`Sealed::open`]. `Debug` shows only the key id.
pub struct Sealed<T> {
    envelope: String,
    _value: PhantomData<fn() -> T>,
}

impl<T> Clone for Sealed<T> {
    fn clone(&self) -> Self {
        Self { envelope: self.envelope.clone(), _value: PhantomData }
    }
}

impl<T> PartialEq for Sealed<T> {
    fn eq(&self, other: &Self) -> bool {
        self.envelope == other.envelope
    }
}

impl<T> std::fmt::Debug for Sealed<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealed({})", self.key_id().unwrap_or("?"))
    }
}

impl<T: Serialize + DeserializeOwned> Sealed<T> {
    /// Seals `value` under the keyring's current field key.
    pub fn seal(keys: &Keyring, field: FieldContext, value: &T) -> Self {
        let plain = zeroize::Zeroizing::new(serde_json::to_vec(value).expect("sealed values serialize"));
        let (key_id, key) = keys.current_field_key();
        let cipher = Aes256Gcm::new_from_slice(key).expect("32-byte key");
        let mut nonce = [0u8; 12];
        random_bytes(&mut nonce);
        let ct = cipher
            .encrypt(&Nonce::from(nonce), Payload { msg: &plain, aad: field.0.as_bytes() })
            .expect("AES-GCM encryption of an in-memory buffer cannot fail");
        let mut blob = Vec::with_capacity(12 + ct.len());
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&ct);
        Self { envelope: format!("{PREFIX}:{key_id}:{}", B64.encode(blob)), _value: PhantomData }
    }

    /// Opens the envelope with whichever key sealed it.
    pub fn open(&self, keys: &Keyring, field: FieldContext) -> Result<T, SealError> {
        let (key_id, blob) = self.parts()?;
        let key = keys.field_key(key_id).ok_or_else(|| SealError::UnknownKey(key_id.to_string()))?;
        let blob = B64.decode(blob).map_err(|_| SealError::Malformed)?;
        if blob.len() < 12 + 16 {
            return Err(SealError::Malformed);
        }
        let (nonce, ct) = blob.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| SealError::Malformed)?;
        let cipher = Aes256Gcm::new_from_slice(key).expect("32-byte key");
        let plain = zeroize::Zeroizing::new(
            cipher
                .decrypt(&Nonce::from(nonce), Payload { msg: ct, aad: field.0.as_bytes() })
                .map_err(|_| SealError::Tampered)?,
        );
        serde_json::from_slice(&plain).map_err(|_| SealError::Malformed)
    }

    /// Opens and seals again under the current key, if it is not already under it.
    pub fn reseal(&self, keys: &Keyring, field: FieldContext) -> Result<Option<Self>, SealError> {
        if self.key_id()? == keys.current_key_id() {
            return Ok(None);
        }
        Ok(Some(Self::seal(keys, field, &self.open(keys, field)?)))
    }
}

impl<T> Sealed<T> {
    /// Wraps an envelope read from storage. It is checked when opened, not here.
    pub fn from_stored(envelope: String) -> Self {
        Self { envelope, _value: PhantomData }
    }

    /// The envelope as stored.
    pub fn as_stored(&self) -> &str {
        &self.envelope
    }

    pub fn into_stored(self) -> String {
        self.envelope
    }

    fn parts(&self) -> Result<(&str, &str), SealError> {
        let mut it = self.envelope.splitn(3, ':');
        match (it.next(), it.next(), it.next()) {
            (Some(PREFIX), Some(id), Some(blob)) if !id.is_empty() => Ok((id, blob)),
            _ => Err(SealError::Malformed),
        }
    }

    /// The id of the key that sealed this value.
    pub fn key_id(&self) -> Result<&str, SealError> {
        self.parts().map(|(id, _)| id)
    }

    /// The stored prefix shared by every envelope under `key_id`, for finding rows to re-seal.
    pub fn stored_prefix(key_id: &str) -> String {
        format!("{PREFIX}:{key_id}:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: FieldContext = FieldContext("accounts.name");

    #[test]
    fn round_trip_hides_the_value() {
        let keys = Keyring::generate();
        let s = Sealed::seal(&keys, NAME, &"王晓燕".to_string());
        assert!(!s.as_stored().contains("王晓燕"));
        assert!(s.as_stored().starts_with("rc1:k1:"));
        assert_eq!(s.open(&keys, NAME).unwrap(), "王晓燕");
        assert_eq!(format!("{s:?}"), "Sealed(k1)");
    }

    #[test]
    fn same_value_seals_differently_each_time() {
        let keys = Keyring::generate();
        let a = Sealed::seal(&keys, NAME, &"x".to_string());
        let b = Sealed::seal(&keys, NAME, &"x".to_string());
        assert_ne!(a.as_stored(), b.as_stored());
    }

    #[test]
    fn wrong_field_tampering_and_unknown_keys_are_refused() {
        let keys = Keyring::generate();
        let s = Sealed::seal(&keys, NAME, &"王晓燕".to_string());
        assert_eq!(s.open(&keys, FieldContext("accounts.email")), Err(SealError::Tampered));
        let mut stored = s.as_stored().to_string();
        let last = stored.pop().unwrap();
        stored.push(if last == 'A' { 'B' } else { 'A' });
        assert!(Sealed::<String>::from_stored(stored).open(&keys, NAME).is_err());
        let other = Sealed::<String>::from_stored(s.as_stored().replace("rc1:k1:", "rc1:k7:"));
        assert_eq!(other.open(&keys, NAME), Err(SealError::UnknownKey("k7".into())));
        assert_eq!(Sealed::<String>::from_stored("garbage".into()).open(&keys, NAME), Err(SealError::Malformed));
        let foreign = Keyring::generate();
        assert_eq!(s.open(&foreign, NAME), Err(SealError::Tampered));
    }

    #[test]
    fn reseal_moves_to_the_current_key() {
        let keys = Keyring::generate();
        let s = Sealed::seal(&keys, NAME, &"王晓燕".to_string());
        let (next, _) = keys.with_new_field_key();
        let moved = s.reseal(&next, NAME).unwrap().expect("needs resealing");
        assert_eq!(moved.key_id().unwrap(), "k2");
        assert_eq!(moved.open(&next, NAME).unwrap(), "王晓燕");
        assert!(moved.reseal(&next, NAME).unwrap().is_none());
        assert_eq!(Sealed::<String>::stored_prefix("k1"), "rc1:k1:");
    }
}
