//! The `rencai` command: serve the site and look after its data.

pub mod cli;
pub mod commands;
pub mod progress;
pub mod settings;

use std::process::ExitCode;

use clap::Parser;

/// Exit codes an operator's scripts can rely on.
pub mod exit {
    pub const OK: u8 = 0;
    /// Something failed (database unreachable, disk full …); the message says what.
    pub const FAILED: u8 = 1;
    /// The command line was wrong (clap prints usage).
    pub const USAGE: u8 = 2;
    /// `audit verify` found the chain broken.
    pub const AUDIT_BROKEN: u8 = 3;
    /// Refused: the command would overwrite or remove something and was not confirmed, or
    /// does not apply in this mode.
    pub const REFUSED: u8 = 4;
}

/// An error that ends a command with a specific exit code and a message for the operator.
#[derive(Debug)]
pub struct CommandError {
    pub code: u8,
    pub message: String,
}

impl CommandError {
    pub fn failed(message: impl std::fmt::Display) -> Self {
        Self { code: exit::FAILED, message: message.to_string() }
    }
    pub fn refused(message: impl std::fmt::Display) -> Self {
        Self { code: exit::REFUSED, message: message.to_string() }
    }
}

impl From<rencai_app::AppError> for CommandError {
    fn from(e: rencai_app::AppError) -> Self {
        let detail = match &e {
            rencai_app::AppError::Internal(cause) => cause.to_string(),
            other => other.to_string(),
        };
        Self::failed(detail)
    }
}

pub fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // CPU-bound work (a search counting facets, password hashing) goes to the blocking pool;
    // tokio's default of 512 threads let 64 concurrent faceted searches start 80 threads on
    // one core, each with its own allocator caches (100 MB more resident) for no speed.
    let runtime = match tokio::runtime::Builder::new_multi_thread().max_blocking_threads(16).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            return ExitCode::from(exit::FAILED);
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::from(exit::OK),
        Err(e) => {
            eprintln!("错误：{}", rencai_domain::redact::redact(&e.message));
            ExitCode::from(e.code)
        }
    }
}
