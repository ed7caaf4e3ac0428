//! The light posts index: published 速聘 quick-hire posts and 一句话求职 one-line posts, for the
//! `/quick` and `/wanted` lists and their keyword search. It holds what those lists show to
//! anyone (title, text, district, category, pay) and never the phone behind a post.

use tantivy::TantivyDocument;
use tantivy::schema::{FAST, Field, INDEXED, STRING, Schema};

use crate::SearchError;
use crate::collect::{self, Rank, Spec};
use crate::highlight::Highlighter;
use crate::index::{self, LATIN, Store, ZH, ZH_CHARS, text_options};
use crate::query::{Filters, TextFields, Weighted};
use crate::text::{pinyin_words, query_words};

/// Bumped whenever the schema or the way documents are built changes.
pub const SCHEMA_VERSION: u32 = 1;

/// Deepest result a light list serves.
pub const MAX_DEPTH: usize = 1_000;

/// A published light post as the index holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct LightDoc {
    pub id: i64,
    pub public_id: String,
    pub station_id: i64,
    /// `quick` or `wanted`.
    pub kind: String,
    pub title: String,
    pub body: String,
    pub district: String,
    pub category: String,
    /// Unix seconds: when it was posted (the list's order) and when it stops showing.
    pub posted_at: i64,
    pub expires_at: Option<i64>,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    station: Field,
    kind: Field,
    title: Field,
    title_chars: Field,
    title_py: Field,
    body: Field,
    district: Field,
    category: Field,
    refreshed: Field,
    refreshed_hour: Field,
    expires: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    index::ids(&mut b);
    let f = Fields {
        station: b.add_i64_field("station", INDEXED),
        kind: b.add_text_field("kind", STRING),
        title: b.add_text_field("title", text_options(ZH, true)),
        title_chars: b.add_text_field("title_chars", text_options(ZH_CHARS, false)),
        title_py: b.add_text_field("title_py", text_options(LATIN, false)),
        body: b.add_text_field("body", text_options(ZH, false)),
        district: b.add_text_field("district", STRING | FAST),
        category: b.add_text_field("category", STRING | FAST),
        // Named as the jobs' freshness field: relevance reads it to favour newer posts.
        refreshed: b.add_i64_field("refreshed", INDEXED | FAST),
        refreshed_hour: b.add_i64_field(collect::hour_field("refreshed").as_str(), INDEXED),
        expires: b.add_i64_field("expires", INDEXED),
    };
    (b.build(), f)
}

/// A search of one kind of light post. Codes are taxonomy codes the caller has checked.
#[derive(Debug, Clone, Default)]
pub struct LightSearch {
    pub station_id: i64,
    pub kind: String,
    pub text: Option<String>,
    pub district: Option<String>,
    /// Any of these categories (a parent's children are listed by the caller).
    pub categories: Vec<String>,
    pub offset: usize,
    pub limit: usize,
    /// Unix seconds: posts expired by then are left out, and freshness is measured from it.
    pub now: i64,
}

pub struct LightResults {
    pub total: u64,
    /// `total` stopped at [`COUNT_CAP`](crate::COUNT_CAP); more match.
    pub capped: bool,
    /// Database ids, best first.
    pub ids: Vec<i64>,
    /// No post had every word; these have some of them.
    pub relaxed: bool,
    pub highlighter: Highlighter,
}

pub struct LightIndex {
    f: Fields,
    store: Store,
}

impl LightIndex {
    fn document(&self, p: &LightDoc) -> TantivyDocument {
        let f = &self.f;
        let mut d = self.store.document(p.id, &p.public_id);
        d.add_i64(f.station, p.station_id);
        d.add_text(f.kind, &p.kind);
        d.add_text(f.title, &p.title);
        d.add_text(f.title_chars, &p.title);
        d.add_text(f.title_py, pinyin_words(&p.title));
        d.add_text(f.body, &p.body);
        d.add_text(f.district, &p.district);
        d.add_text(f.category, &p.category);
        d.add_i64(f.refreshed, p.posted_at);
        d.add_i64(f.refreshed_hour, collect::hour(p.posted_at));
        d.add_i64(f.expires, p.expires_at.unwrap_or(i64::MAX));
        d
    }

    /// Adds or replaces posts (visible after the next [`commit`](Self::commit)).
    pub fn put(&self, posts: &[LightDoc]) -> Result<(), SearchError> {
        self.store.put(posts.iter().map(|x| (x.id, self.document(x))))
    }

    index::replica_methods!();

    fn filters(&self, s: &LightSearch) -> Filters {
        let f = &self.f;
        let mut q = Filters::default();
        q.i64_eq(f.station, s.station_id);
        q.str_eq(f.kind, &s.kind);
        if let Some(d) = &s.district {
            q.str_eq(f.district, d);
        }
        q.str_any(f.category, &s.categories);
        // Expiry runs on a schedule; between two runs an expired post must not show.
        q.i64_at_least(f.expires, s.now.saturating_add(1));
        q
    }

