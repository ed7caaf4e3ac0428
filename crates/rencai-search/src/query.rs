//! Building tantivy queries from search words and filters. User text never reaches a query
//! parser: it is segmented first (a raw sentence would become one phrase and find nothing).

use std::ops::Bound;

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::text::{QueryWord, is_single_han};

/// A text field searched for the words, and how much a match in it counts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Weighted {
    pub field: Field,
    pub boost: f32,
}

/// The fields a free-text query looks in.
#[derive(Debug, Clone)]
pub(crate) struct TextFields {
    pub words: Vec<Weighted>,
    /// Per-character field, for one-character words.
    pub chars: Option<Weighted>,
    /// Pinyin spellings, for words in Latin letters.
    pub pinyin: Option<Weighted>,
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON { q } else { Box::new(BoostQuery::new(q, boost)) }
}

/// How a word's term becomes a query: as it is, or only within some documents.
type Leaf<'a> = &'a dyn Fn(Field, &str) -> Box<dyn Query>;

/// One word in one field: the word itself, or all of its pieces.
fn word_in_field(field: Field, w: &QueryWord, leaf: Leaf) -> Box<dyn Query> {
    if w.pieces.len() <= 1 {
        return leaf(field, &w.word);
    }
    let all_pieces = BooleanQuery::new(w.pieces.iter().map(|p| (Occur::Must, leaf(field, p))).collect());
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, boosted(leaf(field, &w.word), 1.5)),
        (Occur::Should, Box::new(all_pieces)),
    ]))
}

/// One word anywhere in the text fields.
fn word_query(fields: &TextFields, w: &QueryWord, leaf: Leaf) -> Box<dyn Query> {
    let mut any: Vec<(Occur, Box<dyn Query>)> =
        fields.words.iter().map(|f| (Occur::Should, boosted(word_in_field(f.field, w, leaf), f.boost))).collect();
    if let Some(c) = fields.chars
        && is_single_han(&w.word)
    {
        any.push((Occur::Should, boosted(leaf(c.field, &w.word), c.boost)));
    }
    if let Some(p) = fields.pinyin
        && w.latin
    {
        any.push((Occur::Should, boosted(leaf(p.field, &w.word), p.boost)));
    }
    Box::new(BooleanQuery::new(any))
}

/// One word, matched only in the documents of `within`, with the same scores as
/// [`text_query`] gives them. The filter sits beside each term rather than around the whole:
/// a few documents are then found through each term's skip lists, where one filter beside the
/// union of terms would make it score every match near them.
pub(crate) fn word_within(fields: &TextFields, w: &QueryWord, within: &dyn Query) -> Box<dyn Query> {
    let leaf = |field: Field, text: &str| -> Box<dyn Query> {
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, term(field, text)),
            (Occur::Must, Box::new(ConstScoreQuery::new(within.box_clone(), 0.0))),
        ]))
    };
    word_query(fields, w, &leaf)
}

/// At least how many live documents match one word, from term statistics alone: in each
/// segment, the most documents any one of the word's whole terms is in (each of them alone is a
/// match), less the segment's deleted documents. A broad word shows "1万+" from this without
/// walking ten thousand matches to count them.
pub(crate) fn word_matches_at_least(searcher: &Searcher, fields: &TextFields, w: &QueryWord) -> tantivy::Result<u64> {
    let mut whole: Vec<Field> = fields.words.iter().map(|f| f.field).collect();
    whole.extend(fields.chars.filter(|_| is_single_han(&w.word)).map(|c| c.field));
    whole.extend(fields.pinyin.filter(|_| w.latin).map(|p| p.field));
    let mut n = 0;
    for seg in searcher.segment_readers() {
        let mut most = 0;
        for f in &whole {
            most = most.max(seg.inverted_index(*f)?.doc_freq(&Term::from_field_text(*f, &w.word))?);
        }
        n += u64::from(most.saturating_sub(seg.num_deleted_docs()));
    }
    Ok(n)
}

/// Every word (`all`) or any word must match. One word is its own query: a flat union of
/// terms, which tantivy can search with block-max WAND.
pub(crate) fn text_query(fields: &TextFields, words: &[QueryWord], all: bool) -> Box<dyn Query> {
    if let [w] = words {
        return word_query(fields, w, &term);
    }
    let occur = if all { Occur::Must } else { Occur::Should };
    Box::new(BooleanQuery::new(words.iter().map(|w| (occur, word_query(fields, w, &term))).collect()))
}

