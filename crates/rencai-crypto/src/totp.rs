//! Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP, SHA-1, 6 digits, 30 s), the
//! second factor every staff account must use (P10).
//!
//! Why these parameters: SHA-1 / 6 digits / 30 s is the only combination every common
//! authenticator app handles (several silently ignore `algorithm`, `digits` and `period` in the
//! URI). HMAC-SHA-1 is still sound as a PRF; SHA-1 collisions do not affect it.
//!
//! Secrets are random 20-byte values (RFC 4226 recommends 160 bits), shown once as base32 for an
//! authenticator app and otherwise kept sealed. In memory they are zeroed on drop and `Debug`
//! never prints them, so a secret cannot leak through a log line or a panic message.
//!
//! [`verify`] returns the time step that matched, so the caller can store it: a step at or
//! before the stored one never matches again. This stops replay of an observed code within its
//! validity window (RFC 6238 §5.2), which the clock-skew window would otherwise allow.
//! Candidates are compared in constant time and every candidate in the window is checked, so
//! timing reveals neither which digits were right nor which step matched.

use hmac::{Hmac, KeyInit, Mac};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// Length of a time step, in seconds.
pub const PERIOD_SECS: u64 = 30;
/// Digits in a code.
pub const DIGITS: u32 = 6;
/// Length of a freshly generated secret (160 bits, the HMAC-SHA-1 output size).
const SECRET_LEN: usize = 20;
/// RFC 4648 base32 alphabet.
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
    /// A new random secret from the operating system's CSPRNG.
    pub fn generate() -> Self {
        let mut b = Zeroizing::new(vec![0u8; SECRET_LEN]);
        crate::random_bytes(&mut b);
        Self(b)
    }

    pub fn from_bytes(b: &[u8]) -> Self {
        Self(Zeroizing::new(b.to_vec()))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// RFC 4648 base32 without padding, as authenticator apps take it.
    pub fn to_base32(&self) -> String {
        let mut out = String::with_capacity(self.0.len().div_ceil(5) * 8);
        let (mut buf, mut bits) = (0u32, 0u32);
        for &b in self.0.iter() {
            buf = ((buf << 8) | u32::from(b)) & 0xfff;
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

    /// Parses RFC 4648 base32, ignoring case, whitespace and `=` padding (people retype
    /// secrets from screens that group them in fours). An empty secret is refused.
    pub fn from_base32(s: &str) -> Result<Self, TotpError> {
        // Sized up front so the buffer never reallocates and leaves unzeroed copies behind.
        let mut out = Zeroizing::new(Vec::<u8>::with_capacity(s.len() * 5 / 8 + 1));
        let (mut buf, mut bits) = (0u32, 0u32);
        for c in s.chars().filter(|c| !c.is_whitespace() && *c != '=') {
            let upper = c.to_ascii_uppercase();
            let v = B32.iter().position(|x| char::from(*x) == upper).ok_or(TotpError::InvalidBase32)?;
            buf = ((buf << 5) | v as u32) & 0xfff;
            bits += 5;
            if bits >= 8 {
                out.push(((buf >> (bits - 8)) & 0xff) as u8);
                bits -= 8;
            }
        }
        if out.is_empty() {
            return Err(TotpError::InvalidBase32);
        }
        Ok(Self(out))
    }

    /// The `otpauth://` URI an authenticator app scans (as a QR code). Issuer and account are
    /// percent-encoded as UTF-8, so Chinese issuer names survive.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        let issuer = percent_encode(issuer);
        format!(
            "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={PERIOD_SECS}",
            percent_encode(account),
            self.to_base32(),
        )
    }
}

/// Percent-encodes every byte outside the RFC 3986 unreserved set.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// RFC 4226 HOTP for `counter`, reduced to `digits` digits with dynamic truncation. More than
/// ten digits give the whole 31-bit value.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[19] & 0x0f);
    let bin = (u32::from(h[offset] & 0x7f) << 24)
        | (u32::from(h[offset + 1]) << 16)
        | (u32::from(h[offset + 2]) << 8)
        | u32::from(h[offset + 3]);
    // In u64 so that `digits` of 10 or more cannot overflow the power of ten.
    (u64::from(bin) % 10u64.pow(digits.min(10))) as u32
}

