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
    /// 设置文件（默认：当前目录下的 rencai.toml，如果存在）
    #[arg(long, short = 'c', global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// 数据目录：SQLite 数据库、密钥文件、上传文件（默认：./data）
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// 监听地址（默认：127.0.0.1:8080）
    #[arg(long, global = true, value_name = "ADDR:PORT")]
    pub listen: Option<SocketAddr>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 启动网站（默认命令）：迁移数据库，演示模式下首次启动时加载演示数据，然后提供服务
    Serve,
    /// 执行数据库迁移，并补齐每个站点都需要的数据（分类、隐私政策与用户协议）
    Migrate,
    /// 加载演示数据（仅演示模式；已有账号时跳过）
    Demo(DemoArgs),
    /// 从数据库重建本节点的搜索索引（索引损坏或升级后使用；需先停止在同一数据目录上运行的 rencai serve，
    /// 正常运行时索引会自动保持最新）
    Reindex,
    /// 在网站运行时把数据库和上传文件一致地备份到一个新目录。
    /// 备份从不包含密钥文件：请另行保管
    Backup(BackupArgs),
    /// 按保存期限删除到期的数据，并清除注销期满账号的个人信息（rencai serve 每小时自动执行一次）
    Purge,
    /// 用 `rencai backup` 做的备份替换数据库和上传文件，然后重放注销记录，
    /// 让备份之后注销的账号不会因恢复而回来。需先停止在同一数据目录上运行的 rencai serve
    Restore(RestoreArgs),
    /// 防篡改审计日志
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// 个人信息加密密钥
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// 后台工作人员账号
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// 开发与演示工具
    Dev {
        #[command(subcommand)]
        command: DevCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// 创建第一个管理员（其他工作人员由工作人员在后台创建）。
    /// 只显示一次身份验证器使用的动态验证码密钥
    Create(AdminCreateArgs),
}

#[derive(Debug, Args)]
pub struct AdminCreateArgs {
    /// 管理员手机号
    #[arg(long)]
    pub phone: String,
    /// 从标准输入的第一行读取密码，而不是在终端里询问
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Subcommand)]
pub enum DevCommand {
    /// 查看开发用短信发件箱里最新的短信（本应发出的内容）
    Outbox(OutboxArgs),
    /// 通过已设置的 SMTP 服务器发送一封测试邮件，检查 [email] 设置
    SendTestEmail {
        /// 收件地址
        #[arg(long)]
        to: String,
    },
}

#[derive(Debug, Args)]
pub struct OutboxArgs {
    /// 只看发给这个手机号的短信
    #[arg(long)]
    pub phone: Option<String>,
    /// 看电子邮件发件箱（而不是短信）；可用 --to 只看发给某个地址的邮件
    #[arg(long)]
    pub email: bool,
    /// 只看发给这个邮箱的邮件（和 --email 一起用）
    #[arg(long, requires = "email")]
    pub to: Option<String>,
    /// 显示条数
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// 职位数（默认 3000；用于压测时可加大，例如 100000）
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// 简历数（默认 2400）
    #[arg(long, value_name = "M")]
    pub resumes: Option<usize>,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// 备份目录；必须不存在或为空
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// 备份目录（含 manifest.json）
    #[arg(long, value_name = "DIR")]
    pub from: PathBuf,
    /// 不再询问确认
    #[arg(long, short = 'y')]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// 校验审计链的每一行，报告第一处问题（退出码 3）
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// 新增字段加密密钥，并在网站运行时分批用它重新加密全部个人信息。
    /// 除非指定 --retire，旧密钥仍可解密
    Rotate(RotateArgs),
    /// 显示有哪些密钥，以及各自还保护着多少个字段值
    Status,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    /// 每个事务处理的行数
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub batch: u32,
    /// 写入新密钥后等待的秒数，让运行中的节点先加载新密钥
    #[arg(long, default_value_t = 15)]
    pub grace: u64,
    /// 重新加密完成后从密钥文件中删除旧密钥（需确认）
    #[arg(long)]
    pub retire: bool,
    /// 不再询问确认
    #[arg(long, short = 'y')]
    pub yes: bool,
}
