//! Opening an index folder: the schema version and the sync payload live in tantivy's commit
//! metadata, so the documents and "how far the change log has been applied" always agree.
//! A folder that is missing, unreadable or of another schema version is wiped and created
//! empty, and the caller rebuilds it from the database.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::schema::Schema;
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument};

use crate::SearchError;
use crate::text::{CharTokenizer, ChineseTokenizer};

/// Names of the registered tokenizers.
pub const ZH: &str = "zh";
pub const ZH_CHARS: &str = "zh_chars";
pub const LATIN: &str = "latin";

/// Memory the writer may buffer before it flushes a segment. Small: the machine is small and
/// commits are frequent.
const WRITER_HEAP: usize = 48 * 1024 * 1024;

#[derive(Serialize, Deserialize)]
struct Meta {
    schema: u32,
    sync: String,
}

/// How an index folder was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// A usable index; the payload its last commit saved (empty if none).
    Existing { sync: String },
    /// Created empty: it was missing, unreadable or of another schema version.
    Created { reason: String },
}

pub(crate) struct Parts {
    pub index: Index,
    pub reader: IndexReader,
    pub writer: IndexWriter<TantivyDocument>,
}

fn register(index: &Index) {
    let t = index.tokenizers();
    t.register(ZH, TextAnalyzer::builder(ChineseTokenizer).filter(RemoveLongFilter::limit(40)).build());
    t.register(ZH_CHARS, TextAnalyzer::builder(CharTokenizer).build());
    t.register(LATIN, TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).build());
}

fn parts(index: Index) -> Result<Parts, SearchError> {
    register(&index);
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    let writer = index.writer_with_num_threads(1, WRITER_HEAP).map_err(|e| match e {
        tantivy::TantivyError::LockFailure(..) => SearchError::Locked,
        e => SearchError::Index(e),
    })?;
    Ok(Parts { index, reader, writer })
}

/// Opens the index in `dir` if it is usable and of `version`, or creates it empty.
pub(crate) fn open(dir: &Path, schema: Schema, version: u32) -> Result<(Parts, Opened), SearchError> {
    if dir.join("meta.json").exists() {
        let found = Index::open_in_dir(dir).map_err(|e| e.to_string()).and_then(|index| {
            let meta = index.load_metas().map_err(|e| e.to_string())?;
            let saved: Option<Meta> = meta.payload.as_deref().and_then(|p| serde_json::from_str(p).ok());
            match saved {
                Some(m) if m.schema == version && index.schema() == schema => Ok((index, m.sync)),
                Some(m) if m.schema != version => Err(format!("schema version {} (this build: {version})", m.schema)),
                _ => Err("no sync position or a different schema".to_string()),
            }
        });
        match found {
            Ok((index, sync)) => return Ok((parts(index)?, Opened::Existing { sync })),
            Err(reason) => return create(dir, schema, version, reason),
        }
    }
    create(dir, schema, version, "missing".into())
}

fn create(dir: &Path, schema: Schema, version: u32, reason: String) -> Result<(Parts, Opened), SearchError> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let index = Index::create_in_dir(dir, schema)?;
    let mut p = parts(index)?;
    commit(&mut p.writer, version, "")?;
    p.reader.reload()?;
    Ok((p, Opened::Created { reason }))
}

/// An index in memory (tests and benchmarks that measure the engine alone).
pub(crate) fn in_ram(schema: Schema) -> Result<Parts, SearchError> {
    parts(Index::create_in_ram(schema))
}

/// Commits pending writes with the sync payload.
pub(crate) fn commit(writer: &mut IndexWriter<TantivyDocument>, version: u32, sync: &str) -> Result<(), SearchError> {
    let payload = serde_json::to_string(&Meta { schema: version, sync: sync.to_string() })?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    Ok(())
}

/// The sync payload of the last commit.
pub(crate) fn saved_sync(index: &Index) -> Result<String, SearchError> {
    let meta = index.load_metas()?;
    Ok(meta.payload.as_deref().and_then(|p| serde_json::from_str::<Meta>(p).ok()).map(|m| m.sync).unwrap_or_default())
}
