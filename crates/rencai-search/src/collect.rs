//! Running a search: one pass over the matching documents for the distance filter, the total,
//! the facet counts and the top of the ranking, all read from fast fields (no stored document
//! is opened) — or, for a keyword search that needs no facets, a pruned pass that scores only
//! what can still reach the top and counts only up to [`COUNT_CAP`].

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::ops::Bound;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::AliveBitSet;
use tantivy::query::{BooleanQuery, EnableScoring, InvertedIndexRangeQuery, Occur, Query, Scorer, Weight};
use tantivy::schema::Field;
use tantivy::{DocAddress, DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED, Term};

use crate::geo::{Point, distance_m};
use crate::listed::Listed;
use crate::query::{Filters, TextFields, max_doc, text_query, word_matches_at_least, word_within};
use crate::text::QueryWord;

/// A keyword search without facets counts its matches up to here and then says "at least"
/// (a list shows "1万+"): counting every one of 200,000 matches of a broad word costs more
/// than finding the best twenty of them.
pub const COUNT_CAP: u64 = 10_000;

/// A keyword whose terms are in at most this many documents (summed over the fields searched)
/// is ranked in one full pass: counting first and then pruning costs more than scoring so few.
pub const FULL_PASS_UP_TO: u64 = 1_000;

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
    /// Count every match even when a pruned pass could serve the page.
    pub count_all: bool,
    /// Leave the facets out when a keyword matches more than [`COUNT_CAP`] documents (the
    /// pruned pass then serves the page): counts by value over a broad result cost a full pass
    /// and tell a reader little.
    pub facets_unless_broad: bool,
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
    /// `total` is [`COUNT_CAP`] and there are more.
    pub capped: bool,
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
        let rank_fields: Vec<&str> = match &self.spec.rank {
            Rank::Relevance { .. } | Rank::Distance => vec!["refreshed"],
            Rank::Field { field, then, .. } => std::iter::once(*field).chain(*then).collect(),
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

const VERIFIED_BOOST: f64 = 1.15;
const TOP_BOOST: f64 = 1.3;

/// How much a relevance score is nudged: fresher, verified and top-placed jobs rise.
fn tweak(score: Score, refreshed: i64, verified: bool, top: bool, now: i64) -> f64 {
    let mut s = f64::from(score) * freshness_nudge(refreshed, now);
    if verified {
        s *= VERIFIED_BOOST;
    }
    if top {
        s *= TOP_BOOST;
    }
    s
}

/// The freshness part of [`tweak`]: 1 for a job refreshed now, falling slowly with age (0.88
/// at a month, 0.83 at two); never more for an older job.
fn freshness_nudge(refreshed: i64, now: i64) -> f64 {
    let age_days = ((now - refreshed).max(0) as f64) / 86_400.0;
    0.6 + 0.4 / (1.0 + age_days / 30.0).sqrt()
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
        keep_best(&mut self.heap, self.spec.keep, ranked);
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
        Counted {
            total: self.total,
            capped: false,
            top: self.heap.into_iter().map(|w| w.0).collect(),
            facets,
            at_least,
        }
    }
}

