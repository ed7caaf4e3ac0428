//! The jobs index: published jobs only, one document per job, everything a list filters,
//! counts or sorts by in fast fields. Contact details are never indexed.

use tantivy::TantivyDocument;
use tantivy::schema::Value;
use tantivy::schema::{FAST, Field, INDEXED, STORED, STRING, Schema};

use crate::collect::{self, AtLeast, NearSpec, Rank, Spec};
use crate::geo::{Point, bounding_box};
use crate::highlight::Highlighter;
use crate::index::{self, LATIN, Store, ZH, ZH_CHARS, text_options};
use crate::query::{Filters, TextFields, Weighted};
use crate::text::{pinyin_words, query_words};
use crate::{Facet, SearchError};

/// Bumped whenever the schema or the way documents are built changes: an index of another
/// version is rebuilt on start.
pub const SCHEMA_VERSION: u32 = 5;

/// "Pay at least" choices (yuan per month, met by the top of a job's range, as the filter).
pub const SALARY_AT_LEAST: [u32; 5] = [3_000, 5_000, 8_000, 12_000, 20_000];
/// "Posted within" choices, in days.
pub const POSTED_WITHIN_DAYS: [u32; 4] = [1, 3, 7, 30];
/// Deepest result a list serves (pages beyond are refused by the caller).
pub const MAX_DEPTH: usize = 2_000;

/// A published job as the index holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobDoc {
    pub id: i64,
    pub public_id: String,
    pub station_id: i64,
    pub employer_id: i64,
    pub title: String,
    /// Employer name, and the agency's when an agency posts it.
    pub company: String,
    pub description: String,
    pub category: String,
    pub industry: String,
    pub district: String,
    pub experience: String,
    pub education: String,
    pub job_type: String,
    /// Yuan per month; None: 面议.
    pub salary: Option<(u32, u32)>,
    pub campus: bool,
    pub urgent: bool,
    pub verified: bool,
    /// Unix seconds.
    pub top_until: Option<i64>,
    pub refreshed_at: i64,
    pub published_at: i64,
    pub point: Option<Point>,
    /// What a list shows of the job, opaque to the index (the caller's encoding), stored so a
    /// list page needs no database read. Never contact details.
    pub card: Vec<u8>,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    station: Field,
    employer: Field,
    title: Field,
    title_chars: Field,
    title_py: Field,
    company: Field,
    body: Field,
    category: Field,
    industry: Field,
    district: Field,
    experience: Field,
    education: Field,
    job_type: Field,
    salary_min: Field,
    salary_max: Field,
    campus: Field,
    urgent: Field,
    verified: Field,
    top_until: Field,
    refreshed: Field,
    refreshed_hour: Field,
    published: Field,
    published_hour: Field,
    lat: Field,
    lng: Field,
    card: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let num = INDEXED | FAST;
    let id = index::ids(&mut b);
    let f = Fields {
        id,
        station: b.add_i64_field("station", INDEXED),
        employer: b.add_i64_field("employer", INDEXED),
        title: b.add_text_field("title", text_options(ZH, true)),
        title_chars: b.add_text_field("title_chars", text_options(ZH_CHARS, false)),
        title_py: b.add_text_field("title_py", text_options(LATIN, false)),
        company: b.add_text_field("company", text_options(ZH, false)),
        body: b.add_text_field("body", text_options(ZH, false)),
        category: b.add_text_field("category", STRING | FAST),
        industry: b.add_text_field("industry", STRING | FAST),
        district: b.add_text_field("district", STRING | FAST),
        experience: b.add_text_field("experience", STRING | FAST),
        education: b.add_text_field("education", STRING | FAST),
        job_type: b.add_text_field("job_type", STRING | FAST),
        salary_min: b.add_i64_field("salary_min", num.clone()),
        salary_max: b.add_i64_field("salary_max", num.clone()),
        campus: b.add_i64_field("campus", INDEXED),
        urgent: b.add_i64_field("urgent", INDEXED),
        verified: b.add_i64_field("verified", FAST),
        top_until: b.add_i64_field("top_until", INDEXED | FAST),
        refreshed: b.add_i64_field("refreshed", num.clone()),
        refreshed_hour: b.add_i64_field(collect::hour_field("refreshed").as_str(), INDEXED),
        published: b.add_i64_field("published", num),
        published_hour: b.add_i64_field(collect::hour_field("published").as_str(), INDEXED),
        lat: b.add_f64_field("lat", INDEXED | FAST),
        lng: b.add_f64_field("lng", INDEXED | FAST),
        card: b.add_bytes_field("card", STORED),
    };
    (b.build(), f)
}

/// How a job list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JobSort {
    /// Best match first (without words: as `Fresh`).
    #[default]
    Relevance,
    /// Placed on top first, then most recently refreshed.
    Fresh,
    /// Most recently published.
    Newest,
    /// Highest pay first.
    Salary,
    /// Nearest first (needs a point; without one: as `Fresh`).
    Distance,
}

