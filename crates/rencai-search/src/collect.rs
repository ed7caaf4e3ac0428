//! One pass over the matching documents: the distance filter, the total, the facet counts and
//! the top of the ranking, all read from fast fields (no stored document is opened).

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::geo::{Point, distance_m};

/// How documents are ordered; every order ends with the id (newest first) so pages are stable.
#[derive(Debug, Clone)]
pub(crate) enum Rank {
    /// Text relevance, nudged by freshness, verification and paid placement.
    Relevance { now: i64 },
    /// An i64 field, highest first; with `top_first`, documents placed on top (until a time
    /// after `now`) come before all others.
    Field { field: &'static str, then: Option<&'static str>, top_first: Option<i64> },
    /// Nearest first (requires `near`).
    Distance,
}

/// A radius around a point, over the `lat` and `lng` fast fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NearSpec {
    pub point: Point,
    pub radius_m: f64,
}

/// Counts of documents whose i64 field is at least each threshold.
#[derive(Debug, Clone)]
pub(crate) struct AtLeast {
    pub field: &'static str,
    pub thresholds: Vec<i64>,
}

#[derive(Debug, Clone)]
pub(crate) struct Spec {
    /// Documents to keep: offset + page size.
    pub keep: usize,
    pub rank: Rank,
    pub near: Option<NearSpec>,
    /// String fast fields to count values of (empty: no facets).
    pub facets: Vec<&'static str>,
    pub at_least: Vec<AtLeast>,
}

/// A kept document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked {
    pub key: f64,
    pub tie: i64,
    pub id: u64,
    pub distance_m: Option<f64>,
    /// Where the document is, to read its stored fields.
    pub addr: DocAddress,
}

impl Ranked {
    fn cmp_rank(&self, other: &Self) -> Ordering {
        self.key.total_cmp(&other.key).then(self.tie.cmp(&other.tie)).then(self.id.cmp(&other.id))
    }
}

/// Min-heap order: the worst kept document on top, to be replaced first.
struct Worst(Ranked);

impl PartialEq for Worst {
    fn eq(&self, other: &Self) -> bool {
        self.0.cmp_rank(&other.0) == Ordering::Equal
    }
}
impl Eq for Worst {}
impl PartialOrd for Worst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Worst {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.cmp_rank(&self.0)
    }
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Counted {
    pub total: u64,
    pub top: Vec<Ranked>,
    pub facets: HashMap<&'static str, HashMap<String, u64>>,
    pub at_least: HashMap<&'static str, Vec<u64>>,
}

pub(crate) struct Collect {
    pub spec: Spec,
}

pub(crate) struct SegCollect {
    spec: Spec,
    segment: SegmentOrdinal,
    id: Column<u64>,
    rank_cols: Vec<Column<i64>>,
    verified: Option<Column<i64>>,
    top_until: Option<Column<i64>>,
    lat: Option<Column<f64>>,
    lng: Option<Column<f64>>,
    facet_cols: Vec<(&'static str, StrColumn, Vec<u64>)>,
    at_least_cols: Vec<(Column<i64>, Vec<u64>)>,
    total: u64,
    heap: BinaryHeap<Worst>,
}

impl Collector for Collect {
    type Fruit = Counted;
    type Child = SegCollect;

