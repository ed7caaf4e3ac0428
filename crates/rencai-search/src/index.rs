//! Opening an index folder: the schema version and the sync payload live in tantivy's commit
//! metadata, so the documents and "how far the change log has been applied" always agree.
//! A folder that is missing, unreadable or of another schema version is wiped and created
//! empty, and the caller rebuilds it from the database.

use std::path::Path;

use serde::{Deserialize, Serialize};
use std::sync::Mutex;

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, SchemaBuilder, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::SearchError;
use crate::text::{CharTokenizer, ChineseTokenizer};

/// The methods every index type shares: opening (from its module's `schema()` and
/// `SCHEMA_VERSION`), and removing, clearing, committing at a change-log position and counting
/// through its [`Store`]. Written once here, expanded inside each index's `impl` (whose `f`
/// field holds the schema's fields and `store` the folder).
macro_rules! replica_methods {
    () => {
        /// Opens the index in `dir`, or creates it empty (see `Opened`).
        pub fn open(dir: &std::path::Path) -> Result<(Self, $crate::index::Opened), $crate::SearchError> {
            let (schema, f) = schema();
            let (store, opened) = $crate::index::open(dir, schema, SCHEMA_VERSION)?;
            Ok((Self { f, store }, opened))
        }

        /// An index in memory (tests and benchmarks that measure the engine alone).
        pub fn in_ram() -> Result<Self, $crate::SearchError> {
            let (schema, f) = schema();
            Ok(Self { f, store: $crate::index::in_ram(schema, SCHEMA_VERSION)? })
        }

        /// Removes documents by public id (visible after the next commit).
        pub fn remove(&self, public_ids: &[String]) {
            self.store.remove(public_ids)
        }

        /// Removes every document (before a rebuild).
        pub fn clear(&self) -> Result<(), $crate::SearchError> {
            self.store.clear()
        }

        /// Makes the writes durable and searchable with the change-log position `sync`.
        pub fn commit(&self, sync: &str) -> Result<(), $crate::SearchError> {
            self.store.commit(sync)
        }

        /// The change-log position of the last commit.
        pub fn sync_position(&self) -> Result<String, $crate::SearchError> {
            self.store.sync_position()
        }

        /// Searchable documents.
        pub fn len(&self) -> u64 {
            self.store.len()
        }

        pub fn is_empty(&self) -> bool {
            self.len() == 0
        }
    };
}
pub(crate) use replica_methods;

/// Names of the registered tokenizers.
pub const ZH: &str = "zh";
pub const ZH_CHARS: &str = "zh_chars";
pub const LATIN: &str = "latin";

/// Adds the fields every document has first: its database `id` (returned) and `public_id`,
/// which [`Store`] writes, replaces and deletes by.
pub(crate) fn ids(b: &mut SchemaBuilder) -> Field {
    let id = b.add_u64_field("id", INDEXED | FAST | STORED);
    b.add_text_field("public_id", STRING);
    id
}

/// A text field analysed by `tokenizer`, with positions (for phrase highlighting and
/// proximity) or only frequencies.
pub(crate) fn text_options(tokenizer: &str, positions: bool) -> TextOptions {
    let record = if positions { IndexRecordOption::WithFreqsAndPositions } else { IndexRecordOption::WithFreqs };
    TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record))
}

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

/// An open index folder (or an index in memory) with its single writer: what the jobs and
/// resumes indexes share. Every document has a u64 `id` and a string `public_id` field.
pub(crate) struct Store {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    version: u32,
    id: Field,
    public_id: Field,
}

impl Store {
    fn new(p: (Index, IndexReader, IndexWriter<TantivyDocument>), version: u32) -> Result<Store, SearchError> {
        let schema = p.0.schema();
        let id = schema.get_field("id")?;
        let public_id = schema.get_field("public_id")?;
        Ok(Store { index: p.0, reader: p.1, writer: Mutex::new(p.2), version, id, public_id })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>> {
        // A panic while holding the writer leaves nothing half-written that a commit would keep.
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new document with its database and public ids.
    pub fn document(&self, id: i64, public_id: &str) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_u64(self.id, id as u64);
        d.add_text(self.public_id, public_id);
        d
    }

    /// Adds or replaces documents by database id (visible after the next commit).
    pub fn put(&self, docs: impl IntoIterator<Item = (i64, TantivyDocument)>) -> Result<(), SearchError> {
        let w = self.writer();
        for (id, doc) in docs {
            w.delete_term(Term::from_field_u64(self.id, id as u64));
            w.add_document(doc)?;
        }
        Ok(())
    }

    /// Removes documents by public id.
    pub fn remove(&self, public_ids: &[String]) {
        let w = self.writer();
        for id in public_ids {
            w.delete_term(Term::from_field_text(self.public_id, id));
        }
    }

    /// Removes every document (before a rebuild).
    pub fn clear(&self) -> Result<(), SearchError> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    /// Makes the writes so far durable and searchable, saving `sync` (where the change log was
    /// applied up to) in the same commit.
    pub fn commit(&self, sync: &str) -> Result<(), SearchError> {
        let payload = serde_json::to_string(&Meta { schema: self.version, sync: sync.to_string() })?;
        let mut w = self.writer();
        let mut prepared = w.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        drop(w);
        self.reader.reload()?;
        Ok(())
    }

    /// The sync payload of the last commit.
    pub fn sync_position(&self) -> Result<String, SearchError> {
        let meta = self.index.load_metas()?;
        Ok(meta
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str::<Meta>(p).ok())
            .map(|m| m.sync)
            .unwrap_or_default())
    }

    /// Number of searchable documents.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }
}

fn register(index: &Index) {
    let t = index.tokenizers();
    t.register(ZH, TextAnalyzer::builder(ChineseTokenizer).filter(RemoveLongFilter::limit(40)).build());
    t.register(ZH_CHARS, TextAnalyzer::builder(CharTokenizer).build());
    t.register(LATIN, TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).build());
}

fn parts(index: Index, version: u32) -> Result<Store, SearchError> {
    register(&index);
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
    let writer = index.writer_with_num_threads(1, WRITER_HEAP).map_err(|e| match e {
        tantivy::TantivyError::LockFailure(..) => SearchError::Locked,
        e => SearchError::Index(e),
    })?;
    Store::new((index, reader, writer), version)
}

/// Opens the index in `dir` if it is usable and of `version`, or creates it empty.
pub(crate) fn open(dir: &Path, schema: Schema, version: u32) -> Result<(Store, Opened), SearchError> {
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
            Ok((index, sync)) => return Ok((parts(index, version)?, Opened::Existing { sync })),
            Err(reason) => return create(dir, schema, version, reason),
        }
    }
    create(dir, schema, version, "missing".into())
}

fn create(dir: &Path, schema: Schema, version: u32, reason: String) -> Result<(Store, Opened), SearchError> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let index = Index::builder().schema(schema).settings(settings()).create_in_dir(dir)?;
    let store = parts(index, version)?;
    store.commit("")?;
    Ok((store, Opened::Created { reason }))
}

/// An index in memory (tests and benchmarks that measure the engine alone).
pub(crate) fn in_ram(schema: Schema, version: u32) -> Result<Store, SearchError> {
    parts(Index::builder().schema(schema).settings(settings()).create_in_ram()?, version)
}

/// Small document-store blocks: a list page opens the stored card of each of its twenty hits,
/// and each opening decompresses a whole block; tantivy's 16 KiB default made that a tenth of
/// a keyword request.
fn settings() -> IndexSettings {
    IndexSettings { docstore_blocksize: 4_096, ..IndexSettings::default() }
}
