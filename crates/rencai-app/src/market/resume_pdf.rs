//! The unlocked resume as a PDF (P6): Chinese text set in WenQuanYi Micro Hei (Apache-2.0,
//! bundled and embedded as a subset), and on every page a visible watermark naming the
//! downloading organisation, the account and the time, so a leaked copy can be traced.

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};

/// The bundled font: a TrueType collection; face 0 is the proportional Micro Hei.
static FONT: &[u8] = include_bytes!("../../content/fonts/wqy-microhei.ttc");

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;

/// One line of the document, with its size and emphasis.
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub size: f32,
    /// Extra space before it, in points (section headings).
    pub gap_before: f32,
    pub gray: f32,
}

impl Line {
    pub fn title(text: impl Into<String>) -> Self {
        Self { text: text.into(), size: 18.0, gap_before: 0.0, gray: 0.0 }
    }
    pub fn heading(text: impl Into<String>) -> Self {
        Self { text: text.into(), size: 13.0, gap_before: 10.0, gray: 0.0 }
    }
    pub fn body(text: impl Into<String>) -> Self {
        Self { text: text.into(), size: 10.5, gap_before: 0.0, gray: 0.15 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the bundled font could not be read")]
    Font,
    #[error("the font could not be subset: {0}")]
    Subset(String),
}

struct Face<'a> {
    face: ttf_parser::Face<'a>,
    upem: f32,
}

impl<'a> Face<'a> {
    fn load() -> Result<Face<'static>, PdfError> {
        let face = ttf_parser::Face::parse(FONT, 0).map_err(|_| PdfError::Font)?;
        let upem = f32::from(face.units_per_em());
        Ok(Face { face, upem })
    }

    fn glyph(&self, c: char) -> u16 {
        self.face.glyph_index(c).map(|g| g.0).unwrap_or(0)
    }

    /// Advance of a glyph in thousandths of the font size (PDF glyph space).
    fn advance(&self, gid: u16) -> f32 {
        f32::from(self.face.glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0)) * 1000.0 / self.upem
    }
}

/// Breaks text into lines no wider than `width` points at `size`.
fn wrap(face: &Face, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0.0;
        for c in para.chars() {
            let adv = face.advance(face.glyph(c)) * size / 1000.0;
            if w + adv > width && !line.is_empty() {
                out.push(std::mem::take(&mut line));
                w = 0.0;
            }
            line.push(c);
            w += adv;
        }
        out.push(line);
    }
    out
}

