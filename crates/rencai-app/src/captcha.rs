//! A self-hosted image CAPTCHA (no third-party service), shown after the first SMS code from an
//! address to slow down scripts that burn our SMS budget or bomb a number with codes.
//!
//! Why self-hosted: third-party CAPTCHA services are slow or blocked for many users here, load
//! foreign scripts (which the Content-Security-Policy forbids anyway) and would receive every
//! visitor's address.
//!
//! Why paths and not `<text>`: anything written as text in the SVG source can be read straight
//! out of the DOM or the data URI, with no image recognition at all. Each glyph is instead a
//! `<path>` from a small hand-made stroke font (polylines on a 10 × 14 grid). The rotation,
//! scale and position of each glyph, plus a small jitter on every point, are applied here,
//! before the coordinates are written: a `transform` attribute would leave the font's grid
//! coordinates verbatim in the `d` attribute, where a script could look them up in a table.
//! Noise curves (drawn both under and over the glyphs, with similar widths and colours) and dots
//! make separating the glyphs from the noise a little harder.
//!
//! This is a speed bump, not a wall: a determined attacker can render and OCR it. The per-address
//! and per-number limits and the SMS budget are what actually bound the damage.
//!
//! The SVG uses only presentation attributes (`stroke=`, `fill=` …), never `style`, and has no
//! scripts or external references: the site's CSP forbids inline styles, and the picture must
//! render as a plain `<img>`.

use std::fmt::Write as _;

use rand::RngExt;
use subtle::ConstantTimeEq;

/// Characters in a challenge.
pub const CAPTCHA_LEN: usize = 5;
/// Upper-case letters and digits without look-alike pairs: no B/8, G, I/L/1, O/Q/0, S/5, Z/2.
pub const ALPHABET: &[u8] = b"ACDEFHJKMNPRTUVWXY34679";

/// A challenge: the expected answer and the picture.
#[derive(Debug, Clone)]
pub struct Captcha {
    pub answer: String,
    pub svg: String,
}

const WIDTH: f64 = 160.0;
const HEIGHT: f64 = 56.0;
/// Space kept clear at the edges, beyond half the stroke width.
const MARGIN: f64 = 2.0;
/// Pixels per font grid unit before the random 0.9–1.15 factor (a glyph is about 23 × 32 px).
const BASE_SCALE: f64 = 2.3;
/// Horizontal distance between glyph centres; the first centre is at `SLOT / 2 + 5`.
const SLOT: f64 = 30.0;
/// Largest random shift of each point of a glyph, in pixels.
const POINT_JITTER: f64 = 0.7;
const BACKGROUND: &str = "#f8fafc";
/// Dark, muted colours, each at least 7:1 against the background.
const COLOURS: [&str; 6] = ["#1e3a8a", "#7c2d12", "#14532d", "#4c1d95", "#374151", "#9f1239"];

/// One stroke of a glyph: a polyline on the 10 × 14 font grid (x right, y down).
type Stroke = &'static [(u8, u8)];

/// The strokes of a glyph, empty for characters outside [`ALPHABET`].
fn glyph(c: u8) -> &'static [Stroke] {
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

fn pick_colour(rng: &mut impl RngExt) -> &'static str {
    COLOURS[rng.random_range(0..COLOURS.len())]
}

/// A quadratic Bézier across most of the picture.
fn noise_curve(rng: &mut impl RngExt, out: &mut String) {
    let colour = pick_colour(rng);
    let x0: f64 = rng.random_range(0.0..30.0);
    let y0: f64 = rng.random_range(4.0..52.0);
    let cx: f64 = rng.random_range(40.0..120.0);
    let cy: f64 = rng.random_range(-16.0..72.0);
    let x1: f64 = rng.random_range(130.0..160.0);
    let y1: f64 = rng.random_range(4.0..52.0);
    let width: f64 = rng.random_range(1.0..2.2);
    let _ = write!(
        out,
        r#"<path d="M{x0:.1} {y0:.1}Q{cx:.1} {cy:.1} {x1:.1} {y1:.1}" fill="none" stroke="{colour}" stroke-width="{width:.1}" stroke-linecap="round" opacity="0.6"/>"#
    );
}

