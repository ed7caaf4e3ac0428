//! The data rights a person exercises in the privacy center, and the jobs that keep the
//! privacy policy's promises about time: deactivation and the purge that follows (P14), export
//! (P15), retention (P8). What each table holds and how long is declared once, in
//! [`rencai_store::privacy::TABLES`]; everything here walks that map.

pub mod archive;
pub mod center;
pub mod deactivation;
pub mod export;
pub mod retention;
