//! A self-hosted image CAPTCHA (no third-party service), shown after the first SMS code from an
//! address to slow down scripts that burn our SMS budget or bomb a number.
//!
//! Glyphs are drawn as SVG paths from a small stroke font, never as `<text>`: text in the SVG
//! source could be read straight out of the DOM. Each glyph is rotated, scaled and shifted at
//! random, over noise curves and dots. Only presentation attributes are used (the site's CSP
//! forbids inline styles).

use std::fmt::Write;

use rand::RngExt;

pub const CAPTCHA_LEN: usize = 5;
/// No look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
pub const ALPHABET: &[u8] = b"ACDEFHJKMNPRTUVWXY34679";

/// A challenge: the expected answer and the picture.
#[derive(Debug, Clone)]
pub struct Captcha {
    pub answer: String,
    pub svg: String,
}

/// Strokes of each glyph on a 10 × 14 grid (x right, y down); each stroke is a polyline.
fn glyph(c: u8) -> &'static [&'static [(u8, u8)]] {
    match c {
        b'A' => &[&[(0, 14), (5, 0), (10, 14)], &[(2, 9), (8, 9)]],
        b'C' => &[&[(10, 2), (7, 0), (3, 0), (0, 3), (0, 11), (3, 14), (7, 14), (10, 12)]],
        b'D' => &[&[(0, 0), (0, 14), (6, 14), (10, 10), (10, 4), (6, 0), (0, 0)]],
        b'E' => &[&[(10, 0), (0, 0), (0, 14), (10, 14)], &[(0, 7), (7, 7)]],
        b'F' => &[&[(10, 0), (0, 0), (0, 14)], &[(0, 7), (7, 7)]],
        b'H' => &[&[(0, 0), (0, 14)], &[(10, 0), (10, 14)], &[(0, 7), (10, 7)]],
        b'J' => &[&[(3, 0), (10, 0)], &[(8, 0), (8, 11), (5, 14), (2, 14), (0, 11)]],
        b'K' => &[&[(0, 0), (0, 14)], &[(10, 0), (0, 8)], &[(3, 6), (10, 14)]],
        b'M' => &[&[(0, 14), (0, 0), (5, 8), (10, 0), (10, 14)]],
        b'N' => &[&[(0, 14), (0, 0), (10, 14), (10, 0)]],
        b'P' => &[&[(0, 14), (0, 0), (7, 0), (10, 2), (10, 5), (7, 7), (0, 7)]],
        b'R' => &[&[(0, 14), (0, 0), (7, 0), (10, 2), (10, 5), (7, 7), (0, 7)], &[(5, 7), (10, 14)]],
        b'T' => &[&[(0, 0), (10, 0)], &[(5, 0), (5, 14)]],
        b'U' => &[&[(0, 0), (0, 11), (3, 14), (7, 14), (10, 11), (10, 0)]],
        b'V' => &[&[(0, 0), (5, 14), (10, 0)]],
        b'W' => &[&[(0, 0), (2, 14), (5, 6), (8, 14), (10, 0)]],
        b'X' => &[&[(0, 0), (10, 14)], &[(10, 0), (0, 14)]],
        b'Y' => &[&[(0, 0), (5, 7), (10, 0)], &[(5, 7), (5, 14)]],
        b'3' => &[
            &[(0, 1), (3, 0), (8, 0), (10, 2), (10, 5), (7, 7), (3, 7)],
            &[(7, 7), (10, 9), (10, 12), (8, 14), (3, 14), (0, 13)],
        ],
        b'4' => &[&[(7, 14), (7, 0), (0, 10), (10, 10)]],
        b'6' => {
            &[&[(9, 1), (6, 0), (3, 0), (0, 4), (0, 11), (3, 14), (7, 14), (10, 11), (10, 9), (7, 7), (3, 7), (0, 9)]]
        }
        b'7' => &[&[(0, 0), (10, 0), (4, 14)]],
        b'9' => {
            &[&[(10, 5), (7, 7), (3, 7), (0, 5), (0, 3), (3, 0), (7, 0), (10, 3), (10, 10), (7, 14), (3, 14), (1, 13)]]
        }
        _ => &[],
    }
}

const COLOURS: [&str; 4] = ["#1e3a8a", "#7c2d12", "#14532d", "#4c1d95"];