/// Documents in the index, deleted ones included (what term statistics count).
pub(crate) fn max_doc(searcher: &Searcher) -> u64 {
    searcher.segment_readers().iter().map(|s| u64::from(s.max_doc())).sum()
}

/// Filters: they narrow the result and add nothing to the score.
#[derive(Default)]
pub(crate) struct Filters {
    clauses: Vec<(Occur, Box<dyn Query>)>,
    /// The terms of the clauses that require one term (all of them when it has every clause).
    required_terms: Vec<Term>,
}

impl Filters {
    fn push(&mut self, occur: Occur, q: Box<dyn Query>) {
        self.clauses.push((occur, Box::new(ConstScoreQuery::new(q, 0.0))));
    }

    fn require_term(&mut self, t: Term) {
        self.required_terms.push(t.clone());
        self.push(Occur::Must, Box::new(TermQuery::new(t, IndexRecordOption::Basic)));
    }

    /// Whether the filters narrow nothing: each requires a term that every document of the
    /// index has (deleted ones included) — the station's, on a site with one station. Walking
    /// such a filter beside the words means reading a posting list of every document.
    pub fn narrow_nothing(&self, searcher: &Searcher) -> tantivy::Result<bool> {
        if self.required_terms.len() != self.clauses.len() {
            return Ok(false);
        }
        let docs = max_doc(searcher);
        for t in &self.required_terms {
            if searcher.doc_freq(t)? != docs {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// About how many documents the filters keep, from term statistics alone: every
    /// document times each required term's share of them, as if the terms were independent
    /// (a range or any-of filter counts as keeping everything). Only a hint for choosing a
    /// pass; no result depends on it.
    pub fn expected(&self, searcher: &Searcher) -> tantivy::Result<f64> {
        let docs = max_doc(searcher).max(1) as f64;
        self.required_terms.iter().try_fold(docs, |n, t| Ok(n * searcher.doc_freq(t)? as f64 / docs))
    }

    /// How many conditions there are (the station's is one).
    pub fn len(&self) -> usize {
        self.clauses.len()
    }

    /// Any other condition the result must meet.
    pub fn must(&mut self, q: Box<dyn Query>) {
        self.push(Occur::Must, q);
    }

    /// A condition no result may meet.
    pub fn must_not(&mut self, q: Box<dyn Query>) {
        self.push(Occur::MustNot, q);
    }

    pub fn i64_eq(&mut self, field: Field, v: i64) {
        self.require_term(Term::from_field_i64(field, v));
    }

    pub fn not_u64(&mut self, field: Field, v: u64) {
        self.push(Occur::MustNot, Box::new(TermQuery::new(Term::from_field_u64(field, v), IndexRecordOption::Basic)));
    }

    pub fn str_eq(&mut self, field: Field, v: &str) {
        self.require_term(Term::from_field_text(field, v));
    }

    /// Any of the values (none: no constraint).
    pub fn str_any(&mut self, field: Field, values: &[String]) {
        match values {
            [] => return,
            [one] => return self.str_eq(field, one),
            _ => {}
        }
        let any = values
            .iter()
            .map(|v| {
                let q: Box<dyn Query> =
                    Box::new(TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic));
                (Occur::Should, q)
            })
            .collect();
        self.push(Occur::Must, Box::new(BooleanQuery::new(any)));
    }

    pub fn i64_at_least(&mut self, field: Field, v: i64) {
        self.push(
            Occur::Must,
            Box::new(RangeQuery::new(Bound::Included(Term::from_field_i64(field, v)), Bound::Unbounded)),
        );
    }

    pub fn f64_between(&mut self, field: Field, lo: f64, hi: f64) {
        self.push(
            Occur::Must,
            Box::new(RangeQuery::new(
                Bound::Included(Term::from_field_f64(field, lo)),
                Bound::Included(Term::from_field_f64(field, hi)),
            )),
        );
    }

    /// The final query: the text (if any) plus every filter.
    pub fn with(self, text: Option<Box<dyn Query>>) -> Box<dyn Query> {
        let mut clauses = self.clauses;
        if let Some(t) = text {
            clauses.push((Occur::Must, t));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}
