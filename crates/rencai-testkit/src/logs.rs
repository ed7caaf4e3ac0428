//! Capturing log output in a test, with and without the redacting writer.

use std::io::Write;
use std::sync::{Arc, Mutex};

use rencai_app::telemetry::RedactingMakeWriter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;

/// A buffer that log lines are written into.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
    }
}

pub struct CapturedWriter(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = CapturedWriter;
    fn make_writer(&'a self) -> Self::Writer {
        CapturedWriter(self.0.clone())
    }
}

/// Installs, for the current thread, a subscriber that writes every event at debug level
/// twice: once through the production redacting writer (`redacted`) and once raw (`raw`), so a
/// test can show both that secrets reached the logger and that none got out.
pub fn capture_on_this_thread() -> (tracing::subscriber::DefaultGuard, Captured, Captured) {
    let redacted = Captured::default();
    let raw = Captured::default();
    let subscriber = tracing_subscriber::registry()
        .with(tracing_subscriber::EnvFilter::new(
            "debug,sqlx=warn,sea_orm=warn,hyper=warn,reqwest=warn,hyper_util=warn,h2=warn",
        ))
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_timer(rencai_app::telemetry::timer())
                .with_writer(RedactingMakeWriter::new(redacted.clone())),
        )
        .with(tracing_subscriber::fmt::layer().with_ansi(false).with_writer(raw.clone()));
    (tracing::subscriber::set_default(subscriber), redacted, raw)
}
