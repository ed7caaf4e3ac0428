//! The resumes index, for recruiters' resume search. It holds no direct identifier: no name,
//! phone, e-mail or free text a seeker could have typed them into (self-introductions and
//! work descriptions stay out); only the title, skills, job titles, majors and codes. Hidden
//! resumes are not indexed at all. Every hit is still decided by the access policy after.

use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, STRING, Schema};
use tantivy::{TantivyDocument, Term};

use crate::collect::{self, Rank, Spec};
use crate::highlight::Highlighter;
use crate::index::{self, Store, ZH, text_options};
use crate::query::{Filters, TextFields, Weighted};
use crate::text::query_words;
use crate::{Facet, SearchError};

pub const SCHEMA_VERSION: u32 = 2;

/// A resume as the index holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResumeDoc {
    pub id: i64,
    pub public_id: String,
    pub station_id: i64,
    /// Internal account id of the seeker (for "applied to you" reach), not an identifier a
    /// person could use.
    pub seeker_id: i64,
    pub title: String,
    /// Wanted positions as names, skills and certificates.
    pub skills: String,
    /// Job titles held, project names, majors.
    pub background: String,
    pub categories: Vec<String>,
    pub industries: Vec<String>,
    /// Current and wanted districts.
    pub districts: Vec<String>,
    pub education: String,
    pub experience: String,
    /// Public and shown to companies in general.
    pub open: bool,
    /// Organisations the seeker blocked.
    pub blocked: Vec<i64>,
    pub refreshed_at: i64,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    station: Field,
    seeker: Field,
    title: Field,
    skills: Field,
    background: Field,
    category: Field,
    industry: Field,
    district: Field,
    education: Field,
    experience: Field,
    open: Field,
    blocked: Field,
    refreshed: Field,
    refreshed_hour: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let zh = |positions: bool| text_options(ZH, positions);
    index::ids(&mut b);
    let f = Fields {
        station: b.add_i64_field("station", INDEXED),
        seeker: b.add_i64_field("seeker", INDEXED),
        title: b.add_text_field("title", zh(true)),
        skills: b.add_text_field("skills", zh(false)),
        background: b.add_text_field("background", zh(false)),
        category: b.add_text_field("category", STRING | FAST),
        industry: b.add_text_field("industry", STRING | FAST),
        district: b.add_text_field("district", STRING | FAST),
        education: b.add_text_field("education", STRING | FAST),
        experience: b.add_text_field("experience", STRING | FAST),
        open: b.add_i64_field("open", INDEXED),
        blocked: b.add_i64_field("blocked", INDEXED),
        refreshed: b.add_i64_field("refreshed", INDEXED | FAST),
        refreshed_hour: b.add_i64_field(collect::hour_field("refreshed").as_str(), INDEXED),
    };
    (b.build(), f)
}

/// A recruiter's resume search.
#[derive(Debug, Clone, Default)]
pub struct ResumeSearch {
    pub station_id: i64,
    pub text: Option<String>,
    /// Any of these categories.
    pub categories: Vec<String>,
    pub industry: Option<String>,
    pub district: Option<String>,
    pub education: Option<String>,
    pub experience: Option<String>,
    /// Seekers whose resumes reach this organisation although not open to all (they applied
    /// to it or shared their contact with it).
    pub reached_seekers: Vec<i64>,
    /// The searching organisation and the clients it recruits for: resumes of seekers who
    /// blocked any of them are left out.
    pub excluded_by: Vec<i64>,
    pub offset: usize,
    pub limit: usize,
    pub facets: bool,
    pub now: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResumeFacets {
    pub category: Vec<Facet>,
    pub district: Vec<Facet>,
    pub education: Vec<Facet>,
    pub experience: Vec<Facet>,
}

pub struct ResumeResults {
    pub total: u64,
    /// Database ids, best first.
    pub ids: Vec<i64>,
    pub facets: Option<ResumeFacets>,
    pub relaxed: bool,
    pub highlighter: Highlighter,
}

pub struct ResumeIndex {
    f: Fields,
    store: Store,
}

impl ResumeIndex {
    fn document(&self, r: &ResumeDoc) -> TantivyDocument {
        let f = &self.f;
        let mut d = self.store.document(r.id, &r.public_id);
        d.add_i64(f.station, r.station_id);
        d.add_i64(f.seeker, r.seeker_id);
        d.add_text(f.title, &r.title);
        d.add_text(f.skills, &r.skills);
        d.add_text(f.background, &r.background);
        for c in &r.categories {
            d.add_text(f.category, c);
        }
        for c in &r.industries {
            d.add_text(f.industry, c);
        }
        for c in &r.districts {
            d.add_text(f.district, c);
        }
        d.add_text(f.education, &r.education);
        d.add_text(f.experience, &r.experience);
        d.add_i64(f.open, i64::from(r.open));
        for b in &r.blocked {
            d.add_i64(f.blocked, *b);
        }
        d.add_i64(f.refreshed, r.refreshed_at);
        d.add_i64(f.refreshed_hour, collect::hour(r.refreshed_at));
        d
    }