    /// Runs a search: by relevance with words, newest first without.
    pub fn search(&self, s: &LightSearch) -> Result<LightResults, SearchError> {
        let searcher = self.store.searcher();
        let words = s.text.as_deref().map(query_words).unwrap_or_default();
        let rank = if words.is_empty() {
            Rank::Field { field: "refreshed", then: None, top_first: None }
        } else {
            Rank::Relevance { now: s.now }
        };
        let spec = Spec {
            keep: (s.offset + s.limit).min(MAX_DEPTH),
            rank,
            near: None,
            facets: Vec::new(),
            at_least: Vec::new(),
            count_all: false,
            facets_unless_broad: false,
        };
        let fields = TextFields {
            words: vec![Weighted { field: self.f.title, boost: 3.0 }, Weighted { field: self.f.body, boost: 1.0 }],
            chars: Some(Weighted { field: self.f.title_chars, boost: 2.0 }),
            pinyin: Some(Weighted { field: self.f.title_py, boost: 3.0 }),
        };
        let (counted, relaxed) = collect::run(&searcher, || self.filters(s), &fields, &words, &spec)?;
        let ids = counted.top.iter().skip(s.offset).take(s.limit).map(|r| r.id as i64).collect();
        let highlighter = if words.is_empty() { Highlighter::none() } else { Highlighter::for_words(&words, 80) };
        Ok(LightResults { total: counted.total, capped: counted.capped, ids, relaxed, highlighter })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn post(id: i64, kind: &str, title: &str, body: &str, age_hours: i64) -> LightDoc {
        LightDoc {
            id,
            public_id: format!("p{id}"),
            station_id: 1,
            kind: kind.into(),
            title: title.into(),
            body: body.into(),
            district: if id % 2 == 0 { "wuqiao".into() } else { "gaosuntang".into() },
            category: "service".into(),
            posted_at: NOW - age_hours * 3_600,
            expires_at: Some(NOW + 86_400),
        }
    }

    fn search(index: &LightIndex, kind: &str, text: Option<&str>) -> Vec<i64> {
        let s = LightSearch {
            station_id: 1,
            kind: kind.into(),
            text: text.map(str::to_string),
            limit: 20,
            now: NOW,
            ..Default::default()
        };
        index.search(&s).unwrap().ids
    }

    fn filled() -> LightIndex {
        let index = LightIndex::in_ram().unwrap();
        index
            .put(&[
                post(1, "quick", "急招火锅店服务员2名", "包吃住，月休四天，试用期一周。", 5),
                post(2, "quick", "招送货司机", "熟悉城区道路，有C照，送建材。", 1),
                post(3, "wanted", "会开叉车，想找仓库工作", "会开叉车，想在五桥附近找仓库工作", 3),
                post(4, "quick", "仓库理货员", "负责出入库登记，会用电脑。", 2),
            ])
            .unwrap();
        index.commit("{}").unwrap();
        index
    }

    #[test]
    fn a_list_without_words_shows_one_kind_newest_first() {
        let index = filled();
        assert_eq!(search(&index, "quick", None), vec![2, 4, 1]);
        assert_eq!(search(&index, "wanted", None), vec![3]);
    }

    #[test]
    fn words_are_found_by_segment_in_title_and_text_with_the_title_first() {
        let index = filled();
        assert_eq!(search(&index, "quick", Some("仓库")), vec![4]);
        assert_eq!(search(&index, "wanted", Some("仓库")), vec![3]);
        assert_eq!(search(&index, "quick", Some("司机")), vec![2]);
        // "包吃住" appears only in a text, "服务员" in a title.
        assert_eq!(search(&index, "quick", Some("包吃住")), vec![1]);
        assert_eq!(search(&index, "quick", Some("火锅 服务员")), vec![1]);
        assert_eq!(search(&index, "quick", Some("fuwuyuan")), vec![1]);
        assert!(search(&index, "quick", Some("会计")).is_empty());
    }

    #[test]
    fn expired_removed_and_other_station_posts_are_not_listed() {
        let index = filled();
        let mut expired = post(5, "quick", "招仓库搬运工", "日结。", 0);
        expired.expires_at = Some(NOW);
        let mut elsewhere = post(6, "quick", "招仓库搬运工", "日结。", 0);
        elsewhere.station_id = 2;
        index.put(&[expired, elsewhere]).unwrap();
        index.remove(&["p4".to_string()]);
        index.commit("{}").unwrap();
        assert_eq!(search(&index, "quick", Some("仓库")), Vec::<i64>::new());
        assert_eq!(search(&index, "quick", None), vec![2, 1]);
    }

    #[test]
    fn district_and_category_narrow_the_list() {
        let index = filled();
        let s = LightSearch {
            station_id: 1,
            kind: "quick".into(),
            district: Some("wuqiao".into()),
            categories: vec!["service".into(), "logistics".into()],
            limit: 20,
            now: NOW,
            ..Default::default()
        };
        let r = index.search(&s).unwrap();
        assert_eq!((r.total, r.ids), (2, vec![2, 4]));
        let none = LightSearch { categories: vec!["logistics".into()], ..s };
        assert_eq!(index.search(&none).unwrap().total, 0);
    }
}