/// A search of the jobs index. Codes are the taxonomy codes; the caller has checked them.
#[derive(Debug, Clone, Default)]
pub struct JobSearch {
    pub station_id: i64,
    pub text: Option<String>,
    pub district: Option<String>,
    pub industry: Option<String>,
    /// Any of these categories (a parent's children are listed by the caller).
    pub categories: Vec<String>,
    pub experience: Option<String>,
    pub education: Option<String>,
    pub job_type: Option<String>,
    /// At least this much at the top of the range (excludes 面议).
    pub salary_min: Option<u32>,
    pub campus: Option<bool>,
    pub urgent: Option<bool>,
    /// Refreshed at or after (unix seconds).
    pub since: Option<i64>,
    pub employer_id: Option<i64>,
    /// Leave out this job (similar jobs).
    pub except: Option<i64>,
    /// Within `radius_m` of a point.
    pub near: Option<(Point, f64)>,
    pub sort: JobSort,
    pub offset: usize,
    pub limit: usize,
    pub facets: bool,
    /// Count every match exactly, even where the pruned pass would stop at
    /// [`COUNT_CAP`](crate::COUNT_CAP) (the benchmark, to compare with peers that count all).
    pub count_all: bool,
    /// With `facets`: leave them out (None) when a keyword matches more than
    /// [`COUNT_CAP`](crate::COUNT_CAP) jobs.
    pub facets_unless_broad: bool,
    /// Unix seconds: what "on top" and "fresh" are measured against.
    pub now: i64,
}

/// One hit: the job's database id, its stored card and, for a search near a point, its
/// distance.
#[derive(Debug, Clone, PartialEq)]
pub struct JobHit {
    pub id: i64,
    pub distance_m: Option<f64>,
    pub card: Option<Vec<u8>>,
}

/// Counts of the current result by each filter's values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobFacets {
    pub district: Vec<Facet>,
    pub industry: Vec<Facet>,
    pub category: Vec<Facet>,
    pub experience: Vec<Facet>,
    pub education: Vec<Facet>,
    pub job_type: Vec<Facet>,
    /// By [`SALARY_AT_LEAST`]: (yuan, count of jobs the `salary_min` filter would keep).
    pub salary: Vec<(u32, u64)>,
    /// By [`POSTED_WITHIN_DAYS`]: (days, count).
    pub posted_within: Vec<(u32, u64)>,
}

pub struct JobResults {
    pub total: u64,
    /// `total` is [`COUNT_CAP`](crate::COUNT_CAP) and more jobs match (a keyword search without
    /// facets stops counting there).
    pub capped: bool,
    pub hits: Vec<JobHit>,
    pub facets: Option<JobFacets>,
    /// No job had every word; these have some of them.
    pub relaxed: bool,
    pub highlighter: Highlighter,
}

impl std::fmt::Debug for JobResults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobResults")
            .field("total", &self.total)
            .field("capped", &self.capped)
            .field("hits", &self.hits)
            .finish_non_exhaustive()
    }
}

pub struct JobIndex {
    f: Fields,
    store: Store,
}

impl JobIndex {
    fn document(&self, j: &JobDoc) -> TantivyDocument {
        let f = &self.f;
        let mut d = self.store.document(j.id, &j.public_id);
        d.add_i64(f.station, j.station_id);
        d.add_i64(f.employer, j.employer_id);
        d.add_text(f.title, &j.title);
        d.add_text(f.title_chars, &j.title);
        d.add_text(f.title_chars, &j.company);
        d.add_text(f.title_py, pinyin_words(&j.title));
        d.add_text(f.company, &j.company);
        d.add_text(f.body, &j.description);
        for (field, v) in [
            (f.category, &j.category),
            (f.industry, &j.industry),
            (f.district, &j.district),
            (f.experience, &j.experience),
            (f.education, &j.education),
            (f.job_type, &j.job_type),
        ] {
            d.add_text(field, v);
        }
        let (lo, hi) = j.salary.map(|(a, b)| (i64::from(a), i64::from(b))).unwrap_or((-1, -1));
        d.add_i64(f.salary_min, lo);
        d.add_i64(f.salary_max, hi);
        d.add_i64(f.campus, i64::from(j.campus));
        d.add_i64(f.urgent, i64::from(j.urgent));
        d.add_i64(f.verified, i64::from(j.verified));
        d.add_i64(f.top_until, j.top_until.unwrap_or(0));
        d.add_i64(f.refreshed, j.refreshed_at);
        d.add_i64(f.refreshed_hour, collect::hour(j.refreshed_at));
        d.add_i64(f.published, j.published_at);
        d.add_i64(f.published_hour, collect::hour(j.published_at));
        if let Some(p) = j.point {
            d.add_f64(f.lat, p.lat);
            d.add_f64(f.lng, p.lng);
        }
        if !j.card.is_empty() {
            d.add_bytes(f.card, &j.card);
        }
        d
    }

    /// Adds or replaces jobs (visible after the next [`commit`](Self::commit)).
    pub fn put(&self, jobs: &[JobDoc]) -> Result<(), SearchError> {
        self.store.put(jobs.iter().map(|x| (x.id, self.document(x))))
    }