/// Runs a search: every word must match (ranked by relevance) or, without words, the filters
/// alone (in `spec`'s order). When nothing has every word of a multi-word query, documents
/// with any of them are ranked instead (`relaxed`, the second value).
pub(crate) fn run(
    searcher: &Searcher,
    filters: impl Fn() -> Filters,
    fields: &TextFields,
    words: &[QueryWord],
    spec: &Spec,
) -> tantivy::Result<(Counted, bool)> {
    if words.is_empty() {
        return Ok((newest_first(searcher, filters, spec)?, false));
    }
    let without_facets = Spec { facets: Vec::new(), at_least: Vec::new(), ..spec.clone() };
    // Block-max WAND needs one word (a flat union of terms); a narrowing filter walked beside
    // it makes the kept set fill slowly, and the plain pass is faster there.
    let wand_fits = words.len() == 1 && filters().len() <= 1;
    let narrowing = !filters().narrow_nothing(searcher)?;
    let attempt = |all: bool| -> tantivy::Result<Counted> {
        let text = text_query(fields, words, all);
        let everything = if narrowing { filters().with(Some(text.box_clone())) } else { text.box_clone() };
        let may_prune = wand_fits && pruned_applies(spec);
        let may_skip_facets = wand_fits && spec.facets_unless_broad && pruned_applies(&without_facets);
        // Only a search that could take the pruned pass asks how large its result can be.
        let at_most = if may_prune || may_skip_facets { matches_at_most(searcher, text.as_ref())? } else { 0 };
        let prune = may_prune && at_most > FULL_PASS_UP_TO;
        let unless_broad = may_skip_facets && at_most > COUNT_CAP;
        if prune || unless_broad {
            // Counted once: it serves the pruned pass, or tells a page its facets are affordable.
            // Without a narrowing filter, a word one of whose terms alone is in more documents
            // than the cap needs no counting.
            let count = match words {
                [w] if !narrowing && word_matches_at_least(searcher, fields, w)? > COUNT_CAP => (COUNT_CAP, true),
                _ => count_up_to(searcher, everything.as_ref(), COUNT_CAP)?,
            };
            if prune || count.1 {
                let allowed = narrowing.then(|| filters().with(None));
                return pruned(searcher, allowed, (fields, &words[0]), &without_facets, count);
            }
        }
        searcher.search(everything.as_ref(), &Collect { spec: spec.clone() })
    };
    let counted = attempt(true)?;
    if counted.total == 0 && words.len() > 1 {
        return Ok((attempt(false)?, true));
    }
    Ok((counted, false))
}

/// A list without words, in the order of one field (freshest, newest, best paid). Ranking every
/// match to show the first twenty of 100,000 reads three columns of each; instead the top is
/// looked for among the documents whose field lies in a window below its largest value (and
/// those placed on top), sized to hold a few pages if values are spread evenly, widened until
/// it holds a page. Documents outside the window rank below every one inside, so the page is
/// the full ranking's. The total is counted without ranking. A small result, facets or a
/// radius take the plain pass over every match.
fn newest_first(searcher: &Searcher, filters: impl Fn() -> Filters, spec: &Spec) -> tantivy::Result<Counted> {
    let everything = || Collect { spec: spec.clone() };
    let plain = || searcher.search(filters().with(None).as_ref(), &everything());
    let Some(window) = Window::for_spec(searcher, spec) else { return plain() };
    let keep = spec.keep as u64;
    let max_doc = max_doc(searcher);
    // A window of `share` of the field's range holds about max_doc × share documents of every
    // kind, each read from a posting list: worth it while that is well below the `total`
    // matches the plain pass would rank. Checked first on an estimate from term statistics,
    // so a narrow list is not counted before its plain pass counts it again.
    let share = |total: u64| (WINDOW_PAGES * keep) as f64 / total.max(1) as f64;
    let worth_it = |total: u64| keep > 0 && max_doc as f64 * share(total) <= total as f64 / 4.0;
    if !worth_it(filters().expected(searcher)?.ceil() as u64) {
        return plain();
    }
    let total = if filters().narrow_nothing(searcher)? {
        searcher.num_docs()
    } else {
        count_up_to(searcher, filters().with(None).as_ref(), u64::MAX)?.0
    };
    if !worth_it(total) {
        return plain();
    }
    let mut span = ((window.hi - window.lo) as f64 * share(total)).ceil().max(1.0) as i64;
    loop {
        let from = window.hi.saturating_sub(span);
        if from <= window.lo {
            return plain();
        }
        let mut f = filters();
        f.must(window.query(from));
        let counted = searcher.search(f.with(None).as_ref(), &everything())?;
        if counted.total >= keep {
            return Ok(Counted { total, ..counted });
        }
        span = span.saturating_mul(8);
    }
}

/// A field of the index's schema that is indexed (a range can be read from its terms).
fn indexed_field(searcher: &Searcher, name: &str) -> Option<Field> {
    let schema = searcher.schema();
    schema.get_field(name).ok().filter(|f| schema.get_field_entry(*f).is_indexed())
}

/// Documents whose indexed i64 field `f` is at least `v`.
fn at_least(f: Field, v: i64) -> InvertedIndexRangeQuery {
    InvertedIndexRangeQuery::new(Bound::Included(Term::from_field_i64(f, v)), Bound::Unbounded)
}

/// Pages of results a first window is sized for.
const WINDOW_PAGES: u64 = 4;