/// Glyph `c` centred near slot `slot`, as a `<path>` with every transform already applied.
fn glyph_path(rng: &mut impl RngExt, c: u8, slot: usize, out: &mut String) {
    let factor: f64 = rng.random_range(0.9..1.15);
    let scale = factor * BASE_SCALE;
    let degrees: f64 = rng.random_range(-20.0..20.0);
    let (sin, cos) = degrees.to_radians().sin_cos();
    let width: f64 = rng.random_range(2.2..3.2);
    let colour = pick_colour(rng);
    let shift_x: f64 = rng.random_range(-2.0..2.0);
    let shift_y: f64 = rng.random_range(-3.0..3.0);
    let centre_x = 5.0 + SLOT / 2.0 + slot as f64 * SLOT + shift_x;
    let centre_y = HEIGHT / 2.0 + shift_y;

    let mut strokes: Vec<Vec<(f64, f64)>> = Vec::with_capacity(glyph(c).len());
    for stroke in glyph(c) {
        let mut points = Vec::with_capacity(stroke.len());
        for &(gx, gy) in stroke.iter() {
            // Around the centre of the 10 × 14 cell: scale, rotate, place, jitter.
            let lx = (f64::from(gx) - 5.0) * scale;
            let ly = (f64::from(gy) - 7.0) * scale;
            let jx: f64 = rng.random_range(-POINT_JITTER..POINT_JITTER);
            let jy: f64 = rng.random_range(-POINT_JITTER..POINT_JITTER);
            points.push((centre_x + lx * cos - ly * sin + jx, centre_y + lx * sin + ly * cos + jy));
        }
        strokes.push(points);
    }

    // Rotation can push a corner out of the picture: shift the glyph back inside.
    let pad = MARGIN + width / 2.0;
    let (mut min_x, mut max_x, mut min_y, mut max_y) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in strokes.iter().flatten() {
        min_x = min_x.min(x);
        max_x = max_x.max(x);
        min_y = min_y.min(y);
        max_y = max_y.max(y);
    }
    let shift = |min: f64, max: f64, size: f64| {
        if min < pad {
            pad - min
        } else if max > size - pad {
            size - pad - max
        } else {
            0.0
        }
    };
    let dx = shift(min_x, max_x, WIDTH);
    let dy = shift(min_y, max_y, HEIGHT);

    let mut d = String::with_capacity(16 * strokes.iter().map(Vec::len).sum::<usize>());
    for points in &strokes {
        for (j, &(x, y)) in points.iter().enumerate() {
            let command = if j == 0 { 'M' } else { 'L' };
            let _ = write!(d, "{command}{:.1} {:.1}", x + dx, y + dy);
        }
    }
    let _ = write!(
        out,
        r#"<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width:.1}" stroke-linecap="round" stroke-linejoin="round"/>"#
    );
}

/// Draws a challenge with the given RNG (tests pass a seeded one).
pub fn generate(rng: &mut impl RngExt) -> Captcha {
    let mut answer = String::with_capacity(CAPTCHA_LEN);
    for _ in 0..CAPTCHA_LEN {
        answer.push(char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]));
    }

    let mut svg = String::with_capacity(8 * 1024);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 56" width="160" height="56" role="img" aria-label="图形验证码"><rect width="160" height="56" fill="{BACKGROUND}"/>"#
    );
    let dots: usize = rng.random_range(28..=34);
    for _ in 0..dots {
        let colour = pick_colour(rng);
        let x: f64 = rng.random_range(0.0..WIDTH);
        let y: f64 = rng.random_range(0.0..HEIGHT);
        let r: f64 = rng.random_range(0.6..1.6);
        let _ = write!(svg, r#"<circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="{colour}"/>"#);
    }
    // Half the noise curves go under the glyphs and half over them, so that the drawing order
    // does not tell glyphs from noise.
    let curves: usize = rng.random_range(5..=8);
    let mut over = String::new();
    for i in 0..curves {
        noise_curve(rng, if i % 2 == 0 { &mut svg } else { &mut over });
    }
    for (slot, c) in answer.bytes().enumerate() {
        glyph_path(rng, c, slot, &mut svg);
    }
    svg.push_str(&over);
    svg.push_str("</svg>");
    Captcha { answer, svg }
}