/// Draws a challenge with the given RNG (tests pass a seeded one).
pub fn generate(rng: &mut impl RngExt) -> Captcha {
    let mut answer = String::with_capacity(CAPTCHA_LEN);
    let mut svg = String::from(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 56" width="160" height="56" role="img" aria-label="图形验证码"><rect width="160" height="56" fill="#f8fafc"/>"##,
    );
    for _ in 0..rng.random_range(5..9) {
        let colour = COLOURS[rng.random_range(0..COLOURS.len())];
        let _ = write!(
            svg,
            r#"<path d="M{:.1} {:.1} Q{:.1} {:.1} {:.1} {:.1}" fill="none" stroke="{colour}" stroke-width="1.2" opacity="0.55"/>"#,
            rng.random_range(0.0..40.0),
            rng.random_range(4.0..52.0),
            rng.random_range(40.0..120.0),
            rng.random_range(-10.0..66.0),
            rng.random_range(120.0..160.0),
            rng.random_range(4.0..52.0)
        );
    }
    for _ in 0..30 {
        let colour = COLOURS[rng.random_range(0..COLOURS.len())];
        let _ = write!(
            svg,
            r#"<circle cx="{:.1}" cy="{:.1}" r="{:.1}" fill="{colour}" opacity="0.5"/>"#,
            rng.random_range(0.0..160.0),
            rng.random_range(0.0..56.0),
            rng.random_range(0.6..1.6)
        );
    }
    for i in 0..CAPTCHA_LEN {
        let c = ALPHABET[rng.random_range(0..ALPHABET.len())];
        answer.push(c as char);
        let scale: f64 = rng.random_range(0.9..1.15) * 2.4;
        let x = 12.0 + i as f64 * 29.0 + rng.random_range(-3.0..3.0);
        let y = 10.0 + rng.random_range(-3.0..4.0);
        let angle: f64 = rng.random_range(-20.0..20.0);
        let width: f64 = rng.random_range(2.2..3.2) / scale;
        let colour = COLOURS[rng.random_range(0..COLOURS.len())];
        let mut d = String::new();
        for stroke in glyph(c) {
            for (j, (px, py)) in stroke.iter().enumerate() {
                let _ = write!(d, "{}{} {} ", if j == 0 { 'M' } else { 'L' }, px, py);
            }
        }
        let _ = write!(
            svg,
            r#"<path d="{}" transform="translate({x:.1} {y:.1}) rotate({angle:.1} 5 7) scale({scale:.2})" fill="none" stroke="{colour}" stroke-width="{width:.2}" stroke-linecap="round" stroke-linejoin="round"/>"#,
            d.trim_end()
        );
    }
    svg.push_str("</svg>");
    Captcha { answer, svg }
}

/// A person's answer as compared: no spaces, upper case.
pub fn normalize(input: &str) -> String {
    input.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect()
}

/// Constant-time comparison of two normalized answers (or their hashes).
pub fn answer_matches(expected: &str, given: &str) -> bool {
    use subtle::ConstantTimeEq;
    expected.len() == given.len() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn every_character_has_a_glyph() {
        for c in ALPHABET {
            assert!(glyph(*c).iter().map(|s| s.len()).sum::<usize>() >= 2, "{}", *c as char);
        }
    }

    #[test]
    fn the_picture_never_contains_its_answer() {
        for seed in 0..20 {
            let c = generate(&mut rand_chacha::ChaCha8Rng::seed_from_u64(seed));
            assert_eq!(c.answer.len(), CAPTCHA_LEN);
            assert!(c.answer.bytes().all(|b| ALPHABET.contains(&b)));
            assert!(c.svg.starts_with("<svg") && c.svg.contains(r#"viewBox="0 0 160 56""#));
            for banned in ["<text", "style=", "<script", "href"] {
                assert!(!c.svg.contains(banned), "{banned}");
            }
            assert!(!c.svg.contains(&c.answer));
        }
    }

    #[test]
    fn seeded_draws_repeat_and_differ() {
        let a = generate(&mut rand_chacha::ChaCha8Rng::seed_from_u64(1));
        let b = generate(&mut rand_chacha::ChaCha8Rng::seed_from_u64(1));
        assert_eq!((a.answer.clone(), a.svg.clone()), (b.answer, b.svg));
        let answers: std::collections::HashSet<String> =
            (2..8).map(|s| generate(&mut rand_chacha::ChaCha8Rng::seed_from_u64(s)).answer).collect();
        assert!(answers.len() >= 5);
    }

    #[test]
    fn answers_are_normalized_and_compared() {
        assert_eq!(normalize(" a c d e f "), "ACDEF");
        assert!(answer_matches("ACDEF", &normalize("acdef")));
        assert!(!answer_matches("ACDEF", "ACDE"));
        assert!(!answer_matches("ACDEF", "ACDEX"));
    }
}
