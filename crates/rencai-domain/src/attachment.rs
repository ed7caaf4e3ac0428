//! Uploaded attachments (M24): what a file is, decided by its content (never its name or the
//! type the browser claims), and the removal of direct identifiers from text extracted from it
//! before that text is kept for search.

use std::sync::LazyLock;

use regex::Regex;

/// The kinds of file accepted as attachment resumes and documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    /// Word 2007+ (.docx): a ZIP package holding `word/document.xml`.
    Docx,
    Jpeg,
    Png,
}

impl FileType {
    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Docx => "docx",
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, FileType::Jpeg | FileType::Png)
    }
}

/// The type of `bytes` by their signature. A ZIP counts as DOCX only if it names the Word
/// document part in its first local header or central directory; the extractor checks again.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(FileType::Png)
    } else if bytes.starts_with(b"PK\x03\x04") && bytes.windows(17).any(|w| w == b"word/document.xml") {
        Some(FileType::Docx)
    } else {
        None
    }
}

/// A file name safe to show and to offer in Content-Disposition: no path, no control
/// characters, at most 80 characters, with the extension of the type it really is.
pub fn display_name(original: &str, t: FileType) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.rsplit_once('.').map(|(s, _)| s).unwrap_or(base);
    let clean: String = stem
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '*' | '?' | '|'))
        .take(80)
        .collect();
    let clean = clean.trim();
    let stem = if clean.is_empty() { "附件" } else { clean };
    format!("{stem}.{}", t.extension())
}

static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:(?:\+|00)86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}|0\d{2,3}[\s-]?\d{7,8}").expect("pattern compiles")
});
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+").expect("pattern compiles"));
static ID_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]\b|\b\d{17}[\dXx]\b")
        .expect("pattern compiles")
});
static WECHAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(微信|weixin|wechat|vx|wx|qq)\s*[号:：]?\s*[A-Za-z0-9_-]{5,20}").expect("pattern compiles")
});

/// Removes direct identifiers — the person's names, phone numbers, e-mail addresses, ID
/// numbers, WeChat/QQ ids — from extracted text. `names` are the names known for the person
/// (full names of 2+ characters; a lone surname would erase too much ordinary text).
pub fn redact_identifiers(text: &str, names: &[&str]) -> String {
    let mut out = ID_NUMBER.replace_all(text, "[身份证号]").into_owned();
    out = EMAIL.replace_all(&out, "[邮箱]").into_owned();
    out = WECHAT.replace_all(&out, "[联系方式]").into_owned();
    out = PHONE.replace_all(&out, "[电话]").into_owned();
    for name in names.iter().map(|n| n.trim()).filter(|n| n.chars().count() >= 2) {
        out = out.replace(name, "[姓名]");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_is_decided_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(FileType::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileType::Png));
        let mut docx = b"PK\x03\x04".to_vec();
        docx.extend_from_slice(b"\0\0\0\0word/document.xml");
        assert_eq!(sniff(&docx), Some(FileType::Docx));
        assert_eq!(sniff(b"PK\x03\x04 some other zip"), None, "a ZIP that is not a Word document");
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"MZ\x90\0 an executable renamed to resume.pdf"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn display_names_lose_paths_and_take_the_real_extension() {
        assert_eq!(display_name("C:\\Users\\张三\\简历.PDF", FileType::Pdf), "简历.pdf");
        assert_eq!(display_name("../../etc/passwd", FileType::Png), "passwd.png");
        assert_eq!(display_name("resume.exe", FileType::Pdf), "resume.pdf");
        assert_eq!(display_name("\"a\"<b>.docx", FileType::Docx), "ab.docx");
        assert_eq!(display_name("", FileType::Jpeg), "附件.jpg");
    }

    #[test]
    fn identifiers_are_removed_and_ordinary_text_kept() {
        let text = "李秀英 女 1995年生 电话 138-1234-5678 邮箱 lxy@example.com 身份证 50010119950307123X \
                    微信：lxy_1995 座机 023-58123456。五年川菜厨师经验，擅长火锅底料炒制。李秀英曾任厨师长。";
        let r = redact_identifiers(text, &["李秀英"]);
        for gone in ["李秀英", "1234", "lxy@example.com", "50010119950307123X", "lxy_1995", "58123456"] {
            assert!(!r.contains(gone), "{gone} left in {r}");
        }
        for kept in ["五年川菜厨师经验", "火锅底料", "1995年生", "厨师长"] {
            assert!(r.contains(kept), "{kept} lost from {r}");
        }
        assert_eq!(redact_identifiers("王师傅做事认真", &["王"]), "王师傅做事认真", "a lone surname is not erased");
    }
}
