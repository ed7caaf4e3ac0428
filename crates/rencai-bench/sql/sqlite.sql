-- The SQLite peers' schema (rencai-bench executes this file). `doc` is the title, the company
-- names and the description joined by spaces; `jobs_fts` holds the same three texts cut into
-- words by jieba (search mode, as Rencai's index) and joined by spaces, so FTS5's unicode61
-- tokenizer sees whole Chinese words.
CREATE TABLE jobs (id INTEGER PRIMARY KEY, doc TEXT NOT NULL, refreshed INTEGER NOT NULL);
CREATE INDEX jobs_refreshed ON jobs (refreshed);
CREATE VIRTUAL TABLE jobs_fts USING fts5(title, company, description, tokenize = 'unicode61');
-- Queries, per typed text:
--   LIKE:  SELECT COUNT(*) FROM jobs WHERE doc LIKE '%w1%' AND doc LIKE '%w2%' …;
--          SELECT id FROM jobs WHERE … ORDER BY refreshed DESC LIMIT 20
--   FTS5:  SELECT COUNT(*) FROM jobs_fts WHERE jobs_fts MATCH '"w1" "w2"';   (jieba words; one character: "w"*)
--          SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH … ORDER BY rank LIMIT 20