/// Renders `lines` on A4 pages, each with the watermark `mark`.
pub fn render(doc_title: &str, lines: &[Line], mark: &str) -> Result<Vec<u8>, PdfError> {
    let face = Face::load()?;
    // Lay out first: which glyphs are used decides the subset.
    let mut pages: Vec<Vec<(f32, f32, f32, String)>> = vec![Vec::new()];
    let mut y = PAGE_H - MARGIN;
    for l in lines {
        y -= l.gap_before;
        for text in wrap(&face, &l.text, l.size, PAGE_W - 2.0 * MARGIN) {
            let lead = l.size * 1.6;
            if y - lead < MARGIN + 24.0 {
                pages.push(Vec::new());
                y = PAGE_H - MARGIN;
            }
            y -= lead;
            if let Some(p) = pages.last_mut() {
                p.push((y, l.size, l.gray, text));
            }
        }
    }
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut used: BTreeMap<u16, char> = BTreeMap::new();
    let footer_glyphs = "　第0123456789/页";
    let all_text = pages.iter().flatten().map(|(_, _, _, t)| t.as_str()).chain([mark, doc_title, footer_glyphs]);
    for t in all_text {
        for c in t.chars() {
            let g = face.glyph(c);
            let new = remapper.remap(g);
            used.entry(new).or_insert(c);
        }
    }
    let subset = subsetter::subset(FONT, 0, &remapper).map_err(|e| PdfError::Subset(format!("{e:?}")))?;
    // Text is shown as big-endian new glyph ids (Identity-H, CIDToGIDMap Identity).
    let encode = |t: &str| -> Vec<u8> {
        t.chars().flat_map(|c| remapper.get(face.glyph(c)).unwrap_or(0).to_be_bytes()).collect()
    };

    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let tree = alloc();
    let type0 = alloc();
    let cid = alloc();
    let descriptor = alloc();
    let font_file = alloc();
    let cmap_ref = alloc();
    let info = alloc();
    let page_refs: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();

    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_refs.iter().map(|(p, _)| *p)).count(page_refs.len() as i32);
    pdf.document_info(info).title(pdf_writer::TextStr(doc_title)).producer(pdf_writer::TextStr("Rencai"));

    let base = Name(b"RCAAAA+WenQuanYiMicroHei");
    pdf.type0_font(type0)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap_ref);
    let system_info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
    let mut c = pdf.cid_font(cid);
    c.subtype(CidFontType::Type2).base_font(base).system_info(system_info).font_descriptor(descriptor);
    c.default_width(1000.0).cid_to_gid_map_predefined(Name(b"Identity"));
    {
        let mut widths = c.widths();
        for (new, ch) in &used {
            widths.consecutive(*new, [face.advance(face.glyph(*ch))]);
        }
    }
    c.finish();
    let bbox = face.face.global_bounding_box();
    let s = 1000.0 / face.upem;
    pdf.font_descriptor(descriptor)
        .name(base)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            f32::from(bbox.x_min) * s,
            f32::from(bbox.y_min) * s,
            f32::from(bbox.x_max) * s,
            f32::from(bbox.y_max) * s,
        ))
        .italic_angle(0.0)
        .ascent(f32::from(face.face.ascender()) * s)
        .descent(f32::from(face.face.descender()) * s)
        .cap_height(f32::from(face.face.capital_height().unwrap_or(face.face.ascender())) * s)
        .stem_v(80.0)
        .font_file2(font_file);
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&subset, 6);
    pdf.stream(font_file, &compressed).filter(Filter::FlateDecode).pair(Name(b"Length1"), subset.len() as i32);
    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
    for (new, ch) in &used {
        cmap.pair(*new, *ch);
    }
    pdf.cmap(cmap_ref, &cmap.finish());

    let total = page_refs.len();
    for (i, ((page_ref, content_ref), lines)) in page_refs.iter().zip(&pages).enumerate() {
        let mut page = pdf.page(*page_ref);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H)).parent(tree).contents(*content_ref);
        page.resources().fonts().pair(Name(b"F1"), type0);
        page.finish();

        let mut content = Content::new();
        // The watermark first, light and diagonal, three times across the page, so it is
        // behind the text yet cannot be cropped away.
        content.save_state();
        content.set_fill_gray(0.86);
        let (sin, cos) = (std::f32::consts::FRAC_PI_6.sin(), std::f32::consts::FRAC_PI_6.cos());
        for k in 0..3 {
            let ty = 180.0 + 230.0 * k as f32;
            content.begin_text();
            content.set_font(Name(b"F1"), 15.0);
            content.set_text_matrix([cos, sin, -sin, cos, 70.0, ty]);
            content.show(Str(&encode(mark)));
            content.end_text();
        }
        content.restore_state();
        for (y, size, gray, text) in lines {
            content.set_fill_gray(*gray);
            content.begin_text();
            content.set_font(Name(b"F1"), *size);
            content.next_line(MARGIN, *y);
            content.show(Str(&encode(text)));
            content.end_text();
        }
        // And in plain words at the foot of every page.
        content.set_fill_gray(0.35);
        content.begin_text();
        content.set_font(Name(b"F1"), 8.0);
        content.next_line(MARGIN, 30.0);
        content.show(Str(&encode(&format!("{mark}　第{}/{}页", i + 1, total))));
        content.end_text();
        pdf.stream(*content_ref, &content.finish());
    }
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_and_the_watermark_are_on_every_page() {
        let mut lines = vec![Line::title("李秀英 · 厨师求职简历"), Line::heading("工作经历")];
        for i in 0..90 {
            lines.push(Line::body(format!("第{i}条：负责热菜出品，保证菜品口味稳定，协助厨师长管理后厨。")));
        }
        let mark = "万州峡江餐饮有限公司 下载 · 账号尾号1a2b3c4d · 2026-11-29 10:00";
        let pdf = render("李秀英的简历", &lines, mark).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.windows(9).any(|w| w == b"FontFile2"), "the font is embedded");
        assert!(pdf.len() < 400_000, "a subset, not the 5 MB font: {} bytes", pdf.len());
        let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
        assert!(text.contains("李秀英") && text.contains("协助厨师长管理后厨"), "{text}");
        let pages = text.matches("账号尾号1a2b3c4d").count();
        assert!(pages >= 2 * 3, "three diagonal marks and a footer on each of several pages: {pages}");
        assert!(text.contains("第2/"), "numbered pages");
    }
}
