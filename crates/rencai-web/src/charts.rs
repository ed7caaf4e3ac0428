//! Server-rendered SVG charts: no script, scale to any width, readable by screen readers
//! (a title and description, and the page puts the figures in a table beside each chart).

use rencai_domain::html::escape as esc;

const WIDTH: u32 = 640;
const BAR: &str = "#1d4ed8";
const TEXT: &str = "#1f2937";
const GRID: &str = "#d9e0ea";

/// Horizontal bars, one per (label, value), largest scale = the largest value.
pub fn bars(title: &str, cells: &[(String, u64)]) -> String {
    let row = 30u32;
    let label_w = 150u32;
    let height = (cells.len() as u32).max(1) * row + 10;
    let max = cells.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"t\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title>{}</title>",
        esc(title)
    );
    for (i, (label, v)) in cells.iter().enumerate() {
        let y = i as u32 * row + 5;
        let w = ((*v as f64 / max as f64) * f64::from(WIDTH - label_w - 70)).round().max(1.0);
        svg += &format!(
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" font-size=\"14\" fill=\"{TEXT}\">{label}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"3\" fill=\"{BAR}\"/>\
             <text x=\"{vx}\" y=\"{ty}\" font-size=\"13\" fill=\"{TEXT}\">{v}</text>",
            lx = label_w - 8,
            ty = y + 17,
            label = esc(label),
            h = row - 8,
            vx = f64::from(label_w) + w + 6.0,
        );
    }
    svg + "</svg>"
}

/// A daily line; suppressed days (`None`) break the line and are marked below the axis.
pub fn line(title: &str, points: &[(String, Option<u64>)]) -> String {
    let (h, left, bottom, top) = (220u32, 44u32, 28u32, 12u32);
    let plot_w = f64::from(WIDTH - left - 10);
    let plot_h = f64::from(h - bottom - top);
    let max = points.iter().filter_map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let n = points.len().max(2) as f64 - 1.0;
    let x = |i: usize| f64::from(left) + plot_w * i as f64 / n;
    let y = |v: u64| f64::from(top) + plot_h * (1.0 - v as f64 / max as f64);
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {h}\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\"><title>{}</title>\
         <line x1=\"{left}\" y1=\"{base}\" x2=\"{right}\" y2=\"{base}\" stroke=\"{GRID}\"/>\
         <text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" font-size=\"12\" fill=\"{TEXT}\">{max}</text>\
         <text x=\"{lx}\" y=\"{base}\" text-anchor=\"end\" font-size=\"12\" fill=\"{TEXT}\">0</text>",
        esc(title),
        base = h - bottom,
        right = WIDTH - 10,
        lx = left - 6,
        ty = top + 10,
    );
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, svg: &mut String| {
        if run.len() > 1 {
            *svg += &format!(
                "<polyline fill=\"none\" stroke=\"{BAR}\" stroke-width=\"2.5\" points=\"{}\"/>",
                run.join(" ")
            );
        } else if let Some(p) = run.first() {
            let (px, py) = p.split_once(',').unwrap_or(("0", "0"));
            *svg += &format!("<circle cx=\"{px}\" cy=\"{py}\" r=\"3\" fill=\"{BAR}\"/>");
        }
        run.clear();
    };
    for (i, (_, v)) in points.iter().enumerate() {
        match v {
            Some(v) => run.push(format!("{:.1},{:.1}", x(i), y(*v))),
            None => {
                flush(&mut run, &mut svg);
                svg += &format!("<circle cx=\"{:.1}\" cy=\"{}\" r=\"2\" fill=\"{GRID}\"/>", x(i), h - bottom + 6);
            }
        }
    }
    flush(&mut run, &mut svg);
    if let (Some((first, _)), Some((last, _))) = (points.first(), points.last()) {
        svg += &format!(
            "<text x=\"{left}\" y=\"{ly}\" font-size=\"12\" fill=\"{TEXT}\">{}</text>\
             <text x=\"{rx}\" y=\"{ly}\" text-anchor=\"end\" font-size=\"12\" fill=\"{TEXT}\">{}</text>",
            esc(first.get(5..).unwrap_or(first)),
            esc(last.get(5..).unwrap_or(last)),
            ly = h - 6,
            rx = WIDTH - 10,
        );
    }
    svg + "</svg>"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_escape_labels_and_scale_to_the_largest() {
        let svg = bars("行业", &[("<b>餐饮</b>".into(), 40), ("建筑".into(), 20)]);
        assert!(svg.contains("&lt;b&gt;餐饮") && !svg.contains("<b>"));
        assert!(svg.contains("width=\"420\""), "the largest bar fills the plot");
        assert!(svg.contains("width=\"210\""), "half as long");
    }

    #[test]
    fn a_suppressed_day_breaks_the_line() {
        let pts: Vec<(String, Option<u64>)> = vec![
            ("2026-11-01".into(), Some(12)),
            ("2026-11-02".into(), None),
            ("2026-11-03".into(), Some(15)),
            ("2026-11-04".into(), Some(20)),
        ];
        let svg = line("新职位", &pts);
        assert_eq!(svg.matches("<polyline").count(), 1, "one run of two points after the gap");
        assert_eq!(svg.matches("r=\"3\"").count(), 1, "the lone point before the gap is a dot");
        assert!(svg.contains(">11-01<") && svg.contains(">11-04<"));
    }
}
