//! Rencai's use cases. Handlers call these and nothing else; these never see HTTP.

pub mod audit;
pub mod auth;
pub mod backup;
pub mod behaviour;
pub mod bootstrap;
pub mod captcha;
pub mod chat;
pub mod clock;
pub mod config;
pub mod delivery_worker;
pub mod demo;
pub mod error;
pub mod incidents;
pub mod keys;
pub mod legal;
pub mod market;
pub mod net;
pub mod notice_templates;
pub mod notify;
pub mod privacy;
pub mod providers;
pub mod schedule;
pub mod search;
pub mod state;
pub mod stats;
pub mod support;
pub mod taxonomy;
pub mod telemetry;
pub mod tickets;

pub use clock::{Clock, FixedClock, SystemClock};
pub use config::Settings;
pub use error::{AppError, AppResult};
pub use state::AppState;
