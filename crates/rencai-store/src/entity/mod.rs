//! sea-orm entities, one module per table.

pub mod account;
pub mod audit_log;
pub mod legal_document;
pub mod station;
pub mod taxonomy_term;
