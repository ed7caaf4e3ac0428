//! The station's taxonomies as one in-memory snapshot: what codes exist (for checking input)
//! and what they are called (for rendering). Loaded from the database; staff edits show up
//! within a minute on every node, at once on the node that made them.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rencai_domain::taxonomy::TaxonomyKind;
use rencai_store::taxonomy::Term;

use crate::{AppResult, AppState};

#[derive(Debug, Default)]
pub struct Terms {
    by_kind: HashMap<&'static str, Vec<Term>>,
    /// By kind, then code (looked up by `&str`: a list page asks for a hundred names).
    known: HashMap<&'static str, HashSet<String>>,
    /// Names of every term, retired ones included: old jobs and resumes still show them.
    names: HashMap<&'static str, HashMap<String, String>>,
}

impl Terms {
    pub fn known(&self, kind: TaxonomyKind, code: &str) -> bool {
        self.known.get(kind.as_str()).is_some_and(|codes| codes.contains(code))
    }

    /// The display name of a code (retired terms keep theirs), or the code if it never existed.
    pub fn name<'a>(&'a self, kind: TaxonomyKind, code: &'a str) -> &'a str {
        self.names.get(kind.as_str()).and_then(|names| names.get(code)).map(String::as_str).unwrap_or(code)
    }

    pub fn list(&self, kind: TaxonomyKind) -> &[Term] {
        self.by_kind.get(kind.as_str()).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Top-level terms (no parent) of a kind.
    pub fn roots(&self, kind: TaxonomyKind) -> Vec<&Term> {
        self.list(kind).iter().filter(|t| t.parent.is_none()).collect()
    }

    /// The codes of a term's children (job categories are two levels deep).
    pub fn children(&self, kind: TaxonomyKind, parent: &str) -> Vec<String> {
        self.list(kind).iter().filter(|t| t.parent.as_deref() == Some(parent)).map(|t| t.code.clone()).collect()
    }

    pub fn checker(&self) -> impl Fn(TaxonomyKind, &str) -> bool + '_ {
        move |k, c| self.known(k, c)
    }
}

/// The cached snapshot and when it was loaded.
#[derive(Debug, Default)]
pub struct TermsCache(Mutex<Option<(Instant, Arc<Terms>)>>);

const TTL: Duration = Duration::from_secs(60);

impl TermsCache {
    pub fn invalidate(&self) {
        if let Ok(mut g) = self.0.lock() {
            *g = None;
        }
    }
}

pub async fn get(state: &AppState) -> AppResult<Arc<Terms>> {
    if let Ok(g) = state.terms_cache().0.lock()
        && let Some((at, terms)) = g.as_ref()
        && at.elapsed() < TTL
    {
        return Ok(terms.clone());
    }
    let mut terms = Terms::default();
    for (kind, list) in crate::taxonomy::all(state).await? {
        for t in &list {
            terms.known.entry(kind.as_str()).or_default().insert(t.code.clone());
        }
        terms.by_kind.insert(kind.as_str(), list);
        for t in rencai_store::taxonomy::list_all(state.db().conn(), state.station().id, kind).await? {
            terms.names.entry(kind.as_str()).or_default().insert(t.code, t.name);
        }
    }
    let terms = Arc::new(terms);
    if let Ok(mut g) = state.terms_cache().0.lock() {
        *g = Some((Instant::now(), terms.clone()));
    }
    Ok(terms)
}
