//! Logging with redaction (P20). Every formatted log line passes through
//! [`rencai_domain::redact::redact`] on its way out, so phone numbers, codes, tokens and
//! coordinates cannot reach a log file whatever a call site writes.

use std::io::{self, Write};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::{EnvFilter, layer::SubscriberExt, util::SubscriberInitExt};

use crate::config::LogSettings;

/// A writer that redacts what it is given. The fmt layer hands over one whole event per
/// `write` call, so patterns never straddle two calls.
pub struct RedactingWriter<W: Write> {
    inner: W,
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.inner.write_all(rencai_domain::redact::redact(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Wraps any `MakeWriter` so that everything it writes is redacted.
#[derive(Clone)]
pub struct RedactingMakeWriter<M> {
    inner: M,
}

impl<M> RedactingMakeWriter<M> {
    pub fn new(inner: M) -> Self {
        Self { inner }
    }
}

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for RedactingMakeWriter<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter { inner: self.inner.make_writer() }
    }
}

/// The filter: the configured level, with database drivers kept quiet (they can print bound
/// values), unless `RUST_LOG` says otherwise.
pub fn filter(settings: &LogSettings) -> EnvFilter {
    EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("{},sqlx=warn,sea_orm=warn,sea_orm_migration=warn", settings.level)))
}

/// Millisecond timestamps: sub-second digits beyond three would look like coordinates to the
/// redaction rules.
pub fn timer() -> tracing_subscriber::fmt::time::ChronoUtc {
    tracing_subscriber::fmt::time::ChronoUtc::new("%Y-%m-%dT%H:%M:%S%.3fZ".into())
}

/// Installs the global subscriber writing redacted lines to standard error.
pub fn init(settings: &LogSettings) {
    let writer = RedactingMakeWriter::new(io::stderr);
    let registry = tracing_subscriber::registry().with(filter(settings));
    let result = if settings.format == "json" {
        registry.with(tracing_subscriber::fmt::layer().json().with_timer(timer()).with_writer(writer)).try_init()
    } else {
        registry.with(tracing_subscriber::fmt::layer().with_timer(timer()).with_writer(writer)).try_init()
    };
    // A second init (tests, embedding) keeps the first subscriber.
    let _ = result;
}