/// A person's answer as compared: whitespace removed (anywhere), full-width forms typed with a
/// Chinese input method folded to ASCII (`Ａ` → `A`), ASCII lower case to upper case. Look-alikes
/// such as `O`/`0` are left alone: they are not in [`ALPHABET`], so they simply do not match.
pub fn normalize(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Constant-time comparison of two normalized answers (or of their keyed hashes). Only the
/// length, which is public anyway, can show in the timing.
pub fn answer_matches(expected: &str, given: &str) -> bool {
    expected.len() == given.len() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn draw(seed: u64) -> Captcha {
        generate(&mut rand_chacha::ChaCha8Rng::seed_from_u64(seed))
    }

    /// The `d` attribute of every `<path>` in the picture.
    fn path_data(svg: &str) -> Vec<&str> {
        svg.split(r#"<path d=""#).skip(1).map(|rest| rest.split('"').next().unwrap_or_default()).collect()
    }

    #[test]
    fn every_character_has_a_glyph() {
        for &c in ALPHABET {
            let strokes = glyph(c);
            assert!(strokes.iter().map(|s| s.len()).sum::<usize>() >= 2, "{}", char::from(c));
            for stroke in strokes {
                assert!(stroke.len() >= 2, "{}: a stroke is a line", char::from(c));
                assert!(stroke.iter().all(|&(x, y)| x <= 10 && y <= 14), "{}: inside the grid", char::from(c));
            }
        }
        for (i, &a) in ALPHABET.iter().enumerate() {
            for &b in &ALPHABET[i + 1..] {
                assert_ne!(glyph(a), glyph(b), "{} and {} look alike", char::from(a), char::from(b));
            }
        }
        assert!(glyph(b'O').is_empty());
    }

    #[test]
    fn the_picture_never_contains_its_answer() {
        for seed in 0..50 {
            let c = draw(seed);
            assert_eq!(c.answer.len(), CAPTCHA_LEN);
            assert!(c.answer.bytes().all(|b| ALPHABET.contains(&b)), "{}", c.answer);
            assert!(c.svg.starts_with("<svg") && c.svg.ends_with("</svg>"));
            assert!(c.svg.contains(r#"viewBox="0 0 160 56""#));
            assert!(c.svg.contains(r#"role="img""#) && c.svg.contains(r#"aria-label="图形验证码""#));
            // " on" would start an event handler attribute (`onload=` …).
            for banned in ["<text", "style=", "<script", "href", "url(", "transform", "<foreignObject", " on"] {
                assert!(!c.svg.contains(banned), "{banned} in {}", c.svg);
            }
            assert!(!c.svg.contains(&c.answer), "seed {seed}");
            assert!(c.svg.len() < 12 * 1024, "{} bytes", c.svg.len());
        }
    }

    #[test]
    fn the_picture_has_glyphs_noise_and_dots() {
        for seed in 0..50 {
            let c = draw(seed);
            let paths = path_data(&c.svg);
            let curves = paths.iter().filter(|d| d.contains('Q')).count();
            assert!((5..=8).contains(&curves), "{curves} noise curves");
            assert_eq!(paths.len() - curves, CAPTCHA_LEN, "one path per glyph");
            let dots = c.svg.matches("<circle").count();
            assert!((28..=34).contains(&dots), "{dots} dots");
        }
    }

    #[test]
    fn glyphs_stay_inside_the_picture_and_do_not_repeat_the_font() {
        for seed in 0..100 {
            let c = draw(seed);
            for d in path_data(&c.svg).into_iter().filter(|d| !d.contains('Q')) {
                let numbers: Vec<&str> = d.split(['M', 'L', ' ']).filter(|s| !s.is_empty()).collect();
                assert_eq!(numbers.len() % 2, 0, "{d}");
                for n in &numbers {
                    assert!(n.contains('.'), "coordinates are transformed, not font grid values: {d}");
                }
                let numbers: Vec<f64> = numbers.iter().map(|n| n.parse().expect("a number")).collect();
                for xy in numbers.chunks(2) {
                    assert!((0.0..=WIDTH).contains(&xy[0]) && (0.0..=HEIGHT).contains(&xy[1]), "{d}");
                }
            }
        }
    }

    #[test]
    fn seeded_draws_repeat_and_differ() {
        let (a, b) = (draw(1), draw(1));
        assert_eq!((&a.answer, &a.svg), (&b.answer, &b.svg));
        let answers: std::collections::HashSet<String> = (2..10).map(|s| draw(s).answer).collect();
        assert_eq!(answers.len(), 8, "{answers:?}");
        let svgs: std::collections::HashSet<String> = (2..10).map(|s| draw(s).svg).collect();
        assert_eq!(svgs.len(), 8);
    }

    #[test]
    fn answers_are_normalized_and_compared() {
        assert_eq!(normalize(" a c d e f "), "ACDEF");
        assert_eq!(normalize("\tx\u{3000}y 9\n"), "XY9", "any whitespace, including the ideographic space");
        assert_eq!(normalize("ａｃ３４"), "AC34", "full-width input");
        assert_eq!(normalize("o0"), "O0", "look-alikes are not mapped");
        assert!(answer_matches("ACDEF", &normalize("acdef")));
        assert!(answer_matches(&normalize("ACDEF"), &normalize(" Ａ c D e F")));
        assert!(!answer_matches("ACDEF", "ACDE"));
        assert!(!answer_matches("ACDEF", "ACDEFA"));
        assert!(!answer_matches("ACDEF", "ACDEX"));
        assert!(!answer_matches("ACDEF", ""));
    }
}
