//! Rencai's domain: types that parse rather than validate, and the rules of the marketplace.
//! Nothing here does I/O, so every rule can be unit-tested on its own.

pub mod access;
pub mod account;
pub mod application;
pub mod attachment;
pub mod company;
pub mod geo;
pub mod html;
pub mod identity;
pub mod job;
pub mod mask;
pub mod posting_rules;
pub mod redact;
pub mod resume;
pub mod sms;
pub mod staff;
pub mod station;
pub mod stats;
pub mod taxonomy;
pub mod ticket;
pub mod time;
pub mod validate;
