//! Highlighted text: the words a query matched, as ranges the page wraps in `<mark>` after
//! escaping (the index never produces HTML).

use crate::text::QueryWord;

/// A piece of text and the byte ranges in it that matched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marked {
    pub text: String,
    pub marks: Vec<(usize, usize)>,
}

impl Marked {
    pub fn plain(text: &str) -> Self {
        Marked { text: text.to_string(), marks: Vec::new() }
    }

    /// The text in order, each piece with whether it matched.
    pub fn pieces(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        let mut at = 0;
        for &(from, to) in &self.marks {
            if from < at || to > self.text.len() || !self.text.is_char_boundary(from) || !self.text.is_char_boundary(to)
            {
                continue;
            }
            if from > at {
                out.push((&self.text[at..from], false));
            }
            out.push((&self.text[from..to], true));
            at = to;
        }
        if at < self.text.len() {
            out.push((&self.text[at..], false));
        }
        out
    }
}

/// Marks query words in titles and picks a passage of a description around the first match.
/// It looks for the words (and their dictionary pieces) as text rather than re-segmenting every
/// shown description: a list page marks 20 titles and passages, and jieba on each would cost
/// more than the search itself.
#[derive(Debug, Clone, Default)]
pub struct Highlighter {
    /// Lower-cased, longest first (a longer word wins where two overlap).
    terms: Vec<String>,
    passage_chars: usize,
}

impl Highlighter {
    pub(crate) fn none() -> Self {
        Highlighter::default()
    }

    /// For these query words; passages of about `passage_chars` characters.
    pub(crate) fn for_words(words: &[QueryWord], passage_chars: usize) -> Self {
        let mut terms: Vec<String> = Vec::new();
        for w in words {
            for t in std::iter::once(&w.word).chain(&w.pieces) {
                if !t.is_empty() && !terms.contains(t) {
                    terms.push(t.clone());
                }
            }
        }
        terms.sort_by_key(|t| std::cmp::Reverse(t.len()));
        Highlighter { terms, passage_chars }
    }

    /// Byte ranges of every term in `text` (ASCII compared without case), merged.
    fn marks(&self, text: &str) -> Vec<(usize, usize)> {
        if self.terms.is_empty() {
            return Vec::new();
        }
        // ASCII lower-casing keeps every byte offset.
        let hay = text.to_ascii_lowercase();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for t in &self.terms {
            let mut from = 0;
            while let Some(i) = hay[from..].find(t.as_str()) {
                let start = from + i;
                ranges.push((start, start + t.len()));
                from = start + t.len();
            }
        }
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (a, b) in ranges {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        merged
    }

    /// The whole title with the matched words marked.
    pub fn title(&self, title: &str) -> Marked {
        Marked { text: title.to_string(), marks: self.marks(title) }
    }

    /// A passage of a description around its first match, if any word matched in it.
    pub fn passage(&self, body: &str) -> Option<Marked> {
        let marks = self.marks(body);
        let first = marks.first()?.0;
        // Start a third of the way before the first match, on a character boundary.
        let lead = self.passage_chars / 3;
        let start = body[..first].char_indices().rev().nth(lead.saturating_sub(1)).map(|(i, _)| i).unwrap_or(0);
        let end = body[start..].char_indices().nth(self.passage_chars).map(|(i, _)| start + i).unwrap_or(body.len());
        let text = body[start..end].to_string();
        let marks =
            marks.into_iter().filter(|(a, b)| *a >= start && *b <= end).map(|(a, b)| (a - start, b - start)).collect();
        Some(Marked { text, marks })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::query_words;

    #[test]
    fn passages_centre_on_the_first_match_and_latin_ignores_case() {
        let h = Highlighter::for_words(&query_words("java 开发"), 20);
        let body = format!("{}熟悉Java后端开发，了解MySQL。", "公司介绍".repeat(20));
        let p = h.passage(&body).unwrap();
        assert!(p.text.chars().count() <= 20, "{p:?}");
        assert!(p.pieces().contains(&("Java", true)) && p.pieces().contains(&("开发", true)), "{p:?}");
        assert!(h.passage("没有相关内容").is_none());
        let t = h.title("JAVA开发工程师");
        assert_eq!(t.pieces()[0], ("JAVA开发", true), "adjacent matches merge");
        assert!(Highlighter::none().title("会计").marks.is_empty());
    }
}
