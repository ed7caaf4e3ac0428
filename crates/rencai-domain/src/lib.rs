//! Rencai's domain: types that parse rather than validate, and the rules of the marketplace.
//! Nothing here does I/O, so every rule can be unit-tested on its own.

pub mod account;
pub mod geo;
pub mod redact;
pub mod sms;
pub mod staff;
pub mod station;
pub mod taxonomy;
pub mod time;
