//! Rencai's search: tantivy indexes (jobs, resumes, light posts) derived from the database (and rebuildable from it), with
//! jieba segmentation for Chinese, facet counts, distance and highlighting. This crate knows
//! nothing of the database; `rencai-app` feeds it from the change log.

mod collect;
pub mod geo;
pub mod highlight;
mod index;
pub mod jobs;
pub mod light;
mod listed;
mod query;
pub mod resumes;
pub mod text;

use std::collections::HashMap;

pub use collect::{COUNT_CAP, FULL_PASS_UP_TO};
pub use geo::Point;
pub use highlight::{Highlighter, Marked};
pub use index::Opened;
pub use jobs::{JobDoc, JobFacets, JobHit, JobIndex, JobResults, JobSearch, JobSort};
pub use light::{LightDoc, LightIndex, LightResults, LightSearch};
pub use resumes::{ResumeDoc, ResumeFacets, ResumeIndex, ResumeResults, ResumeSearch};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index is in use by another process (is `rencai serve` running on this data folder?)")]
    Locked,
    #[error("search index folder: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index metadata: {0}")]
    Meta(#[from] serde_json::Error),
}

/// A value of a filter and how many results have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facet {
    pub code: String,
    pub count: u64,
}

/// Facet values by count, largest first, then by code.
pub(crate) fn facets_sorted(counts: Option<&HashMap<String, u64>>) -> Vec<Facet> {
    let mut v: Vec<Facet> =
        counts.into_iter().flatten().map(|(code, count)| Facet { code: code.clone(), count: *count }).collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    v
}
