//! The command line.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "rencai",
    version,
    about = "Rencai 人才网：一个程序运行整个地方招聘网站",
    long_about = "Rencai 人才网：一个程序运行整个地方招聘网站。\n\n不带子命令运行时等同于 `rencai serve`。\n设置来自 rencai.toml、RENCAI__段__键 环境变量和下面的命令行参数（后者优先）。",
    after_help = "退出码：0 成功；1 失败；2 命令行有误；3 审计链校验未通过；4 操作被拒绝（需要确认或不适用于当前模式）。"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Settings file (default: ./rencai.toml if it exists).
    #[arg(long, short = 'c', global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Data folder: SQLite database, key file, uploads (default: ./data).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Address to listen on (default: 127.0.0.1:8080).
    #[arg(long, global = true, value_name = "ADDR:PORT")]
    pub listen: Option<SocketAddr>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the website (the default): migrate, load demo data on first start in demo mode, serve.
    Serve,
    /// Apply database migrations and load the data every site needs (taxonomies, legal texts).
    Migrate,
    /// Load the demo data set (demo mode only; skipped when accounts already exist).
    Demo,
    /// Write a consistent copy of the database and uploaded files to a new folder, while the site runs.
    /// The key file is never included: keep it separately.
    Backup(BackupArgs),
    /// Tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Encryption keys for personal data.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Back-office staff accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Tools for development and demos.
    Dev {
        #[command(subcommand)]
        command: DevCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create the first administrator (later staff are created by staff in the back office).
    /// Prints the TOTP secret for an authenticator app once.
    Create(AdminCreateArgs),
}

#[derive(Debug, Args)]
pub struct AdminCreateArgs {
    /// The administrator's mobile number.
    #[arg(long)]
    pub phone: String,
    /// Read the password from the first line of standard input instead of asking on the terminal.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// Show the newest messages of the dev SMS outbox (what would have been sent).
    Outbox(OutboxArgs),
    /// Send a test e-mail through the configured SMTP server, to check the [email] settings.
    SendTestEmail {
        /// Recipient address.
        #[arg(long)]
        to: String,
    },
}

#[derive(Debug, Args)]
pub struct OutboxArgs {
    /// Only messages to this phone number.
    #[arg(long)]
    pub phone: Option<String>,
    /// How many messages.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Folder to create for the backup; must not exist or be empty.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every row of the audit chain and report the first bad one (exit code 3).
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Add a new field-encryption key and re-encrypt all personal data under it, in batches,
    /// while the site keeps running. Old keys stay readable unless --retire is given.
    Rotate(RotateArgs),
    /// Show which key ids exist and how many values each still protects.
    Status,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    /// Rows per transaction.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub batch: u32,
    /// Seconds to wait after writing the new key so running nodes load it before re-encryption starts.
    #[arg(long, default_value_t = 15)]
    pub grace: u64,
    /// After re-encryption, remove the old keys from the key file (asks for confirmation).
    #[arg(long)]
    pub retire: bool,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
}
