//! Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP, SHA-1, 6 digits, 30 s), the
//! second factor every staff account must use (P10). Secrets are random 20-byte values shown
//! once as base32 for an authenticator app; a used time step is remembered so a code cannot be
//! replayed.

use hmac::{Hmac, KeyInit, Mac};
use zeroize::Zeroizing;

pub const PERIOD_SECS: u64 = 30;
pub const DIGITS: u32 = 6;
const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TotpError {
    #[error("not a valid base32 secret")]
    InvalidBase32,
}

/// A TOTP secret. Zeroed when dropped; `Debug` never shows it.
#[derive(Clone)]
pub struct TotpSecret(Zeroizing<Vec<u8>>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(***)")
    }
}

impl TotpSecret {
    pub fn generate() -> Self {
        let mut b = vec![0u8; 20];
        crate::random_bytes(&mut b);
        Self(Zeroizing::new(b))
    }

    pub fn from_bytes(b: &[u8]) -> Self {
        Self(Zeroizing::new(b.to_vec()))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// RFC 4648 base32 without padding, as authenticator apps take it.
    pub fn to_base32(&self) -> String {
        let mut out = String::new();
        let (mut buf, mut bits) = (0u32, 0u32);
        for &b in self.0.iter() {
            buf = (buf << 8) | u32::from(b);
            bits += 8;
            while bits >= 5 {
                out.push(B32[((buf >> (bits - 5)) & 31) as usize] as char);
                bits -= 5;
            }
        }
        if bits > 0 {
            out.push(B32[((buf << (5 - bits)) & 31) as usize] as char);
        }
        out
    }

    /// Parses base32, ignoring case, spaces and `=` padding.
    pub fn from_base32(s: &str) -> Result<Self, TotpError> {
        let mut out = Vec::new();
        let (mut buf, mut bits) = (0u32, 0u32);
        for c in s.chars().filter(|c| !c.is_whitespace() && *c != '=') {
            let v = B32.iter().position(|x| *x as char == c.to_ascii_uppercase()).ok_or(TotpError::InvalidBase32)?;
            buf = (buf << 5) | v as u32;
            bits += 5;
            if bits >= 8 {
                out.push(((buf >> (bits - 8)) & 0xff) as u8);
                bits -= 8;
            }
        }
        if out.is_empty() {
            return Err(TotpError::InvalidBase32);
        }
        Ok(Self(Zeroizing::new(out)))
    }

    /// The `otpauth://` URI an authenticator app scans.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        let enc = |s: &str| {
            s.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect::<String>()
        };
        format!(
            "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={PERIOD_SECS}",
            enc(issuer),
            enc(account),
            self.to_base32(),
            enc(issuer)
        )
    }
}

/// RFC 4226 HOTP with dynamic truncation.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = (h[h.len() - 1] & 0x0f) as usize;
    let bin = (u32::from(h[offset]) & 0x7f) << 24
        | u32::from(h[offset + 1]) << 16
        | u32::from(h[offset + 2]) << 8
        | u32::from(h[offset + 3]);
    bin % 10u32.pow(digits)
}

/// The code for unix time `t`.
pub fn code_at(secret: &TotpSecret, unix_secs: u64) -> String {
    format!("{:0width$}", hotp(secret.as_bytes(), unix_secs / PERIOD_SECS, DIGITS), width = DIGITS as usize)
}

/// Checks `code` against the current step and `skew` steps either side. Returns the matching
/// step; a step at or before `last_used_step` never matches (no replay).
pub fn verify(secret: &TotpSecret, code: &str, unix_secs: u64, skew: u64, last_used_step: Option<u64>) -> Option<u64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = unix_secs / PERIOD_SECS;
    let mut found = None;
    for step in now.saturating_sub(skew)..=now + skew {
        let candidate = format!("{:0width$}", hotp(secret.as_bytes(), step, DIGITS), width = DIGITS as usize);
        let same = candidate.bytes().zip(code.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if same && last_used_step.is_none_or(|last| step > last) {
            found = Some(step);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc4226_hotp_vectors() {
        let expected = [755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489];
        for (counter, want) in expected.iter().enumerate() {
            assert_eq!(hotp(RFC_SECRET, counter as u64, 6), *want, "counter {counter}");
        }
    }

    #[test]
    fn rfc6238_sha1_vectors() {
        for (t, want) in [
            (59u64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(hotp(RFC_SECRET, t / 30, 8), want, "t = {t}");
        }
        assert_eq!(code_at(&TotpSecret::from_bytes(RFC_SECRET), 59), "287082");
    }

    #[test]
    fn base32_vectors_and_round_trip() {
        for (plain, enc) in [
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(TotpSecret::from_bytes(plain.as_bytes()).to_base32(), enc);
            assert_eq!(TotpSecret::from_base32(&enc.to_lowercase()).unwrap().as_bytes(), plain.as_bytes());
        }
        let s = TotpSecret::generate();
        assert_eq!(TotpSecret::from_base32(&s.to_base32()).unwrap().as_bytes(), s.as_bytes());
        assert_eq!(TotpSecret::from_base32("!!").unwrap_err(), TotpError::InvalidBase32);
    }

    #[test]
    fn verify_allows_one_step_of_skew_and_no_replay() {
        let s = TotpSecret::from_bytes(RFC_SECRET);
        let t = 1_700_000_000;
        let now = code_at(&s, t);
        assert_eq!(verify(&s, &now, t, 1, None), Some(t / 30));
        assert!(verify(&s, &code_at(&s, t - 30), t, 1, None).is_some());
        assert!(verify(&s, &code_at(&s, t + 30), t, 1, None).is_some());
        assert!(verify(&s, &code_at(&s, t - 60), t, 1, None).is_none());
        assert!(verify(&s, &code_at(&s, t + 60), t, 1, None).is_none());
        assert!(verify(&s, &now, t, 1, Some(t / 30)).is_none(), "a used step is not accepted again");
        assert!(verify(&s, "12a456", t, 1, None).is_none());
        assert!(verify(&s, "12345", t, 1, None).is_none());
    }

    #[test]
    fn secrets_do_not_show_in_debug_and_uris_are_encoded() {
        let s = TotpSecret::generate();
        assert!(!format!("{s:?}").contains(&s.to_base32()));
        let uri = s.otpauth_uri("万州人才网", "staff-1");
        assert!(uri.contains(&format!("secret={}", s.to_base32())));
        assert!(uri.contains("issuer=%E4%B8%87"));
    }
}