/// The companion of a time field that holds its hour (see [`hour`]): a window over a time
/// field reads one posting list per hour rather than one per distinct second.
pub(crate) fn hour_field(time_field: &str) -> String {
    format!("{time_field}_hour")
}

/// Unix seconds to whole hours (rounded down), the value of a [`hour_field`].
pub(crate) fn hour(secs: i64) -> i64 {
    secs.div_euclid(3_600)
}

/// The ordering field's range over the index, and the indexed field a window is cut from.
struct Window {
    lo: i64,
    hi: i64,
    /// The ordering field's hour companion (`unit` 3,600 s), or the field itself (`unit` 1).
    cut: Field,
    unit: i64,
    /// `top_until` and the time it must be after, when on-top documents come first.
    top: Option<(Field, i64)>,
}

impl Window {
    /// For a plain ordering by one indexed i64 field; None for relevance, distance, facets,
    /// a radius or an exact count of everything (those visit every match anyway).
    fn for_spec(searcher: &Searcher, spec: &Spec) -> Option<Window> {
        let Rank::Field { field: name, top_first, .. } = spec.rank else { return None };
        if spec.near.is_some() || !spec.facets.is_empty() || !spec.at_least.is_empty() || spec.count_all {
            return None;
        }
        let indexed = |name: &str| indexed_field(searcher, name);
        let (cut, unit) = match indexed(&hour_field(name)) {
            Some(hours) => (hours, 3_600),
            None => (indexed(name)?, 1),
        };
        let top = match top_first {
            Some(now) => Some((indexed("top_until")?, now)),
            None => None,
        };
        let (lo, hi) = range(searcher, name)?;
        (lo < hi).then_some(Window { lo, hi, cut, unit, top })
    }

    /// Documents whose field is at least `from` rounded down to the window's unit, or placed
    /// on top.
    fn query(&self, from: i64) -> Box<dyn Query> {
        let recent: Box<dyn Query> = Box::new(at_least(self.cut, from.div_euclid(self.unit)));
        match self.top {
            None => recent,
            Some((top_until, now)) => Box::new(BooleanQuery::new(vec![
                (Occur::Should, recent),
                (Occur::Should, Box::new(at_least(top_until, now.saturating_add(1)))),
            ])),
        }
    }
}

/// The pruned pass serves a relevance ranking without facets or a radius (those need every
/// match visited) unless every match must be counted.
fn pruned_applies(spec: &Spec) -> bool {
    matches!(spec.rank, Rank::Relevance { .. })
        && !spec.count_all
        && spec.near.is_none()
        && spec.facets.is_empty()
        && spec.at_least.is_empty()
}