    fn for_segment(&self, segment: SegmentOrdinal, seg: &SegmentReader) -> tantivy::Result<SegCollect> {
        let ff = seg.fast_fields();
        let (rank_fields, scored): (Vec<&str>, bool) = match &self.spec.rank {
            Rank::Relevance { .. } => (vec!["refreshed"], true),
            Rank::Field { field, then, .. } => (std::iter::once(*field).chain(*then).collect(), false),
            Rank::Distance => (vec!["refreshed"], false),
        };
        let rank_cols = rank_fields.iter().map(|f| ff.i64(f)).collect::<tantivy::Result<Vec<_>>>()?;
        let needs_top = matches!(self.spec.rank, Rank::Relevance { .. } | Rank::Field { top_first: Some(_), .. });
        let (lat, lng) =
            if self.spec.near.is_some() { (Some(ff.f64("lat")?), Some(ff.f64("lng")?)) } else { (None, None) };
        let mut facet_cols = Vec::new();
        for name in &self.spec.facets {
            if let Some(col) = ff.str(name)? {
                let n = col.num_terms();
                facet_cols.push((*name, col, vec![0; n]));
            }
        }
        let at_least_cols = self
            .spec
            .at_least
            .iter()
            .map(|a| Ok((ff.i64(a.field)?, vec![0; a.thresholds.len()])))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let _ = scored;
        Ok(SegCollect {
            spec: self.spec.clone(),
            segment,
            id: ff.u64("id")?,
            rank_cols,
            // Indexes without badges or paid placement (resumes) simply lack these fields.
            verified: if needs_top { ff.i64("verified").ok() } else { None },
            top_until: if needs_top { ff.i64("top_until").ok() } else { None },
            lat,
            lng,
            facet_cols,
            at_least_cols,
            total: 0,
            heap: BinaryHeap::with_capacity(self.spec.keep + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        matches!(self.spec.rank, Rank::Relevance { .. })
    }

    fn merge_fruits(&self, fruits: Vec<Counted>) -> tantivy::Result<Counted> {
        let mut out = Counted::default();
        let mut top = Vec::new();
        for f in fruits {
            out.total += f.total;
            top.extend(f.top);
            for (name, counts) in f.facets {
                let into = out.facets.entry(name).or_default();
                for (k, v) in counts {
                    *into.entry(k).or_default() += v;
                }
            }
            for (name, counts) in f.at_least {
                let into = out.at_least.entry(name).or_insert_with(|| vec![0; counts.len()]);
                into.iter_mut().zip(counts).for_each(|(a, b)| *a += b);
            }
        }
        top.sort_by(|a, b| b.cmp_rank(a));
        top.truncate(self.spec.keep);
        out.top = top;
        Ok(out)
    }
}

/// How much a relevance score is nudged: fresher, verified and top-placed jobs rise.
fn tweak(score: Score, refreshed: i64, verified: bool, top: bool, now: i64) -> f64 {
    let age_days = ((now - refreshed).max(0) as f64) / 86_400.0;
    let freshness = 1.0 / (1.0 + age_days / 30.0).sqrt();
    let mut s = f64::from(score) * (0.6 + 0.4 * freshness);
    if verified {
        s *= 1.15;
    }
    if top {
        s *= 1.3;
    }
    s
}

impl SegmentCollector for SegCollect {
    type Fruit = Counted;

    fn collect(&mut self, doc: DocId, score: Score) {
        let mut distance = None;
        if let (Some(near), Some(lat), Some(lng)) = (&self.spec.near, &self.lat, &self.lng) {
            let (Some(a), Some(b)) = (lat.first(doc), lng.first(doc)) else { return };
            let d = distance_m(near.point, Point { lat: a, lng: b });
            if d > near.radius_m {
                return;
            }
            distance = Some(d);
        }
        self.total += 1;
        for (_, col, counts) in &mut self.facet_cols {
            for ord in col.term_ords(doc) {
                if let Some(c) = counts.get_mut(ord as usize) {
                    *c += 1;
                }
            }
        }
        for ((col, counts), spec) in self.at_least_cols.iter_mut().zip(&self.spec.at_least) {
            if let Some(v) = col.first(doc) {
                for (c, t) in counts.iter_mut().zip(&spec.thresholds) {
                    if v >= *t {
                        *c += 1;
                    }
                }
            }
        }
        if self.spec.keep == 0 {
            return;
        }
        let first = |c: &Column<i64>| c.first(doc).unwrap_or(0);
        let top_until = self.top_until.as_ref().map(first).unwrap_or(0);
        let (key, tie) = match &self.spec.rank {
            Rank::Relevance { now } => {
                let refreshed = first(&self.rank_cols[0]);
                let verified = self.verified.as_ref().map(first).unwrap_or(0) == 1;
                (tweak(score, refreshed, verified, top_until > *now, *now), refreshed)
            }
            Rank::Field { top_first, then, .. } => {
                let primary = first(&self.rank_cols[0]) as f64;
                let on_top = top_first.is_some_and(|now| top_until > now);
                let key = if on_top { primary + 1e15 } else { primary };
                (key, if then.is_some() { first(&self.rank_cols[1]) } else { 0 })
            }
            Rank::Distance => (-distance.unwrap_or(f64::MAX), first(&self.rank_cols[0])),
        };
        let ranked = Ranked {
            key,
            tie,
            id: self.id.first(doc).unwrap_or(0),
            distance_m: distance,
            addr: DocAddress::new(self.segment, doc),
        };
        if self.heap.len() < self.spec.keep {
            self.heap.push(Worst(ranked));
        } else if let Some(worst) = self.heap.peek()
            && ranked.cmp_rank(&worst.0) == Ordering::Greater
        {
            self.heap.pop();
            self.heap.push(Worst(ranked));
        }
    }

    fn harvest(self) -> Counted {
        let mut facets = HashMap::new();
        for (name, col, counts) in self.facet_cols {
            let mut named = HashMap::new();
            let mut buf = String::new();
            for (ord, n) in counts.into_iter().enumerate() {
                if n > 0 && col.ord_to_str(ord as u64, &mut buf).unwrap_or(false) {
                    named.insert(buf.clone(), n);
                }
            }
            facets.insert(name, named);
        }
        let at_least = self.spec.at_least.iter().zip(self.at_least_cols).map(|(a, (_, c))| (a.field, c)).collect();
        Counted { total: self.total, top: self.heap.into_iter().map(|w| w.0).collect(), facets, at_least }
    }
}