/// The zero-padded code of `secret` for time step `step`.
fn code_for_step(secret: &TotpSecret, step: u64) -> Zeroizing<String> {
    Zeroizing::new(format!("{:0width$}", hotp(secret.as_bytes(), step, DIGITS), width = DIGITS as usize))
}

/// The code for unix time `unix_secs`, zero-padded to [`DIGITS`] digits.
pub fn code_at(secret: &TotpSecret, unix_secs: u64) -> String {
    code_for_step(secret, unix_secs / PERIOD_SECS).as_str().to_owned()
}

/// Checks `code` (surrounding whitespace allowed) against the time step of `unix_secs` and
/// `skew` steps either side. Returns the matching step, which the caller stores as the new
/// `last_used_step`; a step at or before `last_used_step` never matches (no replay). Anything
/// but exactly [`DIGITS`] ASCII digits is refused.
pub fn verify(secret: &TotpSecret, code: &str, unix_secs: u64, skew: u64, last_used_step: Option<u64>) -> Option<u64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = unix_secs / PERIOD_SECS;
    let mut found = None;
    // Every candidate is computed and compared, matching or not, so the time taken does not
    // depend on where (or whether) the code matched.
    for step in now.saturating_sub(skew)..=now.saturating_add(skew) {
        let candidate = code_for_step(secret, step);
        let same: bool = candidate.as_bytes().ct_eq(code.as_bytes()).into();
        let fresh = last_used_step.is_none_or(|last| step > last);
        if same && fresh {
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
            assert_eq!(hotp(RFC_SECRET, t / PERIOD_SECS, 8), want, "t = {t}");
        }
        // Zero-padded to eight digits, 07081804 in the RFC's table.
        assert_eq!(format!("{:08}", hotp(RFC_SECRET, 1111111109 / PERIOD_SECS, 8)), "07081804");
        // Six digits at t = 59 are the HOTP value for counter 1.
        assert_eq!(code_at(&TotpSecret::from_bytes(RFC_SECRET), 59), "287082");
    }

    #[test]
    fn many_digits_do_not_overflow() {
        let v = hotp(RFC_SECRET, 1, 12);
        assert_eq!(v % 100_000_000, 94287082);
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
            assert_eq!(TotpSecret::from_base32(enc).unwrap().as_bytes(), plain.as_bytes());
            assert_eq!(TotpSecret::from_base32(&enc.to_lowercase()).unwrap().as_bytes(), plain.as_bytes());
        }
        assert_eq!(TotpSecret::from_base32("mzxw 6ytb oi======").unwrap().as_bytes(), b"foobar");
        assert_eq!(TotpSecret::from_base32("MY======").unwrap().as_bytes(), b"f");
        let s = TotpSecret::generate();
        assert_eq!(s.as_bytes().len(), 20);
        assert_eq!(s.to_base32().len(), 32);
        assert_eq!(TotpSecret::from_base32(&s.to_base32()).unwrap().as_bytes(), s.as_bytes());
        let rfc = TotpSecret::from_bytes(RFC_SECRET);
        assert_eq!(rfc.to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(TotpSecret::from_base32("!!").unwrap_err(), TotpError::InvalidBase32);
        assert_eq!(TotpSecret::from_base32("MZ1Q").unwrap_err(), TotpError::InvalidBase32, "1 is not base32");
        assert_eq!(TotpSecret::from_base32("").unwrap_err(), TotpError::InvalidBase32);
        assert_eq!(TotpSecret::from_base32(" == ").unwrap_err(), TotpError::InvalidBase32);
    }

    #[test]
    fn verify_allows_one_step_of_skew_and_no_replay() {
        let s = TotpSecret::from_bytes(RFC_SECRET);
        let t = 1_700_000_000;
        let step = t / PERIOD_SECS;
        let now = code_at(&s, t);
        assert_eq!(verify(&s, &now, t, 1, None), Some(step));
        assert_eq!(verify(&s, &format!(" {now}\n"), t, 1, None), Some(step), "surrounding whitespace is fine");
        assert_eq!(verify(&s, &code_at(&s, t - 30), t, 1, None), Some(step - 1));
        assert_eq!(verify(&s, &code_at(&s, t + 30), t, 1, None), Some(step + 1));
        assert_eq!(verify(&s, &code_at(&s, t - 60), t, 1, None), None);
        assert_eq!(verify(&s, &code_at(&s, t + 60), t, 1, None), None);
        assert_eq!(verify(&s, &code_at(&s, t - 30), t, 0, None), None, "no skew, only the current step");
    }

    #[test]
    fn verify_refuses_replays() {
        let s = TotpSecret::from_bytes(RFC_SECRET);
        let t = 1_700_000_000;
        let step = t / PERIOD_SECS;
        let now = code_at(&s, t);
        assert_eq!(verify(&s, &now, t, 1, Some(step)), None, "a used step is not accepted again");
        assert_eq!(verify(&s, &now, t, 1, Some(step + 1)), None, "nor one before a used step");
        assert_eq!(verify(&s, &code_at(&s, t - 30), t, 1, Some(step)), None, "nor an earlier one in the window");
        assert_eq!(verify(&s, &now, t, 1, Some(step - 1)), Some(step), "a later step is fine");
        assert_eq!(verify(&s, &code_at(&s, t + 30), t, 1, Some(step)), Some(step + 1));
    }

    #[test]
    fn verify_refuses_malformed_codes() {
        let s = TotpSecret::from_bytes(RFC_SECRET);
        let t = 1_700_000_000;
        let now = code_at(&s, t);
        assert_eq!(verify(&s, "12a456", t, 1, None), None);
        assert_eq!(verify(&s, "12345", t, 1, None), None);
        assert_eq!(verify(&s, "1234567", t, 1, None), None);
        assert_eq!(verify(&s, "", t, 1, None), None);
        assert_eq!(verify(&s, &format!("{now}0"), t, 1, None), None);
        assert_eq!(verify(&s, &now[1..], t, 1, None), None);
        assert_eq!(verify(&s, "１２３４５６", t, 1, None), None, "full-width digits are not ASCII digits");
    }

    #[test]
    fn verify_at_the_ends_of_time_does_not_overflow() {
        let s = TotpSecret::from_bytes(RFC_SECRET);
        assert_eq!(verify(&s, &code_at(&s, 0), 0, 1, None), Some(0));
        let end = u64::MAX;
        assert_eq!(verify(&s, &code_at(&s, end), end, 1, None), Some(end / PERIOD_SECS), "nor overflow at the far end");
    }

    #[test]
    fn secrets_do_not_show_in_debug_and_uris_are_encoded() {
        let s = TotpSecret::generate();
        let debug = format!("{s:?}");
        assert!(!debug.contains(&s.to_base32()));
        assert_eq!(debug, "TotpSecret(***)");
        let uri = s.otpauth_uri("万州人才网", "staff 1@example.cn");
        assert!(uri.starts_with("otpauth://totp/%E4%B8%87"), "{uri}");
        assert!(uri.contains(&format!("secret={}&", s.to_base32())));
        assert!(uri.contains("issuer=%E4%B8%87%E5%B7%9E%E4%BA%BA%E6%89%8D%E7%BD%91&"), "{uri}");
        assert!(uri.contains(":staff%201%40example.cn?"), "{uri}");
        assert!(uri.ends_with("&algorithm=SHA1&digits=6&period=30"));
    }
}
