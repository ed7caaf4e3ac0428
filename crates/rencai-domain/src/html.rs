//! Escaping text for HTML built outside the templates (SVG charts, the export's index page,
//! policy texts staff write as plain text).

/// `text` safe inside an element or a quoted attribute.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_quotes_become_text() {
        assert_eq!(super::escape(r#"<a href="x">&</a>"#), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    }
}
