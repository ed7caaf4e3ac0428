//! Redaction of secrets and personal data from text bound for logs (P20).
//!
//! Logs must never hold phone numbers, SMS codes, tokens, ID numbers, e-mail addresses or
//! coordinates in clear. Rather than trusting every call site, the log writer passes each line
//! through [`redact`]. The rules err on the side of hiding: a log line that loses a harmless
//! six-digit number is cheaper than one that keeps a verification code.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

struct Rule {
    re: Regex,
    /// What the match becomes. `$k` keeps the captured key of a `key=value` pair.
    with: &'static str,
    /// Whether the match must not touch a digit on either side (so a phone-number rule does
    /// not fire inside a longer number, which other rules handle).
    digit_bounded: bool,
}

fn rule(re: &str, with: &'static str, digit_bounded: bool) -> Rule {
    Rule { re: Regex::new(re).expect("redaction pattern compiles"), with, digit_bounded }
}

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        // Values of keys that name a secret or a location, in key=value, key: value and JSON form.
        rule(
            r#"(?i)(?P<k>\b(?:sms_?code|code|otp|captcha|token|access_token|refresh_token|id_token|password|passwd|pwd|secret|api_key|authorization|cookie|set-cookie|session(?:_id)?|csrf(?:_token)?|lat|lng|lon|latitude|longitude|phone|mobile|email|id_number)\b["']?\s*[:=]\s*["']?)(?:bearer\s+)?[^\s"'&,;}\]]+"#,
            "${k}[redacted]",
            false,
        ),
        rule(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+", "Bearer [redacted]", false),
        rule(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", "[email]", false),
        // Resident identity card numbers: 17 digits and a check character.
        rule(r"\d{17}[\dXx]", "[id-number]", true),
        // Mainland mobile numbers, also with +86 / 0086 / (+86) and spaces or dashes inside.
        rule(r"(?:(?:\+|00)86[\s-]?|\(\+?86\)\s?)?1[3-9]\d(?:[\s-]?\d){8}", "[phone]", true),
        // Decimal degrees with four or more decimals: coordinates (about 10 m precision).
        rule(r"-?\d{1,3}\.\d{4,}", "[coord]", true),
        // Long opaque strings: session ids, tokens, sealed envelopes, hashes. UUIDs (request
        // ids, public ids) are kept: they identify nothing outside the database.
        rule(r"[A-Za-z0-9_+-]{24,}={0,2}", "[token]", false),
        // A lone 4–8 digit number right after words that announce a code.
        rule(r"(?P<k>验证码|校验码|code)(?P<sep>\D{0,4})\d{4,8}", "${k}${sep}[redacted]", false),
        // Any other lone six-digit number could be an SMS code.
        rule(r"\d{6}", "[code]", true),
    ]
});

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn looks_random(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_digit()) && s.bytes().any(|b| b.is_ascii_alphabetic())
}

/// `text` with every secret and personal value replaced by a placeholder.
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    for rule in RULES.iter() {
        if !rule.re.is_match(&out) {
            continue;
        }
        let current = out.as_ref();
        let mut result = String::with_capacity(current.len());
        let mut last = 0;
        let mut changed = false;
        for caps in rule.re.captures_iter(current) {
            let m = caps.get(0).expect("group 0 always matches");
            if rule.digit_bounded {
                let before = current[..m.start()].chars().next_back();
                let after = current[m.end()..].chars().next();
                if before.is_some_and(|c| c.is_ascii_digit() || c == '.') || after.is_some_and(|c| c.is_ascii_digit()) {
                    continue;
                }
            }
            // Keep UUIDs and long plain words (metric names, slugs): a token mixes letters
            // and digits.
            if rule.with == "[token]" && (is_uuid(m.as_str()) || !looks_random(m.as_str())) {
                continue;
            }
            result.push_str(&current[last..m.start()]);
            caps.expand(rule.with, &mut result);
            last = m.end();
            changed = true;
        }
        if changed {
            result.push_str(&current[last..]);
            out = Cow::Owned(result);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::redact;

    fn clean(s: &str) -> String {
        redact(s).into_owned()
    }

    #[test]
    fn phone_numbers_in_every_common_form() {
        for phone in [
            "13812345678",
            "+8613812345678",
            "+86 138 1234 5678",
            "+86-138-1234-5678",
            "008613812345678",
            "(+86)13812345678",
            "138 1234 5678",
            "138-1234-5678",
        ] {
            let line = format!("手机号{phone}已提交");
            let out = clean(&line);
            assert!(!out.contains("1234"), "{phone} leaked: {out}");
            assert!(out.contains("[phone]"), "{out}");
        }
    }

    #[test]
    fn codes_tokens_and_secrets() {
        let out = clean("sms_code=482915 token: abcDEF123456789012345678901234 password=\"hunter2\" 验证码：482915");
        assert!(!out.contains("482915") && !out.contains("abcDEF") && !out.contains("hunter2"), "{out}");
        let out = clean(r#"{"code":"204816","lat":30.80781,"lng":108.40893}"#);
        assert!(!out.contains("204816") && !out.contains("30.80781") && !out.contains("108.40893"), "{out}");
        let out = clean("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc");
        assert!(!out.contains("eyJ"), "{out}");
        let out = clean("invalid type: integer `731954`, expected a string");
        assert!(!out.contains("731954"), "{out}");
    }

    #[test]
    fn coordinates_ids_and_emails() {
        let out = clean("point 30.807812,108.408934 id 50010119900101123X mail wang.xy@example.com");
        for secret in ["30.807812", "108.408934", "50010119900101123X", "wang.xy@example.com"] {
            assert!(!out.contains(secret), "{secret} leaked: {out}");
        }
    }

    #[test]
    fn ordinary_log_text_survives() {
        let line = "request_id=0192f3a4-5b6c-7d8e-9f01-23456789abcd GET /api/v1/taxonomies/job_category status=200 latency_ms=12 \
                    rencai_http_request_duration_seconds listening on 127.0.0.1:8080 at 1764398400000";
        assert_eq!(clean(line), line);
    }
}