    /// Adds or replaces resumes (visible after the next [`commit`](Self::commit)).
    pub fn put(&self, resumes: &[ResumeDoc]) -> Result<(), SearchError> {
        self.store.put(resumes.iter().map(|x| (x.id, self.document(x))))
    }

    index::replica_methods!();

    fn i64_term(field: Field, v: i64) -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_i64(field, v), IndexRecordOption::Basic))
    }

    fn filters(&self, s: &ResumeSearch) -> Filters {
        let f = &self.f;
        let mut q = Filters::default();
        q.i64_eq(f.station, s.station_id);
        for (field, v) in [
            (f.industry, &s.industry),
            (f.district, &s.district),
            (f.education, &s.education),
            (f.experience, &s.experience),
        ] {
            if let Some(v) = v {
                q.str_eq(field, v);
            }
        }
        q.str_any(f.category, &s.categories);
        // Open to all, or reached this organisation by the seeker's own act.
        let mut reach: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, Self::i64_term(f.open, 1))];
        reach.extend(s.reached_seekers.iter().map(|id| (Occur::Should, Self::i64_term(f.seeker, *id))));
        q.must(Box::new(BooleanQuery::new(reach)));
        for org in &s.excluded_by {
            q.must_not(Self::i64_term(f.blocked, *org));
        }
        q
    }

    pub fn search(&self, s: &ResumeSearch) -> Result<ResumeResults, SearchError> {
        let searcher = self.store.searcher();
        let words = s.text.as_deref().map(query_words).unwrap_or_default();
        let rank = if words.is_empty() {
            Rank::Field { field: "refreshed", then: None, top_first: None }
        } else {
            Rank::Relevance { now: s.now }
        };
        let spec = Spec {
            keep: (s.offset + s.limit).min(crate::jobs::MAX_DEPTH),
            rank,
            near: None,
            facets: if s.facets { vec!["category", "district", "education", "experience"] } else { Vec::new() },
            at_least: Vec::new(),
            // A recruiter's count stays exact: resume searches are fewer and narrower than the
            // public job lists the pruned pass is for.
            count_all: true,
            facets_unless_broad: false,
        };
        let fields = TextFields {
            words: vec![
                Weighted { field: self.f.title, boost: 3.0 },
                Weighted { field: self.f.skills, boost: 2.0 },
                Weighted { field: self.f.background, boost: 1.0 },
            ],
            chars: None,
            pinyin: None,
        };
        let (counted, relaxed) = collect::run(&searcher, || self.filters(s), &fields, &words, &spec)?;
        let ids = counted.top.iter().skip(s.offset).take(s.limit).map(|r| r.id as i64).collect();
        let facets = s.facets.then(|| {
            let named = |name: &str| crate::facets_sorted(counted.facets.get(name));
            ResumeFacets {
                category: named("category"),
                district: named("district"),
                education: named("education"),
                experience: named("experience"),
            }
        });
        let highlighter = if words.is_empty() { Highlighter::none() } else { Highlighter::for_words(&words, 60) };
        Ok(ResumeResults { total: counted.total, ids, facets, relaxed, highlighter })
    }
}