    index::replica_methods!();

    fn text_fields(&self) -> TextFields {
        TextFields {
            words: vec![
                Weighted { field: self.f.title, boost: 4.0 },
                Weighted { field: self.f.company, boost: 2.0 },
                Weighted { field: self.f.body, boost: 1.0 },
            ],
            chars: Some(Weighted { field: self.f.title_chars, boost: 2.0 }),
            pinyin: Some(Weighted { field: self.f.title_py, boost: 3.0 }),
        }
    }

    fn filters(&self, s: &JobSearch) -> Filters {
        let f = &self.f;
        let mut q = Filters::default();
        q.i64_eq(f.station, s.station_id);
        for (field, v) in [
            (f.district, &s.district),
            (f.industry, &s.industry),
            (f.experience, &s.experience),
            (f.education, &s.education),
            (f.job_type, &s.job_type),
        ] {
            if let Some(v) = v {
                q.str_eq(field, v);
            }
        }
        q.str_any(f.category, &s.categories);
        if let Some(min) = s.salary_min {
            q.i64_at_least(f.salary_max, i64::from(min));
        }
        if let Some(c) = s.campus {
            q.i64_eq(f.campus, i64::from(c));
        }
        if let Some(u) = s.urgent {
            q.i64_eq(f.urgent, i64::from(u));
        }
        if let Some(since) = s.since {
            q.i64_at_least(f.refreshed, since);
        }
        if let Some(e) = s.employer_id {
            q.i64_eq(f.employer, e);
        }
        if let Some(id) = s.except {
            q.not_u64(f.id, id as u64);
        }
        if let Some((p, r)) = s.near {
            let (lo, hi) = bounding_box(p, r);
            q.f64_between(f.lat, lo.lat, hi.lat);
            q.f64_between(f.lng, lo.lng, hi.lng);
        }
        q
    }

    /// Runs a search.
    pub fn search(&self, s: &JobSearch) -> Result<JobResults, SearchError> {
        let searcher = self.store.searcher();
        let words = s.text.as_deref().map(query_words).unwrap_or_default();
        let near = s.near.map(|(point, radius_m)| NearSpec { point, radius_m });
        let rank = match (s.sort, words.is_empty(), near.is_some()) {
            (JobSort::Relevance, false, _) => Rank::Relevance { now: s.now },
            (JobSort::Distance, _, true) => Rank::Distance,
            (JobSort::Newest, ..) => Rank::Field { field: "published", then: None, top_first: None },
            (JobSort::Salary, ..) => Rank::Field { field: "salary_max", then: Some("refreshed"), top_first: None },
            _ => Rank::Field { field: "refreshed", then: None, top_first: Some(s.now) },
        };
        let keep = (s.offset + s.limit).min(MAX_DEPTH);
        let spec = Spec {
            keep,
            rank,
            near,
            facets: if s.facets {
                vec!["district", "industry", "category", "experience", "education", "job_type"]
            } else {
                Vec::new()
            },
            at_least: if s.facets {
                vec![
                    AtLeast {
                        field: "salary_max",
                        thresholds: SALARY_AT_LEAST.iter().map(|v| i64::from(*v)).collect(),
                    },
                    AtLeast {
                        field: "refreshed",
                        thresholds: POSTED_WITHIN_DAYS.iter().map(|d| s.now - i64::from(*d) * 86_400).collect(),
                    },
                ]
            } else {
                Vec::new()
            },
            count_all: s.count_all,
            facets_unless_broad: s.facets_unless_broad,
        };
        let (counted, relaxed) = collect::run(&searcher, || self.filters(s), &self.text_fields(), &words, &spec)?;
        let mut hits = Vec::with_capacity(s.limit);
        for r in counted.top.iter().skip(s.offset).take(s.limit) {
            let doc: TantivyDocument = searcher.doc(r.addr)?;
            let card = doc.get_first(self.f.card).and_then(|v| v.as_bytes()).map(<[u8]>::to_vec);
            hits.push(JobHit { id: r.id as i64, distance_m: r.distance_m, card });
        }
        // A capped count means the pruned pass served the page: no facets were counted.
        let facets = (s.facets && !counted.capped).then(|| {
            let named = |name: &str| crate::facets_sorted(counted.facets.get(name));
            JobFacets {
                district: named("district"),
                industry: named("industry"),
                category: named("category"),
                experience: named("experience"),
                education: named("education"),
                job_type: named("job_type"),
                salary: SALARY_AT_LEAST
                    .iter()
                    .copied()
                    .zip(counted.at_least.get("salary_max").cloned().unwrap_or_default())
                    .collect(),
                posted_within: POSTED_WITHIN_DAYS
                    .iter()
                    .copied()
                    .zip(counted.at_least.get("refreshed").cloned().unwrap_or_default())
                    .collect(),
            }
        });
        let highlighter = if words.is_empty() { Highlighter::none() } else { Highlighter::for_words(&words, 90) };
        Ok(JobResults { total: counted.total, capped: counted.capped, hits, facets, relaxed, highlighter })
    }
}
