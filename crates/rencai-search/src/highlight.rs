//! Highlighted text: the words a query matched, as ranges the page wraps in `<mark>` after
//! escaping (the index never produces HTML).

use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::Snippet;
use tantivy::snippet::SnippetGenerator;

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

/// Marks query words in titles and picks the best passage of a description.
pub struct Highlighter {
    title: Option<SnippetGenerator>,
    title_chars: Option<SnippetGenerator>,
    body: Option<SnippetGenerator>,
}

impl Highlighter {
    pub(crate) fn none() -> Self {
        Highlighter { title: None, title_chars: None, body: None }
    }

    pub(crate) fn new(
        searcher: &Searcher,
        query: &dyn Query,
        title: Field,
        title_chars: Option<Field>,
        body: Field,
        passage_chars: usize,
    ) -> Self {
        let make = |field: Field, chars: usize| {
            SnippetGenerator::create(searcher, query, field).ok().map(|mut g| {
                g.set_max_num_chars(chars);
                g
            })
        };
        Highlighter {
            title: make(title, 400),
            title_chars: title_chars.and_then(|f| make(f, 400)),
            body: make(body, passage_chars),
        }
    }

    /// A snippet as ranges of the fragment, overlapping ranges merged (search-mode words overlap).
    fn marked(s: &Snippet) -> Marked {
        let mut ranges: Vec<(usize, usize)> = s.highlighted().iter().map(|r| (r.start, r.end)).collect();
        ranges.sort_unstable();
        let mut marks: Vec<(usize, usize)> = Vec::new();
        for (from, to) in ranges {
            match marks.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => marks.push((from, to)),
            }
        }
        Marked { text: s.fragment().to_string(), marks }
    }

    /// The whole title with the matched words marked.
    pub fn title(&self, title: &str) -> Marked {
        for g in [&self.title, &self.title_chars].into_iter().flatten() {
            let s = g.snippet(title);
            if !s.highlighted().is_empty() {
                let start = s.fragment_range().start;
                let m = Self::marked(&s);
                return Marked {
                    text: title.to_string(),
                    marks: m.marks.iter().map(|(a, b)| (a + start, b + start)).collect(),
                };
            }
        }
        Marked::plain(title)
    }

    /// The passage of a description that best matches, if any word matched in it.
    pub fn passage(&self, body: &str) -> Option<Marked> {
        let g = self.body.as_ref()?;
        let m = Self::marked(&g.snippet(body));
        (!m.marks.is_empty()).then_some(m)
    }
}
