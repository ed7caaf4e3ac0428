//! A small set of documents listed once per segment (the jobs placed on top), as a query that can sit beside every term of a word. A range query read
//! again beside each term would mark a bitset as large as the segment each time.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED};

#[derive(Clone, Debug)]
pub(crate) struct Listed {
    docs: Arc<HashMap<SegmentId, Arc<[DocId]>>>,
    /// Documents listed, over every segment.
    len: usize,
}

impl Listed {
    /// The live documents `query` matches, in each segment of `searcher`; None if there are
    /// more than `at_most`.
    pub fn of(searcher: &Searcher, query: &dyn Query, at_most: usize) -> tantivy::Result<Option<Listed>> {
        let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
        let (mut docs, mut n) = (HashMap::new(), 0);
        for seg in searcher.segment_readers() {
            let (mut found, mut listed) = (weight.scorer(seg, 1.0)?, Vec::new());
            let alive = seg.alive_bitset();
            let mut doc = found.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    if n == at_most {
                        return Ok(None);
                    }
                    listed.push(doc);
                    n += 1;
                }
                doc = found.advance();
            }
            docs.insert(seg.segment_id(), listed.into());
        }
        Ok(Some(Listed { docs: Arc::new(docs), len: n }))
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Query for Listed {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for Listed {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = self.docs.get(&reader.segment_id()).cloned().unwrap_or_else(|| Arc::from([]));
        Ok(Box::new(ConstScorer::new(ListedDocs { docs, at: 0 }, boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let listed = self.docs.get(&reader.segment_id()).is_some_and(|d| d.binary_search(&doc).is_ok());
        if !listed {
            return Err(tantivy::TantivyError::InvalidArgument(format!("document {doc} is not listed")));
        }
        Ok(Explanation::new("listed", 1.0))
    }
}

struct ListedDocs {
    docs: Arc<[DocId]>,
    at: usize,
}

impl DocSet for ListedDocs {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.docs.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.at += self.docs[self.at..].partition_point(|d| *d < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        (self.docs.len() - self.at) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_docs_advance_and_seek_in_order_then_terminate() {
        let mut d = ListedDocs { docs: Arc::from([2, 5, 9, 40]), at: 0 };
        assert_eq!(d.doc(), 2);
        assert_eq!(d.seek(5), 5);
        assert_eq!(d.seek(6), 9);
        assert_eq!(d.advance(), 40);
        assert_eq!(d.seek(41), TERMINATED);
        assert_eq!(d.advance(), TERMINATED);
        assert_eq!(d.size_hint(), 0);
        let mut empty = ListedDocs { docs: Arc::from([]), at: 0 };
        assert_eq!((empty.doc(), empty.advance(), empty.seek(3)), (TERMINATED, TERMINATED, TERMINATED));
    }
}