/// Relevance top-k with tantivy's block-max WAND: documents are offered in id order only when
/// their text score exceeds a threshold that rises as the kept set improves, so whole blocks of
/// weak matches (a broad word deep in descriptions) are skipped. The filters are walked beside
/// them unless they narrow nothing (`None`); the count (up to [`COUNT_CAP`]) comes from the
/// caller. Same top as the full pass: the threshold is the worst kept key divided by the
/// largest nudge a document still to come can get, a little lower for rounding.
///
/// That nudge decides how much is skipped. The text scores of a common word differ little (it
/// is in thousands of short titles), so a bound of every boost at once lets nearly every title
/// match through. So the jobs placed on top, while there are few, are ranked first on their
/// own ([`First`]); the walk over the rest then leaves placement out of its bound, bounds each
/// segment by its freshest job and by whether it holds any verified one, and takes the
/// freshest segments first. (Ranking the last hours' jobs first as well, to bound the rest by
/// an older time, was tried: at a million jobs finding them through each term cost more than
/// it saved.)
fn pruned(
    searcher: &Searcher,
    filters: Option<Box<dyn Query>>,
    (fields, word): (&TextFields, &QueryWord),
    spec: &Spec,
    (total, capped): (u64, bool),
) -> tantivy::Result<Counted> {
    let Rank::Relevance { now } = spec.rank else { unreachable!("pruned_applies checked the rank") };
    if total == 0 || spec.keep == 0 {
        return Ok(Counted { total, capped, ..Counted::default() });
    }
    let scored = EnableScoring::enabled_from_searcher(searcher);
    let text = text_query(fields, std::slice::from_ref(word), true);
    let first = First::choose(searcher, now)?;
    let text = text.weight(scored)?;
    let filters = filters.map(|f| f.weight(EnableScoring::disabled_from_searcher(searcher))).transpose()?;
    let mut segments = searcher
        .segment_readers()
        .iter()
        .enumerate()
        .map(|(ord, seg)| Candidates::open(ord, seg, now))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let mut heap: BinaryHeap<Worst> = BinaryHeap::with_capacity(spec.keep + 1);
    if let Some(listed) = &first.listed {
        let listed_text = word_within(fields, word, listed).weight(scored)?;
        for c in &segments {
            let mut allowed = c.allowed(filters.as_deref())?;
            listed_text.for_each(c.seg, &mut |doc, score| c.offer(&mut heap, spec.keep, &mut allowed, doc, score))?;
        }
    }
    // The freshest segments first: the kept set fills with strong keys early, and the older
    // segments are walked against a higher threshold.
    let bound = |c: &Candidates| c.largest_nudge(&first);
    segments.sort_by(|a, b| bound(b).total_cmp(&bound(a)));
    for c in &segments {
        let (mut allowed, bound) = (c.allowed(filters.as_deref())?, bound(c));
        text.for_each_pruning(threshold(&heap, spec.keep, bound), c.seg, &mut |doc, score| {
            if !first.offered(c, doc) {
                c.offer(&mut heap, spec.keep, &mut allowed, doc, score);
            }
            threshold(&heap, spec.keep, bound)
        })?;
    }
    let mut top: Vec<Ranked> = heap.into_iter().map(|w| w.0).collect();
    top.sort_by(|a, b| b.cmp_rank(a));
    Ok(Counted { total, capped, top, ..Counted::default() })
}

/// What a pruned pass ranks first, before walking the rest: the jobs placed on top, while
/// there are few.
struct First {
    /// The jobs placed on top (None: none, or too many to rank apart).
    listed: Option<Listed>,
    /// Jobs placed on top are ranked apart (there are at most [`PLACED_APART_UP_TO`]).
    placed: bool,
}

/// Jobs placed on top are ranked first while there are at most this many: each is found
/// through the word's terms, which costs more than the looser bound once placement is common.
const PLACED_APART_UP_TO: usize = 2_000;

impl First {
    fn choose(searcher: &Searcher, now: i64) -> tantivy::Result<First> {
        let Some(f) = indexed_field(searcher, "top_until") else { return Ok(First { listed: None, placed: false }) };
        let placed = Listed::of(searcher, &at_least(f, now.saturating_add(1)), PLACED_APART_UP_TO)?;
        // None placed: nothing to rank first, and none to leave out of the bound.
        Ok(First { placed: placed.is_some(), listed: placed.filter(|l| !l.is_empty()) })
    }

    /// Whether `doc` was among the documents ranked first.
    fn offered(&self, c: &Candidates, doc: DocId) -> bool {
        self.placed && c.on_top(doc)
    }
}

/// The smallest and largest value of an i64 fast field over the segments that hold documents.
fn range(searcher: &Searcher, field: &str) -> Option<(i64, i64)> {
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for seg in searcher.segment_readers() {
        let col = seg.fast_fields().i64(field).ok()?;
        if seg.num_docs() > 0 {
            lo = lo.min(col.min_value());
            hi = hi.max(col.max_value());
        }
    }
    (lo <= hi).then_some((lo, hi))
}

/// The text score a document must beat to enter the kept set, when at most `bound` can
/// multiply it: below the worst kept key over `bound`, with a margin for rounding.
fn threshold(heap: &BinaryHeap<Worst>, keep: usize, bound: f64) -> Score {
    match heap.peek() {
        Some(worst) if heap.len() >= keep => (worst.0.key / bound * (1.0 - 1e-4)) as Score,
        _ => Score::MIN,
    }
}

/// One segment's documents as the pruned pass ranks them: the columns a key is made of.
struct Candidates<'a> {
    seg: &'a SegmentReader,
    ord: SegmentOrdinal,
    now: i64,
    id: Column<u64>,
    refreshed: Column<i64>,
    verified: Option<Column<i64>>,
    top_until: Option<Column<i64>>,
    alive: Option<&'a AliveBitSet>,
}

