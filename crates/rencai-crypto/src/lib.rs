//! Keys and field encryption for personal data (P9).
//!
//! Personal fields are stored only as [`Sealed`] envelopes: AES-256-GCM ciphertext tagged with
//! the id of the key that sealed it, so keys can be rotated while old rows are still readable.
//! Exact lookups (phone number at login) go through a keyed [`BlindIndex`] instead of the plain
//! value. The audit chain is keyed with its own key. All keys live in the key file
//! ([`KeyFile`]), never in the database, logs or backups.

mod blind;
mod datakey;
mod keyfile;
mod sealed;
pub mod totp;

pub use blind::BlindIndex;
pub use datakey::DataKey;
pub use keyfile::{KeyFile, KeyFileError, Keyring, SharedKeys};
pub use sealed::{FieldContext, SealError, Sealed};

/// Fills `buf` from the operating system's CSPRNG.
pub fn random_bytes(buf: &mut [u8]) {
    // The OS RNG failing is not recoverable: there is no safe fallback for key or nonce material.
    getrandom::fill(buf).expect("operating system random number generator unavailable");
}

/// A random token of `bytes` bytes, URL-safe base64 without padding.
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    let mut buf = vec![0u8; bytes];
    random_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}
