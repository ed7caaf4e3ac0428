-- The PostgreSQL peer's schema (rencai-bench executes this file in a database it creates with
-- ENCODING 'UTF8' LC_CTYPE 'C.UTF-8': pg_trgm ignores Chinese characters under the C ctype).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE jobs (id BIGINT PRIMARY KEY, doc TEXT NOT NULL, refreshed BIGINT NOT NULL);
-- Indexes are created after the rows are loaded:
--   CREATE INDEX jobs_doc_trgm ON jobs USING gin (doc gin_trgm_ops);
--   CREATE INDEX jobs_refreshed ON jobs (refreshed);
--   ANALYZE jobs;
-- Queries, per typed text:
--   SELECT COUNT(*) FROM jobs WHERE doc ILIKE '%w1%' AND doc ILIKE '%w2%' …;
--   SELECT id FROM jobs WHERE … ORDER BY refreshed DESC LIMIT 20