impl<'a> Candidates<'a> {
    fn open(ord: usize, seg: &'a SegmentReader, now: i64) -> tantivy::Result<Self> {
        let ff = seg.fast_fields();
        Ok(Candidates {
            seg,
            ord: ord as SegmentOrdinal,
            now,
            id: ff.u64("id")?,
            refreshed: ff.i64("refreshed")?,
            verified: ff.i64("verified").ok(),
            top_until: ff.i64("top_until").ok(),
            alive: seg.alive_bitset(),
        })
    }

    /// The filters' documents of this segment, walked beside the words (None: no filter).
    fn allowed(&self, filters: Option<&dyn Weight>) -> tantivy::Result<Option<Box<dyn Scorer>>> {
        filters.map(|f| f.scorer(self.seg, 1.0)).transpose()
    }

    fn on_top(&self, doc: DocId) -> bool {
        self.top_until.as_ref().and_then(|c| c.first(doc)).unwrap_or(0) > self.now
    }

    fn refreshed(&self, doc: DocId) -> i64 {
        self.refreshed.first(doc).unwrap_or(0)
    }

    /// The most [`tweak`] can give a document of this segment not ranked `first`, from the
    /// columns' largest values (the freshest job, any verified or placed one; deleted ones
    /// included).
    fn largest_nudge(&self, first: &First) -> f64 {
        let most = |c: &Option<Column<i64>>| c.as_ref().map_or(0, |c| c.max_value());
        let mut nudge = freshness_nudge(self.refreshed.max_value(), self.now);
        if most(&self.verified) >= 1 {
            nudge *= VERIFIED_BOOST;
        }
        if !first.placed && most(&self.top_until) > self.now {
            nudge *= TOP_BOOST;
        }
        nudge
    }

    /// Ranks `doc` and keeps it if it is alive, `allowed` by the filters and good enough.
    fn offer(
        &self,
        heap: &mut BinaryHeap<Worst>,
        keep: usize,
        allowed: &mut Option<Box<dyn Scorer>>,
        doc: DocId,
        score: Score,
    ) {
        if self.alive.is_some_and(|a| a.is_deleted(doc)) {
            return;
        }
        if let Some(allowed) = allowed.as_mut() {
            if allowed.doc() < doc {
                allowed.seek(doc);
            }
            if allowed.doc() != doc {
                return;
            }
        }
        let refreshed = self.refreshed(doc);
        let verified = self.verified.as_ref().and_then(|c| c.first(doc)).unwrap_or(0) == 1;
        let ranked = Ranked {
            key: tweak(score, refreshed, verified, self.on_top(doc), self.now),
            tie: refreshed,
            id: self.id.first(doc).unwrap_or(0),
            distance_m: None,
            addr: DocAddress::new(self.ord, doc),
        };
        keep_best(heap, keep, ranked);
    }
}

/// At most how many documents `text` can match, from the index's term statistics alone: the
/// sum of its terms' document counts (deleted documents included).
fn matches_at_most(searcher: &Searcher, text: &dyn Query) -> tantivy::Result<u64> {
    let mut terms = Vec::new();
    text.query_terms(&mut |t, _| terms.push(t.clone()));
    terms.iter().try_fold(0, |n, t| Ok(n + searcher.doc_freq(t)?))
}

/// Matches of `query` up to `cap`, without scoring: (count, whether there are more).
fn count_up_to(searcher: &Searcher, query: &dyn Query, cap: u64) -> tantivy::Result<(u64, bool)> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut n = 0;
    for seg in searcher.segment_readers() {
        let alive = seg.alive_bitset();
        let mut docs = weight.scorer(seg, 1.0)?;
        let mut doc = docs.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                if n == cap {
                    return Ok((cap, true));
                }
                n += 1;
            }
            doc = docs.advance();
        }
    }
    Ok((n, false))
}

/// Keeps `ranked` if fewer than `keep` are kept or it beats the worst kept one.
fn keep_best(heap: &mut BinaryHeap<Worst>, keep: usize, ranked: Ranked) {
    if heap.len() < keep {
        heap.push(Worst(ranked));
    } else if let Some(mut worst) = heap.peek_mut()
        && ranked.cmp_rank(&worst.0) == Ordering::Greater
    {
        // Replaced in place: one sift down instead of a pop and a push.
        *worst = Worst(ranked);
    }
}
