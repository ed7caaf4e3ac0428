//! The workspace's integration suite, one binary. Runs on SQLite, and on PostgreSQL with
//! `RENCAI_TEST_BACKEND=postgres` (see the README's test command). Modules named `pg_only`
//! run only on PostgreSQL; `sqlite_only` and `browser` only on SQLite.

mod alerts;
mod applications;
mod audit;
mod auth;
mod auth_http;
mod authz_matrix;
mod bad_input;
mod behaviour;
mod browser;
mod browser_market;
mod browser_pipeline;
mod browser_privacy;
mod browser_search;
mod changelog;
mod chat;
mod cli;
mod delivery;
mod demo_data;
mod http;
mod incidents_stats;
mod legal;
mod market;
mod notify;
mod openapi;
mod pg_only;
mod privacy;
mod redaction;
mod sealing;
mod search;
mod staff;
mod storage;
mod support;
mod tickets;
