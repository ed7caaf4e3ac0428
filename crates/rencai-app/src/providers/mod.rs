//! Providers we cannot reach from here (SMS gateways, mail servers): one interface each, a dev
//! implementation whose output developers and tests can read, and a real implementation
//! written to the provider's documented protocol.

pub mod email;
pub mod sms;
pub mod sms_aliyun;
pub mod sms_outbox;
