//! Keyed blind index: a deterministic HMAC of a normalized value, so the database can answer
//! "is there an account with this phone number?" without holding the number itself.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::{FieldContext, Keyring};

/// A blind-index value as stored: lowercase hex of HMAC-SHA256(context ‖ 0 ‖ value).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlindIndex(String);

impl BlindIndex {
    /// Computes the index of `normalized` for `field`. Callers normalize first (a phone number
    /// as its 11 digits), so that equal values always give equal indexes.
    pub fn compute(keys: &Keyring, field: FieldContext, normalized: &str) -> Self {
        let mut mac =
            <Hmac<Sha256> as KeyInit>::new_from_slice(keys.blind_index_key()).expect("HMAC takes any key length");
        mac.update(field.0.as_bytes());
        mac.update(&[0]);
        mac.update(normalized.as_bytes());
        Self(hex::encode(mac.finalize().into_bytes()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_equal_indexes_and_fields_are_separated() {
        let keys = Keyring::generate();
        let phone = FieldContext("accounts.phone");
        let a = BlindIndex::compute(&keys, phone, "13800138000");
        assert_eq!(a, BlindIndex::compute(&keys, phone, "13800138000"));
        assert_ne!(a, BlindIndex::compute(&keys, phone, "13800138001"));
        assert_ne!(a, BlindIndex::compute(&keys, FieldContext("accounts.email"), "13800138000"));
        assert_eq!(a.as_str().len(), 64);
        assert!(!a.as_str().contains("13800138000"));
    }

    #[test]
    fn a_different_key_gives_a_different_index() {
        let phone = FieldContext("accounts.phone");
        let a = BlindIndex::compute(&Keyring::generate(), phone, "13800138000");
        let b = BlindIndex::compute(&Keyring::generate(), phone, "13800138000");
        assert_ne!(a, b);
    }
}
